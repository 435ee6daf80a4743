// Issue 14 over HTTP: conflicts of interest refused, ties left to the meeting, self-votes, the published
// ranking frozen (and recomputed after reopening), the checklist before publication, the meeting's
// ranking kept for the minutes, and "why this rank".
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { useTestPortal } from "./portal.js";
import { binary, postForm, type Agent } from "./http.js";
import { expectInOrder } from "./text.js";
import {
  addAccount, addBallotMeeting, addRegistration, addReport, addSheet, localTime, newYear, sendEverythingOnTime, setPlan,
  type TestAgency, type TestYear,
} from "./factories.js";
import { rankingCommand } from "../src/ranking/ranking-command.js";
import { createUserCommand } from "../src/users/create-user-command.js";
import { createServices } from "../src/services.js";
import { addDays, formatDate } from "../src/lib/dates.js";
import { formatPoints } from "../src/scoring/points.js";

const stdinWith = (input: string) => Object.assign(Readable.from([input]), { isTTY: false }) as unknown as NodeJS.ReadStream;

const NOW = new Date("2023-01-12T10:00:00+07:00");
const DISCIPLINE = "Một công chức bị xử lý kỷ luật cảnh cáo, vượt tỷ lệ cho phép của ngành"; // as the reviewer writes it (the pages join reasons with their own stops)

/**
 * A 2022 at its review meeting, two days after it, its members named after the demo's agencies they
 * stand in for (the year's order: the head `bchqs`, the deputy `congan`, then the others). On the
 * template's score sheet (100 points on the standard items; 1 point off per late or never-sent
 * report once reviewed; 2 per disciplinary case):
 * - `congan` 97 (3 short on item 1.1), `bchqs` 95 (5 short), `vks` 93 (7 short; with `twins`, 3
 *   short like congan: the same points, sent at the same instants), `toaan` 89 (11 short):
 *   everything sent on time, sheets reviewed;
 * - `stp` 83: 14 short, one disciplinary case (−2, its classification capped, `DISCIPLINE`) and its
 *   6-month report never sent (−1 once reviewed);
 * - `thanhtra`: its reports sent on time but not yet accepted, its sheet sent (94), not reviewed;
 * - `thads`: its registration sent late, no score sheet at all.
 * The meeting of 10/01/2023 (7 valid ballots, self-votes allowed) gave congan 6, bchqs 5, vks 5,
 * toaan 4, stp 3: the flag to congan (at least 2/3), the two certificates to bchqs and vks.
 */
interface FairYear {
  y: TestYear;
  Y: string;
  bchqs: TestAgency; congan: TestAgency; vks: TestAgency; toaan: TestAgency; stp: TestAgency; thanhtra: TestAgency; thads: TestAgency;
}

async function fairYear(db: Knex, opts: { twins?: boolean } = {}): Promise<FairYear> {
  const y = await newYear(db, { year: 2022, agencies: 7 });
  const [bchqs, congan, vks, toaan, stp, thanhtra, thads] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
  const item11 = (short: number) => ({ "1.1": String(40 - short) });
  for (const [agency, short] of [[congan, 3], [bchqs, 5], [vks, opts.twins ? 3 : 7], [toaan, 11]] as const) {
    await sendEverythingOnTime(db, y, agency);
    await addSheet(db, y, { agency, status: "reviewed", self: item11(short) });
  }
  const [sixMonth, annual] = y.periods as [TestYear["periods"][0], TestYear["periods"][0]];
  await addRegistration(db, y, { agency: stp, on: addDays(y.registrationDueOn, -5) });
  await addReport(db, y, { agency: stp, period: annual.number, status: "accepted", on: addDays(annual.dueOn, -5) });
  await addSheet(db, y, { agency: stp, status: "reviewed", discipline: DISCIPLINE, self: { ...item11(14), "6.3": "1" } });
  await addRegistration(db, y, { agency: thanhtra, on: addDays(y.registrationDueOn, -5) });
  for (const p of [sixMonth, annual]) await addReport(db, y, { agency: thanhtra, period: p.number, status: "submitted", on: addDays(p.dueOn, -5) });
  await addSheet(db, y, { agency: thanhtra, status: "submitted", self: item11(6) });
  await addRegistration(db, y, { agency: thads, on: addDays(y.registrationDueOn, 4) });
  await setPlan(db, y, { number: "01/KH-KTĐKT", date: "2022-01-14", signerName: "Hà Đình Khiêm", signerPosition: "Trưởng Khối thi đua" });
  await addBallotMeeting(db, y, {
    heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7, votes: [[congan, 6], [bchqs, 5], [vks, 5], [toaan, 4], [stp, 3]],
    chair: "Hà Đình Khiêm — Trưởng Khối", secretary: "Đại diện đơn vị Phó Trưởng Khối", attendees: "Đại diện lãnh đạo 07/07 cơ quan, đơn vị thành viên Khối",
  });
  return { y, Y: y.Y, bchqs, congan, vks, toaan, stp, thanhtra, thads };
}

