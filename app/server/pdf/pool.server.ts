/**
 * Official documents are drawn off the request thread, in a pool of worker threads
 * (issue 12, finding 4: a 35–50 ms render on the main thread raised everyone's save p95).
 *
 *   renderDocument(kind, data)   the PDF bytes of a document kind (renderers.server.ts) for its data
 *   renderDocument(kind, data, sign)   the same, then signed in the worker with the office's
 *                   PKCS#12 (finishDocument below): the data must carry the signature request
 *                   (the renderer adds the placeholder). A document with a placeholder and no `sign`,
 *                   or a `sign` and no placeholder, is refused (the job fails): no PDF ever shows an
 *                   empty signature field, and a certificate is never silently left unused.
 *
 * Settings, read at each call:
 *   PDF_WORKERS     worker threads (default 1; 0 = draw in this thread, for debugging). Started
 *                   when first needed and kept; a worker that crashes, exits or times out is
 *                   dropped, its job rejected, and a new one started for the next job.
 *   PDF_QUEUE       jobs allowed to wait for a worker (default 8); one more rejects at once with
 *                   DocumentBusy (the route answers 503, Retry-After).
 *   PDF_TIMEOUT_MS  per job (default 30 000): past it the worker is terminated, the job rejected.
 *   PDF_WORKER_PATH the worker bundle; default pdf-worker.mjs next to the running server bundle
 *                   (build/pdf-worker.mjs beside build/index.js, built by scripts/build-workers.mjs).
 *                   Running from the sources (vitest, tsx) there is no default: tests/global-setup.ts
 *                   and the benchmark build a fresh bundle and set it, so an old build/ is never used.
 *
 * The data crosses as JSON text (the same text the document cache hashes), so a worker draws
 * exactly what the key names, and nothing but plain data can cross. Idle workers are unref'd
 * (a server or a test run exits without closing the pool); a worker doing a job holds the
 * process open until the job ends. Each server process (WEB_CONCURRENCY) has its own pool.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { RENDERER_VERSION, rendererOf, type DocumentDataMap, type DocumentKind } from "./renderers.server";
import { constants as cryptoConstants, createHash, createPrivateKey, privateEncrypt, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { SignPdf } from "@signpdf/signpdf";
import { Signer } from "@signpdf/utils";
import type { WorkerJob, WorkerReply } from "./worker";

export type { DocumentKind } from "./renderers.server";

/** A job's certificate: the PKCS#12 bytes as base64 (plain data, it crosses to the worker) and its passphrase. */
export interface SignWith {
  p12: string;
  passphrase: string;
}

/** The byte range @signpdf's placeholder leaves for the signer to fill in. */
const PLACEHOLDER_MARK = Buffer.from("/ByteRange [0 /********** /********** /**********]", "latin1");

/**
 * The rendered bytes, signed when asked (run in the worker, and in this thread when PDF_WORKERS=0).
 * Refuses a placeholder without a certificate and a certificate without a placeholder.
 */
export async function finishDocument(kind: string, pdf: Buffer, sign: SignWith | undefined): Promise<Buffer> {
  const placeholder = pdf.includes(PLACEHOLDER_MARK);
  if (!sign) {
    if (placeholder) throw new Error(`${kind}: the document has a signature placeholder but no certificate to sign it with`);
    return pdf;
  }
  if (!placeholder) throw new Error(`${kind}: asked to sign a document without a signature placeholder (its data carries no signature)`);
  return new SignPdf().sign(pdf, new CachedP12Signer(sign));
}

/**
 * A PKCS#12 opened once per worker and certificate (the PBKDF2 of the key bag costs ~100 ms of
 * forge per document otherwise), with the certificate's UTF8String name values decoded.
 *
 * Why the decoding: forge reads a UTF8String attribute without decoding it, and UTF-8-encodes it
 * again whenever it writes a name (the signer's issuerAndSerialNumber, and the certificate itself,
 * which pkcs7 re-encodes from its fields). @signpdf's P12Signer therefore breaks every certificate
 * with a non-ASCII name (the demo Sở's, most Vietnamese CAs' offices): the embedded certificate and
 * the signer identifier no longer match (pdfsig: "Unknown Validation Failure", empty CN).
 */
interface OpenedP12 {
  certificates: forge.pki.Certificate[];
  certificate: forge.pki.Certificate;
  key: KeyObject;
}

const openedP12 = new Map<string, OpenedP12>();

function decodeUtf8Names(cert: forge.pki.Certificate): void {
  for (const name of [cert.subject, cert.issuer]) {
    for (const attr of name.attributes) {
      if ((attr.valueTagClass as unknown) === forge.asn1.Type.UTF8 && typeof attr.value === "string") attr.value = forge.util.decodeUtf8(attr.value);
    }
  }
}

