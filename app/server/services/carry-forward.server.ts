/**
 * Carry forward (dùng lại kết quả năm trước): a school starting a new year's self-assessment copies
 * last year's answers, notes and evidence links in one action, or per indicator.
 *
 * Decisions:
 * - The previous file is the school's latest assessment of an EARLIER school year that has self
 *   answers (a value or a note).
 * - Items map by code. With another edition, the edition diff decides: an item whose rule, maximum,
 *   options, wording or ratio labels changed is "changed" and is never applied silently (listed,
 *   skipped, the school enters it); an information block (1.3.lms) whose fields changed likewise.
 *   A carried value the current edition refuses (validateAnswers) counts as changed too.
 * - Only items with no answer and no note yet in the current file are written: what the school has
 *   typed is never overwritten (the result says how many were kept).
 * - A carried answer keeps `answers.carried_from` = the previous assessment's id until someone
 *   confirms it (confirmCarried) or saves the item (the save's upsert clears it).
 * - Everything goes through the assessment door in ONE transition ("save"): the state table and
 *   the open cycle are enforced there, the version moves on, the engine's result rows are stored
 *   (`scored`), and one audit entry records {from, items, skipped}.
 * - Evidence links get fresh codes of the current file (formatEvidenceCode, numbers after the
 *   highest ever issued for the item: the evidence service's highestCodeNumbers), each with its "evidence.attach"
 *   audit entry, so numbering never reuses a code later.
 */
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { allows } from "~/domain/assessment-states";
import type { Edition, Item } from "~/domain/catalogue";
import { diffEditions, type FieldChange } from "~/domain/catalogue/diff";
import { evidenceCodeNumber } from "~/domain/evidence";
import { formatPoints, scoreAssessment, toHundredths, validateAnswers, type AnswerValue, type Answers } from "~/domain/scoring";
import { pick } from "~/i18n";
import { carryForwardUi } from "~/i18n/carry-forward";
import { getDb, type Db } from "../db/client.server";
import { answers, assessments, cycles, evidence, evidenceLinks } from "../db/schema.server";
import { writeAudit } from "./audit.server";
import { answersOf, editionOf, getAssessment, Refusal, transition, type AssessmentRecord, type Tx } from "./assessments.server";
import { formatEvidenceCode, highestCodeNumbers } from "./evidence.server";

const t = pick(carryForwardUi);

export type CarryStatus = "mapped" | "changed" | "new" | "removed";

export interface CarryItem {
  /** Item code, or an information block's key (1.3.lms). */
  code: string;
  indicatorCode: string;
  text: string;
  status: CarryStatus;
  /** "new": the item is new in the current edition (else: no previous answer). */
  added: boolean;
  /** What changed between the editions, in Vietnamese (changed items). */
  changes: string[];
  /** The current file already has an answer or a note for it (never overwritten). */
  answeredNow: boolean;
  /** Carried earlier and not confirmed yet. */
  unconfirmed: boolean;
  /** Live evidence links of the previous file for it. */
  evidence: number;
  /** A mapped item that a carry would write now. */
  toCarry: boolean;
}

export interface CarryPlan {
  assessmentId: number;
  previous: { id: number; schoolYear: string; editionId: string } | null;
  editionId: string;
  sameEdition: boolean;
  /** The file is editable (draft/returned, cycle open). */
  editable: boolean;
  items: CarryItem[];
  counts: { mapped: number; changed: number; new: number; removed: number; toCarry: number; unconfirmed: number };
  /** Indicators of the current edition with something to carry, in catalogue order. */
  indicators: { code: string; title: string; toCarry: number }[];
}

export interface CarryResult {
  from: { id: number; schoolYear: string };
  /** Codes written (carried_from set). */
  items: string[];
  /** Evidence links copied. */
  links: { itemCode: string; code: string }[];
  /** Codes not written: already answered now (kept), or changed between the editions. */
  skipped: { kept: string[]; changed: string[] };
  version: number;
}