// One database for the file, from the schema alone; each `describe` (or test that publishes) builds
// a year of its own, a new bloc.
const portal = useTestPortal({ now: () => NOW });

/** A `fairYear` of the `describe`'s own, built before its tests. */
function useFairYear(): FairYear {
  const r = {} as FairYear;
  beforeAll(async () => {
    Object.assign(r, await fairYear(portal.db));
  });
  return r;
}

/** Every cell of every row of the workbook's first sheet. */
async function xlsxRows(data: Buffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as Parameters<typeof book.xlsx.load>[0]);
  const rows: unknown[] = [];
  book.worksheets[0]!.eachRow((row) => rows.push(row.values));
  return JSON.stringify(rows);
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");
const userId = async (username: string): Promise<number> => (await portal.db("users").where({ username }).first("id")).id;
/** The year's rules as stored, and a function that stores others. */
async function rulesOf(y: TestYear) {
  const year = await portal.db("emulation_years").where({ id: y.yearId }).first("rules");
  const rules = typeof year.rules === "string" ? JSON.parse(year.rules) : year.rules;
  return { rules, store: (next: unknown) => portal.db("emulation_years").where({ id: y.yearId }).update({ rules: JSON.stringify(next) }) };
}

/**
 * A 2022 whose sheets wait for review: the head's and the deputy's sent (everything else of theirs
 * sent on time and accepted), and a third member's 6-month report sent, waiting for review.
 */
async function reviewYear() {
  const y = await newYear(portal.db, { year: 2022, agencies: 4 });
  const [head, deputy, third] = y.agencies as [TestAgency, TestAgency, TestAgency];
  for (const agency of [head, deputy]) {
    await sendEverythingOnTime(portal.db, y, agency);
    await addSheet(portal.db, y, { agency, status: "submitted" });
  }
  await addReport(portal.db, y, { agency: third, period: 1, status: "submitted" });
  return { y, Y: y.Y, head, deputy, third };
}

