/**
 * The data of the recognition documents (plain JSON, the same for the same data: it is the
 * document cache's key): the decision (decisionData) and a certificate (certificateData), read
 * through the recognition service's reads (decisionById, decisionFiles, certificateById,
 * certificateByToken). The group levels of the annex are the scoring engine's results of the
 * external phase (as bothPhases gives them), the recognised level the stored one (the
 * certificate's, else the file's external level); nothing is re-derived here.
 * Authorization is the caller's (the route asks the policy first). withSignature adds the issuing
 * office's signature request when it has a signing certificate (SIGNING_DIR).
 */
import { eq } from "drizzle-orm";
import { levelTitle } from "~/domain/recognition";
import type { Edition } from "~/domain/catalogue/types";
import { localDateOf } from "~/utils/time";
import { getDb, type Db } from "../db/client.server";
import { units } from "../db/schema.server";
import type { CertificateData } from "../pdf/certificate.server";
import type { DecisionData, DecisionFileRow } from "../pdf/decision.server";
import { scoreAssessment, type Answers } from "~/domain/scoring";
import { answersOf, editionOf, getAssessment } from "./assessments.server";
import { certificateById, certificateByToken, decisionById, decisionFiles } from "./recognition.server";
import { placeFromProvince } from "./report.server";
import type { SignatureRequest } from "../pdf/signature.server";
import type { SignWith } from "../pdf/pool.server";
import { signingFor } from "../signing/keys.server";

/** The public base URL of the verification links (env PUBLIC_BASE_URL, no trailing slash). */
export function publicBaseUrl(): string {
  const v = (process.env.PUBLIC_BASE_URL ?? "").trim().replace(/\/+$/, "");
  return v || "http://localhost:3000";
}

export const verificationUrl = (token: string) => `${publicBaseUrl()}/xac-minh/${token}`;

/** A local date (yyyy-mm-dd) as noon of that day in Hà Nội (epoch ms). */
const noonOf = (isoDate: string) => Date.parse(`${isoDate}T12:00:00+07:00`);

interface UnitUp {
  name: string;
  kind: string;
  parentId: number | null;
}

/** The unit and its ancestors, nearest first. */
function ancestry(unitId: number, db: Db): UnitUp[] {
  const out: UnitUp[] = [];
  let id: number | null = unitId;
  for (let k = 0; id != null && k < 16; k++) {
    const u: UnitUp | undefined = db.select({ name: units.name, kind: units.kind, parentId: units.parentId }).from(units).where(eq(units.id, id)).get();
    if (!u) break;
    out.push(u);
    id = u.parentId;
  }
  return out;
}

function officeOf(unitId: number, db: Db): { office: string; parent: string; place: string } {
  const up = ancestry(unitId, db);
  const province = up.find((u) => u.kind === "province");
  return { office: up[0]?.name ?? "", parent: up[1]?.name ?? "", place: placeFromProvince(province?.name ?? up[0]?.name ?? "") };
}

const levelNames = (e: Edition) => e.groupLevels.map((b) => ({ level: b.level, name: b.name }));

/**
 * The decision's data, or null when it does not exist. `now`: the day printed on a draft without
 * a date (the route passes noon of the local day, so the data stays the same all day).
 */
