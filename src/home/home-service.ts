import type { User } from "../auth/users-repo.js";
import type { YearsService } from "../years/years-service.js";
import type { HomeRepo } from "./home-repo.js";
import { effectiveDueOn } from "../scoring/index.js";
import { daysBetween, localDate } from "../lib/dates.js";
import { CLERK_STATE_LABELS, dueTextOf, isIn } from "../years/deliverables.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";
import { hasRight } from "../auth/access.js";

/** The clerk's home: what is due, by when, in what state, with the returned comments. */
export function homeService(deps: { repo: HomeRepo; years: YearsService; now: () => Date; cache?: ComputedYearCache }) {
  const cache = deps.cache ?? noYearCache;
  return {
    async clerkHome(user: User) {
      if (!hasRight(user, "agency.submit") || user.agencyId === null) return null;
      const latest = await deps.years.currentFor(user);
      if (!latest) return null;
      const ctx = await deps.years.load(latest.blocCode, latest.year);
      const agency = ctx.agencies.find((a) => a.id === user.agencyId);
      if (!agency) return null;
      const today = localDate(deps.now());
      // The agency's deliverables change only with the year's revision (issue 16); days left are worked out today.
      const rows = await cache.memo(ctx.year.id, ctx.year.revision, `deliverables:${agency.id}`, () => deps.repo.deliverables(ctx.year.id, agency.id));
      const items = rows.map((d) => {
        const dueOn = d.dueOn ? effectiveDueOn(d.dueOn, d.extensionDueOn) : null;
        const done = isIn(d.status);
        // A closed year has no deadlines left: lateness stays as recorded, nothing reads as overdue.
        const daysLeft = dueOn && !done && !ctx.year.closedAt ? daysBetween(today, dueOn) : null;
        const href =
          d.kind === "registration" ? `${ctx.basePath}/registration/${agency.code}`
          : d.kind === "score_sheet" ? `${ctx.basePath}/sheets/${agency.code}`
          : `${ctx.basePath}/periods/${d.periodNumber}/reports/${agency.code}`;
        return {
          ...d,
          dueOn,
          done,
          stateLabel: CLERK_STATE_LABELS[d.status ?? "none"] ?? d.status,
          stateKey: d.status ?? "none",
          daysLeft,
          dueText: daysLeft === null ? null : dueTextOf(daysLeft, "clerk").text,
          href,
        };
      });
      // What needs action comes first: returned, then the nearest deadlines.
      const order = (i: (typeof items)[number]) => (i.status === "returned" ? -1e6 : i.done ? 1e6 : (i.daysLeft ?? 0));
      const publishedAt = ctx.year.rankingPublishedAt;
      const ranking = { href: `${ctx.basePath}/ranking`, publishedOn: publishedAt ? localDate(publishedAt) : null };
      const todo = ctx.year.closedAt ? [] : [...items].filter((i) => !i.done).sort((a, b) => order(a) - order(b));
      return { ctx, agency, items, ranking, todo, closed: ctx.year.closedAt !== null };
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
