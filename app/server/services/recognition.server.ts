/**
 * Recognition (công nhận): the issuing office's decisions and the certificates they give.
 *
 * - A decision is prepared as a draft (fields and a selection of files whose external assessment
 *   is finished), then issued: every file goes through the one door (recognise) and gets its
 *   certificate, all in one write transaction: either every school of the decision is recognised,
 *   or none is.
 * - Serial numbers run per issuing office and calendar year of the decision's date, with no gaps
 *   or duplicates: they are taken inside that transaction (BEGIN IMMEDIATE holds the one writer
 *   lock of the SQLite file, across processes too), and a unique index backs them.
 * - A certificate's token (144 random bits) is its public verification key.
 * - Revoking a certificate, or a whole decision, takes each file back through the door (revoke:
 *   recognised → assessed, the external assessment still finished); re-issuing makes a new
 *   certificate with a new serial, and the old one stays revoked.
 *
 * The caller (route) has asked the policy (decision.manage on the issuing unit); each file is
 * checked here against the decision's office and school year.
 */
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { fail, ok, type Fail, type Ok } from "~/domain/result";
import {
  DECISION_FILES_MAX,
  decisionDraftSchema,
  defaultBases,
  formatSerial,
  REVOKE_REASON_MAX,
  TOKEN_BYTES,
  type DecisionDraftInput,
  type DecisionStatus,
} from "~/domain/recognition";
import { pick } from "~/i18n";
import { recognitionService } from "~/i18n/recognition-service";
import { localDateOf } from "~/utils/time";
import { getDb, withWriteLock, type Db } from "../db/client.server";
import { assessments, certificates, cycles, recognitionDecisionItems, recognitionDecisions, schools, units } from "../db/schema.server";
import { applyTransitionIn, Refusal, type Tx } from "./assessments.server";
import { writeAudit } from "./audit.server";
import { notifyIn, schoolRecipients } from "./notifications.server";

const T = pick(recognitionService);

export type FieldErrors = Record<string, string>;
export type RecognitionFail = Fail<"not-found" | "state" | "stale" | "invalid" | "not-ready", { fieldErrors?: FieldErrors }>;
export type RecognitionResult<V extends object = object> = Ok<V> | RecognitionFail;

/** Thrown inside a transaction to roll it back with a failure. */
class Abort extends Error {
  constructor(readonly failure: RecognitionFail) {
    super(failure.message);
  }
}
const abort = (kind: RecognitionFail["kind"], message: string, fieldErrors?: FieldErrors): never => {
  throw new Abort(fail(kind, message, fieldErrors ? { fieldErrors } : {}) as RecognitionFail);
};

function inWrite<V>(db: Db, body: (tx: Tx) => V): V | RecognitionFail {
  try {
    return withWriteLock(db, () => db.transaction((tx) => body(tx), { behavior: "immediate" }));
  } catch (e) {
    if (e instanceof Abort) return e.failure;
    if (e instanceof Refusal) return fail(e.kind === "not-found" ? "not-found" : e.kind === "stale" ? "stale" : "state", e.message) as RecognitionFail;
    throw e;
  }
}

const newToken = () => randomBytes(TOKEN_BYTES).toString("base64url");

// ───────────────────────────── reads ─────────────────────────────

export type DecisionRow = typeof recognitionDecisions.$inferSelect;

export function decisionById(id: number, db: Db | Tx = getDb()): DecisionRow | null {
  return db.select().from(recognitionDecisions).where(eq(recognitionDecisions.id, id)).get() ?? null;
}

/** The files a decision may recognise: the office's files of that school year with a finished external assessment, in an open cycle. */
export interface EligibleFilter {
  type?: string;
  /** A managing unit (sub-unit) and its subtree. */
  unitPath?: string;
}

function eligibleWhere(unitId: number, schoolYear: string, f: EligibleFilter = {}) {
  return and(
    eq(schools.reviewingUnitId, unitId),
    eq(cycles.schoolYear, schoolYear),
    eq(assessments.status, "assessed"),
    eq(cycles.status, "open"),
    f.type ? eq(schools.type, f.type as (typeof schools.type.enumValues)[number]) : undefined,
    f.unitPath ? sql`(${schools.managingPath} >= ${f.unitPath} AND ${schools.managingPath} < ${f.unitPath.slice(0, -1) + "0"})` : undefined,
  );
}

