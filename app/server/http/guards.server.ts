/**
 * The HTTP boundary: what the server checks before Remix (and any route) sees a request, and the
 * Remix request handler that enforces the body limits while the body is read.
 *
 * scripts/serve.mjs reaches this through the build (app/entry.server.tsx re-exports it); the tests
 * build an express app from the same functions. Order (httpGuards()):
 *   0. publicUrlAliases     /xac-minh/<token>.pdf|.json (and JSON by Accept), /cong-bo/<unit>/<year>.json|.csv → their routes (public-urls.server.ts);
 *   1. securityHeaders      nosniff, frame, referrer and permissions policies, HSTS when cookies are secure;
 *   2. refuseCrossSite      a write with Sec-Fetch-Site: cross-site, Origin: null, a malformed or a foreign Origin → 403;
 *   3. requireSessionForWrites  a write to anything but /login and /logout without a valid session →
 *                           401 JSON / Remix redirect / 303 to /login, before a byte of the body is read;
 *   4. limitBody            a declared Content-Length over the route's limit (body-limits.server.ts) → 413, unread;
 *   5. requireFormBody      a write that is not a form (urlencoded, multipart with a boundary) → 415.
 * Then createRemixHandler counts the body as Remix reads it and answers 413 at the first byte too many.
 *
 * Every refusal that leaves body bytes unread answers with `Connection: close` and a lingering close:
 * the response is flushed, the write side is shut (FIN), and what the client still sends is read and
 * discarded for at most LINGER_MS before the socket is destroyed. So the client gets its 413 at once,
 * never a reset that swallows it, and the server never buffers the rest.
 */
import type { Socket } from "node:net";
import { Transform } from "node:stream";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { pick } from "~/i18n";
import { http as strings } from "~/i18n/http";
import { cookieSecure } from "../auth/secret.server";
import { sessionUserFromCookie, type CurrentUser } from "../auth/session.server";
import { bodyLimitFor, isAnonymousWrite, isFormContentType, routePath, SAFE_METHODS } from "./body-limits.server";
import { publicUrlAliases } from "./public-urls.server";

const t = pick(strings);

/** How long a refused request's remaining body is read and thrown away before the socket is destroyed. */
export const LINGER_MS = 2_000;

/** Headers a response carries once: a route's value replaces the server's default instead of being appended. */
const SINGLE_VALUED = new Set([
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "permissions-policy",
  "strict-transport-security",
  "content-security-policy",
  "connection",
]);

/** Endpoints whose clients read JSON whatever their Accept header says. */
const JSON_ENDPOINTS = [/^\/danh-gia\/[^/]+\/luu$/];

/** Strict policy for the server's own small refusal pages. */
const REFUSAL_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface HttpState {
  /** The body limit decided by limitBody (bytes). */
  limit?: number;
  /** A refusal was sent by the server itself: whatever Remix answers later is dropped. */
  refused?: boolean;
  /** Stops reading the body (the counting stream). */
  stopBody?: () => void;
  /** Stops reading the body and aborts the Remix request. */
  abort?: () => void;
  /** The session requireSessionForWrites looked up (null: none); unset when it did not look. */
  session?: GuardSession | null;
}

export type GuardSession = { user: CurrentUser; mustChangePassword: boolean; sessionId: string };
const STATE = Symbol.for("cds.http.state");
function state(req: ExpressRequest): HttpState {
  const r = req as unknown as { [STATE]?: HttpState };
  return (r[STATE] ??= {});
}

/**
 * The session the write guard found for this request: the user, or null when there was none (the
 * guard has answered 401 then); undefined when the guard did not look (reads, /login, /logout).
 * Lets a handler after the guards (the lean save endpoint) reuse it instead of reading it again.
 */
export function guardSession(req: ExpressRequest): GuardSession | null | undefined {
  return state(req).session;
}

function hasBody(req: ExpressRequest): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** Some of the body has not arrived yet (or has not been read): the connection cannot simply be reused. */
function bodyUnread(req: ExpressRequest): boolean {
  return hasBody(req) && !req.complete;
}

const LINGERING = Symbol.for("cds.http.lingering");

/**
 * Makes Node close this connection gracefully once the response is out: `Connection: close`, then
 * FIN instead of an immediate destroy, the rest of the body discarded for at most LINGER_MS.
 */
function closeAfterResponse(req: ExpressRequest, res: ExpressResponse): void {
  if (!res.headersSent) res.setHeader("Connection", "close");
  const socket = req.socket as Socket & { [LINGERING]?: boolean; destroySoon?: () => void };
  if (!socket || socket[LINGERING]) return;
  socket[LINGERING] = true;
  // Node calls destroySoon() when a `Connection: close` response has finished; it would destroy the
  // socket as soon as the FIN is out, and the kernel answers the client's next bytes with a reset.
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.destroyed) return;
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once("close", () => clearTimeout(timer));
  };
  // Nobody reads the body any more: let it flow into the void (the parser drops it).
  req.unpipe();
  req.resume();
}

