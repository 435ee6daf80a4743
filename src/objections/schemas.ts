import { z } from "zod";
import { FormId } from "../web/params.js";

const text = (what: string) =>
  z
    .string({ error: `Vui lòng ghi ${what} (ít nhất 10 ký tự).` })
    .trim()
    .min(10, `Vui lòng ghi ${what} (ít nhất 10 ký tự).`)
    .max(5000, `${what[0]!.toUpperCase()}${what.slice(1)} tối đa 5.000 ký tự.`);

/** A clerk's objection: about which agency, points or proposal, and why. */
export const ObjectionForm = z.object({
  subjectAgencyId: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = FormId.safeParse(v);
      if (!v || !parsed.success) {
        ctx.addIssue({ code: "custom", message: "Vui lòng chọn cơ quan, đơn vị được kiến nghị." });
        return z.NEVER;
      }
      return parsed.data;
    }),
  topic: z.enum(["points", "proposal"], "Vui lòng chọn nội dung kiến nghị: điểm chấm, xếp hạng hay đề nghị khen thưởng."),
  reasons: text("nội dung, lý do kiến nghị"),
});

/** The secretariat's answer. */
export const AnswerForm = z.object({
  decision: z.enum(["accept", "reject"], "Vui lòng chọn chấp nhận hoặc không chấp nhận kiến nghị."),
  answer: text("nội dung trả lời"),
});
