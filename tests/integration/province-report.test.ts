/**
 * The province report (/thong-ke/bao-cao.pdf) on the demo province: the route answers a PDF of
 * at least two pages named with the school year, whose text layer (pdftotext) holds the exact
 * distribution sentence of the dashboard (distributionSentence(levels.recognised)), the unit, the
 * progress, the per-item sentences, the split of choice item 1.7.2 and of indicator 1.3's bands,
 * and the comparison with 2025-2026 (every school recognised); the charts are vector paths (no
 * image in the file) with their Vietnamese labels as text. A user of another province gets 403,
 * a bad year 400.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { units } from "~/server/db/schema.server";
import { currentSchoolYear, seedDemoData } from "~/server/demo/seed.server";
import { createUnit, createUser } from "~/server/services/org.server";
import { dashboard, scopeUnit } from "~/server/services/rollups.server";
import { distributionSentence, formatTenths, metSentence, type Dashboard } from "~/domain/stats";
import * as reportRoute from "~/routes/thong-ke.bao-cao[.]pdf";

useTestDatabase("province-report");

const has = (cmd: string, arg = "-v") => spawnSync(cmd, [arg]).error === undefined;
const hasPoppler = has("pdftotext") && has("pdfinfo");
const SKIP_REASON = "SKIPPED: pdftotext not found (apt-get install -y poppler-utils)";

const YEAR = currentSchoolYear();
const PREV = `${Number(YEAR.slice(0, 4)) - 1}-${Number(YEAR.slice(5)) - 1}`;
const SO_NAME = "Sở Giáo dục và Đào tạo tỉnh Đông Sơn";
let so = 0;

function pdftotext(pdf: Buffer): string {
  const r = spawnSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8").normalize("NFC");
}
function pages(pdf: Buffer): number {
  const r = spawnSync("pdfinfo", ["-"], { input: pdf });
  const m = /Pages:\s+(\d+)/.exec(r.stdout.toString());
  if (!m) throw new Error(`pdfinfo failed: ${r.stderr?.toString()}`);
  return Number(m[1]);
}
const flat = (s: string) => s.replace(/\s+/g, " ");
/** Without any whitespace: a line break may fall after "/" or inside a sentence. */
const tight = (s: string) => s.replace(/\s+/g, "");
/** DUMP_PROVINCE_REPORT=<dir>: the PDFs drawn are also written there, to be looked at. */
const dump = (name: string, pdf: Buffer) => {
  const dir = process.env.DUMP_PROVINCE_REPORT;
  if (dir) fs.writeFileSync(path.join(dir, name), pdf);
};

async function get(username: string, query: string): Promise<Response> {
  const br = await browserAs(username);
  return run(reportRoute.loader as never, br.get(`/thong-ke/bao-cao.pdf?${query}`));
}
async function pdfOf(res: Response): Promise<Buffer> {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/pdf");
  return Buffer.from(await res.arrayBuffer());
}
const dashOf = (year: string): Dashboard => dashboard(scopeUnit(so)!, { schoolYear: year, unitId: so, basis: "recognised" });

beforeAll(async () => {
  await seedDemoData(getDb());
  so = getDb().select({ id: units.id }).from(units).where(eq(units.code, "S99")).get()!.id;
  // Another province and its office: outside the demo's scope.
  const other = createUnit({ kind: "province", code: "S98", name: "Sở Giáo dục và Đào tạo tỉnh Bắc Sơn", parentId: null }, null);
  await createUser({ username: "so.bacson", displayName: "Quản trị Bắc Sơn", password: "mat-khau-kiem-thu-123", roles: ["office_admin", "office_reviewer"], unitId: other }, null);
}, 120_000);

describe("the data the report is drawn from (demo)", () => {
  it("has the previous year fully recognised and this year's recognised file", () => {
    const prev = dashOf(PREV);
    expect(prev.levels.recognised.total).toBe(32);
    const now = dashOf(YEAR);
    expect(now.levels.recognised.total).toBeGreaterThan(0);
    expect(now.years.map((y) => y.schoolYear)).toEqual([PREV, YEAR]);
  });
});

