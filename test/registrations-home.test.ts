import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
const JUNE_5 = new Date("2022-06-05T09:00:00+07:00");
let clock = JUNE_5;
let app: ReturnType<typeof createTestApp>;
const Y = "/blocs/noichinh-tq/years/2022";

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  app = createTestApp(db, { now: () => clock });
});
afterAll(() => database.close());
// Every test starts on 05/06/2022; the ones that need another day set it.
beforeEach(() => {
  clock = JUNE_5;
});

const registration = (code: string) =>
  db("registrations as r").join("agencies as a", "a.id", "r.agency_id").where("a.code", code).first("r.*");

/** thads has no registration yet (the demo's is removed), as before its clerk first writes one. */
async function noRegistrationOfThads() {
  await db("registrations").where({ agency_id: (await db("agencies").where({ code: "thads" }).first("id")).id }).del();
}

/** thads's clerk, on 03/03/2022 (due 28/02/2022), sends a registration of two titles signed by the head. */
async function registerThads() {
  clock = new Date("2022-03-03T09:00:00+07:00");
  const clerk = await loginAs(app, "canbo.thads");
  return postForm(clerk, `${Y}/registration/thads`, `${Y}/registration/thads`, {
    action: "submit", titles: ["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"], targets: "Thi hành xong 85% số việc có điều kiện.",
    signerName: "Nguyễn Văn A", signerPosition: "Cục trưởng",
  });
}

describe("registration (đăng ký thi đua)", () => {
  it("submitting without titles, targets and signer is refused beside each field; the typed text is kept", async () => {
    await noRegistrationOfThads();
    const clerk = await loginAs(app, "canbo.thads");
    const res = await postForm(clerk, `${Y}/registration/thads`, `${Y}/registration/thads`, { action: "submit", targets: "Giữ lại nội dung này" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng chọn ít nhất một danh hiệu đăng ký.");
    expect(res.text).toContain("Vui lòng nhập họ tên thủ trưởng ký đăng ký.");
    expect(res.text).toContain("Giữ lại nội dung này");
    expect(await registration("thads")).toBeUndefined();
  });

  it("a clerk registers titles and targets signed by the head; late days count from the due date", async () => {
    await noRegistrationOfThads();
    const res = await registerThads();
    expect(res.status).toBe(303);
    const row = await registration("thads");
    expect(row.status).toBe("submitted");
    expect(row.late_days).toBe(3);
    expect(row.signer_name).toBe("Nguyễn Văn A");
    expect(row.content.titles).toEqual(["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"]);
  });

  it("the secretariat returns it with a comment and accepts it after correction", async () => {
    await noRegistrationOfThads();
    expect((await registerThads()).status).toBe(303);
    const sec = await loginAs(app, "thuongtruc");
    const page = await sec.get(`${Y}/registration/thads`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const res = await sec.post(`${Y}/registration/thads/review`).type("form").send({ _csrf: csrfFrom(page.text), action: "return", comment: "Ghi rõ chỉ tiêu về thu hồi tiền.", version });
    expect(res.status).toBe(303);
    const clerk = await loginAs(app, "canbo.thads");
    const home = await clerk.get("/");
    expect(home.text).toContain("Ghi rõ chỉ tiêu về thu hồi tiền.");
    const form = await clerk.get(`${Y}/registration/thads`);
    const again = await clerk.post(`${Y}/registration/thads`).type("form").send({
      _csrf: csrfFrom(form.text), version: /name="version" value="(\d+)"/.exec(form.text)![1]!,
      action: "submit", titles: "Cờ thi đua của UBND tỉnh", targets: "Thu hồi 70% số tiền.", signerName: "Nguyễn Văn A", signerPosition: "Cục trưởng",
    });
    expect(again.status).toBe(303);
    const p2 = await sec.get(`${Y}/registration/thads`);
    const v2 = /name="version" value="(\d+)"/.exec(p2.text)![1]!;
    await sec.post(`${Y}/registration/thads/review`).type("form").send({ _csrf: csrfFrom(p2.text), action: "accept", version: v2 });
    expect((await registration("thads")).status).toBe("accepted");
    const list = await sec.get(`${Y}/registrations`);
    expect(list.text).toContain("Cục Thi hành án dân sự tỉnh Tuyên Quang");
    expect(list.text).toContain("Đã tiếp nhận");
  });

  it("another agency's clerk gets 404, the leader cannot review (403)", async () => {
    const other = await loginAs(app, "canbo.congan");
    expect((await other.get(`${Y}/registration/thads`)).status).toBe(404);
    expect((await postForm(other, "/", `${Y}/registration/thads`, { action: "save" })).status).toBe(404);
    expect((await other.get(`${Y}/registrations`)).status).toBe(404);
    const leader = await loginAs(app, "lanhdao");
    expect((await leader.get(`${Y}/registration/thads`)).status).toBe(200);
    expect((await postForm(leader, "/", `${Y}/registration/thads/review`, { action: "accept", version: "1" })).status).toBe(403);
  });
});

describe("the clerk's home page", () => {
  it("shows what is due, by when, in what state, with the returned comment first", async () => {
    const clerk = await loginAs(app, "canbo.vks");
    const res = await clerk.get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Việc cần làm");
    expect(res.text).toContain("Viện kiểm sát nhân dân tỉnh Tuyên Quang");
    const todo = /<ul class="todo">([\s\S]*?)<\/ul>/.exec(res.text)![1]!;
    // the returned 6-month report comes first, with the secretariat's comment
    expect(todo.indexOf("Báo cáo sơ kết 6 tháng")).toBeLessThan(todo.indexOf("Báo cáo tổng kết năm") === -1 ? Infinity : todo.indexOf("Báo cáo tổng kết năm"));
    expect(todo).toContain("Đề nghị bổ sung số liệu kết quả thực hiện phong trào phòng, chống Covid-19");
    expect(res.text).toContain("15/06/2022");
    expect(res.text).toContain("còn 10 ngày");
    expect(res.text).toContain(`${Y}/periods/1/reports/vks`);
  });

  it("counts overdue days for what is not sent", async () => {
    clock = new Date("2022-12-20T09:00:00+07:00");
    const clerk = await loginAs(app, "canbo.thads");
    const res = await clerk.get("/");
    expect(res.text).toMatch(/Báo cáo tổng kết năm<\/a>[\s\S]*?quá hạn 5 ngày/);
  });
});
