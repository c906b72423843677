/**
 * Self-assessment report benchmark: npx tsx scripts/bench-report.ts [--runs 20] [--evidence 60] [--out sample.pdf]
 *
 * Builds a temporary database with one fully answered assessment, long report texts and N
 * evidence entries, then times the report RUNS times each way (data assembly included, PDF read
 * to memory) and prints min / median / p95 / max in milliseconds:
 *   in-process   drawn on this thread (what the route did before issue 12)
 *   pool         drawn in a PDF worker thread (app/server/pdf/pool.server.ts, PDF_WORKERS=1),
 *                with a worker bundle built from the current sources (scripts/build-workers.mjs)
 *   cache hit    the route's path for a document already drawn: data, key, file read from disk
 * and, for the first two, the longest the event loop was blocked meanwhile (what every other
 * request waits). --out also writes one sample PDF. Target: well under 1 s per report.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { buildPdfWorkerTemp } from "./build-workers.mjs";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const RUNS = Number(arg("runs", "20"));
const EVIDENCE = Number(arg("evidence", "60"));
const OUT = arg("out", "");

const LONG = {
  leadership: [
    "Căn cứ Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ Giáo dục và Đào tạo ban hành Bộ chỉ số đánh giá mức độ chuyển đổi số của cơ sở giáo dục phổ thông và giáo dục thường xuyên; căn cứ kế hoạch năm học và hướng dẫn của Phòng Giáo dục và Đào tạo, nhà trường đã xây dựng kế hoạch triển khai, phân công nhiệm vụ cụ thể cho từng bộ phận.",
    "1. Triển khai các văn bản chỉ đạo: Nhà trường tổ chức quán triệt đầy đủ các văn bản chỉ đạo của cấp trên tới toàn thể cán bộ, giáo viên, nhân viên thông qua các cuộc họp hội đồng sư phạm, nhóm Zalo và hệ thống quản lý văn bản điện tử.",
    "2. Ban hành các văn bản, công tác hướng dẫn, bồi dưỡng tập huấn: Ban hành Quyết định thành lập Ban chỉ đạo chuyển đổi số; Kế hoạch ứng dụng công nghệ thông tin và chuyển đổi số năm học; Quy chế tổ chức dạy học trực tuyến. Tổ chức 04 buổi tập huấn cho giáo viên về khai thác học liệu số, sử dụng hệ thống LMS và sổ điểm điện tử.",
  ].join("\n"),
  process: Array.from({ length: 6 }, (_, i) =>
    `Bước ${i + 1}: Nhóm tự đánh giá rà soát từng chỉ số, đối chiếu với minh chứng hiện có, thảo luận thống nhất điểm tự đánh giá và ghi nhận các tồn tại cần khắc phục; các tổ chuyên môn cung cấp số liệu về môn học có học liệu số, tỉ lệ giáo viên tham gia bồi dưỡng trực tuyến, số phòng học có thiết bị trình chiếu và kết nối Internet.`,
  ).join("\n"),
  results:
    "Qua tự đánh giá, nhà trường cơ bản đáp ứng các yêu cầu về chuyển đổi số trong dạy, học và trong quản trị. Các điều kiện bắt buộc đều đã được thực hiện; hệ thống quản trị nhà trường được triển khai đầy đủ các phân hệ; một số tiêu chí về phòng studio và kiểm tra đánh giá trên máy tính còn hạn chế.",
  difficulties:
    "Cơ sở vật chất, thiết bị công nghệ thông tin còn thiếu và xuống cấp; đường truyền Internet chưa ổn định vào giờ cao điểm. Một bộ phận giáo viên lớn tuổi còn hạn chế về kỹ năng số. Kinh phí dành cho chuyển đổi số còn hạn hẹp, chủ yếu dựa vào nguồn xã hội hóa.",
  directions:
    "Tiếp tục đẩy mạnh ứng dụng công nghệ thông tin trong dạy học và quản lý; phấn đấu 100% môn học có học liệu số; tổ chức kiểm tra, đánh giá định kỳ trên máy tính ở nhiều môn học hơn; xây dựng phòng studio phục vụ xây dựng học liệu số.",
  proposals:
    "Đề nghị Phòng Giáo dục và Đào tạo quan tâm đầu tư bổ sung thiết bị trình chiếu, máy tính cho phòng Tin học; tổ chức các lớp bồi dưỡng kỹ năng số cho giáo viên; hỗ trợ nhà trường kết nối dữ liệu với cơ sở dữ liệu ngành.",
};

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function summary(label: string, samples: number[], blockedMs?: number): string {
  const t = [...samples].sort((x, y) => x - y);
  const median = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  const blocked = blockedMs === undefined ? "" : ` · event loop blocked up to ${blockedMs.toFixed(1)} ms`;
  return `${label.padEnd(11)} min ${t[0].toFixed(1)} ms · median ${median.toFixed(1)} ms · p95 ${percentile(t, 95).toFixed(1)} ms · max ${t[t.length - 1].toFixed(1)} ms${blocked}`;
}

/** Runs fn RUNS + 1 times (the first, cold, reported apart); returns the times and the longest event-loop stall. */
async function timed(label: string, fn: () => Promise<Buffer>): Promise<{ times: number[]; blockedMs: number; last: Buffer }> {
  const times: number[] = [];
  let last: Buffer = Buffer.alloc(0);
  const h = monitorEventLoopDelay({ resolution: 1 });
  for (let r = 0; r < RUNS + 1; r++) {
    if (r === 1) h.enable();
    const t0 = performance.now();
    last = await fn();
    const ms = performance.now() - t0;
    // Let the loop turn (as a server's does between requests), so that a stall is recorded.
    await new Promise((resolve) => setImmediate(resolve));
    if (r > 0) times.push(ms);
    else console.log(`${label}: first run (cold: fonts, modules${label === "pool" ? ", worker start" : ""}) ${ms.toFixed(1)} ms`);
  }
  h.disable();
  return { times, blockedMs: h.max / 1e6, last };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-report-"));
  process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
  process.env.SESSION_SECRET ||= "bench-secret-not-for-production";
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  await import("../app/server/services/catalogue-seed.server");
  const { createSchool, createUnit, createUser } = await import("../app/server/services/org.server");
  const { openCycle } = await import("../app/server/services/cycles.server");
  const { assessmentsOfSchool, editionOf, getAssessment, saveAnswers, saveReportText } = await import("../app/server/services/assessments.server");
  const { evidence, evidenceLinks } = await import("../app/server/db/schema.server");
  const { buildReportData } = await import("../app/server/services/report.server");
  const { renderSelfAssessmentReportToBuffer } = await import("../app/server/pdf/self-assessment-report.server");
  const worker = await buildPdfWorkerTemp(path.resolve(path.dirname(new URL(import.meta.url).pathname), ".."), "bench");
  process.env.PDF_WORKER_PATH = worker.file;
  process.env.PDF_WORKERS = "1";
  process.env.DOCUMENT_CACHE_DIR = path.join(dir, "cache");
  const { closePdfPool, renderDocument } = await import("../app/server/pdf/pool.server");
  const { cachedDocument, documentKey } = await import("../app/server/pdf/document-cache.server");

  try {
    const db = getDb();
    const province = createUnit({ kind: "province", code: "S38", name: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa", parentId: null }, null);
    const district = createUnit({ kind: "district", code: "P3801", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
    const schoolId = createSchool(
      { code: "38101234", name: "Trường Trung học cơ sở Nguyễn Văn Trỗi", type: "THCS", managingUnitId: district, reviewingUnitId: district },
      null,
    );
    const admin = await createUser({ username: "bench.admin", displayName: "Quản trị", password: "mat-khau-bench-123", roles: ["office_admin"], unitId: district }, null);
    const head = await createUser({ username: "bench.head", displayName: "Nguyễn Thị Thuý Hồng", password: "mat-khau-bench-123", roles: ["school_head"], schoolId }, null);
    const opened = openCycle({ ownerUnitId: district, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
    if (!opened.ok) throw new Error(opened.message);
    const id = assessmentsOfSchool(schoolId)[0].id;
    const a = getAssessment(id)!;
    const edition = editionOf(a);

    // Every item answered; ratios with uneven fractions so that rounding shows.
    const changes: Record<string, { value: unknown }> = {};
    const items = edition.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
    items.forEach((it, k) => {
      if (it.rule === "mandatory") changes[it.code] = { value: true };
      else if (it.rule === "boolean") changes[it.code] = { value: k % 3 !== 0 };
      else if (it.rule === "ratio") changes[it.code] = { value: { numerator: 2 + (k % 5), denominator: 7 } };
      else changes[it.code] = { value: it.options[it.options.length - 1].id };
    });
    changes["1.3.lms"] = { value: { name: "Hệ thống LMS Sở GD&ĐT", acquisition: "thue" } };
    const saved = saveAnswers(id, { baseVersion: a.version, changes: changes as never }, head);
    if (!saved.ok) throw new Error(`saveAnswers: ${JSON.stringify(saved)}`);
    const text = saveReportText(id, LONG, head);
    if (!text.ok) throw new Error(text.message);

    // N evidence entries spread over the scored items, a few with long titles and URLs.
    const perIndicator = new Map<string, number>();
    for (let k = 0; k < EVIDENCE; k++) {
      const it = items[k % items.length];
      const ind = edition.groups.flatMap((g) => g.indicators).find((i) => i.items.some((x) => x.code === it.code))!;
      const n = (perIndicator.get(ind.code) ?? 0) + 1;
      perIndicator.set(ind.code, n);
      const isLink = k % 4 === 3;
      const title =
        k % 7 === 0
          ? `Biên bản họp Hội đồng sư phạm về việc triển khai nhiệm vụ chuyển đổi số, đánh giá kết quả thực hiện tiêu chí ${it.code} và thống nhất các giải pháp khắc phục tồn tại (lần ${n})`
          : `Minh chứng ${it.code}: kế hoạch, báo cáo số ${k + 1}`;
      const ev = db
        .insert(evidence)
        .values({
          schoolId,
          kind: isLink ? "link" : "file",
          title,
          fileName: isLink ? null : `bien-ban-${k + 1}-${it.code}.pdf`,
          url: isLink ? `https://truongnguyenvantroi.edu.vn/tai-lieu/chuyen-doi-so/2025-2026/minh-chung-${it.code}-${k + 1}?download=1` : null,
          createdBy: head,
        })
        .returning({ id: evidence.id })
        .get();
      db.insert(evidenceLinks).values({ assessmentId: id, itemCode: it.code, evidenceId: ev.id, code: `MC-${ind.code}-${String(n).padStart(2, "0")}` }).run();
    }

    const kind = "self-assessment-report" as const;
    const inProcess = await timed("in-process", () => renderSelfAssessmentReportToBuffer(buildReportData(id)!));
    const pooled = await timed("pool", () => renderDocument(kind, buildReportData(id)!));
    // Cache hit: what the route does for a document already on disk (data, JSON, key, file read).
    const now = Date.now();
    const first = await cachedDocument(kind, id, JSON.stringify(buildReportData(id, now)));
    if (first.source !== "render") throw new Error("the cache was not empty");
    const hit = await timed("cache hit", async () => {
      const json = JSON.stringify(buildReportData(id, now));
      const doc = await cachedDocument(kind, id, json, documentKey(kind, json));
      if (doc.source !== "cache") throw new Error("expected a cache hit");
      const chunks: Buffer[] = [];
      for await (const c of doc.stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    });
    // The main thread's share of a pooled report: the data and its JSON (the worker draws).
    const mainShare = await timed("data+json", async () => Buffer.from(JSON.stringify(buildReportData(id)!)));

    const bytes = inProcess.last.length;
    console.log(`report PDF: ${EVIDENCE} evidence entries, ${(bytes / 1024).toFixed(0)} KiB, ${RUNS} runs each (data assembly included)`);
    console.log(summary("in-process", inProcess.times, inProcess.blockedMs));
    console.log(summary("pool", pooled.times, pooled.blockedMs));
    console.log(summary("cache hit", hit.times));
    console.log(summary("data+json", mainShare.times) + "  (main-thread work of a pooled render)");
    if (pooled.last.length === 0 || hit.last.length !== first.pdf.length) throw new Error("pool or cache returned a different document size");
    if (OUT) {
      fs.writeFileSync(OUT, inProcess.last);
      console.log(`sample written to ${OUT}`);
    }
    await closePdfPool();
    worker.dispose();
  } finally {
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
