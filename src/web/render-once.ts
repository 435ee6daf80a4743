import type { Response } from "express";

/**
 * Issue 16: a page that presents nothing but an object cached per revision of its year (a printed
 * document) is rendered once per such object: the same object gives the same HTML. A new revision
 * builds a new object, and the old one's HTML goes with it (a WeakMap: nothing to invalidate).
 *
 * The template sees only `locals` (and the app's locals), never the response's (user, CSRF token,
 * flash), so one reader's page cannot carry another's; `locals` must follow from `source` and `key`.
 * With the view cache off (development) every request renders, so a template edit shows at once.
 */
const rendered = new WeakMap<object, Map<string, string>>();

export async function renderOnce(res: Response, source: object, key: string, view: string, locals: Record<string, unknown>): Promise<void> {
  const app = res.app;
  const cacheable = app.enabled("view cache");
  let html = cacheable ? rendered.get(source)?.get(key) : undefined;
  if (html === undefined) {
    html = await new Promise<string>((resolve, reject) => app.render(view, locals, (err, out) => (err ? reject(err) : resolve(out))));
    if (cacheable) {
      let byKey = rendered.get(source);
      if (!byKey) rendered.set(source, (byKey = new Map()));
      byKey.set(key, html);
    }
  }
  res.type("html").send(html);
}
