import { eq } from "drizzle-orm";
import { getDb } from "../db/client.server";
import { users } from "../db/schema.server";
import { dummyPasswordHash, verifyPassword } from "./password.server";
import { normaliseName, reserveAttempt, settleSuccess } from "./throttle.server";

export type LoginResult =
  | { ok: true; userId: number; mustChangePassword: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

export interface LoginOptions {
  /** The id of a valid known-device cookie for this user name (see device.server.ts). */
  deviceId?: string | null;
}

/**
 * Checks a user name and password. The answer never says whether the user name exists:
 * a wrong name, a wrong password and a deactivated account all give "invalid", and an unknown
 * name still costs one scrypt, so timing does not tell them apart either.
 *
 * The attempt is reserved with the throttle (checked and counted as a failure in one transaction)
 * before the password is verified, so concurrent guesses never get more verifications than allowed.
 */
export async function authenticate(usernameRaw: string, password: string, ip: string, now = Date.now(), opts: LoginOptions = {}): Promise<LoginResult> {
  const username = normaliseName(usernameRaw);
  const attempt = { username, ip, deviceId: opts.deviceId ?? null };
  const reservation = reserveAttempt(attempt, now);
  if (!reservation.ok) return { ok: false, reason: "throttled", retryAfterMs: reservation.retryAfterMs };
  const db = getDb();
  const user = db.select().from(users).where(eq(users.username, username)).get();
  const good = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !user.active || !good) return { ok: false, reason: "invalid" };
  settleSuccess(attempt, reservation, now);
  db.update(users).set({ lastLoginAt: new Date(now) }).where(eq(users.id, user.id)).run();
  return { ok: true, userId: user.id, mustChangePassword: user.mustChangePassword };
}
