/** Helpers for reading requests safely. */
export interface AppLoadContext {
  clientIp?: string;
}

export function clientIp(context: unknown): string {
  const ip = (context as AppLoadContext | undefined)?.clientIp;
  return typeof ip === "string" && ip ? ip : "unknown";
}

/** A same-site relative path to return to after login; anything else becomes "/". */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
