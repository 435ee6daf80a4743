import { beforeAll, describe, expect, it } from "vitest";
import * as cheerio from "cheerio";
import { useTestPortal } from "./portal.js";
import { postForm } from "./http.js";
import { addBallotMeeting, newYear, type TestAgency, type TestYear } from "./factories.js";

// Issue 18: the annual conference records next year's head and deputy under the year's rule
// (`headMayRepeat`, default false); the minutes show them and the next year copied from this one takes them.
const portal = useTestPortal({ now: () => new Date("2022-12-20T09:00:00+07:00") });

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");
/** The conference's recorded choice on `y`. */
const choice = (y: TestYear) => portal.db("emulation_years").where({ id: y.yearId }).first("next_head_agency_id", "next_deputy_agency_id", "conference_held_on");

/**
 * A 2022 of the file's own for the tests that only read or are refused (its head the first member,
 * under the template's rules: a head may not repeat); the tests that record a choice build their own.
 */
let y: TestYear;
let head: TestAgency, deputy: TestAgency, other: TestAgency;
beforeAll(async () => {
  y = await newYear(portal.db, { year: 2022, agencies: 3 });
  [head, deputy, other] = y.agencies as [TestAgency, TestAgency, TestAgency];
});

describe("next year's head and deputy", () => {
  it("the leader reads the page without the form; a clerk may not open it, the leader may not record", async () => {
    const leader = await portal.login(y.leader);
    const page = await leader.get(`${y.Y}/conference`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toMatch(new RegExp(`Trưởng khối năm 2022\\s*${head.name}`));
    expect(text(page.text)).toContain("một cơ quan không làm Trưởng khối hai năm liền");
    expect(page.text).not.toContain("Ghi kết quả Hội nghị");
    expect((await (await portal.login(other.clerk)).get(`${y.Y}/conference`)).status).toBe(403);
    expect((await postForm(leader, `${y.Y}/conference`, `${y.Y}/conference`, { nextHeadAgencyId: String(deputy.id) })).status).toBe(403);
    expect(await choice(y)).toMatchObject({ next_head_agency_id: null });
  });

  it("by default this year's head cannot head next year too, and head and deputy must differ", async () => {
    const sec = await portal.login(y.secretariat);
    // Whatever an earlier test recorded, the refused posts below must leave it as it is.
    const before = await choice(y);
    const repeat = await postForm(sec, `${y.Y}/conference`, `${y.Y}/conference`, { heldOn: "15/12/2022", nextHeadAgencyId: String(head.id), nextDeputyAgencyId: String(deputy.id) });
    expect(repeat.status).toBe(422);
    expect(repeat.text).toContain(`một cơ quan không làm Trưởng khối hai năm liền: ${head.name} là Trưởng khối năm 2022.`);
    expect(cheerio.load(repeat.text)("#heldOn").attr("value")).toBe("15/12/2022");
    const same = await postForm(sec, `${y.Y}/conference`, `${y.Y}/conference`, { nextHeadAgencyId: String(deputy.id), nextDeputyAgencyId: String(deputy.id) });
    expect(same.status).toBe(422);
    expect(same.text).toContain("phải là hai cơ quan, đơn vị khác nhau");
    expect(await choice(y)).toEqual(before);
  });

  it("when the year's rules allow a head to repeat, then the same head may be recorded", async () => {
    const own = await newYear(portal.db, { year: 2022, agencies: 2 });
    const sec = await portal.login(own.secretariat);
    // The secretariat ticks the rule on the year's rules form.
    expect((await postForm(sec, `${own.Y}/rules`, `${own.Y}/rules`, { headMayRepeat: "on" })).status).toBe(303);
    expect((await postForm(sec, `${own.Y}/conference`, `${own.Y}/conference`, { nextHeadAgencyId: String(own.agencies[0]!.id), nextDeputyAgencyId: "" })).status).toBe(303);
    expect((await choice(own)).next_head_agency_id).toBe(own.agencies[0]!.id);
  });

  it("the recorded choice is audited, shown in the minutes, and taken by next year's copy", async () => {
    // A 2022 of its own whose review meeting was recorded (the minutes are the meeting's).
    const own = await newYear(portal.db, { year: 2022, agencies: 3 });
    const [, nextHead, nextDeputy] = own.agencies as [TestAgency, TestAgency, TestAgency];
    await addBallotMeeting(portal.db, own, { heldOn: "2022-12-15", place: "Hội trường Khối", validBallots: 3, votes: own.agencies.map((a): [TestAgency, number] => [a, 2]) });
    const sec = await portal.login(own.secretariat);
    expect((await postForm(sec, `${own.Y}/conference`, `${own.Y}/conference`, { heldOn: "15/12/2022", nextHeadAgencyId: String(nextHead.id), nextDeputyAgencyId: String(nextDeputy.id) })).status).toBe(303);
    const audit = await portal.db("audit_log").where({ action: "year.conference", entity_id: String(own.yearId) }).orderBy("id", "desc").first();
    expect(audit.after).toMatchObject({ conferenceHeldOn: "2022-12-15", nextHead: nextHead.name, nextDeputy: nextDeputy.name });
    const log = text((await sec.get("/audit")).text);
    expect(log).toContain("Ghi Trưởng khối, Phó trưởng khối năm sau");
    expect(log).toContain("Trưởng khối năm sau");
    const minutes = text((await sec.get(`${own.Y}/ballots/minutes`)).text);
    expect(minutes).toContain("IV. TRƯỞNG KHỐI, PHÓ TRƯỞNG KHỐI NĂM 2023");
    expect(minutes).toContain(`Hội nghị ngày 15/12/2022 thống nhất: ${nextHead.name} làm Trưởng khối, ${nextDeputy.name} làm Phó Trưởng khối thi đua năm 2023.`);
    expect((await postForm(sec, `${own.Y}/setup`, `${own.Y}/next-year`, {})).status).toBe(303);
    const y2023 = await portal.db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": own.bloc, "y.year": 2023 }).first("y.head_agency_id", "y.deputy_agency_id");
    expect([y2023.head_agency_id, y2023.deputy_agency_id]).toEqual([nextHead.id, nextDeputy.id]);
  });
});
