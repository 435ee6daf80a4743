import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import ExcelJS from "exceljs";
import { getDocumentProxy } from "unpdf";
import { expectInOrder, pdfText } from "./text.js";
import { createTestDatabase } from "./db.js";
import { binary, createTestApp, loginAs } from "./http.js";
import { AWARDS_PLAN, addAccount, addRankedMembers, addSheet, newYear, setPlan, type RankedMember, type TestAgency, type TestYear } from "./factories.js";
import type { Database } from "../src/db/database.js";

const NOW = new Date("2023-01-12T10:00:00+07:00");
/** The review meeting's day, and how a document dates itself with it (NĐ 30/2020: "tháng 01"); today, as a document would write it. */
const MEETING_ON = "2023-01-10";
const MEETING_DATE = "ngày 10 tháng 01 năm 2023";
const TODAY_DATE = "ngày 12 tháng 01 năm 2023";
const VALID_BALLOTS = 7;
const SIGNER = "Đại tá Hà Đình Khiêm";
const CHAIR = `${SIGNER} — Chính ủy, Trưởng Khối`;
const SECRETARY = "Đại diện Cơ quan 2 — Phó Trưởng Khối";
/**
 * Each member's year, in the year's order (the head first, then the deputy): its sheet reviewed
 * with item 1.1 `shortfall` points under its maximum and `votes` of the valid ballots at the
 * meeting, or not ranked (its sheet sent but not reviewed; no sheet). The deputy comes first, the
 * head second; under the template's rules (one flag: excellent and at least 2/3 of the ballots; two
 * certificates: good and over 1/2) the first is proposed for the flag, the next two for the
 * certificate, the fourth passes the vote share but finds the quota used up.
 */
const PLAN: ({ shortfall: number; votes: number } | { sheet: "submitted" | null })[] = [...AWARDS_PLAN, { sheet: "submitted" }, { sheet: null }];
const FLAG = "Cờ thi đua của UBND tỉnh";
const MERIT = "Bằng khen của Chủ tịch UBND tỉnh";

/** Points as the documents write them: 97 → "97,00". */
const vnPoints = (n: number) => n.toFixed(2).replace(".", ",");
/** A vote share as the minutes write it: 6 of 7 → "85,71%". */
const share = (votes: number) => `${vnPoints((votes * 100) / VALID_BALLOTS)}%`;

type Ranked = RankedMember;

/** A ranked year of the test's own, with what its documents must show. */
interface RankedYear {
  y: TestYear;
  /** The ranked members, best first (their totals and votes from PLAN). */
  ranked: Ranked[];
  head: TestAgency;
  /** Its code and issuing body, as the documents' header prints them. */
  shortName: string;
  issuingBody: string;
  /** An observer of the province's board given the bloc. */
  observer: string;
}

