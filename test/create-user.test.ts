import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import { createUserCommand } from "../src/users/create-user-command.js";
import type { Database } from "../src/db/database.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const stdinWith = (text: string) => Object.assign(Readable.from([text]), { isTTY: false }) as unknown as NodeJS.ReadStream;

describe("cli create-user", () => {
  it("when a new installation has no account, then the first admin is created from the password on stdin and can log in", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await createUserCommand(database.knex, ["admin.dau.tien", "--role", "admin", "--name", "Quản trị viên"], stdinWith("mot-mat-khau-dai\n"));
    expect(log.mock.calls.flat().join("\n")).toContain('Đã tạo tài khoản "admin.dau.tien"');
    expect(log.mock.calls.flat().join("\n")).not.toContain("mot-mat-khau-dai");
    log.mockRestore();
    const agent = await loginAs(createTestApp(database.knex), "admin.dau.tien", "mot-mat-khau-dai");
    expect((await agent.get("/admin/users")).status).toBe(200);
  });

  it("when the input is invalid, then it fails with one clear line naming the problem", async () => {
    await expect(createUserCommand(database.knex, ["x", "--role", "boss", "--name", "A"], stdinWith("ngan\n"))).rejects.toThrow(/username.*password.*role|Tên đăng nhập/);
    await expect(createUserCommand(database.knex, ["admin.dau.tien", "--role", "admin", "--name", "A"], stdinWith("mot-mat-khau-dai\n"))).rejects.toThrow(/đã có/);
  });
});
