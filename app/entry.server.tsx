import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./utils/nonce";
import { htmlContentSecurityPolicy, newNonce } from "./server/http/csp.server";

// Start-up hooks reached by scripts/serve.mjs through build.entry.module.
export { bootstrap, seedDemo } from "./server/startup.server";
// WAL checkpoints in a thread of their own, started once per server (the single process, or the primary).
export { startCheckpointer, BACKGROUND_CHECKPOINT_ENV } from "./server/db/checkpointer.server";
export { databasePath, PREPARED_DATABASE_ENV } from "./server/db/client.server";
// The PDF workers, started once a server process listens.
export { closePdfPool, warmPdfPool } from "./server/pdf/pool.server";
// The cookie secret, created by the primary process before it forks (WEB_CONCURRENCY > 1).
export { sessionSecret } from "./server/auth/secret.server";
// The HTTP boundary (security headers, origin and session checks, body limits), for scripts/serve.mjs.
export { createRemixHandler, httpGuards } from "./server/http/guards.server";
// A 4xx (an unknown URL) is logged as one line, a real error with its stack.
export { handleError } from "./server/http/errors.server";
// The answer save served in front of Remix (mounted right after httpGuards()).
export { saveEndpoint, withFastSave } from "./server/http/save-endpoint.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const bot = isbot(request.headers.get("user-agent") ?? "");
  // One nonce per page: Remix's inline scripts carry it, the policy allows only it (and our own files).
  const nonce = newNonce();
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          responseHeaders.set("Content-Security-Policy", htmlContentSecurityPolicy(nonce));
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
