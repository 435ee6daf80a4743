import type { Knex } from "knex";
import { createServices } from "../src/services.js";
import { usersRepo, type User } from "../src/auth/users-repo.js";
import type { ReportContent } from "../src/reports/reports-repo.js";
import { addDays, formatDate } from "../src/lib/dates.js";
import { ExtensionForm, YearForm } from "../src/setup/schemas.js";
import { hash, type Algorithm } from "@node-rs/argon2";
import { DEMO_PASSWORD } from "../seeds/demo-data.js";

// Records a test makes for itself, so that it needs no other test's writes and leaves the shared
// ones (the demo's agencies and reports) as seeded.

let demoPasswordHash: Promise<string> | undefined;
/**
 * The demo password's hash for the accounts tests make, computed once per worker: Argon2id like the
 * portal's, at the least memory and time. The login verifies it by the same code (the cost is read from
 * the hash), and the suite's hundreds of logins skip the 19 MiB each that guard real accounts.
 */
const passwordHash = () =>
  (demoPasswordHash ??= hash(DEMO_PASSWORD, { algorithm: 2 as Algorithm, memoryCost: 1024, timeCost: 1, parallelism: 1 }));

export interface NewMember {
  id: number;
  code: string;
  name: string;
  /** The username of its clerk (the demo password). */
  clerk: string;
}

/**
 * A new member agency of `bloc` from `year` (it joins the bloc's open years, like one the secretariat
 * adds on the bloc's agencies page, through the same service), with one clerk account
 * `canbo.<code>` that signs in with the demo password and need not change it.
 */
export async function addMemberAgency(
  db: Knex,
  opts: { bloc: string; code: string; name: string; shortName?: string; year: number; by?: string },
): Promise<NewMember> {
  const by = await db("users").where({ username: opts.by ?? "thuongtruc" }).first("id");
  const secretariat = await usersRepo(db).findById(by.id);
  const created = await createServices(db).agencies.create(secretariat!, opts.bloc, {
    code: opts.code,
    name: opts.name,
    shortName: opts.shortName ?? opts.name,
    headName: null,
    headPosition: null,
    governingBody: null,
    joinedYear: opts.year,
  });
  if (created.errors) throw new Error(`agency ${opts.code}: ${JSON.stringify(created.errors)}`);
  const { id } = await db("agencies").where({ code: opts.code }).first("id");
  const clerk = `canbo.${opts.code}`;
  await addAccount(db, { username: clerk, fullName: `Cán bộ ${opts.name}`, role: "clerk", agency: opts.code });
  return { id, code: opts.code, name: opts.name, clerk };
}

/**
 * An account that signs in with the demo password and need not change it: a bloc's secretariat,
 * leader or observer (`blocs`: the codes of the blocs it is given), or a clerk (`agency`: its code).
 */