/** Eligible files not yet in the decision, for the "add" step (ids only, and a count). */
export function eligibleIds(unitId: number, schoolYear: string, f: EligibleFilter = {}, excludeDecisionId?: number, db: Db | Tx = getDb()): number[] {
  const rows = db
    .select({ id: assessments.id })
    .from(assessments)
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(
      and(
        eligibleWhere(unitId, schoolYear, f),
        excludeDecisionId != null
          ? sql`NOT EXISTS (SELECT 1 FROM recognition_decision_items i WHERE i.decision_id = ${excludeDecisionId} AND i.assessment_id = ${assessments.id})`
          : undefined,
      ),
    )
    .all();
  return rows.map((r) => r.id);
}

/** The managing units (sub-units) of the eligible files, for the "add" filter. */
export function eligibleSubUnits(unitId: number, schoolYear: string, db: Db | Tx = getDb()): { id: number; name: string; path: string; files: number }[] {
  const sub = units;
  return db
    .select({ id: sub.id, name: sub.name, path: sub.path, files: count() })
    .from(assessments)
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .innerJoin(sub, eq(schools.managingUnitId, sub.id))
    .where(eligibleWhere(unitId, schoolYear))
    .groupBy(sub.id)
    .all()
    .sort((a, b) => collator.compare(a.name, b.name));
}

/** School years in which the office has files (open cycles), newest first. */
export function yearsWithFiles(unitId: number, db: Db = getDb()): string[] {
  return db
    .selectDistinct({ y: cycles.schoolYear })
    .from(assessments)
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(and(eq(schools.reviewingUnitId, unitId), eq(cycles.status, "open")))
    .orderBy(desc(cycles.schoolYear))
    .all()
    .map((r) => r.y);
}

export interface DecisionFile {
  assessmentId: number;
  schoolId: number;
  school: string;
  code: string;
  type: string;
  subUnit: string;
  status: string;
  externalLevel: number | null;
  reviewDeadline: string;
  certificate: { id: number; serial: string; token: string; revokedAt: number | null } | null;
}

const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });
/** The annex's order: by sub-unit, then school name (Vietnamese), then code. */
const annexOrder = (a: { subUnit: string; school: string; code: string }, b: { subUnit: string; school: string; code: string }) =>
  collator.compare(a.subUnit, b.subUnit) || collator.compare(a.school, b.school) || a.code.localeCompare(b.code);

/** Every file of a decision in the annex's order, with its current certificate from this decision (the latest). */
export function decisionFiles(decisionId: number, db: Db | Tx = getDb()): DecisionFile[] {
  const sub = units;
  const rows = db
    .select({
      assessmentId: assessments.id,
      schoolId: schools.id,
      school: schools.name,
      code: schools.code,
      type: schools.type,
      subUnit: sub.name,
      status: assessments.status,
      externalLevel: assessments.externalLevel,
      reviewDeadline: cycles.reviewDeadline,
    })
    .from(recognitionDecisionItems)
    .innerJoin(assessments, eq(recognitionDecisionItems.assessmentId, assessments.id))
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .innerJoin(sub, eq(schools.managingUnitId, sub.id))
    .where(eq(recognitionDecisionItems.decisionId, decisionId))
    .all();
  const certs = new Map<number, DecisionFile["certificate"]>();
  for (const c of db
    .select({ id: certificates.id, assessmentId: certificates.assessmentId, serial: certificates.serial, token: certificates.token, revokedAt: certificates.revokedAt })
    .from(certificates)
    .where(eq(certificates.decisionId, decisionId))
    .orderBy(asc(certificates.id))
    .all())
    certs.set(c.assessmentId, { id: c.id, serial: c.serial, token: c.token, revokedAt: c.revokedAt ? c.revokedAt.getTime() : null });
  return rows.map((r) => ({ ...r, certificate: certs.get(r.assessmentId) ?? null })).sort(annexOrder);
}

