import { z } from "zod";
import { AWARDS } from "../scoring/index.js";
import { BlocCodeParam, CodeParam, YearParam } from "../web/params.js";

export const provinceMessages = {
  award: "Chọn một hình thức khen thưởng trong danh sách (Cờ thi đua hoặc Bằng khen), hoặc “Tất cả”.",
  noYear: "Chưa có năm thi đua nào trong các khối được giao.",
} as const;

export const ProvinceParams = z.object({ year: YearParam });
export const BlocHistoryParams = z.object({ bloc: BlocCodeParam });
export const AgencyHistoryParams = z.object({ agency: CodeParam });

/** The award filter of the consolidated list (`?award=flag|merit`; empty or absent: every award). */
export const AwardFilter = z.object({
  award: z.preprocess((v) => (v === "" ? undefined : v), z.enum(AWARDS, { message: provinceMessages.award }).optional()),
});
