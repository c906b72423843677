/** Small pieces shared by the administration forms (isomorphic). */

export interface UnitOption {
  id: number;
  code: string;
  name: string;
  depth: number;
}

/** Select options for units, indented by depth in the tree. */
export function unitOptions(units: UnitOption[]): { value: string; label: string }[] {
  return units.map((u) => ({ value: String(u.id), label: `${"\u00a0\u00a0\u00a0".repeat(Math.min(u.depth, 8))}${u.code} — ${u.name}` }));
}

/** Errors that belong to the whole form, announced as an alert. */
export function FormErrors({ id, errors, fallback }: { id?: string; errors?: string[]; fallback?: string }) {
  if (!errors?.length) return null;
  return (
    <div className="alert alert--error" role="alert" id={id}>
      {errors.join(" ") || fallback}
    </div>
  );
}

/** Conform gives a string or a list for multi-valued fields; always get a list. */
export function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" && v ? [v] : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
