/**
 * The free-text sections of the self-assessment report (outline of Phụ lục 2), declared once:
 * the service, the page, the PDF and the strings (app/i18n/report.ts) all take them from here.
 * Isomorphic, no I/O.
 */
export const REPORT_SECTION_KEYS = ["leadership", "process", "results", "difficulties", "directions", "proposals"] as const;
export type ReportSectionKey = (typeof REPORT_SECTION_KEYS)[number];

/** Longest text accepted for one section. */
export const REPORT_SECTION_MAX = 20_000;

export const isReportSection = (k: string): k is ReportSectionKey => (REPORT_SECTION_KEYS as readonly string[]).includes(k);

/**
 * A short fingerprint of a section's text (two 32-bit FNV-1a hashes, hex), sent with the form as
 * the base the tab saw: a save whose base no longer matches the stored text meets someone else's
 * change instead of overwriting it. Not a security measure; the same function runs in the
 * browser and on the server.
 */
export function sectionFingerprint(text: string | null | undefined): string {
  const s = (text ?? "").normalize("NFC");
  let a = 0x811c9dc5;
  let b = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ ((c * 31 + i) & 0xffff), 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
