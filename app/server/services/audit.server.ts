import { prepared, sqliteOf, type Db } from "../db/client.server";

type Tx = Pick<Db, "insert">;

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  schoolId?: number | null;
  unitId?: number | null;
  assessmentId?: number | null;
  details?: unknown;
}

/**
 * Writes one audit entry. Call it with the transaction that makes the change it records.
 * One raw prepared statement per connection (every change writes one): the row auditRow describes,
 * `at` in ms and `details` as JSON text as drizzle writes them, NULL when there are none.
 */
export function writeAudit(tx: Tx, e: AuditEntry, now = Date.now()): void {
  const r = auditRow(e, now);
  prepared(tx, "audit.insert", () =>
    sqliteOf(tx).prepare(
      "INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, school_id, unit_id, assessment_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
  ).run(now, r.actorId, r.action, r.entityType, r.entityId, r.schoolId, r.unitId, r.assessmentId, r.details == null ? null : JSON.stringify(r.details));
}

/** The audit_log row of an entry (also bound to the door's prepared insert, assessments.server). */
export function auditRow(e: AuditEntry, now: number) {
  return {
    at: new Date(now),
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId == null ? null : String(e.entityId),
    schoolId: e.schoolId ?? null,
    unitId: e.unitId ?? null,
    assessmentId: e.assessmentId ?? null,
    details: (e.details ?? null) as never,
  };
}
