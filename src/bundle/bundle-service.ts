import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import type { YearsService } from "../years/years-service.js";
import type { BundleRepo } from "./bundle-repo.js";
import { YearBundleSchema, type YearBundle } from "./schema.js";
import { tooDeep } from "../lib/codes.js";

/** The deepest nesting a bundle may have; real bundles are about 6 levels deep. */
export const MAX_BUNDLE_DEPTH = 16;

export interface BundleError {
  /** JSON path, e.g. `scoreSheets[2].entries[5].criterion`. */
  path: string;
  message: string;
}

export type ImportResult =
  | { ok: true; summary: { bloc: string; year: number; agencies: number; criteria: number; reports: number; scoreSheets: number; replaced: boolean } }
  | { ok: false; errors: BundleError[] };

/** `["scoreSheets", 2, "entries", 5]` → `scoreSheets[2].entries[5]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), "") || "(gốc)";
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const s = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * Every cross-reference of a bundle, checked on the raw document so that these errors are reported
 * together with the schema's own: agency codes, criteria parents, period numbers, head ≠ deputy,
 * duplicates, and the orderings the database would refuse.
 */
export function checkReferences(raw: unknown): BundleError[] {
  const errors: BundleError[] = [];
  const err = (path: PropertyKey[], message: string) => errors.push({ path: formatPath(path), message });
  const doc = obj(raw);

  const agencyCodes = new Set<string>();
  arr(doc.agencies).forEach((a, i) => {
    const code = s(obj(a).code);
    if (code === null) return;
    if (agencyCodes.has(code)) err(["agencies", i, "code"], `Mã cơ quan "${code}" bị lặp.`);
    agencyCodes.add(code);
  });
  const agencyRef = (v: unknown, path: PropertyKey[]) => {
    const code = s(v);
    if (code !== null && !agencyCodes.has(code)) err(path, `Không có cơ quan mã "${code}" trong danh sách agencies.`);
  };

  const year = obj(doc.year);
  agencyRef(year.headAgency, ["year", "headAgency"]);
  agencyRef(year.deputyAgency, ["year", "deputyAgency"]);
  if (s(year.headAgency) !== null && year.headAgency === year.deputyAgency) err(["year", "deputyAgency"], "Phó Trưởng khối phải khác cơ quan Trưởng khối.");

  const campaignCodes = new Set<string>();
  arr(doc.campaigns).forEach((c, i) => {
    const o = obj(c);
    const code = s(o.code);
    if (code !== null && campaignCodes.has(code)) err(["campaigns", i, "code"], `Mã phong trào "${code}" bị lặp.`);
    if (code !== null) campaignCodes.add(code);
    const [from, to] = [s(o.startsOn), s(o.endsOn)];
    if (from && to && to < from) err(["campaigns", i, "endsOn"], "Ngày kết thúc phải sau ngày bắt đầu.");
  });

  const periodNumbers = new Set<number>();
  const periodKinds = new Set<string>();
  arr(doc.periods).forEach((p, i) => {
    const o = obj(p);
    if (typeof o.number === "number") {
      if (periodNumbers.has(o.number)) err(["periods", i, "number"], `Đợt số ${o.number} bị lặp.`);
      periodNumbers.add(o.number);
    }
    const kind = s(o.kind);
    if (kind !== null && periodKinds.has(kind)) err(["periods", i, "kind"], `Năm chỉ có một đợt loại "${kind}".`);
    if (kind !== null) periodKinds.add(kind);
    const before = (a: unknown, b: unknown, field: string, message: string) => {
      if (s(a) && s(b) && (b as string) <= (a as string)) err(["periods", i, field], message);
    };
    before(o.startsOn, o.endsOn, "endsOn", "Ngày kết thúc đợt phải sau ngày bắt đầu.");
    before(o.dataFrom, o.dataTo, "dataTo", "Ngày kết thúc tính số liệu phải sau ngày bắt đầu.");
    const seen = new Set<string>();
    arr(o.extensions).forEach((e, j) => {
      const code = s(obj(e).agency);
      agencyRef(code, ["periods", i, "extensions", j, "agency"]);
      if (code !== null && seen.has(code)) err(["periods", i, "extensions", j, "agency"], `Cơ quan "${code}" được gia hạn hai lần trong một đợt.`);
      if (code !== null) seen.add(code);
    });
  });

  const criteria = arr(doc.criteria).map(obj);
  const criterionByCode = new Map<string, Obj>();
  criteria.forEach((c, i) => {
    const code = s(c.code);
    if (code === null) return;
    if (criterionByCode.has(code)) err(["criteria", i, "code"], `Mã tiêu chí "${code}" bị lặp.`);
    criterionByCode.set(code, c);
  });
  criteria.forEach((c, i) => {
    const parent = s(c.parent);
    if (parent === null) return;
    const p = criterionByCode.get(parent);
    if (!p) err(["criteria", i, "parent"], `Không có nhóm tiêu chí mã "${parent}".`);
    else if (p.parent !== null) err(["criteria", i, "parent"], `"${parent}" không phải nhóm tiêu chí (cây chỉ có hai cấp).`);
  });

  const uniqueAgency = (list: string, keyOf: (o: Obj) => string | null) => {
    const seen = new Set<string>();
    arr(doc[list]).forEach((x, i) => {
      const o = obj(x);
      agencyRef(o.agency, [list, i, "agency"]);
      const key = keyOf(o);
      if (key !== null && seen.has(key)) err([list, i, "agency"], `Bản ghi của cơ quan "${String(o.agency)}" bị lặp.`);
      if (key !== null) seen.add(key);
      const status = s(o.status);
      if (status !== null && status !== "draft" && o.submittedAt === null) err([list, i, "submittedAt"], "Bản ghi đã gửi phải có thời điểm gửi.");
    });
  };
  uniqueAgency("registrations", (o) => s(o.agency));
  uniqueAgency("reports", (o) => (s(o.agency) === null ? null : `${String(o.period)}/${String(o.agency)}`));
  uniqueAgency("scoreSheets", (o) => s(o.agency));
  uniqueAgency("votes", (o) => s(o.agency));
  const documentKinds = new Set<string>();
  arr(doc.documents).forEach((d, i) => {
    const kind = s(obj(d).kind);
    if (kind !== null && documentKinds.has(kind)) err(["documents", i, "kind"], `Văn bản "${kind}" bị lặp trong sổ văn bản.`);
    if (kind !== null) documentKinds.add(kind);
  });

  arr(doc.reports).forEach((r, i) => {
    const n = obj(r).period;
    if (typeof n === "number" && !periodNumbers.has(n)) err(["reports", i, "period"], `Không có đợt số ${n} trong danh sách periods.`);
  });
  arr(doc.scoreSheets).forEach((x, i) => {
    const sheet = obj(x);
    if (sheet.disciplineFlag === true && !s(sheet.disciplineReason)) err(["scoreSheets", i, "disciplineReason"], "Cờ vi phạm kỷ luật cần ghi lý do.");
    const seen = new Set<string>();
    arr(sheet.entries).forEach((e, j) => {
      const code = s(obj(e).criterion);
      if (code === null) return;
      if (!criterionByCode.has(code)) err(["scoreSheets", i, "entries", j, "criterion"], `Không có tiêu chí mã "${code}".`);
      if (seen.has(code)) err(["scoreSheets", i, "entries", j, "criterion"], `Tiêu chí "${code}" được chấm hai lần.`);
      seen.add(code);
    });
  });
  arr(doc.tieDecisions).forEach((t, i) => {
    const o = obj(t);
    for (const list of ["tied", "chosen"] as const) {
      arr(o[list]).forEach((c, j) => {
        if (typeof c === "string" && !agencyCodes.has(c)) err(["tieDecisions", i, list, j], `Không có cơ quan mã "${c}" trong danh sách agencies.`);
      });
    }
    const tied = new Set(arr(o.tied).map(String));
    arr(o.chosen).forEach((c, j) => {
      if (!tied.has(String(c))) err(["tieDecisions", i, "chosen", j], "Đơn vị được chọn phải nằm trong danh sách đồng hạng.");
    });
  });
  arr(doc.votes).forEach((v, i) => {
    const o = obj(v);
    if (typeof o.votesFor === "number" && typeof o.validBallots === "number" && o.votesFor > o.validBallots) {
      err(["votes", i, "votesFor"], "Số phiếu đồng ý không được lớn hơn số phiếu hợp lệ.");
    }
  });
  return errors;
}

