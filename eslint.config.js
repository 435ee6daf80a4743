// Lint TypeScript with the recommended type-aware-free rule sets; keep it fast on 2 cores.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "coverage/", "test-results/", "public/vendor/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  { files: ["public/**/*.js"], languageOptions: { globals: { ...globals.browser } } },
  { files: ["src/cli.ts", "src/cli-commands.ts", "src/**/*-command.ts", "bench/**", "test/**"], rules: { "no-console": "off" } },
);
