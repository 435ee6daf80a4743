import { beforeAll, describe, expect, it } from "vitest";
import * as cheerio from "cheerio";
import { useTestPortal } from "./portal.js";
import { browserFormFields, csrfFrom, postForm } from "./http.js";
import { addRankedMembers, newYear, type TestMeeting, type TestYear } from "./factories.js";
import { createServices } from "../src/services.js";

const NOW = new Date("2023-01-12T10:00:00+07:00");
const MEETING: Omit<TestMeeting, "votes"> = { heldOn: "2023-01-10", place: "Hội trường Bộ CHQS tỉnh", validBallots: 7 };
const CHAIR = "Nguyễn Văn An — Chính ủy Bộ CHQS tỉnh, Trưởng Khối";
const SECRETARY = "Trần Thị Bình — Phó Chánh Văn phòng Công an tỉnh";
const ATTENDEES = "Đại diện lãnh đạo 04/04 cơ quan, đơn vị thành viên Khối";

const portal = useTestPortal({ now: () => NOW });

/** A 2022 of the test's own at its review meeting: four members ranked, the ballot recorded (`meeting` added to it). */
async function yearAtMeeting(meeting: Partial<TestMeeting> = {}): Promise<TestYear> {
  const y = await newYear(portal.db, { year: 2022, agencies: 4 });
  await addRankedMembers(
    portal.db,
    y,
    y.agencies.map((agency, i) => ({ agency, shortfall: i * 3, votes: 6 - i })),
    { ...MEETING, ...meeting },
  );
  return y;
}

const ballotsUrl = (y: TestYear) => `${y.Y}/ballots`;
const meetingRow = (y: TestYear) => portal.db("ballot_meetings").where({ year_id: y.yearId }).first("chair", "secretary", "attendees", "version");

/** The ballot form's three fields as the page shows them. */
function formFields(html: string) {
  const $ = cheerio.load(html);
  return { chair: $("input#chair").val(), secretary: $("input#secretary").val(), attendees: $("textarea#attendees").text() };
}

/** The minutes' signature blocks: role, the position above the signature, the name under it. */
function signers(html: string) {
  const $ = cheerio.load(html);
  return $(".doc-signer")
    .map((_i, el) => ({
      role: $(el).find("p").first().text().trim(),
      position: $(el).find(".doc-signer__subtitle").text().trim(),
      name: $(el).find(".doc-signer__name").text().trim(),
    }))
    .get();
}

