import { beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { expectInOrder } from "./text.js";
import { useTestPortal } from "./portal.js";
import { postForm, type Agent } from "./http.js";
import { addAccount, addBallotMeeting, addRegistration, addReport, addSheet, newYear, publishRanking, sendEverythingOnTime, type TestAgency, type TestYear } from "./factories.js";
import { rankingCommand } from "../src/ranking/ranking-command.js";
import { addDays } from "../src/lib/dates.js";

const NOW = new Date("2022-12-14T10:00:00+07:00");

/** The text of the ranked table and of the unranked table. */
function tables(html: string) {
  const ranked = html.slice(html.indexOf('class="data ranking"'), html.indexOf("</table>", html.indexOf('class="data ranking"')));
  const unranked = html.slice(html.indexOf('class="data unranked"'), html.indexOf("</table>", html.indexOf('class="data unranked"')));
  return { ranked, unranked };
}

/** `thads`'s self points as its clerk types them (98,5 on the standard items, 3 bonus), as form fields. */
function thadsSelfPoints(ids: Record<string, number>): Record<string, string> {
  const values: Record<string, string> = {
    "1.1": "38,5", "1.2": "10", "1.3": "10", "2.1": "5", "2.2": "5", "2.3": "5", "3.1": "5", "3.2": "3", "3.3": "3", "3.4": "4",
    "4.1": "3", "4.2": "4", "4.3": "3", "5.1": "3", "5.2": "0", "6.2": "0", "6.3": "0",
  };
  return Object.fromEntries(Object.entries(values).map(([code, v]) => [`p_${ids[code]}`, v]));
}

/**
 * The members of a ranking year, named after the demo's agencies they stand in for (the year's order:
 * the head, the deputy, then the others). On the template's score sheet (100 points on the standard
 * items, 1 point off per late or never-sent report once reviewed):
 * - `congan` 97 (3 short on item 1.1), `bchqs` 95 (5 short), `vks` 93 (7 short), `toaan` 89 (11 short):
 *   everything sent on time, sheets reviewed;
 * - `stp` 83: 16 short and its 6-month report never sent (counted as late once its sheet is reviewed);
 * - `thads`: its registration sent 4 days late, its annual report a draft, its sheet a draft (92 on
 *   its own points, less the late registration: 91, provisional);
 * - `thanhtra`: everything on time, its sheet sent (94) but not yet reviewed.
 * The meeting of 10/01/2023 (7 valid ballots) gave congan 6, bchqs 5, vks 5, toaan 4, stp 3: the
 * flag to congan (at least 2/3), the two certificates to bchqs and vks (over 1/2), none left for toaan.
 * The unranked are listed by name: thads ("Cơ quan 6 …") before thanhtra ("Cơ quan 7 …").
 */
interface RankingYear {
  y: TestYear;
  BASE: string;
  congan: TestAgency; bchqs: TestAgency; vks: TestAgency; toaan: TestAgency; stp: TestAgency; thads: TestAgency; thanhtra: TestAgency;
  /** An observer of the bloc. */
  observer: string;
}

async function rankingYear(db: Knex): Promise<RankingYear> {
  const y = await newYear(db, { year: 2022, agencies: 7 });
  const [bchqs, congan, vks, toaan, stp, thads, thanhtra] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
  const item11 = (short: number) => ({ "1.1": String(40 - short) });
  for (const [agency, short] of [[congan, 3], [bchqs, 5], [vks, 7], [toaan, 11]] as const) {
    await sendEverythingOnTime(db, y, agency);
    await addSheet(db, y, { agency, status: "reviewed", self: item11(short) });
  }
  const annual = y.periods.find((p) => p.kind === "annual")!;
  await addRegistration(db, y, { agency: stp, on: addDays(y.registrationDueOn, -5) });
  await addReport(db, y, { agency: stp, period: annual.number, status: "accepted", on: addDays(annual.dueOn, -5) });
  await addSheet(db, y, { agency: stp, status: "reviewed", self: item11(16) });
  await sendEverythingOnTime(db, y, thanhtra);
  await addSheet(db, y, { agency: thanhtra, status: "submitted", self: item11(6) });
  await addRegistration(db, y, { agency: thads, on: addDays(y.registrationDueOn, 4) });
  await addReport(db, y, { agency: thads, period: annual.number, status: "draft", on: "2022-12-01" });
  await addSheet(db, y, { agency: thads, status: "draft", on: "2022-12-01", self: { "1.1": "35", "1.2": "7" } });
  await addBallotMeeting(db, y, { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7, votes: [[congan, 6], [bchqs, 5], [vks, 5], [toaan, 4], [stp, 3]] });
  const observer = `bantdkt.${y.bloc}`;
  await addAccount(db, { username: observer, role: "observer", blocs: [y.bloc] });
  return { y, BASE: y.Y, congan, bchqs, vks, toaan, stp, thads, thanhtra, observer };
}

// One database for the file, from the schema alone; each `describe` builds a ranking year of its own
// (a new bloc), so that none finds the sheet another reviewed, the votes it recorded or its publication.
const portal = useTestPortal({ now: () => NOW });

/** A ranking year of the `describe`'s own (see `RankingYear`), built before its tests; `setUp` runs once it is. */
function useRankingYear(setUp?: (r: RankingYear) => Promise<void>): RankingYear {
  const r = {} as RankingYear;
  beforeAll(async () => {
    Object.assign(r, await rankingYear(portal.db));
    await setUp?.(r);
  });
  return r;
}

const thadsSheet = (r: RankingYear) => `${r.BASE}/sheets/${r.thads.code}`;

/** thads's clerk sends its sheet (1.1 at 38,5, with its evidence); the signed-in clerk is returned. */
async function submitThads(r: RankingYear) {
  const ids = r.y.criteria;
  const clerk = await portal.login(r.thads.clerk);
  const submitted = await postForm(clerk, thadsSheet(r), thadsSheet(r), { action: "submit", ...thadsSelfPoints(ids), [`e_${ids["1.1"]}`]: "Báo cáo tổng kết 2022" });
  expect(submitted.status).toBe(303);
  return clerk;
}

/** The secretariat marks thads's sent sheet reviewed with 38 on 1.1 and a reason. */
async function markThadsReviewed(r: RankingYear) {
  const ids = r.y.criteria;
  const sec = await portal.login(r.y.secretariat);
  const reviewed = await postForm(sec, thadsSheet(r), thadsSheet(r), {
    action: "reviewed",
    [`b_${ids["1.1"]}`]: "38",
    [`r_${ids["1.1"]}`]: "Chỉ tiêu thi hành xong về tiền chưa đạt kế hoạch giao.",
  });
  expect(reviewed.status).toBe(303);
  return sec;
}

/** thads's clerk sends its sheet and the secretariat marks it reviewed (the two steps above). */
async function reviewThads(r: RankingYear) {
  await submitThads(r);
  await markThadsReviewed(r);
}

describe("ranking", () => {
  // Read-only (or refused) on the year as built: the tests that change the ranking, record votes or
  // publish have years of their own.
  describe("on the year as built", () => {
    const r = useRankingYear();

    it("when the secretariat opens the ranking, then the reviewed agencies are ranked in order, the others after with their reason, and the rules in force show", async () => {
      const { y, BASE, congan, bchqs, vks, toaan, stp, thads, thanhtra } = r;
      const sec = await portal.login(y.secretariat);
      const res = await sec.get(`${BASE}/ranking`);
      expect(res.status).toBe(200);
      const { ranked, unranked } = tables(res.text);
      expectInOrder(ranked, [congan.name, "97,00", bchqs.name, "95,00", vks.name, "93,00", toaan.name, "89,00", stp.name, "83,00"]); // stp's 6-month report never sent counts as late (−1)
      expect(ranked).not.toContain(thads.name);
      expect(ranked).not.toContain(thanhtra.name);
      expectInOrder(unranked, [thads.name, "Bảng chấm điểm chưa được gửi", thanhtra.name, "Bảng chấm điểm chưa được Khối thẩm định"]);
      expectInOrder(ranked, [congan.name, "6/7", "Cờ thi đua của UBND tỉnh", bchqs.name, "Bằng khen của Chủ tịch UBND tỉnh", vks.name, "Bằng khen"]);
      expect(res.text).toContain("từ 95,00 điểm: Hoàn thành xuất sắc nhiệm vụ");
      expect(res.text).toContain("điểm thưởng tính tối đa 5,00 điểm");
      expect(res.text).toContain("Cờ thi đua của UBND tỉnh: tối đa 1 đơn vị");
      expect(res.text).toContain("đạt từ 2/3 số phiếu hợp lệ");
      expect(res.text).toContain("đạt trên 1/2 số phiếu hợp lệ");
    });

    it("when ranking.json and the CLI's json are asked for, then the rows have the contract's shape, ranked first", async () => {
      const { y, BASE, congan, bchqs, vks, toaan, stp, thads, thanhtra } = r;
      const sec = await portal.login(y.secretariat);
      const res = await sec.get(`${BASE}/ranking.json`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      const rows = res.body as Record<string, unknown>[];
      expect(rows.map((row) => row.agency)).toEqual([congan, bchqs, vks, toaan, stp, thads, thanhtra].map((a) => a.code));
      expect(rows[0]).toEqual({
        rank: 1, agency: congan.code, name: congan.name, total: 97, provisional: false, classification: "Hoàn thành xuất sắc nhiệm vụ",
        proposal: "Cờ thi đua của UBND tỉnh", reason: null,
      });
      expect(rows[5]).toEqual({
        rank: null, agency: thads.code, name: thads.name, total: 91, provisional: true, classification: null, proposal: null, reason: "Bảng chấm điểm chưa được gửi",
      });
      for (const row of rows) expect(Object.keys(row).sort()).toEqual(["agency", "classification", "name", "proposal", "provisional", "rank", "reason", "total"]);
      expect(JSON.parse(await rankingCommand(portal.db, [y.bloc, "2022", "--format", "json"]))).toEqual(rows);
    });

    it("when the CLI prints csv or a table, then the header and rows come in rank order; an unknown bloc or year is one clear error", async () => {
      const { y, BASE, congan } = r;
      const printed = await rankingCommand(portal.db, [y.bloc, "2022", "--format", "csv"]);
      const csv = printed.replace(/^\uFEFF/, "").split("\r\n");
      expect(printed.startsWith("\uFEFF")).toBe(true);
      expect(csv[0]).toBe("Hạng;Mã;Cơ quan, đơn vị;Tổng điểm;Xếp loại;Đề nghị khen thưởng;Lý do (không xếp hạng / không đề nghị)");
      expect(csv[1]).toBe(`1;${congan.code};${congan.name};97,00;Hoàn thành xuất sắc nhiệm vụ;Cờ thi đua của UBND tỉnh;`);
      expect(csv).toHaveLength(9); // header, 7 agencies, the final line end
      // One read path: the CLI prints the web's ranking.csv byte for byte.
      const web = await (await portal.login(y.secretariat)).get(`${BASE}/ranking.csv`).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => cb(null, Buffer.concat(chunks)));
      });
      expect(web.status).toBe(200);
      expect((web.body as Buffer).toString("utf8")).toBe(printed);
      const table = await rankingCommand(portal.db, [y.bloc, "2022"]);
      expectInOrder(table, ["Hạng", congan.code, "97,00", r.bchqs.code, r.stp.code, r.thads.code, r.thanhtra.code]);
      await expect(rankingCommand(portal.db, ["khong-co", "2022"])).rejects.toThrow('Không có khối thi đua mã "khong-co".');
      await expect(rankingCommand(portal.db, [y.bloc, "2030"])).rejects.toThrow(`Khối "${y.bloc}" không có năm thi đua 2030.`);
      await expect(rankingCommand(portal.db, [y.bloc, "2022", "--format", "xml"])).rejects.toThrow(/Định dạng không hỗ trợ/);
    });

    it("when a clerk asks for the unpublished ranking, then the page says it is not yet published and its data stays 404; the leader and the observer read it", async () => {
      const { y, BASE, congan, observer } = r;
      const clerk = await portal.login(congan.clerk);
      const waiting = await clerk.get(`${BASE}/ranking`);
      expect(waiting.text).toContain("Kết quả xếp hạng chưa được công bố.");
      expect(waiting.text).not.toContain("Điểm tạm tính");
      expect((await clerk.get(`${BASE}/ranking.json`)).status).toBe(404);
      for (const username of [y.leader, observer]) {
        const agent = await portal.login(username);
        expect((await agent.get(`${BASE}/ranking`)).status).toBe(200);
      }
      const menu = await (await portal.login(y.leader)).get("/ranking");
      expect(menu.status).toBe(303);
      expect(menu.headers.location).toBe(`${BASE}/ranking`);
    });

    it("when the leader opens the ballots, then they read them, and a POST is 403", async () => {
      const { y, BASE } = r;
      const leader = await portal.login(y.leader);
      const page = await leader.get(`${BASE}/ballots`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('name="valid_ballots"');
      const res = await postForm(leader, `${BASE}/ballots`, `${BASE}/ballots`, { held_on: "10/01/2023", place: "x", valid_ballots: "7" });
      expect(res.status).toBe(403);
    });
  });

  // thads's sheet sent and reviewed: on a year of its own.
  describe("a sheet reviewed", () => {
    const r = useRankingYear();

    it("when the clerk of thads submits and the secretariat adjusts one item with a reason and marks it reviewed, then the ranking and the CLI show thads ranked first", async () => {
      const { y, BASE, congan, bchqs, vks, toaan, stp, thads, thanhtra } = r;
      const clerk = await submitThads(r);
      const readOnly = await clerk.get(thadsSheet(r));
      expect(readOnly.text).toContain("Đã gửi, chờ thẩm định");
      expect(readOnly.text).toContain("100,50"); // 98,5 + 3 − 1 late registration
      expect(readOnly.text).not.toMatch(/name="p_\d+"/);

      const sec = await markThadsReviewed(r);
      const sheet = await portal.db("score_sheets").where({ year_id: y.yearId, agency_id: thads.id }).first();
      expect(sheet.status).toBe("reviewed");
      expect(sheet.reviewed_at).not.toBeNull();
      expect(sheet.reviewed_by).not.toBeNull();
      const review = await sec.get(thadsSheet(r));
      expect(review.text).toContain("Chỉ tiêu thi hành xong về tiền chưa đạt kế hoạch giao.");
      expect(review.text).toContain("-0,50"); // the difference on item 1.1
      // 98 + 3 − 1 late registration − 1 for the 6-month report never sent; the annual one (a draft) is due
      // tomorrow, 15/12, and costs nothing yet.
      expect(review.text).toContain("99,00");

      const page = await sec.get(`${BASE}/ranking`);
      const { ranked, unranked } = tables(page.text);
      expectInOrder(ranked, [thads.name, "99,00", congan.name, "97,00", bchqs.name, vks.name, toaan.name, stp.name]);
      expect(ranked).toContain("Chưa có kết quả bỏ phiếu");
      expect(unranked).not.toContain(thads.name);
      expect(unranked).toContain(thanhtra.name);

      const cli = JSON.parse(await rankingCommand(portal.db, [y.bloc, "2022", "--format", "json"])) as { agency: string; rank: number | null; total: number }[];
      expect(cli.map((row) => row.agency)).toEqual([thads, congan, bchqs, vks, toaan, stp, thanhtra].map((a) => a.code));
      // The CLI reads the machine's date, years after 15/12/2022: the annual report never sent counts too.
      expect(cli[0]).toMatchObject({ rank: 1, total: 98 });
      expect(await portal.db("audit_log").where({ action: "score_sheet.reviewed", agency_id: thads.id }).count({ n: "*" }).first()).toEqual({ n: 1 });
    });
  });

  // The ballot after thads's sheet is reviewed (thads ranked first): on a year of its own.
  describe("the ballot", () => {
    const r = useRankingYear(reviewThads);
    /** The secretariat records the ballot of 10/01/2023: thads 6, congan 4, bchqs 5, vks 5, toaan 4, stp 3. */
    async function recordVotes(sec: Agent) {
      const votes: [TestAgency, string][] = [[r.thads, "6"], [r.congan, "4"], [r.bchqs, "5"], [r.vks, "5"], [r.toaan, "4"], [r.stp, "3"]];
      return postForm(sec, `${r.BASE}/ballots`, `${r.BASE}/ballots`, {
        held_on: "10/01/2023", place: "Hội trường Bộ CHQS tỉnh", valid_ballots: "7",
        ...Object.fromEntries(votes.map(([agency, n]) => [`v_${agency.id}`, n])),
      });
    }

    it("when the secretariat records the votes, then the proposals on the ranking page change", async () => {
      const { y, BASE, congan, bchqs, vks, thads } = r;
      const sec = await portal.login(y.secretariat);
      const form = await sec.get(`${BASE}/ballots`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('value="10/01/2023"');
      const res = await recordVotes(sec);
      expect(res.status).toBe(303);
      const { ranked } = tables((await sec.get(`${BASE}/ranking`)).text);
      expectInOrder(ranked, [thads.name, "6/7", "Cờ thi đua của UBND tỉnh", congan.name, "4/7", "Bằng khen", bchqs.name, "5/7", "Bằng khen", vks.name, "Đã đủ số lượng"]);
    });

    it("when the votes for an agency exceed the valid ballots or the date is wrong, then 422 beside the field and nothing changes", async () => {
      const { y, BASE } = r;
      const sec = await portal.login(y.secretariat);
      expect((await recordVotes(sec)).status).toBe(303); // thads: 6 of 7
      const thads = r.thads.id;
      const res = await postForm(sec, `${BASE}/ballots`, `${BASE}/ballots`, {
        held_on: "32/01/2023", place: "Hội trường", valid_ballots: "7", [`v_${thads}`]: "8",
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`<p class="field-error" id="v_${thads}-error">Số phiếu đồng ý không được lớn hơn số phiếu hợp lệ (7).</p>`);
      expect(res.text).toContain('<p class="field-error" id="held_on-error">Ngày không hợp lệ (nhập dạng dd/mm/yyyy).</p>');
      expect(res.text).toContain(`name="v_${thads}" type="text" inputmode="numeric" value="8"`);
      expect((await portal.db("votes").where({ agency_id: thads }).first()).votes_for).toBe(6);
    });
  });

  // Published: on a year of its own.
  describe("published", () => {
    const r = useRankingYear();

    it("when the ranking is published, then a clerk of the bloc sees it", async () => {
      const { y, BASE, congan, thads } = r;
      const clerk = await portal.login(congan.clerk);
      expect((await clerk.get(`${BASE}/ranking`)).text).toContain("Kết quả xếp hạng chưa được công bố.");
      await publishRanking(portal.db, y, "2022-12-14");
      const res = await clerk.get(`${BASE}/ranking`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain("Kết quả xếp hạng chưa được công bố.");
      expect(res.text).toContain(thads.name);
    });
  });
});
