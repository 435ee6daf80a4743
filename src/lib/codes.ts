/**
 * The rules of record codes, one home for the web forms, the path parameters and the year
 * bundle: a code typed in a form and a code arriving in a bundle obey the same rule.
 */
export const CODE_RULES = {
  /** A bloc's code appears in every path of the bloc (/blocs/<code>/…). */
  bloc: { pattern: /^[a-z0-9-]{1,40}$/, message: "Mã khối gồm 1–40 ký tự: chữ thường không dấu, số, gạch ngang." },
  agency: { pattern: /^[a-z0-9._-]{2,40}$/, message: "Mã gồm 2–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang." },
  campaign: { pattern: /^[A-Za-z0-9._-]{1,20}$/, message: "Mã phong trào gồm 1–20 ký tự: chữ không dấu, số, dấu chấm, gạch ngang." },
  criterion: { pattern: /^[A-Za-z0-9.]{1,20}$/, message: "Mã tiêu chí gồm 1–20 ký tự: chữ số La Mã, số, dấu chấm (ví dụ I, 1.1)." },
} as const;

/**
 * The path of the first value nested deeper than `maxDepth` (arrays and objects), or null.
 * Iterative, so a hostile document cannot overflow the stack while being checked.
 */
export function tooDeep(value: unknown, maxDepth: number): (string | number)[] | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (path.length >= maxDepth) return path;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return null;
}
