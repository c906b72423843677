/**
 * Catalogue editions: schema, loading/validation, diff and canonical JSON.
 * Isomorphic (no Node imports). The content hash is sha256 of canonicalJson(edition).
 */
export type * from "./types";
export { editionSchema } from "./schema";
export { EDITION_ID_MAX, EDITION_ID_MIN, EDITION_ID_PATTERN, editionIdSchema, isEditionId } from "./edition-id";
export { parseEdition, parseEditionJson, selectDefaultEdition, type ParseEditionResult } from "./load";
export { validateEdition, type CatalogueError, type CatalogueErrorKind } from "./validate";
export { diffEditions, type EditionDiff, type EntityChange, type FieldChange, type GroupSummary, type IndicatorSummary, type ItemSummary } from "./diff";
export { canonicalJson, editionHash } from "./canonical";
export { catalogueMessages, type CatalogueMessages } from "./messages";
