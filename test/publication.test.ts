import { describe, expect, it, onTestFinished } from "vitest";
import { openTestPortal, useTestPortal, type TestPortal } from "./portal.js";
import { postForm, type Agent } from "./http.js";

const Y = "/blocs/noichinh-tq/years/2022";

// The demo as seeded (2022 unpublished), for the tests that only read it or are refused; a test that
// publishes has a demo of its own.
const seeded = useTestPortal({ data: "demo-2022-open" });

/** The demo with 2022 unpublished, on a database of the test's own (closed after the test). */
async function ownDemo(): Promise<TestPortal> {
  const portal = await openTestPortal({ data: "demo-2022-open" });
  onTestFinished(() => portal.close());
  return portal;
}

const publishedAt = async (portal: TestPortal) => (await portal.db("emulation_years").first("ranking_published_at")).ranking_published_at;

/** The leader confirms the publication of 2022's ranking. */
async function publish(leader: Agent) {
  const res = await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" });
  expect(res.status).toBe(303);
}

describe("publishing the ranking", () => {
  it("before publication a clerk cannot read the ranking, and only the leader (or admin) may publish", async () => {
    const portal = seeded;
    const clerk = await portal.login("canbo.stp");
    const waiting = await clerk.get(`${Y}/ranking`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain("Kết quả xếp hạng chưa được công bố.");
    expect(waiting.text).not.toContain("Công an tỉnh");
    expect((await clerk.get(`${Y}/ranking.json`)).status).toBe(404);
    expect((await clerk.get("/")).text).toContain("Kết quả xếp hạng thi đua năm 2022 chưa được công bố.");
    const sec = await portal.login("thuongtruc");
    expect((await sec.get(`${Y}/ranking`)).text).not.toContain("Công bố kết quả xếp hạng");
    expect((await postForm(sec, `${Y}/ranking`, `${Y}/ranking/publish`, {})).status).toBe(403);
    expect((await postForm(clerk, "/", `${Y}/ranking/publish`, {})).status).toBe(403);
    expect(await publishedAt(portal)).toBeNull();
  });

  it("when the leader publishes, the proposals are stored as computed, members read the ranking, sheets and ballots freeze", async () => {
    const portal = await ownDemo();
    const leader = await portal.login("lanhdao");
    const expected = (await leader.get(`${Y}/ranking.json`)).body as { agency: string; proposal: string | null; rank: number | null; total: number }[];
    await publish(leader);
    expect(await publishedAt(portal)).not.toBeNull();
    const stored = await portal.db("proposals as p").join("agencies as a", "a.id", "p.agency_id").orderBy("p.rank").select("a.code", "p.award", "p.rank", "p.total", "p.status");
    const labels: Record<string, string> = { flag: "Cờ thi đua của UBND tỉnh", merit: "Bằng khen của Chủ tịch UBND tỉnh" };
    expect(stored.map((r) => [r.code, labels[r.award], r.rank, Number(r.total)])).toEqual(
      expected.filter((r) => r.proposal).map((r) => [r.agency, r.proposal, r.rank, r.total]),
    );
    expect(stored.map((r) => r.code)).toEqual(["congan", "bchqs", "vks"]);
    const audit = await portal.db("audit_log").where({ action: "ranking.publish" }).first();
    expect(audit.username).toBe("lanhdao");

    const clerk = await portal.login("canbo.stp");
    expect((await clerk.get(`${Y}/ranking`)).status).toBe(200);
    const home = (await clerk.get("/")).text;
    expect(home).toMatch(/đã được công bố ngày \d{2}\/\d{2}\/\d{4}: <a href="\/blocs\/noichinh-tq\/years\/2022\/ranking">Xem kết quả xếp hạng<\/a>/);
    expect(home).toContain('<a href="/ranking"');
    const sheet = await postForm(clerk, `${Y}/sheets/stp`, `${Y}/sheets/stp`, { action: "save" });
    expect(sheet.status).toBe(409);
    const sec = await portal.login("thuongtruc");
    expect((await postForm(sec, `${Y}/ballots`, `${Y}/ballots`, { valid_ballots: "7" })).status).toBe(409);
    expect((await postForm(leader, `${Y}/ranking`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(409);
  });

  it("reopening needs a written reason, is audited, and hides the ranking from clerks again", async () => {
    const portal = await ownDemo();
    const leader = await portal.login("lanhdao");
    await publish(leader);
    const none = await postForm(leader, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "ngắn" });
    expect(none.status).toBe(422);
    expect(none.text).toContain("Vui lòng ghi rõ lý do mở lại kết quả xếp hạng");
    expect(await publishedAt(portal)).not.toBeNull();
    const ok = await postForm(leader, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "Khối chấm lại mục 1.1 của Sở Tư pháp theo kết luận thanh tra." });
    expect(ok.status).toBe(303);
    expect(await publishedAt(portal)).toBeNull();
    expect(await portal.db("proposals").count("* as n")).toEqual([{ n: 0 }]);
    const audit = await portal.db("audit_log").where({ action: "ranking.reopen" }).first();
    expect(audit.after.reason).toContain("kết luận thanh tra");
    const clerk = await portal.login("canbo.stp");
    expect((await clerk.get(`${Y}/ranking`)).text).toContain("Kết quả xếp hạng chưa được công bố.");
    expect((await clerk.get(`${Y}/ranking.json`)).status).toBe(404);
  });
});
