import type { Knex } from "knex";

// Issue 16: every page's header lists the blocs (the brand, the "current year" links, the province's
// view). The list is kept per process and read again only when it changed: `list_revisions.revision`
// of 'blocs' is bumped by trigger in the same transaction as any write to `blocs` (as migration 240
// does for a year), so several processes on one database never show a stale list. No row yet reads as
// revision 0. A counter, not data: backups leave it out (a restore's writes to blocs bump it).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("list_revisions", (t) => {
    t.string("name", 40).primary();
    t.bigInteger("revision").notNullable().defaultTo(0);
  });
  await knex.raw(`
    CREATE FUNCTION bump_blocs_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO list_revisions (name, revision) VALUES ('blocs', 1)
        ON CONFLICT (name) DO UPDATE SET revision = list_revisions.revision + 1;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER blocs_list_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON blocs
    FOR EACH STATEMENT EXECUTE FUNCTION bump_blocs_revision()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TRIGGER IF EXISTS blocs_list_revision ON blocs");
  await knex.raw("DROP FUNCTION IF EXISTS bump_blocs_revision()");
  await knex.schema.dropTableIfExists("list_revisions");
}
