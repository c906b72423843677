/**
 * The province report (báo cáo tổng hợp kết quả đánh giá mức độ chuyển đổi số của cơ sở giáo dục)
 * as a PDF, in the state format of Nghị định 30/2020/NĐ-CP (./nd30.server.ts): the scope's unit as
 * the issuing body with the number left blank ("Số:      /BC-SGDĐT"), place and date, the national
 * heading; I. the progress of the year (files per state against the deadlines); II. the results
 * (the distribution sentences of seed 004, per group, tables per sub-unit and per school type, per
 * indicator with the weakest and the bands of 1.3, per item "x/N trường đạt (y%)" and the split by
 * option of choice items); III. the comparison with the earlier school years; IV. proposals; the
 * signature and "Nơi nhận".
 *
 * Charts are vector drawings (pdfkit paths) with their labels as text in the embedded font, each
 * one after the table or sentence that holds the same figures, so the text layer stays searchable
 * and every figure is readable without the chart.
 *
 * Pure presentation: takes ProvinceReportData (plain JSON: the Dashboard of rollups.server plus
 * the heading), reads no database. Every count and share is the dashboard's (shares apportioned
 * or rounded there, app/domain/stats); nothing is recomputed here except the chart geometry.
 */
import { pick } from "~/i18n";
import { provinceReport } from "~/i18n/province-report";
import { STATE_LABELS, STATES } from "~/domain/assessment-states";
import { distributionSentence, formatHundredthsVi, formatTenths, metSentence, shareTenths, type Dashboard, type Distribution, type Tenths } from "~/domain/stats";
import { formatLocalDate } from "~/utils/time";
import { abbreviateUnit, asciiFileNamePart, BODY, clean, HEAD_LEFT_W, INDENT, LEFT, Nd30Document, ndDateParts, toBuffer, upper, WIDTH } from "./nd30.server";
import { cell, drawTable, run, type Column, type Row } from "./table.server";

// ───────────────────────────── data ─────────────────────────────

export interface ProvinceReportData {
  /** The scope's unit (the issuing body), as named in the tree. */
  unit: string;
  /** The body above it in the heading ("Ủy ban nhân dân tỉnh …", "" when none). */
  issuer: string;
  /** The office's abbreviation in the number ("SGDĐT"). */
  numberAbbr: string;
  place: string;
  /** The report's date (epoch ms, noon local: the data stays the same all day). */
  date: number;
  signerTitle: string;
  signerName: string | null;
  /** The body the report goes to (the first line of "Nơi nhận"), "" when none. */
  reportTo: string;
  dashboard: Dashboard;
}

const t = () => pick(provinceReport);

/** "dd/mm/yyyy" of a date (epoch ms) in Hà Nội. */
function slashDate(ms: number): string {
  const { day, month, year } = ndDateParts(ms);
  return `${day}/${month.padStart(2, "0")}/${year}`;
}

const LEVEL_FILL = ["#bdd7ee", "#5b9bd5", "#1f4e79"];
const LEVEL_TEXT = ["black", "white", "white"];
const BAR_FILL = "#5b9bd5";
const AXIS = "#404040";
const GRID = "#bfbfbf";

const pointsText = (h: number | null) => (h == null ? "—" : formatHundredthsVi(h));

class ProvinceReportWriter extends Nd30Document {
  readonly t = t();
  private chartNo = 0;

  constructor(private readonly data: ProvinceReportData) {
    super({ title: t().docTitle(data.unit, data.dashboard.filter.schoolYear), author: data.unit, subject: t().subject, keywords: t().keywords });
  }

  private get d(): Dashboard {
    return this.data.dashboard;
  }

  private para(s: string, font: "R" | "B" | "I" = "R", opts: PDFKit.Mixins.TextOptions = {}): void {
    this.text(s, font, BODY, { align: "justify", indent: INDENT, paragraphGap: 4, ...opts });
  }

  private sub(s: string): void {
    this.sectionHeading(s);
  }

  // ─── charts (vector) ───

  private caption(s: string): void {
    this.text(s, "I", 11, { align: "center" });
    this.gap(4);
  }

