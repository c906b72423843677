import { createHash, randomBytes } from "node:crypto";
import { createCookie, json, redirect } from "@remix-run/node";
import { and, eq, lt, ne, sql } from "drizzle-orm";
import { getDb, prepared } from "../db/client.server";
import { sessions, type Role } from "../db/schema.server";
import { pick } from "../../i18n";
import { auth } from "../../i18n/auth";
import { cookieSecure, sessionSecret } from "./secret.server";

const t = pick(auth).account;

/** Idle lifetime of a session. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** How often lastSeen/expiry is refreshed (avoid a write per request). */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

function sessionCookie() {
  return createCookie("cds_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookieSecure(),
    secrets: [sessionSecret()],
    maxAge: SESSION_IDLE_MS / 1000,
  });
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: number | null;
  schoolId: number | null;
}

/** The page where a user whose password an admin set must choose their own. */
export const CHANGE_PASSWORD_PATH = "/tai-khoan/mat-khau";
/** What a user who must change their password may still reach. */
const ALLOWED_WHILE_MUST_CHANGE = new Set([CHANGE_PASSWORD_PATH, "/logout"]);

export async function createSession(userId: number, now = Date.now()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const db = getDb();
  db.insert(sessions)
    .values({ id: hashToken(token), userId, createdAt: new Date(now), lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_IDLE_MS) })
    .run();
  db.delete(sessions).where(lt(sessions.expiresAt, new Date(now))).run();
  return sessionCookie().serialize(token);
}

/**
 * Verified session cookies: the raw `cds_session` value → the token it carries (or null when the
 * signature does not hold). Verifying is a pure function of the value and the secret, so a value is
 * checked with an HMAC once per process, not on every request (the guard, the route and CSRF each
 * used to). Bounded: emptied when full.
 */
const verifiedCookies = new Map<string, string | null>();
let verifiedFor: string | undefined;
const VERIFIED_MAX = 20_000;

/** The first `cds_session` value of a Cookie header, as written (like the cookie parser, the first one wins). */
function rawSessionCookie(header: string): string | undefined {
  let i = 0;
  while (i < header.length) {
    let end = header.indexOf(";", i);
    if (end < 0) end = header.length;
    const eq = header.indexOf("=", i);
    if (eq > i && eq < end && header.slice(i, eq).trim() === "cds_session") return header.slice(eq + 1, end).trim();
    i = end + 1;
  }
  return undefined;
}

async function tokenFromCookieHeader(header: string | null | undefined): Promise<string | null> {
  if (!header) return null;
  const raw = rawSessionCookie(header);
  if (raw === undefined) return null;
  const secret = sessionSecret();
  if (verifiedFor !== secret) {
    verifiedCookies.clear();
    verifiedFor = secret;
  }
  const hit = verifiedCookies.get(raw);
  if (hit !== undefined) return hit;
  const v: unknown = await sessionCookie().parse(`cds_session=${raw}`);
  const token = typeof v === "string" && v !== "" ? v : null;
  if (verifiedCookies.size >= VERIFIED_MAX) verifiedCookies.clear();
  verifiedCookies.set(raw, token);
  return token;
}

async function sessionToken(request: Request): Promise<string | null> {
  return tokenFromCookieHeader(request.headers.get("Cookie"));
}