function openP12(sign: SignWith): OpenedP12 {
  const id = createHash("sha256").update(sign.p12).update("\0").update(sign.passphrase).digest("hex");
  const hit = openedP12.get(id);
  if (hit) return hit;
  const der = forge.util.decode64(sign.p12);
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, sign.passphrase);
  const keyBag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0];
  const privateKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) throw new Error("signing: no private key in the PKCS#12 file");
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const certificate = certificates.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(privateKey.n) === 0 && pub.e?.compareTo(privateKey.e) === 0;
  });
  if (!certificate) throw new Error("signing: no certificate matches the private key");
  for (const c of certificates) decodeUtf8Names(c);
  const key = createPrivateKey(forge.pki.privateKeyToPem(privateKey));
  const opened = { certificates, certificate, key };
  if (openedP12.size >= 16) openedP12.clear();
  openedP12.set(id, opened);
  return opened;
}

/** DigestInfo prefix of SHA-256 (RFC 8017, 9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

class CachedP12Signer extends Signer {
  private readonly p12: SignWith;

  constructor(p12: SignWith) {
    super();
    this.p12 = p12;
  }

  async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const { certificates, certificate, key } = openP12(this.p12);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString("binary"));
    for (const c of certificates) p7.addCertificate(c);
    // RSASSA-PKCS1-v1_5 with node's crypto (forge's JS RSA is ~30 ms a signature).
    const nodeKey = {
      sign: (md: forge.md.MessageDigest) => privateEncrypt({ key, padding: cryptoConstants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), "binary")])).toString("binary"),
    };
    p7.addSigner({
      key: nodeKey as unknown as forge.pki.rsa.PrivateKey,
      certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      // The order @signpdf uses (EU DSS validation is sensitive to it).
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), "binary");
  }
}

/** Too many documents are waiting for a worker: try again in a few seconds. */
export class DocumentBusy extends Error {
  readonly code = "DOCUMENT_BUSY";
  constructor(readonly waiting: number) {
    super(`PDF workers busy: ${waiting} documents already waiting`);
    this.name = "DocumentBusy";
  }
}

/** The renderer threw, the worker crashed, or the job ran past its timeout. */
export class DocumentRenderError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly reason: "failed" | "crashed" | "timeout" | "unavailable" | "closed" = "failed",
  ) {
    super(message);
    this.name = "DocumentRenderError";
  }
}

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number.parseInt(raw, 10);
  return Number.isSafeInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export function pdfPoolSettings(): { workers: number; queue: number; timeoutMs: number } {
  return {
    workers: intEnv("PDF_WORKERS", 1, 0, 32),
    queue: intEnv("PDF_QUEUE", 8, 0, 10_000),
    timeoutMs: intEnv("PDF_TIMEOUT_MS", 30_000, 10, 10 * 60_000),
  };
}

/** Where the worker bundle is, or why there is none. */
export function pdfWorkerPath(): { file: string } | { error: string } {
  const set = process.env.PDF_WORKER_PATH;
  if (set && set.trim()) return { file: path.resolve(set) };
  const here = fileURLToPath(import.meta.url);
  if (/\.[cm]?tsx?$/.test(here)) {
    return { error: "PDF worker: running from the sources, set PDF_WORKER_PATH to a bundle built by scripts/build-workers.mjs" };
  }
  return { file: path.join(path.dirname(here), "pdf-worker.mjs") };
}

interface Job {
  id: number;
  kind: string;
  json: string;
  sign?: SignWith;
  resolve: (pdf: Buffer) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  dead: boolean;
}

const slots: Slot[] = [];
const queue: Job[] = [];
let nextId = 1;

const stats = { rendered: 0, inProcess: 0, pooled: 0, succeeded: 0, failed: 0, busy: 0, crashed: 0, timedOut: 0, workersStarted: 0 };

/** Counters since the process started (renders started, by mode; outcomes), and the pool's state now. */
export function pdfPoolStats() {
  return { ...stats, workers: slots.length, working: slots.filter((s) => s.job).length, waiting: queue.length };
}

function finish(slot: Slot): Job | null {
  const job = slot.job;
  slot.job = null;
  if (job?.timer) clearTimeout(job.timer);
  if (!slot.dead) slot.worker.unref();
  return job;
}

/** Drops a worker (crash, exit, timeout): its job is rejected, the next job gets a new worker. */
function drop(slot: Slot, error: DocumentRenderError): void {
  if (slot.dead) return;
  slot.dead = true;
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  const job = finish(slot);
  if (job) {
    stats.failed++;
    if (error.reason === "timeout") stats.timedOut++;
    else stats.crashed++;
    job.reject(new DocumentRenderError(job.kind, error.message, error.reason));
  }
  void slot.worker.terminate().catch(() => {});
  pump();
}

