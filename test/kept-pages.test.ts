import { beforeAll, describe, expect, it } from "vitest";
import { useTestPortal } from "./portal.js";
import { postForm } from "./http.js";
import { addReport, addSheet, newYear, type TestAgency, type TestYear } from "./factories.js";

// Issue 16: parts of pages made only from a year's rows are built and rendered once per revision of the
// year (and day, where lateness shows). These tests read one revision as several readers and then change
// it, and check each reader gets their own page and every change shows on the next visit.
const selfInputs = (html: string) => [...html.matchAll(/name="(p_\d+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]] as const);

describe("a score sheet's criteria table, kept per revision", () => {
  const portal = useTestPortal({ now: () => new Date("2022-12-14T10:00:00+07:00") });
  let y: TestYear;
  /** A draft sheet with item 1.1 short of its maximum. */
  let drafter: TestAgency;
  /** A sheet sent, waiting for review. */
  let sender: TestAgency;
  let SHEET: string;
  beforeAll(async () => {
    y = await newYear(portal.db, { year: 2022, agencies: 4 });
    [, , drafter, sender] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency];
    await addSheet(portal.db, y, { agency: drafter, status: "draft", self: { "1.1": "35" } });
    await addSheet(portal.db, y, { agency: sender, status: "submitted", on: "2022-12-13" });
    SHEET = `${y.Y}/sheets/${drafter.code}`;
  });

  it("when the agency's clerk and the secretariat read the same draft sheet, then only the clerk gets the fields; a saved entry shows on the next visit", async () => {
    const clerk = await portal.login(drafter.clerk);
    const secretariat = await portal.login(y.secretariat);
    const first = (await clerk.get(SHEET)).text;
    const fields = selfInputs(first);
    expect(fields.length).toBeGreaterThan(3);

    // The secretariat reads the draft as it stands: no field of the clerk's, whatever was kept for the clerk.
    const read = await secretariat.get(SHEET);
    expect(read.status).toBe(200);
    expect(selfInputs(read.text)).toEqual([]);
    expect(read.text).toContain(`Bảng chấm điểm của ${drafter.name}`);
    // And the clerk's form is still the clerk's.
    expect(selfInputs((await clerk.get(SHEET)).text)).toEqual(fields);

    // A new entry for the first field (a write to the year: its revision moves on).
    const [name] = fields[0]!;
    const criterionId = Number(name!.slice(2));
    const sheet = await portal.db("score_sheets").where({ year_id: y.yearId, agency_id: drafter.id }).first("id");
    const entry = await portal.db("score_entries").where({ sheet_id: sheet.id, criterion_id: criterionId }).first();
    const max = (await portal.db("criteria").where({ id: criterionId }).first("max_points")).max_points as string;
    if (entry) await portal.db("score_entries").where({ id: entry.id }).update({ self_points: max });
    else await portal.db("score_entries").insert({ sheet_id: sheet.id, criterion_id: criterionId, self_points: max });
    const after = selfInputs((await clerk.get(SHEET)).text);
    expect(fields[0]![1]).not.toBe(String(Number(max)).replace(".", ",")); // a change, not the value kept
    expect(after[0]![1]).toBe(String(Number(max)).replace(".", ","));
    expect(after.slice(1)).toEqual(fields.slice(1));
  });

  it("when the secretariat reviews a sent sheet and the leader reads it, then only the secretariat gets the review fields (same columns, another mode)", async () => {
    const sent = `${y.Y}/sheets/${sender.code}`;
    const reviewFields = (html: string) => [...html.matchAll(/name="(b_\d+)"/g)].map((m) => m[1]);
    const secretariat = await portal.login(y.secretariat);
    const leader = await portal.login(y.leader);
    const review = reviewFields((await secretariat.get(sent)).text);
    expect(review.length).toBeGreaterThan(3);
    const read = (await leader.get(sent)).text;
    expect(read).toContain("Điểm Khối chấm");
    expect(reviewFields(read)).toEqual([]);
    expect(reviewFields((await secretariat.get(sent)).text)).toEqual(review);
  });
});

describe("a report's text fields, kept per revision", () => {
  const portal = useTestPortal({ now: () => new Date("2022-07-01T10:00:00+07:00") });
  let drafter: TestAgency;
  let REPORT: string;
  beforeAll(async () => {
    const y = await newYear(portal.db, { year: 2022, agencies: 3 });
    drafter = y.agencies[2]!;
    // A 6-month report its clerk has drafted (past its due date: still theirs to write).
    await addReport(portal.db, y, { agency: drafter, period: 1, status: "draft", on: "2022-06-10" });
    REPORT = `${y.Y}/periods/1/reports/${drafter.code}`;
  });
  const textOf = (html: string, name: string) => new RegExp(`name="${name.replace(/\./g, "\\.")}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];

  it("when the clerk saves, then is refused, then reloads, then each page shows what it should: saved, typed with the error, saved again", async () => {
    const clerk = await portal.login(drafter.clerk);
    const first = (await clerk.get(REPORT)).text;
    expect(textOf(first, "general")).toBeDefined();

    const saved = await postForm(clerk, REPORT, REPORT, { action: "save", "s.PT1.done": "Đã phổ biến kế hoạch tới toàn thể cán bộ", general: "Kết quả đã lưu" });
    expect(saved.status).toBe(303);
    const afterSave = (await clerk.get(REPORT)).text;
    expect(textOf(afterSave, "s.PT1.done")).toBe("Đã phổ biến kế hoạch tới toàn thể cán bộ");
    expect(textOf(afterSave, "general")).toBe("Kết quả đã lưu");

    // Sending without the general results is refused: the typed text comes back beside the error, unsaved.
    const refused = await postForm(clerk, REPORT, REPORT, { action: "submit", "s.PT1.done": "Nội dung gõ dở", general: "" });
    expect(refused.status).toBe(422);
    expect(textOf(refused.text, "s.PT1.done")).toBe("Nội dung gõ dở");
    expect(refused.text).toContain('id="general-error"');

    const reloaded = (await clerk.get(REPORT)).text;
    expect(textOf(reloaded, "s.PT1.done")).toBe("Đã phổ biến kế hoạch tới toàn thể cán bộ");
    expect(textOf(reloaded, "general")).toBe("Kết quả đã lưu");
    expect(reloaded).not.toContain('id="general-error"');
  });
});
