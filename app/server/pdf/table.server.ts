/**
 * Tables of the official documents (./nd30.server.ts): rows measured before they are drawn and
 * never split across pages, rows marked keepWithNext kept with the next one, the header row
 * repeated on every page the table continues on, and a row taller than a page shortened with "…".
 */
import { BOTTOM, clean, LEFT, TOP, BODY, type Align, type FontKey, type Nd30Document } from "./nd30.server";

export const TABLE = 11;
export const TABLE_GAP = 1;
export const PAD_X = 4;
export const PAD_Y = 3;
export const HEADER_FILL = "#d9d9d9";

export interface Run {
  text: string;
  font: FontKey;
  size?: number;
}

export interface Cell {
  runs: Run[];
  span?: number;
  align?: Align;
}

export interface Row {
  cells: Cell[];
  fill?: string;
  /** Keep on the same page as the next row (headings of a group or an indicator). */
  keepWithNext?: boolean;
}

export interface Column {
  width: number;
  align: Align;
}

/** Text of a table cell: one paragraph (a hard line break inside a cell is set as a space). */
export const run = (text: string, font: FontKey = "R", size?: number): Run => ({ text: clean(text).replace(/\s*\n\s*/g, " "), font, size });
export const cell = (runs: Run | Run[], opts: { span?: number; align?: Align } = {}): Cell => ({ runs: Array.isArray(runs) ? runs : [runs], ...opts });

function cellWidth(columns: Column[], index: number, span: number): number {
  let w = 0;
  for (let k = index; k < index + span; k++) w += columns[k].width;
  return w;
}

function runHeight(w: Nd30Document, r: Run, width: number, size: number): number {
  if (!r.text) return 0;
  w.use(r.font, r.size ?? size);
  return w.doc.heightOfString(r.text, { width, lineGap: TABLE_GAP });
}

function cellTextHeight(w: Nd30Document, c: Cell, width: number, size: number): number {
  let h = 0;
  for (const r of c.runs) h += runHeight(w, r, width, size);
  return h;
}

/** Row height; a row taller than a page body has its longest text shortened with "…" to fit. */
function measureRow(w: Nd30Document, row: Row, columns: Column[], size: number, maxHeight: number): number {
  let h = 0;
  let col = 0;
  for (const c of row.cells) {
    const span = c.span ?? 1;
    const inner = cellWidth(columns, col, span) - 2 * PAD_X;
    let ch = cellTextHeight(w, c, inner, size);
    if (ch + 2 * PAD_Y > maxHeight) {
      shorten(w, c, inner, size, maxHeight - 2 * PAD_Y);
      ch = cellTextHeight(w, c, inner, size);
    }
    h = Math.max(h, ch);
    col += span;
  }
  return Math.ceil(h + 2 * PAD_Y);
}

function shorten(w: Nd30Document, c: Cell, width: number, size: number, max: number): void {
  const longest = c.runs.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const full = longest.text;
  let lo = 0;
  let hi = full.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    longest.text = full.slice(0, mid) + "…";
    if (cellTextHeight(w, c, width, size) <= max) lo = mid;
    else hi = mid - 1;
  }
  longest.text = full.slice(0, lo) + "…";
}

function drawRow(w: Nd30Document, row: Row, columns: Column[], y: number, h: number, size: number, vcenter: boolean): void {
  const doc = w.doc;
  let x = LEFT;
  let col = 0;
  for (const c of row.cells) {
    const span = c.span ?? 1;
    const cw = cellWidth(columns, col, span);
    doc.save().lineWidth(0.5).strokeColor("black");
    if (row.fill) doc.rect(x, y, cw, h).fillAndStroke(row.fill, "black");
    else doc.rect(x, y, cw, h).stroke();
    doc.restore();
    const inner = cw - 2 * PAD_X;
    const align = c.align ?? columns[col].align;
    let ty = y + PAD_Y;
    if (vcenter) ty += Math.max(0, (h - 2 * PAD_Y - cellTextHeight(w, c, inner, size)) / 2);
    for (const r of c.runs) {
      if (!r.text) continue;
      const rh = runHeight(w, r, inner, size);
      doc.fillColor("black").text(r.text, x + PAD_X, ty, { width: inner, align, lineGap: TABLE_GAP, height: rh + 1 });
      ty += rh;
    }
    x += cw;
    col += span;
  }
  w.y = y + h;
}

/**
 * A table that breaks cleanly across pages: rows are measured first, never split, rows marked
 * keepWithNext stay with the next row, and the header row repeats on each new page.
 */
export function drawTable(w: Nd30Document, columns: Column[], header: Cell[], rows: Row[], size = TABLE): void {
  const headerRow: Row = { cells: header, fill: HEADER_FILL };
  const bodyHeight = BOTTOM - TOP;
  const headerH = measureRow(w, headerRow, columns, size, bodyHeight / 3);
  const maxRow = bodyHeight - headerH;
  const heights = rows.map((r) => measureRow(w, r, columns, size, maxRow));

  /** Height of row i plus the rows it must stay with (when that chain fits a page). */
  const chain = (i: number): number => {
    let need = heights[i];
    let j = i;
    while (rows[j]?.keepWithNext && j + 1 < rows.length && need + heights[j + 1] <= maxRow) {
      need += heights[j + 1];
      j++;
    }
    return need;
  };

  let y = w.doc.y;
  const newPage = () => {
    w.doc.addPage();
    y = TOP;
    drawRow(w, headerRow, columns, y, headerH, size, true);
    y += headerH;
  };
  if (y + headerH + (rows.length ? chain(0) : 0) > BOTTOM) {
    w.doc.addPage();
    y = TOP;
  }
  drawRow(w, headerRow, columns, y, headerH, size, true);
  y += headerH;

  for (let i = 0; i < rows.length; i++) {
    // Keep a heading row with what follows (a chain of headings too), when the chain fits a page.
    if (y + chain(i) > BOTTOM && y > TOP + headerH + 0.5) newPage();
    else if (y + heights[i] > BOTTOM) newPage();
    drawRow(w, rows[i], columns, y, heights[i], size, false);
    y += heights[i];
  }
  w.use("R", BODY);
  w.y = y;
}