describe("the route", () => {
  it("refuses a user of another province (403) and a bad year (400)", async () => {
    const res = await get("so.bacson", `nam=${YEAR}&donVi=${so}`);
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Type")).not.toBe("application/pdf");
    const bad = await get("so.demo", `nam=2026&donVi=${so}`);
    expect(bad.status).toBe(400);
  });

  it("names the download with the school year", async () => {
    const res = await get("so.demo", `nam=${YEAR}&donVi=${so}&coSo=cong-nhan`);
    expect(res.status).toBe(200);
    const cd = res.headers.get("Content-Disposition")!;
    expect(cd).toContain(`filename="bao-cao-tong-hop-chuyen-doi-so-${YEAR}.pdf"`);
    expect(cd).toContain(`filename*=UTF-8''`);
    expect(res.headers.get("ETag")).toMatch(/^"[0-9a-f]{64}"$/);
    const pdf = await pdfOf(res);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe.skipIf(!hasPoppler)(`the report's text layer${hasPoppler ? "" : ` (${SKIP_REASON})`}`, () => {
  it("this year: heading, progress, the distribution sentence, items, 1.7.2, 1.3, the comparison with last year", async () => {
    const d = dashOf(YEAR);
    const pdf = await pdfOf(await get("so.demo", `nam=${YEAR}&donVi=${so}&coSo=cong-nhan`));
    dump(`bao-cao-${YEAR}.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pages(pdf)).toBeGreaterThanOrEqual(2);
    // Vector charts: no raster image anywhere in the file.
    expect(pdf.includes(Buffer.from("/Subtype /Image"))).toBe(false);
    const text = pdftotext(pdf);
    const f = flat(text);
    const ft = tight(text);

    // The heading (ND30): the people's committee above the unit, the blank number, the title.
    expect(f).toContain("UBND TỈNH ĐÔNG SƠN");
    expect(f).toContain("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐÔNG SƠN");
    expect(ft).toContain(tight("/BC-SGDĐT"));
    expect(f).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(f).toMatch(/Đông Sơn, ngày \d{2} tháng \d{1,2} năm \d{4}/);
    expect(f).toContain("BÁO CÁO");
    expect(f).toContain(`Tổng hợp kết quả đánh giá mức độ chuyển đổi số của cơ sở giáo dục năm học ${YEAR}`);
    expect(f).toContain(SO_NAME);

    // I. Progress: the total and the deadlines dd/mm/yyyy.
    expect(f).toContain("I. TÌNH HÌNH TRIỂN KHAI");
    expect(f).toContain(`Tổng số hồ sơ đánh giá: ${d.progress.total} hồ sơ.`);
    const cyc = d.progress.cycles[0];
    expect(f).toContain(cyc.selfAssessmentDeadline.split("-").reverse().join("/"));
    expect(f).toContain(`${d.progress.overdueSubmission} hồ sơ chưa gửi khi đã hết hạn tự đánh giá`);

    // II. The exact sentence of the recognised distribution.
    const sentence = distributionSentence(d.levels.recognised);
    expect(sentence).toMatch(/^Mức 1: \d+\/\d+ trường \(chiếm \d+,\d%\); Mức 2: /);
    expect(ft).toContain(tight(`Theo kết quả được công nhận: ${sentence}`));
    expect(f).toContain("chiếm");
    // The other bases too (self-assessment has more files this year).
    expect(ft).toContain(tight(distributionSentence(d.levels.self)));
    // Per group.
    for (const g of d.groups) expect(ft).toContain(tight(`Nhóm ${g.code} (${g.title}): ${distributionSentence(g.dist)}`));
    // Sub-units and types (the table's first column).
    expect(f).toContain("3. Kết quả theo đơn vị");
    expect(f).toContain("UBND xã Hoà Phú");
    expect(f).toContain("4. Kết quả theo loại hình trường");
    // Items: "x/N trường đạt (y%)".
    const item = d.items.find((i) => i.n > 0 && i.rule !== "choice")!;
    expect(ft).toContain(tight(metSentence(item.met, item.n)));
    // 1.7.2: the split by option.
    const choice = d.items.find((i) => i.code === "1.7.2")!;
    expect(choice.options!.length).toBe(3);
    for (const o of choice.options!) expect(ft).toContain(tight(`${o.label}: ${o.count} trường (${formatTenths(o.share)})`));
    // 1.3's bands.
    const i13 = d.indicators.find((i) => i.code === "1.3")!;
    expect(ft).toContain(tight(`Chỉ số 1.3 (${i13.title}) theo mức: ${i13.bands!.map((b) => `${b.name}: ${b.count} trường (chiếm ${formatTenths(b.share)})`).join("; ")}.`));
    // The weakest indicators.
    expect(f).toContain("Các chỉ số có tỉ lệ điểm trung bình thấp nhất:");

    // Chart labels are text in the embedded font.
    expect(f).toContain("Biểu đồ 1. Số cơ sở giáo dục theo mức độ chuyển đổi số");
    expect(f).toContain("Số trường");
    expect(f).toContain("Biểu đồ 3. Tỉ lệ điểm trung bình theo chỉ số (%)");

    // III. The comparison: both years in the table, the Mức 3 share of each.
    expect(f).toContain("III. SO SÁNH VỚI NĂM HỌC TRƯỚC");
    const prev = d.years.find((y) => y.schoolYear === PREV)!;
    expect(prev.dist.total).toBe(32);
    const iii = f.slice(f.indexOf("III. SO SÁNH"));
    expect(iii).toContain(PREV);
    expect(iii).toContain(`${prev.dist.counts[2]} (${formatTenths(prev.dist.shares[2])})`);
    expect(iii).toContain(`So với năm học ${PREV}, tỉ lệ cơ sở giáo dục đạt Mức 3 là ${formatTenths(d.levels.recognised.shares[2])}`);

    // IV and the signature block.
    expect(f).toContain("IV. ĐỀ XUẤT, KIẾN NGHỊ");
    expect(f).toContain("GIÁM ĐỐC");
    expect(f).toContain("Nơi nhận:");
    expect(f).toContain("- Bộ Giáo dục và Đào tạo (để báo cáo);");
  });

  it("the previous year: 32 schools in the sentence, no earlier year to compare with", async () => {
    const d = dashOf(PREV);
    const pdf = await pdfOf(await get("so.demo", `nam=${PREV}&donVi=${so}`));
    dump(`bao-cao-${PREV}.pdf`, pdf);
    expect(pages(pdf)).toBeGreaterThanOrEqual(2);
    const text = pdftotext(pdf);
    const sentence = distributionSentence(d.levels.recognised);
    expect(sentence).toContain("/32 trường (chiếm");
    expect(tight(text)).toContain(tight(sentence));
    expect(flat(text)).toContain("Chưa có số liệu của năm học trước để so sánh.");
  });
});