describe("the review meeting's chair, secretary and attendees on the ballot form", () => {
  /** The file's year whose meeting has all three recorded (through the ballot service), for the tests that change nothing. */
  let shared: TestYear;
  beforeAll(async () => {
    shared = await yearAtMeeting({ chair: CHAIR, secretary: SECRETARY, attendees: ATTENDEES });
  });

  it("when the secretariat types them on the ballot form, then they are stored trimmed, shown again on the form, audited, printed on the minutes with the names under the signatures, and carried by the year bundle", async () => {
    const y = await yearAtMeeting();
    // Recorded without them, as before: nothing stored, the minutes have nobody to print.
    expect(await meetingRow(y)).toMatchObject({ chair: null, secretary: null, attendees: null });
    const sec = await portal.login(y.secretariat);
    const before = await sec.get(`${y.Y}/ballots/minutes`);
    expect(before.text).toContain("Chủ trì: —");

    // The secretary typed with a plain hyphen, as most keyboards write the dash; the attendees one per line.
    const secretary = "Trần Thị Bình - Phó Chánh Văn phòng Công an tỉnh";
    const saved = await postForm(sec, ballotsUrl(y), ballotsUrl(y), {
      chair: `  ${CHAIR}  `,
      secretary,
      attendees: "Đại diện lãnh đạo Bộ CHQS tỉnh\r\nĐại diện lãnh đạo Công an tỉnh\r\n",
    });
    expect(saved.status).toBe(303);
    expect(await meetingRow(y)).toMatchObject({ chair: CHAIR, secretary, attendees: "Đại diện lãnh đạo Bộ CHQS tỉnh\r\nĐại diện lãnh đạo Công an tỉnh" });

    const form = await sec.get(ballotsUrl(y));
    expect(form.text).toContain("Đã lưu kết quả bỏ phiếu.");
    // (An HTML parser reads the textarea's line break as "\n"; a browser sends it back as "\r\n".)
    expect(formFields(form.text)).toEqual({ chair: CHAIR, secretary, attendees: "Đại diện lãnh đạo Bộ CHQS tỉnh\nĐại diện lãnh đạo Công an tỉnh" });

    const audit = await portal.db("audit_log").where({ action: "ballots.save", entity_id: String(y.yearId) }).orderBy("id", "desc").first("before", "after");
    const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as { meeting: Record<string, unknown> };
    expect(json(audit.before).meeting).toMatchObject({ chair: null, secretary: null, attendees: null });
    expect(json(audit.after).meeting).toMatchObject({ chair: CHAIR, secretary });

    const minutes = await sec.get(`${y.Y}/ballots/minutes`);
    expect(minutes.status).toBe(200);
    expect(minutes.text).toContain(`Chủ trì: ${CHAIR}.`);
    expect(minutes.text).toContain(`Thư ký: ${secretary}.`);
    expect(minutes.text).toContain("Thành phần tham dự:");
    expect(minutes.text).toContain("- Đại diện lãnh đạo Bộ CHQS tỉnh");
    expect(minutes.text).toContain("- Đại diện lãnh đạo Công an tỉnh");
    expect(minutes.text).not.toContain("—.");
    expect(signers(minutes.text)).toEqual([
      { role: "THƯ KÝ", position: "Phó Chánh Văn phòng Công an tỉnh", name: "Trần Thị Bình" },
      { role: "CHỦ TRÌ", position: "Chính ủy Bộ CHQS tỉnh, Trưởng Khối", name: "Nguyễn Văn An" },
    ]);

    const bundle = await createServices(portal.db).bundle.exportYear(y.bloc, 2022);
    expect(bundle.ballotMeeting).toMatchObject({ chair: CHAIR, secretary, attendees: "Đại diện lãnh đạo Bộ CHQS tỉnh\r\nĐại diện lãnh đạo Công an tỉnh" });
  });

  it("when a value is longer than its column, then it is refused beside its field in Vietnamese, everything typed is kept, and the saved meeting is unchanged", async () => {
    const y = shared;
    const sec = await portal.login(y.secretariat);
    const saved = await meetingRow(y);
    const typed = { chair: `Nguyễn Văn An — ${"Chính ủy ".repeat(30)}`.trim(), secretary: "Lê Văn Cường — Chánh Văn phòng Sở Tư pháp", attendees: "Đại biểu. ".repeat(250).trim() };
    const res = await postForm(sec, ballotsUrl(y), ballotsUrl(y), typed);
    expect(res.status).toBe(422);
    const $ = cheerio.load(res.text);
    expect($("#chair-error").text()).toBe("Chủ trì cuộc họp quá dài (tối đa 200 ký tự).");
    expect($("input#chair").attr("aria-invalid")).toBe("true");
    expect($("#attendees-error").text()).toBe("Thành phần tham dự quá dài (tối đa 2000 ký tự).");
    expect($("#secretary-error")).toHaveLength(0);
    expect(formFields(res.text)).toEqual(typed);
    expect(await meetingRow(y)).toEqual(saved);
    expect(saved).toMatchObject({ chair: CHAIR, secretary: SECRETARY, attendees: ATTENDEES });
    const minutes = await sec.get(`${y.Y}/ballots/minutes`);
    expect(minutes.text).toContain(`Chủ trì: ${CHAIR}.`);
    expect(minutes.text).toContain(`Thành phần tham dự: ${ATTENDEES}.`);
  });

  it("when someone else changed the chair after the form was opened, then nothing is saved and the conflict lists the chair beside what was typed", async () => {
    const y = await yearAtMeeting({ chair: CHAIR });
    const sec = await portal.login(y.secretariat);
    // The form as opened, then the meeting saved again with another chair (another tab, another member).
    const opened = (await sec.get(ballotsUrl(y))).text;
    const other = "Phạm Văn Dũng — Phó Chính ủy Bộ CHQS tỉnh";
    expect((await postForm(sec, ballotsUrl(y), ballotsUrl(y), { chair: other })).status).toBe(303);
    const stale = await sec
      .post(ballotsUrl(y))
      .type("form")
      .send({ ...browserFormFields(opened, ballotsUrl(y)), _csrf: csrfFrom(opened), chair: "Hoàng Thị Em — Chánh Văn phòng" });
    expect(stale.status).toBe(409);
    const $ = cheerio.load(stale.text);
    const row = $(".conflict-changes tbody tr").filter((_i, el) => $(el).find("th").text() === "Chủ trì cuộc họp");
    expect(row.find("td").map((_i, el) => $(el).text()).get()).toEqual([other, "Hoàng Thị Em — Chánh Văn phòng"]);
    expect((await meetingRow(y)).chair).toBe(other);
  });

  it("when the leader opens the ballot page, then it is read-only and shows who chaired, who took the minutes and who attended; a clerk still gets 404", async () => {
    const y = shared;
    const leader = await portal.login(y.leader);
    const res = await leader.get(ballotsUrl(y));
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($("form input#chair")).toHaveLength(0);
    const text = $("main").text().replace(/\s+/g, " ");
    expect(text).toContain(`Chủ trì cuộc họp: ${CHAIR} · Thư ký cuộc họp: ${SECRETARY}`);
    expect(text).toContain(`Thành phần tham dự: ${ATTENDEES}`);
    // A clerk of the bloc still has no ballot page.
    const clerk = await portal.login(y.agencies[2]!.clerk);
    const denied = await clerk.get(ballotsUrl(y));
    expect(denied.status).toBe(404);
    expect(denied.text).not.toContain(CHAIR);
  });
});
