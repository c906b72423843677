/**
 * The HTTP boundary through a real server (express + httpGuards() + createRemixHandler, as in
 * scripts/serve.mjs, on a Remix build made of the app's own entry, root and routes):
 *   body limits (declared and chunked, 413 in Vietnamese, clean connection end, no memory growth),
 *   the session check before a body is read, the Origin checks, and the security headers
 *   (CSP with a per-response nonce on every inline script, nosniff once, HSTS with secure cookies).
 */
import PDFDocument from "pdfkit";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@remix-run/node";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { browserAs, type Browser } from "../helpers/http";
import { headerValues, rawRequest, startTestServer, testBuild, type TestServer } from "../helpers/http-server";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { eq } from "drizzle-orm";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { readSmallForm } from "~/server/forms.server";
import { DEFAULT_BODY_LIMIT } from "~/server/http/body-limits.server";

useTestDatabase("http-boundary");

const EVIDENCE_DIR = path.join(TMP_DIR, `evidence-http-${process.pid}-${randomBytes(4).toString("hex")}`);
const PW = "mat-khau-kiem-thu-http";
const MB = 1024 * 1024;
let server: TestServer;
let assessmentId = 0;
let head: Browser;
let anon: Browser;

/** A test-only route that reads its form with readSmallForm (4 KB parts). */
const smallForm = {
  action: async ({ request }: { request: Request }) => {
    const form = await readSmallForm(request, 4096, "Tệp quá lớn (thử nghiệm).");
    return json({ fields: [...form.keys()].length });
  },
};

