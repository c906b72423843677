/**
 * Every audit action the services write has a Vietnamese label (app/i18n/audit.ts): the log never
 * shows a raw key like `evidence.link.create`. The actions are read from the services' sources
 * (the string literals given as `action:`, and the door's step names, written as `assessment.<name>`),
 * so a new action without a label fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditUi as audit } from "~/i18n/audit";

const dir = path.resolve(__dirname, "../../app/server/services");
const sources = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(path.join(dir, f), "utf8"));
const ENTITIES = ["assessment", "evidence", "cycle", "school", "unit", "user", "edition"];

function writtenActions(): string[] {
  const found = new Set<string>();
  for (const src of sources) {
    // `action: "school.create"`, `action: cond ? "user.deactivate" : "user.update"`: the literals up to the next comma.
    // (Not a parameter's default: `action: Action = "school.read"` is a permission, not an audit action.)
    for (const m of src.matchAll(/\baction: (?![A-Z]\w* =)([^,\n]*)/g)) for (const l of m[1]!.matchAll(/["'`]([a-z]+(?:\.[a-z_]+)+)["'`]/g)) found.add(l[1]!);
    // The evidence door: throughDoor(tx, assessmentId, actorId, now, "evidence.link.create", …).
    for (const m of src.matchAll(/throughDoor\(\s*[^,]+,[^,]+,[^,]+,[^,]+,\s*"([a-z.]+)"/g)) found.add(m[1]!);
    // Steps through the door: name: "submit" → assessment.submit (unless the step names its own action).
    for (const m of src.matchAll(/\bname: "([a-zA-Z]+)",(?![^}]*\baction\b)/g)) found.add(`assessment.${m[1]}`);
  }
  return [...found].filter((a) => ENTITIES.includes(a.split(".")[0]!)).sort();
}

describe("audit labels", () => {
  it("finds the actions the services write", () => {
    const all = writtenActions();
    expect(all).toEqual(expect.arrayContaining(["assessment.submit", "evidence.link.create", "cycle.open", "cycle.assessments.add", "user.deactivate"]));
  });

  it("labels every one of them in Vietnamese", () => {
    const labels = audit.vi.actions as Record<string, string>;
    const missing = writtenActions().filter((a) => !labels[a]);
    expect(missing).toEqual([]);
    for (const label of Object.values(labels)) expect(label).not.toMatch(/^[a-z._]+$/);
  });
});
