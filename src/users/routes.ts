import { Router } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { requireRight, requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { ROLE_LABELS } from "../web/navigation.js";
import { BlocCodeParam, ChangePasswordForm, EditUserForm, IdParam, NewUserForm, ResetPasswordForm } from "./schemas.js";
import { formatDate, localDate } from "../lib/dates.js";

const fieldErrors = (error: z.ZodError) => z.flattenError(error).fieldErrors as Record<string, string[]>;

/** What was typed, kept for the form (passwords are never echoed back). */
function typed(req: SignedInRequest) {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const ids = Array.isArray(b.blocIds) ? b.blocIds.map(Number) : b.blocIds ? [Number(b.blocIds)] : [];
  return { username: str(b.username), fullName: str(b.fullName), role: str(b.role), agencyId: Number(b.agencyId) || null, blocIds: ids };
}

export function userRoutes(services: Services): Router {
  const router = Router();
  const { userAdmin } = services;

  router.get("/admin/users", requireRight("account.list", async (req, res) => {
    res.render("users/list", { title: "Quản lý tài khoản", users: await userAdmin.list(req.user), roleLabels: ROLE_LABELS });
  }));

  const renderForm = async (req: SignedInRequest, res: import("express").Response, status: number, extra: Record<string, unknown>) =>
    res.status(status).render("users/form", { roleLabels: ROLE_LABELS, options: await userAdmin.formOptions(req.user), errors: {}, ...extra });

  router.get("/admin/users/new", requireRight("account.list", async (req, res) => {
    await renderForm(req, res, 200, { title: "Tạo tài khoản", account: { role: "clerk", blocIds: [] }, isNew: true });
  }));

  router.post("/admin/users", requireRight("account.list", async (req, res) => {
    const form = NewUserForm.safeParse(req.body);
    const result = form.success ? await userAdmin.create(req.user, form.data, req.ip) : { errors: fieldErrors(form.error) };
    if (result.errors) return renderForm(req, res, 422, { title: "Tạo tài khoản", account: typed(req), isNew: true, errors: result.errors });
    setFlash(req, "success", "Đã tạo tài khoản.");
    res.redirect(303, "/admin/users");
  }));

  router.get("/admin/users/:id", requireRight("account.list", async (req, res) => {
    const account = await userAdmin.get(req.user, IdParam.parse(req.params.id));
    await renderForm(req, res, 200, { title: `Tài khoản ${account.username}`, account, isNew: false });
  }));

  router.post("/admin/users/:id", requireRight("account.list", async (req, res) => {
    const id = IdParam.parse(req.params.id);
    const account = await userAdmin.get(req.user, id);
    const form = EditUserForm.safeParse(req.body);
    const result = form.success ? await userAdmin.update(req.user, id, form.data, req.ip) : { errors: fieldErrors(form.error) };
    if (result.errors) {
      return renderForm(req, res, 422, { title: `Tài khoản ${account.username}`, account: { ...account, ...typed(req), username: account.username }, isNew: false, errors: result.errors });
    }
    setFlash(req, "success", "Đã lưu thay đổi tài khoản.");
    res.redirect(303, `/admin/users/${id}`);
  }));

  router.post("/admin/users/:id/password", requireRight("account.list", async (req, res) => {
    const id = IdParam.parse(req.params.id);
    const account = await userAdmin.get(req.user, id);
    const form = ResetPasswordForm.safeParse(req.body);
    const result = form.success ? await userAdmin.resetPassword(req.user, id, form.data.password, req.ip) : { errors: fieldErrors(form.error) };
    if (result.errors) return renderForm(req, res, 422, { title: `Tài khoản ${account.username}`, account, isNew: false, errors: result.errors });
    setFlash(req, "success", "Đã đặt lại mật khẩu. Hãy báo mật khẩu mới cho người dùng qua kênh an toàn.");
    res.redirect(303, `/admin/users/${id}`);
  }));

  router.post("/admin/users/:id/active", requireRight("account.list", async (req, res) => {
    const id = IdParam.parse(req.params.id);
    await userAdmin.get(req.user, id); // role and scope before the form is read
    const active = z.enum(["true", "false"]).parse(req.body?.active) === "true";
    await userAdmin.setActive(req.user, id, active, req.ip);
    setFlash(req, "success", active ? "Đã mở khóa tài khoản." : "Đã khóa tài khoản.");
    res.redirect(303, `/admin/users/${id}`);
  }));

  // Clerk accounts of a bloc in one step; the one-time passwords are shown once, on a printable sheet.
  router.get("/blocs/:bloc/clerk-accounts", requireUser(async (req, res) => {
    const page = await userAdmin.clerkAccountsPage(req.user, BlocCodeParam.parse(req.params.bloc));
    res.render("users/clerk-accounts", { title: "Tài khoản cán bộ thi đua của các cơ quan, đơn vị", ...page });
  }));

  router.post("/blocs/:bloc/clerk-accounts", requireUser(async (req, res) => {
    const bloc = BlocCodeParam.parse(req.params.bloc);
    const credentials = await userAdmin.createClerkAccounts(req.user, bloc, req.ip);
    const page = await userAdmin.clerkAccountsPage(req.user, bloc);
    // The passwords exist only in this response: no cache may keep it.
    res.set("Cache-Control", "no-store");
    res.render("users/credentials", { title: "Danh sách tài khoản cán bộ thi đua", bloc: page.bloc, credentials, portalUrl: `${req.protocol}://${req.get("host")}/login`, printedOn: formatDate(localDate(services.now())) });
  }));

  router.get("/account/password", requireUser((req, res) => {
    res.render("users/password", { title: "Đổi mật khẩu", errors: {}, forced: req.user.mustChangePassword });
  }));

  router.post("/account/password", requireUser(async (req, res) => {
    const form = ChangePasswordForm.safeParse(req.body);
    const result = form.success
      ? await userAdmin.changeOwnPassword(req.user, form.data.currentPassword, form.data.newPassword, req.ip, req.sessionID)
      : { errors: fieldErrors(form.error) };
    if (result.errors) return res.status(422).render("users/password", { title: "Đổi mật khẩu", errors: result.errors, forced: req.user.mustChangePassword });
    setFlash(req, "success", "Đã đổi mật khẩu.");
    res.redirect(303, "/");
  }));

  return router;
}