describe("conflict of interest", () => {
  let r: Awaited<ReturnType<typeof reviewYear>>;
  beforeAll(async () => (r = await reviewYear()));

  it("the head's secretariat is refused on the head's sheet (403, names who must review, audited); the deputy's reviewer is accepted", async () => {
    const { y, Y, head, deputy } = r;
    const sec = await portal.login(y.secretariat);
    const page = await sec.get(`${Y}/sheets/${head.code}`);
    expect(text(page.text)).toContain(`Người thẩm định: Thường trực của đơn vị Phó Trưởng khối (${deputy.name})`);
    expect(page.text).not.toMatch(/name="b_\d+"/);
    const refused = await postForm(sec, `${Y}/sheets/${head.code}`, `${Y}/sheets/${head.code}`, { action: "review" });
    expect(refused.status).toBe(403);
    expect(text(refused.text)).toContain(`chỉ do tài khoản Thường trực của đơn vị Phó Trưởng khối — ${deputy.name} — thẩm định`);
    const audit = await portal.db("audit_log").where({ action: "score_sheet.review_refused", username: y.secretariat }).first();
    expect(audit.agency_id).toBe(head.id);

    const reviewer = await portal.login(y.deputyReviewer);
    const form = await reviewer.get(`${Y}/sheets/${head.code}`);
    expect(form.text).toMatch(/name="b_\d+"/);
    const ok = await postForm(reviewer, `${Y}/sheets/${head.code}`, `${Y}/sheets/${head.code}`, { action: "reviewed" });
    expect(ok.status).toBe(303);
    const sheet = await portal.db("score_sheets").where({ year_id: y.yearId, agency_id: head.id }).first("status", "reviewed_by");
    expect(sheet).toEqual({ status: "reviewed", reviewed_by: await userId(y.deputyReviewer) });
  });

  it("a reviewer belonging to an agency is refused on that agency's sheet and its reports", async () => {
    const { y, Y, deputy, third } = r;
    const reviewer = await portal.login(y.deputyReviewer);
    const own = await postForm(reviewer, `${Y}/sheets/${deputy.code}`, `${Y}/sheets/${deputy.code}`, { action: "review" });
    expect(own.status).toBe(403);
    expect(text(own.text)).toContain(`tài khoản của bạn thuộc ${deputy.name}`);
    // The third member's 6-month report waits for review: a secretariat account of that member may not accept it.
    const username = `tt.${third.code}`;
    await addAccount(portal.db, { username, role: "secretariat", fullName: "Thường trực — đơn vị thành viên", blocs: [y.bloc], agency: third.code });
    const agencyReviewer = await portal.login(username);
    const reportUrl = `${Y}/periods/1/reports/${third.code}`;
    const page = await agencyReviewer.get(reportUrl);
    expect(page.status).toBe(200);
    const accept = await postForm(agencyReviewer, reportUrl, `${reportUrl}/review`, { action: "accept", comment: "" });
    expect(accept.status).toBe(403);
    expect(await portal.db("audit_log").where({ action: "report.review_refused", username }).count({ n: "*" }).first()).toEqual({ n: 1 });
    expect((await portal.db("reports").where({ agency_id: third.id, period_id: y.periods[0]!.id }).first("status")).status).toBe("submitted");
  });
});

describe("secretariat accounts of an agency", () => {
  const r = useFairYear();

  it("the user form and the CLI give a secretariat account an agency; that account may then not review it", async () => {
    const { y, Y, toaan, vks } = r;
    const adminName = `quantri.${y.bloc}`;
    await addAccount(portal.db, { username: adminName, role: "admin" });
    const admin = await portal.login(adminName);
    const bloc = (await portal.db("blocs").where({ code: y.bloc }).first("id")).id;
    const formUser = `tt.${toaan.code}`;
    const res = await postForm(admin, "/admin/users/new", "/admin/users", {
      username: formUser, password: "mat-khau-moi-2026", fullName: "Thường trực — Tòa án", role: "secretariat", agencyId: String(toaan.id), blocIds: String(bloc),
    });
    expect(res.status).toBe(303);
    expect((await portal.db("users").where({ username: formUser }).first("agency_id")).agency_id).toBe(toaan.id);
    const cliUser = `tt.${vks.code}`;
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await createUserCommand(portal.db, [cliUser, "--role", "secretariat", "--bloc", y.bloc, "--agency", vks.code, "--name", "Thường trực — VKS"], stdinWith("mot-mat-khau-dai\n"));
    log.mockRestore();
    expect((await portal.db("users").where({ username: cliUser }).first("agency_id")).agency_id).toBe(vks.id);
    const reviewer = await portal.login(cliUser, "mot-mat-khau-dai");
    expect((await postForm(reviewer, `${Y}/sheets/${vks.code}`, `${Y}/sheets/${vks.code}`, { action: "review" })).status).toBe(403);
    expect((await reviewer.get(`${Y}/sheets/${toaan.code}`)).text).toMatch(/name="b_\d+"/);
  });

  it("an agency with no score sheet has no total in ranking.json (null, not 0); a sheet not yet ranked gives a provisional one", async () => {
    const { y, Y, thads, thanhtra } = r;
    expect(await portal.db("score_sheets").where({ year_id: y.yearId, agency_id: thads.id }).first()).toBeUndefined();
    const sec = await portal.login(y.secretariat);
    const rows = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; total: number | null; provisional: boolean }[];
    expect(rows.find((row) => row.agency === thads.code)).toMatchObject({ total: null, provisional: false });
    expect(rows.find((row) => row.agency === thanhtra.code)).toMatchObject({ total: 94, provisional: true });
    expect(text((await sec.get(`${Y}/ranking`)).text)).toContain("Điểm tạm tính");
  });
});

