/**
 * Login throttling (finding 4): exponential delays per account+address, account, address and known
 * device; the check and the count are atomic and happen before scrypt; the owner is never locked out.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq, like } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { loginThrottle } from "~/server/db/schema.server";
import { authenticate } from "~/server/auth/login.server";
import { knownDeviceId } from "~/server/auth/device.server";
import { delayAfter, THROTTLE } from "~/server/auth/throttle.server";
import { createUnit, createUser } from "~/server/services/org.server";
import * as loginRoute from "~/routes/login";

const verifications = vi.hoisted(() => ({ n: 0 }));
vi.mock("~/server/auth/password.server", async (importOriginal) => {
  const orig = await importOriginal<typeof import("~/server/auth/password.server")>();
  return {
    ...orig,
    verifyPassword: async (password: string, stored: string) => {
      verifications.n++;
      return orig.verifyPassword(password, stored);
    },
  };
});

useTestDatabase("auth-throttle");

const PASSWORD = "mat-khau-cua-chu-123";
const MIN = 60_000;

beforeAll(async () => {
  const unit = createUnit({ kind: "province", code: "P", name: "Sở", parentId: null }, null);
  for (const u of ["owner", "race", "neighbour", "grow", "nat.victim", "twin"]) {
    await createUser({ username: u, displayName: u, password: PASSWORD, roles: ["office_reviewer"], unitId: unit }, null);
  }
});

const cookiePair = (setCookie: string, name: string) =>
  setCookie
    .split(/,(?=\s*cds_)/)
    .map((c) => c.trim().split(";")[0])
    .find((c) => c.startsWith(`${name}=`))!;

describe("concurrent guesses", () => {
  it("20 simultaneous wrong guesses evaluate no more scrypt verifications than the limit allows", async () => {
    const now = Date.now();
    verifications.n = 0;
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticate("race", "sai-mat-khau", "10.20.0.1", now)));
    const invalid = results.filter((r) => !r.ok && r.reason === "invalid").length;
    const throttled = results.filter((r) => !r.ok && r.reason === "throttled").length;
    expect(verifications.n).toBe(THROTTLE.accountAddress.free);
    expect(invalid).toBe(THROTTLE.accountAddress.free);
    expect(throttled).toBe(20 - THROTTLE.accountAddress.free);
    // Every evaluated guess was counted before it was evaluated.
    const row = getDb().select().from(loginThrottle).where(eq(loginThrottle.key, "ad:race|10.20.0.1")).get()!;
    expect(row.failures).toBe(THROTTLE.accountAddress.free);
    expect(row.lockedUntil!.getTime()).toBe(now + THROTTLE.accountAddress.baseMs);
  });
});

describe("delays", () => {
  it("grow exponentially per account and address, up to the cap", async () => {
    let now = Date.now();
    const waits: number[] = [];
    const key = "ad:grow|10.30.0.1";
    for (let i = 0; i < 20; i++) {
      const r = await authenticate("grow", "sai", "10.30.0.1", now);
      expect(r).toEqual({ ok: false, reason: "invalid" });
      const until = getDb().select().from(loginThrottle).where(eq(loginThrottle.key, key)).get()!.lockedUntil;
      const wait = until ? until.getTime() - now : 0;
      waits.push(wait);
      if (wait > 0) {
        // Even the right password waits: a delay, not a verdict on the password.
        expect(await authenticate("grow", PASSWORD, "10.30.0.1", now + wait - 1)).toEqual({ ok: false, reason: "throttled", retryAfterMs: 1 });
      }
      now += wait; // the next guess comes exactly when allowed
    }
    const f = THROTTLE.accountAddress.free;
    expect(waits.slice(0, f - 1)).toEqual(Array(f - 1).fill(0));
    expect(waits.slice(f - 1, f + 4)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(Math.max(...waits)).toBe(15 * MIN);
    expect(waits.at(-1)).toBe(15 * MIN);
    expect(delayAfter(f + 100, THROTTLE.accountAddress)).toBe(15 * MIN);
    expect(delayAfter(THROTTLE.address.free + 100, THROTTLE.address)).toBe(MIN);
  });

  it("are forgotten after a day without failures", async () => {
    const now = Date.now();
    for (let i = 0; i < THROTTLE.accountAddress.free; i++) await authenticate("forgotten.name", "sai", "10.31.0.1", now);
    expect(await authenticate("forgotten.name", "sai", "10.31.0.1", now)).toMatchObject({ reason: "throttled" });
    expect(await authenticate("forgotten.name", "sai", "10.31.0.1", now + THROTTLE.accountAddress.forgetMs + 1)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the owner is never locked out", () => {
  it("signs in from their known device right after 50 attacker failures, while the attacker stays throttled", async () => {
    // The owner signs in once from their browser: it becomes a known device of the account.
    const browser = await browserAs();
    const first = await run(loginRoute.action as never, browser.post("/login", { username: "owner", password: PASSWORD }), {}, { clientIp: "10.40.0.1" });
    expect(first.status).toBe(302);
    const device = cookiePair(first.headers.get("Set-Cookie")!, "cds_device");
    expect(device).toMatch(/^cds_device=/);
    const deviceId = await knownDeviceId(new Request("http://localhost/", { headers: { Cookie: device } }), "owner");
    expect(deviceId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    // The cookie is bound to the account: it means nothing for another user name.
    expect(await knownDeviceId(new Request("http://localhost/", { headers: { Cookie: device } }), "neighbour")).toBeNull();

    // 50 failures from 50 addresses (a botnet), and from the owner's own network too.
    let now = Date.now();
    let failures = 0;
    for (let i = 0; i < 50; i++) {
      if (i > 0 && i < 49) now += 20 * MIN; // the last two come together
      const r = await authenticate("owner", `doan-${i}`, i % 2 ? `172.16.${i}.9` : "10.40.0.1", now);
      if (!r.ok && r.reason === "invalid") failures++;
    }
    expect(failures).toBe(50);
    // The attacker, from a new address, is throttled on the account as a whole …
    const attacker = await authenticate("owner", "doan-nua", "172.31.0.1", now);
    expect(attacker).toMatchObject({ ok: false, reason: "throttled" });
    // … and on its address: the right owner's network, hammered, waits too without the cookie.
    expect(await authenticate("owner", PASSWORD, "10.40.0.1", now)).toMatchObject({ ok: false, reason: "throttled" });
    // The owner's browser, with its known-device cookie, gets in at once.
    expect(await authenticate("owner", PASSWORD, "10.40.0.1", now, { deviceId })).toMatchObject({ ok: true });
    // Through the route as well (the cookie is read from the request).
    const again = await run(
      loginRoute.action as never,
      new Request("http://localhost/login", {
        method: "POST",
        headers: { Cookie: `${browser.cookie}; ${device}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: browser.csrf, username: "owner", password: PASSWORD }),
      }),
      {},
      { clientIp: "10.40.0.1" },
    );
    expect(again.status).toBe(302);
    // The owner's success does not reset the attacker's count on the account.
    const account = getDb().select().from(loginThrottle).where(eq(loginThrottle.key, "a:owner")).get()!;
    expect(account.failures).toBe(25);
    expect(await authenticate("owner", "doan-tiep", "172.31.0.2", now + 1000)).toMatchObject({ ok: false });
  });

  it("30+ failures from one address for many accounts delay another user there by at most a minute", async () => {
    const now = Date.now();
    const addr = "10.50.0.1";
    for (let i = 0; i < 40; i++) expect(await authenticate(`hoc.sinh${i}`, "sai", addr, now + i * 61_000)).toEqual({ ok: false, reason: "invalid" });
    const last = now + 39 * 61_000;
    const r = await authenticate("nat.victim", PASSWORD, addr, last);
    expect(r.ok).toBe(false);
    const wait = !r.ok && r.reason === "throttled" ? r.retryAfterMs : 0;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(MIN);
    expect(await authenticate("nat.victim", PASSWORD, addr, last + wait)).toMatchObject({ ok: true });
    const ip = getDb().select().from(loginThrottle).where(eq(loginThrottle.key, `ip:${addr}`)).get()!;
    // The success gave back its reserved attempt only: the spraying is still counted.
    expect(ip.failures).toBe(40);
    expect(ip.lockedUntil).toBeNull();
  });

  it("an address the owner signed in from is not slowed by the account-wide counter", async () => {
    let now = Date.now();
    expect(await authenticate("neighbour", PASSWORD, "10.60.0.1", now)).toMatchObject({ ok: true });
    for (let i = 0; i < 30; i++) {
      now += 16 * MIN;
      expect(await authenticate("neighbour", "sai", `192.168.${i}.1`, now)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await authenticate("neighbour", PASSWORD, "10.99.0.1", now)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await authenticate("neighbour", PASSWORD, "10.60.0.1", now)).toMatchObject({ ok: true });
  });

  it("unknown user names are throttled exactly like real ones", async () => {
    const now = Date.now();
    const real: string[] = [];
    const ghost: string[] = [];
    for (let i = 0; i <= THROTTLE.accountAddress.free; i++) {
      const a = await authenticate("twin", "sai", "10.70.0.1", now);
      const b = await authenticate("khong.co.ai", "sai", "10.70.0.2", now);
      real.push(a.ok ? "ok" : a.reason === "throttled" ? `t${a.retryAfterMs}` : a.reason);
      ghost.push(b.ok ? "ok" : b.reason === "throttled" ? `t${b.retryAfterMs}` : b.reason);
    }
    expect(ghost).toEqual(real);
    expect(getDb().select().from(loginThrottle).where(like(loginThrottle.key, "%khong.co.ai%")).all().length).toBeGreaterThan(0);
  });
});