/** Schema errors and reference errors together, in document order. */
export function validateBundle(raw: unknown): { ok: true; bundle: YearBundle } | { ok: false; errors: BundleError[] } {
  // A value nested deeper than any real bundle (report texts are 4 levels down) is refused by its path.
  const deep = tooDeep(raw, MAX_BUNDLE_DEPTH);
  if (deep) return { ok: false, errors: [{ path: formatPath(deep), message: `Giá trị lồng quá sâu (tối đa ${MAX_BUNDLE_DEPTH} cấp).` }] };
  const parsed = YearBundleSchema.safeParse(raw);
  const errors = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }))),
    ...checkReferences(raw),
  ];
  if (errors.length || !parsed.success) return { ok: false, errors };
  return { ok: true, bundle: parsed.data };
}

export function bundleService(deps: { repo: BundleRepo; years: YearsService; audit: AuditService; db: Knex }) {
  const { repo, years, audit, db } = deps;

  async function exportYear(blocCode: string, year: number): Promise<YearBundle> {
    const bundle = await repo.read(blocCode, year);
    if (!bundle) throw new NotFoundError(`Khối "${blocCode}" không có năm thi đua ${year}.`);
    return bundle;
  }

  return {
    exportYear,

    /** The download of the year's page: bloc readers only (clerks 403, another bloc 404). */
    async exportFor(user: User, blocCode: string, year: number): Promise<YearBundle> {
      await years.open(user, blocCode, year); // an unseen bloc: 404, then the role: 403
      if (!access.isBlocReader(user)) throw new ForbiddenError();
      return exportYear(blocCode, year);
    },

    /**
     * Imports a year: validates the schema and every reference (all errors with their paths), then
     * writes everything in one transaction. An existing year is refused unless `replace` is true.
     */
    async importYear(raw: unknown, opts: { replace: boolean; actor?: User | null }): Promise<ImportResult> {
      const checked = validateBundle(raw);
      if (!checked.ok) return checked;
      const b = checked.bundle;
      return db.transaction(async (trx): Promise<ImportResult> => {
        const existing = await repo.yearId(trx, b.bloc.code, b.year.year);
        if (existing !== undefined && !opts.replace) {
          return { ok: false, errors: [{ path: "year.year", message: `Khối "${b.bloc.code}" đã có năm ${b.year.year}; dùng tùy chọn thay thế (--replace) để ghi đè.` }] };
        }
        if (existing !== undefined) await repo.deleteYear(trx, existing);
        const { yearId, blocId } = await repo.write(trx, b);
        const summary = {
          bloc: b.bloc.code,
          year: b.year.year,
          agencies: b.agencies.length,
          criteria: b.criteria.length,
          reports: b.reports.length,
          scoreSheets: b.scoreSheets.length,
          replaced: existing !== undefined,
        };
        await audit.record(
          { userId: opts.actor?.id ?? null, username: opts.actor?.username ?? "cli", action: "year.import", entity: "emulation_year", entityId: yearId, blocId, after: summary },
          trx,
        );
        return { ok: true, summary };
      });
    },
  };
}

export type BundleService = ReturnType<typeof bundleService>;
