// Who may review an agency's score sheet or reports in a year (conflict of interest, issue 14): the
// rule is the pure `mayReview` of src/scoring; here it meets the year's head and deputy and their names.
import type { User } from "../auth/users-repo.js";
import type { AuditService } from "../audit/audit-service.js";
import { ForbiddenError } from "../errors.js";
import { mayAnswerObjection, mayReview } from "../scoring/index.js";
import type { YearContext } from "./years-service.js";

export type ReviewedThing = "score_sheet" | "report";

const WHAT: Record<ReviewedThing, string> = { score_sheet: "bảng chấm điểm", report: "báo cáo" };

function nameOf(ctx: YearContext, agencyId: number | null): string {
  return ctx.agencies.find((a) => a.id === agencyId)?.name ?? "chưa xác định";
}

const leadership = (ctx: YearContext) => ({ headAgencyId: ctx.year.headAgencyId, deputyAgencyId: ctx.year.deputyAgencyId });
const reviewerOf = (user: User) => ({ role: user.role, agencyId: user.agencyId });

/** Who reviews this agency's sheet or reports, for the page ("Người thẩm định: …"). */
export function whoReviews(ctx: YearContext, agencyId: number): string {
  if (agencyId === ctx.year.headAgencyId) {
    return `Thường trực của đơn vị Phó Trưởng khối (${nameOf(ctx, ctx.year.deputyAgencyId)}), vì đây là đơn vị Trưởng khối.`;
  }
  return `Thường trực Khối (${nameOf(ctx, ctx.year.headAgencyId)}) hoặc tài khoản Thường trực của đơn vị khác; không ai thẩm định đơn vị của chính mình.`;
}

/** Whether `user` may review this agency (pages show the review form only then). */
export function mayReviewAgency(user: User, ctx: YearContext, agencyId: number): boolean {
  return mayReview(reviewerOf(user), agencyId, leadership(ctx)).allowed;
}

/** The Vietnamese refusal naming who must review, or null when the user may. */
export function reviewRefusal(user: User, ctx: YearContext, agencyId: number, thing: ReviewedThing): string | null {
  const decision = mayReview(reviewerOf(user), agencyId, leadership(ctx));
  if (decision.allowed) return null;
  const what = WHAT[thing];
  if (decision.cause === "head_needs_deputy") {
    return `Không được thẩm định: ${what} của ${nameOf(ctx, agencyId)} (đơn vị Trưởng khối) chỉ do tài khoản Thường trực của đơn vị Phó Trưởng khối — ${nameOf(ctx, decision.mustReview)} — thẩm định.`;
  }
  return `Không được thẩm định: tài khoản của bạn thuộc ${nameOf(ctx, agencyId)}, không ai thẩm định ${what} của chính đơn vị mình. Việc này do Thường trực Khối (${nameOf(ctx, decision.mustReview)}) thực hiện.`;
}

/** Refuses (403) a review the conflict rule forbids, after recording the attempt in the audit log. */
export async function assertMayReview(
  deps: { audit: AuditService },
  user: User,
  ctx: YearContext,
  target: { agencyId: number; thing: ReviewedThing; entityId: number | string | null },
  ip?: string,
): Promise<void> {
  const refusal = reviewRefusal(user, ctx, target.agencyId, target.thing);
  if (refusal === null) return;
  // One insert on its own: the refusal is kept even though nothing else happens.
  await deps.audit.record({
    userId: user.id, username: user.username, action: `${target.thing}.review_refused`, entity: target.thing, entityId: target.entityId,
    blocId: ctx.bloc.id, agencyId: target.agencyId, before: null, after: { refused: refusal }, ip,
  });
  throw new ForbiddenError(refusal);
}

/** The Vietnamese refusal to answer an objection of one's own agency (either side), or null when the user may. */
export function objectionAnswerRefusal(user: User, ctx: YearContext, objection: { filedBy: number; about: number }): string | null {
  const decision = mayAnswerObjection(reviewerOf(user), objection, leadership(ctx));
  if (decision.allowed) return null;
  return `Không được trả lời: kiến nghị này do ${nameOf(ctx, objection.filedBy)} gửi về kết quả của ${nameOf(ctx, objection.about)}, và tài khoản của bạn làm việc cho ${nameOf(ctx, decision.ownAgency)}. Kiến nghị do tài khoản Thường trực của đơn vị khác hoặc Quản trị hệ thống trả lời.`;
}

/** Refuses (403) an answer the conflict rule forbids, after recording the attempt in the audit log. */
export async function assertMayAnswerObjection(
  deps: { audit: AuditService },
  user: User,
  ctx: YearContext,
  objection: { id: number; filedBy: number; about: number },
  ip?: string,
): Promise<void> {
  const refusal = objectionAnswerRefusal(user, ctx, objection);
  if (refusal === null) return;
  await deps.audit.record({
    userId: user.id, username: user.username, action: "objection.answer_refused", entity: "objection", entityId: objection.id,
    blocId: ctx.bloc.id, agencyId: objection.about, before: null, after: { refused: refusal }, ip,
  });
  throw new ForbiddenError(refusal);
}
