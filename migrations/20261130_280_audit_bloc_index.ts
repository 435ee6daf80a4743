import type { Knex } from "knex";

// Issue 16: the dashboard shows a bloc's ten latest audited actions on every visit. With no index on the
// bloc, PostgreSQL read and sorted the whole audit log each time: 42.9 ms at 200,000 entries (41 blocs),
// 0.05 ms with this one (read backwards, stopping at ten).
export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX audit_log_bloc_latest ON audit_log (bloc_id, at, id)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX audit_log_bloc_latest");
}
