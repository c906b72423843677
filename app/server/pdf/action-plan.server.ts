/**
 * The school's action plan (kế hoạch cải thiện) as a PDF in the state format of Nghị định
 * 30/2020/NĐ-CP (./nd30.server.ts): the school as the issuing body (its managing unit above it),
 * "KẾ HOẠCH — Cải thiện mức độ chuyển đổi số năm học …", an opening line with the level the plan
 * starts from, the table of actions (STT, tiêu chí, nội dung, người phụ trách, thời hạn, trạng
 * thái, ghi chú) and the Hiệu trưởng's signature with "Nơi nhận".
 *
 * Pure presentation: takes ActionPlanData (plain JSON, services/action-plan.server.ts), reads no
 * database.
 */
import { pick } from "~/i18n";
import { actionPlan } from "~/i18n/action-plan";
import { formatLocalDate } from "~/utils/time";
import type { ActionKind, ActionStatus } from "~/domain/action-plan";
import { abbreviateUnit, asciiFileNamePart, BODY, clean, INDENT, Nd30Document, toBuffer, utf8FileNamePart, WIDTH } from "./nd30.server";
import { cell, drawTable, run, TABLE, type Column, type Row } from "./table.server";

// ───────────────────────────── data ─────────────────────────────

export interface PlanDocumentRow {
  no: number;
  itemCode: string | null;
  title: string;
  owner: string | null;
  dueDate: string | null;
  status: ActionStatus;
  statusLabel: string;
  notes: string | null;
  kind: ActionKind;
  carried: boolean;
  evidence: string[];
}

/** Plain JSON for the PDF renderer and the XLSX: the school, its bodies and the plan's rows. */
export interface ActionPlanData {
  assessmentId: number;
  school: { name: string; code: string };
  managingUnitName: string;
  reviewingUnitName: string;
  placeName: string;
  schoolYear: string;
  /** The level the plan starts from ("Mức 1 – …"), of the phase it is built from. */
  level: { level: number; name: string } | null;
  phase: "self" | "external";
  /** Date printed on the plan (epoch ms, noon of the local day). */
  date: number;
  headName: string | null;
  rows: PlanDocumentRow[];
}


class ActionPlanWriter extends Nd30Document {
  readonly t = pick(actionPlan);

  constructor(private readonly data: ActionPlanData) {
    const t = pick(actionPlan).pdf;
    super({ title: t.docTitle(data.school.name, data.schoolYear), author: data.school.name, subject: t.subject, keywords: t.keywords });
  }

  table(): void {
    const c = this.t.cols;
    const columns: Column[] = [
      { width: 34, align: "center" },
      { width: 44, align: "center" },
      { width: 0, align: "left" },
      { width: 66, align: "left" },
      { width: 62, align: "center" },
      { width: 54, align: "center" },
      { width: 70, align: "left" },
    ];
    columns[2].width = WIDTH - columns.reduce((a, x) => a + x.width, 0);
    const header = [c.no, c.item, c.title, c.owner, c.due, c.status, c.notes].map((h) => cell(run(h, "B"), { align: "center" }));
    const rows: Row[] = this.data.rows.map((r) => ({
      cells: [
        cell(run(String(r.no))),
        cell(run(r.itemCode ?? "")),
        cell(r.evidence.length ? [run(r.title), run(`${c.evidence}: ${r.evidence.join("; ")}`, "I", TABLE - 1)] : run(r.title)),
        cell(run(r.owner ?? "")),
        cell(run(r.dueDate ? formatLocalDate(r.dueDate) : "")),
        cell(run(r.statusLabel, r.status === "done" ? "R" : "B")),
        cell(run(r.notes ?? "", "R", TABLE - 1)),
      ],
    }));
    drawTable(this, columns, header, rows);
  }

  render(): void {
    const d = this.data;
    const p = this.t.pdf;
    this.heading({ issuer: d.managingUnitName, body: d.school.name, number: p.number, date: d.date, place: d.placeName });
    this.titleBlock(p.title, p.subtitleLines(d.schoolYear));
    this.text(p.intro(d.school.name, d.level ? p.level(d.level.level, d.level.name) : null), "R", BODY, { align: "justify", indent: INDENT, paragraphGap: 6 });
    if (d.rows.length === 0) this.text(p.none, "I", BODY, { indent: INDENT });
    else this.table();
    this.signature({
      title: p.signTitle,
      note: p.signNote,
      name: d.headName,
      recipients: [p.recipientReport(clean(abbreviateUnit(d.reviewingUnitName))), p.recipientStaff, p.recipientArchive],
    });
  }
}

export function renderActionPlan(data: ActionPlanData): NodeJS.ReadableStream {
  const w = new ActionPlanWriter(data);
  w.render();
  return w.finish();
}

/** The whole PDF in memory (the PDF workers, tests). */
export async function renderActionPlanToBuffer(data: ActionPlanData): Promise<Buffer> {
  return toBuffer(renderActionPlan(data));
}

/** "ke-hoach-cai-thien-<code>-<year>.pdf" (ASCII and UTF-8 forms). */
export function actionPlanFileNames(schoolCode: string, schoolYear: string, ext: "pdf" | "xlsx" = "pdf"): { ascii: string; utf8: string } {
  const year = schoolYear.replace(/[^0-9-]/g, "");
  return {
    ascii: `ke-hoach-cai-thien-${asciiFileNamePart(schoolCode) || "truong"}-${year}.${ext}`,
    utf8: `kế-hoạch-cải-thiện-${utf8FileNamePart(schoolCode) || "truong"}-${year}.${ext}`.normalize("NFC"),
  };
}