/** Decisions of the units in a path range (the user's scope), newest first, with their file counts. */
export function decisionsIn(range: { from: string; to: string } | "all", db: Db = getDb()) {
  return db
    .select({
      id: recognitionDecisions.id,
      unitId: recognitionDecisions.issuingUnitId,
      unit: units.name,
      schoolYear: recognitionDecisions.schoolYear,
      status: recognitionDecisions.status,
      number: recognitionDecisions.number,
      decidedOn: recognitionDecisions.decidedOn,
      files: sql<number>`(SELECT count(*) FROM recognition_decision_items i WHERE i.decision_id = ${recognitionDecisions.id})`,
      revokedCertificates: sql<number>`(SELECT count(*) FROM certificates c WHERE c.decision_id = ${recognitionDecisions.id} AND c.revoked_at IS NOT NULL)`,
    })
    .from(recognitionDecisions)
    .innerJoin(units, eq(recognitionDecisions.issuingUnitId, units.id))
    .where(range === "all" ? undefined : sql`(${units.path} >= ${range.from} AND ${units.path} < ${range.to})`)
    .orderBy(desc(recognitionDecisions.id))
    .all();
}

// ───────────────────────────── drafts ─────────────────────────────

/** A new draft for the office and school year, with the default "Căn cứ" lines. */
export function createDecision(unitId: number, schoolYear: string, actorId: number, now = Date.now(), db: Db = getDb()): RecognitionResult<{ id: number }> {
  const unit = db.select({ name: units.name }).from(units).where(eq(units.id, unitId)).get();
  if (!unit) return fail("not-found", T.notFound) as RecognitionFail;
  if (!/^\d{4}-\d{4}$/.test(schoolYear)) return fail("invalid", T.invalid, { fieldErrors: { schoolYear: T.invalid } }) as RecognitionFail;
  const r = inWrite(db, (tx) => {
    const id = tx
      .insert(recognitionDecisions)
      .values({ issuingUnitId: unitId, schoolYear, bases: defaultBases(unit.name), createdBy: actorId, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning({ id: recognitionDecisions.id })
      .get().id;
    writeAudit(tx, { actorId, action: "recognition.decision.create", entityType: "recognition_decision", entityId: id, unitId, details: { schoolYear } }, now);
    return { id };
  });
  return "ok" in r ? r : ok(r);
}

/** Field errors of a draft's fields (format, the date not in the future, the number unused). */
function checkFields(tx: Db | Tx, d: DecisionRow, input: DecisionDraftInput, now: number): { fields: ReturnType<typeof decisionDraftSchema.parse> } | { errors: FieldErrors } {
  const p = decisionDraftSchema.safeParse(input);
  const errors: FieldErrors = {};
  if (!p.success) for (const i of p.error.issues) errors[i.path[0] === "bases" ? "bases" : String(i.path[0])] ??= i.message;
  // Every field's message at once: the date and the number are checked whatever the others hold.
  const day = typeof input.decidedOn === "string" ? input.decidedOn.trim() : "";
  if (day && !errors.decidedOn) {
    const ms = Date.parse(`${day}T12:00:00Z`);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) errors.decidedOn = T.dateInvalid;
    else if (day > localDateOf(now)) errors.decidedOn = T.dateFuture;
  }
  if (!p.success) return { errors };
  const f = p.data;
  if (f.number) {
    const taken = tx
      .select({ id: recognitionDecisions.id })
      .from(recognitionDecisions)
      .where(and(eq(recognitionDecisions.issuingUnitId, d.issuingUnitId), eq(recognitionDecisions.number, f.number), sql`${recognitionDecisions.id} <> ${d.id}`))
      .get();
    if (taken) errors.number = T.numberTaken;
  }
  return Object.keys(errors).length ? { errors } : { fields: f };
}

/** Saves a draft's fields (each may still be empty), guarded by its version. */
export function updateDecision(id: number, input: DecisionDraftInput, actorId: number, expectedVersion: number, now = Date.now(), db: Db = getDb()): RecognitionResult<{ version: number }> {
  const r = inWrite(db, (tx) => {
    const d = decisionById(id, tx);
    if (!d) return abort("not-found", T.notFound);
    if (d.status !== "draft") return abort("state", T.notDraft);
    if (d.version !== expectedVersion) return abort("stale", T.stale);
    const c = checkFields(tx, d, input, now);
    if ("errors" in c) return abort("invalid", T.invalid, c.errors);
    const f = c.fields;
    tx.update(recognitionDecisions)
      .set({
        number: f.number || null,
        decidedOn: f.decidedOn || null,
        place: f.place || null,
        signerName: f.signerName || null,
        signerTitle: f.signerTitle || null,
        // Left out: the lines stay as they are.
        bases: f.bases ?? (d.bases as string[] | null) ?? [],
        version: d.version + 1,
        updatedAt: new Date(now),
      })
      .where(and(eq(recognitionDecisions.id, id), eq(recognitionDecisions.version, d.version)))
      .run();
    writeAudit(tx, { actorId, action: "recognition.decision.update", entityType: "recognition_decision", entityId: id, unitId: d.issuingUnitId, details: { number: f.number || null, decidedOn: f.decidedOn || null } }, now);
    return { version: d.version + 1 };
  });
  return "ok" in r ? r : ok(r);
}

/**
 * Adds files to a draft (each must be eligible: the office's, the decision's school year, the
 * external assessment finished) and removes others. Files that are not eligible are skipped and
 * named.
 */
export function changeDecisionFiles(
  id: number,
  change: { add?: number[]; remove?: number[] },
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): RecognitionResult<{ added: number; removed: number; skipped: string[]; version: number }> {
  const r = inWrite(db, (tx) => {
    const d = decisionById(id, tx);
    if (!d) return abort("not-found", T.notFound);
    if (d.status !== "draft") return abort("state", T.notDraft);
    const add = [...new Set(change.add ?? [])];
    const remove = [...new Set(change.remove ?? [])];
    const have = tx.select({ n: count() }).from(recognitionDecisionItems).where(eq(recognitionDecisionItems.decisionId, id)).get()?.n ?? 0;
    const skipped: string[] = [];
    let added = 0;
    if (add.length) {
      const ok = new Set(
        tx
          .select({ id: assessments.id })
          .from(assessments)
          .innerJoin(schools, eq(assessments.schoolId, schools.id))
          .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
          .where(and(eligibleWhere(d.issuingUnitId, d.schoolYear), inArray(assessments.id, add)))
          .all()
          .map((r) => r.id),
      );
      const names = new Map(
        tx
          .select({ id: assessments.id, name: schools.name })
          .from(assessments)
          .innerJoin(schools, eq(assessments.schoolId, schools.id))
          .where(inArray(assessments.id, add))
          .all()
          .map((r) => [r.id, r.name]),
      );
      const fresh = add.filter((a) => ok.has(a));
      for (const a of add) if (!ok.has(a)) skipped.push(T.notEligible(names.get(a) ?? `#${a}`));
      if (have + fresh.length - remove.length > DECISION_FILES_MAX) return abort("invalid", T.tooManyFiles(DECISION_FILES_MAX), { files: T.tooManyFiles(DECISION_FILES_MAX) });
      for (const a of fresh) added += tx.insert(recognitionDecisionItems).values({ decisionId: id, assessmentId: a }).onConflictDoNothing().run().changes;
    }
    let removed = 0;
    if (remove.length) removed = tx.delete(recognitionDecisionItems).where(and(eq(recognitionDecisionItems.decisionId, id), inArray(recognitionDecisionItems.assessmentId, remove))).run().changes;
    if (added || removed) {
      tx.update(recognitionDecisions).set({ version: d.version + 1, updatedAt: new Date(now) }).where(eq(recognitionDecisions.id, id)).run();
      writeAudit(tx, { actorId, action: "recognition.decision.files", entityType: "recognition_decision", entityId: id, unitId: d.issuingUnitId, details: { added, removed } }, now);
    }
    return { added, removed, skipped, version: added || removed ? d.version + 1 : d.version };
  });
  return "ok" in r ? r : ok(r);
}

/** Deletes a draft (an issued decision is revoked, never deleted). */
export function deleteDraft(id: number, actorId: number, now = Date.now(), db: Db = getDb()): RecognitionResult {
  const r = inWrite(db, (tx) => {
    const d = decisionById(id, tx);
    if (!d) return abort("not-found", T.notFound);
    if (d.status !== "draft") return abort("state", T.notDraft);
    tx.delete(recognitionDecisions).where(eq(recognitionDecisions.id, id)).run();
    writeAudit(tx, { actorId, action: "recognition.decision.delete", entityType: "recognition_decision", entityId: id, unitId: d.issuingUnitId, details: { number: d.number } }, now);
    return {};
  });
  return "ok" in r ? r : ok(r);
}

// ───────────────────────────── issuing ─────────────────────────────

/** What issuing would do: missing fields, files not ready, files recognised after their review deadline (a warning). */
export interface IssueCheck {
  missing: FieldErrors;
  notReady: string[];
  late: number;
  files: number;
}

export function issueCheck(id: number, now = Date.now(), db: Db | Tx = getDb()): IssueCheck | null {
  const d = decisionById(id, db);
  if (!d) return null;
  const missing: FieldErrors = {};
  if (!d.number) missing.number = T.numberRequired;
  if (!d.decidedOn) missing.decidedOn = T.dateRequired;
  else if (d.decidedOn > localDateOf(now)) missing.decidedOn = T.dateFuture;
  if (!d.place) missing.place = T.placeRequired;
  if (!d.signerName) missing.signerName = T.signerNameRequired;
  if (!d.signerTitle) missing.signerTitle = T.signerTitleRequired;
  const files = decisionFiles(id, db);
  if (!files.length) missing.files = T.noFiles;
  const notReady = d.status === "draft" ? files.filter((f) => f.status !== "assessed").map((f) => T.notReady(f.school)) : [];
  const day = d.decidedOn ?? localDateOf(now);
  return { missing, notReady, late: files.filter((f) => f.reviewDeadline < day).length, files: files.length };
}

/** The next serial number of an office in a year (inside the write transaction). */
function nextSerialNo(tx: Tx, unitId: number, year: number): number {
  const r = tx
    .select({ n: sql<number>`coalesce(max(${certificates.serialNo}), 0)` })
    .from(certificates)
    .where(and(eq(certificates.issuingUnitId, unitId), eq(certificates.serialYear, year)))
    .get();
  return Number(r?.n ?? 0) + 1;
}

/** Recognises one file through the door and writes its certificate (inside the caller's transaction). */
function recogniseIn(tx: Tx, d: DecisionRow, unitCode: string, assessmentId: number, actorId: number, now: number): { certificateId: number; serial: string } {
  const year = Number(d.decidedOn!.slice(0, 4));
  let out: { certificateId: number; serial: string } | null = null;
  applyTransitionIn(tx, assessmentId, {
    name: "recognise",
    actorId,
    now,
    within: (t2, a) => {
      if (a.reviewingUnitId !== d.issuingUnitId || a.schoolYear !== d.schoolYear || a.externalLevel == null) throw new Abort(fail("not-ready", T.notReady(a.schoolName)) as RecognitionFail);
      const no = nextSerialNo(t2, d.issuingUnitId, year);
      const serial = formatSerial(unitCode, year, no);
      const certificateId = t2
        .insert(certificates)
        .values({
          decisionId: d.id,
          assessmentId: a.id,
          schoolId: a.schoolId,
          issuingUnitId: d.issuingUnitId,
          schoolYear: d.schoolYear,
          serialYear: year,
          serialNo: no,
          serial,
          level: a.externalLevel,
          token: newToken(),
          issuedAt: new Date(now),
          issuedBy: actorId,
        })
        .returning({ id: certificates.id })
        .get().id;
      out = { certificateId, serial };
      notifyIn(t2, schoolRecipients(t2, a.schoolId), { kind: "recognised", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { level: a.externalLevel, decision: d.number, serial } }, now);
      return { set: { recognisedAt: new Date(now), recognisedLevel: a.externalLevel }, details: { level: a.externalLevel, decisionId: d.id, decision: d.number, serial } };
    },
  });
  if (!out) throw new Error("recognise: the door did not run");
  return out;
}

/**
 * Issues a draft: checks its fields and files, then recognises every file through the door and
 * writes its certificate, in one transaction (all or nothing). Returns the serials, and how many
 * files were recognised after their review deadline (allowed, with a warning).
 */
export function issueDecision(
  id: number,
  actorId: number,
  expectedVersion: number,
  now = Date.now(),
  db: Db = getDb(),
): RecognitionResult<{ recognised: number; serials: string[]; late: number }> {
  const r = inWrite(db, (tx) => {
    const d = decisionById(id, tx);
    if (!d) return abort("not-found", T.notFound);
    if (d.status !== "draft") return abort("state", T.notDraft);
    if (d.version !== expectedVersion) return abort("stale", T.stale);
    const check = issueCheck(id, now, tx)!;
    // The number may have been taken by another decision since the draft was saved.
    const fields = checkFields(tx, d, { number: d.number ?? "", decidedOn: d.decidedOn ?? "", place: d.place ?? "", signerName: d.signerName ?? "", signerTitle: d.signerTitle ?? "", bases: (d.bases as string[] | null) ?? [] }, now);
    const errors = { ...check.missing, ...("errors" in fields ? fields.errors : {}) };
    if (Object.keys(errors).length) return abort("invalid", T.invalid, errors);
    if (check.notReady.length) return abort("not-ready", check.notReady.join(" "), { files: check.notReady.join(" ") });
    const unitCode = tx.select({ code: units.code }).from(units).where(eq(units.id, d.issuingUnitId)).get()!.code;
    const serials: string[] = [];
    for (const f of decisionFiles(id, tx)) serials.push(recogniseIn(tx, d, unitCode, f.assessmentId, actorId, now).serial);
    const done = tx
      .update(recognitionDecisions)
      .set({ status: "issued", issuedAt: new Date(now), issuedBy: actorId, version: d.version + 1, updatedAt: new Date(now) })
      .where(and(eq(recognitionDecisions.id, id), eq(recognitionDecisions.version, d.version)))
      .run();
    if (done.changes !== 1) return abort("stale", T.stale);
    writeAudit(
      tx,
      { actorId, action: "recognition.decision.issue", entityType: "recognition_decision", entityId: id, unitId: d.issuingUnitId, details: { number: d.number, files: serials.length, first: serials[0], last: serials.at(-1), late: check.late } },
      now,
    );
    return { recognised: serials.length, serials, late: check.late };
  });
  return "ok" in r ? r : ok(r);
}

// ───────────────────────────── revocation, re-issue ─────────────────────────────

function reasonError(reason: string): string | null {
  const why = reason.trim();
  if (!why) return T.reasonRequired;
  if (why.length > REVOKE_REASON_MAX) return T.reasonTooLong(REVOKE_REASON_MAX);
  return null;
}

function revokeIn(tx: Tx, cert: typeof certificates.$inferSelect, reason: string, actorId: number, now: number) {
  applyTransitionIn(tx, cert.assessmentId, {
    name: "revoke",
    actorId,
    now,
    details: { reason, certificateId: cert.id, serial: cert.serial },
    within: (t2, a) => {
      t2.update(certificates).set({ revokedAt: new Date(now), revokedBy: actorId, revokeReason: reason }).where(eq(certificates.id, cert.id)).run();
      notifyIn(t2, schoolRecipients(t2, a.schoolId), { kind: "recognition-revoked", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { reason, serial: cert.serial } }, now);
      return { set: { recognisedAt: null, recognisedLevel: null } };
    },
  });
}

/** The certificate, its decision's office (for the policy). */
export function certificateById(id: number, db: Db | Tx = getDb()) {
  return db.select().from(certificates).where(eq(certificates.id, id)).get() ?? null;
}

/** Revokes one certificate with a reason; the file goes back to "assessed" through the door. */
export function revokeCertificate(certificateId: number, reason: string, actorId: number, now = Date.now(), db: Db = getDb()): RecognitionResult {
  const bad = reasonError(reason);
  if (bad) return fail("invalid", bad, { fieldErrors: { reason: bad } }) as RecognitionFail;
  const r = inWrite(db, (tx) => {
    const cert = certificateById(certificateId, tx);
    if (!cert) return abort("not-found", T.certificateNotFound);
    if (cert.revokedAt) return abort("state", T.alreadyRevoked);
    revokeIn(tx, cert, reason.trim(), actorId, now);
    return {};
  });
  return "ok" in r ? r : ok(r);
}

/** Revokes a whole decision: every valid certificate of it, in one transaction. */
export function revokeDecision(id: number, reason: string, actorId: number, now = Date.now(), db: Db = getDb()): RecognitionResult<{ revoked: number }> {
  const bad = reasonError(reason);
  if (bad) return fail("invalid", bad, { fieldErrors: { reason: bad } }) as RecognitionFail;
  const why = reason.trim();
  const r = inWrite(db, (tx) => {
    const d = decisionById(id, tx);
    if (!d) return abort("not-found", T.notFound);
    if (d.status !== "issued") return abort("state", T.notIssued);
    const valid = tx.select().from(certificates).where(and(eq(certificates.decisionId, id), isNull(certificates.revokedAt))).all();
    for (const c of valid) revokeIn(tx, c, why, actorId, now);
    tx.update(recognitionDecisions).set({ status: "revoked", revokedAt: new Date(now), revokedBy: actorId, revokeReason: why, version: d.version + 1, updatedAt: new Date(now) }).where(eq(recognitionDecisions.id, id)).run();
    writeAudit(tx, { actorId, action: "recognition.decision.revoke", entityType: "recognition_decision", entityId: id, unitId: d.issuingUnitId, details: { number: d.number, reason: why, certificates: valid.length } }, now);
    return { revoked: valid.length };
  });
  return "ok" in r ? r : ok(r);
}

/** Re-issues a revoked certificate of an issued decision: a new certificate with a new serial. */
export function reissueCertificate(certificateId: number, actorId: number, now = Date.now(), db: Db = getDb()): RecognitionResult<{ certificateId: number; serial: string }> {
  const r = inWrite(db, (tx) => {
    const cert = certificateById(certificateId, tx);
    if (!cert) return abort("not-found", T.certificateNotFound);
    if (!cert.revokedAt) return abort("state", T.notRevoked);
    const d = decisionById(cert.decisionId, tx)!;
    if (d.status !== "issued") return abort("state", T.notIssued);
    const valid = tx.select({ id: certificates.id }).from(certificates).where(and(eq(certificates.assessmentId, cert.assessmentId), isNull(certificates.revokedAt))).get();
    if (valid) return abort("state", T.hasValid);
    const status = tx.select({ s: assessments.status }).from(assessments).where(eq(assessments.id, cert.assessmentId)).get()?.s;
    if (status !== "assessed") return abort("state", T.reissueState);
    const unitCode = tx.select({ code: units.code }).from(units).where(eq(units.id, d.issuingUnitId)).get()!.code;
    const made = recogniseIn(tx, d, unitCode, cert.assessmentId, actorId, now);
    writeAudit(tx, { actorId, action: "recognition.certificate.reissue", entityType: "certificate", entityId: made.certificateId, unitId: d.issuingUnitId, assessmentId: cert.assessmentId, schoolId: cert.schoolId, details: { replaces: cert.serial, serial: made.serial } }, now);
    return made;
  });
  return "ok" in r ? r : ok(r);
}

// ───────────────────────────── certificates: reads ─────────────────────────────

/** Everything a certificate and its verification show (one indexed lookup by token). */
export function certificateByToken(token: string, db: Db = getDb()) {
  const issuer = units;
  return (
    db
      .select({
        id: certificates.id,
        token: certificates.token,
        serial: certificates.serial,
        level: certificates.level,
        schoolYear: certificates.schoolYear,
        issuedAt: certificates.issuedAt,
        revokedAt: certificates.revokedAt,
        revokeReason: certificates.revokeReason,
        assessmentId: certificates.assessmentId,
        schoolId: certificates.schoolId,
        school: schools.name,
        schoolCode: schools.code,
        schoolType: schools.type,
        issuingUnitId: certificates.issuingUnitId,
        issuingOffice: issuer.name,
        decisionId: recognitionDecisions.id,
        decisionNumber: recognitionDecisions.number,
        decisionStatus: recognitionDecisions.status,
        decisionRevokedAt: recognitionDecisions.revokedAt,
        decisionRevokeReason: recognitionDecisions.revokeReason,
        decidedOn: recognitionDecisions.decidedOn,
        place: recognitionDecisions.place,
        signerName: recognitionDecisions.signerName,
        signerTitle: recognitionDecisions.signerTitle,
        editionId: cycles.editionId,
      })
      .from(certificates)
      .innerJoin(schools, eq(certificates.schoolId, schools.id))
      .innerJoin(issuer, eq(certificates.issuingUnitId, issuer.id))
      .innerJoin(recognitionDecisions, eq(certificates.decisionId, recognitionDecisions.id))
      .innerJoin(assessments, eq(certificates.assessmentId, assessments.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(certificates.token, token))
      .get() ?? null
  );
}

/** A school's certificates over the years, newest first (revoked ones included, marked). */
export function certificatesOfSchool(schoolId: number, db: Db = getDb()) {
  return db
    .select({
      id: certificates.id,
      token: certificates.token,
      serial: certificates.serial,
      level: certificates.level,
      schoolYear: certificates.schoolYear,
      issuedAt: certificates.issuedAt,
      revokedAt: certificates.revokedAt,
      revokeReason: certificates.revokeReason,
      decisionNumber: recognitionDecisions.number,
      decidedOn: recognitionDecisions.decidedOn,
      issuingOffice: units.name,
    })
    .from(certificates)
    .innerJoin(recognitionDecisions, eq(certificates.decisionId, recognitionDecisions.id))
    .innerJoin(units, eq(certificates.issuingUnitId, units.id))
    .where(eq(certificates.schoolId, schoolId))
    .orderBy(desc(certificates.schoolYear), desc(certificates.id))
    .all();
}

export type { DecisionStatus };