export type CarryOutcome =
  | { ok: true; result: CarryResult }
  | { ok: false; kind: "not-found" | "no-previous" | "bad-indicator" | "locked" | "stale"; message: string };

export type ConfirmOutcome = { ok: true; confirmed: string[]; version: number } | { ok: false; kind: "not-found" | "locked" | "stale"; message: string };

/** The material fields of an item: a change in any of them means the old answer may not fit. */
const MATERIAL = new Set(["rule", "max", "options", "text", "numeratorLabel", "denominatorLabel"]);

/** The school's latest earlier-year assessment with self answers. */
export function previousAssessment(a: Pick<AssessmentRecord, "id" | "schoolId" | "schoolYear">, db: Db | Tx = getDb()): { id: number; schoolYear: string; editionId: string } | null {
  const row = db
    .select({ id: assessments.id, schoolYear: cycles.schoolYear, editionId: cycles.editionId })
    .from(assessments)
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(
      and(
        eq(assessments.schoolId, a.schoolId),
        lt(cycles.schoolYear, a.schoolYear),
        sql`exists (select 1 from ${answers} where ${answers.assessmentId} = ${assessments.id} and ${answers.phase} = 'self' and (${answers.value} is not null or ${answers.note} is not null))`,
      ),
    )
    .orderBy(desc(cycles.schoolYear), desc(assessments.id))
    .limit(1)
    .get();
  return row ?? null;
}

function fmtMax(v: unknown): string {
  return typeof v === "number" ? formatPoints(toHundredths(v)) : t.none;
}

function fmtOptions(v: unknown): string {
  if (!Array.isArray(v) || !v.length) return t.none;
  return v.map((o: { label?: string; points?: number }) => `${o.label ?? ""} (${fmtMax(o.points)})`).join("; ");
}

/** A diff's field changes of one item, in Vietnamese (only the material ones). */
export function describeChanges(changes: FieldChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (!MATERIAL.has(c.field)) continue;
    switch (c.field) {
      case "rule":
        out.push(t.change.rule(t.rules[String(c.old)] ?? String(c.old), t.rules[String(c.new)] ?? String(c.new)));
        break;
      case "max":
        out.push(t.change.max(fmtMax(c.old), fmtMax(c.new)));
        break;
      case "text":
        out.push(t.change.text(String(c.new ?? "")));
        break;
      case "options":
        out.push(t.change.options(fmtOptions(c.old), fmtOptions(c.new)));
        break;
      case "numeratorLabel":
        out.push(t.change.numeratorLabel(String(c.old ?? t.none), String(c.new ?? t.none)));
        break;
      case "denominatorLabel":
        out.push(t.change.denominatorLabel(String(c.old ?? t.none), String(c.new ?? t.none)));
        break;
    }
  }
  return out;
}

interface Entry {
  code: string;
  indicatorCode: string;
  indicatorTitle: string;
  text: string;
  info: boolean;
}

function entriesOf(e: Edition): Entry[] {
  const out: Entry[] = [];
  for (const g of e.groups)
    for (const ind of g.indicators) {
      for (const it of ind.items as Item[]) out.push({ code: it.code, indicatorCode: ind.code, indicatorTitle: ind.title, text: it.text, info: false });
      for (const info of ind.info ?? []) out.push({ code: info.key, indicatorCode: ind.code, indicatorTitle: ind.title, text: info.title, info: true });
    }
  return out;
}

/** The live evidence links of an assessment: item code → links in code order. */
function liveLinks(db: Db | Tx, assessmentId: number): Map<string, { evidenceId: number; code: string }[]> {
  const rows = db
    .select({ itemCode: evidenceLinks.itemCode, evidenceId: evidenceLinks.evidenceId, code: evidenceLinks.code })
    .from(evidenceLinks)
    .innerJoin(evidence, eq(evidenceLinks.evidenceId, evidence.id))
    .where(and(eq(evidenceLinks.assessmentId, assessmentId), isNull(evidence.deletedAt)))
    .all();
  const out = new Map<string, { evidenceId: number; code: string }[]>();
  for (const r of rows) {
    const list = out.get(r.itemCode) ?? [];
    list.push({ evidenceId: r.evidenceId, code: r.code });
    out.set(r.itemCode, list);
  }
  for (const list of out.values()) list.sort((x, y) => evidenceCodeNumber(x.code) - evidenceCodeNumber(y.code));
  return out;
}

