/**
 * THE edition id rule, used wherever an edition id comes in: the edition's own validation (upload,
 * seeding from indicators/), the admin detail route's :id, the public catalogue's ?phien-ban= and the
 * comparison's ?tu=&den=. One rule, so an edition that can be uploaded can always be opened, previewed,
 * published and deleted.
 *
 * Lower-case ASCII letters and digits in segments joined by single hyphens (no leading, trailing or
 * double hyphen), EDITION_ID_MIN–EDITION_ID_MAX characters: "qd-4725-2022", "tt-2025". Isomorphic.
 */
import { z } from "zod";

export const EDITION_ID_MIN = 2;
export const EDITION_ID_MAX = 64;

/** The whole rule as one regular expression (length included). */
export const EDITION_ID_PATTERN = /^(?=.{2,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Whether `s` is a valid edition id. */
export function isEditionId(s: unknown): boolean {
  return typeof s === "string" && EDITION_ID_PATTERN.test(s);
}

/** The zod schema of an edition id (route params, query strings). Not trimmed: " a" is not an id. */
export const editionIdSchema = z.string().regex(EDITION_ID_PATTERN);
