/**
 * Content-Security-Policy of the HTML pages (set by app/entry.server.tsx with a fresh nonce per
 * response). Remix's inline scripts (<Scripts>, <ScrollRestoration>) carry the nonce; nothing else
 * in the app is an inline script or an inline event handler.
 *   style-src 'unsafe-inline': the components use React `style` props, which are style attributes
 *   in the server-rendered HTML (no <style> elements are injected). Scripts stay nonce-only.
 * Evidence previews (/minh-chung/:id) send their own, stricter policy.
 */
import { randomBytes } from "node:crypto";

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function htmlContentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // `remix dev` talks to its live-reload socket on another port.
    dev ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}
