/**
 * The answer save (POST /danh-gia/:id/luu), the one request the form sends every few seconds while
 * a school works, served as a lean JSON handler in front of Remix (scripts/serve.mjs mounts it right
 * after httpGuards()). Same answers, in the same order, as the Remix route
 * (app/routes/danh-gia.$id.luu.tsx), which stays for every request this handler leaves alone
 * (other methods, a query string) and for the route tests:
 *   the server's guards first (cross-site 403, no session 401 JSON, declared length 413, not a form 415);
 *   id 400 → must change password 403 → unknown assessment 404 → policy 403, before the body is read;
 *   the body counted against the route's limit (413 at the first byte over, chunked bodies too),
 *   a body that is not a form 400, CSRF bound to the session 403, a payload that does not parse 400;
 *   then the save: 200 `{ ok, version, saved, others }`, 409 conflict, 422 invalid, 423 locked, 404.
 * The session the guard looked up is reused (one lookup, one cookie check per request), and no
 * Fetch Request, Headers or FormData is built for a urlencoded body. The write itself joins the
 * process's group commit (save-batch.server.ts): saves that arrive together share one transaction,
 * each its own SAVEPOINT, and every one is answered after the COMMIT.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { z } from "zod";
import { isValidCsrfForSession, CSRF_FIELD } from "../auth/csrf.server";
import { assessmentForJson } from "../services/assessment-page.server";
import { saveAnswersFor } from "../services/assessments.server";
import type { CurrentUser } from "../auth/session.server";
import type { AssessmentRecord } from "../services/assessments.server";
import { bodyLimitFor, routePath } from "./body-limits.server";
import { guardSession, refuseTooLarge, sendJson } from "./guards.server";
import { inSaveBatch } from "./save-batch.server";

const answerValue = z.union([
  z.boolean(),
  z.string().max(200),
  z.object({ numerator: z.number(), denominator: z.number() }).strict(),
  z.record(z.string().max(60), z.string().max(500)),
  z.null(),
]);

/** The save's payload (the form field `payload`, JSON). */
export const savePayload = z.object({
  baseVersion: z.number().int().nonnegative(),
  changes: z
    .record(
      z.string().regex(/^\d+(\.\d+)*(\.[a-z][a-z0-9-]*)?$/).max(30),
      z
        .object({ value: answerValue.optional(), note: z.string().max(4000).nullable().optional(), seen: z.number().int().nonnegative().optional() })
        .strict(),
    )
    .refine((c) => Object.keys(c).length <= 200, "Quá nhiều thay đổi trong một lần lưu."),
});

/** What readForm answers for a body that does not parse as a form. */
export const UNREADABLE_FORM = { error: "Dữ liệu gửi lên không đọc được." };

type Answer = { status: number; body: unknown };
type SaveInput = Parameters<typeof saveAnswersFor>[1];

/** CSRF and the payload of a save: the answer when they refuse it, else the service's input. */
function checkSave(csrfValid: boolean, payloadField: unknown, phase: "self" | "external"): { refused: Answer } | { input: SaveInput } {
  if (!csrfValid) return { refused: { status: 403, body: { ok: false, kind: "csrf" } } };
  let body: unknown;
  try {
    body = JSON.parse(String(payloadField ?? ""));
  } catch {
    return { refused: { status: 400, body: { ok: false, kind: "bad-request" } } };
  }
  const parsed = savePayload.safeParse(body);
  if (!parsed.success) return { refused: { status: 400, body: { ok: false, kind: "bad-request", issues: parsed.error.issues.map((i) => i.message) } } };
  return { input: { ...parsed.data, phase } };
}

/** The answer to what the service did. The success body is only what the form reads (app/domain/answers.ts SavedAnswers). */
function saveAnswer(result: ReturnType<typeof saveAnswersFor>): Answer {
  if (result.ok) return { status: 200, body: { ok: true, version: result.version, saved: result.saved, others: result.others } };
  const status = result.kind === "conflict" ? 409 : result.kind === "invalid" ? 422 : result.kind === "locked" ? 423 : 404;
  return { status, body: result };
}

/**
 * The save once the door let the request through (id, user, assessment, policy) and the body was
 * read: CSRF, the payload, the service. The Remix routes' save; the lean handler does the same
 * with the service's write in a group commit (save-batch.server.ts).
 */
export function answerSave(user: CurrentUser, a: AssessmentRecord, csrfValid: boolean, payloadField: unknown, phase: "self" | "external" = "self"): Answer {
  const c = checkSave(csrfValid, payloadField, phase);
  return "refused" in c ? c.refused : saveAnswer(saveAnswersFor(a, c.input, user.id));
}

