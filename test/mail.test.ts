// E-mail of notifications against a real SMTP server started inside the test (smtp-server).
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import knex, { type Knex } from "knex";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { createTestDatabase, onPostgres } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { createServices } from "../src/services.js";
import type { Database } from "../src/db/database.js";
import { mailSender, smtpTransport, CLAIM_LEASE_MS } from "../src/notifications/mail-sender.js";
import { MAX_MAIL_ATTEMPTS } from "../src/notifications/backoff.js";
import { freshPgDatabase, spawnPortal, twoPorts, type PortalProcess } from "./reliability-support.js";
import { addAccount, addRankedMembers, addReport, newYear, type TestAgency, type TestYear } from "./factories.js";
import { addDays } from "../src/lib/dates.js";

interface Received {
  to: string[];
  mail: ParsedMail;
}

/** A local SMTP server that keeps what it receives; `down` makes it refuse every connection. */
async function startSmtpServer() {
  const received: Received[] = [];
  const state = { down: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect(_session, callback) {
      if (!state.down) return callback();
      const err = Object.assign(new Error("Dịch vụ thư tạm ngừng"), { responseCode: 421 });
      callback(err);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const MAIL = { enabled: true, publicUrl: "https://thidua.example.vn" };

let database: Database;
let db: Knex;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const JUNE_16 = new Date("2022-06-16T09:00:00+07:00");
let clock = JUNE_16;
const now = () => clock;
let app: ReturnType<typeof createTestApp>;
/** The file's 2022 (from the template): each test below mails the clerk of a member of its own (see `of`). */
let y: TestYear;

/** The members of the file's year and the test that uses each (the head only looks on: the deputy's reviewer reviews its reports). */
const MEMBERS = ["bystander", "returned", "restart", "quiet", "noAddress", "rollback", "outage", "fails", "abandoned"] as const;
const of = (role: (typeof MEMBERS)[number]): TestAgency => y.agencies[MEMBERS.indexOf(role)]!;
/** Its address, as the factory gives every account one. */
const mailOf = (username: string) => `${username}@tuyenquang.example`;
const ADMIN = "quantri.mail";

function newSender(k: Knex = db, batchSize = 20) {
  return mailSender({ outbox: createServices(k, { now, mail: MAIL }).outbox, transport: smtpTransport(smtp.url), from: "Cổng thi đua <thidua@example.vn>", messageIdDomain: "thidua.example.vn", now, batchSize });
}

/** The outbox's last message so far: a test reads what it queued after it. */
const lastOutboxId = async (): Promise<number> => Number((await db("mail_outbox").max({ id: "id" }).first())?.id ?? 0);
/** The statuses of the messages queued after `since` (a `lastOutboxId()`), oldest first. */
const outboxStatuses = async (since: number) => (await db("mail_outbox").where("id", ">", since).orderBy("id").select("status")).map((r: { status: string }) => r.status);

beforeAll(async () => {
  smtp = await startSmtpServer();
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db, { now, mail: MAIL });
  y = await newYear(db, { year: 2022, agencies: MEMBERS.length });
  await addAccount(db, { username: ADMIN, role: "admin", fullName: "Quản trị (thư)" });
});
afterAll(async () => {
  await database.close();
  await smtp.close();
});
// Every test starts on 16/06/2022 with the SMTP server up; each leaves no message waiting.
beforeEach(() => {
  smtp.state.down = false;
  clock = JUNE_16;
});

describe("e-mail of an event", () => {
  it("when a report is returned, then one Vietnamese UTF-8 message goes to that agency's clerk with the comment and a link", async () => {
    const agency = of("returned");
    await addReport(db, y, { agency, period: 1, status: "submitted", on: addDays(y.periods[0]!.dueOn, -1) });
    const since = await lastOutboxId();
    const received = smtp.received.length;
    const sec = await loginAs(app, y.secretariat);
    const url = `${y.Y}/periods/1/reports/${agency.code}`;
    expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Đề nghị bổ sung số liệu về cải cách hành chính." })).status).toBe(303);
    expect(await outboxStatuses(since)).toEqual(["pending"]);

    const outcome = await newSender().runOnce();
    expect(outcome).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received.slice(received)).toHaveLength(1);
    const [{ to, mail }] = smtp.received.slice(received) as [Received];
    expect(to).toEqual([mailOf(agency.clerk)]);
    expect(mail.subject).toBe(`[Cổng thi đua] Bị trả lại: Báo cáo “${y.periods[0]!.title}”`);
    expect(mail.text).toContain("Kính gửi");
    expect(mail.text).toContain("“Đề nghị bổ sung số liệu về cải cách hành chính.”");
    expect(mail.text).toContain(`Xem chi tiết: https://thidua.example.vn${url}`);
    expect(mail.from?.text).toContain("Cổng thi đua");
    expect((mail.headers.get("content-type") as { params: { charset: string } }).params.charset.toLowerCase()).toBe("utf-8");
    expect(mail.messageId).toMatch(/^<outbox-\d+@thidua\.example\.vn>$/);
    expect(await outboxStatuses(since)).toEqual(["sent"]);
  });

  it("when the portal restarts (a new sender), then nothing already sent goes again", async () => {
    // A message of its own, sent before the restart.
    const services = createServices(db, { now, mail: MAIL });
    await db.transaction((trx) => services.notifications.notifyAgency(trx, of("restart").id, { kind: "accepted", eventKey: "test:restart", title: "Thử", body: "Thử", link: "/" }));
    expect(await newSender().runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const before = smtp.received.length;
    expect(await newSender().runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(before);
  });

  it("when a user turned e-mails off or has no address, then the portal tells them but no e-mail is queued", async () => {
    const since = await lastOutboxId();
    const [quiet, noAddress] = [of("quiet"), of("noAddress")];
    await db("users").where({ username: quiet.clerk }).update({ email_notifications: false });
    await db("users").where({ username: noAddress.clerk }).update({ email: null });
    const services = createServices(db, { now, mail: MAIL });
    const draft = { kind: "accepted" as const, eventKey: "test:quiet", title: "Thử", body: "Thử", link: "/" };
    await db.transaction(async (trx) => {
      await services.notifications.notifyAgency(trx, quiet.id, draft);
      await services.notifications.notifyAgency(trx, noAddress.id, draft);
    });
    expect(await db("notifications").where({ event_key: "test:quiet" }).count({ n: "*" }).first()).toMatchObject({ n: 2 });
    expect(await outboxStatuses(since)).toEqual([]);
  });

  it("when the change that caused the event rolls back, then neither the notification nor its e-mail remain", async () => {
    const since = await lastOutboxId();
    const services = createServices(db, { now, mail: MAIL });
    await expect(
      db.transaction(async (trx) => {
        await services.notifications.notifyAgency(trx, of("rollback").id, { kind: "accepted", eventKey: "test:rollback", title: "Thử", body: "Thử", link: "/" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db("notifications").where({ event_key: "test:rollback" }).first()).toBeUndefined();
    expect(await outboxStatuses(since)).toEqual([]);
  });
});

describe("SMTP outage", () => {
  it("when the SMTP server is down, then the message waits and is retried with backoff, then delivered once", async () => {
    const agency = of("outage");
    await addReport(db, y, { agency, period: 1, status: "submitted", on: addDays(y.periods[0]!.dueOn, -1) });
    const sec = await loginAs(app, y.secretariat);
    const url = `${y.Y}/periods/1/reports/${agency.code}`;
    expect((await postForm(sec, url, `${url}/review`, { action: "accept" })).status).toBe(303);
    const before = smtp.received.length;

    smtp.state.down = true;
    const sender = newSender();
    expect(await sender.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const row = await db("mail_outbox").orderBy("id", "desc").first();
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.last_error).toBeTruthy();
    expect(new Date(row.next_attempt_at).getTime()).toBe(clock.getTime() + 30_000);

    smtp.state.down = false;
    expect(await sender.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet
    clock = new Date(clock.getTime() + 31_000);
    expect(await sender.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received.length).toBe(before + 1);
    expect(smtp.received.at(-1)!.to).toEqual([mailOf(agency.clerk)]);
    expect(smtp.received.at(-1)!.mail.subject).toContain("Đã tiếp nhận");
    expect(await sender.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received.length).toBe(before + 1);
  });

  it("when every attempt fails, then the message is marked failed, the admin sees why and may send it again", async () => {
    const services = createServices(db, { now, mail: MAIL });
    await db.transaction((trx) => services.notifications.notifyAgency(trx, of("fails").id, { kind: "accepted", eventKey: "test:fails", title: "Thư sẽ lỗi", body: "Thử", link: "/" }));
    smtp.state.down = true;
    const sender = newSender();
    for (let i = 1; i <= MAX_MAIL_ATTEMPTS; i++) {
      await sender.runOnce();
      clock = new Date(clock.getTime() + 2 * 60 * 60_000);
    }
    const row = await db("mail_outbox").orderBy("id", "desc").first();
    expect(row).toMatchObject({ status: "failed", attempts: MAX_MAIL_ATTEMPTS });

    const admin = await loginAs(app, ADMIN);
    const page = await admin.get("/admin/mail");
    expect(page.status).toBe(200);
    expect(page.text).toContain("[Cổng thi đua] Thư sẽ lỗi");
    expect(page.text).toContain(mailOf(of("fails").clerk));
    expect(page.text).toContain("Lỗi");
    expect(page.text).toContain("Dịch vụ thư tạm ngừng");

    smtp.state.down = false;
    expect((await postForm(admin, "/admin/mail", `/admin/mail/${row.id}/retry`, {})).status).toBe(303);
    expect(await sender.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received.at(-1)!.mail.subject).toBe("[Cổng thi đua] Thư sẽ lỗi");
    expect((await postForm(admin, "/admin/mail", `/admin/mail/${row.id}/retry`, {})).status).toBe(409);
  });

  it("when a sender stopped while handing a message to SMTP, then the message is marked failed, never sent twice on its own", async () => {
    const services = createServices(db, { now, mail: MAIL });
    await db.transaction((trx) => services.notifications.notifyAgency(trx, of("abandoned").id, { kind: "accepted", eventKey: "test:abandoned", title: "Thư dở dang", body: "Thử", link: "/" }));
    const row = await db("mail_outbox").orderBy("id", "desc").first();
    await db("mail_outbox").where({ id: row.id }).update({ status: "sending", attempts: 1, claimed_by: "stopped-process", claimed_at: clock });
    const before = smtp.received.length;
    expect(await newSender().runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect((await db("mail_outbox").where({ id: row.id }).first()).status).toBe("sending"); // its lease still runs
    clock = new Date(clock.getTime() + CLAIM_LEASE_MS + 1000);
    await newSender().runOnce();
    const after = await db("mail_outbox").where({ id: row.id }).first();
    expect(after.status).toBe("failed");
    expect(after.last_error).toContain("không rõ thư đã đi hay chưa");
    expect(smtp.received.length).toBe(before);
  });
});

// Publishing locks the year: on a ranked year of its own (another bloc's), in the file's database.
describe("two senders on one database", () => {
  it("when two senders, each with its own connection pool, send at once, then each message is delivered exactly once", async () => {
    const own = await newYear(db, { year: 2022, agencies: 6 });
    await addRankedMembers(db, own, own.agencies.map((agency, i) => ({ agency, shortfall: i, votes: 6 - i })), { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 6 });
    const since = await lastOutboxId();
    // Every member of the year is told but the leader who publishes: one message each.
    const leader = await loginAs(app, own.leader);
    expect((await postForm(leader, `${own.Y}/ranking/publish`, `${own.Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    const queued: { id: number; to_address: string }[] = await db("mail_outbox").where("id", ">", since).where({ status: "pending" }).select("id", "to_address");
    expect(queued.length).toBeGreaterThanOrEqual(8);
    expect(queued.map((q) => q.to_address).sort()).toEqual([own.secretariat, own.deputyReviewer, ...own.agencies.map((a) => a.clerk)].map(mailOf).sort());
    const before = smtp.received.length;

    // On PostgreSQL the second sender has its own connection pool, as another process would;
    // PGlite has one connection and one process, so both senders share it there.
    const other: Knex | null = onPostgres() ? knex({ client: "pg", connection: db.client.config.connection, pool: { min: 0, max: 3 } }) : null;
    try {
      const a = newSender(db, 3);
      const b = newSender(other ?? db, 3);
      const sentBy = { a: 0, b: 0 };
      for (let pass = 0; pass < 10; pass++) {
        const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
        sentBy.a += ra.sent;
        sentBy.b += rb.sent;
        if (ra.sent + rb.sent === 0) break;
      }
      // Both took part: the batches (3) are smaller than the queue.
      expect(sentBy.a).toBeGreaterThan(0);
      expect(sentBy.b).toBeGreaterThan(0);
    } finally {
      await other?.destroy();
    }
    const delivered = smtp.received.slice(before).flatMap((r) => r.to);
    expect(delivered.sort()).toEqual(queued.map((q) => q.to_address).sort());
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(await db("mail_outbox").where({ status: "pending" }).count({ n: "*" }).first()).toMatchObject({ n: 0 });
  });
});

describe("reminders by e-mail", () => {
  it("when a reminder falls due, then its e-mail is queued with it and sent once", async () => {
    // A year of its own whose December no other year of the database shares (the job reads every
    // bloc): the head's annual report accepted, the deputy's a draft; 7 days before its due date.
    const r = await newYear(db, { year: 2031, agencies: 2 });
    const [done, late] = r.agencies as [TestAgency, TestAgency];
    const annual = r.periods.find((p) => p.kind === "annual")!;
    await addReport(db, r, { agency: done, period: annual.number, status: "accepted", on: addDays(annual.dueOn, -20) });
    await addReport(db, r, { agency: late, period: annual.number, status: "draft", on: addDays(annual.dueOn, -20) });
    clock = new Date(`${addDays(annual.dueOn, -7)}T08:00:00+07:00`);
    const services = createServices(db, { now, mail: MAIL });
    const created = await services.reminders.run();
    expect(created).toBe(1);
    const before = smtp.received.length;
    await newSender().runOnce();
    const mails = smtp.received.slice(before);
    expect(mails.every((m) => m.mail.subject?.startsWith("[Cổng thi đua] Sắp đến hạn"))).toBe(true);
    expect(mails.map((m) => m.to[0])).toEqual([mailOf(late.clerk)]);
    expect(mails.find((m) => m.to[0] === mailOf(late.clerk))!.mail.subject).toBe(`[Cổng thi đua] Sắp đến hạn (còn 7 ngày): Báo cáo “${annual.title}”`);
    expect(await services.reminders.run()).toBe(0);
    await newSender().runOnce();
    expect(smtp.received.length).toBe(before + mails.length);
  });
});

describe.skipIf(!onPostgres())("two real portal processes on one PostgreSQL (PostgreSQL run only)", () => {
  let portals: PortalProcess[] = [];
  let pg: { url: string; drop(): Promise<void> };
  let k: Knex;
  afterAll(async () => {
    for (const p of portals) {
      if (p.child.exitCode === null) {
        p.child.kill("SIGTERM");
        await p.exited;
      }
    }
    await k?.destroy();
    await pg?.drop();
  });

  /** Waits (bounded) until the outbox has nothing left to send. */
  async function drained(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const left = await k("mail_outbox").whereIn("status", ["pending", "sending"]).count({ n: "*" }).first();
      if (Number(left?.n) === 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("the outbox was not drained");
  }

  /** The database's one year (its bloc's 2022 from the template, 7 members): everyone of it told of `eventKey`. */
  let theYear: TestYear;
  const queueFor = async (eventKey: string) => {
    const services = createServices(k, { mail: { enabled: true, publicUrl: "http://localhost" } });
    const year = await k("emulation_years").where({ id: theYear.yearId }).first("id", "bloc_id");
    return k.transaction((trx) => services.notifications.notifyYear(trx, { blocId: year.bloc_id, yearId: year.id }, { kind: "ranking_published", eventKey, title: `Thử ${eventKey}`, body: "Thử gửi thư.", link: "/" }));
  };

  it("when both deliver the same outbox, then every message arrives once, and a restart sends none again", async () => {
    pg = await freshPgDatabase();
    k = knex({ client: "pg", connection: pg.url, pool: { min: 0, max: 2 } });
    // 10 people to tell (its secretariat, the deputy's reviewer, its leader and 7 clerks): 50 messages.
    theYear = await newYear(k, { year: 2022, agencies: 7 });
    let queued = 0;
    for (let i = 0; i < 5; i++) queued += await queueFor(`two-processes:${i}`);
    expect(queued).toBeGreaterThanOrEqual(40);
    const before = smtp.received.length;

    const env = { DATABASE_URL: pg.url, SMTP_URL: smtp.url, MAIL_FROM: "Cổng thi đua <thidua@localhost>" };
    const [pa, pb] = await twoPorts([3191, 3192]);
    portals = await Promise.all([spawnPortal(env, pa), spawnPortal(env, pb)]);
    await drained();
    const delivered = smtp.received.slice(before).map((r) => `${r.to[0]} ${r.mail.subject}`);
    expect(delivered).toHaveLength(queued);
    expect(new Set(delivered).size).toBe(queued);
    expect(await k("mail_outbox").where({ status: "sent" }).count({ n: "*" }).first()).toMatchObject({ n: queued });

    // Restart one process; a message queued afterwards proves its sender ran, and nothing old came again.
    portals[0]!.child.kill("SIGTERM");
    expect(await portals[0]!.exited).toBe(0);
    portals[0] = await spawnPortal(env, pa);
    const more = await queueFor("two-processes:after-restart");
    await drained();
    expect(smtp.received.length - before).toBe(queued + more);
  }, 120_000);
});