beforeAll(async () => {
  process.env.EVIDENCE_DIR = EVIDENCE_DIR;
  const province = createUnit({ kind: "province", code: "HB-P", name: "Sở GDĐT Biên", parentId: null }, null);
  const school = createSchool({ code: "HB-A", name: "Trường Tiểu học Biên", type: "TH", managingUnitId: province, reviewingUnitId: province }, null);
  const admin = await createUser({ username: "hb.so", displayName: "Sở Biên", password: PW, roles: ["office_admin"], unitId: province }, null);
  await createUser({ username: "hb.head", displayName: "Hiệu trưởng Biên", password: PW, roles: ["school_head"], schoolId: school }, null);
  openCycle({ ownerUnitId: province, schoolYear: "2097-2098", editionId: "qd-4725-2022", selfAssessmentDeadline: "2098-05-31", reviewDeadline: "2098-06-20" }, admin);
  assessmentId = getDb().select().from(assessments).where(eq(assessments.schoolId, school)).get()!.id;
  head = await browserAs("hb.head");
  anon = await browserAs();
  // Also mounted where the server allows 2.8 MB, to see readSmallForm refuse a long body itself.
  server = await startTestServer(testBuild({ "small-form": smallForm, "quan-tri/truong/nhap": smallForm }));
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(EVIDENCE_DIR, { recursive: true, force: true });
  delete process.env.EVIDENCE_DIR;
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const urlencoded = { "Content-Type": "application/x-www-form-urlencoded" };

function loginBody(b: Browser, extra: Record<string, string> = {}) {
  return form({ _csrf: b.csrf, username: "hb.head", password: PW, redirectTo: "/", ...extra });
}

// ───────────────────────────── body limits ─────────────────────────────

describe("body limits", () => {
  it("refuses a declared 256 MB anonymous login post at once, in Vietnamese, and closes the connection cleanly", async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const res = await rawRequest(server.port, {
      method: "POST",
      path: "/login",
      headers: { ...urlencoded, "Content-Length": String(256 * MB), Cookie: anon.cookie },
      body: { total: 256 * MB },
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain("Dữ liệu gửi lên quá lớn (tối đa 16 KB cho yêu cầu này)");
    expect(res.headers["connection"]).toBe("close");
    // The answer came before the client had sent more than its socket buffers hold.
    expect(res.sentBeforeResponse).toBeLessThan(16 * MB);
    // The connection ends without a reset (which could swallow the answer) and without a stall.
    expect(["end", "close"]).toContain(await res.socketEnd);
    expect(res.sent).toBeLessThan(32 * MB);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MB);
  });

  it("cuts off a chunked body at the first byte over the limit with 413, without buffering it", async () => {
    const before = process.memoryUsage().rss;
    const res = await rawRequest(server.port, {
      method: "POST",
      path: "/login",
      headers: { ...urlencoded, "Transfer-Encoding": "chunked", Cookie: anon.cookie },
      body: { total: 256 * MB },
    });
    expect(res.status).toBe(413);
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.body).toContain("Dữ liệu gửi lên quá lớn");
    expect(res.headers["connection"]).toBe("close");
    expect(res.sentBeforeResponse).toBeLessThan(16 * MB);
    expect(["end", "close"]).toContain(await res.socketEnd);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MB);
  });

  it("lets a normal login post through to the route (which signs in and redirects home)", async () => {
    const b = await browserAs();
    const res = await rawRequest(server.port, { method: "POST", path: "/login", headers: { ...urlencoded, Cookie: b.cookie }, body: loginBody(b) });
    expect(res.status).toBe(302);
    expect(res.headers["location"]).toBe("/");
    expect(headerValues(res.rawHeaders, "set-cookie").some((c) => c.startsWith("cds_session="))).toBe(true);
  });

  it("a chunked login post under the limit also passes (the wrong password is the route's 401)", async () => {
    const b = await browserAs();
    const res = await rawRequest(server.port, {
      method: "POST",
      path: "/login",
      headers: { ...urlencoded, "Transfer-Encoding": "chunked", Cookie: b.cookie },
      body: loginBody(b, { password: "sai-mat-khau" }),
    });
    expect(res.status).toBe(401);
    expect(res.body).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
  });

  it("answers a Remix data request's 413 as a thrown response the error boundary shows", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: "/login?_data=routes%2Flogin",
      headers: { ...urlencoded, "Content-Length": String(DEFAULT_BODY_LIMIT + 1), Cookie: anon.cookie },
      withholdBody: true,
    });
    expect(res.status).toBe(413);
    expect(res.headers["x-remix-catch"]).toBe("yes");
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, kind: "too-large", error: expect.stringContaining("quá lớn") });
  });

  it("gives the evidence upload its own, larger limit (a 300 KB file goes through and is stored)", async () => {
    const pdf = await makePdf(300 * 1024);
    const boundary = "----cds-test-boundary";
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${head.csrf}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupload\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="itemCode"\r\n\r\n1.1\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nKế hoạch\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ke-hoach.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ];
    const body = Buffer.concat([Buffer.from(parts.join("")), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    expect(body.length).toBeGreaterThan(DEFAULT_BODY_LIMIT * 10);
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${assessmentId}/minh-chung?_data=${encodeURIComponent("routes/danh-gia.$id.minh-chung")}`,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Accept: "application/json", Cookie: head.cookie, "Content-Length": String(body.length) },
      body,
    });
    expect(res.status).toBe(200);
    const data = JSON.parse(res.body) as { ok: boolean; entries: { evidenceId: number; fileName: string }[] };
    expect(data.ok).toBe(true);
    uploadedEvidenceId = data.entries[0].evidenceId;
    expect(uploadedEvidenceId).toBeGreaterThan(0);
  });

  it("readSmallForm's 413 on a long body (keep-alive client): Connection: close and a clean end, not a stall then a reset", async () => {
    // Before: the 413 went out as keep-alive, the unread body stalled the connection, and ~6 s later it was reset.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const partHead = Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`);
      const body = Buffer.concat([partHead, Buffer.alloc(2 * MB, "x")]);
      const res = await rawRequest(server.port, {
        method: "POST",
        path: "/quan-tri/truong/nhap",
        headers: { "Content-Type": "multipart/form-data; boundary=b", "Content-Length": String(body.length), Cookie: head.cookie },
        body,
        agent,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ error: "Tệp quá lớn (thử nghiệm)." });
      expect(headerValues(res.rawHeaders, "connection")).toEqual(["close"]);
      expect(["end", "close"]).toContain(await res.socketEnd);
    } finally {
      agent.destroy();
    }
  });

  it("a route that refuses before reading (evidence upload, wrong CSRF header) closes the connection without a reset", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${assessmentId}/minh-chung?_data=${encodeURIComponent("routes/danh-gia.$id.minh-chung")}`,
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Transfer-Encoding": "chunked", "x-csrf-token": "wrong", Cookie: head.cookie },
      body: { total: 64 * MB },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, field: "form" });
    expect(headerValues(res.rawHeaders, "connection")).toEqual(["close"]);
    expect(res.sentBeforeResponse).toBeLessThan(16 * MB);
    expect(["end", "close"]).toContain(await res.socketEnd);
  });

  it("readSmallForm's 413 drains the small rest of the body, so the same connection serves the next request", async () => {
    const boundary = "----cds-small";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${"x".repeat(12_000)}\r\n--${boundary}--\r\n`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const res = await rawRequest(server.port, {
        method: "POST",
        path: "/small-form",
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: head.cookie, "Content-Length": String(body.length) },
        body,
        agent,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ error: "Tệp quá lớn (thử nghiệm)." });
      expect(res.headers["connection"]).toBe("keep-alive");
      const next = await rawRequest(server.port, { path: `/danh-gia/${assessmentId}/luu`, agent });
      expect(next.reusedSocket).toBe(true);
      expect(next.status).toBe(405);
    } finally {
      agent.destroy();
    }
  });
});

