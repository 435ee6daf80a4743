import { USAGE, commands } from "./cli-commands.js";

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name ? `Lệnh không tồn tại: ${name}\n${USAGE}` : USAGE);
    process.exit(2);
  }
  await command(args);
}

main().catch((err: unknown) => {
  console.error(`Lỗi: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