function spawn(file: string): Slot {
  const worker = new Worker(file, { workerData: { rendererVersion: RENDERER_VERSION }, name: "pdf", execArgv: [] });
  stats.workersStarted++;
  const slot: Slot = { worker, job: null, dead: false };
  worker.unref();
  worker.on("message", (reply: WorkerReply) => {
    if (!slot.job || slot.job.id !== reply.id) return;
    const job = finish(slot)!;
    if (reply.ok) {
      stats.succeeded++;
      job.resolve(Buffer.from(reply.pdf));
    } else {
      stats.failed++;
      const e = new DocumentRenderError(job.kind, reply.message, "failed");
      if (reply.stack) e.stack = reply.stack;
      job.reject(e);
    }
    pump();
  });
  worker.on("error", (e) => drop(slot, new DocumentRenderError("", `PDF worker crashed: ${e instanceof Error ? e.message : String(e)}`, "crashed")));
  worker.on("exit", (code) => drop(slot, new DocumentRenderError("", `PDF worker exited (code ${code})`, "crashed")));
  slots.push(slot);
  return slot;
}

function start(slot: Slot, job: Job, timeoutMs: number): void {
  slot.job = job;
  stats.rendered++;
  stats.pooled++;
  slot.worker.ref();
  job.timer = setTimeout(() => {
    drop(slot, new DocumentRenderError(job.kind, `PDF render timed out after ${timeoutMs} ms`, "timeout"));
  }, timeoutMs);
  job.timer.unref();
  const msg: WorkerJob = { id: job.id, kind: job.kind, json: job.json, ...(job.sign ? { sign: job.sign } : {}) };
  slot.worker.postMessage(msg);
}

/**
 * Starts the PDF_WORKERS workers now (the server calls it once it listens): loading pdfkit, the
 * fonts' code and the renderers takes a worker about a second of CPU, which would otherwise fall
 * on the first report of the day, in the middle of other requests. No-op without a bundle.
 */
export function warmPdfPool(): number {
  const { workers } = pdfPoolSettings();
  const where = pdfWorkerPath();
  if ("error" in where || !fs.existsSync(where.file)) return 0;
  let started = 0;
  while (slots.filter((s) => !s.dead).length < workers) {
    spawn(where.file);
    started++;
  }
  return started;
}

/** Starts waiting jobs on idle workers, starting workers up to PDF_WORKERS. */
function pump(): void {
  const { workers, timeoutMs } = pdfPoolSettings();
  while (queue.length > 0) {
    let slot = slots.find((s) => !s.job && !s.dead);
    if (!slot) {
      if (slots.length >= Math.max(1, workers)) return;
      const where = pdfWorkerPath();
      const missing = "error" in where ? where.error : fs.existsSync(where.file) ? null : `PDF worker bundle not found: ${where.file} (run npm run build)`;
      if (missing || "error" in where) {
        for (const job of queue.splice(0)) {
          stats.failed++;
          job.reject(new DocumentRenderError(job.kind, missing!, "unavailable"));
        }
        return;
      }
      slot = spawn(where.file);
    }
    start(slot, queue.shift()!, timeoutMs);
  }
}

async function renderInProcess(kind: string, json: string, sign: SignWith | undefined): Promise<Buffer> {
  stats.rendered++;
  stats.inProcess++;
  const render = rendererOf(kind);
  try {
    if (!render) throw new Error(`unknown document kind: ${kind}`);
    const pdf = await finishDocument(kind, await render(JSON.parse(json)), sign);
    stats.succeeded++;
    return pdf;
  } catch (e) {
    stats.failed++;
    const err = new DocumentRenderError(kind, e instanceof Error ? e.message : String(e), "failed");
    if (e instanceof Error && e.stack) err.stack = e.stack;
    throw err;
  }
}

/**
 * The PDF of a document from its data already as JSON text (the document cache hashes that text),
 * signed with `sign` when given.
 */
export function renderDocumentJson(kind: DocumentKind, json: string, sign?: SignWith): Promise<Buffer> {
  const { workers, queue: max } = pdfPoolSettings();
  if (workers === 0) return renderInProcess(kind, json, sign);
  return new Promise<Buffer>((resolve, reject) => {
    const job: Job = { id: nextId++, kind, json, sign, resolve, reject };
    queue.push(job);
    pump();
    if (queue.length > max && queue[queue.length - 1] === job) {
      queue.pop();
      stats.busy++;
      reject(new DocumentBusy(max));
    }
  });
}

/** The PDF of a document, drawn (and signed, with `sign`) in a worker thread. Rejects with DocumentBusy or DocumentRenderError. */
export function renderDocument<K extends DocumentKind>(kind: K, data: DocumentDataMap[K], sign?: SignWith): Promise<Buffer> {
  return renderDocumentJson(kind, JSON.stringify(data), sign);
}

/** Ends every worker; jobs still running or waiting are rejected (tests, shutdown). */
export async function closePdfPool(): Promise<void> {
  const closing: Promise<unknown>[] = [];
  for (const job of queue.splice(0)) job.reject(new DocumentRenderError(job.kind, "PDF pool closed", "closed"));
  for (const slot of slots.splice(0)) {
    slot.dead = true;
    const job = finish(slot);
    job?.reject(new DocumentRenderError(job.kind, "PDF pool closed", "closed"));
    closing.push(slot.worker.terminate().catch(() => {}));
  }
  await Promise.all(closing);
}
