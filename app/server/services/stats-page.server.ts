/**
 * The request of every results page for offices (/thong-ke, its exports and report, /xep-hang):
 * the query string parsed with zod, the scope asked of the policy, defaults filled in.
 *
 * Query: `nam` school year ("2025-2026"), `donVi` unit id (the scope; default the user's unit,
 * the nation for the system admin), `coSo` basis (cong-nhan | danh-gia-ngoai | tu-danh-gia),
 * `loai` school type. Bad values are refused with a 400 and a Vietnamese message; a unit outside
 * the user's scope is a 403 (the same answer for a unit that does not exist, so ids are not probed).
 */
import { json } from "@remix-run/node";
import { z } from "zod";
import { requireUser, type CurrentUser } from "../auth/session.server";
import { authorize, can, forbidden, isSystemAdmin, SYSTEM, unit } from "../policy.server";
import { SCHOOL_TYPES, type SchoolType } from "~/domain/roles";
import { BASIS_OF_SLUG, SLUG_OF_BASIS, type DashboardFilter } from "~/domain/stats";
import { currentSchoolYear, isSchoolYear } from "~/domain/school-year";
import { defaultBasis, scopeUnit, yearsInScope, type ScopeUnit } from "./rollups.server";

export { SLUG_OF_BASIS } from "~/domain/stats";

const querySchema = z.object({
  nam: z.string().refine(isSchoolYear, "Năm học phải có dạng 2025-2026.").optional(),
  donVi: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, "Đơn vị không hợp lệ.")
    .transform(Number)
    .pipe(z.number().max(2_147_483_647, "Đơn vị không hợp lệ."))
    .optional(),
  coSo: z.enum(["cong-nhan", "danh-gia-ngoai", "tu-danh-gia"], { errorMap: () => ({ message: "Cơ sở số liệu không hợp lệ." }) }).optional(),
  loai: z.enum(SCHOOL_TYPES, { errorMap: () => ({ message: "Loại trường không hợp lệ." }) }).optional(),
  page: z.string().regex(/^[1-9][0-9]{0,5}$/, "Trang không hợp lệ.").transform(Number).optional(),
});

export interface StatsRequest {
  user: CurrentUser;
  scope: ScopeUnit;
  /** The school years with files in the scope, newest first (empty: nothing yet). */
  years: string[];
  filter: DashboardFilter;
  page: number;
  /** The query string of this filter (without page), for links to exports and drill-downs. */
  query: string;
}

function bad(message: string): never {
  throw json({ error: message }, { status: 400 });
}

/** Parses and authorizes; throws 400/403 responses. */
export async function statsRequest(request: Request): Promise<StatsRequest> {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([, v]) => v !== ""));
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) bad(parsed.error.issues[0]?.message ?? "Tham số không hợp lệ.");
  const q = parsed.data;
  let unitId: number | null = q.donVi ?? (isSystemAdmin(user) ? null : user.unitId);
  if (unitId == null) {
    if (!isSystemAdmin(user)) forbidden();
    authorize(user, "results.stats", SYSTEM);
  } else if (!can(user, "results.stats", unit(unitId))) forbidden();
  const scope = scopeUnit(unitId);
  if (!scope) forbidden();
  const years = yearsInScope(scope);
  const schoolYear = q.nam ?? years[0] ?? currentSchoolYear();
  const basis = q.coSo ? BASIS_OF_SLUG[q.coSo] : defaultBasis(scope, schoolYear);
  const filter: DashboardFilter = { schoolYear, unitId, basis, ...(q.loai ? { type: q.loai as SchoolType } : {}) };
  return { user, scope, years, filter, page: q.page ?? 1, query: statsQuery(filter) };
}

/** The query string of a filter (the same names the request is parsed with). */
export function statsQuery(f: DashboardFilter, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  p.set("nam", f.schoolYear);
  if (f.unitId != null) p.set("donVi", String(f.unitId));
  p.set("coSo", SLUG_OF_BASIS[f.basis]);
  if (f.type) p.set("loai", f.type);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p.toString();
}
