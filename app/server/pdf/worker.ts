/**
 * A PDF worker thread (started by pool.server.ts). Bundled on its own by scripts/build-workers.mjs
 * to build/pdf-worker.mjs, since Remix bundles the server into build/index.js alone.
 *
 * Protocol, one job at a time:
 *   in   { id, kind, json, sign? }               json: the document's data as JSON text; sign: the
 *                                                PKCS#12 (base64) and passphrase to sign the result with
 *   out  { id, ok: true, pdf: ArrayBuffer }      the bytes, transferred (not copied)
 *        { id, ok: false, message, stack }       the renderer threw; the thread stays usable
 * A crash (uncaught error, process.exit in the thread) ends the thread; the pool replaces it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { finishDocument, type SignWith } from "./pool.server";
import { RENDERER_VERSION, rendererOf } from "./renderers.server";

export interface WorkerJob {
  id: number;
  kind: string;
  json: string;
  sign?: SignWith;
}

export type WorkerReply = { id: number; ok: true; pdf: ArrayBuffer } | { id: number; ok: false; message: string; stack?: string };

const port = parentPort;
if (!port) throw new Error("pdf worker: not started as a worker thread");

// A bundle built from other sources than the server that started it (the pool passes its version).
const expected = (workerData as { rendererVersion?: unknown } | null)?.rendererVersion;
if (expected !== RENDERER_VERSION) {
  throw new Error(`pdf worker: renderer version ${RENDERER_VERSION} does not match the server's ${String(expected)} (stale build/pdf-worker.mjs: run npm run build)`);
}

/** A Buffer's bytes as a whole ArrayBuffer of their own (a pooled Buffer shares its ArrayBuffer). */
function ownArrayBuffer(buf: Buffer): ArrayBuffer {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) return buf.buffer;
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  return ab;
}

port.on("message", async (job: WorkerJob) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const render = rendererOf(job.kind);
    if (!render) throw new Error(`unknown document kind: ${job.kind}`);
    const pdf = ownArrayBuffer(await finishDocument(job.kind, await render(JSON.parse(job.json)), job.sign));
    reply = { id: job.id, ok: true, pdf };
    transfer = [pdf];
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { id: job.id, ok: false, message: err.message, stack: err.stack };
  }
  port.postMessage(reply, transfer);
});
