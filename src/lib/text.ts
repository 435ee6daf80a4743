/** Joins sentences or clauses with "; " without leaving ".;" behind, ending with one full stop. */
export function joinReasons(reasons: readonly string[]): string {
  const parts = reasons.map((r) => r.trim().replace(/[.;]+$/, "")).filter(Boolean);
  return parts.length ? `${parts.join("; ")}.` : "";
}
