import type { Knex } from "knex";

// Indexes found missing at province scale (issue 9, docs/performance.md):
// - bloc_memberships(agency_id): every request of a clerk loads the user's blocs by agency
//   (the unique index starts with bloc_id, so this was a sequential scan of all memberships);
// - score_entries(criterion_id) and criteria(parent_id): the ON DELETE CASCADE of a criterion
//   scanned every score entry of every year (hundreds of thousands of rows) for each deletion.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("bloc_memberships", (t) => t.index(["agency_id"], "bloc_memberships_agency_id_index"));
  await knex.schema.alterTable("score_entries", (t) => t.index(["criterion_id"], "score_entries_criterion_id_index"));
  await knex.schema.alterTable("criteria", (t) => t.index(["parent_id"], "criteria_parent_id_index"));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("criteria", (t) => t.dropIndex(["parent_id"], "criteria_parent_id_index"));
  await knex.schema.alterTable("score_entries", (t) => t.dropIndex(["criterion_id"], "score_entries_criterion_id_index"));
  await knex.schema.alterTable("bloc_memberships", (t) => t.dropIndex(["agency_id"], "bloc_memberships_agency_id_index"));
}
