/**
 * Assessment cycles: an office opens a school year for the schools in its scope, pinning one
 * published catalogue edition. Opening creates one draft assessment per school, in one transaction.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { getDb, type Db } from "../db/client.server";
import { assessments, catalogueEditions, cycles, schools } from "../db/schema.server";
import { unitSubtree } from "../db/tree.server";
import { writeAudit } from "./audit.server";
import { fail, type Fail, type Ok } from "~/domain/result";

export interface OpenCycleInput {
  ownerUnitId: number;
  schoolYear: string;
  editionId: string;
  /** Local dates YYYY-MM-DD. */
  selfAssessmentDeadline: string;
  reviewDeadline: string;
}

type CycleField = "schoolYear" | "editionId" | "reviewDeadline";
export type OpenCycleResult = Ok<{ cycleId: number; created: number; skipped: number }> | Fail<"invalid" | "exists", { field: CycleField }>;

/** Default deadlines for a school year "2025-2026": 31/5/2026 and 20/6/2026. */
export function defaultDeadlines(schoolYear: string): { self: string; review: string } {
  const end = Number(schoolYear.split("-")[1]);
  return { self: `${end}-05-31`, review: `${end}-06-20` };
}

export function openCycle(input: OpenCycleInput, actorId: number, db: Db = getDb()): OpenCycleResult {
  const m = /^(\d{4})-(\d{4})$/.exec(input.schoolYear);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return fail("invalid", "Năm học phải có dạng 2025-2026.", { field: "schoolYear" as CycleField });
  const edition = db.select({ status: catalogueEditions.status }).from(catalogueEditions).where(eq(catalogueEditions.id, input.editionId)).get();
  if (edition?.status !== "published") return fail("invalid", "Hãy chọn một phiên bản bộ chỉ số đã công bố.", { field: "editionId" as CycleField });
  if (input.reviewDeadline < input.selfAssessmentDeadline)
    return fail("invalid", "Hạn đánh giá ngoài phải sau hạn tự đánh giá.", { field: "reviewDeadline" as CycleField });
  const existing = db
    .select({ id: cycles.id })
    .from(cycles)
    .where(and(eq(cycles.ownerUnitId, input.ownerUnitId), eq(cycles.schoolYear, input.schoolYear)))
    .get();
  if (existing) return fail("exists", `Đơn vị đã mở đợt đánh giá năm học ${input.schoolYear}.`, { field: "schoolYear" as CycleField });

  const subtree = unitSubtree(input.ownerUnitId, db);
  return db.transaction((tx) => {
    const cycle = tx.insert(cycles).values({ ...input, createdBy: actorId }).returning({ id: cycles.id }).get();
    const inScope = tx
      .select({ id: schools.id })
      .from(schools)
      .where(and(eq(schools.active, true), or(inArray(schools.managingUnitId, subtree), inArray(schools.reviewingUnitId, subtree))))
      .orderBy(schools.id)
      .all();
    // A school is assessed once per school year, even when two offices open cycles.
    const already = new Set(
      tx
        .select({ schoolId: assessments.schoolId })
        .from(assessments)
        .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
        .where(eq(cycles.schoolYear, input.schoolYear))
        .all()
        .map((r) => r.schoolId),
    );
    let created = 0;
    for (const s of inScope) {
      if (already.has(s.id)) continue;
      tx.insert(assessments).values({ cycleId: cycle.id, schoolId: s.id }).run();
      created++;
    }
    writeAudit(tx, {
      actorId,
      action: "cycle.open",
      entityType: "cycle",
      entityId: cycle.id,
      unitId: input.ownerUnitId,
      details: { ...input, created, skipped: inScope.length - created },
    });
    return { ok: true as const, cycleId: cycle.id, created, skipped: inScope.length - created };
  });
}

export function getCycle(id: number, db: Db = getDb()) {
  return db.select().from(cycles).where(eq(cycles.id, id)).get();
}
