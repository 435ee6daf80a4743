import { describe, expect, it } from "vitest";
import { useTestPortal } from "./portal.js";
import { postForm, type Agent } from "./http.js";
import { AWARDS_PLAN, addRankedMembers, addSheet, newYear, type RankedMember, type TestAgency, type TestYear } from "./factories.js";

// The file's portal starts from the schema alone; each test builds a 2022 of its own (a new bloc), so
// that no test finds a ranking another has published or reopened.
const portal = useTestPortal();

// The ranked members: `AWARDS_PLAN` (the flag to the best, certificates to the next two); a sixth
// member has only a draft sheet: it is not ranked.
const PLAN = AWARDS_PLAN;

interface RankedYear {
  y: TestYear;
  Y: string;
  /** Best first. */
  ranked: RankedMember[];
  /** Its sheet a draft: not ranked, and still editable until publication. */
  drafting: TestAgency;
}

/** A 2022 of the test's own at its review meeting, its ranking not yet published. */
async function rankedYear(): Promise<RankedYear> {
  const y = await newYear(portal.db, { year: 2022, agencies: PLAN.length + 1 });
  const ranked = await addRankedMembers(portal.db, y, PLAN.map((p, i) => ({ agency: y.agencies[i]!, ...p })), { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7 });
  const drafting = y.agencies[PLAN.length]!;
  await addSheet(portal.db, y, { agency: drafting, status: "draft" });
  return { y, Y: y.Y, ranked, drafting };
}

const publishedAt = async (y: TestYear) => (await portal.db("emulation_years").where({ id: y.yearId }).first("ranking_published_at")).ranking_published_at;

/** The leader confirms the publication of the year's ranking. */
async function publish(Y: string, leader: Agent) {
  const res = await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" });
  expect(res.status).toBe(303);
}

describe("publishing the ranking", () => {
  it("before publication a clerk cannot read the ranking, and only the leader (or admin) may publish", async () => {
    const { y, Y, ranked, drafting } = await rankedYear();
    const clerk = await portal.login(drafting.clerk);
    const waiting = await clerk.get(`${Y}/ranking`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain("Kết quả xếp hạng chưa được công bố.");
    expect(waiting.text).not.toContain(ranked[0]!.name);
    expect((await clerk.get(`${Y}/ranking.json`)).status).toBe(404);
    expect((await clerk.get("/")).text).toContain("Kết quả xếp hạng thi đua năm 2022 chưa được công bố.");
    const sec = await portal.login(y.secretariat);
    expect((await sec.get(`${Y}/ranking`)).text).toContain(ranked[0]!.name); // the secretariat reads it…
    expect((await sec.get(`${Y}/ranking`)).text).not.toContain("Công bố kết quả xếp hạng"); // …but may not publish it
    expect((await postForm(sec, `${Y}/ranking`, `${Y}/ranking/publish`, {})).status).toBe(403);
    expect((await postForm(clerk, "/", `${Y}/ranking/publish`, {})).status).toBe(403);
    expect(await publishedAt(y)).toBeNull();
  });

  it("when the leader publishes, the proposals are stored as computed, members read the ranking, sheets and ballots freeze", async () => {
    const { y, Y, ranked, drafting } = await rankedYear();
    const leader = await portal.login(y.leader);
    const expected = (await leader.get(`${Y}/ranking.json`)).body as { agency: string; proposal: string | null; rank: number | null; total: number }[];
    await publish(Y, leader);
    expect(await publishedAt(y)).not.toBeNull();
    const stored = await portal.db("proposals as p").join("agencies as a", "a.id", "p.agency_id").where("p.year_id", y.yearId).orderBy("p.rank").select("a.code", "p.award", "p.rank", "p.total", "p.status");
    const labels: Record<string, string> = { flag: "Cờ thi đua của UBND tỉnh", merit: "Bằng khen của Chủ tịch UBND tỉnh" };
    expect(stored.map((r) => [r.code, labels[r.award], r.rank, Number(r.total)])).toEqual(
      expected.filter((r) => r.proposal).map((r) => [r.agency, r.proposal, r.rank, r.total]),
    );
    // The flag to the best, the certificates to the next two (see PLAN).
    expect(stored.map((r) => [r.code, r.award])).toEqual([[ranked[0]!.code, "flag"], [ranked[1]!.code, "merit"], [ranked[2]!.code, "merit"]]);
    const audit = await portal.db("audit_log").where({ action: "ranking.publish", entity_id: String(y.yearId) }).first();
    expect(audit.username).toBe(y.leader);

    const clerk = await portal.login(drafting.clerk);
    expect((await clerk.get(`${Y}/ranking`)).status).toBe(200);
    const home = (await clerk.get("/")).text;
    expect(home).toContain(`: <a href="${Y}/ranking">Xem kết quả xếp hạng</a>`);
    expect(home).toMatch(/đã được công bố ngày \d{2}\/\d{2}\/\d{4}: <a href="[^"]+\/ranking">Xem kết quả xếp hạng<\/a>/);
    expect(home).toContain('<a href="/ranking"');
    // The draft sheet, which its clerk could save until now, is frozen.
    const sheet = await postForm(clerk, `${Y}/sheets/${drafting.code}`, `${Y}/sheets/${drafting.code}`, { action: "save" });
    expect(sheet.status).toBe(409);
    expect(sheet.text).toContain("Kết quả xếp hạng năm này đã công bố: bảng điểm chỉ được xem.");
    const sec = await portal.login(y.secretariat);
    expect((await postForm(sec, `${Y}/ballots`, `${Y}/ballots`, { valid_ballots: "7" })).status).toBe(409);
    expect((await postForm(leader, `${Y}/ranking`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(409);
  });

  it("reopening needs a written reason, is audited, and hides the ranking from clerks again", async () => {
    const { y, Y, drafting } = await rankedYear();
    const leader = await portal.login(y.leader);
    await publish(Y, leader);
    expect(Number((await portal.db("proposals").where({ year_id: y.yearId }).count("* as n").first())!.n)).toBe(3);
    const none = await postForm(leader, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "ngắn" });
    expect(none.status).toBe(422);
    expect(none.text).toContain("Vui lòng ghi rõ lý do mở lại kết quả xếp hạng");
    expect(await publishedAt(y)).not.toBeNull();
    const ok = await postForm(leader, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "Khối chấm lại mục 1.1 của Sở Tư pháp theo kết luận thanh tra." });
    expect(ok.status).toBe(303);
    expect(await publishedAt(y)).toBeNull();
    expect(await portal.db("proposals").where({ year_id: y.yearId }).count("* as n")).toEqual([{ n: 0 }]);
    const audit = await portal.db("audit_log").where({ action: "ranking.reopen", entity_id: String(y.yearId) }).first();
    expect(audit.after.reason).toContain("kết luận thanh tra");
    const clerk = await portal.login(drafting.clerk);
    expect((await clerk.get(`${Y}/ranking`)).text).toContain("Kết quả xếp hạng chưa được công bố.");
    expect((await clerk.get(`${Y}/ranking.json`)).status).toBe(404);
  });
});
