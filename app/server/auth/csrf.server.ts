import { randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie, json } from "@remix-run/node";
import { cookieSecure, sessionSecret } from "./secret.server";

/**
 * CSRF protection: a signed double-submit token. The token lives in an httpOnly, SameSite=Lax
 * cookie and is echoed by every form as the hidden field `_csrf`. Every action calls
 * `assertCsrf` before it changes anything.
 */
export const CSRF_FIELD = "_csrf";

function csrfCookie() {
  return createCookie("cds_csrf", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookieSecure(),
    secrets: [sessionSecret()],
  });
}

/** The request's CSRF token, creating one (with a Set-Cookie header to send) when absent. */
export async function getCsrfToken(request: Request): Promise<{ token: string; setCookie?: string }> {
  const cookie = csrfCookie();
  const existing = await cookie.parse(request.headers.get("Cookie"));
  if (typeof existing === "string" && existing.length >= 32) return { token: existing };
  const token = randomBytes(32).toString("base64url");
  return { token, setCookie: await cookie.serialize(token) };
}

export async function isValidCsrf(request: Request, formData: FormData): Promise<boolean> {
  const expected = await csrfCookie().parse(request.headers.get("Cookie"));
  const given = formData.get(CSRF_FIELD) ?? request.headers.get("x-csrf-token");
  if (typeof expected !== "string" || typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws a 403 response when the form's CSRF token does not match the cookie. */
export async function assertCsrf(request: Request, formData: FormData): Promise<void> {
  if (!(await isValidCsrf(request, formData))) {
    throw json(
      { error: "Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.", code: "csrf" },
      { status: 403 },
    );
  }
}
