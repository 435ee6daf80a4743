import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDirLock, DataDirLockedError } from "./lock.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-lock-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("data folder lock", () => {
  it("when another live process holds the folder, then opening it is refused with a clear message", async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      fs.writeFileSync(path.join(dir, "portal.lock"), String(other.pid));
      expect(() => acquireDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDirLock(dir)).toThrow(/đang được tiến trình khác \(PID \d+\) sử dụng/);
    } finally {
      other.kill();
    }
  });

  it("when the holder is gone (stale lock), then the folder is taken over and released after", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "portal.lock"), "999999");
    const release = acquireDirLock(dir);
    expect(fs.readFileSync(path.join(dir, "portal.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "portal.lock"))).toBe(false);
  });
});
