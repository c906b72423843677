import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { databasePath } from "../db/client.server";

let cached: string | undefined;

/**
 * The secret that signs cookies: SESSION_SECRET, or else a random one created once and kept
 * beside the database (data/.session-secret), so a fresh install works without configuration.
 */
export function sessionSecret(): string {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  if (cached) return cached;
  const file = path.join(path.dirname(databasePath()), ".session-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fresh = randomBytes(32).toString("hex");
    // Written to a private temporary file, then linked into place only if no other server process
    // has created the secret meanwhile (several processes share one database): the first one wins,
    // and everyone reads the winner's (never a half-written file).
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, fresh, { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    cached = fs.readFileSync(file, "utf8").trim();
  }
  return cached;
}

export function cookieSecure(): boolean {
  if (process.env.COOKIE_SECURE) return process.env.COOKIE_SECURE === "true";
  return process.env.NODE_ENV === "production";
}
