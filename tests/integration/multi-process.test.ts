/**
 * Several server processes on one SQLite file (WEB_CONCURRENCY): what one process creates, another
 * accepts. Tested at the service level across separate Node processes (a real server needs a Remix
 * build, too slow for the suite): a session and its CSRF token made in one process are accepted by
 * another; a session ended in one is refused by the other; and processes that start together without
 * SESSION_SECRET agree on the one secret file they create.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";

const dbFile = useTestDatabase("multi-process");
const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const mod = (p: string) => JSON.stringify(path.join(ROOT, p));
const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
const scripts: string[] = [];
let userId = 0;

/** One child process: its stdout's last line, parsed. */
function child(source: string, env: Record<string, string | undefined> = {}): Promise<Record<string, unknown>> {
  const file = path.join(TMP_DIR, `mp-${tag}-${scripts.length}.mts`);
  fs.writeFileSync(file, source);
  scripts.push(file);
  return new Promise((resolve, reject) => {
    const c = spawn(TSX, [file], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: dbFile(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (err += d));
    c.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`child failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!));
    });
  });
}

beforeAll(async () => {
  const p = createUnit({ kind: "province", code: "MP-P", name: "Sở Đa", parentId: null }, null);
  const s = createSchool({ code: "MP-A", name: "Trường Đa", type: "TH", managingUnitId: p, reviewingUnitId: p }, null);
  userId = await createUser({ username: "mp.head", displayName: "Hiệu trưởng Đa", password: "mat-khau-da-tien-trinh", roles: ["school_head"], schoolId: s }, null);
});

afterAll(() => {
  for (const f of scripts) fs.rmSync(f, { force: true });
});

const SIGN_IN = (id: number) => `
import { createSession } from ${mod("app/server/auth/session.server.ts")};
import { getCsrfToken } from ${mod("app/server/auth/csrf.server.ts")};
const cookie = (await createSession(${id})).split(";")[0];
const { token } = await getCsrfToken(new Request("http://x/", { headers: { Cookie: cookie } }));
console.log(JSON.stringify({ cookie, csrf: token, pid: process.pid }));
`;

const CHECK = (cookie: string, csrf: string) => `
import { sessionUser, sessionUserFromCookie } from ${mod("app/server/auth/session.server.ts")};
import { isValidCsrf, isValidCsrfForSession } from ${mod("app/server/auth/csrf.server.ts")};
const req = new Request("http://x/", { headers: { Cookie: ${JSON.stringify(cookie)} } });
const found = await sessionUser(req);
const lean = await sessionUserFromCookie(${JSON.stringify(cookie)});
const form = new FormData();
form.set("_csrf", ${JSON.stringify(csrf)});
console.log(JSON.stringify({
  userId: found?.user.id ?? null,
  leanUserId: lean?.user.id ?? null,
  csrf: await isValidCsrf(req, form),
  leanCsrf: lean ? isValidCsrfForSession(lean.sessionId, ${JSON.stringify(csrf)}) : false,
  pid: process.pid,
}));
`;

const SIGN_OUT = (cookie: string) => `
import { destroySession } from ${mod("app/server/auth/session.server.ts")};
await destroySession(new Request("http://x/", { headers: { Cookie: ${JSON.stringify(cookie)} } }));
console.log(JSON.stringify({ done: true }));
`;

describe("several server processes on one database", () => {
  it("a session and its CSRF token made in one process are accepted by another; signing out in one ends it in all", async () => {
    const made = await child(SIGN_IN(userId));
    const seen = await child(CHECK(made.cookie as string, made.csrf as string));
    expect(seen.pid).not.toBe(made.pid);
    expect(seen).toMatchObject({ userId, leanUserId: userId, csrf: true, leanCsrf: true });
    // A token of no session is refused there too.
    const forged = await child(CHECK(made.cookie as string, "x".repeat((made.csrf as string).length)));
    expect(forged).toMatchObject({ userId, csrf: false, leanCsrf: false });

    await child(SIGN_OUT(made.cookie as string));
    const after = await child(CHECK(made.cookie as string, made.csrf as string));
    expect(after).toMatchObject({ userId: null, leanUserId: null, csrf: false });
  }, 60_000);

  it("processes started together without SESSION_SECRET share the one secret file they create", async () => {
    const dir = path.join(TMP_DIR, `mp-secret-${tag}`);
    fs.mkdirSync(dir, { recursive: true });
    try {
      const src = `
import { sessionSecret } from ${mod("app/server/auth/secret.server.ts")};
console.log(JSON.stringify({ secret: sessionSecret() }));
`;
      const env = { SESSION_SECRET: undefined, DATABASE_PATH: path.join(dir, "db.sqlite") };
      const got = await Promise.all([child(src, env), child(src, env), child(src, env)]);
      const secrets = new Set(got.map((g) => g.secret));
      expect(secrets.size).toBe(1);
      expect(fs.readFileSync(path.join(dir, ".session-secret"), "utf8").trim()).toBe([...secrets][0]);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
