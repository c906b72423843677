/**
 * Canonical JSON of an edition (or any JSON value): object keys sorted (by UTF-16 code units),
 * no whitespace, arrays in order, `undefined` properties dropped. Two editions with the same
 * content give the same string whatever their key order.
 *
 * The content hash of an edition is sha256(UTF-8 bytes of canonicalJson(edition)), in lower-case
 * hex. The server computes it with node:crypto; `editionHash` below does the same with Web Crypto
 * (browser and Node ≥ 20) so this module needs no Node import.
 */
import type { Edition } from "./types";

export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",") + "]";
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(obj[k])).join(",") + "}";
    }
    default:
      throw new TypeError(`canonicalJson: unsupported value of type ${typeof value}`);
  }
}

/** sha256 hex of canonicalJson(edition), via Web Crypto (globalThis.crypto.subtle). */
export async function editionHash(edition: Edition): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(edition));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
