import type { Knex } from "knex";
import * as m001 from "./20261124_001_blocs_years.js";
import * as m002 from "./20261124_002_users_sessions_audit.js";
import * as m003 from "./20261124_003_reports.js";
import * as m004 from "./20261124_004_scoring.js";
import * as m010 from "./20261124_010_performance_indexes.js";
import * as m013 from "./20261129_013_bloc_lifecycle.js";
import * as m190 from "./20261129_190_notifications.js";
import * as m200 from "./20261129_200_document_register.js";
import * as m201 from "./20261129_201_agency_governing_body.js";
import * as m014 from "./20261129_014_fair_ranking.js";
import * as m220 from "./20261129_220_report_return_history.js";
import * as m240 from "./20261129_240_year_revision.js";
import * as m250 from "./20261129_250_objections.js";
import * as m251 from "./20261129_251_awards.js";
import * as m252 from "./20261129_252_next_head.js";
import * as m253 from "./20261129_253_objection_revision.js";
import * as m260 from "./20261129_260_ranking_results.js";
import * as m261 from "./20261129_261_ranking_results_backfill.js";
import * as m262 from "./20261129_262_report_progress_index.js";
import * as m263 from "./20261129_263_ranking_results_revision.js";
import * as m270 from "./20261130_270_blocs_revision.js";
import * as m280 from "./20261130_280_audit_bloc_index.js";

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are listed in code (not discovered from the folder): knex's own dynamic
 * import of .ts files fails under vitest, and a list works under tsx, vitest and node.
 * Append new migrations at the end; never edit a merged one.
 */
export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ["20261124_001_blocs_years", m001],
  ["20261124_002_users_sessions_audit", m002],
  ["20261124_003_reports", m003],
  ["20261124_004_scoring", m004],
  ["20261124_010_performance_indexes", m010],
  ["20261129_013_bloc_lifecycle", m013],
  ["20261129_190_notifications", m190],
  ["20261129_200_document_register", m200],
  ["20261129_201_agency_governing_body", m201],
  ["20261129_014_fair_ranking", m014],
  ["20261129_220_report_return_history", m220],
  ["20261129_240_year_revision", m240],
  ["20261129_250_objections", m250],
  ["20261129_251_awards", m251],
  ["20261129_252_next_head", m252],
  ["20261129_253_objection_revision", m253],
  ["20261129_260_ranking_results", m260],
  ["20261129_261_ranking_results_backfill", m261],
  ["20261129_262_report_progress_index", m262],
  ["20261129_263_ranking_results_revision", m263],
  ["20261130_270_blocs_revision", m270],
  ["20261130_280_audit_bloc_index", m280],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
