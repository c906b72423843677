import { inArray, lt } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { getDb } from "../db/client.server";
import { loginThrottle } from "../db/schema.server";

/**
 * Login throttling by exponential delay, never by a hard lock that an attacker could aim at the
 * owner. Each attempt is counted on a few keys (rows of login_throttle):
 *
 *   "ad:<name>|<address>"  the account from one address (unknown device)       — strict
 *   "a:<name>"             the account from everywhere (unknown device)        — strict, skipped
 *                          for an address the account has signed in from before
 *   "ip:<address>"         one address, whatever the account (a school's NAT)  — lenient, ≤ 1 min
 *   "d:<device id>"        a known device of the account (signed cookie)       — strict, and the
 *                          only key that applies to a known device
 *   "ok:<name>|<address>"  not a counter: the account signed in from this address (known address)
 *
 * After n failures on a key (n ≥ free), the next attempt on it is allowed at
 * lastFailure + min(base · 2^(n − free), cap). Failures are forgotten after `forgetMs` without one.
 *
 * The check and the count are one SQLite transaction (BEGIN IMMEDIATE) taken BEFORE the password is
 * verified: the attempt is reserved as a failure up front, so concurrent guesses can never evaluate
 * more than the keys allow; a success then gives the reservation back (see `settleSuccess`).
 * Unknown user names are throttled exactly like real ones, so throttling reveals nothing.
 *
 * Rows: `failures` = n, `window_start` = time of the last failure, `locked_until` = next allowed time.
 */
export interface ThrottleRule {
  free: number;
  baseMs: number;
  capMs: number;
  forgetMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const THROTTLE = {
  /** The account from one address: 5 free, then 2 s, 4 s, 8 s … up to 15 min. */
  accountAddress: { free: 5, baseMs: 2 * SECOND, capMs: 15 * MINUTE, forgetMs: 24 * HOUR },
  /** The account from all unknown addresses together (a distributed guesser): 10 free, then 2 s … 15 min. */
  account: { free: 10, baseMs: 2 * SECOND, capMs: 15 * MINUTE, forgetMs: 24 * HOUR },
  /** One address over all accounts: 30 free, then 1 s … never more than 1 min (a whole school behind NAT). */
  address: { free: 30, baseMs: 1 * SECOND, capMs: 1 * MINUTE, forgetMs: 1 * HOUR },
  /** A known device of the account: as strict as one address. */
  device: { free: 5, baseMs: 2 * SECOND, capMs: 15 * MINUTE, forgetMs: 24 * HOUR },
  /** How long a successful sign-in makes an address "known" for the account. */
  knownAddressMs: 90 * 24 * HOUR,
} as const satisfies Record<string, ThrottleRule | number>;

export const normaliseName = (username: string) => username.trim().toLowerCase();

/** The delay after `failures` failures under `rule` (0 while still free). */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.baseMs * 2 ** Math.min(failures - rule.free, 30), rule.capMs);
}

export interface Attempt {
  username: string;
  ip: string;
  /** The id of a valid known-device cookie for this account, if the browser sent one. */
  deviceId?: string | null;
}

export type Reservation =
  | { ok: true; keys: { key: string; rule: ThrottleRule }[]; knownAddress: boolean }
  | { ok: false; retryAfterMs: number };

const okKey = (name: string, ip: string) => `ok:${name}|${ip}`;

function keysFor(a: Attempt, knownAddress: boolean): { key: string; rule: ThrottleRule }[] {
  const name = normaliseName(a.username);
  if (a.deviceId) return [{ key: `d:${a.deviceId}`, rule: THROTTLE.device }];
  const keys: { key: string; rule: ThrottleRule }[] = [
    { key: `ad:${name}|${a.ip}`, rule: THROTTLE.accountAddress },
    { key: `ip:${a.ip}`, rule: THROTTLE.address },
  ];
  if (!knownAddress) keys.push({ key: `a:${name}`, rule: THROTTLE.account });
  return keys;
}

/**
 * Checks every key of the attempt and, when all allow it, counts it as a failure on each, in one
 * immediate transaction. Returns the keys to settle on success, or the wait.
 */
export function reserveAttempt(a: Attempt, now = Date.now(), db: Db = getDb()): Reservation {
  const name = normaliseName(a.username);
  return db.transaction(
    (tx) => {
      const ok = tx.select().from(loginThrottle).where(inArray(loginThrottle.key, [okKey(name, a.ip)])).get();
      const knownAddress = !!ok && now - ok.windowStart.getTime() < THROTTLE.knownAddressMs;
      const keys = keysFor(a, knownAddress);
      const rows = new Map(
        tx
          .select()
          .from(loginThrottle)
          .where(inArray(loginThrottle.key, keys.map((k) => k.key)))
          .all()
          .map((r) => [r.key, r]),
      );
      let wait = 0;
      const next: { key: string; failures: number; last: Date; until: Date | null }[] = [];
      for (const { key, rule } of keys) {
        const row = rows.get(key);
        const forgotten = !row || now - row.windowStart.getTime() > rule.forgetMs;
        const failures = forgotten ? 0 : row.failures;
        const until = forgotten ? 0 : (row.lockedUntil?.getTime() ?? 0);
        if (until > now) wait = Math.max(wait, until - now);
        const d = delayAfter(failures + 1, rule);
        next.push({ key, failures: failures + 1, last: new Date(now), until: d > 0 ? new Date(now + d) : null });
      }
      if (wait > 0) return { ok: false as const, retryAfterMs: wait };
      for (const n of next) {
        tx.insert(loginThrottle)
          .values({ key: n.key, failures: n.failures, windowStart: n.last, lockedUntil: n.until })
          .onConflictDoUpdate({ target: loginThrottle.key, set: { failures: n.failures, windowStart: n.last, lockedUntil: n.until } })
          .run();
      }
      return { ok: true as const, keys, knownAddress };
    },
    { behavior: "immediate" },
  );
}

/**
 * The password was right: give the reservation back. The keys of this account from this address or
 * device are cleared (the owner proved the password there); the shared keys (the address, the
 * account as a whole) only lose the reserved failure and their wait, so an owner's success never
 * resets an attacker's count. The address becomes known for the account.
 */
export function settleSuccess(a: Attempt, reservation: Extract<Reservation, { ok: true }>, now = Date.now(), db: Db = getDb()): void {
  const name = normaliseName(a.username);
  db.transaction(
    (tx) => {
      for (const { key } of reservation.keys) {
        if (key.startsWith("ad:") || key.startsWith("d:")) {
          tx.delete(loginThrottle).where(inArray(loginThrottle.key, [key])).run();
          continue;
        }
        const row = tx.select().from(loginThrottle).where(inArray(loginThrottle.key, [key])).get();
        if (!row) continue;
        if (row.failures <= 1) tx.delete(loginThrottle).where(inArray(loginThrottle.key, [key])).run();
        else tx.update(loginThrottle).set({ failures: row.failures - 1, lockedUntil: null }).where(inArray(loginThrottle.key, [key])).run();
      }
      const ok = okKey(name, a.ip);
      tx.insert(loginThrottle)
        .values({ key: ok, failures: 0, windowStart: new Date(now), lockedUntil: null })
        .onConflictDoUpdate({ target: loginThrottle.key, set: { windowStart: new Date(now) } })
        .run();
      // Housekeeping: rows nobody has touched for longer than any rule remembers.
      tx.delete(loginThrottle).where(lt(loginThrottle.windowStart, new Date(now - THROTTLE.knownAddressMs))).run();
    },
    { behavior: "immediate" },
  );
}