interface Computed {
  plan: CarryPlan;
  prevAnswers: ReturnType<typeof answersOf> | null;
  prevLinks: Map<string, { evidenceId: number; code: string }[]>;
  edition: Edition;
  current: ReturnType<typeof answersOf>;
}

function compute(a: AssessmentRecord, db: Db | Tx): Computed {
  const edition = editionOf(a);
  const current = answersOf(a.id, "self", db);
  const prev = previousAssessment(a, db);
  const editable = allows(a.status, "save") && a.cycleStatus === "open";
  const empty: CarryPlan = {
    assessmentId: a.id,
    previous: prev,
    editionId: a.editionId,
    sameEdition: prev?.editionId === a.editionId,
    editable,
    items: [],
    counts: { mapped: 0, changed: 0, new: 0, removed: 0, toCarry: 0, unconfirmed: 0 },
    indicators: [],
  };
  if (!prev) return { plan: empty, prevAnswers: null, prevLinks: new Map(), edition, current };

  const prevEdition = prev.editionId === a.editionId ? edition : editionOf(prev);
  const prevAnswers = answersOf(prev.id, "self", db);
  const prevLinks = liveLinks(db, prev.id);

  // Material changes per item code, and information blocks whose indicator's `info` changed.
  const changedBy = new Map<string, string[]>();
  const added = new Set<string>();
  const infoChanged = new Set<string>();
  if (prev.editionId !== a.editionId) {
    const d = diffEditions(prevEdition, edition);
    for (const c of d.items.changed) {
      const described = describeChanges(c.changes);
      if (described.length) changedBy.set(c.code, described);
    }
    for (const x of d.items.added) added.add(x.code);
    for (const c of d.indicators.changed) if (c.changes.some((f) => f.field === "info")) infoChanged.add(c.code);
  }

  const curEntries = entriesOf(edition);
  const prevEntries = entriesOf(prevEdition);
  const curCodes = new Set(curEntries.map((e) => e.code));
  const prevCodes = new Set(prevEntries.map((e) => e.code));
  const has = (s: { answers: Record<string, unknown>; notes: Record<string, string> }, code: string) => s.answers[code] !== undefined || !!s.notes[code];

  const items: CarryItem[] = [];
  for (const e of curEntries) {
    const hadBefore = prevCodes.has(e.code) && has(prevAnswers, e.code);
    let status: CarryStatus;
    let changes: string[] = [];
    if (!hadBefore) status = "new";
    else if (e.info && infoChanged.has(e.indicatorCode)) {
      status = "changed";
      changes = [t.change.info];
    } else if (changedBy.has(e.code)) {
      status = "changed";
      changes = changedBy.get(e.code)!;
    } else {
      const v = prevAnswers.answers[e.code];
      if (v !== undefined && validateAnswers(edition, { [e.code]: v }).errors.length) {
        status = "changed";
        changes = [t.change.invalid];
      } else status = "mapped";
    }
    const answeredNow = has(current, e.code);
    items.push({
      code: e.code,
      indicatorCode: e.indicatorCode,
      text: e.text,
      status,
      added: status === "new" && (added.has(e.code) || !prevCodes.has(e.code)),
      changes,
      answeredNow,
      unconfirmed: current.meta[e.code]?.carriedFrom != null,
      evidence: prevLinks.get(e.code)?.length ?? 0,
      toCarry: status === "mapped" && !answeredNow,
    });
  }
  for (const e of prevEntries) {
    if (curCodes.has(e.code) || !has(prevAnswers, e.code)) continue;
    items.push({ code: e.code, indicatorCode: e.indicatorCode, text: e.text, status: "removed", added: false, changes: [], answeredNow: false, unconfirmed: false, evidence: prevLinks.get(e.code)?.length ?? 0, toCarry: false });
  }

  const counts = { mapped: 0, changed: 0, new: 0, removed: 0, toCarry: 0, unconfirmed: 0 };
  for (const i of items) {
    counts[i.status]++;
    if (i.toCarry) counts.toCarry++;
    if (i.unconfirmed) counts.unconfirmed++;
  }
  const indicators: CarryPlan["indicators"] = [];
  for (const g of edition.groups)
    for (const ind of g.indicators) {
      const n = items.filter((i) => i.indicatorCode === ind.code && i.toCarry && i.status !== "removed").length;
      if (n) indicators.push({ code: ind.code, title: ind.title, toCarry: n });
    }
  return { plan: { ...empty, items, counts, indicators }, prevAnswers, prevLinks, edition, current };
}

