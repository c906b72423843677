/** Time helpers: stored UTC, shown in Asia/Ho_Chi_Minh, dates as dd/mm/yyyy. Isomorphic. */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const dateFmt = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric" });
const timeFmt = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hour12: false });
const isoDateFmt = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

function toDate(v: Date | number | string): Date {
  return v instanceof Date ? v : new Date(v);
}

/** 23/11/2026 */
export function formatDate(v: Date | number | string): string {
  return dateFmt.format(toDate(v));
}

/** 23/11/2026 08:30 */
export function formatDateTime(v: Date | number | string): string {
  const d = toDate(v);
  return `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

/** A local calendar date 'YYYY-MM-DD' shown as dd/mm/yyyy. */
export function formatLocalDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/** Parses dd/mm/yyyy (or yyyy-mm-dd) into 'YYYY-MM-DD'; null when not a real date. */
export function parseLocalDate(input: string): string | null {
  const s = input.trim();
  let d: number, mo: number, y: number;
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The local date 'YYYY-MM-DD' in Asia/Ho_Chi_Minh of an instant. */
export function localDateOf(v: Date | number = Date.now()): string {
  return isoDateFmt.format(toDate(v)); // en-CA formats as YYYY-MM-DD
}
