/**
 * A decision's certificates in one go: a ZIP with one PDF per valid certificate (named by school
 * code and name), or one PDF with every certificate for printing. Long work, run as a job:
 *
 * - its progress lives in `jobs` (total, done, heartbeat), so any server process shows it and the
 *   page can be left and come back to;
 * - the ZIP streams with archiver to a file under JOBS_DIR: each certificate is drawn (and signed
 *   when the office has a certificate) in the PDF workers and appended as soon as it is ready, at
 *   most BATCH_AHEAD renders ahead of the archive, so memory stays bounded whatever the count;
 * - a job whose process died stops beating and is shown as interrupted; starting again replaces it.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import archiver from "archiver";
import { and, desc, eq } from "drizzle-orm";
import { getDb, type Db } from "../db/client.server";
import { jobs, units } from "../db/schema.server";
import { DocumentBusy, renderDocument, type SignWith } from "../pdf/pool.server";
import type { CertificateData } from "../pdf/certificate.server";
import { signingFor } from "../signing/keys.server";
import { decisionById, decisionFiles } from "./recognition.server";
import { certificateData } from "./recognition-documents.server";

import { BATCH_KINDS, type BatchKind } from "~/domain/recognition";

export { BATCH_KINDS, type BatchKind };

/** Renders in flight ahead of the archive. */
const BATCH_AHEAD = 4;
/** A running job that has not beaten for this long is seen as interrupted. */
export const STALE_MS = 60_000;

export function jobsDir(): string {
  return path.resolve(process.env.JOBS_DIR || path.join(path.dirname(path.resolve(process.env.DATABASE_PATH || "data/cds4725.sqlite")), "jobs"));
}

export interface JobView {
  id: string;
  kind: BatchKind;
  status: "running" | "done" | "failed" | "interrupted";
  total: number;
  done: number;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
  size: number | null;
}

type JobRow = typeof jobs.$inferSelect;

function viewOf(j: JobRow, now = Date.now()): JobView {
  const beat = (j.heartbeatAt ?? j.createdAt).getTime();
  const status = j.status === "running" && now - beat > STALE_MS ? "interrupted" : j.status;
  let size: number | null = null;
  if (j.status === "done" && j.file) {
    try {
      size = fs.statSync(path.join(jobsDir(), j.file)).size;
    } catch {
      size = null;
    }
  }
  return { id: j.id, kind: j.kind as BatchKind, status, total: j.total, done: j.done, error: j.error, createdAt: j.createdAt.getTime(), finishedAt: j.finishedAt ? j.finishedAt.getTime() : null, size };
}

/** The latest job of each kind for a decision. */
export function jobsOfDecision(decisionId: number, db: Db = getDb()): Partial<Record<BatchKind, JobView>> {
  const out: Partial<Record<BatchKind, JobView>> = {};
  for (const j of db.select().from(jobs).where(eq(jobs.decisionId, decisionId)).orderBy(desc(jobs.createdAt)).all()) {
    const k = j.kind as BatchKind;
    if (!out[k]) out[k] = viewOf(j);
  }
  return out;
}

export function jobById(id: string, db: Db = getDb()): (JobView & { decisionId: number | null; file: string | null }) | null {
  const j = db.select().from(jobs).where(eq(jobs.id, id)).get();
  return j ? { ...viewOf(j), decisionId: j.decisionId, file: j.file } : null;
}

/** "99000001-truong-tieu-hoc-nguyen-du.pdf": the school's code and its name without marks. */
export function certificateFileName(d: Pick<CertificateData, "schoolCode" | "school">): string {
  const slug = d.school
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
  return `${d.schoolCode.replace(/[^A-Za-z0-9_-]/g, "")}-${slug}.pdf`;
}

/** The valid certificates of a decision, in the annex's order. */
function validCertificateIds(decisionId: number, db: Db): number[] {
  return decisionFiles(decisionId, db)
    .filter((f) => f.certificate && f.certificate.revokedAt == null)
    .map((f) => f.certificate!.id);
}

/**
 * Starts (or restarts) a batch for an issued decision; returns the job id at once, the work runs
 * in the background of this process. `done` resolves when it has finished (tests, the benchmark).
 */
