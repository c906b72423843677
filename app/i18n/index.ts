/**
 * Strings live with their feature, one module per feature under app/i18n/, each shaped
 * `{ vi: {...} }`. An English locale is added by giving each module an `en` of the same shape.
 */
export type Locale = "vi" | "en";
export const DEFAULT_LOCALE: Locale = "vi";

export function pick<T>(dict: { vi: T; en?: T }, locale: Locale = DEFAULT_LOCALE): T {
  return (locale === "en" && dict.en) || dict.vi;
}
