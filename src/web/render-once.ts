import type { Application, Response } from "express";

/**
 * Issue 16: what presents nothing but an object cached per revision of its year (a printed document,
 * the dashboard's matrix and chart) is rendered once per such object: the same object gives the same
 * HTML. A new revision builds a new object, and the old one's HTML goes with it (a WeakMap: nothing to
 * invalidate).
 *
 * The template sees only `locals` (and the app's locals), never the response's (user, CSRF token,
 * flash), so one reader's page cannot carry another's; `locals` must follow from `source` and `key`.
 * With the view cache off (development) every call renders, so a template edit shows at once; a null
 * `source` (what a refused form typed, with its errors: that response's own) is rendered and not kept.
 */
const rendered = new WeakMap<object, Map<string, string>>();

export async function renderedOnce(app: Application, source: object | null, key: string, view: string, locals: Record<string, unknown>): Promise<string> {
  const keep = source !== null && app.enabled("view cache") ? source : null;
  const slot = `${view}\n${key}`;
  const cached = keep ? rendered.get(keep)?.get(slot) : undefined;
  if (cached !== undefined) return cached;
  const html = await new Promise<string>((resolve, reject) => app.render(view, locals, (err, out) => (err ? reject(err) : resolve(out))));
  if (keep) {
    let byKey = rendered.get(keep);
    if (!byKey) rendered.set(keep, (byKey = new Map()));
    byKey.set(slot, html);
  }
  return html;
}

/** Sends the page `view` renders from `locals`, rendered once per `source` and `key` (above). */
export async function renderOnce(res: Response, source: object | null, key: string, view: string, locals: Record<string, unknown>): Promise<void> {
  res.type("html").send(await renderedOnce(res.app, source, key, view, locals));
}
