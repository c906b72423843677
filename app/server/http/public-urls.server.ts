/**
 * The public verification URLs that Remix's routes cannot spell, rewritten before anything else
 * sees the request (first in httpGuards()):
 *   /xac-minh/<token>.pdf                              → /xac-minh/<token>/pdf   (the certificate itself)
 *   /xac-minh/<token>.json                             → /xac-minh/<token>/json  (the facts for machines)
 *   /xac-minh/<token>, Accept preferring JSON to HTML  → /xac-minh/<token>/json
 *   /cong-bo/<unit code>/<school year>.json|.csv       → /cong-bo/<unit code>/<school year>/json|csv (open data)
 * Only GET and HEAD; the query string is kept. A Remix data request (?_data=…) is never rewritten.
 * The token is not checked here: the routes answer the same 404 for every wrong one.
 */
import type { RequestHandler } from "express";

const SUFFIXED = /^\/xac-minh\/([^/]+?)\.(pdf|json)$/;
const PAGE = /^\/xac-minh\/([^/.]+)$/;
const OPEN_DATA = /^\/cong-bo\/([^/]+)\/(\d{4}-\d{4})\.(json|csv)$/;

interface Range {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(accept: string): Range[] {
  const out: Range[] = [];
  accept.split(",").forEach((part, order) => {
    const [media, ...params] = part.trim().split(";");
    const m = /^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/i.exec((media ?? "").trim());
    if (!m) return;
    let q = 1;
    for (const p of params) {
      const kv = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (kv) q = Math.min(1, Math.max(0, Number(kv[1]) || 0));
    }
    out.push({ type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), q, order });
  });
  return out;
}

/** How much the client wants this type: q of the most specific range matching it, that range's specificity and position. */
function preference(ranges: Range[], type: string, subtype: string): { q: number; specificity: number; order: number } {
  let best: { q: number; specificity: number; order: number } = { q: 0, specificity: -1, order: Number.MAX_SAFE_INTEGER };
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === "*" ? 1 : r.type === "*" && r.subtype === "*" ? 0 : -1;
    if (specificity < 0) continue;
    if (specificity > best.specificity || (specificity === best.specificity && r.q > best.q)) best = { q: r.q, specificity, order: r.order };
  }
  return best;
}

/** Does this Accept header prefer application/json over text/html? (q first, then the more specific mention, then the earlier one.) */
export function prefersJson(accept: string | null | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const j = preference(ranges, "application", "json");
  const h = preference(ranges, "text", "html");
  if (j.q <= 0) return false;
  if (j.q !== h.q) return j.q > h.q;
  if (j.specificity !== h.specificity) return j.specificity > h.specificity;
  return j.order < h.order;
}

/** The URL a request is served from instead of `url`, or null when it stays as it is. */
export function publicUrlAlias(method: string, url: string, accept: string | null | undefined): string | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const q = url.indexOf("?");
  const path = q >= 0 ? url.slice(0, q) : url;
  const search = q >= 0 ? url.slice(q) : "";
  if (url.startsWith("/cong-bo/")) {
    const open = OPEN_DATA.exec(path);
    return open ? `/cong-bo/${open[1]}/${open[2]}/${open[3]}${search}` : null;
  }
  if (!url.startsWith("/xac-minh/")) return null;
  const suffixed = SUFFIXED.exec(path);
  if (suffixed) return `/xac-minh/${suffixed[1]}/${suffixed[2]}${search}`;
  const page = PAGE.exec(path);
  if (page && prefersJson(accept) && !new URLSearchParams(search).has("_data")) return `/xac-minh/${page[1]}/json${search}`;
  return null;
}

/** Express middleware: applies publicUrlAlias to req.url (and originalUrl, which the Remix handler reads). */
export const publicUrlAliases: RequestHandler = (req, res, next) => {
  // The page's address answers HTML or JSON by the Accept header: caches must know.
  if ((req.method === "GET" || req.method === "HEAD") && PAGE.test(req.path)) res.vary("Accept");
  const to = publicUrlAlias(req.method, req.url, req.get("accept"));
  if (to !== null) {
    req.url = to;
    req.originalUrl = to;
  }
  next();
};
