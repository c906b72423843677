import { auditLog } from "../db/schema.server";
import { sql } from "drizzle-orm";
import { prepared, type Db } from "../db/client.server";

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
 * As one prepared statement per connection (the door and the evidence services write one per
 * change); an entry without details is written by a one-off insert (NULL, not the JSON text null).
 */
export function writeAudit(tx: Tx, e: AuditEntry, now = Date.now()): void {
  if (e.details == null) {
    tx.insert(auditLog).values(auditRow(e, now)).run();
    return;
  }
  prepared(tx, "audit.insert", () =>
    tx
      .insert(auditLog)
      .values({
        at: sql.placeholder("at"),
        actorId: sql.placeholder("actorId"),
        action: sql.placeholder("action"),
        entityType: sql.placeholder("entityType"),
        entityId: sql.placeholder("entityId"),
        schoolId: sql.placeholder("schoolId"),
        unitId: sql.placeholder("unitId"),
        assessmentId: sql.placeholder("assessmentId"),
        details: sql.placeholder("details"),
      })
      .prepare(),
  ).run(auditRow(e, now));
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