let uploadedEvidenceId = 0;

async function makePdf(minBytes: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", compress: false, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.on("data", (c: Buffer) => chunks.push(c));
  const line = "Ke hoach chuyen doi so nam hoc. ".repeat(8);
  for (let i = 0; i < Math.ceil(minBytes / 6000); i++) {
    doc.text(line.repeat(20));
    doc.addPage();
  }
  doc.end();
  return done;
}

// ───────────────────────────── session before body ─────────────────────────────

describe("the session is checked before the body is read", () => {
  it("an anonymous answer save gets the route's 401 JSON without a byte of its body being sent", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${assessmentId}/luu`,
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(2 * MB), Cookie: anon.cookie },
      withholdBody: true,
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, kind: "unauthenticated" });
    expect(res.headers["connection"]).toBe("close");
    expect(res.sent).toBe(0);
  });

  it("an anonymous form post is sent to the login page (303), coming back to the page afterwards", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${assessmentId}/nop`,
      headers: { ...urlencoded, "Content-Length": "5000", Cookie: `${anon.cookie}; cds_session=stale` },
      withholdBody: true,
    });
    expect(res.status).toBe(303);
    expect(res.headers["location"]).toBe(`/login?redirectTo=${encodeURIComponent(`/danh-gia/${assessmentId}/nop`)}&expired=1`);
  });

  it("an anonymous Remix fetcher post gets Remix's redirect to /login (not the data URL)", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${assessmentId}/minh-chung?_data=routes%2Fdanh-gia.%24id.minh-chung`,
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(5 * MB), Cookie: anon.cookie },
      withholdBody: true,
    });
    expect(res.status).toBe(204);
    expect(res.headers["x-remix-redirect"]).toBe(`/login?redirectTo=${encodeURIComponent(`/danh-gia/${assessmentId}/minh-chung`)}`);
    expect(res.headers["location"]).toBeUndefined();
  });

  it("a signed-in save passes the check and reaches the route", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${assessmentId}/luu`,
      headers: { ...urlencoded, Cookie: head.cookie },
      body: form({ _csrf: "not-the-token", payload: "{}" }),
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ ok: false, kind: "csrf" });
  });

  it("logout needs no session (it only clears cookies)", async () => {
    const res = await rawRequest(server.port, { method: "POST", path: "/logout", headers: { ...urlencoded, Cookie: anon.cookie }, body: form({ _csrf: anon.csrf }) });
    expect(res.status).toBe(302);
    expect(res.headers["location"]).toBe("/login?out=1");
  });
});

// ───────────────────────────── content types ─────────────────────────────

describe("a write must be a form", () => {
  const cases: [string, Record<string, string>][] = [
    ["no Content-Type", {}],
    ["text/plain", { "Content-Type": "text/plain" }],
    ["JSON", { "Content-Type": "application/json" }],
    ["multipart without a boundary", { "Content-Type": "multipart/form-data" }],
  ];
  for (const [label, headers] of cases) {
    it(`answers ${label} with 415 in Vietnamese before any route runs (not the route's 500)`, async () => {
      const res = await rawRequest(server.port, { method: "POST", path: "/logout", headers: { ...headers, Cookie: anon.cookie }, body: "_csrf=x" });
      expect(res.status).toBe(415);
      expect(res.body).toContain("Dữ liệu gửi lên phải là một biểu mẫu");
    });
  }
});

// ───────────────────────────── Origin ─────────────────────────────

