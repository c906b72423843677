/**
 * Building requests the way a browser would: with the session and CSRF cookies, and a form
 * carrying the CSRF token. Used by route and scope tests.
 */
import { getCsrfToken } from "~/server/auth/csrf.server";
import { createSession } from "~/server/auth/session.server";
import { getDb } from "~/server/db/client.server";
import { users } from "~/server/db/schema.server";
import { eq } from "drizzle-orm";
import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";

const BASE = "http://localhost";

function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0];
}

export interface Browser {
  cookie: string;
  csrf: string;
  get(path: string): Request;
  post(path: string, fields: Record<string, string | string[]>, opts?: { csrf?: string | null }): Request;
}

/**
 * A browser with, when a user name is given, a signed-in session, and the CSRF token that
 * session's pages carry (bound to the session); without one, an anonymous pre-session cookie
 * and its token (the login form's).
 */
export async function browserAs(username?: string): Promise<Browser> {
  const cookies: string[] = [];
  if (username) {
    const u = getDb().select({ id: users.id }).from(users).where(eq(users.username, username)).get();
    if (!u) throw new Error(`no user ${username}`);
    cookies.push(cookiePair(await createSession(u.id)));
  }
  const { token, setCookie } = await getCsrfToken(new Request(BASE, { headers: { Cookie: cookies.join("; ") } }));
  if (setCookie) cookies.push(cookiePair(setCookie));
  const cookie = cookies.join("; ");
  return {
    cookie,
    csrf: token,
    get: (path) => new Request(BASE + path, { headers: { Cookie: cookie } }),
    post: (path, fields, opts) => {
      const body = new URLSearchParams();
      const csrf = opts && "csrf" in opts ? opts.csrf : token;
      if (csrf != null) body.append("_csrf", csrf);
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      return new Request(BASE + path, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    },
  };
}

/** Runs a loader or action and returns its Response, whether it was returned or thrown. */
export async function run(
  fn: (args: ActionFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
  context: Record<string, unknown> = { clientIp: "127.0.0.1" },
): Promise<Response> {
  try {
    const r = await fn({ request, params, context: context as AppLoadContext });
    if (r instanceof Response) return r;
    return new Response(JSON.stringify(r), { status: 200, headers: { "Content-Type": "application/json" } });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}