describe("the published ranking is frozen", () => {
  const r = useFairYear();

  const svg = (html: string) => html.slice(html.indexOf("<svg"), html.indexOf("</svg>"));
  async function outputs(agent: Agent) {
    const { y, Y, stp } = r;
    const get = async (path: string) => {
      const res = await agent.get(`${Y}${path}`);
      expect(res.status, path).toBe(200);
      return res.text;
    };
    const page = await get("/ranking");
    return {
      table: page.slice(page.indexOf('class="data ranking"'), page.indexOf("</table>", page.indexOf('class="data ranking"'))),
      rules: page.slice(page.indexOf('class="rules"')),
      json: await get("/ranking.json"),
      csv: await get("/ranking.csv"),
      xlsx: await xlsxRows((await agent.get(`${Y}/ranking.xlsx`).buffer(true).parse(binary)).body as Buffer),
      print: await get("/ranking/print"),
      minutes: await get("/ballots/minutes"),
      letter: await get("/ranking/proposal-letter"),
      explain: text(await get(`/ranking/${stp.code}`)),
      chart: svg(await get("/dashboard")),
      cli: await rankingCommand(portal.db, [y.bloc, "2022", "--format", "json"]),
    };
  }

  it("publish, then change a rule, a criterion's title and an agency's name: every published output is unchanged; reopening recomputes", async () => {
    const { y, Y, congan } = r;
    const leader = await portal.login(y.leader);
    const confirm = await leader.get(`${Y}/ranking/publish`);
    expect(text(confirm.text)).toContain("Đơn vị không xếp hạng");
    expect(confirm.text).toContain(`<form method="post" action="${Y}/ranking/publish"`); // a plain form: works without scripts
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, {})).status).toBe(422);
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    const before = await outputs(leader);
    expect(before.json).toContain(congan.name);
    expect(before.json).toContain("Cờ thi đua");

    const renamed = "Cơ quan đã đổi tên (tên mới)";
    const { rules, store } = await rulesOf(y);
    await store({ ...rules, bonusCap: 1, flag: { ...rules.flag, quota: 0 }, thresholds: { excellent: 99, good: 90, pass: 50 } });
    await portal.db("criteria").where({ year_id: y.yearId, code: "I" }).update({ title: "Tiêu chí đã đổi tên" });
    await portal.db("criteria").where({ id: y.criteria["1.1"] }).update({ title: "Mục 1.1 đã đổi tên" });
    await portal.db("agencies").where({ id: congan.id }).update({ name: renamed });
    await portal.db("year_agencies").where({ year_id: y.yearId, agency_id: congan.id }).update({ name: renamed });

    const after = await outputs(leader);
    for (const key of Object.keys(before) as (keyof typeof before)[]) expect([key, after[key]]).toEqual([key, before[key]]);

    const reopened = await postForm(leader, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "Khối chấm lại theo quy định mới của năm." });
    expect(reopened.status).toBe(303);
    expect(await portal.db("ranking_snapshots").where({ year_id: y.yearId, kind: "published" }).count({ n: "*" }).first()).toEqual({ n: 0 });
    const audit = await portal.db("audit_log").where({ action: "ranking.reopen", entity_id: String(y.yearId) }).first();
    expect(audit.after.storedResultDiscarded).toBe(true);
    const live = await outputs(leader);
    expect(live.json).toContain(renamed);
    expect(live.json).not.toContain("Cờ thi đua");
    expect(live.rules).toContain("điểm thưởng tính tối đa 1,00 điểm");
  });
});

