import { eq } from "drizzle-orm";
import { getDb } from "../db/client.server";
import { users } from "../db/schema.server";
import { dummyPasswordHash, verifyPassword } from "./password.server";
import { lockedFor, recordFailure, recordSuccess } from "./throttle.server";

export type LoginResult =
  | { ok: true; userId: number }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAfterMs: number };

/**
 * Checks a user name and password. The answer never says whether the user name exists:
 * a wrong name, a wrong password and a deactivated account all give "invalid", and an unknown
 * name still costs one scrypt, so timing does not tell them apart either.
 */
export async function authenticate(usernameRaw: string, password: string, ip: string, now = Date.now()): Promise<LoginResult> {
  const username = usernameRaw.trim().toLowerCase();
  const wait = lockedFor(username, ip, now);
  if (wait > 0) return { ok: false, reason: "locked", retryAfterMs: wait };
  const db = getDb();
  const user = db.select().from(users).where(eq(users.username, username)).get();
  const good = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !user.active || !good) {
    recordFailure(username, ip, now);
    const nowLocked = lockedFor(username, ip, now);
    if (nowLocked > 0) return { ok: false, reason: "locked", retryAfterMs: nowLocked };
    return { ok: false, reason: "invalid" };
  }
  recordSuccess(username);
  db.update(users).set({ lastLoginAt: new Date(now) }).where(eq(users.id, user.id)).run();
  return { ok: true, userId: user.id };
}
