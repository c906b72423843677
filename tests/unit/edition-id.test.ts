/**
 * One edition id rule (finding 10): the edition validation (what an upload accepts) and the zod schema
 * the routes parse :id / ?phien-ban= / ?tu=&den= with accept and refuse exactly the same ids.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EDITION_ID_MAX, EDITION_ID_MIN, editionIdSchema, isEditionId, parseEditionJson } from "~/domain/catalogue";

const base = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../indicators/qd-4725-2022/edition.json"), "utf8")) as { id: string };

function uploadAccepts(id: string): boolean {
  const r = parseEditionJson(JSON.stringify({ ...base, id }));
  if (!r.ok) expect(r.errors.map((e) => e.kind), id).toEqual(["edition-id"]);
  return r.ok;
}

const cases: [string, boolean][] = [
  ["ab", true], // shortest
  ["a".repeat(EDITION_ID_MAX), true], // longest
  [`${"a1-".repeat(21)}z`, true], // 64 with hyphens
  ["qd-4725-2022", true],
  ["2025", true],
  ["a", false], // one under
  ["a".repeat(EDITION_ID_MAX + 1), false], // one over
  ["a".repeat(70), false],
  ["", false],
  ["-ab", false],
  ["ab-", false],
  ["a--b", false],
  ["Ab", false],
  ["a_b", false],
  ["a b", false],
  [" ab", false],
  ["ạb", false],
  ["a/b", false],
  ["a.b", false],
  ["../x", false],
];

describe("the edition id rule", () => {
  it("has the documented bounds", () => {
    expect([EDITION_ID_MIN, EDITION_ID_MAX]).toEqual([2, 64]);
  });

  it.each(cases)("%j: accepted=%s by the upload validation and the route schema alike", (id, accepted) => {
    expect(uploadAccepts(id)).toBe(accepted);
    expect(editionIdSchema.safeParse(id).success).toBe(accepted);
    expect(isEditionId(id)).toBe(accepted);
  });

  it("caps the id echoed in the refusal", () => {
    const r = parseEditionJson(JSON.stringify({ ...base, id: "x".repeat(5000) }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].vi.length).toBeLessThan(300);
  });
});
