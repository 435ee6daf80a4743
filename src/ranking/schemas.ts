import { z } from "zod";

/** Path parameters of every page of a year: /blocs/:bloc/years/:year. */
export const YearParams = z.object({
  bloc: z.string().regex(/^[a-z0-9-]{1,40}$/),
  year: z.coerce.number().int().min(2000).max(2100),
});

export const FORMATS = ["table", "csv", "json"] as const;
