import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { authorize, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { NotFoundError } from "../errors.js";
import type { AgenciesRepo, Agency, AgencyFields, Membership } from "./agencies-repo.js";
import { parseAgencyList, uniqueCodes, type PastedAgency } from "./agency-list.js";
import { readAgencyWorkbook } from "./agency-workbook.js";

export type FieldErrors = Record<string, string[]>;

const messages = {
  codeTaken: "Mã này đã được dùng cho một cơ quan, đơn vị khác.",
  alreadyMember: "Cơ quan, đơn vị đang là thành viên của Khối.",
  notMember: "Cơ quan, đơn vị hiện không là thành viên của Khối.",
  leaveOrder: "Năm rời Khối phải sau năm gia nhập.",
  joinOrder: "Năm gia nhập lại phải sau năm đã rời Khối.",
  sharedAgency: "Cơ quan, đơn vị này còn thuộc Khối thi đua khác; chỉ quản trị hệ thống được sửa thông tin chung của cơ quan.",
  codeRepeated: "Mã này trùng với một dòng khác trong danh sách.",
  noFile: "Vui lòng chọn tệp Excel (.xlsx) có danh sách cơ quan, đơn vị.",
  notXlsx: "Tệp tải lên không phải bảng tính Excel (.xlsx). Hãy lưu danh sách bằng Excel dưới dạng .xlsx rồi tải lên lại.",
  nothingChosen: "Chưa có cơ quan, đơn vị nào: dán danh sách hoặc chọn cơ quan đã có.",
  notAvailable: "Cơ quan, đơn vị đã chọn không còn chọn được (đã là thành viên hoặc không tồn tại).",
};

export interface BulkInput {
  rows: PastedAgency[];
  existingIds: number[];
  joinedYear: number;
}

/** A membership's text: "Thành viên từ năm 2022", "Thành viên 2022–2023". */
function membershipLabel(ms: Membership[]): { label: string; current: boolean } {
  const last = ms[ms.length - 1];
  if (!last) return { label: "", current: false };
  const parts = ms.map((m) => (m.leftYear === null ? `từ năm ${m.joinedYear}` : `${m.joinedYear}–${m.leftYear}`));
  return { label: `Thành viên ${parts.join("; ")}`, current: last.leftYear === null };
}

export function agenciesService(deps: { repo: AgenciesRepo; blocs: BlocsRepo; audit: AuditService; db: Knex }) {
  const { repo, blocs, audit, db } = deps;

  /** Read: the bloc's secretariat, leader, observer, admin; write: secretariat and admin. Clerk 403, other bloc 404. */
  async function openBloc(user: User, code: string, mode: "read" | "write"): Promise<Bloc> {
    // Like every page of a bloc: a bloc the user cannot see is not found (404), then the role (403).
    const bloc = await blocs.findByCode(code);
    if (!bloc || !can(user, "bloc.read", { kind: "bloc", blocId: bloc.id })) throw new NotFoundError();
    authorize(user, mode === "write" ? "bloc.manage" : "bloc.overview", { kind: "bloc", blocId: bloc.id });
    return bloc;
  }

  async function memberAgency(bloc: Bloc, code: string, q: Knex = db): Promise<{ agency: Agency; memberships: Membership[] }> {
    const agency = await repo.findByCode(code, q);
    const memberships = agency ? (await repo.memberships(bloc.id, q)).filter((m) => m.agencyId === agency.id) : [];
    if (!agency || memberships.length === 0) throw new NotFoundError();
    return { agency, memberships };
  }

  const record = (user: User, bloc: Bloc, action: string, agencyId: number, before: unknown, after: unknown, trx: Knex) =>
    audit.record({ userId: user.id, username: user.username, action, entity: "agency", entityId: agencyId, blocId: bloc.id, agencyId, before, after }, trx);

  return {
    openBloc,
    /** The blocs an agency belongs or belonged to (scope of rights over the agency as a whole). */
    blocIdsOf: (agencyId: number) => repo.blocIdsOf(agencyId),

    /** Throws unless the user may change this agency of the bloc (`edit`: its shared record too). */
    async assertCanChange(user: User, blocCode: string, code: string, what: "edit" | "membership"): Promise<void> {
      const bloc = await openBloc(user, blocCode, "write");
      const { agency } = await memberAgency(bloc, code);
      if (what === "edit") authorize(user, "agency.edit", { kind: "agency", agencyId: agency.id, blocIds: await repo.blocIdsOf(agency.id) }, messages.sharedAgency);
    },

    /** The bloc's agencies in Vietnamese alphabetical order, with their memberships. */
    async list(user: User, blocCode: string) {
      const bloc = await openBloc(user, blocCode, "read");
      const [agencies, memberships] = [await repo.ofBloc(bloc.id), await repo.memberships(bloc.id)];
      const collator = new Intl.Collator("vi");
      return {
        bloc,
        canWrite: can(user, "bloc.manage", { kind: "bloc", blocId: bloc.id }),
        agencies: agencies
          .sort((a, b) => collator.compare(a.name, b.name))
          .map((a) => ({ ...a, ...membershipLabel(memberships.filter((m) => m.agencyId === a.id)) })),
      };
    },

    async get(user: User, blocCode: string, code: string) {
      const bloc = await openBloc(user, blocCode, "read");
      const { agency, memberships } = await memberAgency(bloc, code);
      const canEdit = can(user, "agency.edit", { kind: "agency", agencyId: agency.id, blocIds: await repo.blocIdsOf(agency.id) });
      return { bloc, agency, ...membershipLabel(memberships), canWrite: can(user, "bloc.manage", { kind: "bloc", blocId: bloc.id }), canEdit };
    },

    async create(user: User, blocCode: string, input: AgencyFields & { code: string; joinedYear: number }): Promise<{ errors?: FieldErrors }> {
      const bloc = await openBloc(user, blocCode, "write");
      return db.transaction(async (trx) => {
        if (await repo.findByCode(input.code, trx)) return { errors: { code: [messages.codeTaken] } };
        const id = await repo.insert(trx, input.code, input);
        await repo.join(trx, bloc.id, id, input.joinedYear);
        await repo.addToOpenYears(trx, bloc.id, input.joinedYear, [id]);
        await record(user, bloc, "agency.create", id, null, input, trx);
        return {};
      });
    },

    /** The bulk form: agencies of the installation that are not current members, to pick. */
    async bulkPage(user: User, blocCode: string) {
      const bloc = await openBloc(user, blocCode, "write");
      const members = await repo.memberships(bloc.id);
      const current = new Set(members.filter((m) => m.leftYear === null).map((m) => m.agencyId));
      const collator = new Intl.Collator("vi");
      return { bloc, available: (await repo.all()).filter((a) => !current.has(a.id)).sort((a, b) => collator.compare(a.name, b.name)) };
    },

    /** Reads a pasted list into rows with proposed codes (unique in the installation), or says which lines are wrong. */
    async previewList(user: User, blocCode: string, text: string): Promise<{ rows?: PastedAgency[]; errors?: FieldErrors }> {
      await openBloc(user, blocCode, "write");
      const { rows, errors } = parseAgencyList(text);
      if (errors.length) return { errors: { list: errors } };
      const proposed = uniqueCodes(rows.map((r) => r.code), await repo.allCodes());
      return { rows: rows.map((r, i) => ({ ...r, code: proposed[i]! })) };
    },

    /** The same preview from an uploaded .xlsx (columns: name, short name, code). */
    async previewWorkbook(user: User, blocCode: string, file: Buffer | undefined): Promise<{ rows?: PastedAgency[]; errors?: FieldErrors }> {
      await openBloc(user, blocCode, "write");
      if (!file || file.length === 0) return { errors: { file: [messages.noFile] } };
      const text = await readAgencyWorkbook(file);
      if (text === null) return { errors: { file: [messages.notXlsx] } };
      const { rows, errors } = parseAgencyList(text);
      if (errors.length) return { errors: { file: errors } };
      const proposed = uniqueCodes(rows.map((r) => r.code), await repo.allCodes());
      return { rows: rows.map((r, i) => ({ ...r, code: proposed[i]! })) };
    },

    /** Adds the reviewed rows as new agencies and the picked ones as members, all or nothing. */
    async addMany(user: User, blocCode: string, input: BulkInput): Promise<{ errors?: FieldErrors; added?: number }> {
      const bloc = await openBloc(user, blocCode, "write");
      if (!input.rows.length && !input.existingIds.length) return { errors: { list: [messages.nothingChosen] } };
      return db.transaction(async (trx) => {
        const errors: FieldErrors = {};
        const taken = await repo.allCodes(trx);
        const seen = new Set<string>();
        input.rows.forEach((r, i) => {
          if (taken.has(r.code)) errors[`code-${i}`] = [messages.codeTaken];
          else if (seen.has(r.code)) errors[`code-${i}`] = [messages.codeRepeated];
          seen.add(r.code);
        });
        const current = new Set((await repo.memberships(bloc.id, trx)).filter((m) => m.leftYear === null).map((m) => m.agencyId));
        const all = await repo.existingIds(input.existingIds, trx);
        if (input.existingIds.some((id) => current.has(id) || !all.has(id))) errors.existingIds = [messages.notAvailable];
        if (Object.keys(errors).length) return { errors };
        const ids: number[] = [];
        for (const r of input.rows) {
          const id = await repo.insert(trx, r.code, { name: r.name, shortName: r.shortName, headName: null, headPosition: null, governingBody: null });
          await record(user, bloc, "agency.create", id, null, { ...r, joinedYear: input.joinedYear }, trx);
          ids.push(id);
        }
        for (const id of input.existingIds) await record(user, bloc, "agency.join", id, null, { joinedYear: input.joinedYear }, trx);
        for (const id of [...ids, ...input.existingIds]) await repo.join(trx, bloc.id, id, input.joinedYear);
        await repo.addToOpenYears(trx, bloc.id, input.joinedYear, [...ids, ...input.existingIds]);
        return { added: ids.length + input.existingIds.length };
      });
    },

    /** Renames change the current name only; past years keep theirs (year_agencies). */
    async update(user: User, blocCode: string, code: string, input: AgencyFields): Promise<void> {
      const bloc = await openBloc(user, blocCode, "write");
      await db.transaction(async (trx) => {
        const { agency } = await memberAgency(bloc, code, trx);
        // The name is shared by every bloc the agency belongs to: all of them must be the user's.
        authorize(user, "agency.edit", { kind: "agency", agencyId: agency.id, blocIds: await repo.blocIdsOf(agency.id, trx) }, messages.sharedAgency);
        await repo.update(trx, agency.id, input);
        await record(user, bloc, "agency.update", agency.id, agency, input, trx);
      });
    },

    /** Leaves the bloc from `year` on: `year` is the first year without the agency. */
    async leave(user: User, blocCode: string, code: string, year: number): Promise<{ errors?: FieldErrors }> {
      const bloc = await openBloc(user, blocCode, "write");
      return db.transaction(async (trx) => {
        const { agency, memberships } = await memberAgency(bloc, code, trx);
        const open = memberships.find((m) => m.leftYear === null);
        if (!open) return { errors: { year: [messages.notMember] } };
        if (year - 1 < open.joinedYear) return { errors: { year: [messages.leaveOrder] } };
        await repo.setLeftYear(trx, open.id, year - 1);
        await record(user, bloc, "agency.leave", agency.id, open, { ...open, leftYear: year - 1 }, trx);
        return {};
      });
    },

    /** (Re)joins the bloc from `year`. */
    async join(user: User, blocCode: string, code: string, year: number): Promise<{ errors?: FieldErrors }> {
      const bloc = await openBloc(user, blocCode, "write");
      return db.transaction(async (trx) => {
        const { agency, memberships } = await memberAgency(bloc, code, trx);
        if (memberships.some((m) => m.leftYear === null)) return { errors: { year: [messages.alreadyMember] } };
        if (memberships.some((m) => (m.leftYear ?? 0) >= year || m.joinedYear === year)) return { errors: { year: [messages.joinOrder] } };
        await repo.join(trx, bloc.id, agency.id, year);
        await record(user, bloc, "agency.join", agency.id, null, { joinedYear: year }, trx);
        return {};
      });
    },
  };
}

export type AgenciesService = ReturnType<typeof agenciesService>;
