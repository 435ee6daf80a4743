import type { Knex } from "knex";

// Issue 20: the rows of ranking_results for the rankings published before the table existed, taken
// from their stored snapshots (the same fields src/ranking/ranking-results.ts writes at publication).
// Frozen SQL: the payload's shape as it was written on this date.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    INSERT INTO ranking_results (year_id, kind, agency_id, code, name, rank, total, self_total, sheet_status, classification, award, votes_for, valid_ballots)
    SELECT s.year_id, 'published', (a->>'agencyId')::int, a->>'code', a->>'name',
      (rr.r->>'rank')::int,
      CASE WHEN rr.r IS NOT NULL THEN (rr.r->>'total')::numeric
           WHEN a->>'sheetStatus' = 'none' THEN NULL
           ELSE (s.payload->'result'->'sheets'->(a->>'agencyId')->>'total')::numeric END,
      CASE WHEN a->>'sheetStatus' = 'none' THEN NULL
           ELSE (s.payload->'result'->'sheets'->(a->>'agencyId')->>'selfTotal')::numeric END,
      a->>'sheetStatus',
      rr.r->>'classification',
      s.payload->'result'->'proposals'->'byAgency'->(a->>'agencyId')->>'award',
      (b.b->>'votesFor')::int,
      (b.b->>'validBallots')::int
    FROM ranking_snapshots s
    CROSS JOIN LATERAL jsonb_array_elements(s.payload->'input'->'agencies') a
    LEFT JOIN LATERAL (SELECT r FROM jsonb_array_elements(s.payload->'result'->'ranking'->'ranked') r WHERE r->'agencyId' = a->'agencyId' LIMIT 1) rr ON true
    LEFT JOIN LATERAL (SELECT b FROM jsonb_array_elements(s.payload->'input'->'ballots') b WHERE b->'agencyId' = a->'agencyId' LIMIT 1) b ON true
    WHERE s.kind = 'published'
      AND EXISTS (SELECT 1 FROM agencies WHERE id = (a->>'agencyId')::int)
    ON CONFLICT DO NOTHING
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex("ranking_results").del();
}
