import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import ExcelJS from "exceljs";
import { createTestDatabase } from "./db.js";
import { binary, createTestApp, csrfFrom, loginAs, type Agent } from "./http.js";
import { addSheet, newYear, type TestAgency, type TestYear } from "./factories.js";
import type { Database } from "../src/db/database.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function load(data: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as Parameters<typeof book.xlsx.load>[0]);
  return book;
}

/** The item rows of the sheet: code in A ("1.1"), max in C, with the group they sit under. */
function itemRows(ws: ExcelJS.Worksheet) {
  const rows: { row: number; code: string; max: number; group: string; auto: boolean }[] = [];
  let group = "";
  for (let r = 7; r <= ws.rowCount; r++) {
    const code = ws.getCell(r, 1).value;
    if (typeof code !== "string") continue;
    if (!code.includes(".")) group = code;
    else rows.push({ row: r, code, max: ws.getCell(r, 3).value as number, group, auto: String(ws.getCell(r, 6).value ?? "").startsWith("Tự động") });
  }
  return rows;
}

describe("the score sheet as an Excel workbook, both ways", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;
  let clerk: Agent;
  /**
   * The file's 2022: `own` has its sheet saved as a draft (every standard item at its maximum), the
   * workbook's agency; `importer` a draft of noughts its clerk fills in Excel and imports;
   * `neighbour` is another member, `stranger` a member whose clerk tries `own`'s sheet.
   */
  let y: TestYear;
  let own: TestAgency, importer: TestAgency, neighbour: TestAgency, stranger: TestAgency;
  let BASE: string, SHEET: string;
  const sheetOf = (agency: TestAgency) => `${BASE}/sheets/${agency.code}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    app = createTestApp(db);
    y = await newYear(db, { year: 2022, agencies: 5 });
    [, own, importer, neighbour, stranger] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
    BASE = y.Y;
    SHEET = sheetOf(own);
    await addSheet(db, y, { agency: own, status: "draft" });
    await addSheet(db, y, { agency: importer, status: "draft", self: Object.fromEntries(Object.keys(y.criteria).map((code) => [code, "0"])) });
    clerk = await loginAs(app, own.clerk);
  });
  afterAll(() => database.close());

  const entries = async (agency = own) =>
    db("score_entries as e")
      .join("score_sheets as s", "s.id", "e.sheet_id")
      .join("agencies as a", "a.id", "s.agency_id")
      .join("criteria as c", "c.id", "e.criterion_id")
      .where("a.code", agency.code)
      .orderBy("c.id")
      .select("c.code", "e.self_points", "e.self_count", "e.evidence");

  async function upload(agent: Agent, data: Buffer, sheet = SHEET, name = "bang-diem.xlsx") {
    const page = await agent.get(sheet);
    return agent.post(`${sheet}/import`).field("_csrf", csrfFrom(page.text)).attach("file", data, { filename: name, contentType: XLSX_TYPE });
  }

  /** The sheet's workbook as `agent` downloads it (`own`'s unless another `url`). */
  const download = (agent: Agent, url = `${SHEET}.xlsx`) => agent.get(url).buffer(true).parse(binary);
  const downloaded = async (agent: Agent, url?: string) => (await download(agent, url)).body as Buffer;

  /** A copy of `workbook` changed as a clerk would in Excel. */
  async function modified(workbook: Buffer, change: (book: ExcelJS.Workbook, ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const book = await load(workbook);
    change(book, book.getWorksheet("Bảng chấm điểm")!);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  it("when the clerk downloads the sheet, then the workbook has Vietnamese headers, locked criteria, open inputs with validation and totals as formulas", async () => {
    const page = await clerk.get(SHEET);
    expect(page.text).toContain(`href="${SHEET}.xlsx"`);
    expect(page.text).toMatch(new RegExp(`action="${SHEET}/import" enctype="multipart/form-data"`));
    expect(page.text).not.toContain("import?_csrf=");
    const res = await download(clerk);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(XLSX_TYPE);
    expect(res.headers["content-disposition"]).toContain(`bang-cham-diem-${own.code}-2022.xlsx`);
    const workbook = res.body as Buffer;
    const book = await load(workbook);
    const ws = book.getWorksheet("Bảng chấm điểm")!;
    expect(ws.getCell("A1").value).toBe("BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM 2022");
    expect(ws.getCell("A2").value).toBe(`Cơ quan, đơn vị: ${own.name}`);
    expect((ws.getRow(6).values as unknown[]).slice(1)).toEqual(["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Điểm tự chấm / số lần", "Điểm tính", "Minh chứng, ghi chú"]);
    expect((ws as unknown as { sheetProtection: unknown }).sheetProtection).toMatchObject({ sheet: true });
    const items = itemRows(ws);
    expect(items.length).toBeGreaterThan(10);
    const first = items[0]!;
    expect(first.code).toBe("1.1");
    expect(ws.getCell(first.row, 1).protection?.locked).not.toBe(false);
    expect(ws.getCell(first.row, 3).protection?.locked).not.toBe(false);
    expect(ws.getCell(first.row, 4).protection).toMatchObject({ locked: false });
    expect(ws.getCell(first.row, 6).protection).toMatchObject({ locked: false });
    expect(ws.getCell(first.row, 4).dataValidation).toMatchObject({ type: "decimal", operator: "between", formulae: [0, first.max], showErrorMessage: true });
    expect((ws.getCell(first.row, 5).value as { formula: string }).formula).toBe(`IF(D${first.row}="",0,MIN(D${first.row},C${first.row}))`);
    const auto = items.find((i) => i.auto)!;
    expect(ws.getCell(auto.row, 4).protection?.locked).not.toBe(false);
    // The saved draft's self-scores (every standard item at its maximum) are in the inputs.
    expect(ws.getCell(first.row, 4).value).toBe(first.max);
    const total = ws.getRow(ws.rowCount);
    expect(total.getCell(2).value).toBe("TỔNG ĐIỂM TỰ CHẤM");
    expect((total.getCell(5).value as { formula: string }).formula).toMatch(/^E\d+(\+E\d+)+$/);
    expect(book.getWorksheet("_thidua")?.state).toBe("veryHidden");
  });

  it("when the clerk fills the workbook and imports it, then the draft holds the values and stays a draft", async () => {
    const clerk = await loginAs(app, importer.clerk);
    const SHEET = sheetOf(importer);
    // The draft's standard items are at nought: the import below really changes them.
    expect((await entries(importer)).filter((e) => Number(e.self_points) > 0)).toEqual([]);
    const filled = await modified(await downloaded(clerk, `${SHEET}.xlsx`), (_book, ws) => {
      for (const item of itemRows(ws)) {
        if (item.auto) continue;
        if (["I", "II", "III", "IV"].includes(item.group)) ws.getCell(item.row, 4).value = item.max;
        else ws.getCell(item.row, 4).value = 0;
      }
      const first = itemRows(ws)[0]!;
      ws.getCell(first.row, 4).value = "7,5";
      ws.getCell(first.row, 6).value = "Báo cáo số 12/BC-CTHADS ngày 10/12/2022";
    });
    const res = await upload(clerk, filled, SHEET);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(SHEET);
    const saved = await entries(importer);
    const byCode = new Map(saved.map((e) => [e.code, e]));
    expect(Number(byCode.get("1.1")!.self_points)).toBe(7.5);
    expect(byCode.get("1.1")!.evidence).toBe("Báo cáo số 12/BC-CTHADS ngày 10/12/2022");
    const book = await load(filled);
    for (const item of itemRows(book.getWorksheet("Bảng chấm điểm")!).filter((i) => !i.auto && i.code !== "1.1")) {
      const e = byCode.get(item.code)!;
      const expected = ["I", "II", "III", "IV"].includes(item.group) ? item.max : 0;
      expect([item.code, Number(e.self_points ?? e.self_count)]).toEqual([item.code, expected]);
    }
    expect((await db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", importer.code).first("s.status")).status).toBe("draft");
    const page = await clerk.get(SHEET);
    expect(page.text).toContain("Đã nhập bảng tính vào bản nháp bảng điểm.");
    expect(page.text).toContain('value="7,5"');
    const audit = await db("audit_log").where({ action: "score_sheet.save" }).orderBy("id", "desc").first("username");
    expect(audit?.username).toBe(importer.clerk);
  });

  it("when a workbook is malformed, another agency's or year's, or altered, then it is refused with its cell or reason and nothing is saved", async () => {
    const workbook = await downloaded(clerk);
    const before = await entries();
    const rowOf = async (code: string) => itemRows((await load(workbook)).getWorksheet("Bảng chấm điểm")!).find((i) => i.code === code)!;
    const first = await rowOf("1.1");
    const second = await rowOf("1.2");

    const other = await downloaded(await loginAs(app, y.secretariat), `${BASE}/sheets/${neighbour.code}.xlsx`);
    const cases: { name: string; data: Buffer; expected: string[] }[] = [
      {
        name: "over the maximum and not a number",
        data: await modified(workbook, (_b, ws) => {
          ws.getCell(first.row, 4).value = first.max + 1;
          ws.getCell(second.row, 4).value = "mười";
        }),
        expected: [`Ô D${first.row}: điểm không được vượt quá điểm tối đa ${String(first.max.toFixed(2)).replace(".", ",")}`, `Ô D${second.row}: điểm phải là một số`],
      },
      {
        name: "negative points",
        data: await modified(workbook, (_b, ws) => void (ws.getCell(first.row, 4).value = -1)),
        expected: [`Ô D${first.row}: điểm không được nhỏ hơn 0`],
      },
      { name: "another agency", data: other, expected: [`Bảng tính này là của đơn vị “${neighbour.name}”, không phải của ${own.name}`] },
      { name: "another year", data: await modified(workbook, (book) => void (book.getWorksheet("_thidua")!.getCell("A3").value = 2021)), expected: ["Bảng tính này là của năm 2021, không phải năm 2022"] },
      {
        name: "a row inserted",
        data: await modified(workbook, (_b, ws) => ws.spliceRows(first.row, 0, ["9.9", "Tiêu chí tự thêm", 5])),
        expected: [`Ô A${first.row}: cấu trúc bảng đã bị thay đổi (ô này phải là “1.1”)`],
      },
      { name: "a maximum changed", data: await modified(workbook, (_b, ws) => void (ws.getCell(first.row, 3).value = 99)), expected: [`Ô C${first.row}: cấu trúc bảng đã bị thay đổi`] },
      { name: "not a workbook", data: Buffer.from("Mã;Điểm\n1.1;5\n"), expected: ["Tệp không đọc được như một bảng tính Excel (.xlsx)"] },
      {
        name: "a workbook not from the portal",
        data: await (async () => {
          const b = new ExcelJS.Workbook();
          b.addWorksheet("Bảng chấm điểm").getCell("A1").value = "x";
          return Buffer.from(await b.xlsx.writeBuffer());
        })(),
        expected: ["Tệp không phải bảng chấm điểm tải từ cổng"],
      },
    ];
    for (const c of cases) {
      const res = await upload(clerk, c.data);
      expect([c.name, res.status]).toEqual([c.name, 422]);
      expect(res.text).toContain("Chưa nhập được bảng tính, không có gì được lưu");
      for (const message of c.expected) expect([c.name, res.text.includes(message)]).toEqual([c.name, true]);
      expect(await entries()).toEqual(before);
    }
    const empty = await clerk.post(`${SHEET}/import`).field("_csrf", csrfFrom((await clerk.get(SHEET)).text)).field("x", "1");
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("Vui lòng chọn tệp bảng tính (.xlsx) đã điền.");
  });

  it("when the import comes without the CSRF token, from another agency's clerk or from the secretariat, then it is refused (the draft is the agency's own: 404 to others)", async () => {
    const workbook = await downloaded(clerk);
    const noToken = await clerk.post(`${SHEET}/import`).attach("file", workbook, { filename: "a.xlsx", contentType: XLSX_TYPE });
    expect(noToken.status).toBe(403);
    const stp = await loginAs(app, stranger.clerk);
    const stpPage = await stp.get(`${BASE}/sheets/${stranger.code}`);
    expect((await stp.post(`${SHEET}/import`).field("_csrf", csrfFrom(stpPage.text)).attach("file", workbook, { filename: "a.xlsx", contentType: XLSX_TYPE })).status).toBe(404);
    expect((await stp.get(`${SHEET}.xlsx`)).status).toBe(404);
    const sec = await loginAs(app, y.secretariat);
    const secPage = await sec.get(`${BASE}/sheets/${stranger.code}`);
    expect((await sec.post(`${SHEET}/import`).field("_csrf", csrfFrom(secPage.text)).attach("file", workbook, { filename: "a.xlsx", contentType: XLSX_TYPE })).status).toBe(404);
    // The secretariat may still download any sheet of its bloc.
    expect((await sec.get(`${SHEET}.xlsx`)).status).toBe(200);
  });
});
