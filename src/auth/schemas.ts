import { z } from "zod";

export const LoginForm = z.object({
  username: z.string().trim().min(1, "Vui lòng nhập tên đăng nhập.").max(60, "Tên đăng nhập quá dài."),
  password: z.string().min(1, "Vui lòng nhập mật khẩu.").max(200, "Mật khẩu quá dài."),
});