describe("Origin and Sec-Fetch-Site", () => {
  for (const origin of ["http://[::1", "null", "http://evil.example", "http:// 127.0.0.1", "javascript:alert(1)", "http://127.0.0.1:1"]) {
    it(`refuses a login post with Origin: ${origin} (403, not 500)`, async () => {
      const b = await browserAs();
      const res = await rawRequest(server.port, { method: "POST", path: "/login", headers: { ...urlencoded, Cookie: b.cookie, Origin: origin }, body: loginBody(b) });
      expect(res.status).toBe(403);
      expect(res.body).toContain("Yêu cầu bị từ chối: gửi từ trang web khác.");
      expect(headerValues(res.rawHeaders, "set-cookie")).toEqual([]);
    });
  }

  it("refuses Sec-Fetch-Site: cross-site", async () => {
    const b = await browserAs();
    const res = await rawRequest(server.port, { method: "POST", path: "/login", headers: { ...urlencoded, Cookie: b.cookie, "Sec-Fetch-Site": "cross-site" }, body: loginBody(b) });
    expect(res.status).toBe(403);
  });

  it("passes the same origin, and a post with neither header (the CSRF token still guards it)", async () => {
    const variants: Record<string, string>[] = [{ Origin: server.origin, "Sec-Fetch-Site": "same-origin" }, {}];
    for (const extra of variants) {
      const b = await browserAs();
      const res = await rawRequest(server.port, { method: "POST", path: "/login", headers: { ...urlencoded, Cookie: b.cookie, ...extra }, body: loginBody(b) });
      expect(res.status).toBe(302);
      expect(headerValues(res.rawHeaders, "set-cookie").some((c) => c.startsWith("cds_session="))).toBe(true);
    }
  });
});

// ───────────────────────────── headers ─────────────────────────────

describe("security headers", () => {
  it("an HTML page has a CSP whose fresh nonce is on every inline script, and nosniff once", async () => {
    const pages = [await rawRequest(server.port, { path: "/login" }), await rawRequest(server.port, { path: "/login" })];
    const nonces = pages.map((res) => {
      expect(res.status).toBe(200);
      const csp = headerValues(res.rawHeaders, "content-security-policy");
      expect(csp).toHaveLength(1);
      expect(csp[0]).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{22,}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:;/);
      for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) expect(csp[0]).toContain(d);
      const nonce = /'nonce-([^']+)'/.exec(csp[0])![1];
      const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThanOrEqual(3); // context, route modules, scroll restoration
      for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
      expect(res.body).not.toMatch(/\son[a-z]+="/i); // no inline event handlers
      expect(headerValues(res.rawHeaders, "x-content-type-options")).toEqual(["nosniff"]);
      expect(headerValues(res.rawHeaders, "strict-transport-security")).toEqual([]);
      return nonce;
    });
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("the evidence download sends nosniff exactly once and keeps its own stricter CSP", async () => {
    expect(uploadedEvidenceId).toBeGreaterThan(0);
    for (const q of ["", "?xem=1"]) {
      const res = await rawRequest(server.port, { path: `/minh-chung/${uploadedEvidenceId}${q}`, headers: { Cookie: head.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe("application/pdf");
      expect(headerValues(res.rawHeaders, "x-content-type-options")).toEqual(["nosniff"]);
      const csp = headerValues(res.rawHeaders, "content-security-policy");
      expect(csp).toHaveLength(1);
      expect(csp[0]).toMatch(/^default-src 'none'/);
    }
  });

  it("every response sends nosniff once: redirects, JSON, refusals", async () => {
    const responses = [
      await rawRequest(server.port, { path: `/danh-gia/${assessmentId}/luu` }), // loader: 405 JSON
      await rawRequest(server.port, { method: "POST", path: "/logout", headers: { ...urlencoded, Cookie: anon.cookie }, body: "" }), // CSRF refusal
      await rawRequest(server.port, { method: "POST", path: "/login", headers: { Origin: "null" }, body: "" }),
      await rawRequest(server.port, { path: "/khong-co-trang-nay" }), // 404 page
    ];
    for (const res of responses) expect(headerValues(res.rawHeaders, "x-content-type-options")).toEqual(["nosniff"]);
  });

  it("sends Strict-Transport-Security when secure cookies are on", async () => {
    process.env.COOKIE_SECURE = "true";
    try {
      const res = await rawRequest(server.port, { path: "/login" });
      expect(headerValues(res.rawHeaders, "strict-transport-security")).toEqual(["max-age=31536000"]);
    } finally {
      delete process.env.COOKIE_SECURE;
    }
  });
});