describe("ties, self-votes, the meeting's ranking and why-this-rank", () => {
  // The self-vote and ballot tests share this year; the tie and why-this-rank tests publish, each on a year of its own.
  const shared = useFairYear();

  it("two agencies tied for the only flag: marked for the meeting, publication waits, the secretariat records the choice (audited)", async () => {
    // congan and vks twins: the same points, sent at the same instants, both over 2/3 of the ballots.
    const { y, Y, congan, vks } = await fairYear(portal.db, { twins: true });
    const sec = await portal.login(y.secretariat);
    const page = text((await sec.get(`${Y}/ranking`)).text);
    expect(page).toContain("Đồng hạng — Hội nghị quyết định");
    expect(page).toContain(`${congan.name}, ${vks.name} đồng hạng 1`);
    const json = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; proposal: string | null; rank: number }[];
    expect(json.filter((row) => row.rank === 1).map((row) => [row.agency, row.proposal])).toEqual([[congan.code, null], [vks.code, null]]);

    const leader = await portal.login(y.leader);
    expect(text((await leader.get(`${Y}/ranking/publish`)).text)).toContain("Đồng hạng chờ Hội nghị quyết định: 1");
    const refused = await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" });
    expect(refused.status).toBe(422);

    const noReason = await postForm(sec, `${Y}/ranking`, `${Y}/ranking/ties`, { award: "flag", chosen: String(vks.id), reason: "" });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain("Vui lòng ghi rõ căn cứ lựa chọn của Hội nghị");
    const ok = await postForm(sec, `${Y}/ranking`, `${Y}/ranking/ties`, { award: "flag", chosen: String(vks.id), reason: "Hội nghị biểu quyết 5/7 chọn Viện kiểm sát." });
    expect(ok.status).toBe(303);
    const decided = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; proposal: string | null; reason: string | null }[];
    expect(decided.find((row) => row.agency === vks.code)?.proposal).toBe("Cờ thi đua của UBND tỉnh");
    expect(decided.find((row) => row.agency === congan.code)?.proposal).toBe("Bằng khen của Chủ tịch UBND tỉnh");
    expect((await portal.db("audit_log").where({ action: "ranking.tie_decision", bloc_id: (await portal.db("blocs").where({ code: y.bloc }).first("id")).id }).first()).after.chosenAgencyIds).toEqual([vks.id]);
    // The meeting's choice travels with the year bundle: re-imported, the same proposals.
    const bundle = await createServices(portal.db).bundle.exportYear(y.bloc, 2022);
    expect(bundle.tieDecisions).toEqual([{ award: "flag", tied: [congan.code, vks.code], chosen: [vks.code], reason: "Hội nghị biểu quyết 5/7 chọn Viện kiểm sát." }]);
    const target = await createTestDatabase();
    try {
      expect((await createServices(target.knex).bundle.importYear(JSON.parse(JSON.stringify(bundle)), { replace: false })).ok).toBe(true);
      const imported = await createServices(target.knex).ranking.rowsForCli(y.bloc, 2022);
      expect(imported.map((row) => [row.agency, row.proposal])).toEqual(decided.map((row) => [row.agency, row.proposal]));
    } finally {
      await target.close();
    }
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
  });

  it("with self-votes off, the ballot form says so and a count above the other members' ballots is refused", async () => {
    const { y, Y, stp } = shared;
    const { rules, store } = await rulesOf(y);
    await store({ ...rules, allowSelfVote: false });
    // The rules as they were for the ballot test, which shares this year, whatever this test finds.
    onTestFinished(async () => {
      await store(rules);
    });
    const sec = await portal.login(y.secretariat);
    const form = await sec.get(`${Y}/ballots`);
    expect(text(form.text)).toContain("không được tự bỏ phiếu cho mình");
    const res = await postForm(sec, `${Y}/ballots`, `${Y}/ballots`, { valid_ballots: "7", [`v_${stp.id}`]: "7" });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain("không được lớn hơn 6");
    const json = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; reason: string | null }[];
    expect(json.find((row) => row.agency === stp.code)?.reason).toContain("Đạt 3/6 phiếu");
  });

  it("recording the ballot keeps the meeting's ranking: later points change the page's warning, not the minutes", async () => {
    const { y, Y, stp } = shared;
    const sec = await portal.login(y.secretariat);
    const saved = await postForm(sec, `${Y}/ballots`, `${Y}/ballots`, {});
    expect(saved.status).toBe(303);
    const minutes = text((await sec.get(`${Y}/ballots/minutes`)).text);
    expect(text((await sec.get(`${Y}/ranking`)).text)).not.toContain("khác với kết quả tại cuộc họp");
    // After the meeting, the bloc lowers item 1.1 of stp by 10 points.
    const stpSheet = await portal.db("score_sheets").where({ year_id: y.yearId, agency_id: stp.id }).first("id");
    const entry = await portal.db("score_entries").where({ sheet_id: stpSheet.id, criterion_id: y.criteria["1.1"] }).first("bloc_points");
    await portal.db("score_entries").where({ sheet_id: stpSheet.id, criterion_id: y.criteria["1.1"] }).update({ bloc_points: String(Number(entry.bloc_points) - 10) });
    const page = text((await sec.get(`${Y}/ranking`)).text);
    expect(page).toContain("Kết quả hiện nay khác với kết quả tại cuộc họp bình xét ngày 10/01/2023");
    expect(text((await sec.get(`${Y}/ballots/minutes`)).text)).toBe(minutes);
    expect(minutes).toContain("Không đề nghị: Có vi phạm kỷ luật");
  });

  it("why this rank: the bloc's readers always, clerks only after publication, and members never see discipline details", async () => {
    const { y, Y, bchqs, stp, toaan, congan } = await fairYear(portal.db);
    const sec = await portal.login(y.secretariat);
    const explained = text((await sec.get(`${Y}/ranking/${bchqs.code}`)).text);
    expect(explained).toContain(`Vì sao ${bchqs.name} xếp hạng như vậy`);
    expect(explained).toMatch(/Tổng điểm [\d,]+ \+ [\d,]+ − [\d,]+ = 95,00/);
    expect(explained).toContain("Cờ thi đua của UBND tỉnh: cần từ 2/3");
    const stpPage = text((await sec.get(`${Y}/ranking/${stp.code}`)).text);
    expect(stpPage).toContain("Báo cáo sơ kết 6 tháng: chưa gửi");
    expect(text((await sec.get(`${Y}/ranking`)).text)).toContain("Điểm trừ gồm 1 báo cáo chưa gửi, tính như gửi chậm: Báo cáo sơ kết 6 tháng");
    expect(stpPage).toContain(DISCIPLINE);

    const clerk = await portal.login(toaan.clerk);
    expect((await clerk.get(`${Y}/ranking/${toaan.code}`)).status).toBe(404);
    const leader = await portal.login(y.leader);
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    // The leader reads the published ranking and the minutes first: what is kept for the next reader of the
    // same revision (view models, printed pages) is kept per what each may see.
    expect(text((await leader.get(`${Y}/ranking`)).text)).toContain(`Xếp loại bị giới hạn do vi phạm kỷ luật: ${DISCIPLINE}`);
    expect(text((await leader.get(`${Y}/ballots/minutes`)).text)).toContain(DISCIPLINE);
    const clerkMinutes = await clerk.get(`${Y}/ballots/minutes`);
    if (clerkMinutes.status === 200) expect(text(clerkMinutes.text)).not.toContain("cảnh cáo");
    else expect(clerkMinutes.status).toBe(404);
    const other = await clerk.get(`${Y}/ranking/${stp.code}`);
    expect(other.status).toBe(200);
    expect(text(other.text)).toContain("Có vi phạm kỷ luật");
    expect(text(other.text)).not.toContain(DISCIPLINE);
    const clerkHtml = (await clerk.get(`${Y}/ranking`)).text;
    const page = text(clerkHtml);
    // The link to an agency's years: the leader has one on every ranked row, the clerk only on its own.
    const historyLinks = (html: string) => [...html.matchAll(/href="\/agencies\/([a-z0-9._-]+)\/history">\(qua các năm\)/g)].map((m) => m[1]);
    const leaderLinks = historyLinks((await leader.get(`${Y}/ranking`)).text);
    expect(leaderLinks.length).toBeGreaterThan(1);
    expect(historyLinks(clerkHtml)).toEqual([toaan.code]);
    const otherClerk = await portal.login(congan.clerk);
    expect(historyLinks((await otherClerk.get(`${Y}/ranking`)).text)).toEqual([congan.code]);
    expect(historyLinks((await leader.get(`${Y}/ranking`)).text)).toEqual(leaderLinks);
    expect(page).toContain("Xếp loại bị giới hạn do vi phạm kỷ luật");
    expect(page).not.toContain(DISCIPLINE);
    expect(JSON.stringify((await clerk.get(`${Y}/ranking.json`)).body)).not.toContain("cảnh cáo");
    expect((await leader.get(`${Y}/ranking/unknown-agency`)).status).toBe(404);
  });
});

