import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import ExcelJS from "exceljs";
import { getDocumentProxy } from "unpdf";
import { createTestDatabase } from "./db.js";
import { binary, createTestApp, loginAs } from "./http.js";
import type { Database } from "../src/db/database.js";

const BASE = "/blocs/noichinh-tq/years/2022";
const NOW = new Date("2023-01-12T10:00:00+07:00");
const RANKED = [
  "Công an tỉnh Tuyên Quang",
  "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang",
  "Viện kiểm sát nhân dân tỉnh Tuyên Quang",
  "Tòa án nhân dân tỉnh Tuyên Quang",
  "Sở Tư pháp tỉnh Tuyên Quang",
];

function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

/** A supertest parser that keeps binary bodies as a Buffer. */
/** The PDF's text with pdf.js (pure JS, through unpdf): the items of a line joined as drawn. */
async function pdfText(data: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(data));
  let text = "";
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    for (const item of content.items) {
      if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
    }
    text += "\n";
  }
  // A table cell may wrap a long name over two lines: compare with whitespace collapsed.
  return text.replace(/\s+/g, " ");
}

describe("ranking documents and downloads", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    database = await createTestDatabase("demo-2022-open");
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
  });
  afterAll(() => database.close());

  it("when the leader opens the print page, then it is an administrative document dated the meeting's day (not today): issuer, motto, the ranking in rank order, recipients and signature", async () => {
    const leader = await loginAs(app, "lanhdao");
    const res = await leader.get(`${BASE}/ranking/print`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/css/document.css"');
    expectInOrder(res.text, ["UBND TỈNH TUYÊN QUANG", "KHỐI THI ĐUA NỘI CHÍNH", "/BC-KTĐNC"]);
    expectInOrder(res.text, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Tuyên Quang, ngày 10 tháng 01 năm 2023"]);
    expect(res.text).not.toContain("ngày 12 tháng 01 năm 2023");
    expectInOrder(res.text, ["BÁO CÁO", "Kết quả chấm điểm, xếp hạng thi đua năm 2022 của Khối thi đua Nội chính tỉnh Tuyên Quang"]);
    const table = res.text.slice(res.text.indexOf('class="doc-table"'), res.text.indexOf("</table>", res.text.indexOf('class="doc-table"')));
    expectInOrder(table, ["Hạng", "Cơ quan, đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị khen thưởng"]);
    expectInOrder(table, [RANKED[0]!, "97,00", "Cờ thi đua của UBND tỉnh", RANKED[1]!, "95,00", RANKED[2]!, RANKED[3]!, RANKED[4]!]);
    // The order is the ranking service's, not recomputed here.
    const json = (await leader.get(`${BASE}/ranking.json`)).body as { name: string; rank: number | null }[];
    expectInOrder(table, json.filter((r) => r.rank !== null).map((r) => r.name));
    expectInOrder(res.text, ["Nơi nhận:", "Ban Thi đua – Khen thưởng tỉnh", "Các cơ quan trong Khối", "Lưu: VT", "TRƯỞNG KHỐI THI ĐUA", "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang", "CHÍNH ỦY", "Hà Đình Khiêm"]);
    expect(res.text).not.toMatch(/<script>|style="/);
  });

  it("when the bloc or an agency of the year is renamed after the print page was shown, then the next print page shows the new names (the page is kept only while nothing it shows changed)", async () => {
    const leader = await loginAs(app, "lanhdao");
    const bloc = await db("blocs").where({ code: "noichinh-tq" }).first("id", "name", "issuing_body");
    // The year keeps the names its agencies had then (year_agencies): a row of the year.
    const agency = await db("year_agencies as ya").join("agencies as a", "a.id", "ya.agency_id").where({ "a.code": "congan" }).first("ya.id", "ya.name");
    expect((await leader.get(`${BASE}/ranking/print`)).text).toContain(agency.name);
    try {
      await db("blocs").where({ id: bloc.id }).update({ name: "Khối thi đua Nội chính (đổi tên)", issuing_body: "UBND tỉnh Thử nghiệm" });
      const renamedBloc = (await leader.get(`${BASE}/ranking/print`)).text;
      expect(renamedBloc).toContain("UBND TỈNH THỬ NGHIỆM");
      expect(renamedBloc).toContain("của Khối thi đua Nội chính (đổi tên)");
      await db("year_agencies").where({ id: agency.id }).update({ name: "Công an tỉnh (tên mới)" });
      const renamedAgency = (await leader.get(`${BASE}/ranking/print`)).text;
      expect(renamedAgency).toContain("Công an tỉnh (tên mới)");
      expect(renamedAgency).not.toContain(agency.name);
    } finally {
      await db("blocs").where({ id: bloc.id }).update({ name: bloc.name, issuing_body: bloc.issuing_body });
      await db("year_agencies").where({ id: agency.id }).update({ name: agency.name });
    }
    expect((await leader.get(`${BASE}/ranking/print`)).text).toContain(agency.name);
  });

  it("when the print stylesheet and its font are fetched, then it sets A4 margins, keeps rows whole and serves Tinos from node_modules", async () => {
    const css = await (await loginAs(app, "lanhdao")).get("/css/document.css");
    expect(css.status).toBe(200);
    expect(css.text).toContain("@page { size: A4; margin: 20mm 15mm 20mm 30mm; }");
    expect(css.text).toContain("break-inside: avoid");
    expect(css.text).toContain("display: table-header-group");
    expect(css.text).toMatch(/@font-face \{ font-family: 'Tinos'.*tinos-vietnamese-400-normal\.woff2/);
    const font = await (await loginAs(app, "lanhdao")).get("/fonts/tinos/tinos-vietnamese-400-normal.woff2").buffer(true).parse(binary);
    expect(font.status).toBe(200);
    expect((font.body as Buffer).subarray(0, 4).toString("latin1")).toBe("wOF2");
    expect((await (await loginAs(app, "lanhdao")).get("/fonts/tinos/..%2Fpackage.json")).status).toBe(404);
  });

  it("when ranking.pdf is downloaded, then it is an A4 PDF whose text holds the agencies with their diacritics in rank order", async () => {
    const leader = await loginAs(app, "lanhdao");
    const res = await leader.get(`${BASE}/ranking.pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="?xep-hang-noichinh-tq-2022\.pdf"?$/);
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pdf = await getDocumentProxy(new Uint8Array(body));
    const view = (await pdf.getPage(1)).view;
    expect([Math.round(view[2]!), Math.round(view[3]!)]).toEqual([595, 842]);
    const text = await pdfText(body);
    expectInOrder(text, ["UBND TỈNH TUYÊN QUANG", "KHỐI THI ĐUA NỘI CHÍNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO"]);
    expectInOrder(text, RANKED);
    expectInOrder(text, ["Nơi nhận:", "TRƯỞNG KHỐI THI ĐUA", "Đại tá Hà Đình Khiêm"]);
  });

  it("when ranking.xlsx is downloaded, then exceljs reads a title, then the same rows with group points, totals as numbers and votes, under a frozen header", async () => {
    const res = await (await loginAs(app, "thuongtruc")).get(`${BASE}/ranking.xlsx`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="?xep-hang-noichinh-tq-2022\.xlsx"?$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet("Xếp hạng 2022")!;
    expect(sheet).toBeDefined();
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 4 });
    expect(sheet.getCell("A1").value).toBe("KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA NĂM 2022");
    expect(String(sheet.getCell("A2").value)).toContain("Khối thi đua Nội chính tỉnh Tuyên Quang");
    const headers = (sheet.getRow(4).values as unknown[]).slice(1).map(String);
    expect(headers.slice(0, 3)).toEqual(["Hạng", "Mã", "Cơ quan, đơn vị"]);
    expect(headers[3]).toMatch(/^I\. /);
    const col = (label: string) => headers.indexOf(label) + 1;
    expect(col("Tổng điểm")).toBeGreaterThan(4);
    expect(col("Số phiếu đồng ý / hợp lệ")).toBeGreaterThan(col("Tổng điểm"));
    const names = [5, 6, 7, 8, 9].map((r) => sheet.getRow(r).getCell(3).value);
    expect(names).toEqual(RANKED);
    expect(sheet.getRow(5).getCell(col("Tổng điểm")).value).toBe(97);
    expect(sheet.getRow(5).getCell(col("Tổng điểm")).numFmt).toBe("0.00");
    expect(typeof sheet.getRow(5).getCell(4).value).toBe("number");
    expect(sheet.getRow(5).getCell(col("Số phiếu đồng ý / hợp lệ")).value).toBe("6/7");
    expect(sheet.getRow(6).getCell(col("Tổng điểm")).value).toBe(95);
    expect(sheet.getRow(10).getCell(1).value).toBe("Không xếp hạng");
    expect(sheet.rowCount).toBe(11);
  });

  it("when ranking.csv is downloaded, then it starts with the UTF-8 BOM and holds the rows separated by ;", async () => {
    const res = await (await loginAs(app, "bantdkt")).get(`${BASE}/ranking.csv`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="?xep-hang-noichinh-tq-2022\.csv"?$/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString("utf8").slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("Hạng;Mã;Cơ quan, đơn vị;Tổng điểm;Xếp loại;Đề nghị khen thưởng;Lý do (không xếp hạng / không đề nghị)");
    expect(lines[1]).toBe("1;congan;Công an tỉnh Tuyên Quang;97,00;Hoàn thành xuất sắc nhiệm vụ;Cờ thi đua của UBND tỉnh;");
    expect(lines.slice(1, 6).map((l) => l.split(";")[2])).toEqual(RANKED);
    expect(lines).toHaveLength(8);
  });

  it("when the minutes of the review meeting are opened, then they show the meeting and each candidate's votes and share", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const res = await sec.get(`${BASE}/ballots/minutes`);
    expect(res.status).toBe(200);
    expectInOrder(res.text, ["/BB-KTĐNC", "Tuyên Quang, ngày 10 tháng 01 năm 2023", "BIÊN BẢN", "Họp bình xét thi đua năm 2022"]);
    expect(res.text).toContain("Hội trường Bộ Chỉ huy Quân sự tỉnh Tuyên Quang");
    expect(res.text).toContain("Chủ trì: Đại tá Hà Đình Khiêm");
    expect(res.text).toContain("Thư ký: Đại diện Công an tỉnh");
    expect(res.text).toContain("Số phiếu hợp lệ: 7 phiếu");
    expectInOrder(res.text, [RANKED[0]!, "6/7", "85,71%", RANKED[1]!, "5/7", "71,43%", RANKED[2]!, "5/7", RANKED[3]!, "4/7", "57,14%", RANKED[4]!, "3/7", "42,86%"]);
    expectInOrder(res.text, ["THƯ KÝ", "CHỦ TRÌ", "Đại tá Hà Đình Khiêm"]);
    const pdf = await sec.get(`${BASE}/ballots/minutes.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.body as Buffer);
    expectInOrder(text, ["BIÊN BẢN", RANKED[0]!, "6/7", RANKED[4]!, "3/7"]);
  });

  it("when the proposal letter is opened, then it lists the agencies proposed for each award with totals and votes", async () => {
    const leader = await loginAs(app, "lanhdao");
    const res = await leader.get(`${BASE}/ranking/proposal-letter`);
    expect(res.status).toBe(200);
    expectInOrder(res.text, ["TỜ TRÌNH", "đề nghị khen thưởng", "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh"]);
    expectInOrder(res.text, ["1. Cờ thi đua của UBND tỉnh: 1 đơn vị", RANKED[0]!, "97,00", "6/7", "2. Bằng khen của Chủ tịch UBND tỉnh: 2 đơn vị", RANKED[1]!, "95,00", "5/7", RANKED[2]!, "93,00", "5/7"]);
    expect(res.text).not.toContain(RANKED[3]!);
    const pdf = await leader.get(`${BASE}/ranking/proposal-letter.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-disposition"]).toContain("to-trinh-khen-thuong-noichinh-tq-2022.pdf");
    expectInOrder(await pdfText(pdf.body as Buffer), ["TỜ TRÌNH", RANKED[0]!, RANKED[1]!, RANKED[2]!, "Hà Đình Khiêm"]);
  });

  it("when a clerk asks before the ranking is published, then every document answers 404; once published, the print page opens", async () => {
    const clerk = await loginAs(app, "canbo.stp");
    for (const url of ["/ranking/print", "/ranking.pdf", "/ranking.xlsx", "/ranking.csv", "/ballots/minutes", "/ranking/proposal-letter"]) {
      expect([url, (await clerk.get(`${BASE}${url}`)).status]).toEqual([url, 404]);
    }
    await db("emulation_years").update({ ranking_published_at: new Date("2023-01-15T09:00:00+07:00") });
    try {
      expect((await clerk.get(`${BASE}/ranking/print`)).status).toBe(200);
      expect((await clerk.get(`${BASE}/ranking.csv`)).status).toBe(200);
    } finally {
      await db("emulation_years").update({ ranking_published_at: null });
    }
  });
});