describe("ranking documents and downloads", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;
  /** The file's ranked 2022, read by the tests that change nothing. */
  let shared: RankedYear;

  /**
   * A 2022 of its own brought to the review meeting: the plan's signer set, every member's
   * registration and reports sent on time and accepted, the sheets of PLAN, the meeting's ballot.
   */
  async function rankedYear(): Promise<RankedYear> {
    const y = await newYear(db, { year: 2022, agencies: PLAN.length });
    const head = y.agencies[0]!;
    await setPlan(db, y, { number: "01/KH-KTĐKT", date: "2022-01-14", signerName: SIGNER, signerPosition: `Chính ủy ${head.shortName} — Trưởng Khối thi đua` });
    for (const [i, plan] of PLAN.entries()) if ("sheet" in plan && plan.sheet) await addSheet(db, y, { agency: y.agencies[i]!, status: plan.sheet });
    const ranked = await addRankedMembers(
      db,
      y,
      PLAN.flatMap((plan, i) => ("shortfall" in plan ? [{ agency: y.agencies[i]!, ...plan }] : [])),
      { heldOn: MEETING_ON, place: `Hội trường ${head.name}`, validBallots: VALID_BALLOTS, chair: CHAIR, secretary: SECRETARY, attendees: `Đại diện lãnh đạo ${PLAN.length} cơ quan, đơn vị thành viên` },
    );
    const observer = `bantdkt.${y.bloc}`;
    await addAccount(db, { username: observer, role: "observer", blocs: [y.bloc] });
    const bloc = await db("blocs").where({ code: y.bloc }).first("short_name", "issuing_body");
    return { y, ranked, head, shortName: bloc.short_name, issuingBody: bloc.issuing_body, observer };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
    shared = await rankedYear();
  });
  afterAll(() => database.close());

  it("when the leader opens the print page, then it is an administrative document dated the meeting's day (not today): issuer, motto, the ranking in rank order, recipients and signature", async () => {
    const { y, ranked, head, shortName, issuingBody } = shared;
    const leader = await loginAs(app, y.leader);
    const res = await leader.get(`${y.Y}/ranking/print`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/css/document.css"');
    expectInOrder(res.text, [issuingBody.toLocaleUpperCase("vi"), y.blocName.toLocaleUpperCase("vi"), `/BC-${shortName}`]);
    expectInOrder(res.text, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", `Tuyên Quang, ${MEETING_DATE}`]);
    expect(res.text).not.toContain(TODAY_DATE);
    expectInOrder(res.text, ["BÁO CÁO", `Kết quả chấm điểm, xếp hạng thi đua năm 2022 của ${y.blocName}`]);
    const table = res.text.slice(res.text.indexOf('class="doc-table"'), res.text.indexOf("</table>", res.text.indexOf('class="doc-table"')));
    expectInOrder(table, ["Hạng", "Cơ quan, đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị khen thưởng"]);
    const [first, second, ...rest] = ranked as [Ranked, Ranked, ...Ranked[]];
    expectInOrder(table, [first.name, vnPoints(first.total), FLAG, second.name, vnPoints(second.total), ...rest.map((r) => r.name)]);
    // The order is the ranking service's, not recomputed here.
    const json = (await leader.get(`${y.Y}/ranking.json`)).body as { name: string; rank: number | null }[];
    expectInOrder(table, json.filter((r) => r.rank !== null).map((r) => r.name));
    expectInOrder(res.text, ["Nơi nhận:", "Ban Thi đua – Khen thưởng tỉnh", "Các cơ quan trong Khối", "Lưu: VT", "TRƯỞNG KHỐI THI ĐUA", head.name, "CHÍNH ỦY", SIGNER]);
    expect(res.text).not.toMatch(/<script>|style="/);
  });

  it("when the bloc or an agency of the year is renamed after the print page was shown, then the next print page shows the new names (the page is kept only while nothing it shows changed)", async () => {
    const { y, ranked } = await rankedYear();
    const leader = await loginAs(app, y.leader);
    const bloc = await db("blocs").where({ code: y.bloc }).first("id", "name", "issuing_body");
    // The year keeps the names its agencies had then (year_agencies): a row of the year.
    const agency = await db("year_agencies").where({ year_id: y.yearId, agency_id: ranked[0]!.id }).first("id", "name");
    expect((await leader.get(`${y.Y}/ranking/print`)).text).toContain(agency.name);
    try {
      await db("blocs").where({ id: bloc.id }).update({ name: "Khối thi đua Nội chính (đổi tên)", issuing_body: "UBND tỉnh Thử nghiệm" });
      const renamedBloc = (await leader.get(`${y.Y}/ranking/print`)).text;
      expect(renamedBloc).toContain("UBND TỈNH THỬ NGHIỆM");
      expect(renamedBloc).toContain("của Khối thi đua Nội chính (đổi tên)");
      await db("year_agencies").where({ id: agency.id }).update({ name: "Công an tỉnh (tên mới)" });
      const renamedAgency = (await leader.get(`${y.Y}/ranking/print`)).text;
      expect(renamedAgency).toContain("Công an tỉnh (tên mới)");
      expect(renamedAgency).not.toContain(agency.name);
    } finally {
      await db("blocs").where({ id: bloc.id }).update({ name: bloc.name, issuing_body: bloc.issuing_body });
      await db("year_agencies").where({ id: agency.id }).update({ name: agency.name });
    }
    expect((await leader.get(`${y.Y}/ranking/print`)).text).toContain(agency.name);
  });

  it("when the print stylesheet and its font are fetched, then it sets A4 margins, keeps rows whole and serves Tinos from node_modules", async () => {
    const { leader } = shared.y;
    const css = await (await loginAs(app, leader)).get("/css/document.css");
    expect(css.status).toBe(200);
    expect(css.text).toContain("@page { size: A4; margin: 20mm 15mm 20mm 30mm; }");
    expect(css.text).toContain("break-inside: avoid");
    expect(css.text).toContain("display: table-header-group");
    expect(css.text).toMatch(/@font-face \{ font-family: 'Tinos'.*tinos-vietnamese-400-normal\.woff2/);
    const font = await (await loginAs(app, leader)).get("/fonts/tinos/tinos-vietnamese-400-normal.woff2").buffer(true).parse(binary);
    expect(font.status).toBe(200);
    expect((font.body as Buffer).subarray(0, 4).toString("latin1")).toBe("wOF2");
    expect((await (await loginAs(app, leader)).get("/fonts/tinos/..%2Fpackage.json")).status).toBe(404);
  });

  it("when ranking.pdf is downloaded, then it is an A4 PDF whose text holds the agencies with their diacritics in rank order", async () => {
    const { y, ranked, issuingBody } = shared;
    const leader = await loginAs(app, y.leader);
    const res = await leader.get(`${y.Y}/ranking.pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toMatch(new RegExp(`^attachment; filename="?xep-hang-${y.bloc}-2022\\.pdf"?$`));
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pdf = await getDocumentProxy(new Uint8Array(body));
    const view = (await pdf.getPage(1)).view;
    expect([Math.round(view[2]!), Math.round(view[3]!)]).toEqual([595, 842]);
    const text = await pdfText(body);
    expectInOrder(text, [issuingBody.toLocaleUpperCase("vi"), y.blocName.toLocaleUpperCase("vi"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO"]);
    expectInOrder(text, ranked.map((r) => r.name));
    expectInOrder(text, ["Nơi nhận:", "TRƯỞNG KHỐI THI ĐUA", SIGNER]);
  });

  it("when ranking.xlsx is downloaded, then exceljs reads a title, then the same rows with group points, totals as numbers and votes, under a frozen header", async () => {
    const { y, ranked } = shared;
    const res = await (await loginAs(app, y.secretariat)).get(`${y.Y}/ranking.xlsx`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(new RegExp(`^attachment; filename="?xep-hang-${y.bloc}-2022\\.xlsx"?$`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet("Xếp hạng 2022")!;
    expect(sheet).toBeDefined();
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 4 });
    expect(sheet.getCell("A1").value).toBe("KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA NĂM 2022");
    expect(String(sheet.getCell("A2").value)).toContain(y.blocName);
    const headers = (sheet.getRow(4).values as unknown[]).slice(1).map(String);
    expect(headers.slice(0, 3)).toEqual(["Hạng", "Mã", "Cơ quan, đơn vị"]);
    expect(headers[3]).toMatch(/^I\. /);
    const col = (label: string) => headers.indexOf(label) + 1;
    expect(col("Tổng điểm")).toBeGreaterThan(4);
    expect(col("Số phiếu đồng ý / hợp lệ")).toBeGreaterThan(col("Tổng điểm"));
    const rankedRows = ranked.map((_r, i) => 5 + i);
    expect(rankedRows.map((r) => sheet.getRow(r).getCell(3).value)).toEqual(ranked.map((r) => r.name));
    expect(sheet.getRow(5).getCell(col("Tổng điểm")).value).toBe(ranked[0]!.total);
    expect(sheet.getRow(5).getCell(col("Tổng điểm")).numFmt).toBe("0.00");
    expect(typeof sheet.getRow(5).getCell(4).value).toBe("number");
    expect(sheet.getRow(5).getCell(col("Số phiếu đồng ý / hợp lệ")).value).toBe(`${ranked[0]!.votes}/${VALID_BALLOTS}`);
    expect(sheet.getRow(6).getCell(col("Tổng điểm")).value).toBe(ranked[1]!.total);
    expect(sheet.getRow(5 + ranked.length).getCell(1).value).toBe("Không xếp hạng");
    // The four title and header rows, then one row per member, ranked or not.
    expect(sheet.rowCount).toBe(4 + PLAN.length);
  });

  it("when ranking.csv is downloaded, then it starts with the UTF-8 BOM and holds the rows separated by ;", async () => {
    const { y, ranked, observer } = shared;
    const res = await (await loginAs(app, observer)).get(`${y.Y}/ranking.csv`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers["content-disposition"]).toMatch(new RegExp(`^attachment; filename="?xep-hang-${y.bloc}-2022\\.csv"?$`));
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString("utf8").slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("Hạng;Mã;Cơ quan, đơn vị;Tổng điểm;Xếp loại;Đề nghị khen thưởng;Lý do (không xếp hạng / không đề nghị)");
    const first = ranked[0]!;
    expect(lines[1]).toBe(`1;${first.code};${first.name};${vnPoints(first.total)};Hoàn thành xuất sắc nhiệm vụ;${FLAG};`);
    expect(lines.slice(1, 1 + ranked.length).map((l) => l.split(";")[2])).toEqual(ranked.map((r) => r.name));
    expect(lines).toHaveLength(1 + PLAN.length);
  });

  it("when the minutes of the review meeting are opened, then they show the meeting and each candidate's votes and share", async () => {
    const { y, ranked, head, shortName } = shared;
    const sec = await loginAs(app, y.secretariat);
    const res = await sec.get(`${y.Y}/ballots/minutes`);
    expect(res.status).toBe(200);
    expectInOrder(res.text, [`/BB-${shortName}`, `Tuyên Quang, ${MEETING_DATE}`, "BIÊN BẢN", "Họp bình xét thi đua năm 2022"]);
    expect(res.text).toContain(`Hội trường ${head.name}`);
    expect(res.text).toContain(`Chủ trì: ${CHAIR}`);
    expect(res.text).toContain(`Thư ký: ${SECRETARY}`);
    expect(res.text).toContain(`Số phiếu hợp lệ: ${VALID_BALLOTS} phiếu`);
    expectInOrder(res.text, ranked.flatMap((r) => [r.name, `${r.votes}/${VALID_BALLOTS}`, share(r.votes)]));
    expectInOrder(res.text, ["THƯ KÝ", "CHỦ TRÌ", SIGNER]);
    const pdf = await sec.get(`${y.Y}/ballots/minutes.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.body as Buffer);
    const last = ranked[ranked.length - 1]!;
    expectInOrder(text, ["BIÊN BẢN", ranked[0]!.name, `${ranked[0]!.votes}/${VALID_BALLOTS}`, last.name, `${last.votes}/${VALID_BALLOTS}`]);
  });

  it("when the proposal letter is opened, then it lists the agencies proposed for each award with totals and votes", async () => {
    const { y, ranked } = shared;
    const [flag, merit1, merit2, passedOver] = ranked as [Ranked, Ranked, Ranked, Ranked];
    const leader = await loginAs(app, y.leader);
    const res = await leader.get(`${y.Y}/ranking/proposal-letter`);
    expect(res.status).toBe(200);
    expectInOrder(res.text, ["TỜ TRÌNH", "đề nghị khen thưởng", "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh"]);
    const votes = (r: Ranked) => `${r.votes}/${VALID_BALLOTS}`;
    expectInOrder(res.text, [`1. ${FLAG}: 1 đơn vị`, flag.name, vnPoints(flag.total), votes(flag), `2. ${MERIT}: 2 đơn vị`, merit1.name, vnPoints(merit1.total), votes(merit1), merit2.name, vnPoints(merit2.total), votes(merit2)]);
    expect(res.text).not.toContain(passedOver.name);
    const pdf = await leader.get(`${y.Y}/ranking/proposal-letter.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-disposition"]).toContain(`to-trinh-khen-thuong-${y.bloc}-2022.pdf`);
    expectInOrder(await pdfText(pdf.body as Buffer), ["TỜ TRÌNH", flag.name, merit1.name, merit2.name, SIGNER.replace(/^Đại tá /, "")]);
  });

  it("when a clerk asks before the ranking is published, then every document answers 404; once published, the print page opens", async () => {
    const { y } = await rankedYear();
    const clerk = await loginAs(app, y.agencies[4]!.clerk);
    for (const url of ["/ranking/print", "/ranking.pdf", "/ranking.xlsx", "/ranking.csv", "/ballots/minutes", "/ranking/proposal-letter"]) {
      expect([url, (await clerk.get(`${y.Y}${url}`)).status]).toEqual([url, 404]);
    }
    await db("emulation_years").where({ id: y.yearId }).update({ ranking_published_at: new Date("2023-01-15T09:00:00+07:00") });
    expect((await clerk.get(`${y.Y}/ranking/print`)).status).toBe(200);
    expect((await clerk.get(`${y.Y}/ranking.csv`)).status).toBe(200);
  });
});
