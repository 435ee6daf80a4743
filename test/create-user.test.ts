import { Readable } from "node:stream";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import { createUserCommand } from "../src/users/create-user-command.js";

const stdinWith = (text: string) => Object.assign(Readable.from([text]), { isTTY: false }) as unknown as NodeJS.ReadStream;

/** A new installation of the test's own: the schema alone, no account yet (closed after the test). */
async function newInstallation(): Promise<Knex> {
  const database = await createTestDatabase();
  onTestFinished(() => database.close());
  expect(await database.knex("users").first("id")).toBeUndefined();
  return database.knex;
}

/** The CLI creates the first admin, "admin.dau.tien", from the password on stdin; what it printed is returned. */
async function createFirstAdmin(db: Knex): Promise<string> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await createUserCommand(db, ["admin.dau.tien", "--role", "admin", "--name", "Quản trị viên"], stdinWith("mot-mat-khau-dai\n"));
    return log.mock.calls.flat().join("\n");
  } finally {
    log.mockRestore();
  }
}

describe("cli create-user", () => {
  it("when a new installation has no account, then the first admin is created from the password on stdin and can log in", async () => {
    const db = await newInstallation();
    const printed = await createFirstAdmin(db);
    expect(printed).toContain('Đã tạo tài khoản "admin.dau.tien"');
    expect(printed).not.toContain("mot-mat-khau-dai");
    const agent = await loginAs(createTestApp(db), "admin.dau.tien", "mot-mat-khau-dai");
    expect((await agent.get("/admin/users")).status).toBe(200);
  });

  it("when the input is invalid, then it fails with one clear line naming the problem", async () => {
    const db = await newInstallation();
    await expect(createUserCommand(db, ["x", "--role", "boss", "--name", "A"], stdinWith("ngan\n"))).rejects.toThrow(/username.*password.*role|Tên đăng nhập/);
    await createFirstAdmin(db);
    await expect(createUserCommand(db, ["admin.dau.tien", "--role", "admin", "--name", "A"], stdinWith("mot-mat-khau-dai\n"))).rejects.toThrow(/đã có/);
  });
});
