import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access, bloc as blocTarget, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import { NotFoundError } from "../errors.js";
import { formatDate, formatDocumentDate, localDate, parseVnDate } from "../lib/dates.js";
import { seesDisciplineDetails, type RankingExportRow, type RankingService } from "../ranking/ranking-service.js";
import type { ReportsService, ReportTarget } from "../reports/reports-service.js";
import { AWARD_LABELS, AWARDS, formatPoints, parsePoints } from "../scoring/index.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";
import { REGISTER_KINDS, type DocumentsRepo, type MeetingRecord, type RegisterEntry, type RegisterKind } from "./documents-repo.js";
import type { DocSection, DocSigner, OfficialDocument } from "./document-model.js";

type RankingPage = Awaited<ReturnType<RankingService["page"]>>;

/** "Khối thi đua Nội chính tỉnh Tuyên Quang" under "UBND TỈNH TUYÊN QUANG" prints as "KHỐI THI ĐUA NỘI CHÍNH". */
export function issuerName(bloc: YearContext["bloc"]): string {
  const suffix = new RegExp(`\\s+tỉnh\\s+${bloc.placeName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "iu");
  const name = bloc.issuingBody.toLocaleLowerCase("vi").includes(bloc.placeName.toLocaleLowerCase("vi")) ? bloc.name.replace(suffix, "") : bloc.name;
  return name.toLocaleUpperCase("vi");
}

/**
 * "Đại tá Hà Đình Khiêm — Chính ủy Bộ CHQS tỉnh, Trưởng Khối" → name and position, split at the first
 * dash between spaces. The ballot form asks for "—", but a plain " - " is what most keyboards type.
 */
function splitPerson(text: string | null): { name: string; position: string | null } {
  if (!text) return { name: "", position: null };
  const m = /^(.*?)\s+[—–-]\s+(.*)$/su.exec(text);
  return m ? { name: m[1]!.trim(), position: m[2]!.trim() || null } : { name: text.trim(), position: null };
}

/**
 * The signer's own title from the plan's "Chính ủy Bộ CHQS tỉnh — Trưởng Khối thi đua": the first part
 * without the head agency's name, in capitals ("CHÍNH ỦY"); null when none is set up.
 */
export function signerTitle(position: string | null, agencyNames: string[]): string | null {
  if (!position) return null;
  let title = position.split(/\s+[—–]\s+/)[0]!.trim();
  for (const name of agencyNames) {
    if (name && title.toLocaleLowerCase("vi").endsWith(name.toLocaleLowerCase("vi"))) title = title.slice(0, -name.length).trim();
  }
  return title ? title.toLocaleUpperCase("vi") : null;
}

/** The documents of a year the secretariat numbers: symbol code, where they live, where their date comes from. */
export const REGISTER = {
  ranking_summary: { label: "Báo cáo kết quả chấm điểm, xếp hạng thi đua", code: "BC", print: "ranking/print", file: "ranking", defaultsTo: "publication" },
  minutes: { label: "Biên bản họp bình xét thi đua", code: "BB", print: "ballots/minutes", file: "ballots/minutes", defaultsTo: "meeting" },
  proposal_letter: { label: "Tờ trình đề nghị khen thưởng", code: "TTr", print: "ranking/proposal-letter", file: "ranking/proposal-letter", defaultsTo: "publication" },
} as const satisfies Record<RegisterKind, { label: string; code: string; print: string; file: string; defaultsTo: "meeting" | "publication" }>;

export const registerMessages = {
  numberInvalid: "Số văn bản là một số nguyên dương, tối đa 6 chữ số (ví dụ 25); để trống nếu chưa cấp số.",
  dateInvalid: "Ngày ban hành phải là một ngày có thật, dạng dd/mm/yyyy (ví dụ 15/01/2023); để trống để dùng ngày mặc định.",
  saved: "Đã lưu số và ngày văn bản.",
} as const;

/** Blank date to fill by hand: "ngày …… tháng …… năm ……". */
export const BLANK_DATE = "ngày …… tháng …… năm ……";

/** The conference's choice of next year's head and deputy, when recorded (issue 18), as a section of the minutes. */
function nextHeadSection(ctx: YearContext): { heading: string; paragraphs: string[] }[] {
  const nameOf = (id: number | null) => ctx.agencies.find((a) => a.id === id)?.name ?? null;
  const [head, deputy] = [nameOf(ctx.year.nextHeadAgencyId), nameOf(ctx.year.nextDeputyAgencyId)];
  if (!head) return [];
  const next = ctx.year.year + 1;
  const when = ctx.year.conferenceHeldOn ? ` ngày ${formatDate(ctx.year.conferenceHeldOn)}` : "";
  return [
    {
      heading: `IV. TRƯỞNG KHỐI, PHÓ TRƯỞNG KHỐI NĂM ${next}`,
      paragraphs: [`Hội nghị${when} thống nhất: ${head} làm Trưởng khối${deputy ? `, ${deputy} làm Phó Trưởng khối` : ""} thi đua năm ${next}.`],
    },
  ];
}

/** Share of the valid ballots as "85,71%". */
const sharePercent = (votes: number, valid: number) => (valid > 0 ? `${formatPoints((votes * 100) / valid)}%` : "—");

export interface RankingWorkbook {
  filename: string;
  sheetName: string;
  title: string;
  subtitle: string;
  /** "I. …" headers of the standard groups. */
  groups: string[];
  ranked: { rank: string; code: string; name: string; groups: number[]; bonus: number; deductions: number; total: number; classification: string; votes: string; proposal: string; reason: string }[];
  /** total: the provisional total, or null with no sheet at all (never a made-up 0). */
  unranked: { code: string; name: string; total: number | null; reason: string }[];
}

export interface RankingFile {
  filename: string;
  rows: RankingExportRow[];
  sheetName: string;
  year: number;
}

export function documentsService(deps: {
  repo: DocumentsRepo; years: YearsService; ranking: RankingService; reports: ReportsService; audit: AuditService; db: Knex; now: () => Date;
  /** The agencies' awards of the years before `year` still standing (revoked ones left out), for the proposal letter. */
  previousAwards: (agencyIds: number[], year: number) => Promise<{ agencyId: number; year: number; name: string; decision: string }[]>;
  cache?: ComputedYearCache;
}) {
  const { repo, years, ranking, reports, audit, db } = deps;
  const cache = deps.cache ?? noYearCache;

  /** The publication's local date, when the ranking is published. */
  const publishedOn = (ctx: YearContext) => (ctx.year.rankingPublishedAt ? localDate(new Date(ctx.year.rankingPublishedAt)) : null);

  /** The date a document carries when none is set: the meeting's (minutes), else the publication's, else the meeting's. */
  function defaultDate(ctx: YearContext, kind: RegisterKind, meeting: MeetingRecord | null): string | null {
    if (REGISTER[kind].defaultsTo === "meeting") return meeting?.heldOn ?? null;
    return publishedOn(ctx) ?? meeting?.heldOn ?? null;
  }

  /** The bloc head signs every document the bloc issues, with the title the plan's signer held. */
  const blocSigner = (ctx: RankingPage["ctx"], info: { planSignerPosition: string | null; planSignerName: string | null }): DocSigner => {
    const head = ctx.agencies.find((a) => a.id === ctx.year.headAgencyId);
    return {
      role: "TRƯỞNG KHỐI THI ĐUA",
      subtitle: head ? head.name : null,
      title: signerTitle(info.planSignerPosition, head ? [head.name, head.shortName] : []),
      name: info.planSignerName ?? "",
    };
  };

  const symbolOf = (code: string, shortName: string, number: string | null) => `Số: ${number ?? "      "}/${code}-${shortName}`;

  async function frame(page: RankingPage, kind: string, registerKind: RegisterKind, summary: string) {
    const { ctx } = page;
    // The plan's signer, the meeting and the register are all rows of the year: read once per revision (issue 16).
    const [info, meeting, register] = await cache.memo(ctx.year.id, ctx.year.revision, "documents-frame", async () =>
      [await repo.yearInfo(ctx.year.id), await repo.meeting(ctx.year.id), await repo.register(ctx.year.id)] as const);
    const signer = blocSigner(ctx, info);
    const entry = register.find((e) => e.kind === registerKind);
    const date = entry?.issuedOn ?? defaultDate(ctx, registerKind, meeting);
    return {
      info,
      signer,
      base: {
        issuingBody: ctx.bloc.issuingBody.toLocaleUpperCase("vi"),
        issuer: issuerName(ctx.bloc),
        symbol: symbolOf(REGISTER[registerKind].code, ctx.bloc.shortName, entry?.number ?? null),
        placeDate: `${ctx.bloc.placeName}, ${date ? formatDocumentDate(date) : BLANK_DATE}`,
        draft: ctx.year.rankingPublishedAt === null,
        kind,
        summary,
      },
    };
  }

  /** The ranking summary (BÁO CÁO) of the ranking shown. */
  async function rankingSummaryOf(page: RankingPage): Promise<OfficialDocument> {
    const { ctx } = page;
    const { info, signer, base } = await frame(page, "BÁO CÁO", "ranking_summary", `Kết quả chấm điểm, xếp hạng thi đua năm ${ctx.year.year} của ${ctx.bloc.name}`);
    const plan = info.planNumber ? `Kế hoạch số ${info.planNumber}${info.planDate ? ` ngày ${formatDate(info.planDate)}` : ""}` : "Kế hoạch";
    const doc: OfficialDocument = {
      title: `Báo cáo kết quả xếp hạng thi đua năm ${ctx.year.year}`,
      ...base,
      addressee: null,
      sections: [
        {
          paragraphs: [
            `Thực hiện ${plan} phát động phong trào thi đua năm ${ctx.year.year}, trên cơ sở bảng chấm điểm của các cơ quan, đơn vị đã được Khối thẩm định${page.meeting ? ` và kết quả bỏ phiếu bình xét ngày ${formatDate(page.meeting.heldOn)} (${page.meeting.validBallots} phiếu hợp lệ)` : ""}, ${ctx.bloc.name} báo cáo kết quả chấm điểm, xếp hạng thi đua năm ${ctx.year.year} như sau:`,
          ],
          table: {
            caption: "Kết quả chấm điểm, xếp hạng",
            columns: [
              { label: "Hạng", align: "center", width: 9 },
              { label: "Cơ quan, đơn vị", align: "left", width: 36 },
              { label: "Tổng điểm", align: "right", width: 12 },
              { label: "Xếp loại", align: "left", width: 20 },
              { label: "Đề nghị khen thưởng", align: "left", width: 23 },
            ],
            rows: page.ranked.map((r) => [r.rank, r.name, r.total, r.classification, r.proposal ?? ""]),
          },
        },
        ...(page.unranked.length
          ? [{
              heading: "Các cơ quan, đơn vị không xếp hạng",
              paragraphs: [],
              table: {
                caption: "Không xếp hạng",
                columns: [
                  { label: "Cơ quan, đơn vị", align: "left" as const, width: 45 },
                  { label: "Điểm tạm tính", align: "right" as const, width: 15 },
                  { label: "Lý do", align: "left" as const, width: 40 },
                ],
                rows: page.unranked.map((r) => [r.name, r.total, r.reason]),
              },
            }]
          : []),
      ],
      recipients: ["Ban Thi đua – Khen thưởng tỉnh;", "Các cơ quan trong Khối;", "Lưu: VT."],
      signers: [signer],
    };
    return doc;
  }

  /** The minutes of the review meeting (BIÊN BẢN) from the recorded ballots and the meeting's ranking. */
  async function minutesOf(page: RankingPage): Promise<OfficialDocument> {
    const { ctx } = page;
    const meeting = await repo.meeting(ctx.year.id);
    if (!meeting) throw new NotFoundError("Chưa ghi kết quả bỏ phiếu bình xét của năm này.");
    const { base } = await frame(page, "BIÊN BẢN", "minutes", `Họp bình xét thi đua năm ${ctx.year.year} của ${ctx.bloc.name}`);
    const candidates = page.ranked
      .filter((r) => r.votes !== "—")
      .map((r) => {
        const [votesFor, valid] = r.votes.split("/").map(Number);
        return { r, v: { votesFor: votesFor!, validBallots: valid! } };
      });
    const chair = splitPerson(meeting.chair);
    const secretary = splitPerson(meeting.secretary);
    const attendees = (meeting.attendees ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const doc: OfficialDocument = {
      title: `Biên bản họp bình xét thi đua năm ${ctx.year.year}`,
      ...base,
      addressee: null,
      sections: [
        { heading: "I. THỜI GIAN, ĐỊA ĐIỂM", paragraphs: [`Vào ngày ${formatDate(meeting.heldOn)}, tại ${meeting.place}, ${ctx.bloc.name} họp bình xét thi đua năm ${ctx.year.year}.`] },
        {
          heading: "II. THÀNH PHẦN",
          paragraphs: [
            `Chủ trì: ${meeting.chair ?? "—"}.`,
            `Thư ký: ${meeting.secretary ?? "—"}.`,
            // Typed one per line on the ballot form: a list under the heading; a single line stays inline.
            ...(attendees.length > 1 ? ["Thành phần tham dự:", ...attendees.map((a) => `- ${a}`)] : [`Thành phần tham dự: ${attendees[0] ?? "—"}.`]),
          ],
        },
        {
          heading: "III. KẾT QUẢ BỎ PHIẾU KÍN",
          paragraphs: [`Số phiếu hợp lệ: ${meeting.validBallots} phiếu. Kết quả bỏ phiếu đối với từng cơ quan, đơn vị như sau:`],
          table: {
            caption: "Kết quả bỏ phiếu",
            columns: [
              { label: "STT", align: "center", width: 7 },
              { label: "Cơ quan, đơn vị", align: "left", width: 32 },
              { label: "Hạng", align: "center", width: 10 },
              { label: "Tổng điểm", align: "right", width: 11 },
              { label: "Phiếu đồng ý / hợp lệ", align: "center", width: 13 },
              { label: "Tỷ lệ", align: "right", width: 11 },
              { label: "Đề nghị", align: "left", width: 21 },
            ],
            rows: candidates.map(({ r, v }, i) => [
              String(i + 1), r.name, r.rank, r.total, `${v.votesFor}/${v.validBallots}`, sharePercent(v.votesFor, v.validBallots),
              r.proposal ?? (r.pendingTie ? `${r.pendingTie}` : `Không đề nghị${r.reasons.length ? `: ${r.reasons.join("; ")}` : ""}`),
            ]),
          },
        },
        ...nextHeadSection(ctx),
        { paragraphs: ["Biên bản được thông qua tại cuộc họp, các thành viên dự họp nhất trí với nội dung trên./."] },
      ],
      recipients: null,
      signers: [
        { role: "THƯ KÝ", subtitle: secretary.position, title: null, name: secretary.name },
        { role: "CHỦ TRÌ", subtitle: chair.position, title: null, name: chair.name },
      ],
    };
    return doc;
  }

  /**
   * A document built from the rows of its year and from its bloc: once per revision of the year and day
   * (issue 16; the live ranking counts an overdue missing report from its due date on),
   * the same object for every reader who sees the same ranking (discipline details or not), so its print
   * page is rendered once too (routes.ts). The bloc is not a row of the year: its fields are in the key.
   */
  const documentOnce = (ctx: YearContext, kind: RegisterKind, user: User, build: () => Promise<OfficialDocument>) =>
    cache.memo(ctx.year.id, ctx.year.revision, ranking.perDay(`document:${kind}:${seesDisciplineDetails(user)}:${JSON.stringify(ctx.bloc)}`), build);

  return {
    /** The ranking summary the leader prints (BÁO CÁO): same access as the ranking page. */
    async rankingSummary(user: User, blocCode: string, year: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      const page = await ranking.page(user, blocCode, year);
      const { ctx } = page;
      const doc = await documentOnce(ctx, "ranking_summary", user, () => rankingSummaryOf(page));
      return { doc, ctx, filename: `bao-cao-xep-hang-${ctx.bloc.code}-${ctx.year.year}` };
    },

    /** The minutes of the review meeting (BIÊN BẢN) from the recorded ballots. */
    async minutes(user: User, blocCode: string, year: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      // The meeting's own ranking (stored when the ballot was recorded), not later data.
      const page = await ranking.page(user, blocCode, year, { as: "meeting" });
      const { ctx } = page;
      const doc = await documentOnce(ctx, "minutes", user, () => minutesOf(page));
      return { doc, ctx, filename: `bien-ban-binh-xet-${ctx.bloc.code}-${ctx.year.year}` };
    },

    /** The proposal letter (TỜ TRÌNH): the agencies proposed for each award with their totals and votes. */
    async proposalLetter(user: User, blocCode: string, year: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      const page = await ranking.page(user, blocCode, year, { as: "document" });
      const { ctx } = page;
      const { signer, base } = await frame(page, "TỜ TRÌNH", "proposal_letter", `Về việc đề nghị khen thưởng thành tích thi đua năm ${ctx.year.year} cho các cơ quan, đơn vị thuộc ${ctx.bloc.name}`);
      const awards = AWARDS.map((a) => AWARD_LABELS[a]).map((label) => ({ label, rows: page.ranked.filter((r) => r.proposal === label) }));
      // The proposed agencies' earlier awards (issue 18: "previous flags"), from the award history.
      const proposed = awards.flatMap((a) => a.rows);
      const earlier = await deps.previousAwards(proposed.map((r) => r.agencyId), ctx.year.year);
      const history = proposed
        .map((r) => ({ name: r.name, list: earlier.filter((w) => w.agencyId === r.agencyId) }))
        .filter((h) => h.list.length)
        .map((h) => `- ${h.name}: ${h.list.map((w) => `${w.name} năm ${w.year}${w.decision ? ` (${w.decision})` : ""}`).join("; ")}.`);
      const doc: OfficialDocument = {
        title: `Tờ trình đề nghị khen thưởng năm ${ctx.year.year}`,
        ...base,
        addressee: "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh",
        sections: [
          {
            paragraphs: [
              `Căn cứ kết quả chấm điểm, xếp hạng thi đua năm ${ctx.year.year}${page.meeting ? ` và kết quả bỏ phiếu kín tại cuộc họp bình xét ngày ${formatDate(page.meeting.heldOn)} (${page.meeting.validBallots} phiếu hợp lệ)` : ""}, ${ctx.bloc.name} đề nghị khen thưởng các tập thể sau:`,
            ],
          },
          ...awards.map((a, i) => ({
            heading: `${i + 1}. ${a.label}: ${a.rows.length} đơn vị`,
            paragraphs: a.rows.length ? [] : ["Không có đơn vị đủ điều kiện đề nghị."],
            table: a.rows.length
              ? {
                  caption: a.label,
                  columns: [
                    { label: "STT", align: "center" as const, width: 7 },
                    { label: "Cơ quan, đơn vị", align: "left" as const, width: 41 },
                    { label: "Hạng", align: "center" as const, width: 9 },
                    { label: "Tổng điểm", align: "right" as const, width: 12 },
                    { label: "Xếp loại", align: "left" as const, width: 19 },
                    { label: "Số phiếu", align: "center" as const, width: 12 },
                  ],
                  rows: a.rows.map((r, j) => [String(j + 1), r.name, r.rank, r.total, r.classification, r.votes]),
                }
              : undefined,
          })),
          ...(proposed.length
            ? [{ heading: `${awards.length + 1}. Thành tích khen thưởng những năm trước của các đơn vị được đề nghị`, paragraphs: history.length ? history : ["Chưa ghi nhận khen thưởng nào của các đơn vị được đề nghị trong những năm trước."] }]
            : []),
          { paragraphs: [`${ctx.bloc.name} kính đề nghị Hội đồng Thi đua – Khen thưởng tỉnh xem xét, trình Chủ tịch Ủy ban nhân dân tỉnh khen thưởng./.`] },
        ],
        recipients: ["Như trên;", "Ban Thi đua – Khen thưởng tỉnh;", "Lưu: VT."],
        signers: [signer],
      };
      return { doc, ctx, filename: `to-trinh-khen-thuong-${ctx.bloc.code}-${ctx.year.year}` };
    },

    /**
     * The reminder letter (*công văn đôn đốc*) of a period to the agencies behind: those whose
     * report is not sent (missing, draft or returned), with their due date and days overdue.
     */
    async reminderLetter(user: User, blocCode: string, year: number, periodNumber: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      const overview = await reports.periodOverview(user, blocCode, year, periodNumber);
      const { ctx, period } = overview;
      // "Đợt 1 — Sơ kết thi đua 6 tháng …" → "báo cáo sơ kết thi đua 6 tháng …"
      const title = period.title.replace(/^Đợt \d+\s*[—–-]\s*/, "");
      const reportName = `báo cáo ${title.charAt(0).toLocaleLowerCase("vi")}${title.slice(1)}`;
      const today = localDate(deps.now());
      const info = await repo.yearInfo(ctx.year.id);
      // Signed like the year's other documents; a letter to send, so never a draft, and no register kind.
      const signer = blocSigner(ctx, info);
      const base = {
        issuingBody: ctx.bloc.issuingBody.toLocaleUpperCase("vi"),
        issuer: issuerName(ctx.bloc),
        placeDate: `${ctx.bloc.placeName}, ${formatDocumentDate(today)}`,
        draft: false,
        kind: "",
        summary: `V/v đôn đốc gửi ${reportName}`,
      };
      const behind = overview.missing;
      const plan = info.planNumber ? `Kế hoạch số ${info.planNumber}${info.planDate ? ` ngày ${formatDate(info.planDate)}` : ""} của ${ctx.bloc.name}` : `kế hoạch thi đua năm ${ctx.year.year} của ${ctx.bloc.name}`;
      const doc: OfficialDocument = {
        title: `Công văn đôn đốc — ${period.title}`,
        ...base,
        // A công văn's number carries only the issuer's abbreviation.
        symbol: `Số:      /${ctx.bloc.shortName}`,
        addressee: behind.length ? `Kính gửi: ${behind.map((r) => r.agency.name).join("; ")}.` : null,
        sections: [
          {
            paragraphs: [
              `Thực hiện ${plan}, các cơ quan, đơn vị thành viên gửi ${reportName} (số liệu từ ngày ${formatDate(period.dataFrom)} đến ngày ${formatDate(period.dataTo)}) về Thường trực Khối trước ngày ${formatDate(period.dueOn)}.`,
              behind.length
                ? `Đến ngày ${formatDate(today)}, còn ${behind.length} cơ quan, đơn vị chưa gửi báo cáo hoặc có báo cáo bị trả lại chưa gửi lại:`
                : `Đến ngày ${formatDate(today)}, tất cả cơ quan, đơn vị đã gửi báo cáo.`,
            ],
            table: behind.length
              ? {
                  caption: "Cơ quan, đơn vị chưa gửi báo cáo",
                  columns: [
                    { label: "STT", align: "center", width: 7 },
                    { label: "Cơ quan, đơn vị", align: "left", width: 45 },
                    { label: "Hạn gửi", align: "center", width: 14 },
                    { label: "Tình trạng", align: "left", width: 20 },
                    { label: "Quá hạn", align: "right", width: 14 },
                  ],
                  rows: behind.map((r, i) => [String(i + 1), r.agency.name, formatDate(r.dueOn), r.statusLabel, r.overdueDays > 0 ? `${r.overdueDays} ngày` : ""]),
                }
              : undefined,
          },
          {
            paragraphs: behind.length
              ? [
                  "Thường trực Khối đề nghị các cơ quan, đơn vị nêu trên khẩn trương hoàn thành, gửi báo cáo (kèm bản scan có chữ ký, đóng dấu) qua Cổng thông tin thi đua của Khối. Báo cáo gửi chậm bị trừ điểm theo tiêu chí chấm điểm thi đua của Khối./.",
                ]
              : ["Thường trực Khối thông báo để các cơ quan, đơn vị biết./."],
          },
        ],
        recipients: ["Như trên;", "Lãnh đạo Khối (để báo cáo);", "Lưu: VT."],
        signers: [signer],
      };
      return { doc, ctx, filename: `cong-van-don-doc-${ctx.bloc.code}-${ctx.year.year}-dot-${period.number}` };
    },

    /** The rows of ranking.csv (the ranking service's export rows, same access). */
    async rankingFile(user: User, blocCode: string, year: number): Promise<RankingFile> {
      const rows = await ranking.rows(user, blocCode, year);
      return { rows, filename: `xep-hang-${blocCode}-${year}`, sheetName: `Xếp hạng ${year}`, year };
    },

    /** ranking.xlsx: the ranking page's rows (group points, votes) under a title, totals as numbers. */
    async rankingWorkbook(user: User, blocCode: string, year: number): Promise<RankingWorkbook> {
      const page = await ranking.page(user, blocCode, year);
      const { ctx } = page;
      const num = (text: string) => parsePoints(text) ?? 0;
      return {
        filename: `xep-hang-${blocCode}-${year}`,
        sheetName: `Xếp hạng ${year}`,
        title: `KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA NĂM ${ctx.year.year}`,
        subtitle: `${ctx.bloc.name}${page.published ? "" : " — DỰ THẢO (chưa công bố)"}`,
        groups: page.groupHeaders.map((g) => `${g.code}. ${g.title}`),
        ranked: page.ranked.map((r) => ({
          rank: r.rank,
          code: r.code,
          name: r.name,
          groups: r.groups.map(num),
          bonus: num(r.bonus),
          deductions: num(r.deductions),
          total: num(r.total),
          classification: r.classification,
          votes: r.votes,
          proposal: r.proposal ?? "",
          reason: r.reasons.join("; "),
        })),
        unranked: page.unranked.map((r) => ({ code: r.code, name: r.name, total: r.total === "—" ? null : num(r.total), reason: r.reason })),
      };
    },

    /** The register of the year's documents: number and date as set, or the default date. Bloc readers only. */
    async register(user: User, blocCode: string, year: number, typed?: { kind: RegisterKind; number: string; issuedOn: string; errors: Record<string, string[]> }) {
      const ctx = await years.open(user, blocCode, year);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      const [entries, meeting] = [await repo.register(ctx.year.id), await repo.meeting(ctx.year.id)];
      const rows = REGISTER_KINDS.map((kind) => {
        const def = REGISTER[kind];
        const entry: RegisterEntry | undefined = entries.find((e) => e.kind === kind);
        const fallback = defaultDate(ctx, kind, meeting);
        const mine = typed?.kind === kind ? typed : null;
        return {
          kind,
          label: def.label,
          symbol: symbolOf(def.code, ctx.bloc.shortName, entry?.number ?? null),
          date: entry?.issuedOn ? formatDate(entry.issuedOn) : fallback ? formatDate(fallback) : "",
          dateNote: entry?.issuedOn ? "đã đặt" : fallback ? (def.defaultsTo === "meeting" || !publishedOn(ctx) ? "mặc định: ngày họp bình xét" : "mặc định: ngày công bố") : "chưa có ngày",
          numberValue: mine ? mine.number : (entry?.number ?? ""),
          dateValue: mine ? mine.issuedOn : formatDate(entry?.issuedOn ?? null),
          errors: mine?.errors ?? {},
          suffix: `/${def.code}-${ctx.bloc.shortName}`,
          print: `${ctx.basePath}/${def.print}`,
          pdf: `${ctx.basePath}/${def.file}.pdf`,
          docx: `${ctx.basePath}/${def.file}.docx`,
          action: `${ctx.basePath}/documents/${kind}`,
        };
      });
      const mayEdit = can(user, "bloc.manage", blocTarget(ctx.bloc.id));
      return { ctx, rows, mayEdit, draft: ctx.year.rankingPublishedAt === null };
    },

    /** The secretariat sets (or clears) a document's number and date; one transaction, audited. */
    async setRegisterEntry(user: User, blocCode: string, year: number, kind: RegisterKind, form: { number: string; issuedOn: string }, ip?: string): Promise<{ errors?: Record<string, string[]> }> {
      const ctx = await years.open(user, blocCode, year);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      access.assertSecretariat(user, ctx.bloc.id);
      const errors: Record<string, string[]> = {};
      const number = form.number.trim();
      if (number && !/^\d{1,6}$/.test(number)) errors.number = [registerMessages.numberInvalid];
      const dateText = form.issuedOn.trim();
      const issuedOn = dateText ? parseVnDate(dateText) : null;
      if (dateText && !issuedOn) errors.issued_on = [registerMessages.dateInvalid];
      if (Object.keys(errors).length) return { errors };
      const before = (await repo.register(ctx.year.id)).find((e) => e.kind === kind) ?? null;
      const entry = { kind, number: number ? String(Number(number)) : null, issuedOn };
      await db.transaction(async (trx) => {
        await repo.saveRegisterEntry(trx, ctx.year.id, entry, user.id);
        await audit.record(
          { userId: user.id, username: user.username, action: "document.number", entity: "document_number", entityId: `${ctx.year.id}:${kind}`, blocId: ctx.bloc.id, before: before && { number: before.number, issuedOn: before.issuedOn }, after: { number: entry.number, issuedOn: entry.issuedOn }, ip },
          trx,
        );
      });
      return {};
    },

    /**
     * An agency's own report (BÁO CÁO) under its own header (governing body and name), from the form's
     * content; same access as the report page. Not yet sent (draft, returned, none): DỰ THẢO.
     */
    async agencyReport(user: User, t: ReportTarget): Promise<{ doc: OfficialDocument; ctx: { basePath: string }; filename: string }> {
      const page = await reports.page(user, t);
      const { ctx, period, agency, report, campaigns } = page;
      const letterhead = await repo.agencyLetterhead(agency.id);
      const head = ctx.agencies.find((a) => a.id === ctx.year.headAgencyId);
      const sent = report !== undefined && (report.status === "submitted" || report.status === "accepted");
      const content = report?.content ?? { sections: {}, general: "", shortcomings: "", proposals: "" };
      const date = sent && report.submittedAt ? localDate(new Date(report.submittedAt)) : null;
      const lines = (text: string) => text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
      const FIELDS = [["done", "Nội dung đã triển khai"], ["results", "Kết quả đạt được"], ["figures", "Số liệu cụ thể"]] as const;
      const movements: DocSection[] = campaigns.map((c, i) => {
        const section = content.sections[c.code];
        const paragraphs = FIELDS.flatMap(([key, label]) => {
          const parts = lines(section?.[key] ?? "");
          return parts.length ? [`${label}: ${parts[0]}`, ...parts.slice(1)] : [];
        });
        return { heading: `${i + 1}. ${c.title}`, paragraphs: paragraphs.length ? paragraphs : ["Không có nội dung báo cáo."] };
      });
      const part = (heading: string, text: string): DocSection => ({ heading, paragraphs: lines(text).length ? lines(text) : ["Không có."] });
      const what = period.kind === "annual" ? `tổng kết phong trào thi đua năm ${ctx.year.year}` : `sơ kết phong trào thi đua 6 tháng đầu năm ${ctx.year.year}`;
      const doc: OfficialDocument = {
        title: `Báo cáo ${what} — ${agency.name}`,
        issuingBody: (letterhead.governingBody ?? "").toLocaleUpperCase("vi"),
        issuer: agency.name.toLocaleUpperCase("vi"),
        symbol: "Số:      /BC",
        placeDate: `${ctx.bloc.placeName}, ${date ? formatDocumentDate(date) : BLANK_DATE}`,
        draft: !sent,
        kind: "BÁO CÁO",
        summary: `Kết quả ${what}`,
        addressee: head ? `Kính gửi: ${head.name} — Trưởng ${ctx.bloc.name}` : `Kính gửi: Thường trực ${ctx.bloc.name}`,
        sections: [
          { heading: "I. KẾT QUẢ THỰC HIỆN CÁC PHONG TRÀO THI ĐUA", paragraphs: [] },
          ...movements,
          part("II. ĐÁNH GIÁ CHUNG", content.general),
          part("III. TỒN TẠI, HẠN CHẾ", content.shortcomings),
          part("IV. ĐỀ XUẤT, KIẾN NGHỊ", content.proposals),
        ],
        recipients: [head ? `Thường trực Khối thi đua (${head.shortName});` : "Thường trực Khối thi đua;", "Lưu: VT."],
        signers: [{ role: (letterhead.headPosition ?? "THỦ TRƯỞNG ĐƠN VỊ").toLocaleUpperCase("vi"), subtitle: null, title: null, name: letterhead.headName ?? "" }],
      };
      return { doc, ctx: { basePath: page.basePath }, filename: `bao-cao-${period.kind === "annual" ? "nam" : "6-thang"}-${agency.code}-${ctx.year.year}` };
    },
  };
}

export type DocumentsService = ReturnType<typeof documentsService>;
