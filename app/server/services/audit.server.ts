import { auditLog } from "../db/schema.server";
import type { Db } from "../db/client.server";

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

/** Writes one audit entry. Call it with the transaction that makes the change it records. */
export function writeAudit(tx: Tx, e: AuditEntry, now = Date.now()): void {
  tx.insert(auditLog).values(auditRow(e, now)).run();
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
