import type { Knex } from "knex";

// Issue 16: the computed year (scores, ranking, completeness) is cached per process and reused until
// something in that year changes. `emulation_years.revision` is that "something changed" counter: every
// write to a row that belongs to a year bumps it in the same transaction, by trigger, so no service can
// forget it and several portal processes on one database see the same revision (never a stale page).
//
// Tables whose rows belong to a year, and how a row finds its year (the SQL over the statement's
// transition table `changed` that yields the year ids):
export const YEAR_TABLES: ReadonlyArray<readonly [table: string, yearIds: string]> = [
  // directly, by year_id
  ["year_agencies", "select year_id from changed"],
  ["campaigns", "select year_id from changed"],
  ["periods", "select year_id from changed"],
  ["criteria", "select year_id from changed"],
  ["registrations", "select year_id from changed"],
  ["score_sheets", "select year_id from changed"],
  ["ballot_meetings", "select year_id from changed"],
  ["votes", "select year_id from changed"],
  ["proposals", "select year_id from changed"],
  ["tie_decisions", "select year_id from changed"],
  ["ranking_snapshots", "select year_id from changed"],
  ["document_numbers", "select year_id from changed"],
  // through the period
  ["reports", "select p.year_id from changed c join periods p on p.id = c.period_id"],
  ["period_extensions", "select p.year_id from changed c join periods p on p.id = c.period_id"],
  // through the score sheet
  ["score_entries", "select s.year_id from changed c join score_sheets s on s.id = c.sheet_id"],
  // through the report (its history and files)
  ["report_versions", "select p.year_id from changed c join reports r on r.id = c.report_id join periods p on p.id = r.period_id"],
  ["report_attachments", "select p.year_id from changed c join reports r on r.id = c.report_id join periods p on p.id = r.period_id"],
  // an agency's code or name shows in every year it belongs to
  ["agencies", "select ya.year_id from changed c join year_agencies ya on ya.agency_id = c.id"],
];

const EVENTS = [
  ["ins", "INSERT", "NEW"],
  ["upd", "UPDATE", "NEW"],
  ["del", "DELETE", "OLD"],
] as const;

const triggerName = (table: string, suffix: string) => `${table}_year_revision_${suffix}`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("emulation_years", (t) => {
    t.bigInteger("revision").notNullable().defaultTo(0);
  });
  // A change of the year's own row (rules, dates, publication, closing) is a new revision too, unless
  // the statement already set it (the bump below).
  await knex.raw(`
    CREATE FUNCTION emulation_year_own_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.revision IS NOT DISTINCT FROM OLD.revision THEN
        NEW.revision := OLD.revision + 1;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER emulation_years_own_revision BEFORE UPDATE ON emulation_years
    FOR EACH ROW EXECUTE FUNCTION emulation_year_own_revision()`);
  // One statement-level trigger per table and event: a bulk insert of 500 score entries bumps once.
  // (A transition table can serve only one event, hence three triggers per table.)
  await knex.raw(`
    CREATE FUNCTION bump_year_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      EXECUTE 'UPDATE emulation_years SET revision = revision + 1 WHERE id IN (' || TG_ARGV[0] || ')';
      RETURN NULL;
    END $$`);
  await addYearRevisionTriggers(knex, YEAR_TABLES);
}

/** The three statement triggers of each table (later migrations add their new tables with it). */
export async function addYearRevisionTriggers(knex: Knex, tables: ReadonlyArray<readonly [string, string]>): Promise<void> {
  for (const [table, yearIds] of tables) {
    for (const [suffix, event, which] of EVENTS) {
      await knex.raw(
        `CREATE TRIGGER ${triggerName(table, suffix)} AFTER ${event} ON ${table}
         REFERENCING ${which} TABLE AS changed
         FOR EACH STATEMENT EXECUTE FUNCTION bump_year_revision(${knex.raw("?", [yearIds]).toQuery()})`,
      );
    }
  }
}

export async function dropYearRevisionTriggers(knex: Knex, tables: ReadonlyArray<readonly [string, string]>): Promise<void> {
  for (const [table] of tables) {
    for (const [suffix] of EVENTS) await knex.raw(`DROP TRIGGER IF EXISTS ${triggerName(table, suffix)} ON ${table}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await dropYearRevisionTriggers(knex, YEAR_TABLES);
  await knex.raw("DROP FUNCTION IF EXISTS bump_year_revision()");
  await knex.raw("DROP TRIGGER IF EXISTS emulation_years_own_revision ON emulation_years");
  await knex.raw("DROP FUNCTION IF EXISTS emulation_year_own_revision()");
  await knex.schema.alterTable("emulation_years", (t) => {
    t.dropColumn("revision");
  });
}
