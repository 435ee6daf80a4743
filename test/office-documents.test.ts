import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import JSZip from "jszip";
import { getDocumentProxy } from "unpdf";
import { expectInOrder, pdfText } from "./text.js";
import { createTestDatabase } from "./db.js";
import { binary, createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import { AWARDS_PLAN, addRankedMembers, addReport, newYear, publishRanking, reportContent, setAgencyLetterhead, setPlan, type TestAgency, type TestYear } from "./factories.js";
import type { Database } from "../src/db/database.js";

const NOW = new Date("2023-02-20T10:00:00+07:00");
/** The review meeting's day, as the documents date themselves with it (NĐ 30/2020: "tháng 01"). */
const MEETING_ON = "2023-01-10";
const MEETING_DATE = "ngày 10 tháng 01 năm 2023";
const SIGNER = "Đại tá Hà Đình Khiêm";
// The ranked members, in the year's order, the head first: `AWARDS_PLAN` (the deputy ranks first, the
// head second; the first three are proposed, the fourth finds the quota used up).
const PLAN = AWARDS_PLAN;
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const SOFFICE = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => fs.existsSync(p));

/** A .docx opened as what it is, a zip: the text of its paragraphs, and its XML parts. */
async function openDocx(data: Buffer) {
  const zip = await JSZip.loadAsync(data);
  const part = async (name: string) => {
    const file = zip.file(name);
    if (!file) throw new Error(`no ${name} in the .docx`);
    return file.async("string");
  };
  const document = await part("word/document.xml");
  const textOf = (xml: string) =>
    [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
      .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""))
      .join("\n")
      .replace(/&amp;/g, "&")
      .replace(/&quot;/g, '"');
  const headers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/header\d*\.xml$/.test(n)).map(part));
  return { document, styles: await part("word/styles.xml"), text: textOf(document), headerText: headers.map(textOf).join("\n"), firstTable: document.slice(document.indexOf("<w:tbl>"), document.indexOf("</w:tbl>")) };
}

