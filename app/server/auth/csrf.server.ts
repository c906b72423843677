import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie, json } from "@remix-run/node";
import { cookieSecure, sessionSecret } from "./secret.server";
import { currentSessionId } from "./session.server";

/**
 * CSRF protection bound to the session. Every form echoes the token as the hidden field `_csrf`
 * (or a fetch sends it as `x-csrf-token`), and every action calls `assertCsrf` before it changes anything.
 *
 *   signed in:  token = HMAC(secret, "csrf:session:" + the session's id (sha256 of its cookie token))
 *   anonymous:  token = HMAC(secret, "csrf:pre:" + a random pre-session id), the id kept in its own
 *               signed, httpOnly cookie `cds_presession` (the login form)
 *
 * A request that carries a valid session accepts only its session's token: an attacker's anonymous
 * token, or a token of another session, is refused with the victim's session cookie. Signing in
 * creates a new session, so the token rotates; the login response also replaces the pre-session
 * cookie (`rotatePreSession`), so a token seen before sign-in is worth nothing afterwards.
 */
export const CSRF_FIELD = "_csrf";

function preSessionCookie() {
  return createCookie("cds_presession", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookieSecure(),
    secrets: [sessionSecret()],
  });
}

const mac = (scope: "session" | "pre", id: string) => createHmac("sha256", sessionSecret()).update(`csrf:${scope}:${id}`).digest("base64url");

/** Session tokens already computed (a pure function of the secret and the session id): one HMAC per session, not per save. */
const sessionTokens = new Map<string, string>();
let tokensFor: string | undefined;
function sessionToken(sid: string): string {
  const secret = sessionSecret();
  if (tokensFor !== secret) {
    sessionTokens.clear();
    tokensFor = secret;
  }
  let tok = sessionTokens.get(sid);
  if (tok === undefined) {
    tok = mac("session", sid);
    if (sessionTokens.size >= 20_000) sessionTokens.clear();
    sessionTokens.set(sid, tok);
  }
  return tok;
}

function sameToken(expected: string | null, given: unknown): boolean {
  if (typeof expected !== "string" || typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * isValidCsrf for a request whose valid session the caller has already looked up (the lean save
 * endpoint, after the server's session guard): `given` is the form's `_csrf` field, else the
 * `x-csrf-token` header, as isValidCsrf takes them.
 */
export function isValidCsrfForSession(sessionId: string, given: unknown): boolean {
  return sameToken(sessionToken(sessionId), given);
}

async function preSessionId(request: Request): Promise<string | null> {
  const v: unknown = await preSessionCookie().parse(request.headers.get("Cookie"));
  return typeof v === "string" && /^[A-Za-z0-9_-]{32,64}$/.test(v) ? v : null;
}

/** The token a form of this request must carry, or null when a pre-session must be created first. */
async function expectedToken(request: Request): Promise<string | null> {
  const sid = await currentSessionId(request);
  if (sid) return sessionToken(sid);
  const pre = await preSessionId(request);
  return pre ? mac("pre", pre) : null;
}

/** The request's CSRF token, creating a pre-session (with a Set-Cookie header to send) when needed. */
export async function getCsrfToken(request: Request): Promise<{ token: string; setCookie?: string }> {
  const expected = await expectedToken(request);
  if (expected) return { token: expected };
  const id = randomBytes(32).toString("base64url");
  return { token: mac("pre", id), setCookie: await preSessionCookie().serialize(id) };
}

/** A new pre-session cookie (at sign-in and sign-out): the old anonymous token dies with it. */
export async function rotatePreSession(): Promise<string> {
  return preSessionCookie().serialize(randomBytes(32).toString("base64url"));
}

export async function isValidCsrf(request: Request, formData: FormData): Promise<boolean> {
  const expected = await expectedToken(request);
  const given = formData.get(CSRF_FIELD) ?? request.headers.get("x-csrf-token");
  return sameToken(expected, given);
}

/** Throws a 403 response when the form's CSRF token is not this session's (or pre-session's). */
export async function assertCsrf(request: Request, formData: FormData): Promise<void> {
  if (!(await isValidCsrf(request, formData))) {
    throw json(
      { error: "Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.", code: "csrf" },
      { status: 403 },
    );
  }
}
