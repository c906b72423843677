import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { cookieSecure, sessionSecret } from "./secret.server";
import { normaliseName } from "./throttle.server";

/**
 * "Known device" cookie: set at every successful sign-in, signed with the session secret and bound
 * to the account (the user name is inside the signed value). A browser that shows one for the account
 * being signed in to is throttled only on its own counter, so an attacker hammering the account from
 * elsewhere (or from the same school network) does not keep the owner out.
 * One browser remembers up to MAX_ACCOUNTS accounts (a shared school computer).
 */
const MAX_ACCOUNTS = 5;
export const DEVICE_MAX_AGE_S = 180 * 24 * 60 * 60;

interface Entry {
  u: string;
  d: string;
}

function deviceCookie() {
  return createCookie("cds_device", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookieSecure(),
    secrets: [sessionSecret()],
    maxAge: DEVICE_MAX_AGE_S,
  });
}

async function entries(request: Request): Promise<Entry[]> {
  const v: unknown = await deviceCookie().parse(request.headers.get("Cookie"));
  if (!Array.isArray(v)) return [];
  return v.filter((e): e is Entry => !!e && typeof e === "object" && typeof e.u === "string" && typeof e.d === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(e.d));
}

/** The id of this browser's known-device entry for the account, or null. */
export async function knownDeviceId(request: Request, username: string): Promise<string | null> {
  const name = normaliseName(username);
  return (await entries(request)).find((e) => e.u === name)?.d ?? null;
}

/** The Set-Cookie that remembers this browser for the account (keeping its id if it had one). */
export async function rememberDevice(request: Request, username: string): Promise<string> {
  const name = normaliseName(username);
  const all = await entries(request);
  const mine = all.find((e) => e.u === name) ?? { u: name, d: randomBytes(18).toString("base64url") };
  const list = [mine, ...all.filter((e) => e.u !== name)].slice(0, MAX_ACCOUNTS);
  return deviceCookie().serialize(list);
}
