import { z } from "zod";
import { NotFoundError } from "../errors.js";
import { CODE_RULES } from "../lib/codes.js";

/** The largest id PostgreSQL's `integer` holds: a larger one would make the query fail (500). */
export const INT_MAX = 2_147_483_647;

/**
 * A path parameter that cannot name a record answers 404 like an unknown record, never 400 or
 * 500 (e.g. an id beyond the integer range). `.parse` throws NotFoundError on a bad value.
 */
export function pathParam<T extends z.ZodType>(schema: T) {
  return z.unknown().transform((value): z.output<T> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new NotFoundError();
    return parsed.data;
  });
}

/** A record id in a path: 1 … INT_MAX, digits only. */
export const IdParam = pathParam(z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(z.number().max(INT_MAX)));
/** A year of a bloc in a path. */
export const YearParam = pathParam(z.coerce.number().int().min(2000).max(2100));
/** A period's number in a path (a year may have any number of periods). */
export const NumberParam = pathParam(z.coerce.number().int().min(1).max(99));
/** A bloc code in a path. */
export const BlocCodeParam = pathParam(z.string().regex(CODE_RULES.bloc.pattern));
/** An agency (or other record) code in a path. */
export const CodeParam = pathParam(z.string().regex(/^[a-z0-9._-]{1,40}$/i));

/** An id typed in a form or query: same range, so the database never sees a larger one. */
export const FormId = z.coerce.number().int().positive().max(INT_MAX);

/**
 * An optional free-text form field: trimmed, at most `max` characters, empty → null. `label` names the
 * field in the too-long message, for forms where two fields share a limit (the error summary lists both).
 */
export const optionalText = (max: number, label = "Nội dung") =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(max, `${label} quá dài (tối đa ${max} ký tự).`))
    .transform((v) => (v === "" ? null : v));
