import type { User } from "../auth/users-repo.js";
import { NotFoundError } from "../errors.js";
import { formatDate, formatDocumentDate, localDate } from "../lib/dates.js";
import type { RankingExportRow, RankingService } from "../ranking/ranking-service.js";
import { AWARD_LABELS, AWARDS, formatPoints } from "../scoring/index.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { DocumentsRepo } from "./documents-repo.js";
import type { DocSigner, OfficialDocument } from "./document-model.js";

type RankingPage = Awaited<ReturnType<RankingService["page"]>>;

/** "Khối thi đua Nội chính tỉnh Tuyên Quang" under "UBND TỈNH TUYÊN QUANG" prints as "KHỐI THI ĐUA NỘI CHÍNH". */
export function issuerName(bloc: YearContext["bloc"]): string {
  const suffix = new RegExp(`\\s+tỉnh\\s+${bloc.placeName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "iu");
  const name = bloc.issuingBody.toLocaleLowerCase("vi").includes(bloc.placeName.toLocaleLowerCase("vi")) ? bloc.name.replace(suffix, "") : bloc.name;
  return name.toLocaleUpperCase("vi");
}

/** "Đại tá Hà Đình Khiêm — Chính ủy Bộ CHQS tỉnh, Trưởng Khối" → name and position. */
function splitPerson(text: string | null): { name: string; position: string | null } {
  if (!text) return { name: "", position: null };
  const [name, ...rest] = text.split(/\s+[—–]\s+/);
  return { name: name!.trim(), position: rest.length ? rest.join(" — ").trim() : null };
}

/** Share of the valid ballots as "85,71%". */
const sharePercent = (votes: number, valid: number) => (valid > 0 ? `${formatPoints((votes * 100) / valid)}%` : "—");

export interface RankingFile {
  filename: string;
  rows: RankingExportRow[];
  sheetName: string;
  year: number;
}

export function documentsService(deps: { repo: DocumentsRepo; years: YearsService; ranking: RankingService; now: () => Date }) {
  const { repo, ranking, now } = deps;

  async function frame(page: RankingPage, kind: string, symbolCode: string, summary: string, date: string) {
    const { ctx } = page;
    const info = await repo.yearInfo(ctx.year.id);
    const head = ctx.agencies.find((a) => a.id === ctx.year.headAgencyId);
    const signer: DocSigner = { role: "TRƯỞNG KHỐI THI ĐUA", subtitle: head ? head.name : null, name: info.planSignerName ?? "" };
    return {
      info,
      signer,
      base: {
        issuingBody: ctx.bloc.issuingBody.toLocaleUpperCase("vi"),
        issuer: issuerName(ctx.bloc),
        symbol: `Số:      /${symbolCode}-${ctx.bloc.shortName}`,
        placeDate: `${ctx.bloc.placeName}, ${formatDocumentDate(date)}`,
        kind,
        summary,
      },
    };
  }

  const today = () => localDate(now());

  return {
    /** The ranking summary the leader prints (BÁO CÁO): same access as the ranking page. */
    async rankingSummary(user: User, blocCode: string, year: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      const page = await ranking.page(user, blocCode, year);
      const { ctx } = page;
      const { info, signer, base } = await frame(page, "BÁO CÁO", "BC", `Kết quả chấm điểm, xếp hạng thi đua năm ${ctx.year.year} của ${ctx.bloc.name}`, today());
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
                    { label: "Điểm hiện có", align: "right" as const, width: 15 },
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
      return { doc, ctx, filename: `bao-cao-xep-hang-${ctx.bloc.code}-${ctx.year.year}` };
    },

    /** The minutes of the review meeting (BIÊN BẢN) from the recorded ballots. */
    async minutes(user: User, blocCode: string, year: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      const page = await ranking.page(user, blocCode, year);
      const { ctx } = page;
      const meeting = await repo.meeting(ctx.year.id);
      if (!meeting) throw new NotFoundError("Chưa ghi kết quả bỏ phiếu bình xét của năm này.");
      const votes = await repo.votes(ctx.year.id);
      const { base } = await frame(page, "BIÊN BẢN", "BB", `Họp bình xét thi đua năm ${ctx.year.year} của ${ctx.bloc.name}`, meeting.heldOn);
      const idOf = new Map(ctx.agencies.map((a) => [a.code, a.id]));
      const candidates = page.ranked
        .map((r) => ({ r, v: votes.find((x) => x.agencyId === idOf.get(r.code)) }))
        .filter((c) => c.v !== undefined);
      const chair = splitPerson(meeting.chair);
      const secretary = splitPerson(meeting.secretary);
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
              `Thành phần tham dự: ${meeting.attendees ?? "—"}.`,
            ],
          },
          {
            heading: "III. KẾT QUẢ BỎ PHIẾU KÍN",
            paragraphs: [`Số phiếu hợp lệ: ${meeting.validBallots} phiếu. Kết quả bỏ phiếu đối với từng cơ quan, đơn vị như sau:`],
            table: {
              caption: "Kết quả bỏ phiếu",
              columns: [
                { label: "STT", align: "center", width: 7 },
                { label: "Cơ quan, đơn vị", align: "left", width: 36 },
                { label: "Hạng", align: "center", width: 9 },
                { label: "Tổng điểm", align: "right", width: 11 },
                { label: "Phiếu đồng ý / hợp lệ", align: "center", width: 13 },
                { label: "Tỷ lệ", align: "right", width: 10 },
                { label: "Đề nghị", align: "left", width: 20 },
              ],
              rows: candidates.map(({ r, v }, i) => [
                String(i + 1), r.name, r.rank, r.total, `${v!.votesFor}/${v!.validBallots}`, sharePercent(v!.votesFor, v!.validBallots), r.proposal ?? "Không đề nghị",
              ]),
            },
          },
          { paragraphs: ["Biên bản được thông qua tại cuộc họp, các thành viên dự họp nhất trí với nội dung trên./."] },
        ],
        recipients: null,
        signers: [
          { role: "THƯ KÝ", subtitle: secretary.position, name: secretary.name },
          { role: "CHỦ TRÌ", subtitle: chair.position, name: chair.name },
        ],
      };
      return { doc, ctx, filename: `bien-ban-binh-xet-${ctx.bloc.code}-${ctx.year.year}` };
    },

    /** The proposal letter (TỜ TRÌNH): the agencies proposed for each award with their totals and votes. */
    async proposalLetter(user: User, blocCode: string, year: number): Promise<{ doc: OfficialDocument; ctx: YearContext; filename: string }> {
      const page = await ranking.page(user, blocCode, year);
      const { ctx } = page;
      const { signer, base } = await frame(page, "TỜ TRÌNH", "TTr", `Về việc đề nghị khen thưởng thành tích thi đua năm ${ctx.year.year} cho các cơ quan, đơn vị thuộc ${ctx.bloc.name}`, today());
      const awards = AWARDS.map((a) => AWARD_LABELS[a]).map((label) => ({ label, rows: page.ranked.filter((r) => r.proposal === label) }));
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
          { paragraphs: [`${ctx.bloc.name} kính đề nghị Hội đồng Thi đua – Khen thưởng tỉnh xem xét, trình Chủ tịch Ủy ban nhân dân tỉnh khen thưởng./.`] },
        ],
        recipients: ["Như trên;", "Ban Thi đua – Khen thưởng tỉnh;", "Lưu: VT."],
        signers: [signer],
      };
      return { doc, ctx, filename: `to-trinh-khen-thuong-${ctx.bloc.code}-${ctx.year.year}` };
    },

    /** The rows of ranking.xlsx / ranking.csv (the ranking service's export rows, same access). */
    async rankingFile(user: User, blocCode: string, year: number): Promise<RankingFile> {
      const rows = await ranking.rows(user, blocCode, year);
      return { rows, filename: `xep-hang-${blocCode}-${year}`, sheetName: `Xếp hạng ${year}`, year };
    },
  };
}

export type DocumentsService = ReturnType<typeof documentsService>;
