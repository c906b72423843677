import { and, eq, ne } from "drizzle-orm";
import { getDb, type Db } from "../db/client.server";
import { sessions, users } from "../db/schema.server";
import { writeAudit } from "../services/audit.server";
import { hashPassword, verifyPassword } from "./password.server";
import { reserveAttempt, settleSuccess } from "./throttle.server";

export type PasswordChangeResult =
  | { ok: true }
  | { ok: false; kind: "wrong-current" }
  | { ok: false; kind: "same-as-current" }
  | { ok: false; kind: "throttled"; retryAfterMs: number };

/**
 * A user changes their own password. The current password is checked through the same throttle
 * as sign-in (a stolen session cannot guess it faster than the login form could). On success, in
 * one transaction: the new hash, must_change_password cleared, an audit entry, and every other
 * session of the user ended; `keepSessionId` (this browser's session) stays.
 */
export async function changeOwnPassword(
  input: { userId: number; currentPassword: string; newPassword: string; keepSessionId: string; ip: string },
  now = Date.now(),
  db: Db = getDb(),
): Promise<PasswordChangeResult> {
  const user = db.select().from(users).where(eq(users.id, input.userId)).get();
  if (!user) return { ok: false, kind: "wrong-current" };
  const attempt = { username: user.username, ip: input.ip };
  const reservation = reserveAttempt(attempt, now, db);
  if (!reservation.ok) return { ok: false, kind: "throttled", retryAfterMs: reservation.retryAfterMs };
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) return { ok: false, kind: "wrong-current" };
  settleSuccess(attempt, reservation, now, db);
  if (input.newPassword.normalize("NFC") === input.currentPassword.normalize("NFC")) return { ok: false, kind: "same-as-current" };
  const passwordHash = await hashPassword(input.newPassword);
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id)).run();
    const ended = tx
      .delete(sessions)
      .where(and(eq(sessions.userId, user.id), ne(sessions.id, input.keepSessionId)))
      .returning({ id: sessions.id })
      .all().length;
    writeAudit(
      tx,
      {
        actorId: user.id,
        action: "user.password_change",
        entityType: "user",
        entityId: user.id,
        unitId: user.unitId,
        schoolId: user.schoolId,
        details: { wasRequired: user.mustChangePassword, otherSessionsEnded: ended },
      },
      now,
    );
  });
  return { ok: true };
}
