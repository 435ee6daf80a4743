import { Router, type Response } from "express";
import { uploadedFile } from "../web/middleware/multipart.js";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { formErrors } from "../setup/schemas.js";
import { AgencyCodeParam, BulkListForm, BulkSaveForm, EditAgencyForm, MembershipForm, NewAgencyForm } from "./schemas.js";
import { localDate } from "../lib/dates.js";
import { IdParam } from "../web/params.js";
import { BackfillForm, RevokeForm } from "../awards/schemas.js";
import { awardMessages, AWARD_KIND_LABELS } from "../awards/awards-service.js";

const MAX_LIST_BYTES = 2 * 1024 * 1024;

/** The list's file, read by the one multipart parser (src/web/middleware/multipart.ts); too large → a message beside the field. */
function receive(req: SignedInRequest): { file?: Express.Multer.File; error: string | null } {
  const file = uploadedFile(req, "file");
  if (file && file.size > MAX_LIST_BYTES) return { error: "Tệp lớn hơn 2 MB." };
  return { file, error: null };
}

const body = (req: SignedInRequest) => (req.body ?? {}) as Record<string, string>;

export function agencyRoutes(services: Services): Router {
  const router = Router();
  const { agencies, years, awards } = services;
  const base = (bloc: string) => `/blocs/${encodeURIComponent(bloc)}/agencies`;

  /** Menu link: the agencies of the user's first bloc. */
  router.get("/agencies", requireUser(async (req, res) => {
    const latest = await years.currentFor(req.user);
    if (!latest) return res.redirect(303, "/");
    res.redirect(303, base(latest.blocCode));
  }));

  router.get("/blocs/:bloc/agencies", requireUser(async (req, res) => {
    const page = await agencies.list(req.user, String(req.params.bloc));
    res.render("agencies/list", { title: `Cơ quan, đơn vị — ${page.bloc.name}`, ...page, base: base(page.bloc.code), errors: {}, form: {} });
  }));

  const renderNew = async (req: SignedInRequest, res: Response, status: number, form: Record<string, string>, errors: Record<string, string[]>) => {
    const page = await agencies.list(req.user, String(req.params.bloc));
    res.status(status).render("agencies/form", { title: "Thêm cơ quan, đơn vị", bloc: page.bloc, base: base(page.bloc.code), isNew: true, agency: form, errors, membership: null });
  };

  router.get("/blocs/:bloc/agencies/new", requireUser(async (req, res) => {
    await agencies.openBloc(req.user, String(req.params.bloc), "write");
    await renderNew(req, res, 200, { joinedYear: String(new Date().getFullYear()) }, {});
  }));

  router.post("/blocs/:bloc/agencies", requireUser(async (req, res) => {
    const bloc = String(req.params.bloc);
    await agencies.openBloc(req.user, bloc, "write");
    const form = NewAgencyForm.safeParse(req.body);
    const result = form.success ? await agencies.create(req.user, bloc, form.data) : { errors: formErrors(form.error) };
    if (result.errors) return renderNew(req, res, 422, body(req), result.errors);
    setFlash(req, "success", "Đã thêm cơ quan, đơn vị.");
    res.redirect(303, base(bloc));
  }));

  // Agencies in bulk: paste a list (step "preview" shows the rows with proposed codes), then save them all.
  const renderBulk = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown>, rows: { name: string; shortName: string; code: string }[] | null, errors: Record<string, string[]>) => {
    const page = await agencies.bulkPage(req.user, String(req.params.bloc));
    const chosen = new Set(([] as unknown[]).concat(form.existingIds ?? []).map(Number));
    res.status(status).render("agencies/bulk", { title: "Thêm nhiều cơ quan, đơn vị", ...page, base: base(page.bloc.code), form, chosen, rows, errors });
  };
  router.get("/blocs/:bloc/agencies/bulk", requireUser((req, res) =>
    renderBulk(req, res, 200, { list: "", joinedYear: localDate(services.now()).slice(0, 4) }, null, {})),
  );
  router.post("/blocs/:bloc/agencies/bulk", requireUser(async (req, res) => {
    const bloc = String(req.params.bloc);
    await agencies.openBloc(req.user, bloc, "write");
    const b = body(req);
    if (b.step === "save") {
      const form = BulkSaveForm.safeParse(req.body);
      const result = form.success ? await agencies.addMany(req.user, bloc, form.data) : { errors: formErrors(form.error) };
      if (result.errors) {
        const list = (v: unknown) => ([] as string[]).concat((v as string | string[] | undefined) ?? []);
        const [names, shorts, codes] = [list(req.body?.name), list(req.body?.shortName), list(req.body?.code)];
        const rows = names.map((name, i) => ({ name, shortName: shorts[i] ?? "", code: codes[i] ?? "" }));
        return renderBulk(req, res, 422, req.body ?? {}, rows.length ? rows : null, result.errors);
      }
      setFlash(req, "success", `Đã thêm ${result.added} cơ quan, đơn vị vào Khối.`);
      return res.redirect(303, base(bloc));
    }
    const form = BulkListForm.safeParse(req.body);
    if (!form.success) return renderBulk(req, res, 422, req.body ?? {}, null, formErrors(form.error));
    const preview = form.data.list.trim() === "" && form.data.existingIds.length ? { rows: [] } : await agencies.previewList(req.user, bloc, form.data.list);
    if (preview.errors) return renderBulk(req, res, 422, req.body ?? {}, null, preview.errors);
    await renderBulk(req, res, 200, req.body ?? {}, preview.rows ?? [], {});
  }));

  router.post("/blocs/:bloc/agencies/bulk/upload", requireUser(async (req, res) => {
    const bloc = String(req.params.bloc);
    await agencies.openBloc(req.user, bloc, "write");
    const { file, error: uploadError } = receive(req);
    const form = { ...(req.body ?? {}), list: "" } as Record<string, unknown>;
    if (uploadError) return renderBulk(req, res, 422, form, null, { file: [uploadError] });
    const year = BulkListForm.safeParse({ ...form, list: "" });
    if (!year.success) return renderBulk(req, res, 422, form, null, formErrors(year.error));
    const preview = await agencies.previewWorkbook(req.user, bloc, file?.buffer);
    if (preview.errors) return renderBulk(req, res, 422, form, null, preview.errors);
    await renderBulk(req, res, 200, form, preview.rows ?? [], {});
  }));

  const renderEdit = async (req: SignedInRequest, res: Response, status: number, typed: Record<string, string> | null, errors: Record<string, string[]>, awardForm: { id: string; form: Record<string, unknown>; errors: Record<string, string[]> } = { id: "", form: {}, errors: {} }) => {
    const page = await agencies.get(req.user, String(req.params.bloc), AgencyCodeParam.parse(req.params.code));
    res.status(status).render("agencies/form", {
      history: await awards.history(page.agency.id),
      mayBackfill: await awards.mayBackfill(req.user, page.agency.id),
      awardKinds: AWARD_KIND_LABELS,
      awardForm,
      title: `Cơ quan, đơn vị: ${page.agency.name}`,
      bloc: page.bloc,
      base: base(page.bloc.code),
      isNew: false,
      canWrite: page.canWrite,
      canEdit: page.canEdit,
      agency: { ...page.agency, ...(typed ?? {}) },
      membership: { label: page.label, current: page.current, year: typed?.year ?? "" },
      errors,
    });
  };

  router.get("/blocs/:bloc/agencies/:code", requireUser((req, res) => renderEdit(req, res, 200, null, {})));

  router.post("/blocs/:bloc/agencies/:code", requireUser(async (req, res) => {
    const [bloc, code] = [String(req.params.bloc), AgencyCodeParam.parse(req.params.code)];
    await agencies.assertCanChange(req.user, bloc, code, "edit");
    const form = EditAgencyForm.safeParse(req.body);
    if (!form.success) return renderEdit(req, res, 422, body(req), formErrors(form.error));
    await agencies.update(req.user, bloc, code, form.data);
    setFlash(req, "success", "Đã lưu thông tin cơ quan, đơn vị.");
    res.redirect(303, `${base(bloc)}/${encodeURIComponent(code)}`);
  }));

  // Awards decided outside the portal, entered afterwards (issue 18), and their revocation.
  router.post("/blocs/:bloc/agencies/:code/awards", requireUser(async (req, res) => {
    const [bloc, code] = [String(req.params.bloc), AgencyCodeParam.parse(req.params.code)];
    const page = await agencies.get(req.user, bloc, code);
    await awards.assertMayBackfill(req.user, page.agency.id); // role and scope before the form is read
    const form = BackfillForm.safeParse(req.body ?? {});
    if (!form.success) return renderEdit(req, res, 422, null, {}, { id: "new", form: body(req), errors: formErrors(form.error) });
    await awards.backfill(req.user, page.bloc.id, page.agency.id, form.data, req.ip);
    setFlash(req, "success", awardMessages.backfilled);
    res.redirect(303, `${base(bloc)}/${encodeURIComponent(code)}#awards`);
  }));

  router.post("/blocs/:bloc/agencies/:code/awards/:id/revoke", requireUser(async (req, res) => {
    const [bloc, code] = [String(req.params.bloc), AgencyCodeParam.parse(req.params.code)];
    const id = IdParam.parse(req.params.id);
    const page = await agencies.get(req.user, bloc, code);
    await awards.assertMayBackfill(req.user, page.agency.id);
    const form = RevokeForm.safeParse(req.body ?? {});
    if (!form.success) {
      return renderEdit(req, res, 422, null, {}, { id: `a${id}`, form: body(req), errors: formErrors(form.error) });
    }
    await awards.revokeOfAgency(req.user, page.bloc.id, page.agency.id, id, form.data.reason, req.ip);
    setFlash(req, "success", awardMessages.revoked);
    res.redirect(303, `${base(bloc)}/${encodeURIComponent(code)}#awards`);
  }));

  for (const action of ["leave", "join"] as const) {
    router.post(`/blocs/:bloc/agencies/:code/${action}`, requireUser(async (req, res) => {
      const [bloc, code] = [String(req.params.bloc), AgencyCodeParam.parse(req.params.code)];
      await agencies.assertCanChange(req.user, bloc, code, "membership");
      const form = MembershipForm.safeParse(req.body);
      const result = form.success ? await agencies[action](req.user, bloc, code, form.data.year) : { errors: formErrors(form.error) };
      if (result.errors) return renderEdit(req, res, 422, { year: body(req).year ?? "" }, result.errors);
      setFlash(req, "success", action === "leave" ? "Đã ghi nhận cơ quan, đơn vị rời Khối." : "Đã ghi nhận cơ quan, đơn vị gia nhập Khối.");
      res.redirect(303, `${base(bloc)}/${encodeURIComponent(code)}`);
    }));
  }

  return router;
}
