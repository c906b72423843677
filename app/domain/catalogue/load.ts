/**
 * Loading an edition: shape (zod) then rules (validate.ts). Isomorphic, no I/O: the caller reads
 * the file (server: indicators/<id>/edition.json or the database; CLI: the file system).
 */
import type { ZodIssue } from "zod";
import { editionSchema } from "./schema";
import type { Edition } from "./types";
import { catalogueMessages, type CatalogueMessages, type EntityKind } from "./messages";
import { validateEdition, type CatalogueError } from "./validate";

export type ParseEditionResult = { ok: true; edition: Edition } | { ok: false; errors: CatalogueError[] };

function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** Nearest entity with a code along the path of a zod issue, read from the raw input. */
function entityAt(input: unknown, path: (string | number)[]): { kind: EntityKind; code: string; rest: string } {
  let node: unknown = input;
  let found: { kind: EntityKind; code: string; depth: number } = { kind: "edition", code: "", depth: 0 };
  if (typeof input === "object" && input !== null && typeof (input as { id?: unknown }).id === "string")
    found = { kind: "edition", code: (input as { id: string }).id, depth: 0 };
  for (let i = 0; i < path.length; i++) {
    if (typeof node !== "object" || node === null) break;
    node = (node as Record<string | number, unknown>)[path[i]];
    const parentKey = path[i - 1];
    const kind: EntityKind | null =
      parentKey === "groups"
        ? "group"
        : parentKey === "indicators"
          ? "indicator"
          : parentKey === "items"
            ? "item"
            : parentKey === "info"
              ? "info"
              : null;
    if (kind && typeof node === "object" && node !== null) {
      const rec = node as { code?: unknown; key?: unknown };
      const code = kind === "info" ? rec.key : rec.code;
      if (typeof code === "string") found = { kind, code, depth: i + 1 };
    }
  }
  const restPath = path.slice(found.depth);
  const rest = restPath.length === 0 ? "" : restPath.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[");
  return { kind: found.kind, code: found.code, rest };
}

function describeIssue(issue: ZodIssue, m: CatalogueMessages): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.received === "undefined" ? m.missingField : m.wrongType(issue.expected, issue.received);
    case "unrecognized_keys":
      return m.unknownKeys(issue.keys);
    case "invalid_literal":
      return m.badValue(JSON.stringify(issue.expected));
    case "invalid_enum_value":
      return m.badValue(issue.options.map((o) => JSON.stringify(o)).join(" | "));
    case "invalid_union_discriminator":
      return m.badValue(issue.options.map((o) => JSON.stringify(o)).join(" | "));
    default:
      return m.badValue(issue.message);
  }
}

/** Validate an edition (parsed JSON). On success the edition is deep-frozen: editions are immutable. */
export function parseEdition(input: unknown): ParseEditionResult {
  const parsed = editionSchema.safeParse(input);
  if (!parsed.success) {
    const errors: CatalogueError[] = parsed.error.issues.map((issue) => {
      const at = entityAt(input, issue.path);
      const code = at.kind === "edition" ? undefined : at.code;
      const text = (m: CatalogueMessages) =>
        m.shape(m.entity(at.kind, at.code), at.rest || m.root, describeIssue(issue, m));
      return {
        ...(code !== undefined ? { code } : {}),
        kind: "shape" as const,
        vi: text(catalogueMessages.vi),
        en: text(catalogueMessages.en),
      };
    });
    return { ok: false, errors };
  }
  const edition = parsed.data as Edition;
  const errors = validateEdition(edition);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, edition: deepFreeze(edition) };
}

/** Parse the text of an edition file (JSON), then validate it. */
export function parseEditionJson(text: string): ParseEditionResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      errors: [{ kind: "json", vi: catalogueMessages.vi.invalidJson(detail), en: catalogueMessages.en.invalidJson(detail) }],
    };
  }
  return parseEdition(input);
}

/**
 * The default edition: the newest published one by publishedAt (ties: the greater id).
 * Undefined when none is published.
 */
export function selectDefaultEdition<T extends Pick<Edition, "id" | "status" | "publishedAt">>(editions: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const e of editions) {
    if (e.status !== "published") continue;
    if (!best || e.publishedAt > best.publishedAt || (e.publishedAt === best.publishedAt && e.id > best.id)) best = e;
  }
  return best;
}
