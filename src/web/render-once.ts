import { randomBytes } from "node:crypto";
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

/**
 * HTML rendered once, with its UTF-8 bytes encoded once: `sendPage` puts the bytes in the response as
 * they are (encoding a page's text took as long as rendering it for the big tables). In a template it is
 * its HTML.
 */
export class KeptHtml {
  #bytes: Buffer | undefined;
  constructor(readonly html: string) {}
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.html, "utf8"));
  }
  toString(): string {
    return this.html;
  }
}

const rendered = new WeakMap<object, Map<string, KeptHtml>>();

const renderToString = (app: Application, view: string, locals: Record<string, unknown>) =>
  new Promise<string>((resolve, reject) => app.render(view, locals, (err, out) => (err ? reject(err) : resolve(out))));

export async function renderedOnce(app: Application, source: object | null, key: string, view: string, locals: Record<string, unknown>): Promise<KeptHtml> {
  const keep = source !== null && app.enabled("view cache") ? source : null;
  const slot = `${view}\n${key}`;
  const cached = keep ? rendered.get(keep)?.get(slot) : undefined;
  if (cached !== undefined) return cached;
  const html = new KeptHtml(await renderToString(app, view, locals));
  if (keep) {
    let byKey = rendered.get(keep);
    if (!byKey) rendered.set(keep, (byKey = new Map()));
    byKey.set(slot, html);
  }
  return html;
}

/** Sends the page `view` renders from `locals`, rendered once per `source` and `key` (above). */
export async function renderOnce(res: Response, source: object | null, key: string, view: string, locals: Record<string, unknown>): Promise<void> {
  res.type("html").send((await renderedOnce(res.app, source, key, view, locals)).bytes);
}

// Where a kept part goes in a page rendered around it: a control character and a nonce of this process,
// which neither a template nor anything a user typed can hold by chance.
const MARK = `\u0001${randomBytes(12).toString("hex")}:`;
const END = "\u0001";

/**
 * Renders the page `view` (with the response's locals, as `res.render`) and sends it; the `KeptHtml`
 * among `locals` go into the response as their kept bytes, the rest of the page is encoded as usual.
 */
export async function sendPage(res: Response, view: string, locals: Record<string, unknown>): Promise<void> {
  const kept: KeptHtml[] = [];
  const marked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(locals)) marked[name] = value instanceof KeptHtml ? `${MARK}${kept.push(value) - 1}${END}` : value;
  const html = await new Promise<string>((resolve, reject) => res.render(view, marked, (err, out) => (err ? reject(err) : resolve(out))));
  res.type("html").send(kept.length ? withKeptBytes(html, kept) : html);
}

function withKeptBytes(html: string, kept: KeptHtml[]): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = html.indexOf(MARK); at !== -1; at = html.indexOf(MARK, from)) {
    const end = html.indexOf(END, at + MARK.length);
    parts.push(Buffer.from(html.slice(from, at), "utf8"), kept[Number(html.slice(at + MARK.length, end))]!.bytes);
    from = end + END.length;
  }
  parts.push(Buffer.from(html.slice(from), "utf8"));
  return Buffer.concat(parts);
}
