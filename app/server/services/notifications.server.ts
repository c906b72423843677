/**
 * In-app notifications: one row per recipient, written by `notifyIn` inside the transaction of the
 * act it tells of (the door's `within`), so an act and its notice land or roll back together.
 * Recipients are resolved here: the school's active users, or the file's assigned reviewer (else
 * every active reviewer of the school's reviewing office).
 *
 * E-mail later: a sender picks rows with `emailed_at IS NULL`, sends, and stamps them; nothing in
 * the acts needs to change.
 */
import { and, count, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { NotificationKind } from "~/domain/review";
import { getDb, type Db } from "../db/client.server";
import { assessments, cycles, notifications, schools, userRoles, users } from "../db/schema.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Notice {
  kind: NotificationKind;
  assessmentId: number;
  schoolId: number;
  actorId: number | null;
  details?: Record<string, unknown>;
}

/** Active users of a school. */
export function schoolRecipients(tx: Db | Tx, schoolId: number): number[] {
  return tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.schoolId, schoolId), eq(users.active, true)))
    .all()
    .map((r) => r.id);
}

/** The file's assigned reviewer if any, else every active reviewer of the reviewing unit. */
export function reviewerRecipients(tx: Db | Tx, reviewingUnitId: number, assignedId: number | null): number[] {
  if (assignedId != null) {
    const u = tx.select({ id: users.id }).from(users).where(and(eq(users.id, assignedId), eq(users.active, true))).get();
    if (u) return [u.id];
  }
  return tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.unitId, reviewingUnitId), eq(users.active, true), eq(userRoles.role, "office_reviewer")))
    .all()
    .map((r) => r.id);
}

/** Writes one notice per recipient (the actor is never told of their own act). */
export function notifyIn(tx: Db | Tx, userIds: number[], n: Notice, now: number): number {
  const to = [...new Set(userIds)].filter((id) => id !== n.actorId);
  if (!to.length) return 0;
  tx.insert(notifications)
    .values(to.map((userId) => ({ userId, kind: n.kind, assessmentId: n.assessmentId, schoolId: n.schoolId, actorId: n.actorId, details: (n.details ?? null) as never, createdAt: new Date(now) })))
    .run();
  return to.length;
}

export function unreadCount(userId: number, db: Db = getDb()): number {
  return db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).get()?.n ?? 0;
}

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  assessmentId: number | null;
  schoolName: string | null;
  schoolYear: string | null;
  actor: string | null;
  details: Record<string, unknown> | null;
  createdAt: number;
  read: boolean;
}

export const NOTIFICATIONS_PAGE = 30;

/** The user's notifications, newest first; `before`: the id to page from. */
export function notificationsOf(userId: number, before: number | null = null, db: Db = getDb()): { rows: NotificationView[]; more: boolean } {
  const rows = db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      assessmentId: notifications.assessmentId,
      schoolName: schools.name,
      schoolYear: cycles.schoolYear,
      actor: users.displayName,
      details: notifications.details,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(schools, eq(notifications.schoolId, schools.id))
    .leftJoin(assessments, eq(notifications.assessmentId, assessments.id))
    .leftJoin(cycles, eq(assessments.cycleId, cycles.id))
    .leftJoin(users, eq(notifications.actorId, users.id))
    .where(and(eq(notifications.userId, userId), before != null ? lt(notifications.id, before) : undefined))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE + 1)
    .all();
  return {
    more: rows.length > NOTIFICATIONS_PAGE,
    rows: rows.slice(0, NOTIFICATIONS_PAGE).map((r) => ({
      id: r.id,
      kind: r.kind as NotificationKind,
      assessmentId: r.assessmentId,
      schoolName: r.schoolName,
      schoolYear: r.schoolYear,
      actor: r.actor,
      details: (r.details as Record<string, unknown> | null) ?? null,
      createdAt: r.createdAt.getTime(),
      read: r.readAt != null,
    })),
  };
}

/** Marks the user's notifications read: the given ids, or all of them. Only the user's own rows. */
export function markRead(userId: number, ids: number[] | "all", now = Date.now(), db: Db = getDb()): number {
  const own = and(eq(notifications.userId, userId), isNull(notifications.readAt));
  const where = ids === "all" ? own : and(own, inArray(notifications.id, ids.length ? ids : [-1]));
  return db.update(notifications).set({ readAt: new Date(now) }).where(where).run().changes;
}
