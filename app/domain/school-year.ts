/**
 * School years ("2025-2026"): the one check of their spelling and the year running on a date.
 * Isomorphic.
 */

/** "2025-2026": two years, the second the first plus one. */
export function isSchoolYear(s: string): boolean {
  const m = /^(\d{4})-(\d{4})$/.exec(s);
  return !!m && Number(m[2]) === Number(m[1]) + 1;
}

/** The school year running on a date: from August, "Y-(Y+1)"; before, "(Y-1)-Y". */
export function currentSchoolYear(now = new Date()): string {
  const y = now.getUTCFullYear();
  return now.getUTCMonth() >= 7 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}
