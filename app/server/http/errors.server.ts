/**
 * What the server logs of a request's error (Remix's handleError, re-exported by entry.server):
 * a 4xx such as an unknown URL is one line (`404 GET /duong-dan`), not a stack trace; a real
 * error keeps its stack; a request the client gave up on logs nothing.
 */
import { isRouteErrorResponse } from "@remix-run/react";

type Logger = Pick<Console, "warn" | "error">;

export function handleError(error: unknown, { request }: { request: Request }, log: Logger = console): void {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) {
    log.warn(`${error.status} ${request.method} ${new URL(request.url).pathname}`);
    return;
  }
  // Remix wraps some errors in an error response with the original inside.
  const inner = isRouteErrorResponse(error) ? ((error as unknown as { error?: unknown }).error ?? error) : error;
  log.error(inner);
}
