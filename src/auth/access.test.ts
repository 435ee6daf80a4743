import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIONS, assignableRoles, can, decide } from "./access.js";
import type { Role, User } from "./users-repo.js";

const user = (role: Role, blocIds: number[], agencyId: number | null = null): User => ({ id: 1, username: "x", fullName: "X", role, agencyId, active: true, mustChangePassword: false, blocIds });
const admin = user("admin", []);
const sec = user("secretariat", [1]);
const leader = user("leader", [1]);
const clerk = user("clerk", [1], 10);

describe("the permission table", () => {
  it("a clerk reads and submits only its own agency's records; others of the bloc read them", () => {
    expect(decide(clerk, "agency.read", { kind: "agencyRecord", blocId: 1, agencyId: 10 })).toBe("allow");
    expect(decide(clerk, "agency.read", { kind: "agencyRecord", blocId: 1, agencyId: 11 })).toBe("hide");
    expect(decide(clerk, "agency.submit", { kind: "agency", agencyId: 11, blocIds: [1] })).toBe("hide");
    expect(decide(leader, "agency.read", { kind: "agencyRecord", blocId: 1, agencyId: 11 })).toBe("allow");
    expect(decide(leader, "agency.read", { kind: "agencyRecord", blocId: 2, agencyId: 11 })).toBe("hide");
    expect(decide(leader, "agency.submit", { kind: "agency", agencyId: 11, blocIds: [1] })).toBe("forbid");
  });

  it("a secretariat manages a clerk or edits an agency only when every bloc of the agency is its own", () => {
    expect(can(sec, "account.manage", { kind: "account", role: "clerk", agencyBlocIds: [1] })).toBe(true);
    expect(decide(sec, "account.manage", { kind: "account", role: "clerk", agencyBlocIds: [1, 2] })).toBe("hide");
    expect(decide(sec, "account.manage", { kind: "account", role: "leader", agencyBlocIds: [] })).toBe("hide");
    expect(decide(sec, "agency.edit", { kind: "agency", agencyId: 10, blocIds: [1, 2] })).toBe("forbid");
    expect(can(admin, "agency.edit", { kind: "agency", agencyId: 10, blocIds: [1, 2] })).toBe(true);
    expect(assignableRoles(sec)).toEqual(["clerk"]);
    expect(assignableRoles(admin)).toEqual(["admin", "secretariat", "leader", "observer", "clerk"]);
  });

  it("the leader publishes, the secretariat runs the bloc, only the admin imports", () => {
    expect(can(leader, "ranking.publish", { kind: "bloc", blocId: 1 })).toBe(true);
    expect(decide(sec, "ranking.publish", { kind: "bloc", blocId: 1 })).toBe("forbid");
    expect(decide(leader, "bloc.manage", { kind: "bloc", blocId: 1 })).toBe("forbid");
    expect(decide(sec, "bloc.manage", { kind: "bloc", blocId: 2 })).toBe("hide");
    expect(decide(sec, "year.import")).toBe("forbid");
    expect(can(admin, "year.import")).toBe(true);
  });

  it("every action names its roles and scope", () => {
    for (const [name, rule] of Object.entries(ACTIONS)) {
      expect([name, rule.roles.length > 0, rule.label.length > 0]).toEqual([name, true, true]);
    }
  });
});

describe("no role comparison outside the permission table", () => {
  const files = (dir: string, ext: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : []));

  it("when a source file or template compares a role with a role name, then this test names it", () => {
    const compare = /\brole\s*[!=]==?\s*["'`]|["'`](admin|secretariat|leader|observer|clerk)["'`]\s*[!=]==?\s*[\w.!]*role\b|\.includes\(\s*[\w.!]*\.role\s*\)/;
    const offenders = [...files("src", ".ts"), ...files("views", ".ejs")]
      .filter((f) => !f.endsWith(path.join("auth", "access.ts")) && !f.endsWith(".test.ts"))
      .flatMap((f) => fs.readFileSync(f, "utf8").split("\n").map((line, i) => ({ f, i, line })))
      .filter(({ line }) => compare.test(line))
      .map(({ f, i, line }) => `${f}:${i + 1}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it("when a route handler writes req.user!, then this test names it (requireUser(handler) narrows the type)", () => {
    const offenders = files("src", ".ts")
      .filter((f) => /routes\.ts$/.test(f))
      .flatMap((f) => fs.readFileSync(f, "utf8").split("\n").map((line, i) => ({ f, i, line })))
      .filter(({ line }) => line.includes("req.user!"))
      .map(({ f, i }) => `${f}:${i + 1}`);
    expect(offenders).toEqual([]);
  });
});
