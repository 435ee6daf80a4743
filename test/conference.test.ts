import { describe, expect, it } from "vitest";
import * as cheerio from "cheerio";
import { useTestPortal } from "./portal.js";
import { postForm } from "./http.js";

// Issue 18: the annual conference records next year's head and deputy under the year's rule
// (`headMayRepeat`, default false); the minutes show them and the next year copied from this one takes them.
const Y = "/blocs/noichinh-tq/years/2022";

const portal = useTestPortal({ data: "demo-2022-open", now: () => new Date("2022-12-20T09:00:00+07:00") });

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");
const id = async (code: string) => String((await portal.db("agencies").where({ code }).first("id")).id);
const setRule = async (headMayRepeat: boolean) => {
  const y = await portal.db("emulation_years").where({ year: 2022 }).first("id", "rules");
  const rules = typeof y.rules === "string" ? JSON.parse(y.rules) : y.rules;
  await portal.db("emulation_years").where({ id: y.id }).update({ rules: JSON.stringify({ ...rules, headMayRepeat }) });
};

describe("next year's head and deputy", () => {
  it("the leader reads the page without the form; a clerk may not open it, the leader may not record", async () => {
    const leader = await portal.login("lanhdao");
    const page = await leader.get(`${Y}/conference`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toMatch(/Trưởng khối năm 2022\s*Bộ Chỉ huy Quân sự tỉnh Tuyên Quang/);
    expect(text(page.text)).toContain("một cơ quan không làm Trưởng khối hai năm liền");
    expect(page.text).not.toContain("Ghi kết quả Hội nghị");
    expect((await (await portal.login("canbo.stp")).get(`${Y}/conference`)).status).toBe(403);
    expect((await postForm(leader, `${Y}/conference`, `${Y}/conference`, { nextHeadAgencyId: await id("congan") })).status).toBe(403);
  });

  it("by default this year's head cannot head next year too, and head and deputy must differ", async () => {
    const sec = await portal.login("thuongtruc");
    // Whatever an earlier test recorded, the refused posts below must leave it as it is.
    const choice = async () => portal.db("emulation_years").where({ year: 2022 }).first("next_head_agency_id", "next_deputy_agency_id", "conference_held_on");
    const before = await choice();
    const repeat = await postForm(sec, `${Y}/conference`, `${Y}/conference`, { heldOn: "15/12/2022", nextHeadAgencyId: await id("bchqs"), nextDeputyAgencyId: await id("congan") });
    expect(repeat.status).toBe(422);
    expect(repeat.text).toContain("một cơ quan không làm Trưởng khối hai năm liền: Bộ Chỉ huy Quân sự tỉnh Tuyên Quang là Trưởng khối năm 2022.");
    expect(cheerio.load(repeat.text)("#heldOn").attr("value")).toBe("15/12/2022");
    const same = await postForm(sec, `${Y}/conference`, `${Y}/conference`, { nextHeadAgencyId: await id("congan"), nextDeputyAgencyId: await id("congan") });
    expect(same.status).toBe(422);
    expect(same.text).toContain("phải là hai cơ quan, đơn vị khác nhau");
    expect(await choice()).toEqual(before);
  });

  it("when the year's rules allow a head to repeat, then the same head may be recorded", async () => {
    await setRule(true);
    const sec = await portal.login("thuongtruc");
    expect((await postForm(sec, `${Y}/conference`, `${Y}/conference`, { nextHeadAgencyId: await id("bchqs"), nextDeputyAgencyId: "" })).status).toBe(303);
    expect((await portal.db("emulation_years").where({ year: 2022 }).first()).next_head_agency_id).toBe(Number(await id("bchqs")));
    await setRule(false);
  });

  it("the recorded choice is audited, shown in the minutes, and taken by next year's copy", async () => {
    const sec = await portal.login("thuongtruc");
    expect((await postForm(sec, `${Y}/conference`, `${Y}/conference`, { heldOn: "15/12/2022", nextHeadAgencyId: await id("congan"), nextDeputyAgencyId: await id("vks") })).status).toBe(303);
    const audit = await portal.db("audit_log").where({ action: "year.conference" }).orderBy("id", "desc").first();
    expect(audit.after).toMatchObject({ conferenceHeldOn: "2022-12-15", nextHead: "Công an tỉnh Tuyên Quang", nextDeputy: "Viện kiểm sát nhân dân tỉnh Tuyên Quang" });
    const log = text((await sec.get("/audit")).text);
    expect(log).toContain("Ghi Trưởng khối, Phó trưởng khối năm sau");
    expect(log).toContain("Trưởng khối năm sau");
    const minutes = text((await sec.get(`${Y}/ballots/minutes`)).text);
    expect(minutes).toContain("IV. TRƯỞNG KHỐI, PHÓ TRƯỞNG KHỐI NĂM 2023");
    expect(minutes).toContain("Hội nghị ngày 15/12/2022 thống nhất: Công an tỉnh Tuyên Quang làm Trưởng khối, Viện kiểm sát nhân dân tỉnh Tuyên Quang làm Phó Trưởng khối thi đua năm 2023.");
    expect((await postForm(sec, `${Y}/setup`, `${Y}/next-year`, {})).status).toBe(303);
    const y2023 = await portal.db("emulation_years").where({ year: 2023 }).first();
    expect([y2023.head_agency_id, y2023.deputy_agency_id]).toEqual([Number(await id("congan")), Number(await id("vks"))]);
  });
});