export async function addAccount(
  db: Knex,
  opts: { username: string; role: "admin" | "secretariat" | "leader" | "observer" | "clerk"; fullName?: string; blocs?: string[]; agency?: string },
): Promise<number> {
  const agency = opts.agency ? await db("agencies").where({ code: opts.agency }).first("id") : null;
  const [{ id }] = await db("users")
    .insert({ username: opts.username, full_name: opts.fullName ?? opts.username, role: opts.role, agency_id: agency?.id ?? null, email: `${opts.username}@tuyenquang.example`, password_hash: await passwordHash() })
    .returning("id");
  for (const code of opts.blocs ?? []) {
    const bloc = await db("blocs").where({ code }).first("id");
    await db("user_blocs").insert({ user_id: id, bloc_id: bloc.id });
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// A year of the test's own. Feature tests start from the schema alone (`createTestDatabase()`) and
// build here just the bloc year they exercise, through the services the admin's, the secretariat's
// and the clerks' web forms call (blocs, agencies, year lifecycle; then registrations, reports and
// score sheets), so what a test reads is what the product builds, and no test leans on the demo's
// records: a bloc with its secretariat, the deputy's reviewer and its leader, N member agencies each
// with a clerk, and a year made from the portal's template (its rules, the usual movements, the two
// usual periods and their deadlines, the 100 + 5 points score sheet of the demo's criteria).

let admin: Promise<User> | undefined;
let adminDb: Knex | undefined;
/** The installation's administrator the factory creates blocs as (one per database). */
async function factoryAdmin(db: Knex): Promise<User> {
  if (adminDb !== db) [adminDb, admin] = [db, undefined];
  return (admin ??= (async () => {
    const row = await db("users").where({ username: "quantri.test" }).first("id");
    const id = row?.id ?? (await addAccount(db, { username: "quantri.test", role: "admin", fullName: "Quản trị (kiểm thử)" }));
    return (await usersRepo(db).findById(id))!;
  })());
}

/** The instant of `time` (HH:MM, Vietnam time) on the local day `day` (YYYY-MM-DD): when a factory acts, or a test's clock. */
export const localTime = (day: string, time = "09:00") => new Date(`${day}T${time}:00+07:00`);

const asUser = async (db: Knex, username: string): Promise<User> => {
  const row = await db("users").where({ username }).first("id");
  if (!row) throw new Error(`no account ${username}`);
  return (await usersRepo(db).findById(row.id))!;
};

export interface TestAgency extends NewMember {
  shortName: string;
}

export interface TestPeriod {
  number: number;
  kind: "six_month" | "annual";
  id: number;
  title: string;
  dataFrom: string;
  dataTo: string;
  dueOn: string;
}

export interface TestYear {
  bloc: string;
  blocName: string;
  year: number;
  yearId: number;
  /** Its pages: `/blocs/<bloc>` and `/blocs/<bloc>/years/<year>`. */
  B: string;
  Y: string;
  /**
   * Usernames (the demo password): the bloc's secretariat (no agency of its own), the deputy
   * agency's secretariat (who alone reviews the head's reports and sheet) and the leader.
   */
  secretariat: string;
  deputyReviewer: string;
  leader: string;
  /** The members in the year's order; the first is the bloc head, the second the deputy. */
  agencies: TestAgency[];
  periods: TestPeriod[];
  /** The registration's due date (local, YYYY-MM-DD). */
  registrationDueOn: string;
  /** Criterion id by code ("1.1" → its id). */
  criteria: Record<string, number>;
  /** The movements' codes, in order. */
  campaigns: string[];
}

/** Who reviews `agency`'s reports and sheet: the deputy's reviewer for the head (the first member), else the secretariat. */
const reviewerOf = (y: TestYear, agency: TestAgency) => (agency.id === y.agencies[0]!.id ? y.deputyReviewer : y.secretariat);

export interface NewYearOptions {
  year?: number;
  /** How many member agencies (default 4, at least 2: head and deputy). */
  agencies?: number;
}

let blocCount = 0;
/**
 * A bloc year of the test's own, on a new bloc `khoi-<n>` (unique in the database): the admin
 * creates the bloc; its secretariat, leader and `agencies` members (each with its clerk
 * `canbo.<code>`; the deputy's reviewer once the deputy exists); the secretariat makes `year` (2022
 * by default) from the template, head the first member, deputy the second.
 */
export async function newYear(db: Knex, opts: NewYearOptions = {}): Promise<TestYear> {
  const year = opts.year ?? 2022;
  const bloc = `khoi-${++blocCount}`;
  const blocName = `Khối thi đua kiểm thử ${bloc}`;
  const services = createServices(db);
  const secretariat = `thuongtruc.${bloc}`;
  const leader = `lanhdao.${bloc}`;
  const deputyReviewer = `phokhoi.${bloc}`;
  const created = await services.blocAdmin.create(await factoryAdmin(db), { code: bloc, name: blocName, shortName: "KTĐKT", issuingBody: "UBND TỈNH KIỂM THỬ", placeName: "Tuyên Quang", level: "province" });
  if (created.errors) throw new Error(`bloc ${bloc}: ${JSON.stringify(created.errors)}`);
  await addAccount(db, { username: secretariat, role: "secretariat", fullName: `Thường trực ${bloc}`, blocs: [bloc] });
  await addAccount(db, { username: leader, role: "leader", fullName: `Lãnh đạo ${bloc}`, blocs: [bloc] });
  // The members as the secretariat pastes a list of them (one transaction), then a clerk each.
  const rows = Array.from({ length: Math.max(2, opts.agencies ?? 4) }, (_, i) => ({ code: `${bloc}-cq${i + 1}`, name: `Cơ quan ${i + 1} của ${bloc}`, shortName: `CQ${i + 1} ${bloc}` }));
  const added = await services.agencies.addMany(await asUser(db, secretariat), bloc, { rows, existingIds: [], joinedYear: year });
  if (added.errors) throw new Error(`agencies of ${bloc}: ${JSON.stringify(added.errors)}`);
  for (const r of rows) await addAccount(db, { username: `canbo.${r.code}`, fullName: `Cán bộ ${r.name}`, role: "clerk", agency: r.code });
  await addAccount(db, { username: deputyReviewer, role: "secretariat", fullName: `Thường trực Phó Trưởng khối ${bloc}`, blocs: [bloc], agency: `${bloc}-cq2` });
  const sec = await asUser(db, secretariat);
  const members: { id: number; code: string; name: string; short_name: string }[] = await db("bloc_memberships as m")
    .join("agencies as a", "a.id", "m.agency_id")
    .join("blocs as b", "b.id", "m.bloc_id")
    .where("b.code", bloc)
    .orderBy("a.id")
    .select("a.id", "a.code", "a.name", "a.short_name");
  const made = await services.yearLifecycle.create(sec, bloc, { year, source: { kind: "template" }, headAgencyId: members[0]!.id, deputyAgencyId: members[1]!.id });
  if (made.errors) throw new Error(`year ${year} of ${bloc}: ${JSON.stringify(made.errors)}`);
  const y = await db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": bloc, "y.year": year }).first("y.id", "y.registration_due_on");
  const periods = (await db("periods").where({ year_id: y.id }).orderBy("number")).map(
    (p): TestPeriod => ({ number: p.number, kind: p.kind, id: p.id, title: p.title, dataFrom: p.data_from, dataTo: p.data_to, dueOn: p.due_on }),
  );
  const criteria = Object.fromEntries((await db("criteria").where({ year_id: y.id }).select("id", "code")).map((c: { id: number; code: string }) => [c.code, c.id]));
  const campaigns: string[] = await db("campaigns").where({ year_id: y.id }).orderBy("sort_order").pluck("code");
  const B = `/blocs/${bloc}`;
  return {
    bloc,
    blocName,
    year,
    yearId: y.id,
    B,
    Y: `${B}/years/${year}`,
    secretariat,
    deputyReviewer,
    leader,
    agencies: members.map((m) => ({ id: m.id, code: m.code, name: m.name, shortName: m.short_name, clerk: `canbo.${m.code}` })),
    periods,
    registrationDueOn: y.registration_due_on,
    criteria,
    campaigns,
  };
}

/** A report's content with the general results (what a submission needs) and one movement's work. */
export const reportContent = (general = "Hoàn thành tốt các chỉ tiêu, nhiệm vụ được giao.", campaign = "PT1"): ReportContent => ({
  sections: { [campaign]: { done: "Đã phổ biến kế hoạch", results: "", figures: "" } },
  general,
  shortcomings: "",
  proposals: "",
});

/**
 * An agency's report of `y` brought to `status` through the reports service, as its clerk and the
 * secretariat would: a draft saved, or sent on `on` (local date, 09:00; lateness counts from it),
 * then returned with `comment` or accepted the day after.
 */
export async function addReport(
  db: Knex,
  y: TestYear,
  opts: { agency: TestAgency; period: number; status: "draft" | "submitted" | "returned" | "accepted"; on?: string; comment?: string; content?: ReportContent },
): Promise<number> {
  const on = opts.on ?? y.periods.find((p) => p.number === opts.period)!.dueOn;
  const target = { blocCode: y.bloc, year: y.year, period: opts.period, agencyCode: opts.agency.code };
  const clerk = await asUser(db, opts.agency.clerk);
  const reports = createServices(db, { now: () => localTime(on) }).reports;
  const saved = await reports.saveAsAgency(clerk, target, { content: opts.content ?? reportContent(), version: null, action: opts.status === "draft" ? "save" : "submit" });
  if (!saved.ok) throw new Error(`report of ${opts.agency.code}: ${JSON.stringify(saved)}`);
  const row = await db("reports").where({ period_id: y.periods.find((p) => p.number === opts.period)!.id, agency_id: opts.agency.id }).first("id", "version");
  if (opts.status === "returned" || opts.status === "accepted") {
    const reviewed = await createServices(db, { now: () => localTime(addDays(on, 1)) }).reports.review(await asUser(db, reviewerOf(y, opts.agency)), target, { action: opts.status === "returned" ? "return" : "accept", comment: opts.comment ?? "Bổ sung số liệu.", version: row.version });
    if (reviewed.errors) throw new Error(`review of ${opts.agency.code}: ${JSON.stringify(reviewed.errors)}`);
  }
  return row.id;
}

/**
 * A clerk's score sheet form for `y`: every standard item at its maximum, no bonus, no deduction
 * (the automatic late-report count is not typed), `overrides` by criterion code replacing values.
 */
export async function sheetValues(db: Knex, y: TestYear, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const items: { id: number; code: string; kind: string; max_points: string }[] = await db("criteria").where({ year_id: y.yearId }).whereNotNull("parent_id").whereNull("auto_source").select("id", "code", "kind", "max_points");
  return Object.fromEntries(items.map((c) => [`p_${c.id}`, overrides[c.code] ?? (c.kind === "standard" ? String(Number(c.max_points)) : "0")]));
}

/**
 * An agency's score sheet of `y` brought to `status` through the score sheets service, as its
 * clerk and the secretariat would: saved as a draft, or sent on `on` (local date, 09:00; the
 * annual due date by default) with `self` points (`sheetValues`), then reviewed the day after with
 * the bloc's points equal to the agency's unless `bloc` gives others (with their reasons), and with
 * the review form's discipline box ticked when `discipline` gives its reason (a case that caps the
 * agency's classification and bars it from the proposals); or returned with `comment`. The head's
 * sheet is reviewed by the deputy's reviewer.
 */
export async function addSheet(
  db: Knex,
  y: TestYear,
  opts: { agency: TestAgency; status: "draft" | "submitted" | "reviewed" | "returned"; on?: string; self?: Record<string, string>; bloc?: Record<string, [points: string, reason: string]>; discipline?: string; comment?: string },
): Promise<number> {
  const on = opts.on ?? y.periods.find((p) => p.kind === "annual")!.dueOn;
  const params = { bloc: y.bloc, year: y.year, agency: opts.agency.code };
  const values = await sheetValues(db, y, opts.self);
  const own = await createServices(db, { now: () => localTime(on) }).sheets.saveOwn(await asUser(db, opts.agency.clerk), params, { action: opts.status === "draft" ? "save" : "submit", version: null, values });
  if (!("message" in own)) throw new Error(`sheet of ${opts.agency.code} not saved`);
  const sheet = await db("score_sheets").where({ year_id: y.yearId, agency_id: opts.agency.id }).first("id", "version");
  if (opts.status === "reviewed" || opts.status === "returned") {
    const review: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) review[name.replace(/^p_/, "b_")] = value;
    for (const [code, [points, reason]] of Object.entries(opts.bloc ?? {})) Object.assign(review, { [`b_${y.criteria[code]}`]: points, [`r_${y.criteria[code]}`]: reason });
    if (opts.discipline !== undefined) Object.assign(review, { discipline_flag: "1", discipline_reason: opts.discipline });
    if (opts.status === "returned") review.return_comment = opts.comment ?? "Bổ sung minh chứng.";
    const done = await createServices(db, { now: () => localTime(addDays(on, 1)) }).sheets.review(await asUser(db, reviewerOf(y, opts.agency)), params, { action: opts.status === "reviewed" ? "reviewed" : "return", version: sheet.version, values: review });
    if (!("message" in done)) throw new Error(`sheet of ${opts.agency.code} not ${opts.status}: ${JSON.stringify("view" in done ? (done.view as { errors?: unknown }).errors : done)}`);
  }
  return sheet.id;
}

/** An agency's registration of `y` sent by its clerk on `on` (local date, 09:00; the due date by default), through the registrations service. */
export async function addRegistration(db: Knex, y: TestYear, opts: { agency: TestAgency; on?: string }): Promise<void> {
  const on = opts.on ?? y.registrationDueOn;
  const saved = await createServices(db, { now: () => localTime(on) }).registrations.save(await asUser(db, opts.agency.clerk), y.bloc, y.year, opts.agency.code, {
    action: "submit",
    version: null,
    titles: ["Tập thể lao động xuất sắc"],
    targets: `Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao năm ${y.year}.`,
    signerName: "Nguyễn Văn A",
    signerPosition: "Thủ trưởng",
  });
  if (!saved.ok) throw new Error(`registration of ${opts.agency.code}: ${JSON.stringify(saved)}`);
}

/**
 * Everything `agency` owes in `y` sent on time and accepted (the registration; each period's report,
 * five days before its due date), so its sheet's automatic late-report count is nought even once reviewed.
 */
export async function sendEverythingOnTime(db: Knex, y: TestYear, agency: TestAgency): Promise<void> {
  await addRegistration(db, y, { agency, on: addDays(y.registrationDueOn, -5) });
  for (const p of y.periods) await addReport(db, y, { agency, period: p.number, status: "accepted", on: addDays(p.dueOn, -5) });
}

/**
 * The year's plan as the secretariat's year form sets it (`setup.updateYear`, the other fields kept):
 * its number and date, and its signer, whose name and title the bloc's documents are signed with.
 */
export async function setPlan(db: Knex, y: TestYear, plan: { number?: string; date?: string; signerName: string; signerPosition: string }): Promise<void> {
  const sec = await asUser(db, y.secretariat);
  const setup = createServices(db).setup;
  const { form } = await setup.yearPage(sec, y.bloc, y.year);
  // The form's own schema, as the route parses it.
  const input = YearForm.parse({
    ...form,
    headAgencyId: form.headAgencyId === null ? "" : String(form.headAgencyId),
    deputyAgencyId: form.deputyAgencyId === null ? "" : String(form.deputyAgencyId),
    planNumber: plan.number ?? form.planNumber,
    planDate: plan.date ? formatDate(plan.date) : form.planDate,
    planSignerName: plan.signerName,
    planSignerPosition: plan.signerPosition,
  });
  const saved = await setup.updateYear(sec, y.bloc, y.year, input);
  if (saved.errors) throw new Error(`plan of ${y.bloc} ${y.year}: ${JSON.stringify(saved.errors)}`);
}

export interface TestMeeting {
  /** Local date, YYYY-MM-DD. */
  heldOn: string;
  place: string;
  validBallots: number;
  /** Votes for each candidate (the others get none recorded). */
  votes: [agency: TestAgency, votesFor: number][];
  /** Who chaired, who took the minutes, who attended ("name — position"), as the minutes print them. */
  chair?: string;
  secretary?: string;
  attendees?: string;
}

/**
 * The review meeting's secret ballot recorded by the secretariat on the ballot page's service, at
 * 17:00 on the meeting's day (the ranking as it stood then is kept for the minutes), with the chair,
 * the secretary and the attendees typed in the same form (left empty when not given).
 */
export async function addBallotMeeting(db: Knex, y: TestYear, m: TestMeeting): Promise<void> {
  const sec = await asUser(db, y.secretariat);
  const values: Record<string, string> = {
    version: "",
    held_on: formatDate(m.heldOn),
    place: m.place,
    valid_ballots: String(m.validBallots),
    chair: m.chair ?? "",
    secretary: m.secretary ?? "",
    attendees: m.attendees ?? "",
  };
  for (const [agency, votes] of m.votes) values[`v_${agency.id}`] = String(votes);
  const saved = await createServices(db, { now: () => localTime(m.heldOn, "17:00") }).ballots.save(sec, y.bloc, y.year, values);
  if (!("message" in saved)) throw new Error(`ballots of ${y.bloc} ${y.year}: ${JSON.stringify((saved.view as { errors?: unknown }).errors ?? "conflict")}`);
}

/** The year's ranking published by its leader on `on` (local date, 10:00), through the publication service. */
export async function publishRanking(db: Knex, y: TestYear, on: string): Promise<void> {
  const published = await createServices(db, { now: () => localTime(on, "10:00") }).publication.publish(await asUser(db, y.leader), y.bloc, y.year, true);
  if (published.errors) throw new Error(`ranking of ${y.bloc} ${y.year}: ${JSON.stringify(published.errors)}`);
}

/** The year closed by its secretariat on `on` (local date, 10:00), through the year lifecycle service. */
export async function closeYear(db: Knex, y: TestYear, on: string): Promise<void> {
  await createServices(db, { now: () => localTime(on, "10:00") }).yearLifecycle.close(await asUser(db, y.secretariat), y.bloc, y.year);
}

/**
 * Five members' item 1.1 shortfall on a reviewed sheet and votes at a review meeting of 7 valid ballots,
 * in the year's order, for `addRankedMembers`. Under the template's rules (one flag: excellent and at
 * least 2/3 of the ballots; two certificates: good and over 1/2) the best (3 short, 6 votes) is proposed
 * for the flag and the next two for the certificate; the fourth has its votes but no certificate left,
 * the fifth too few votes.
 */
export const AWARDS_PLAN: readonly { shortfall: number; votes: number }[] = [
  { shortfall: 5, votes: 5 },
  { shortfall: 3, votes: 6 },
  { shortfall: 7, votes: 5 },
  { shortfall: 10, votes: 4 },
  { shortfall: 15, votes: 3 },
];

export interface RankedMember extends TestAgency {
  /** Its total: the standard items' maximum less its shortfall (everything on time, no bonus). */
  total: number;
  votes: number;
}

/**
 * `y` brought to its review meeting for the `ranked` members: each sends everything on time (a
 * reviewed sheet counts reports not sent as late), its sheet reviewed with item 1.1 `shortfall`
 * points under its maximum, and the meeting's ballot gives it `votes`. Returns them best first,
 * with the totals the ranking must show.
 */
export async function addRankedMembers(
  db: Knex,
  y: TestYear,
  ranked: { agency: TestAgency; shortfall: number; votes: number }[],
  meeting: Omit<TestMeeting, "votes">,
): Promise<RankedMember[]> {
  const max11 = Number((await db("criteria").where({ id: y.criteria["1.1"] }).first("max_points")).max_points);
  const standardMax = Number((await db("criteria").where({ year_id: y.yearId, kind: "standard" }).whereNotNull("parent_id").sum("max_points as n").first())!.n);
  const members: RankedMember[] = [];
  for (const { agency, shortfall, votes } of ranked) {
    await sendEverythingOnTime(db, y, agency);
    await addSheet(db, y, { agency, status: "reviewed", self: { "1.1": String(max11 - shortfall) } });
    members.push({ ...agency, total: standardMax - shortfall, votes });
  }
  members.sort((a, b) => b.total - a.total);
  await addBallotMeeting(db, y, { ...meeting, votes: members.map((m): [TestAgency, number] => [m, m.votes]) });
  return members;
}

/** The username of the installation's administrator (the one `newYear` creates blocs as), made if need be: it signs in with the demo password. */
export async function adminAccount(db: Knex): Promise<string> {
  return (await factoryAdmin(db)).username;
}

/**
 * `agency`'s letterhead as the secretariat's agency form sets it (`agencies.update`, its names kept):
 * the governing body printed above its name on its own reports, and its head's name and position, who signs them.
 */
export async function setAgencyLetterhead(
  db: Knex,
  y: TestYear,
  agency: TestAgency,
  letterhead: { governingBody?: string; headName?: string; headPosition?: string },
): Promise<void> {
  await createServices(db).agencies.update(await asUser(db, y.secretariat), y.bloc, agency.code, {
    name: agency.name,
    shortName: agency.shortName,
    headName: letterhead.headName ?? null,
    headPosition: letterhead.headPosition ?? null,
    governingBody: letterhead.governingBody ?? null,
  });
}

/** A later due date (local, YYYY-MM-DD) of `period` for `agency`, granted with `reason` as the secretariat does on the period's page (`setup.addExtension`). */
export async function extendDeadline(db: Knex, y: TestYear, opts: { agency: TestAgency; period: number; dueOn: string; reason: string }): Promise<void> {
  const input = ExtensionForm.parse({ agencyId: String(opts.agency.id), dueOn: formatDate(opts.dueOn), reason: opts.reason });
  const saved = await createServices(db).setup.addExtension(await asUser(db, y.secretariat), y.bloc, y.year, opts.period, input);
  if (saved.errors) throw new Error(`extension of ${opts.agency.code}: ${JSON.stringify(saved.errors)}`);
}
