/** The bloc works in Vietnam's time zone whatever the server's TZ is. */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_DATE = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/;

function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy'. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = ISO_DATE.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** 'dd/mm/yyyy' (also d/m/yyyy, dd.mm.yyyy) → 'YYYY-MM-DD', or null when it is no real date. */
export function parseVnDate(text: string): string | null {
  const m = VN_DATE.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(y, mo, d)) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

const partsFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Through Intl: the time zone database's answer for any instant (slow: a few µs a call). */
export function zonedParts(at: Date): Record<string, string> {
  return Object.fromEntries(partsFormatter.formatToParts(at).map((p) => [p.type, p.value]));
}

/**
 * Vietnam has kept UTC+07:00, with no daylight saving, since 13/06/1975 (the time zone database's
 * Asia/Ho_Chi_Minh): from then on the local time is the UTC time plus 7 hours, computed directly, as
 * Intl (a tenth of a page's CPU on the province's view, which dates every bloc) would say. Earlier
 * instants, and invalid ones, go through Intl.
 */
const FIXED_OFFSET_SINCE = Date.UTC(1975, 5, 12, 17, 0);
const OFFSET_MS = 7 * 60 * 60_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function parts(at: Date): Record<string, string> {
  const t = at.getTime();
  if (!(t >= FIXED_OFFSET_SINCE) || t > 8.64e15 - OFFSET_MS) return zonedParts(at);
  const local = new Date(t + OFFSET_MS);
  return {
    year: String(local.getUTCFullYear()).padStart(4, "0"),
    month: two(local.getUTCMonth() + 1),
    day: two(local.getUTCDate()),
    hour: two(local.getUTCHours()),
    minute: two(local.getUTCMinutes()),
  };
}

/** The local (Vietnam) calendar date of an instant, as 'YYYY-MM-DD'. */
export function localDate(at: Date): string {
  const p = parts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** 'dd/mm/yyyy HH:MM' in Vietnam time. */
export function formatDateTime(at: Date | string | null | undefined): string {
  if (!at) return "";
  const p = parts(typeof at === "string" ? new Date(at) : at);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** "ngày 15 tháng 12 năm 2022", as official documents write dates (Nghị định 30/2020/NĐ-CP). */
export function formatDocumentDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  // NĐ 30/2020: a leading zero for days below 10 and months below 3 ("ngày 05 tháng 01", "tháng 6").
  const day = Number(m[3]) < 10 ? m[3] : String(Number(m[3]));
  const month = Number(m[2]) < 3 ? m[2] : String(Number(m[2]));
  return `ngày ${day} tháng ${month} năm ${m[1]}`;
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = ISO_DATE.exec(from);
  const b = ISO_DATE.exec(to);
  if (!a || !b) throw new Error(`invalid ISO date: ${from} / ${to}`);
  const ta = Date.UTC(Number(a[1]), Number(a[2]) - 1, Number(a[3]));
  const tb = Date.UTC(Number(b[1]), Number(b[2]) - 1, Number(b[3]));
  return Math.round((tb - ta) / 86_400_000);
}

/** The ISO date `days` days after `iso` ('YYYY-MM-DD'). */
export function addDays(iso: string, days: number): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new Error(`invalid ISO date: ${iso}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}