describe("office formats: Word documents, their numbers and dates, DỰ THẢO", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;

  /** A 2022 of its own brought to the review meeting, unpublished, with what its documents must show. */
  interface RankedYear {
    y: TestYear;
    head: TestAgency;
    /** The ranked members' names, best first. */
    ranked: string[];
    /** As the bloc's documents head themselves: issuing body, issuer (the bloc's name), the symbols' short name. */
    issuingBody: string;
    issuer: string;
    shortName: string;
  }

  /** The plan's signer set (his title: the head's political commissar), every member of PLAN ranked, the meeting's ballot on MEETING_ON. */
  async function rankedYear(): Promise<RankedYear> {
    const y = await newYear(db, { year: 2022, agencies: PLAN.length });
    const head = y.agencies[0]!;
    await setPlan(db, y, { number: "01/KH-KTĐKT", date: "2022-01-14", signerName: SIGNER, signerPosition: `Chính ủy ${head.shortName} — Trưởng Khối thi đua` });
    const ranked = await addRankedMembers(db, y, PLAN.map((p, i) => ({ agency: y.agencies[i]!, ...p })), { heldOn: MEETING_ON, place: `Hội trường ${head.name}`, validBallots: 7 });
    const bloc = await db("blocs").where({ code: y.bloc }).first("short_name", "issuing_body");
    return { y, head, ranked: ranked.map((r) => r.name), issuingBody: bloc.issuing_body.toLocaleUpperCase("vi"), issuer: y.blocName.toLocaleUpperCase("vi"), shortName: bloc.short_name };
  }

  /** The file's ranked year, read by the tests that change nothing. */
  let shared: RankedYear;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
    shared = await rankedYear();
  });
  afterAll(() => database.close());

  const getFile = async (agent: Awaited<ReturnType<typeof loginAs>>, url: string) => {
    const res = await agent.get(url).buffer(true).parse(binary);
    expect([url, res.status]).toEqual([url, 200]);
    return res;
  };

  // Read-only, on the file's ranked year as its meeting left it (the tests below number, date and publish years of their own): any order.
  describe("on a ranked year as its meeting left it", () => {
    it("when each .docx is unzipped, then it is A4 with the decree's margins, Times New Roman, the two-column header, repeating table headers, the signer's title and DỰ THẢO", async () => {
      const { y, head, ranked, issuingBody, issuer, shortName } = shared;
      const leader = await loginAs(app, y.leader);
      const cases = [
        { url: "/ranking.docx", filename: `xep-hang-${y.bloc}-2022.docx`, kind: "BÁO CÁO", symbol: `/BC-${shortName}`, order: ranked },
        { url: "/ballots/minutes.docx", filename: `bien-ban-binh-xet-${y.bloc}-2022.docx`, kind: "BIÊN BẢN", symbol: `/BB-${shortName}`, order: ranked },
        { url: "/ranking/proposal-letter.docx", filename: `to-trinh-khen-thuong-${y.bloc}-2022.docx`, kind: "TỜ TRÌNH", symbol: `/TTr-${shortName}`, order: ranked.slice(0, 3) },
      ];
      for (const c of cases) {
        const res = await getFile(leader, `${y.Y}${c.url}`);
        expect(res.headers["content-type"]).toBe(DOCX_TYPE);
        expect(res.headers["content-disposition"]).toContain(c.filename);
        const docx = await openDocx(res.body as Buffer);
        // A4 (twips) and margins top/bottom 20 mm, left 30 mm, right 15 mm.
        expect(docx.document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
        const margins = /<w:pgMar ([^>]*)\/>/.exec(docx.document)![1]!;
        expect(margins).toMatch(/w:top="1134"/);
        expect(margins).toMatch(/w:bottom="1134"/);
        expect(margins).toMatch(/w:left="1701"/);
        expect(margins).toMatch(/w:right="850"/);
        // Times New Roman everywhere, body 14 pt (28 half-points).
        expect(docx.styles).toMatch(/w:ascii="Times New Roman"/);
        expect(docx.styles).toMatch(/<w:sz w:val="28"\/>/);
        expect(docx.document).not.toMatch(/w:ascii="(?!Times New Roman)/);
        // The header is a two-column table: issuer and number left, motto and place-date right.
        expect((docx.firstTable.match(/<w:tc>/g) ?? []).length).toBe(2);
        expectInOrder(docx.firstTable, [issuingBody, issuer, c.symbol, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", `Tuyên Quang, ${MEETING_DATE}`]);
        expectInOrder(docx.text, [c.kind, ...c.order]);
        expect(docx.document).toContain("<w:tblHeader/>");
        expect(docx.document).toContain("<w:cantSplit/>");
        // Unpublished year: a draft, on the first page and in every page's header.
        expect(docx.text).toContain("DỰ THẢO");
        expect(docx.headerText).toContain("DỰ THẢO");
      }
      const summary = await openDocx((await getFile(leader, `${y.Y}/ranking.docx`)).body as Buffer);
      expectInOrder(summary.text, ["Nơi nhận:", "Lưu: VT.", "TRƯỞNG KHỐI THI ĐUA", head.name, "CHÍNH ỦY", SIGNER]);
    });

    it.skipIf(!SOFFICE)("when LibreOffice converts each .docx to PDF, then the PDF's text holds the agencies in rank order" + (SOFFICE ? "" : " (skipped: LibreOffice is not installed; CI installs libreoffice-writer-nogui)"), async () => {
      const { y, ranked } = shared;
      const leader = await loginAs(app, y.leader);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-docx-"));
      try {
        const files = [["ranking.docx", ranked], ["minutes.docx", ranked], ["proposal-letter.docx", ranked.slice(0, 3)]] as const;
        const urls = { "ranking.docx": "/ranking.docx", "minutes.docx": "/ballots/minutes.docx", "proposal-letter.docx": "/ranking/proposal-letter.docx" };
        for (const [name] of files) fs.writeFileSync(path.join(dir, name), (await getFile(leader, `${y.Y}${urls[name]}`)).body as Buffer);
        await promisify(execFile)(
          SOFFICE!,
          [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "pdf", "--outdir", dir, ...files.map(([n]) => path.join(dir, n))],
          { timeout: 180_000 },
        );
        for (const [name, order] of files) {
          const pdf = fs.readFileSync(path.join(dir, name.replace(/\.docx$/, ".pdf")));
          const doc = await getDocumentProxy(new Uint8Array(pdf));
          const view = (await doc.getPage(1)).view;
          expect([Math.round(view[2]!), Math.round(view[3]!)]).toEqual([595, 842]);
          const text = await pdfText(pdf);
          expectInOrder(text, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "DỰ THẢO", ...order]);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 200_000);

    it("when the ranking page is printed, then its print styles hide the buttons and keep the table whole on a landscape page", async () => {
      const { y } = shared;
      const leader = await loginAs(app, y.leader);
      const page = await leader.get(`${y.Y}/ranking`);
      expect(page.text).toMatch(/<p class="actions no-print">/);
      expect(page.text).toMatch(/<section class="publication no-print">/);
      expectInOrder(page.text, ["/ranking.docx", "/ballots/minutes.docx", "/ranking/proposal-letter.docx", "/documents"]);
      const css = (await leader.get("/css/print.css")).text;
      expect(css).toContain("@page wide { size: A4 landscape");
      expect(css).toContain("main:has(table.ranking) { page: wide; }");
      expect(css).toMatch(/\.table-scroll \{ overflow: visible !important; \}/);
      expect(css).toMatch(/form, button, \.button \{ display: none !important; \}/);
    });
  });

  it("when the secretariat sets a number and date in the register, then the print page, the PDF and the .docx carry them; bad input is refused beside the field and nothing is saved", async () => {
    const { y, shortName } = await rankedYear();
    const BASE = y.Y;
    const numbers = async () => Number((await db("document_numbers").where({ year_id: y.yearId }).count({ n: "*" }).first())!.n);
    const sec = await loginAs(app, y.secretariat);
    const page = await sec.get(`${BASE}/documents`);
    expect(page.status).toBe(200);
    expectInOrder(page.text, ["Sổ văn bản năm 2022", "Báo cáo kết quả chấm điểm, xếp hạng thi đua", `/BC-${shortName}`, "10/01/2023", "mặc định: ngày họp bình xét", "Biên bản họp bình xét thi đua", "Tờ trình đề nghị khen thưởng"]);

    const bad = await sec.post(`${BASE}/documents/ranking_summary`).type("form").send({ _csrf: csrfFrom(page.text), number: "25a", issued_on: "31/02/2023" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Số văn bản là một số nguyên dương");
    expect(bad.text).toContain("Ngày ban hành phải là một ngày có thật");
    expect(bad.text).toContain('value="25a"');
    expect(bad.text).toContain('value="31/02/2023"');
    expect(bad.text).toContain('aria-invalid="true"');
    expect(await numbers()).toBe(0);

    const noToken = await sec.post(`${BASE}/documents/ranking_summary`).type("form").send({ number: "25", issued_on: "15/01/2023" });
    expect(noToken.status).toBe(403);
    const leader = await loginAs(app, y.leader);
    const leaderPage = await leader.get(`${BASE}/documents`);
    expect(leaderPage.status).toBe(200);
    expect(leaderPage.text).not.toContain("Lưu số và ngày");
    expect((await leader.post(`${BASE}/documents/ranking_summary`).type("form").send({ _csrf: csrfFrom(leaderPage.text), number: "25", issued_on: "15/01/2023" })).status).toBe(403);
    expect((await (await loginAs(app, y.agencies[2]!.clerk)).get(`${BASE}/documents`)).status).toBe(404);
    expect(await numbers()).toBe(0);

    const ok = await sec.post(`${BASE}/documents/ranking_summary`).type("form").send({ _csrf: csrfFrom(page.text), number: "25", issued_on: "15/01/2023" });
    expect(ok.status).toBe(303);
    const after = await sec.get(`${BASE}/documents`);
    expectInOrder(after.text, ["Đã lưu số và ngày văn bản.", `Số: 25/BC-${shortName}`, "15/01/2023", "đã đặt"]);
    const audit = await db("audit_log").where({ action: "document.number", entity_id: `${y.yearId}:ranking_summary` }).first("after");
    expect(JSON.stringify(audit?.after)).toContain("2023-01-15");

    const print = await leader.get(`${BASE}/ranking/print`);
    expectInOrder(print.text, [`Số: 25/BC-${shortName}`, "Tuyên Quang, ngày 15 tháng 01 năm 2023"]);
    const pdf = await pdfText((await getFile(leader, `${BASE}/ranking.pdf`)).body as Buffer);
    expectInOrder(pdf, [`Số: 25/BC-${shortName}`, "Tuyên Quang, ngày 15 tháng 01 năm 2023"]);
    const docx = await openDocx((await getFile(leader, `${BASE}/ranking.docx`)).body as Buffer);
    expectInOrder(docx.firstTable, [`Số: 25/BC-${shortName}`, "Tuyên Quang, ngày 15 tháng 01 năm 2023"]);
    // The minutes keep their own (blank) number and the meeting's date.
    expectInOrder((await leader.get(`${BASE}/ballots/minutes`)).text, [`/BB-${shortName}`, MEETING_DATE]);
  });

  it("when the year is unpublished, then print, PDF and .docx say DỰ THẢO; once published, none does and an unset date is the publication's", async () => {
    const { y } = await rankedYear();
    const BASE = y.Y;
    const leader = await loginAs(app, y.leader);
    const print = await leader.get(`${BASE}/ranking/proposal-letter`);
    expect(print.text).toContain('class="doc-draft"');
    expect(await pdfText((await getFile(leader, `${BASE}/ranking/proposal-letter.pdf`)).body as Buffer)).toContain("DỰ THẢO");
    // The leader publishes the ranking on 20/01/2023.
    await publishRanking(db, y, "2023-01-20");
    const published = await leader.get(`${BASE}/ranking/proposal-letter`);
    expect(published.text).not.toContain("DỰ THẢO");
    expect(published.text).toContain("Tuyên Quang, ngày 20 tháng 01 năm 2023");
    expect(await pdfText((await getFile(leader, `${BASE}/ranking/proposal-letter.pdf`)).body as Buffer)).not.toContain("DỰ THẢO");
    const docx = await openDocx((await getFile(leader, `${BASE}/ranking/proposal-letter.docx`)).body as Buffer);
    expect(docx.text + docx.headerText).not.toContain("DỰ THẢO");
    expect(docx.firstTable).toContain("Tuyên Quang, ngày 20 tháng 01 năm 2023");
  });

  describe("an agency's own report", () => {
    /**
     * A 2022 of its own for the agencies' reports: `sender` (its governing body and its head, a
     * director, on its letterhead) sent its annual report on 14/12/2022; `drafting` (a governing body
     * too) saved its annual report as a draft; `renamed` has a governing body the secretariat changes.
     */
    let y: TestYear;
    let head: TestAgency, sender: TestAgency, drafting: TestAgency, renamed: TestAgency;
    beforeAll(async () => {
      y = await newYear(db, { year: 2022, agencies: 4 });
      [head, sender, drafting, renamed] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency];
      await setAgencyLetterhead(db, y, sender, { governingBody: "BỘ CÔNG AN", headName: "Đại tá Nguyễn Văn B", headPosition: "Giám đốc" });
      await setAgencyLetterhead(db, y, drafting, { governingBody: "TỔNG CỤC THI HÀNH ÁN DÂN SỰ", headPosition: "Cục trưởng" });
      await setAgencyLetterhead(db, y, renamed, { governingBody: "TÒA ÁN NHÂN DÂN TỐI CAO", headPosition: "Chánh án" });
      const general = "Hoàn thành xuất sắc các chỉ tiêu công tác năm 2022, bảo đảm an ninh chính trị trên địa bàn.\nKhông để xảy ra vụ việc phức tạp.";
      await addReport(db, y, { agency: sender, period: 2, status: "accepted", on: "2022-12-14", content: reportContent(general) });
      await addReport(db, y, { agency: drafting, period: 2, status: "draft" });
      await addReport(db, y, { agency: renamed, period: 2, status: "submitted", on: "2022-12-15" });
    });

    it("when a clerk prints their agency's report, then it carries the agency's own header and the form's content as print, PDF and .docx; another agency's clerk gets 404", async () => {
      const BASE = y.Y;
      const clerk = await loginAs(app, sender.clerk);
      const reportPath = `${BASE}/periods/2/reports/${sender.code}`;
      const NAME = sender.name.toLocaleUpperCase("vi");
      const pageRes = await clerk.get(reportPath);
      expect(pageRes.status).toBe(200);
      expectInOrder(pageRes.text, [`href="${reportPath}/print"`, `href="${reportPath}/report.pdf"`, `href="${reportPath}/report.docx"`]);
      const content = (await db("reports as r").join("periods as p", "p.id", "r.period_id").where({ "p.year_id": y.yearId, "p.number": 2, "r.agency_id": sender.id }).first("r.content")).content;
      const general = String((typeof content === "string" ? JSON.parse(content) : content).general).split("\n")[0]!.trim();
      expect(general.length).toBeGreaterThan(10);

      const print = await clerk.get(`${reportPath}/print`);
      expect(print.status).toBe(200);
      expectInOrder(print.text, ["BỘ CÔNG AN", NAME, "Số:", "/BC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tuyên Quang, ngày 14 tháng 12 năm 2022", "BÁO CÁO", "Kết quả tổng kết phong trào thi đua năm 2022", `Kính gửi: ${head.name} — Trưởng ${y.blocName}`, "II. ĐÁNH GIÁ CHUNG", general.slice(0, 40), "Nơi nhận:", "GIÁM ĐỐC", "Đại tá Nguyễn Văn B"]);
      expect(print.text).not.toContain('class="doc-draft"');
      const pdf = await pdfText((await getFile(clerk, `${reportPath}/report.pdf`)).body as Buffer);
      expectInOrder(pdf, ["BỘ CÔNG AN", NAME, "BÁO CÁO", "II. ĐÁNH GIÁ CHUNG"]);
      const docxRes = await getFile(clerk, `${reportPath}/report.docx`);
      expect(docxRes.headers["content-disposition"]).toContain(`bao-cao-nam-${sender.code}-2022.docx`);
      const docx = await openDocx(docxRes.body as Buffer);
      expectInOrder(docx.firstTable, ["BỘ CÔNG AN", NAME, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]);
      expectInOrder(docx.text, ["BÁO CÁO", "II. ĐÁNH GIÁ CHUNG", general.slice(0, 40), "GIÁM ĐỐC"]);

      const other = await loginAs(app, renamed.clerk);
      for (const suffix of ["/print", "/report.pdf", "/report.docx"]) expect([suffix, (await other.get(`${reportPath}${suffix}`)).status]).toEqual([suffix, 404]);
      // A report not sent yet prints as a draft.
      const draft = await (await loginAs(app, drafting.clerk)).get(`${BASE}/periods/2/reports/${drafting.code}/print`);
      expect(draft.status).toBe(200);
      expectInOrder(draft.text, ["TỔNG CỤC THI HÀNH ÁN DÂN SỰ", drafting.name.toLocaleUpperCase("vi"), "ngày …… tháng …… năm ……", "DỰ THẢO"]);
    });

    it("when the secretariat sets an agency's governing body on the agency form, then the agency's report prints it above its name", async () => {
      const sec = await loginAs(app, y.secretariat);
      const agencyForm = `${y.B}/agencies/${renamed.code}`;
      const form = await sec.get(agencyForm);
      expect(form.text).toContain("Cơ quan chủ quản");
      expect(form.text).toContain('value="TÒA ÁN NHÂN DÂN TỐI CAO"');
      const res = await postForm(sec, agencyForm, agencyForm, { governingBody: "Tòa án nhân dân cấp cao tại Hà Nội" });
      expect(res.status).toBe(303);
      const print = await sec.get(`${y.Y}/periods/2/reports/${renamed.code}/print`);
      expectInOrder(print.text, ["TÒA ÁN NHÂN DÂN CẤP CAO TẠI HÀ NỘI", renamed.name.toLocaleUpperCase("vi"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]);
    });
  });
});