/** What a carry forward would do for this file now (the panel, and the route's checks). */
export function carryForwardPlan(assessmentId: number, db: Db = getDb()): CarryPlan | null {
  const a = getAssessment(assessmentId, db);
  if (!a) return null;
  return compute(a, db).plan;
}

/** Unconfirmed carried items of a file, in catalogue order (the pre-submit warning). */
export function unconfirmedCarried(a: AssessmentRecord, db: Db | Tx = getDb()): string[] {
  const meta = answersOf(a.id, "self", db).meta;
  return entriesOf(editionOf(a))
    .map((e) => e.code)
    .filter((code) => meta[code]?.carriedFrom != null);
}

/**
 * Copies the previous year's self answers, notes and evidence links of the mapped items that have
 * nothing yet in this file (all of them, or those of one indicator), through one door transition.
 */
export function carryForward(assessmentId: number, actorId: number, opts: { indicator?: string } = {}, now = Date.now(), db: Db = getDb()): CarryOutcome {
  const first = getAssessment(assessmentId, db);
  if (!first) return { ok: false, kind: "not-found", message: t.noPreviousYear };
  if (opts.indicator !== undefined && !editionOf(first).groups.some((g) => g.indicators.some((i) => i.code === opts.indicator)))
    return { ok: false, kind: "bad-indicator", message: t.badIndicator };

  const out = transition<CarryResult, "no-previous" | "closed">(
    assessmentId,
    {
      name: "save",
      action: "assessment.carry_forward",
      actorId,
      now,
      within: (tx, a, next) => {
        const c = compute(a, tx);
        const prev = c.plan.previous;
        if (!prev || !c.prevAnswers) throw new Refusal("no-previous", t.noPreviousYear);
        const scope = c.plan.items.filter((i) => i.status !== "removed" && (opts.indicator === undefined || i.indicatorCode === opts.indicator));
        const carry = scope.filter((i) => i.toCarry).map((i) => i.code);
        // The school's own answers kept (an answer carried earlier and not confirmed is not "its own").
        const kept = scope.filter((i) => i.status === "mapped" && i.answeredNow && !i.unconfirmed).map((i) => i.code);
        const changed = scope.filter((i) => i.status === "changed").map((i) => i.code);
        const value: CarryResult = { from: { id: prev.id, schoolYear: prev.schoolYear }, items: carry, links: [], skipped: { kept, changed }, version: next.version };
        if (!carry.length) return { unchanged: true, value };

        const at = new Date(now);
        const rows = carry.map((code) => ({
          assessmentId: a.id,
          phase: "self" as const,
          itemCode: code,
          value: (c.prevAnswers!.answers[code] ?? null) as AnswerValue | null,
          note: c.prevAnswers!.notes[code] ?? null,
          updatedBy: actorId,
          updatedAt: at,
          version: next.version,
          carriedFrom: prev.id,
        }));
        // A row may exist with nothing in it (a cleared answer): it is replaced.
        tx.insert(answers)
          .values(rows)
          .onConflictDoUpdate({
            target: [answers.assessmentId, answers.phase, answers.itemCode],
            set: { value: sql`excluded.value`, note: sql`excluded.note`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`excluded.updated_at`, version: sql`excluded.version`, carriedFrom: sql`excluded.carried_from` },
          })
          .run();

        // Evidence links: the previous file's live links of the carried items, new codes here.
        const already = liveLinks(tx, a.id);
        const highest = highestCodeNumbers(tx, a.id);
        const linkRows: (typeof evidenceLinks.$inferInsert)[] = [];
        for (const code of carry) {
          const have = new Set((already.get(code) ?? []).map((l) => l.evidenceId));
          for (const l of c.prevLinks.get(code) ?? []) {
            if (have.has(l.evidenceId)) continue;
            const n = (highest.get(code) ?? 0) + 1;
            highest.set(code, n);
            const newCode = formatEvidenceCode(code, n);
            linkRows.push({ assessmentId: a.id, itemCode: code, evidenceId: l.evidenceId, code: newCode, createdAt: at });
            value.links.push({ itemCode: code, code: newCode });
          }
        }
        if (linkRows.length) {
          tx.insert(evidenceLinks).values(linkRows).run();
          for (const l of linkRows)
            writeAudit(tx, { actorId, action: "evidence.attach", entityType: "evidence", entityId: l.evidenceId, schoolId: a.schoolId, assessmentId: a.id, details: { itemCode: l.itemCode, code: l.code, carriedFrom: prev.id } }, now);
        }

        const all: Record<string, AnswerValue> = { ...c.current.answers };
        for (const r of rows) if (r.value !== null) all[r.itemCode] = r.value;
        const result = scoreAssessment(c.edition, all as Answers);
        return {
          value,
          scored: { phase: "self", result, only: carry },
          details: { from: prev.id, fromYear: prev.schoolYear, indicator: opts.indicator ?? null, items: carry, links: linkRows.length, skipped: { kept, changed }, level: result.level },
        };
      },
    },
    db,
  );
  if (out.ok) return { ok: true, result: { ...out.value!, version: out.version } };
  if (out.kind === "no-previous") return { ok: false, kind: "no-previous", message: out.message };
  if (out.kind === "not-found") return { ok: false, kind: "not-found", message: out.message };
  if (out.kind === "stale") return { ok: false, kind: "stale", message: t.stale };
  return { ok: false, kind: "locked", message: out.kind === "closed" ? out.message : t.locked };
}