/** answerSave, its write in this process's next group commit. */
async function answerSaveBatched(user: CurrentUser, a: AssessmentRecord, csrfValid: boolean, payloadField: unknown): Promise<Answer> {
  const c = checkSave(csrfValid, payloadField, "self");
  if ("refused" in c) return c.refused;
  const now = Date.now();
  return saveAnswer(await inSaveBatch(() => saveAnswersFor(a, c.input, user.id, now)));
}

const SAVE_PATH = /^\/danh-gia\/([^/]+)\/luu$/;

interface Fields {
  get(name: string): unknown;
}

/** The form fields of a body, as request.formData() would read them; throws when they do not parse. */
async function parseForm(contentType: string, body: Buffer): Promise<Fields> {
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return new URLSearchParams(body.toString("utf8"));
  // Multipart (the form's FormData): the platform's own parser, exactly what the Remix route uses.
  return await new Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as unknown as BodyInit, { headers: { "content-type": contentType } }).formData();
}

/** Reads the body, counted against `limit`; null when the request was refused (413) or went away. */
function readBody(req: ExpressRequest, res: ExpressResponse, limit: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    let done = false;
    const finish = (v: Buffer | null) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      req.off("error", onClose);
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        finish(null);
        refuseTooLarge(req, res, limit);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    const onClose = () => {
      if (!req.complete) finish(null);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
    req.on("error", onClose);
  });
}

async function handleSave(req: ExpressRequest, res: ExpressResponse, id: string): Promise<void> {
  const found = guardSession(req);
  const door = assessmentForJson({ id }, found ?? null, "assessment.edit");
  if (!door.ok) return sendJson(req, res, door.status, door.body);
  const body = await readBody(req, res, bodyLimitFor(req.method, req.path));
  if (body === null) {
    if (!res.headersSent && !res.writableEnded) res.destroy();
    return;
  }
  let form: Fields;
  try {
    form = await parseForm(req.headers["content-type"] ?? "", body);
  } catch {
    return sendJson(req, res, 400, UNREADABLE_FORM);
  }
  const given = form.get(CSRF_FIELD) ?? req.headers["x-csrf-token"] ?? null;
  const r = await answerSaveBatched(door.user, door.a, isValidCsrfForSession(found!.sessionId, given), form.get("payload"));
  sendJson(req, res, r.status, r.body);
}

/** The lean handler: POST /danh-gia/:id/luu without a query string; everything else goes on to Remix. */
export function saveEndpoint(): RequestHandler {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (req.method !== "POST" || req.originalUrl.includes("?")) return next();
    const m = SAVE_PATH.exec(routePath(req.path));
    if (!m || guardSession(req) === undefined) return next();
    handleSave(req, res, m[1]).catch(next);
  };
}

/** The raw request line of an answer save (the quick test; the handler checks the decoded path itself). */
const QUICK_SAVE = /^\/danh-gia\/[^/?#]+\/luu\/?$/i;

type ExpressApp = ((req: IncomingMessage, res: ServerResponse) => void) & { request: object; response: object };

/**
 * The server's request listener: the answer save skips express's router (its per-request cost is
 * a good part of a save's) and runs the same guards, in the same order, then the lean handler;
 * every other request goes to the express app, where the guards and the lean handler are mounted
 * as well (so a save that does not take this door gets the same answers there).
 * What express's own init does for a request is done here too (prototypes, req.res/res.req).
 */
export function withFastSave(app: ExpressApp, guards: RequestHandler[]): (req: IncomingMessage, res: ServerResponse) => void {
  const chain: RequestHandler[] = [...guards, saveEndpoint()];
  return (req, res) => {
    const url = req.url ?? "";
    if (req.method !== "POST" || !QUICK_SAVE.test(url)) return app(req, res);
    const ereq = req as unknown as ExpressRequest & { res: ExpressResponse; originalUrl: string; baseUrl: string; next: NextFunction };
    const eres = res as unknown as ExpressResponse & { req: ExpressRequest; locals: Record<string, unknown> };
    Object.setPrototypeOf(ereq, app.request);
    Object.setPrototypeOf(eres, app.response);
    ereq.res = eres;
    eres.req = ereq;
    eres.locals = Object.create(null) as Record<string, unknown>;
    ereq.originalUrl = url;
    ereq.baseUrl = "";
    let i = 0;
    const failed = (err: unknown) => {
      console.error(err);
      if (res.headersSent) return void res.destroy();
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end("Internal Server Error");
    };
    const next: NextFunction = (err?: unknown) => {
      if (err) return failed(err);
      const handler = chain[i++];
      // The lean handler let it pass (it never does after the guards): express takes it from the start.
      if (!handler) return app(req, res);
      try {
        handler(ereq, eres, next);
      } catch (e) {
        failed(e);
      }
    };
    ereq.next = next;
    next();
  };
}