export function loadUser(userId: number): CurrentUser | null {
  const db = getDb();
  const row = prepared(db, "user.byId.raw", () => db.$client.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`).raw(true)).get(userId) as UserColumns | undefined;
  return row ? (userOf(row)?.user ?? null) : null;
}

/** A user's columns and roles, as the session lookup and loadUser read them (one statement each). */
const USER_COLUMNS = `u.id, u.username, u.display_name, u.unit_id, u.school_id, u.active, u.must_change_password,
  (SELECT json_group_array(r.role) FROM user_roles r WHERE r.user_id = u.id)`;
type UserColumns = [number, string, string, number | null, number | null, number, number, string];

/** The signed-in user of USER_COLUMNS, or null when the account is deactivated. */
function userOf([id, username, displayName, unitId, schoolId, active, mustChangePassword, roles]: UserColumns): { user: CurrentUser; mustChangePassword: boolean } | null {
  if (!active) return null;
  return { user: { id, username, displayName, roles: JSON.parse(roles) as Role[], unitId, schoolId }, mustChangePassword: mustChangePassword === 1 };
}

/** An expired session is removed; a live one is touched now and then. False when it has expired. */
function keepAlive(id: string, expiresAt: number, lastSeenAt: number, now: number): boolean {
  const db = getDb();
  if (expiresAt <= now) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return false;
  }
  if (now - lastSeenAt > TOUCH_EVERY_MS) {
    db.update(sessions)
      .set({ lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_IDLE_MS) })
      .where(eq(sessions.id, id))
      .run();
  }
  return true;
}

/** The valid, unexpired session row of the request (touching it now and then), or null. */
function currentSession(token: string | null, now: number) {
  if (!token) return null;
  const db = getDb();
  const id = hashToken(token);
  const s = prepared(db, "session.byId", () => db.select().from(sessions).where(eq(sessions.id, sql.placeholder("id"))).prepare()).get({ id });
  if (!s || !keepAlive(id, s.expiresAt.getTime(), s.lastSeenAt.getTime(), now)) return null;
  return s;
}

/**
 * The session, its user and the user's roles in one raw prepared statement (every request with a
 * session cookie asks it; three mapped queries cost several times more).
 */
function sessionWithUser(id: string) {
  const db = getDb();
  const st = prepared(db, "session.withUser", () =>
    db.$client.prepare(`SELECT s.expires_at, s.last_seen_at, ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`).raw(true),
  );
  return st.get(id) as [number, number, ...UserColumns] | undefined;
}

/** The id (sha256 of the cookie token) of the request's valid session, or null: what CSRF tokens are bound to. */
export async function currentSessionId(request: Request, now = Date.now()): Promise<string | null> {
  return currentSession(await sessionToken(request), now)?.id ?? null;
}

/**
 * The signed-in user and whether they must change their password, without enforcing it
 * (the server's write guard and the change-password page itself).
 */
export async function sessionUser(request: Request, now = Date.now()): Promise<{ user: CurrentUser; mustChangePassword: boolean; sessionId: string } | null> {
  return sessionUserFromCookie(request.headers.get("Cookie"), now);
}

/** The signed-in user of a raw Cookie header (the HTTP guards and the lean save endpoint: no Request object). */
export async function sessionUserFromCookie(
  cookieHeader: string | null | undefined,
  now = Date.now(),
): Promise<{ user: CurrentUser; mustChangePassword: boolean; sessionId: string } | null> {
  const token = await tokenFromCookieHeader(cookieHeader);
  if (!token) return null;
  const sessionId = hashToken(token);
  const r = sessionWithUser(sessionId);
  if (!r) return null;
  const [expiresAt, lastSeenAt, ...user] = r;
  if (!keepAlive(sessionId, expiresAt, lastSeenAt, now)) return null;
  const row = userOf(user);
  return row ? { ...row, sessionId } : null;
}

/** The 403 a JSON client gets while its user must change their password (status and body). */
export function passwordChangeRequired(): { ok: false; kind: "password-change-required"; message: string; error: string } {
  return { ok: false, kind: "password-change-required", message: t.mustChange, error: t.mustChange };
}

function wantsJson(request: Request, path: string): boolean {
  if (/^\/danh-gia\/[^/]+\/luu\/?$/.test(path)) return true;
  const accept = request.headers.get("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/**
 * A user whose password was set by an admin reaches nothing but the change-password page and
 * logout: pages redirect there (coming back afterwards), JSON clients get 403
 * `{ ok: false, kind: "password-change-required" }`.
 */
function enforcePasswordChange(request: Request): void {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (ALLOWED_WHILE_MUST_CHANGE.has(path)) return;
  if (wantsJson(request, path)) {
    throw json(passwordChangeRequired(), { status: 403 });
  }
  url.searchParams.delete("_data");
  const back = path === "/login" ? "/" : path + url.search;
  throw redirect(`${CHANGE_PASSWORD_PATH}?${new URLSearchParams({ redirectTo: back }).toString()}`);
}

/**
 * The signed-in user, or null when there is no valid, unexpired session. While the user must
 * change their password, this throws (redirect, or 403 for JSON) on every path but the
 * change-password page and logout, so every route, whatever door it uses, enforces it.
 */
export async function getUser(request: Request, now = Date.now()): Promise<CurrentUser | null> {
  const found = await sessionUser(request, now);
  if (!found) return null;
  if (found.mustChangePassword) enforcePasswordChange(request);
  return found.user;
}

/** The signed-in user; otherwise a redirect to /login that comes back here afterwards. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const params = new URLSearchParams({ redirectTo: back });
  if (request.headers.get("Cookie")?.includes("cds_session=")) params.set("expired", "1");
  throw redirect(`/login?${params.toString()}`);
}

/** Ends the session (server side too) and returns the Set-Cookie header that clears it. */
export async function destroySession(request: Request): Promise<string> {
  const token = await sessionToken(request);
  if (token) getDb().delete(sessions).where(eq(sessions.id, hashToken(token))).run();
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** Ends every session of a user (password change, deactivation). */
export function destroyUserSessions(userId: number, exceptId?: string): void {
  const db = getDb();
  if (exceptId) db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, exceptId))).run();
  else db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