type Format = "remix-data" | "json" | "html";
function formatFor(req: ExpressRequest): Format {
  const q = req.originalUrl.indexOf("?");
  if (q >= 0 && new URLSearchParams(req.originalUrl.slice(q)).has("_data")) return "remix-data";
  if (JSON_ENDPOINTS.some((re) => re.test(routePath(req.path)))) return "json";
  if ((req.get("accept") ?? "").includes("application/json")) return "json";
  return "html";
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function refusalPage(title: string, message: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — CĐS 4725</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(t.backHome)}</a></p></main></body></html>`;
}

export type RefusalKind = "too-large" | "cross-site" | "bad-request" | "unsupported-type" | "unauthenticated";

/**
 * Answers a request from the server itself (no route runs): JSON for JSON clients, a thrown-response
 * for Remix data requests (shown by the error boundary), a small Vietnamese page otherwise.
 */
export function refuse(req: ExpressRequest, res: ExpressResponse, status: number, kind: RefusalKind, title: string, message: string): void {
  const st = state(req);
  st.refused = true;
  st.abort?.();
  if (bodyUnread(req)) closeAfterResponse(req, res);
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  res.status(status);
  res.setHeader("Cache-Control", "no-store");
  const format = formatFor(req);
  if (format === "html") {
    res.setHeader("Content-Security-Policy", REFUSAL_CSP);
    res.type("text/html; charset=utf-8").send(refusalPage(title, message));
  } else {
    // A Remix data request: like a thrown json() from an action (the page's error boundary shows it).
    if (format === "remix-data") res.setHeader("X-Remix-Catch", "yes");
    res.type("application/json; charset=utf-8").send(JSON.stringify({ ok: false, kind, message, error: message }));
  }
}

/**
 * A JSON answer from a handler in front of Remix, as a Remix `json()` response would be sent:
 * when the body has not been read (an early refusal), the connection is closed gracefully after it.
 * No ETag: a write's answer is never cached.
 */
export function sendJson(req: ExpressRequest, res: ExpressResponse, status: number, body: unknown): void {
  if (state(req).refused || res.headersSent) return;
  if (bodyUnread(req)) closeAfterResponse(req, res);
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

export function refuseTooLarge(req: ExpressRequest, res: ExpressResponse, limit: number): void {
  refuse(req, res, 413, "too-large", t.tooLargeTitle, limit === 0 ? t.noBodyAllowed : t.tooLarge(limit));
}

// ───────────────────────────── middleware ─────────────────────────────

/** Evidence previews (/minh-chung/:id?xem=1) are framed by the office's checking page, on this site only. */
const FRAMEABLE_PREVIEW = /^\/minh-chung\/\d+$/;

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", FRAMEABLE_PREVIEW.test(req.path) && req.query.xem === "1" ? "SAMEORIGIN" : "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  // Only when the site is served over HTTPS (secure cookies on); no includeSubDomains, no preload.
  if (cookieSecure()) res.setHeader("Strict-Transport-Security", "max-age=31536000");
  next();
};

/** The host an Origin header names, or null when it is not a usable http(s) origin ("null", garbage). */
export function originHost(origin: string): string | null {
  if (origin === "null") return null;
  try {
    const u = new URL(origin);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    // Browsers send the serialised origin exactly: scheme://host[:port], nothing else.
    if (u.origin !== origin) return null;
    return u.host;
  } catch {
    return null;
  }
}

/** Defence in depth against cross-site writes (the per-form CSRF token stays the main guard). */
export const refuseCrossSite: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  const foreign =
    site === "cross-site" || (origin !== undefined && originHost(origin)?.toLowerCase() !== (req.get("host") ?? "").toLowerCase());
  if (foreign) return refuse(req, res, 403, "cross-site", t.crossSiteTitle, t.crossSite);
  next();
};

/** Where an anonymous write is sent: the login page, coming back to the page (not the data URL). */
function loginUrl(req: ExpressRequest): string {
  const u = new URL(req.originalUrl, "http://localhost");
  u.searchParams.delete("_data");
  const params = new URLSearchParams({ redirectTo: u.pathname + u.search });
  if ((req.headers.cookie ?? "").includes("cds_session=")) params.set("expired", "1");
  return `/login?${params.toString()}`;
}

/**
 * Every write but /login and /logout needs a valid session, checked before the body is read:
 *   a JSON client (the answer-save endpoint, Accept: application/json) gets 401 {ok:false, kind:"unauthenticated"};
 *   a Remix data request (fetcher, client-side form) gets Remix's redirect (204 + X-Remix-Redirect) to /login;
 *   a plain form post gets 303 to /login?redirectTo=… (&expired=1 when a session cookie was sent).
 */
export const requireSessionForWrites: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || isAnonymousWrite(req.path)) return next();
  // The session, not getUser: the must-change-password rule is the route's to answer (getUser throws there).
  // Kept on the request for the handlers behind (guardSession).
  sessionUserFromCookie(req.headers.cookie).then(
    (user) => {
      state(req).session = user;
      if (user) return next();
      const format = formatFor(req);
      if (format === "json") return refuse(req, res, 401, "unauthenticated", t.unauthenticatedTitle, t.unauthenticated);
      const st = state(req);
      st.refused = true;
      if (bodyUnread(req)) closeAfterResponse(req, res);
      res.setHeader("Cache-Control", "no-store");
      if (format === "remix-data") {
        res.status(204).setHeader("X-Remix-Redirect", loginUrl(req));
        res.setHeader("X-Remix-Status", "303");
        res.end();
      } else {
        res.redirect(303, loginUrl(req));
      }
    },
    (err: unknown) => next(err),
  );
};

/** A declared body over the route's limit is refused before it is read; chunked bodies are counted later. */
export const limitBody: RequestHandler = (req, res, next) => {
  const limit = bodyLimitFor(req.method, req.path);
  state(req).limit = limit;
  const declared = req.headers["content-length"];
  if (limit === 0 && hasBody(req)) return refuseTooLarge(req, res, 0);
  if (declared !== undefined && Number(declared) > limit) return refuseTooLarge(req, res, limit);
  next();
};

/** A write must be a form (urlencoded, or multipart with a boundary): anything else is 415, not a route's 500. */
export const requireFormBody: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || isFormContentType(req.get("content-type"))) return next();
  refuse(req, res, 415, "unsupported-type", t.unsupportedTypeTitle, t.unsupportedType);
};

/** The guards in their order, for `app.use(...httpGuards())`. */
export function httpGuards(): RequestHandler[] {
  return [publicUrlAliases, securityHeaders, refuseCrossSite, requireSessionForWrites, limitBody, requireFormBody];
}

// ───────────────────────────── Remix handler ─────────────────────────────

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** The request body, counted: past `limit` the stream fails and `onTooLarge` runs (once). */
function countedBody(req: ExpressRequest, limit: number, onTooLarge: () => void): Transform {
  let seen = 0;
  let tripped = false;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) {
        if (!tripped) {
          tripped = true;
          onTooLarge();
        }
        cb(new BodyTooLargeError(limit));
        return;
      }
      cb(null, chunk);
    },
  });
  req.pipe(counter);
  // pipe() does not forward a client that went away: fail the body instead of leaving it pending.
  req.once("close", () => {
    if (!req.complete && !counter.destroyed) counter.destroy(new Error("client aborted the request"));
  });
  return counter;
}

/** The Fetch Request Remix sees (as @remix-run/express builds it), with the counted body. */
function remixHeaders(raw: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(raw)) {
    if (values === undefined) continue;
    for (const v of Array.isArray(values) ? values : [values]) headers.append(key, v);
  }
  return headers;
}

function fetchRequest(req: ExpressRequest, body: Transform | null, signal: AbortSignal): Request {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const fp = Number.parseInt(forwardedPort, 10);
  const hp = Number.parseInt(hostPort, 10);
  const port = Number.isSafeInteger(fp) ? fp : Number.isSafeInteger(hp) ? hp : "";
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeaders(req.headers), signal };
  if (body) {
    init.body = createReadableStreamFromReadable(body);
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

async function sendResponse(req: ExpressRequest, res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) {
    if (SINGLE_VALUED.has(key.toLowerCase())) res.setHeader(key, value);
    else res.append(key, value);
  }
  // The route answered without reading all of the body (an early refusal): close, gracefully.
  if (bodyUnread(req)) {
    state(req).stopBody?.();
    closeAfterResponse(req, res);
  }
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export interface RemixHandlerOptions {
  build: ServerBuild;
  mode?: string;
  getLoadContext?: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext | Promise<AppLoadContext>;
}

/** Replaces @remix-run/express's createRequestHandler: same requests, but bodies bounded while read. */
export function createRemixHandler({ build, mode = process.env.NODE_ENV, getLoadContext }: RemixHandlerOptions): RequestHandler {
  const handle = createRequestHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const st = state(req);
    if (st.refused) return;
    const controller = new AbortController();
    let body: Transform | null = null;
    if (!SAFE_METHODS.has(req.method)) {
      const limit = st.limit ?? bodyLimitFor(req.method, req.path);
      body = countedBody(req, limit, () => refuseTooLarge(req, res, limit));
    }
    st.stopBody = () => {
      if (body && !body.destroyed) {
        req.unpipe(body);
        body.destroy();
      }
    };
    st.abort = () => {
      st.stopBody?.();
      if (!controller.signal.aborted) controller.abort();
    };
    let finished = false;
    res.on("finish", () => (finished = true));
    res.on("close", () => {
      if (!finished) st.abort?.();
    });

    let request: Request;
    try {
      request = fetchRequest(req, body, controller.signal);
    } catch {
      return refuse(req, res, 400, "bad-request", t.badRequestTitle, t.badRequest);
    }
    try {
      const loadContext = getLoadContext ? await getLoadContext(req, res) : undefined;
      const response = await handle(request, loadContext);
      if (st.refused || res.headersSent) {
        await response.body?.cancel().catch(() => undefined);
        return;
      }
      await sendResponse(req, res, response);
    } catch (error) {
      if (st.refused || res.headersSent) return;
      next(error);
    }
  };
}
