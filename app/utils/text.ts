/** Vietnamese text helpers, isomorphic. */

/** NFC-normalised, trimmed, inner whitespace collapsed. */
export function cleanText(s: string): string {
  return s.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** Search key: lower case, diacritics removed, đ → d. "Đống Đa" → "dong da". */
export function foldVietnamese(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Vietnamese collation (SQLite's ordering of Vietnamese names is wrong). */
export const viCollator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

export function sortVi<T>(rows: T[], key: (row: T) => string): T[] {
  return [...rows].sort((a, b) => viCollator.compare(key(a), key(b)));
}
