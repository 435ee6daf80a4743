import type { Knex } from "knex";
import type { YearBundle } from "./schema.js";

type Row = Record<string, unknown>;

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = (v: unknown): Record<string, unknown> => (typeof v === "string" ? JSON.parse(v) : ((v ?? {}) as Record<string, unknown>));

/** Plain byte-wise comparison: the same order on every machine and locale. */
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

export function bundleRepo(db: Knex) {
  return {
    /** The bloc's year as a bundle (unvalidated, deterministic order), or undefined. */
    async read(blocCode: string, year: number): Promise<YearBundle | undefined> {
      const bloc = await db("blocs").where({ code: blocCode }).first();
      if (!bloc) return undefined;
      const y = await db("emulation_years").where({ bloc_id: bloc.id, year }).first();
      if (!y) return undefined;
      const codeOf = new Map<number, string>(
        (await db("agencies").whereIn("id", db("year_agencies").where({ year_id: y.id }).select("agency_id")).select("id", "code")).map((r: Row) => [r.id as number, r.code as string]),
      );
      const agencyCode = (id: unknown) => (id === null || id === undefined ? null : (codeOf.get(id as number) ?? `#${String(id)}`));

      const agencies: Row[] = await db("year_agencies as ya").join("agencies as a", "a.id", "ya.agency_id").where("ya.year_id", y.id).select("a.code", "ya.name", "ya.short_name", "a.head_name", "a.head_position", "a.governing_body", "ya.sort_order");
      const campaigns: Row[] = await db("campaigns").where({ year_id: y.id });
      const periods: Row[] = await db("periods").where({ year_id: y.id });
      const extensions: Row[] = await db("period_extensions").whereIn("period_id", periods.map((p) => p.id as number));
      const criteria: Row[] = await db("criteria").where({ year_id: y.id });
      const registrations: Row[] = await db("registrations").where({ year_id: y.id });
      const reports: Row[] = await db("reports").whereIn("period_id", periods.map((p) => p.id as number));
      const sheets: Row[] = await db("score_sheets").where({ year_id: y.id });
      const entries: Row[] = await db("score_entries").whereIn("sheet_id", sheets.map((s) => s.id as number));
      const meeting: Row | undefined = await db("ballot_meetings").where({ year_id: y.id }).first();
      const votes: Row[] = await db("votes").where({ year_id: y.id });
      const documents: Row[] = await db("document_numbers").where({ year_id: y.id });
      const ties: Row[] = await db("tie_decisions").where({ year_id: y.id }).orderBy("award");
      const ids = (v: unknown): number[] => (typeof v === "string" ? JSON.parse(v) : v) as number[];

      const criterionCode = new Map(criteria.map((c) => [c.id as number, c.code as string]));
      const periodNumber = new Map(periods.map((p) => [p.id as number, p.number as number]));
      const byTree = (a: Row, b: Row) => (a.sort_order as number) - (b.sort_order as number) || cmp(a.code as string, b.code as string);
      const groups = criteria.filter((c) => c.parent_id === null).sort(byTree);
      const treeOrder = groups.flatMap((g) => [g, ...criteria.filter((c) => c.parent_id === g.id).sort(byTree)]);

      return {
        format: "thidua-year-bundle",
        version: 1,
        bloc: { code: bloc.code, name: bloc.name, kind: bloc.kind, issuingBody: bloc.issuing_body, shortName: bloc.short_name, placeName: bloc.place_name },
        year: {
          year: y.year,
          theme: y.theme,
          planNumber: y.plan_number,
          planDate: y.plan_date,
          planSignerName: y.plan_signer_name,
          planSignerPosition: y.plan_signer_position,
          headAgency: agencyCode(y.head_agency_id),
          deputyAgency: agencyCode(y.deputy_agency_id),
          registrationDueOn: y.registration_due_on,
          rankingPublishedAt: iso(y.ranking_published_at),
          rules: json(y.rules) as YearBundle["year"]["rules"],
        },
        agencies: agencies
          .map((a) => ({ code: a.code as string, name: a.name as string, shortName: a.short_name as string, headName: str(a.head_name), headPosition: str(a.head_position), governingBody: str(a.governing_body), sortOrder: a.sort_order as number }))
          .sort((a, b) => cmp(a.code, b.code)),
        campaigns: campaigns
          .map((c) => ({ code: c.code as string, kind: c.kind as YearBundle["campaigns"][number]["kind"], title: c.title as string, description: str(c.description), startsOn: str(c.starts_on), endsOn: str(c.ends_on), sortOrder: c.sort_order as number }))
          .sort((a, b) => cmp(a.code, b.code)),
        periods: periods
          .map((p) => ({
            number: p.number as number,
            kind: p.kind as "six_month" | "annual",
            title: p.title as string,
            startsOn: p.starts_on as string,
            endsOn: p.ends_on as string,
            dataFrom: p.data_from as string,
            dataTo: p.data_to as string,
            dueOn: p.due_on as string,
            conferenceMonth: str(p.conference_month),
            locked: p.locked as boolean,
            extensions: extensions
              .filter((e) => e.period_id === p.id)
              .map((e) => ({ agency: agencyCode(e.agency_id)!, dueOn: e.due_on as string, reason: e.reason as string }))
              .sort((a, b) => cmp(a.agency, b.agency)),
          }))
          .sort((a, b) => a.number - b.number),
        criteria: treeOrder.map((c) => ({
          code: c.code as string,
          parent: c.parent_id === null ? null : (criterionCode.get(c.parent_id as number) ?? null),
          title: c.title as string,
          kind: c.kind as "standard" | "bonus" | "deduction",
          maxPoints: String(c.max_points),
          autoSource: (c.auto_source ?? null) as "late_reports" | null,
          sortOrder: c.sort_order as number,
        })),
        registrations: registrations
          .map((r) => ({
            agency: agencyCode(r.agency_id)!,
            status: r.status as YearBundle["registrations"][number]["status"],
            submittedAt: iso(r.submitted_at),
            submittedOn: str(r.submitted_on),
            lateDays: r.late_days as number,
            signerName: str(r.signer_name),
            signerPosition: str(r.signer_position),
            content: json(r.content),
          }))
          .sort((a, b) => cmp(a.agency, b.agency)),
        reports: reports
          .map((r) => ({
            period: periodNumber.get(r.period_id as number)!,
            agency: agencyCode(r.agency_id)!,
            status: r.status as YearBundle["reports"][number]["status"],
            submittedAt: iso(r.submitted_at),
            submittedOn: str(r.submitted_on),
            lateDays: r.late_days as number,
            returnComment: str(r.return_comment),
            content: json(r.content),
          }))
          .sort((a, b) => a.period - b.period || cmp(a.agency, b.agency)),
        scoreSheets: sheets
          .map((s) => ({
            agency: agencyCode(s.agency_id)!,
            status: s.status as YearBundle["scoreSheets"][number]["status"],
            submittedAt: iso(s.submitted_at),
            submittedOn: str(s.submitted_on),
            lateDays: s.late_days as number,
            reviewedAt: iso(s.reviewed_at),
            disciplineFlag: s.discipline_flag as boolean,
            disciplineReason: str(s.discipline_reason),
            entries: entries
              .filter((e) => e.sheet_id === s.id)
              .map((e) => ({
                criterion: criterionCode.get(e.criterion_id as number)!,
                selfPoints: str(e.self_points),
                blocPoints: str(e.bloc_points),
                selfCount: (e.self_count ?? null) as number | null,
                blocCount: (e.bloc_count ?? null) as number | null,
                evidence: str(e.evidence),
                blocReason: str(e.bloc_reason),
              }))
              .sort((a, b) => cmp(a.criterion, b.criterion)),
          }))
          .sort((a, b) => cmp(a.agency, b.agency)),
        ballotMeeting: meeting
          ? { heldOn: meeting.held_on as string, place: meeting.place as string, chair: str(meeting.chair), secretary: str(meeting.secretary), attendees: str(meeting.attendees), validBallots: meeting.valid_ballots as number }
          : null,
        votes: votes
          .map((v) => ({ agency: agencyCode(v.agency_id)!, votesFor: v.votes_for as number, validBallots: v.valid_ballots as number }))
          .sort((a, b) => cmp(a.agency, b.agency)),
        documents: documents
          .map((d) => ({ kind: d.kind as YearBundle["documents"][number]["kind"], number: str(d.number), issuedOn: str(d.issued_on) }))
          .sort((a, b) => cmp(a.kind, b.kind)),
        tieDecisions: ties.map((t) => ({
          award: t.award as "flag" | "merit",
          tied: ids(t.tied_agency_ids).map((id) => agencyCode(id)!).sort(cmp),
          chosen: ids(t.chosen_agency_ids).map((id) => agencyCode(id)!).sort(cmp),
          reason: t.reason as string,
        })),
      };
    },

    async yearId(trx: Knex, blocCode: string, year: number): Promise<number | undefined> {
      const row = await trx("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": blocCode, "y.year": year }).first("y.id");
      return row?.id;
    },

    /** Deletes a year with everything that hangs on it (the foreign keys cascade). */
    async deleteYear(trx: Knex, yearId: number): Promise<void> {
      await trx("emulation_years").where({ id: yearId }).del();
    },

    /** Writes a validated bundle as a new year; call inside a transaction. */
    async write(trx: Knex, b: YearBundle): Promise<{ yearId: number; blocId: number }> {
      let bloc = await trx("blocs").where({ code: b.bloc.code }).first("id");
      if (!bloc) {
        [bloc] = await trx("blocs")
          .insert({ code: b.bloc.code, name: b.bloc.name, kind: b.bloc.kind, issuing_body: b.bloc.issuingBody, short_name: b.bloc.shortName, place_name: b.bloc.placeName })
          .returning("id");
      }
      const blocId = bloc.id as number;

      // Agencies are upserted by code: a new one is created with the bundle's data; an existing
      // one keeps its current record (the year's own names go to year_agencies).
      const agencyId = new Map<string, number>();
      for (const a of b.agencies) {
        const found = await trx("agencies").where({ code: a.code }).first("id");
        const id: number = found
          ? found.id
          : (await trx("agencies").insert({ code: a.code, name: a.name, short_name: a.shortName, head_name: a.headName, head_position: a.headPosition, governing_body: a.governingBody }).returning("id"))[0].id;
        agencyId.set(a.code, id);
        if (!(await trx("bloc_memberships").where({ bloc_id: blocId, agency_id: id }).first("id"))) {
          await trx("bloc_memberships").insert({ bloc_id: blocId, agency_id: id, joined_year: b.year.year });
        }
      }
      const aid = (code: string | null) => (code === null ? null : agencyId.get(code)!);

      const y = b.year;
      const [{ id: yearId }] = await trx("emulation_years")
        .insert({
          bloc_id: blocId,
          year: y.year,
          theme: y.theme,
          plan_number: y.planNumber,
          plan_date: y.planDate,
          plan_signer_name: y.planSignerName,
          plan_signer_position: y.planSignerPosition,
          head_agency_id: aid(y.headAgency),
          deputy_agency_id: aid(y.deputyAgency),
          registration_due_on: y.registrationDueOn,
          ranking_published_at: y.rankingPublishedAt,
          rules: JSON.stringify(y.rules),
        })
        .returning("id");

      if (b.agencies.length) {
        await trx("year_agencies").insert(b.agencies.map((a) => ({ year_id: yearId, agency_id: aid(a.code), name: a.name, short_name: a.shortName, sort_order: a.sortOrder })));
      }
      if (b.campaigns.length) {
        await trx("campaigns").insert(
          b.campaigns.map((c) => ({ year_id: yearId, kind: c.kind, code: c.code, title: c.title, description: c.description, starts_on: c.startsOn, ends_on: c.endsOn, sort_order: c.sortOrder })),
        );
      }
      const periodId = new Map<number, number>();
      for (const p of b.periods) {
        const [{ id }] = await trx("periods")
          .insert({
            year_id: yearId,
            kind: p.kind,
            number: p.number,
            title: p.title,
            starts_on: p.startsOn,
            ends_on: p.endsOn,
            data_from: p.dataFrom,
            data_to: p.dataTo,
            due_on: p.dueOn,
            conference_month: p.conferenceMonth,
            locked: p.locked,
            locked_at: p.locked ? trx.fn.now() : null,
          })
          .returning("id");
        periodId.set(p.number, id);
        if (p.extensions.length) {
          await trx("period_extensions").insert(p.extensions.map((e) => ({ period_id: id, agency_id: aid(e.agency), due_on: e.dueOn, reason: e.reason })));
        }
      }
      const criterionId = new Map<string, number>();
      for (const c of [...b.criteria.filter((c) => c.parent === null), ...b.criteria.filter((c) => c.parent !== null)]) {
        const [{ id }] = await trx("criteria")
          .insert({
            year_id: yearId,
            parent_id: c.parent === null ? null : criterionId.get(c.parent),
            code: c.code,
            title: c.title,
            kind: c.kind,
            max_points: c.maxPoints,
            auto_source: c.autoSource,
            sort_order: c.sortOrder,
          })
          .returning("id");
        criterionId.set(c.code, id);
      }
      for (const r of b.registrations) {
        await trx("registrations").insert({
          year_id: yearId,
          agency_id: aid(r.agency),
          status: r.status,
          content: JSON.stringify(r.content),
          signer_name: r.signerName,
          signer_position: r.signerPosition,
          submitted_at: r.submittedAt,
          submitted_on: r.submittedOn,
          late_days: r.lateDays,
        });
      }
      for (const r of b.reports) {
        await trx("reports").insert({
          period_id: periodId.get(r.period),
          agency_id: aid(r.agency),
          status: r.status,
          content: JSON.stringify(r.content),
          submitted_at: r.submittedAt,
          submitted_on: r.submittedOn,
          late_days: r.lateDays,
          return_comment: r.returnComment,
        });
      }
      for (const s of b.scoreSheets) {
        const [{ id }] = await trx("score_sheets")
          .insert({
            year_id: yearId,
            agency_id: aid(s.agency),
            status: s.status,
            submitted_at: s.submittedAt,
            submitted_on: s.submittedOn,
            late_days: s.lateDays,
            reviewed_at: s.reviewedAt,
            discipline_flag: s.disciplineFlag,
            discipline_reason: s.disciplineReason,
          })
          .returning("id");
        if (s.entries.length) {
          await trx("score_entries").insert(
            s.entries.map((e) => ({
              sheet_id: id,
              criterion_id: criterionId.get(e.criterion),
              self_points: e.selfPoints,
              bloc_points: e.blocPoints,
              self_count: e.selfCount,
              bloc_count: e.blocCount,
              evidence: e.evidence,
              bloc_reason: e.blocReason,
            })),
          );
        }
      }
      if (b.ballotMeeting) {
        const m = b.ballotMeeting;
        await trx("ballot_meetings").insert({ year_id: yearId, held_on: m.heldOn, place: m.place, chair: m.chair, secretary: m.secretary, attendees: m.attendees, valid_ballots: m.validBallots });
      }
      if (b.votes.length) {
        await trx("votes").insert(b.votes.map((v) => ({ year_id: yearId, agency_id: aid(v.agency), votes_for: v.votesFor, valid_ballots: v.validBallots })));
      }
      if (b.documents.length) {
        await trx("document_numbers").insert(b.documents.map((d) => ({ year_id: yearId, kind: d.kind, number: d.number, issued_on: d.issuedOn })));
      }
      for (const t of b.tieDecisions) {
        await trx("tie_decisions").insert({
          year_id: yearId, award: t.award, reason: t.reason,
          tied_agency_ids: JSON.stringify(t.tied.map((c) => aid(c)!).sort((x, y) => x - y)),
          chosen_agency_ids: JSON.stringify(t.chosen.map((c) => aid(c)!).sort((x, y) => x - y)),
        });
      }
      return { yearId, blocId };
    },
  };
}

export type BundleRepo = ReturnType<typeof bundleRepo>;
