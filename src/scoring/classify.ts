import { toHundredths } from "./points.js";
import type { RuleSet } from "./rules.js";
import { CLASSIFICATIONS } from "./types.js";
import type { Classification } from "./types.js";

/** Higher is better: fail 0, pass 1, good 2, excellent 3. */
function level(classification: Classification): number {
  return CLASSIFICATIONS.length - 1 - CLASSIFICATIONS.indexOf(classification);
}

export function isAtLeast(classification: Classification, minimum: Classification): boolean {
  return level(classification) >= level(minimum);
}

export function lowerOf(a: Classification, b: Classification): Classification {
  return level(a) <= level(b) ? a : b;
}

/**
 * Classification of a total: the thresholds are inclusive lower bounds; an agency with the disciplinary
 * flag is capped at rules.disciplineCap whatever its total.
 */
export function classify(total: number, disciplineFlag: boolean, rules: RuleSet): Classification {
  const byTotal = classifyTotal(total, rules);
  return disciplineFlag ? lowerOf(byTotal, rules.disciplineCap) : byTotal;
}

function classifyTotal(total: number, rules: RuleSet): Classification {
  const score = toHundredths(total);
  const { excellent, good, pass } = rules.thresholds;
  if (score >= toHundredths(excellent)) return "excellent";
  if (score >= toHundredths(good)) return "good";
  if (score >= toHundredths(pass)) return "pass";
  return "fail";
}
