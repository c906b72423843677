/**
 * The unit picker's contract, shared by the picker (app/components/UnitPicker.tsx), its search
 * route (/quan-tri/don-vi/tim) and the services that read its fields (unit-search.server).
 */
import type { UnitKind } from "./units";

/** Suffix of the no-JavaScript text field: `managingUnitId__ma` holds a unit code. */
export const UNIT_CODE_SUFFIX = "__ma";
export const UNIT_SEARCH_PATH = "/quan-tri/don-vi/tim";

export interface UnitRef {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentName: string | null;
}

export const unitLabel = (u: Pick<UnitRef, "code" | "name">) => `${u.code} — ${u.name}`;

/** The code typed in a picker's no-JavaScript field, from a form's initial values (conform's, after an error). */
export function typedUnitCode(initialValue: unknown, name: string): string | undefined {
  const v = initialValue && typeof initialValue === "object" ? (initialValue as Record<string, unknown>)[name + UNIT_CODE_SUFFIX] : undefined;
  return typeof v === "string" ? v : undefined;
}
