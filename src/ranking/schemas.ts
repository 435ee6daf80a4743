import { z } from "zod";
import { BlocCodeParam, YearParam } from "../web/params.js";

/** Path parameters of every page of a year: /blocs/:bloc/years/:year. */
export const YearParams = z.object({
  bloc: BlocCodeParam,
  year: YearParam,
});

export const FORMATS = ["table", "csv", "json"] as const;
