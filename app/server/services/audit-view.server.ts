/** Reading the audit log for people: who did what, when, in words. */
import { desc, eq } from "drizzle-orm";
import { pick } from "~/i18n";
import { auditUi } from "~/i18n/audit";
import { formatLocalDate } from "~/utils/time";
import { getDb, type Db } from "../db/client.server";
import { auditLog, users } from "../db/schema.server";

const t = pick(auditUi);

export interface AuditView {
  id: number;
  at: number;
  actor: string | null;
  action: string;
  summary: string;
}

function summarise(action: string, d: Record<string, unknown> | null): string {
  if (!d) return "";
  const parts: string[] = [];
  if (Array.isArray(d.items) && d.items.length) parts.push(t.items(d.items.join(", ")));
  if (action === "assessment.deadline.extend") return t.deadline(formatLocalDate(String(d.from)), formatLocalDate(String(d.to)), String(d.reason ?? ""));
  if (typeof d.reason === "string" && d.reason) parts.push(t.reason(d.reason));
  if (typeof d.level === "number") parts.push(t.level(d.level));
  if (typeof d.code === "string") parts.push(d.code);
  if (typeof d.title === "string") parts.push(d.title);
  return parts.join(" · ");
}

export function auditForAssessment(assessmentId: number, limit = 500, db: Db = getDb()): AuditView[] {
  return db
    .select({ id: auditLog.id, at: auditLog.at, actor: users.displayName, action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .leftJoin(users, eq(auditLog.actorId, users.id))
    .where(eq(auditLog.assessmentId, assessmentId))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit)
    .all()
    .map((r) => ({ id: r.id, at: r.at.getTime(), actor: r.actor, action: r.action, summary: summarise(r.action, r.details as Record<string, unknown> | null) }));
}
