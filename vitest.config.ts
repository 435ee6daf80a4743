import { defineConfig } from "vitest/config";
import LongFirstSequencer from "./test/sequencer.js";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // 2 cores here: one worker per core; each test file opens its own database.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Each worker imports the app once for all its files instead of once per file (3 s a file here);
    // files share no state but the module cache: each opens its own database and app.
    isolate: false,
    sequence: { sequencer: LongFirstSequencer },
  },
});
