/** Helpers for reading requests safely. */
export interface AppLoadContext {
  clientIp?: string;
}

export function clientIp(context: unknown): string {
  const ip = (context as AppLoadContext | undefined)?.clientIp;
  return typeof ip === "string" && ip ? ip : "unknown";
}

const PROBE_ORIGIN = "http://same-origin.invalid";
/** Control characters, space, backslash (browsers read it as "/"), anything outside printable ASCII. */
const UNSAFE_DECODED = /[\u0000-\u0020\u007f\\]/;

/**
 * A same-site path to return to after login; anything else becomes `fallback` ("/").
 * Accepted only: printable ASCII (0x21–0x7E) without a backslash, one leading "/" (not "//"), that
 * `new URL` keeps on the same origin and leaves exactly as written (no dot segments, nothing it would
 * re-encode), and whose percent-decoded path holds no control character, space or backslash and does
 * not start with "//" (a later decode must not turn it into a protocol-relative address either).
 * So `/\t/evil.example/`, `/。/evil.example`, CR/LF, `/%09/evil`, `\/evil` and `/\\evil` go home.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (!/^[\x21-\x7e]+$/.test(to) || to.includes("\\")) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(to, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  if (url.pathname + url.search + url.hash !== to) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (UNSAFE_DECODED.test(decoded) || decoded.startsWith("//")) return fallback;
  return to;
}