describe("a missing report not yet due, with the agency's sheet already reviewed", () => {
  let clock = NOW;
  const own = useTestPortal({ now: () => clock });

  it("when the secretariat reviews a sheet before the annual report is due, then the missing report costs nothing until its due date has passed, then one late report", async () => {
    const y = await newYear(own.db, { year: 2022, agencies: 2 });
    const [onTime, early] = y.agencies as [TestAgency, TestAgency];
    const [sixMonth, annual] = y.periods as [TestYear["periods"][0], TestYear["periods"][0]];
    // The same points; `onTime` sends everything on time, `early` has its sheet reviewed 5 days before the
    // annual report is due and has not sent that report yet.
    await sendEverythingOnTime(own.db, y, onTime);
    await addSheet(own.db, y, { agency: onTime, status: "reviewed", self: { "1.1": "37" } });
    await addRegistration(own.db, y, { agency: early, on: addDays(y.registrationDueOn, -5) });
    await addReport(own.db, y, { agency: early, period: sixMonth.number, status: "accepted", on: addDays(sixMonth.dueOn, -5) });
    await addSheet(own.db, y, { agency: early, status: "reviewed", on: addDays(annual.dueOn, -6), self: { "1.1": "37" } });

    // Nothing is written between the readings: only the date changes. Each output is read on each day (the
    // JSON, the ranking page, "why this rank"), so none of them may keep the day before's.
    const sec = await own.login(y.secretariat);
    const totals = async () => {
      const rows = (await sec.get(`${y.Y}/ranking.json`)).body as { agency: string; total: number }[];
      return Object.fromEntries(rows.map((row) => [row.agency, row.total]));
    };
    const rankingPage = async () => (await sec.get(`${y.Y}/ranking`)).text;
    const cause = `chưa gửi (hạn ${formatDate(annual.dueOn)})`;
    clock = localTime(addDays(annual.dueOn, -3));
    const before = await totals();
    expect(before[early.code]).toBe(before[onTime.code]);
    const pageBefore = await rankingPage();
    expectInOrder(pageBefore, [early.name, formatPoints(before[early.code]!)]);
    expect((await sec.get(`${y.Y}/ranking/${early.code}`)).text).not.toContain(cause);
    clock = localTime(annual.dueOn); // it may still be sent today
    expect(await totals()).toEqual(before);
    clock = localTime(addDays(annual.dueOn, 1));
    expect(await totals()).toEqual({ ...before, [early.code]: before[onTime.code]! - 1 });
    expectInOrder(await rankingPage(), [onTime.name, formatPoints(before[onTime.code]!), early.name, formatPoints(before[onTime.code]! - 1)]);
    expect((await sec.get(`${y.Y}/ranking/${early.code}`)).text).toContain(cause);
  });
});
