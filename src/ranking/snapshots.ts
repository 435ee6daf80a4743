import type { Knex } from "knex";
import { blocsRepo } from "../blocs/blocs-repo.js";
import { yearsRepo } from "../years/years-repo.js";
import { yearsService } from "../years/years-service.js";
import { rankingRepo, type SnapshotKind } from "./ranking-repo.js";
import { rankingService } from "./ranking-service.js";

/**
 * Stores the year's ranking as it stands now, as the meeting's or the published one, inside `trx`
 * (every read goes through it: PGlite has one connection). For seeds and imports that write a meeting
 * or a publication directly rather than through the pages.
 */
export async function takeRankingSnapshot(trx: Knex, blocCode: string, year: number, kind: SnapshotKind, at: Date): Promise<void> {
  const repo = rankingRepo(trx);
  const years = yearsService({ repo: yearsRepo(trx), blocs: blocsRepo(trx), now: () => at });
  const ctx = await years.load(blocCode, year);
  const state = await rankingService({ repo, years, now: () => at }).liveState(ctx);
  await repo.saveSnapshot(trx, ctx.year.id, kind, state, at);
}