export function decisionData(decisionId: number, now = Date.now(), db: Db = getDb()): DecisionData | null {
  const d = decisionById(decisionId, db);
  if (!d) return null;
  const { office, parent, place } = officeOf(d.issuingUnitId, db);
  const files = decisionFiles(decisionId, db);

  let edition: Edition | null = null;
  const rows: DecisionFileRow[] = [];
  for (const f of files) {
    const a = getAssessment(f.assessmentId, db);
    if (!a) continue;
    // The external phase scored by the engine (as bothPhases scores it for the review and the record).
    const fileEdition = editionOf(a);
    const externalResult = scoreAssessment(fileEdition, answersOf(a.id, "external", db).answers as Answers);
    edition ??= fileEdition;
    const byGroup = new Map(externalResult.groups.map((g) => [g.code, g.level]));
    rows.push({
      school: f.school,
      code: f.code,
      type: f.type,
      subUnit: f.subUnit,
      groupLevels: edition.groups.map((g) => byGroup.get(g.code) ?? null),
      level: f.certificate ? certificateById(f.certificate.id, db)!.level : f.externalLevel,
      revoked: f.certificate?.revokedAt != null,
    });
  }

  return {
    decisionId: d.id,
    status: d.status,
    issuingOffice: office,
    issuingParent: parent,
    number: d.number ?? null,
    date: noonOf(d.decidedOn ?? localDateOf(now)),
    place: d.place?.trim() || place,
    schoolYear: d.schoolYear,
    signerTitle: d.signerTitle ?? "",
    signerName: d.signerName ?? null,
    bases: ((d.bases as string[] | null) ?? []).filter((b) => typeof b === "string" && b.trim() !== ""),
    groups: edition ? edition.groups.map((g) => ({ code: g.code, title: g.title })) : [],
    levels: edition ? levelNames(edition) : [],
    files: rows,
  };
}

type CertificateRow = NonNullable<ReturnType<typeof certificateByToken>>;

/** A certificate's data from its row (certificateByToken). */
export function certificateDataOf(c: CertificateRow, db: Db = getDb()): CertificateData {
  const { office, parent, place } = officeOf(c.issuingUnitId, db);
  const edition = editionOf({ editionId: c.editionId });
  return {
    certificateId: c.id,
    serial: c.serial,
    verifyUrl: verificationUrl(c.token),
    school: c.school,
    schoolCode: c.schoolCode,
    schoolYear: c.schoolYear,
    level: c.level,
    levelTitle: levelTitle(c.level, levelNames(edition)),
    issuingOffice: c.issuingOffice || office,
    issuingParent: parent,
    decisionNumber: c.decisionNumber ?? "",
    decisionDate: noonOf(c.decidedOn ?? localDateOf(c.issuedAt.getTime())),
    place: c.place?.trim() || place,
    signerTitle: c.signerTitle ?? "",
    signerName: c.signerName ?? "",
    revoked: c.revokedAt ? { at: c.revokedAt.getTime(), reason: c.revokeReason ?? "" } : null,
  };
}

/** The certificate's data, or null when it does not exist. */
export function certificateData(certificateId: number, db: Db = getDb()): CertificateData | null {
  const cert = certificateById(certificateId, db);
  if (!cert) return null;
  const row = certificateByToken(cert.token, db);
  return row ? certificateDataOf(row, db) : null;
}

/** Every valid-or-revoked certificate of a decision (the book for printing), in the annex's order. */
export function decisionCertificatesData(decisionId: number, db: Db = getDb()): CertificateData[] {
  const out: CertificateData[] = [];
  for (const f of decisionFiles(decisionId, db)) {
    if (!f.certificate) continue;
    const row = certificateByToken(f.certificate.token, db);
    if (row) out.push(certificateDataOf(row, db));
  }
  return out;
}

/**
 * The document's data with the issuing office's signature request, and the certificate to sign it
 * with, when the office has one; else the data unchanged (drawn unsigned, claiming nothing).
 * `at` is the signing time printed in the signature: the issue time, so the same data draws the
 * same bytes and the cache holds.
 */
export function withSignature<T extends object>(data: T, unitId: number, at: number, reason: string, db: Db = getDb()): { data: T & { signature?: SignatureRequest }; sign?: SignWith } {
  const unit = db.select({ id: units.id, code: units.code, name: units.name }).from(units).where(eq(units.id, unitId)).get();
  const s = unit ? signingFor(unit, at, reason) : null;
  return s ? { data: { ...data, signature: s.request }, sign: s.sign } : { data };
}