/** Confirms carried answers as the school's own (clears carried_from; the values stay). */
export function confirmCarried(assessmentId: number, codes: string[], actorId: number, now = Date.now(), db: Db = getDb()): ConfirmOutcome {
  const wanted = [...new Set(codes)];
  const out = transition<string[], "closed">(
    assessmentId,
    {
      name: "save",
      action: "assessment.carry_forward.confirm",
      actorId,
      now,
      within: (tx, a) => {
        const rows = wanted.length
          ? tx
              .select({ code: answers.itemCode })
              .from(answers)
              .where(and(eq(answers.assessmentId, a.id), eq(answers.phase, "self"), inArray(answers.itemCode, wanted), sql`${answers.carriedFrom} is not null`))
              .all()
          : [];
        const confirmed = rows.map((r) => r.code);
        if (!confirmed.length) return { unchanged: true, value: confirmed };
        tx.update(answers)
          .set({ carriedFrom: null })
          .where(and(eq(answers.assessmentId, a.id), eq(answers.phase, "self"), inArray(answers.itemCode, confirmed)))
          .run();
        return { value: confirmed, details: { items: confirmed } };
      },
    },
    db,
  );
  if (out.ok) return { ok: true, confirmed: out.value ?? [], version: out.version };
  if (out.kind === "not-found") return { ok: false, kind: "not-found", message: out.message };
  if (out.kind === "stale") return { ok: false, kind: "stale", message: t.stale };
  return { ok: false, kind: "locked", message: out.kind === "closed" ? out.message : t.locked };
}
