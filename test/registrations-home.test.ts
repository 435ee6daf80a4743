import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import { addRegistration, addReport, newYear, type TestAgency, type TestYear } from "./factories.js";
import { addDays } from "../src/lib/dates.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
const JUNE_5 = new Date("2022-06-05T09:00:00+07:00");
let clock = JUNE_5;
let app: ReturnType<typeof createTestApp>;
/** The file's 2022 (from the template): each test acts on a member of its own (see `of`); none has sent anything yet. */
let y: TestYear;

/** The members of the file's year and the test that uses each (the head and the deputy only make up the year). */
const MEMBERS = ["head", "deputy", "refused", "registers", "reviewed", "guarded", "intruder", "returned", "overdue"] as const;
const of = (role: (typeof MEMBERS)[number]): TestAgency => y.agencies[MEMBERS.indexOf(role)]!;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db, { now: () => clock });
  y = await newYear(db, { year: 2022, agencies: MEMBERS.length });
});
afterAll(() => database.close());
// Every test starts on 05/06/2022; the ones that need another day set it.
beforeEach(() => {
  clock = JUNE_5;
});

/** 09:00 (Vietnam time) on the local day `day` (YYYY-MM-DD). */
const at = (day: string) => new Date(`${day}T09:00:00+07:00`);
/** A date as the pages write it: 2022-06-15 → 15/06/2022. */
const vnDate = (iso: string) => iso.split("-").reverse().join("/");
const registrationUrl = (agency: TestAgency) => `${y.Y}/registration/${agency.code}`;

const registration = (agency: TestAgency) => db("registrations").where({ year_id: y.yearId, agency_id: agency.id }).first();

/** `agency`'s clerk, 3 days after the registration's due date, sends a registration of two titles signed by the head. */
async function register(agency: TestAgency) {
  clock = at(addDays(y.registrationDueOn, 3));
  const clerk = await loginAs(app, agency.clerk);
  return postForm(clerk, registrationUrl(agency), registrationUrl(agency), {
    action: "submit", titles: ["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"], targets: "Thi hành xong 85% số việc có điều kiện.",
    signerName: "Nguyễn Văn A", signerPosition: "Cục trưởng",
  });
}

