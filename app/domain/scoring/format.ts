/** Number formatting for points, isomorphic and dependency-free. */

export type Locale = "vi" | "en";

/** A localised message: every user-facing string exists in Vietnamese and English. */
export interface Msg {
  vi: string;
  en: string;
}

function decimalSeparator(locale: Locale): string {
  return locale === "vi" ? "," : ".";
}

/**
 * Points given in integer hundredths, shown with at most 2 decimals and no trailing zeros:
 * 7250 → "72,5" (vi) / "72.5" (en); 102 → "1,02"; 7500 → "75". No thousands separator
 * (points never reach 1000, and "1.000" would read as one in English).
 */
export function formatPoints(hundredths: number, locale: Locale = "vi"): string {
  // Memoised for the usual range (scores are formatted many times in bulk scoring).
  if (hundredths >= 0 && hundredths <= CACHE_LIMIT && Number.isInteger(hundredths)) {
    const cache = caches[locale];
    let s = cache.get(hundredths);
    if (s === undefined) {
      s = format(hundredths, locale);
      cache.set(hundredths, s);
    }
    return s;
  }
  return format(hundredths, locale);
}

const CACHE_LIMIT = 20_000;
const caches: Record<Locale, Map<number, string>> = { vi: new Map(), en: new Map() };

function format(hundredths: number, locale: Locale): string {
  if (!Number.isSafeInteger(hundredths)) throw new RangeError(`formatPoints: ${hundredths} is not an integer number of hundredths`);
  const sign = hundredths < 0 ? "-" : "";
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return sign + String(whole);
  const digits = frac < 10 ? "0" + String(frac) : frac % 10 === 0 ? String(frac / 10) : String(frac);
  return sign + String(whole) + decimalSeparator(locale) + digits;
}

/** A decimal given as its integer part and fraction digits, e.g. ("1", "015", false) → "1,015"; truncated adds "…". */
export function formatDecimalParts(whole: string, fraction: string, truncated: boolean, locale: Locale): string {
  const f = truncated ? fraction : fraction.replace(/0+$/, "");
  return (f.length > 0 ? whole + decimalSeparator(locale) + f : whole) + (truncated ? "…" : "");
}

/** Points from the edition (a JSON number with ≤ 2 decimals) shown in the locale. */
export function formatEditionPoints(points: number, locale: Locale): string {
  return formatPoints(Math.round(points * 100), locale);
}
