import { eq } from "drizzle-orm";
import { getDb } from "../db/client.server";
import { loginThrottle } from "../db/schema.server";

/**
 * Login throttling. Failures are counted per user name and per client address inside a window;
 * past the limit the key is locked for a while. Locks apply to names that do not exist too,
 * so the lock itself reveals nothing about which accounts exist.
 */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
  maxPerUser: 5,
  maxPerIp: 30,
};

const userKey = (username: string) => `u:${username.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

/** Milliseconds until the login may be tried again, or 0 when it may be tried now. */
export function lockedFor(username: string, ip: string, now = Date.now()): number {
  const db = getDb();
  let wait = 0;
  for (const key of [userKey(username), ipKey(ip)]) {
    const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
    if (row?.lockedUntil && row.lockedUntil.getTime() > now) wait = Math.max(wait, row.lockedUntil.getTime() - now);
  }
  return wait;
}

export function recordFailure(username: string, ip: string, now = Date.now()): void {
  const db = getDb();
  db.transaction((tx) => {
    for (const [key, max] of [
      [userKey(username), THROTTLE.maxPerUser],
      [ipKey(ip), THROTTLE.maxPerIp],
    ] as const) {
      const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
      const fresh = !row || now - row.windowStart.getTime() > THROTTLE.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const lockedUntil = failures >= max ? new Date(now + THROTTLE.lockMs) : fresh ? null : row.lockedUntil;
      tx.insert(loginThrottle)
        .values({ key, failures, windowStart: fresh ? new Date(now) : row.windowStart, lockedUntil })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: { failures, windowStart: fresh ? new Date(now) : row.windowStart, lockedUntil },
        })
        .run();
    }
  });
}

export function recordSuccess(username: string): void {
  getDb().delete(loginThrottle).where(eq(loginThrottle.key, userKey(username))).run();
}
