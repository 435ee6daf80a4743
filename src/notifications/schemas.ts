import { z } from "zod";
import { messages } from "./messages.js";

export const IdParam = z.coerce.number().int().positive();
export const PageQuery = z.coerce.number().int().min(1).max(10_000).catch(1);

/** A user's own e-mail settings. An address is needed only to receive e-mails. */
export const MailSettingsForm = z
  .object({
    email: z
      .string()
      .trim()
      .max(254, messages.emailInvalid)
      .transform((v) => v.toLowerCase())
      .pipe(z.union([z.literal(""), z.email(messages.emailInvalid)])),
    emailNotifications: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => v !== undefined && v !== ""),
  })
  .superRefine((v, ctx) => {
    if (v.emailNotifications && !v.email) ctx.addIssue({ code: "custom", path: ["email"], message: messages.emailRequiredForMail });
  })
  .transform((v) => ({ email: v.email || null, emailNotifications: v.emailNotifications }));