export function startBatch(decisionId: number, kind: BatchKind, userId: number, db: Db = getDb()): { id: string; done: Promise<void> } | null {
  const d = decisionById(decisionId, db);
  if (!d || d.status !== "issued") return null;
  const ids = validCertificateIds(decisionId, db);
  const id = randomBytes(12).toString("base64url");
  const now = Date.now();
  db.insert(jobs).values({ id, kind, userId, decisionId, status: "running", total: ids.length, done: 0, createdAt: new Date(now), heartbeatAt: new Date(now) }).run();
  const unit = db.select({ id: units.id, code: units.code, name: units.name }).from(units).where(eq(units.id, d.issuingUnitId)).get()!;
  const done = run(id, decisionId, kind, ids, unit, db).catch((e: unknown) => {
    console.error("certificate batch", id, e);
    db.update(jobs).set({ status: "failed", error: e instanceof Error ? e.message : String(e), finishedAt: new Date() }).where(eq(jobs.id, id)).run();
  });
  return { id, done };
}

/**
 * A certificate drawn in the PDF workers; when their queue is full (other people's documents) the
 * batch waits and tries again instead of failing: it is background work, the pages come first.
 */
async function renderPatiently(render: () => Promise<Buffer>): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await render();
    } catch (e) {
      if (!(e instanceof DocumentBusy) || attempt >= BUSY_RETRIES) throw e;
      await new Promise((r) => setTimeout(r, BUSY_WAIT_MS));
    }
  }
}
const BUSY_RETRIES = 600;
const BUSY_WAIT_MS = 250;

async function run(id: string, decisionId: number, kind: BatchKind, ids: number[], unit: { id: number; code: string; name: string }, db: Db): Promise<void> {
  fs.mkdirSync(jobsDir(), { recursive: true });
  const file = `${id}.${kind === "certificates-zip" ? "zip" : "pdf"}`;
  const target = path.join(jobsDir(), file);
  const signing = signingFor(unit, Date.now(), "Cấp giấy công nhận mức độ chuyển đổi số");
  const dataOf = (certId: number): CertificateData => {
    const data = certificateData(certId, db);
    if (!data) throw new Error(`certificate ${certId} not found`);
    return signing ? { ...data, signature: signing.request } : data;
  };
  const progress = (n: number) => db.update(jobs).set({ done: n, heartbeatAt: new Date() }).where(eq(jobs.id, id)).run();

  if (kind === "certificates-book") {
    // One document for printing, unsigned: the signed originals are the single certificates.
    const list = ids.map((c) => ({ ...dataOf(c), signature: undefined }));
    const pdf = await renderPatiently(() => renderDocument("certificate-book", list));
    await fs.promises.writeFile(target, pdf);
    progress(ids.length);
  } else {
    const out = fs.createWriteStream(target);
    const archive = archiver("zip", { zlib: { level: 6 } });
    // A write or archive error fails the job (through `closed` and the awaited entries), never the process.
    const failed = new Promise<never>((_, reject) => {
      archive.on("error", reject);
      out.on("error", reject);
    });
    failed.catch(() => {});
    const closed = Promise.race([once(out, "close"), failed]);
    archive.pipe(out);
    const sign: SignWith | undefined = signing?.sign;
    const names = new Set<string>();
    // A window of renders ahead of the archive; each PDF is appended, then released.
    const pending: Promise<{ name: string; pdf: Buffer }>[] = [];
    const start = (certId: number) => {
      const data = dataOf(certId);
      let name = certificateFileName(data);
      for (let i = 2; names.has(name); i++) name = certificateFileName(data).replace(/\.pdf$/, `-${i}.pdf`);
      names.add(name);
      const p = renderPatiently(() => renderDocument("certificate", data, sign)).then((pdf) => ({ name, pdf }));
      // Awaited in order below; if an earlier one fails, the ones behind it must not reject unheard (that ends the process).
      p.catch(() => {});
      return p;
    };
    let next = 0;
    while (next < ids.length && pending.length < BATCH_AHEAD) pending.push(start(ids[next++]!));
    for (let n = 1; pending.length; n++) {
      const { name, pdf } = await pending.shift()!;
      archive.append(pdf, { name });
      // Wait until the archive has taken the entry in, so at most BATCH_AHEAD documents are held.
      await Promise.race([once(archive, "entry"), failed]);
      if (next < ids.length) pending.push(start(ids[next++]!));
      if (n % 10 === 0 || n === ids.length) progress(n);
    }
    await archive.finalize();
    await closed;
  }
  db.update(jobs).set({ status: "done", file, done: ids.length, finishedAt: new Date(), heartbeatAt: new Date() }).where(eq(jobs.id, id)).run();
  // The earlier files of this decision and kind are replaced by this one (their rows stay, without a file).
  for (const j of db.select().from(jobs).where(and(eq(jobs.kind, kind), eq(jobs.decisionId, decisionId))).all()) {
    if (j.id === id || !j.file) continue;
    fs.rmSync(path.join(jobsDir(), j.file), { force: true });
    db.update(jobs).set({ file: null }).where(eq(jobs.id, j.id)).run();
  }
}
