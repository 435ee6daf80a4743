import { z } from "zod";
import { BLOC_LEVELS } from "./blocs-repo.js";

const text = (label: string, max: number) =>
  z.string({ error: `Vui lòng nhập ${label}.` }).trim().min(1, `Vui lòng nhập ${label}.`).max(max, `${label[0]!.toUpperCase()}${label.slice(1)} quá dài (tối đa ${max} ký tự).`);

export const blocFields = {
  name: text("tên khối thi đua", 200),
  shortName: text("tên in ở đầu văn bản", 60),
  issuingBody: text("cơ quan cấp trên in ở đầu văn bản", 200),
  placeName: text("địa danh ghi ngày tháng văn bản", 100),
  level: z.enum(BLOC_LEVELS, "Vui lòng chọn cấp của khối."),
};

export const EditBlocForm = z.object(blocFields);

export const NewBlocForm = z.object({
  code: z
    .string({ error: "Vui lòng nhập mã khối." })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{2,40}$/, "Mã khối gồm 2–40 ký tự: chữ không dấu, số, gạch ngang (ví dụ: dang-tq)."),
  ...blocFields,
});
export type NewBlocInput = z.infer<typeof NewBlocForm>;

/** Checkbox lists arrive as one string, an array, or nothing. */
export const AccountsForm = z.object({
  userIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(/^[1-9][0-9]{0,8}$/, "Giá trị không hợp lệ.").transform(Number))),
});

export { BlocCodeParam } from "../web/params.js";

export const BLOC_LEVEL_LABELS: Record<(typeof BLOC_LEVELS)[number], string> = {
  province: "Cấp tỉnh",
  district: "Cấp huyện",
  commune_cluster: "Cụm xã",
};