  /** A nice axis step for a maximum (1, 2, 5 × 10^k), about five ticks. */
  private static step(max: number): number {
    if (max <= 5) return 1;
    const raw = max / 5;
    const p = 10 ** Math.floor(Math.log10(raw));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  /** Vertical bars of counts (Biểu đồ 1: files per level) with the y axis "Số trường". */
  private barChart(title: string, bars: { label: string; value: number; fill: string }[], axisLabel: string): void {
    const doc = this.doc;
    const plotH = 130;
    const total = 22 + plotH + 40;
    this.ensureSpace(total + 20);
    this.chartNo++;
    const top = this.doc.y + 4;
    const axisW = 44;
    const x0 = LEFT + WIDTH * 0.18 + axisW;
    const plotW = WIDTH * 0.64 - axisW;
    const yTop = top + 22;
    const yBase = yTop + plotH;
    const max = Math.max(1, ...bars.map((b) => b.value));
    const step = ProvinceReportWriter.step(max);
    const axisMax = Math.ceil(max / step) * step;

    this.use("R", 9);
    doc.fillColor("black").text(axisLabel, x0 - axisW, top + 4, { width: axisW + 40, lineBreak: false });
    for (let v = 0; v <= axisMax; v += step) {
      const y = yBase - (v / axisMax) * plotH;
      doc.save().lineWidth(0.4).strokeColor(v === 0 ? AXIS : GRID).moveTo(x0, y).lineTo(x0 + plotW, y).stroke().restore();
      doc.fillColor("black").text(String(v), x0 - axisW, y - 4, { width: axisW - 4, align: "right", lineBreak: false });
    }
    doc.save().lineWidth(0.6).strokeColor(AXIS).moveTo(x0, yTop - 4).lineTo(x0, yBase).stroke().restore();
    const slot = plotW / bars.length;
    const bw = Math.min(60, slot * 0.55);
    bars.forEach((b, i) => {
      const h = (b.value / axisMax) * plotH;
      const bx = x0 + slot * i + (slot - bw) / 2;
      if (h > 0) doc.save().rect(bx, yBase - h, bw, h).fill(b.fill).restore();
      this.use("B", 10);
      doc.fillColor("black").text(String(b.value), bx - 10, yBase - h - 13, { width: bw + 20, align: "center", lineBreak: false });
      this.use("R", 10);
      doc.text(clean(b.label), x0 + slot * i, yBase + 4, { width: slot, align: "center", lineBreak: false });
    });
    this.y = yBase + 20;
    this.caption(title);
  }

  /** Horizontal 100% stacked bars of distributions (Biểu đồ 2, 4) with the legend of levels. */
  private stackedChart(title: string, rows: { label: string; dist: Distribution }[]): void {
    const doc = this.doc;
    const shown = rows.filter((r) => r.dist.total > 0);
    if (!shown.length) return;
    const labelW = 150;
    const x0 = LEFT + labelW + 6;
    const plotW = WIDTH - labelW - 16;
    const rowH = 24;
    const legendH = 18;
    const height = legendH + shown.length * rowH + 18;
    this.ensureSpace(Math.min(height, 500) + 24);
    this.chartNo++;
    let y = this.doc.y + 4;

    // Legend.
    this.use("R", 9);
    let lx = x0;
    for (let l = 0; l < 3; l++) {
      doc.save().rect(lx, y + 1, 10, 8).fill(LEVEL_FILL[l]).restore();
      const s = this.t.chart.level(l + 1);
      doc.fillColor("black").text(s, lx + 13, y, { lineBreak: false });
      lx += 13 + doc.widthOfString(s) + 18;
    }
    y += legendH;

    for (const r of shown) {
      if (y + rowH + 18 > this.doc.page.height - this.doc.page.margins.bottom) {
        this.doc.addPage();
        y = this.doc.page.margins.top;
      }
      this.use("R", 9);
      const label = clean(abbreviateUnit(r.label));
      const lh = doc.heightOfString(label, { width: labelW, lineGap: 0 });
      doc.fillColor("black").text(label, LEFT, y + Math.max(0, (rowH - 6 - lh) / 2), { width: labelW, align: "right", lineGap: 0, height: rowH, ellipsis: true });
      let sx = x0;
      r.dist.shares.forEach((s, l) => {
        const w = (s / 1000) * plotW;
        if (w <= 0) return;
        doc.save().rect(sx, y + 2, w, rowH - 8).fill(LEVEL_FILL[l]).restore();
        const txt = formatTenths(s);
        this.use("R", 8);
        if (doc.widthOfString(txt) + 4 <= w) doc.fillColor(LEVEL_TEXT[l]).text(txt, sx, y + 2 + (rowH - 8 - 8) / 2, { width: w, align: "center", lineBreak: false });
        sx += w;
      });
      doc.fillColor("black");
      y += rowH;
    }
    // The axis: 0 … 100%.
    this.use("R", 8);
    doc.save().lineWidth(0.5).strokeColor(AXIS).moveTo(x0, y).lineTo(x0 + plotW, y).stroke().restore();
    for (let v = 0; v <= 100; v += 25) {
      const x = x0 + (v / 100) * plotW;
      doc.save().lineWidth(0.5).strokeColor(AXIS).moveTo(x, y).lineTo(x, y + 3).stroke().restore();
      doc.fillColor("black").text(`${v}%`, x - 15, y + 4, { width: 30, align: "center", lineBreak: false });
    }
    this.y = y + 18;
    this.caption(title);
  }

  /** Horizontal bars of shares (Biểu đồ 3: indicator averages, 0–100%). */
  private shareChart(title: string, rows: { label: string; share: Tenths; weak: boolean }[]): void {
    const doc = this.doc;
    if (!rows.length) return;
    const labelW = 40;
    const x0 = LEFT + labelW + 6;
    const plotW = WIDTH - labelW - 50;
    const rowH = 15;
    const height = rows.length * rowH + 34;
    this.ensureSpace(height + 24);
    this.chartNo++;
    let y = this.doc.y + 4;
    const yStart = y;
    for (let v = 0; v <= 100; v += 20) {
      const x = x0 + (v / 100) * plotW;
      doc.save().lineWidth(0.3).strokeColor(GRID).moveTo(x, yStart).lineTo(x, yStart + rows.length * rowH).stroke().restore();
    }
    for (const r of rows) {
      this.use("R", 9);
      doc.fillColor("black").text(clean(r.label), LEFT, y + 3, { width: labelW, align: "right", lineBreak: false });
      const w = (Math.max(0, Math.min(1000, r.share)) / 1000) * plotW;
      if (w > 0) doc.save().rect(x0, y + 2, w, rowH - 4).fill(r.weak ? LEVEL_FILL[2] : BAR_FILL).restore();
      this.use(r.weak ? "B" : "R", 9);
      doc.fillColor("black").text(formatTenths(r.share), x0 + w + 3, y + 3, { lineBreak: false });
      y += rowH;
    }
    this.use("R", 8);
    doc.save().lineWidth(0.5).strokeColor(AXIS).moveTo(x0, y).lineTo(x0 + plotW, y).stroke().moveTo(x0, yStart).lineTo(x0, y).stroke().restore();
    for (let v = 0; v <= 100; v += 20) {
      const x = x0 + (v / 100) * plotW;
      doc.fillColor("black").text(`${v}%`, x - 15, y + 3, { width: 30, align: "center", lineBreak: false });
    }
    this.use("R", 9);
    doc.text(this.t.chart.share, x0, y + 14, { width: plotW, align: "center", lineBreak: false });
    this.y = y + 30;
    this.caption(title);
  }

  // ─── tables ───

  private distTable(
    nameHeader: string,
    rows: { name: string; files: number; dist: Distribution; avg: number | null }[],
    total?: { files: number; dist: Distribution; avg: number | null },
    keepTogether = false,
  ): void {
    const c = this.t.distCols;
    const size = 10;
    const columns: Column[] = [
      { width: 0, align: "left" },
      { width: 42, align: "center" },
      { width: 46, align: "center" },
      { width: 62, align: "center" },
      { width: 62, align: "center" },
      { width: 62, align: "center" },
      { width: 46, align: "center" },
    ];
    columns[0].width = WIDTH - columns.reduce((a, col) => a + col.width, 0);
    const header = [nameHeader, c.files, c.counted, c.l1, c.l2, c.l3, c.avg].map((h) => cell(run(h, "B", size), { align: "center" }));
    const line = (name: string, r: { files: number; dist: Distribution; avg: number | null }, font: "R" | "B"): Row => ({
      cells: [
        cell(run(name, font, size)),
        cell(run(String(r.files), font, size)),
        cell(run(String(r.dist.total), font, size)),
        ...[0, 1, 2].map((l) => cell(run(r.dist.total ? `${r.dist.counts[l]} (${formatTenths(r.dist.shares[l])})` : "—", font, size))),
        cell(run(pointsText(r.avg), font, size)),
      ],
    });
    const body = rows.map((r) => line(abbreviateUnit(r.name), r, "R"));
    if (total) body.push(line(this.t.total, total, "B"));
    if (keepTogether) body.forEach((r, i) => (r.keepWithNext = i < body.length - 1));
    drawTable(this, columns, header, body, size);
    this.gap(8);
  }

  // ─── sections ───

  private progress(): void {
    const d = this.d;
    const t = this.t;
    this.sectionHeading(t.s1);
    if (!d.progress.cycles.length) this.para(t.noCycle);
    for (const c of d.progress.cycles) this.para(t.cycle(c.unitName, formatLocalDate(c.selfAssessmentDeadline), formatLocalDate(c.reviewDeadline), c.status === "closed"));
    this.para(t.totalFiles(d.progress.total));
    const size = 11;
    const columns: Column[] = [
      { width: 0, align: "left" },
      { width: 90, align: "center" },
      { width: 90, align: "center" },
    ];
    columns[0].width = WIDTH - 180;
    const c = t.stateCols;
    const header = [c.state, c.count, c.share].map((h) => cell(run(h, "B", size), { align: "center" }));
    const rows: Row[] = STATES.map((s) => ({
      cells: [cell(run(STATE_LABELS[s].vi, "R", size)), cell(run(String(d.progress.byState[s]), "R", size)), cell(run(formatTenths(shareTenths(d.progress.byState[s], d.progress.total)), "R", size))],
    }));
    rows.push({ cells: [cell(run(t.stateTotal, "B", size)), cell(run(String(d.progress.total), "B", size)), cell(run(d.progress.total ? formatTenths(1000) : "—", "B", size))] });
    drawTable(this, columns, header, rows, size);
    this.gap(6);
    this.para(t.overdue(d.progress.overdueSubmission, d.progress.overdueReview));
  }

  private results(): void {
    const d = this.d;
    const t = this.t;
    const basis = d.filter.basis;
    const dist = d.levels[basis];
    this.sectionHeading(t.s2);

    // 1. The institution level: the sentence, then the chart of the same counts.
    this.sub(t.s2_1);
    this.para(`${t.levelLead(t.basisName[basis])} ${distributionSentence(dist)}`);
    const others = (["recognised", "external", "self"] as const).filter((b) => b !== basis);
    this.para(t.otherBases);
    for (const b of others) this.para(t.basisLine(t.basisName[b], distributionSentence(d.levels[b])));
    if (dist.total > 0)
      this.barChart(
        t.chart.levels,
        [0, 1, 2].map((l) => ({ label: t.chart.level(l + 1), value: dist.counts[l], fill: LEVEL_FILL[l] })),
        t.chart.schools,
      );

    // 2. Groups.
    this.sub(t.s2_2);
    for (const g of d.groups) this.para(t.groupLine(g.code, g.title, distributionSentence(g.dist), g.avgPoints == null ? null : formatHundredthsVi(g.avgPoints)));

    // 3. Sub-units: the table, then the stacked bars.
    this.sub(t.s2_3);
    const all = { files: d.progress.total, dist, avg: this.overallAvg() };
    this.distTable(
      t.distCols.name,
      d.subUnits.map((s) => ({ name: s.name, files: s.files, dist: s.dist, avg: s.avgPoints })),
      d.filter.type ? undefined : all,
    );
    this.stackedChart(
      t.chart.subUnits,
      d.subUnits.map((s) => ({ label: s.name, dist: s.dist })),
    );

    // 4. School types (at most seven rows: kept on one page with their heading).
    this.keepBlock(d.types.length);
    this.sub(t.s2_4);
    this.distTable(
      t.distCols.type,
      d.types.map((r) => ({ name: r.type, files: r.files, dist: r.dist, avg: r.avgPoints })),
      undefined,
      true,
    );

    // 5. Indicators: the table, the weakest, the bands of 1.3, the chart.
    this.sub(t.s2_5);
    this.indicatorTable();
    const byCode = new Map(d.indicators.map((i) => [i.code, i]));
    const weak = d.weakest.map((code) => byCode.get(code)).filter((i) => i && i.avgShare != null);
    if (weak.length) this.para(t.weakest(weak.map((i) => t.weakPart(i!.code, i!.title, formatTenths(i!.avgShare!)))));
    for (const i of d.indicators)
      if (i.bands?.length && i.n > 0) this.para(t.bands(i.code, i.title, i.bands.map((b) => t.bandPart(b.name, b.count, formatTenths(b.share)))));
    const weakSet = new Set(d.weakest);
    this.shareChart(
      t.chart.indicators,
      d.indicators.filter((i) => i.avgShare != null).map((i) => ({ label: i.code, share: i.avgShare!, weak: weakSet.has(i.code) })),
    );

    // 6. Items.
    this.sub(t.s2_6);
    this.itemTable();
  }

  private overallAvg(): number | null {
    // The institution average over every sub-unit (weighted by the files counted there).
    let n = 0;
    let sum = 0;
    for (const s of this.d.subUnits)
      if (s.avgPoints != null && s.dist.total) {
        n += s.dist.total;
        sum += s.avgPoints * s.dist.total;
      }
    const last = this.d.years.at(-1);
    if (last && last.schoolYear === this.d.filter.schoolYear) return last.avgPoints;
    return n ? Math.round(sum / n) : null;
  }

  private indicatorTable(): void {
    const t = this.t;
    const size = 10;
    const columns: Column[] = [
      { width: 36, align: "center" },
      { width: 0, align: "left" },
      { width: 90, align: "center" },
      { width: 74, align: "center" },
    ];
    columns[1].width = WIDTH - columns.reduce((a, col) => a + col.width, 0);
    const c = t.indCols;
    const header = [c.code, c.title, c.avg, c.share].map((h) => cell(run(h, "B", size), { align: "center" }));
    const rows: Row[] = this.d.indicators.map((i) => {
      const scored = i.max > 0;
      const avg = scored ? (i.avgPoints == null ? "—" : `${formatHundredthsVi(i.avgPoints)} / ${formatHundredthsVi(i.max)}`) : t.mandatoryMet(i.met ?? 0, i.n);
      const share = scored ? (i.avgShare == null ? "—" : formatTenths(i.avgShare)) : formatTenths(shareTenths(i.met ?? 0, i.n));
      return { cells: [cell(run(i.code, "R", size)), cell(run(i.title, "R", size)), cell(run(avg, "R", size)), cell(run(share, "R", size))] };
    });
    drawTable(this, columns, header, rows, size);
    this.gap(8);
  }

  private itemTable(): void {
    const t = this.t;
    const size = 10;
    const columns: Column[] = [
      { width: 40, align: "center" },
      { width: 0, align: "left" },
      { width: 150, align: "left" },
    ];
    columns[1].width = WIDTH - columns.reduce((a, col) => a + col.width, 0);
    const c = t.itemCols;
    const header = [c.code, c.title, c.result].map((h) => cell(run(h, "B", size), { align: "center" }));
    const rows: Row[] = this.d.items.map((it) => {
      const result = it.n === 0 ? [run(t.noResults, "I", size)] : [run(metSentence(it.met, it.n), "R", size)];
      if (it.options && it.n > 0) for (const o of it.options) result.push(run(`- ${t.optionPart(o.label, o.count, formatTenths(o.share))}`, "R", size - 1));
      return { cells: [cell(run(it.code, "R", size)), cell(run(it.title, "R", size)), cell(result)] };
    });
    drawTable(this, columns, header, rows, size);
    this.gap(6);
  }

  private comparison(): void {
    const d = this.d;
    const t = this.t;
    const years = d.years;
    this.keepBlock(years.length + 2);
    this.sectionHeading(t.s3);
    const size = 10;
    const c = t.yearCols;
    const columns: Column[] = [
      { width: 80, align: "center" },
      { width: 0, align: "center" },
      { width: 72, align: "center" },
      { width: 72, align: "center" },
      { width: 72, align: "center" },
      { width: 56, align: "center" },
    ];
    columns[1].width = WIDTH - columns.reduce((a, col) => a + col.width, 0);
    const header = [c.year, c.counted, c.l1, c.l2, c.l3, c.avg].map((h) => cell(run(h, "B", size), { align: "center" }));
    const rows: Row[] = years.map((y, i) => ({
      keepWithNext: i < years.length - 1,
      cells: [
        cell(run(y.schoolYear, "R", size)),
        cell(run(String(y.dist.total), "R", size)),
        ...[0, 1, 2].map((l) => cell(run(y.dist.total ? `${y.dist.counts[l]} (${formatTenths(y.dist.shares[l])})` : "—", "R", size))),
        cell(run(pointsText(y.avgPoints), "R", size)),
      ],
    }));
    if (rows.length) {
      drawTable(this, columns, header, rows, size);
      this.gap(6);
    }
    const now = years.find((y) => y.schoolYear === d.filter.schoolYear);
    const prev = [...years].reverse().find((y) => y.schoolYear < d.filter.schoolYear && y.dist.total > 0);
    if (!now || !prev) {
      this.para(t.noPrevious);
      return;
    }
    const l3Now = now.dist.shares[2];
    const l3Prev = prev.dist.shares[2];
    const diff = l3Now - l3Prev;
    const delta = t.delta(formatTenths(Math.abs(diff)).replace("%", ""), diff === 0 ? null : diff > 0);
    this.para(t.compare(prev.schoolYear, formatTenths(l3Now), formatTenths(l3Prev), delta, now.avgPoints == null ? null : formatHundredthsVi(now.avgPoints), prev.avgPoints == null ? null : formatHundredthsVi(prev.avgPoints)));
    this.stackedChart(
      t.chart.years,
      years.map((y) => ({ label: y.schoolYear, dist: y.dist })),
    );
  }

  private proposals(): void {
    this.sectionHeading(this.t.s4);
    for (const p of this.t.proposals) this.para(p);
  }

  /** The unit's name in the heading (bold caps), broken before the place name when it does not fit one line. */
  private unitHeading(): string {
    const name = upper(clean(this.data.unit));
    this.use("B", 12);
    if (this.doc.widthOfString(name) <= HEAD_LEFT_W) return name;
    return name.replace(/ (TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU) /u, "\n$1 ");
  }

  /** Starts a new page unless a small block (a heading and a short table) fits on this one. */
  private keepBlock(rows: number, rowH = 18): void {
    this.ensureSpace(this.lineHeight("B", BODY) * 2 + 30 + rows * rowH);
  }

  render(): void {
    const data = this.data;
    const t = this.t;
    const d = this.d;
    this.heading({ issuer: data.issuer, body: this.unitHeading(), number: t.number(data.numberAbbr), date: data.date, place: data.place });
    this.titleBlock(t.title, t.subtitleLines(d.filter.schoolYear));
    this.para(t.intro(data.unit, d.filter.schoolYear));
    this.para(t.basisNote(t.basisName[d.filter.basis], d.filter.type ?? null, slashDate(data.date)), "I");
    this.progress();
    this.results();
    this.comparison();
    this.proposals();
    this.signature({ title: upper(clean(data.signerTitle)), note: t.signNote, name: data.signerName, recipients: t.recipients(data.reportTo) });
  }
}

/** Renders the report; drawing runs before this returns, so an error throws here. */
export function renderProvinceReport(data: ProvinceReportData): NodeJS.ReadableStream {
  const w = new ProvinceReportWriter(data);
  w.render();
  return w.finish();
}

/** The whole PDF in memory (the PDF workers, tests). */
export async function renderProvinceReportToBuffer(data: ProvinceReportData): Promise<Buffer> {
  return toBuffer(renderProvinceReport(data));
}

/** "bao-cao-tong-hop-chuyen-doi-so-2026-2027.pdf" and its UTF-8 form. */
export function provinceReportFileNames(schoolYear: string): { ascii: string; utf8: string } {
  const f = t().fileName;
  return { ascii: f.ascii(asciiFileNamePart(schoolYear)), utf8: f.utf8(asciiFileNamePart(schoolYear)).normalize("NFC") };
}
