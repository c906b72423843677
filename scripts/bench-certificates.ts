/**
 * npm run bench:certificates — a decision's 1,500 certificates, signed, as one ZIP (issue 9,
 * "Performance"): the batch job of services/certificate-batch.server.ts (startBatch, kind
 * "certificates-zip"), run in this process as the server runs it, through the PDF pool.
 *
 * Data, built once in BENCH_DIR (default data/bench) as certificates-base.sqlite and copied for
 * each run (so runs never accumulate jobs): one Sở, 10 Phòng, BENCH_CERTIFICATES (1,500) schools
 * reviewed by the Sở, one open cycle; the files are brought to "assessed" directly in SQL (the
 * review is not what is measured) and recognised by one decision made, filled and issued through
 * the service (serials, tokens): 1,500 valid certificates. The Sở gets a self-signed certificate
 * with its Vietnamese name in a temporary SIGNING_DIR (removed afterwards); JOBS_DIR is
 * BENCH_DIR/certificates-jobs (the last ZIP is left there).
 *
 * The pool is warmed first, as the server does once it listens (warmPdfPool, and one signed
 * certificate per worker so the fonts and the PKCS#12 are loaded). Then: rss before startBatch,
 * sampled every 200 ms until the job is done (the peak growth is reported), the job's time from
 * startBatch to done. Checks: the job is "done", the ZIP has one entry per certificate
 * (unzip -Z1), and one entry passes pdfsig ("Signature is Valid.") with the Sở's name.
 * Afterwards (not timed), where a certificate's time goes: drawing, signing and zipping measured
 * apart in this thread on a sample (BENCH_PROFILE, default 30; 0 to skip).
 *
 * BENCH_TRACE=1 prints the job's progress and the rss growth every 5 s.
 * Targets: < 60 s and rss growth < 150 MB. PDF_WORKERS as the server reads it (default 1).
 * The last line: `certificates: 1500 in <seconds> s, rss +<MB> MB`. Exit 1 when a target or a
 * check is missed.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

const DIR = path.resolve(process.env.BENCH_DIR || "data/bench");
const COUNT = Number(process.env.BENCH_CERTIFICATES || 1500);
const PROFILE = Number(process.env.BENCH_PROFILE ?? 30);
const TRACE = process.env.BENCH_TRACE === "1";
const BASE = path.join(DIR, COUNT === 1500 ? "certificates-base.sqlite" : `certificates-base-${COUNT}.sqlite`);
const FILE = path.join(DIR, "certificates.sqlite");
const JOBS = path.join(DIR, "certificates-jobs");
const TARGET_S = 60;
const TARGET_MB = 150;
const MB = 1024 * 1024;
const PROVINCE_CODE = "SGD";
const PROVINCE_NAME = "Sở Giáo dục và Đào tạo tỉnh Đông Sơn";

const GIVEN = ["Nguyễn Du", "Kim Đồng", "Lê Văn Tám", "Võ Thị Sáu", "Trần Quốc Toản", "Hoà Bình", "Ánh Dương", "Hùng Vương", "Đinh Tiên Hoàng", "Âu Cơ", "Bế Văn Đàn", "Lý Tự Trọng", "Chu Văn An", "Nguyễn Trãi", "Phan Bội Châu", "Lương Thế Vinh", "Đoàn Thị Điểm", "Ngô Quyền", "Quang Trung", "Lê Quý Đôn", "Nguyễn Huệ", "Trần Phú", "Phan Chu Trinh", "Hàn Thuyên", "Tô Hiệu", "Yết Kiêu", "Đống Đa", "Bạch Đằng", "Sơn Ca", "Họa Mi"];
const COMMUNE = ["Hoà Phú", "Tân Lập", "Phú Lộc", "An Bình", "Thạnh Mỹ", "Đông Hưng", "Quảng Điền", "Vĩnh Hảo", "Ea Kar", "Mường Lát", "Bắc Sơn", "Cẩm Thuỷ"];
const TYPES = [
  ["TH", "Trường Tiểu học"],
  ["THCS", "Trường THCS"],
  ["THPT", "Trường THPT"],
] as const;

function log(s: string) {
  process.stdout.write(`${s}\n`);
}

const mb = (bytes: number) => (bytes / MB).toFixed(1);

/** The base database is usable: one issued decision with COUNT valid certificates. */
function baseReady(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new Database(file, { readonly: true });
  try {
    const d = db.prepare("SELECT count(*) AS n FROM recognition_decisions WHERE status = 'issued'").get() as { n: number };
    const c = db.prepare("SELECT count(*) AS n FROM certificates WHERE revoked_at IS NULL").get() as { n: number };
    return d.n === 1 && c.n === COUNT;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** Builds the base database (DATABASE_PATH must point at a fresh file). */
async function buildBase(): Promise<void> {
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  await import("../app/server/services/catalogue-seed.server");
  const { createSchool, createUnit, createUser } = await import("../app/server/services/org.server");
  const { openCycle } = await import("../app/server/services/cycles.server");
  const { changeDecisionFiles, createDecision, issueDecision, updateDecision } = await import("../app/server/services/recognition.server");
  const { localDateOf } = await import("../app/utils/time");
  const c = getDb().$client;
  const province = createUnit({ kind: "province", code: PROVINCE_CODE, name: PROVINCE_NAME, parentId: null }, null);
  const districts = Array.from({ length: 10 }, (_, i) => createUnit({ kind: "district", code: `PGD${i + 1}`, name: `Phòng Giáo dục và Đào tạo huyện ${COMMUNE[i]}`, parentId: province }, null));
  const admin = await createUser({ username: "so.bench", displayName: "Nguyễn Văn Ký", password: "mat-khau-bench-123", roles: ["office_admin", "office_reviewer"], unitId: province }, null);
  for (let i = 0; i < COUNT; i++) {
    const [type, prefix] = TYPES[i % TYPES.length]!;
    const name = `${prefix} ${GIVEN[i % GIVEN.length]} xã ${COMMUNE[Math.floor(i / GIVEN.length) % COMMUNE.length]}`;
    createSchool({ code: `T${String(i + 1).padStart(4, "0")}`, name, type, managingUnitId: districts[i % districts.length]!, reviewingUnitId: province }, null);
  }
  const now = Date.now();
  const year = new Date(now).getUTCFullYear();
  const schoolYear = `${year - 1}-${year}`;
  const opened = openCycle({ ownerUnitId: province, schoolYear, editionId: "qd-4725-2022", selfAssessmentDeadline: `${year}-05-31`, reviewDeadline: `${year}-06-20` }, admin);
  if (!opened.ok) throw new Error(`openCycle: ${JSON.stringify(opened)}`);
  c.prepare(
    `UPDATE assessments SET status = 'assessed', round = 1, self_level = 2, external_level = 1 + (school_id % 3),
       submitted_at = ?, approved_at = ?, external_finished_at = ?, updated_at = ?`,
  ).run(now, now, now, now);
  const files = (c.prepare("SELECT id FROM assessments ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  const d = createDecision(province, schoolYear, admin, now);
  if (!("id" in d)) throw new Error(`createDecision: ${d.message}`);
  const u = updateDecision(d.id, { number: "123/QĐ-SGDĐT", decidedOn: localDateOf(now), place: "Đông Sơn", signerName: "Nguyễn Văn Ký", signerTitle: "Giám đốc", bases: [] }, admin, 1, now);
  if (!("version" in u)) throw new Error(`updateDecision: ${u.message}`);
  const added = changeDecisionFiles(d.id, { add: files }, admin, now);
  if (!("version" in added)) throw new Error(`changeDecisionFiles: ${added.message}`);
  if (added.added !== COUNT) throw new Error(`changeDecisionFiles: ${added.added} files added, expected ${COUNT} (${added.skipped.slice(0, 3).join("; ")})`);
  const issued = issueDecision(d.id, admin, added.version, now);
  if (!("serials" in issued)) throw new Error(`issueDecision: ${issued.message}`);
  c.pragma("wal_checkpoint(TRUNCATE)");
  closeDb();
}

async function main() {
  fs.mkdirSync(DIR, { recursive: true });
  process.env.SESSION_SECRET ||= "bench-secret-not-for-production";
  process.env.PUBLIC_BASE_URL ||= "https://cds.example.vn";
  process.env.NODE_ENV ||= "production";

  if (!baseReady(BASE)) {
    const t = performance.now();
    log(`Tạo CSDL (1 Sở, ${COUNT} trường, 1 quyết định công nhận) tại ${BASE}…`);
    for (const ext of ["", "-wal", "-shm"]) fs.rmSync(BASE + ext, { force: true });
    process.env.DATABASE_PATH = BASE;
    await buildBase();
    if (!baseReady(BASE)) throw new Error(`the base database ${BASE} was built but does not hold ${COUNT} valid certificates`);
    log(`  xong trong ${((performance.now() - t) / 1000).toFixed(1)} s.`);
  }
  for (const ext of ["", "-wal", "-shm"]) fs.rmSync(FILE + ext, { force: true });
  const src = new Database(BASE, { readonly: true });
  await src.backup(FILE);
  src.close();
  process.env.DATABASE_PATH = FILE;
  fs.rmSync(JOBS, { recursive: true, force: true });
  process.env.JOBS_DIR = JOBS;
  const signingDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-certificates-signing-"));
  process.env.SIGNING_DIR = signingDir;

  // A fresh worker bundle from the current sources unless one is given.
  let disposeWorker = () => {};
  if (!process.env.PDF_WORKER_PATH) {
    const { buildPdfWorkerTemp } = (await import(path.resolve("scripts/build-workers.mjs"))) as {
      buildPdfWorkerTemp: (root?: string, label?: string) => Promise<{ file: string; dispose: () => void }>;
    };
    const built = await buildPdfWorkerTemp(process.cwd(), "bench-certificates");
    process.env.PDF_WORKER_PATH = built.file;
    disposeWorker = built.dispose;
  }
  try {
    return await run(signingDir);
  } finally {
    const { closePdfPool } = await import("../app/server/pdf/pool.server");
    await closePdfPool();
    const { closeDb } = await import("../app/server/db/client.server");
    closeDb();
    fs.rmSync(signingDir, { recursive: true, force: true });
    disposeWorker();
  }
}

async function run(signingDir: string): Promise<number> {
  const { getDb } = await import("../app/server/db/client.server");
  await import("../app/server/services/catalogue-seed.server");
  const { createSelfSignedP12 } = await import("../app/server/signing/self-signed.server");
  const { keyFilesOf, signingFor } = await import("../app/server/signing/keys.server");
  const { startBatch, jobById, jobsDir } = await import("../app/server/services/certificate-batch.server");
  const { renderDocument, warmPdfPool, pdfPoolSettings, finishDocument } = await import("../app/server/pdf/pool.server");
  const { rendererOf } = await import("../app/server/pdf/renderers.server");
  const { certificateData } = await import("../app/server/services/recognition-documents.server");
  const c = getDb().$client;

  const unit = c.prepare("SELECT id, code, name FROM units WHERE code = ?").get(PROVINCE_CODE) as { id: number; code: string; name: string };
  const admin = c.prepare("SELECT id FROM users WHERE username = 'so.bench'").get() as { id: number };
  const decision = c.prepare("SELECT id FROM recognition_decisions WHERE status = 'issued'").get() as { id: number };
  const certIds = (c.prepare("SELECT id FROM certificates WHERE revoked_at IS NULL ORDER BY id").all() as { id: number }[]).map((r) => r.id);

  // The Sở's signing certificate, with its Vietnamese name.
  const files = keyFilesOf(unit.code)!;
  const passphrase = randomBytes(18).toString("base64url");
  fs.writeFileSync(files.p12, createSelfSignedP12(unit.name, passphrase), { mode: 0o600 });
  fs.writeFileSync(files.pass, `${passphrase}\n`, { mode: 0o600 });
  const signing = signingFor(unit, Date.now(), "Cấp giấy công nhận mức độ chuyển đổi số");
  if (!signing) throw new Error(`the signing certificate in ${signingDir} cannot be used`);

  const { workers } = pdfPoolSettings();
  // Warm the pool as the server does once it listens, and draw one signed certificate per worker.
  const tWarm = performance.now();
  warmPdfPool();
  const sample = certificateData(certIds[0]!)!;
  await Promise.all(Array.from({ length: Math.max(1, workers) }, () => renderDocument("certificate", { ...sample, signature: signing.request }, signing.sign)));
  const warmMs = performance.now() - tWarm;

  // ── the measured job ──
  global.gc?.();
  const m0 = process.memoryUsage();
  const rss0 = m0.rss;
  let peak = rss0;
  // This thread's share at the rss peak (heap, Buffers/ArrayBuffers); the rest is the workers and native memory.
  let atPeak = m0;
  let ticks = 0;
  let job: ReturnType<typeof startBatch> = null;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      atPeak = m;
    }
    // BENCH_TRACE=1: every 5 s, the job's progress and the rss growth so far.
    if (TRACE && ++ticks % 25 === 0) log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${(job ? jobById(job.id)?.done : 0) ?? "?"} xong, rss +${mb(m.rss - rss0)} MB (đỉnh +${mb(peak - rss0)} MB)`);
  }, 200);
  const load0 = os.loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  job = startBatch(decision.id, "certificates-zip", admin.id);
  if (!job) throw new Error("startBatch: the decision is not issued");
  await job.done;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const load1 = os.loadavg()[0]!;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const growthMb = (peak - rss0) / MB;

  // ── checks ──
  const view = jobById(job.id);
  const problems: string[] = [];
  if (!view || view.status !== "done" || !view.file) throw new Error(`the job ended ${view?.status ?? "missing"}: ${view?.error ?? ""}`);
  const zip = path.join(jobsDir(), view.file);
  const zipSize = fs.statSync(zip).size;
  const names = execFileSync("unzip", ["-Z1", zip], { encoding: "utf8", maxBuffer: 64 * MB }).split("\n").filter(Boolean);
  if (names.length !== certIds.length) problems.push(`the ZIP has ${names.length} entries, expected ${certIds.length}`);
  const entry = names[Math.floor(names.length / 2)]!;
  const one = path.join(signingDir, "one.pdf");
  fs.writeFileSync(one, execFileSync("unzip", ["-p", zip, entry], { maxBuffer: 64 * MB }));
  let sig = "";
  try {
    sig = execFileSync("pdfsig", [one], { encoding: "utf8" });
  } catch (e) {
    sig = String((e as { stdout?: string }).stdout ?? e);
  }
  const valid = sig.includes("Signature is Valid.");
  const cn = /Signer Certificate Common Name: (.*)/.exec(sig)?.[1]?.trim() ?? "";
  if (!valid) problems.push(`pdfsig on ${entry}: ${sig.trim().split("\n").slice(-3).join(" / ")}`);
  if (cn.normalize("NFC") !== unit.name.normalize("NFC")) problems.push(`pdfsig: signer "${cn}", expected "${unit.name}"`);

  // ── where a certificate's time goes (not timed above): in this thread, on a sample ──
  let profile: { draw: number; sign: number; zip: number; pdfKb: number } | null = null;
  if (PROFILE > 0) {
    const render = rendererOf("certificate")!;
    const archiver = (await import("archiver")).default;
    const pick = certIds.slice(0, PROFILE);
    const datas = pick.map((id) => ({ ...certificateData(id)!, signature: signing.request }));
    // One of each first (module loading, the PKCS#12 opened once per thread).
    await finishDocument("certificate", await render(datas[0]!), signing.sign);
    let draw = 0;
    let signT = 0;
    const pdfs: Buffer[] = [];
    for (const d of datas) {
      let t = performance.now();
      const raw = await render(d);
      draw += performance.now() - t;
      t = performance.now();
      pdfs.push(await finishDocument("certificate", raw, signing.sign));
      signT += performance.now() - t;
    }
    const out = fs.createWriteStream(path.join(signingDir, "profile.zip"));
    const archive = archiver("zip", { zlib: { level: 6 } });
    const closed = once(out, "close");
    archive.pipe(out);
    const t = performance.now();
    for (const [i, pdf] of pdfs.entries()) {
      archive.append(pdf, { name: `${i}.pdf` });
      await once(archive, "entry");
    }
    await archive.finalize();
    await closed;
    const zipT = performance.now() - t;
    profile = { draw: draw / pick.length, sign: signT / pick.length, zip: zipT / pick.length, pdfKb: pdfs.reduce((s, p) => s + p.length, 0) / pick.length / 1024 };
  }

  log(`\nbench:certificates — ${certIds.length} giấy công nhận, ký số, một tệp ZIP (PDF_WORKERS=${workers}, ${os.cpus().length} lõi)`);
  log(`PDF_WORKERS          ${workers}`);
  log(`khởi động pool       ${(warmMs / 1000).toFixed(1)} s (không tính, như máy chủ khi mở cổng)`);
  log(`thời gian            ${seconds.toFixed(1)} s   mục tiêu < ${TARGET_S} s   ${seconds < TARGET_S ? "đạt" : "CHƯA ĐẠT"}`);
  log(`tốc độ               ${(certIds.length / seconds).toFixed(1)} giấy/s (${((seconds * 1000) / certIds.length).toFixed(1)} ms mỗi giấy)`);
  log(`rss tăng tối đa      +${growthMb.toFixed(1)} MB (trước ${mb(rss0)} MB, đỉnh ${mb(peak)} MB)   mục tiêu < ${TARGET_MB} MB   ${growthMb < TARGET_MB ? "đạt" : "CHƯA ĐẠT"}`);
  log(
    `  trong đó luồng chính  heap +${mb(atPeak.heapUsed - m0.heapUsed)} MB, Buffer/ArrayBuffer +${mb(atPeak.external - m0.external)} MB;` +
      ` còn lại (các worker, bộ nhớ gốc) +${mb(peak - rss0 - (atPeak.heapUsed - m0.heapUsed) - (atPeak.external - m0.external))} MB`,
  );
  log(`CPU của tiến trình   ${cpuSeconds.toFixed(1)} s (trung bình ${(cpuSeconds / seconds).toFixed(2)} lõi); tải máy (1 phút) ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
  log(`tệp ZIP              ${mb(zipSize)} MB, ${names.length} tệp (${(zipSize / Math.max(1, names.length) / 1024).toFixed(1)} KB mỗi giấy)`);
  log(`pdfsig (${entry})  ${valid ? "Signature is Valid." : "KHÔNG HỢP LỆ"}  người ký: ${cn || "?"}`);
  if (profile) {
    const total = profile.draw + profile.sign + profile.zip;
    log(
      `mỗi giấy (${PROFILE} mẫu, một luồng)  vẽ ${profile.draw.toFixed(1)} ms, ký ${profile.sign.toFixed(1)} ms, nén ZIP ${profile.zip.toFixed(1)} ms` +
        ` = ${total.toFixed(1)} ms; PDF ${profile.pdfKb.toFixed(1)} KB`,
    );
  }
  for (const p of problems) log(`LỖI: ${p}`);
  const failed = problems.length > 0 || seconds >= TARGET_S || growthMb >= TARGET_MB;
  log(`certificates: ${certIds.length} in ${seconds.toFixed(1)} s, rss +${growthMb.toFixed(1)} MB`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
