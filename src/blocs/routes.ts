import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { requireRight, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { formErrors } from "../setup/schemas.js";
import { ROLE_LABELS } from "../web/navigation.js";
import { AccountsForm, BLOC_LEVEL_LABELS, BlocCodeParam, EditBlocForm, NewBlocForm } from "./schemas.js";

const typed = (req: SignedInRequest) => (req.body ?? {}) as Record<string, string>;

export function blocRoutes({ blocAdmin }: Services): Router {
  const router = Router();
  // The service authorises ("bloc.admin") before any form is read.
  const url = (code: string) => `/admin/blocs/${encodeURIComponent(code)}`;

  router.get("/admin/blocs", requireRight("bloc.admin", async (req, res) => {
    res.render("blocs/list", { title: "Khối thi đua", blocs: await blocAdmin.list(req.user), levelLabels: BLOC_LEVEL_LABELS });
  }));

  const renderForm = async (req: SignedInRequest, res: Response, status: number, code: string | null, form: Record<string, unknown> | null, errors: Record<string, string[]>) => {
    const page = code === null ? null : await blocAdmin.page(req.user, code);
    res.status(status).render("blocs/form", {
      title: page ? page.bloc.name : "Tạo khối thi đua",
      isNew: page === null,
      bloc: form ?? page?.bloc ?? { level: "province" },
      code,
      accounts: page?.accounts ?? [],
      levelLabels: BLOC_LEVEL_LABELS,
      roleLabels: ROLE_LABELS,
      errors,
    });
  };

  router.get("/admin/blocs/new", requireRight("bloc.admin", async (req, res) => {
    await blocAdmin.list(req.user);
    await renderForm(req, res, 200, null, null, {});
  }));

  router.post("/admin/blocs", requireRight("bloc.admin", async (req, res) => {
    await blocAdmin.list(req.user);
    const form = NewBlocForm.safeParse(req.body);
    const result = form.success ? await blocAdmin.create(req.user, form.data, req.ip) : { errors: formErrors(form.error) };
    if (result.errors) return renderForm(req, res, 422, null, typed(req), result.errors);
    setFlash(req, "success", "Đã tạo khối thi đua. Hãy giao khối cho tài khoản Thường trực khối.");
    res.redirect(303, url(form.data!.code));
  }));

  router.get("/admin/blocs/:code", requireRight("bloc.admin", (req, res) => renderForm(req, res, 200, BlocCodeParam.parse(req.params.code), null, {})));

  router.post("/admin/blocs/:code", requireRight("bloc.admin", async (req, res) => {
    const code = BlocCodeParam.parse(req.params.code);
    await blocAdmin.page(req.user, code);
    const form = EditBlocForm.safeParse(req.body);
    if (!form.success) return renderForm(req, res, 422, code, { ...typed(req), code }, formErrors(form.error));
    await blocAdmin.update(req.user, code, form.data, req.ip);
    setFlash(req, "success", "Đã lưu thông tin khối thi đua.");
    res.redirect(303, url(code));
  }));

  router.post("/admin/blocs/:code/accounts", requireRight("bloc.admin", async (req, res) => {
    const code = BlocCodeParam.parse(req.params.code);
    await blocAdmin.page(req.user, code);
    const form = AccountsForm.safeParse(req.body);
    const result = form.success ? await blocAdmin.setAccounts(req.user, code, form.data.userIds, req.ip) : { errors: formErrors(form.error) };
    if (result.errors) return renderForm(req, res, 422, code, null, result.errors);
    setFlash(req, "success", "Đã cập nhật các tài khoản làm việc với khối.");
    res.redirect(303, url(code));
  }));

  return router;
}