describe("registration (đăng ký thi đua)", () => {
  it("submitting without titles, targets and signer is refused beside each field; the typed text is kept", async () => {
    const agency = of("refused");
    const clerk = await loginAs(app, agency.clerk);
    const res = await postForm(clerk, registrationUrl(agency), registrationUrl(agency), { action: "submit", targets: "Giữ lại nội dung này" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng chọn ít nhất một danh hiệu đăng ký.");
    expect(res.text).toContain("Vui lòng nhập họ tên thủ trưởng ký đăng ký.");
    expect(res.text).toContain("Giữ lại nội dung này");
    expect(await registration(agency)).toBeUndefined();
  });

  it("a clerk registers titles and targets signed by the head; late days count from the due date", async () => {
    const agency = of("registers");
    const res = await register(agency);
    expect(res.status).toBe(303);
    const row = await registration(agency);
    expect(row.status).toBe("submitted");
    expect(row.late_days).toBe(3);
    expect(row.signer_name).toBe("Nguyễn Văn A");
    expect(row.content.titles).toEqual(["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"]);
  });

  it("the secretariat returns it with a comment and accepts it after correction", async () => {
    const agency = of("reviewed");
    const url = registrationUrl(agency);
    expect((await register(agency)).status).toBe(303);
    const sec = await loginAs(app, y.secretariat);
    const page = await sec.get(url);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const res = await sec.post(`${url}/review`).type("form").send({ _csrf: csrfFrom(page.text), action: "return", comment: "Ghi rõ chỉ tiêu về thu hồi tiền.", version });
    expect(res.status).toBe(303);
    const clerk = await loginAs(app, agency.clerk);
    const home = await clerk.get("/");
    expect(home.text).toContain("Ghi rõ chỉ tiêu về thu hồi tiền.");
    const form = await clerk.get(url);
    const again = await clerk.post(url).type("form").send({
      _csrf: csrfFrom(form.text), version: /name="version" value="(\d+)"/.exec(form.text)![1]!,
      action: "submit", titles: "Cờ thi đua của UBND tỉnh", targets: "Thu hồi 70% số tiền.", signerName: "Nguyễn Văn A", signerPosition: "Cục trưởng",
    });
    expect(again.status).toBe(303);
    const p2 = await sec.get(url);
    const v2 = /name="version" value="(\d+)"/.exec(p2.text)![1]!;
    await sec.post(`${url}/review`).type("form").send({ _csrf: csrfFrom(p2.text), action: "accept", version: v2 });
    expect((await registration(agency)).status).toBe("accepted");
    const list = await sec.get(`${y.Y}/registrations`);
    expect(list.text).toContain(agency.name);
    expect(list.text).toContain("Đã tiếp nhận");
  });

  it("another agency's clerk gets 404, the leader cannot review (403)", async () => {
    // A registration sent and waiting for review: what the others must not reach.
    const agency = of("guarded");
    await addRegistration(db, y, { agency });
    const url = registrationUrl(agency);
    const other = await loginAs(app, of("intruder").clerk);
    expect((await other.get(url)).status).toBe(404);
    expect((await postForm(other, "/", url, { action: "save" })).status).toBe(404);
    expect((await other.get(`${y.Y}/registrations`)).status).toBe(404);
    const leader = await loginAs(app, y.leader);
    expect((await leader.get(url)).status).toBe(200);
    const { version } = await registration(agency);
    expect((await postForm(leader, "/", `${url}/review`, { action: "accept", version: String(version) })).status).toBe(403);
    expect((await registration(agency)).status).toBe("submitted");
  });
});

describe("the clerk's home page", () => {
  it("shows what is due, by when, in what state, with the returned comment first", async () => {
    // Its 6-month report returned with a comment; its registration not sent (overdue, so it would
    // come first were the returned report not put before everything).
    const agency = of("returned");
    const period1 = y.periods.find((p) => p.number === 1)!;
    const comment = "Đề nghị bổ sung số liệu kết quả thực hiện phong trào phòng, chống Covid-19";
    await addReport(db, y, { agency, period: 1, status: "returned", on: addDays(period1.dueOn, -15), comment });
    clock = at(addDays(period1.dueOn, -10));
    const clerk = await loginAs(app, agency.clerk);
    const res = await clerk.get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Việc cần làm");
    expect(res.text).toContain(agency.name);
    const todo = /<ul class="todo">([\s\S]*?)<\/ul>/.exec(res.text)![1]!;
    // the returned 6-month report comes first, with the secretariat's comment
    expect(todo.indexOf("Báo cáo sơ kết 6 tháng")).toBeLessThan(todo.indexOf("Báo cáo tổng kết năm") === -1 ? Infinity : todo.indexOf("Báo cáo tổng kết năm"));
    const first = /<li[^>]*>([\s\S]*?)<\/li>/.exec(todo)![1]!;
    expect(first).toContain("Báo cáo sơ kết 6 tháng");
    expect(first).toContain(comment);
    expect(res.text).toContain(vnDate(period1.dueOn));
    expect(res.text).toContain("còn 10 ngày");
    expect(res.text).toContain(`${y.Y}/periods/1/reports/${agency.code}`);
  });

  it("counts overdue days for what is not sent", async () => {
    const annual = y.periods.find((p) => p.kind === "annual")!;
    clock = at(addDays(annual.dueOn, 5));
    const clerk = await loginAs(app, of("overdue").clerk);
    const res = await clerk.get("/");
    expect(res.text).toMatch(/Báo cáo tổng kết năm<\/a>[\s\S]*?quá hạn 5 ngày/);
  });
});
