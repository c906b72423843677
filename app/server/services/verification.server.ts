/**
 * Public verification of a certificate (giấy công nhận) by its token: what /xac-minh/:token and its
 * JSON form show. Anyone may ask (policy "certificate.verify" on the system is public), so nothing
 * leaves this module but the VerificationFacts fields: no ids, no user names other than the signer's
 * name and title printed on the certificate.
 *
 * - A malformed token is refused before the database is asked; an unknown one is the same null.
 * - The status is read at each call (the pages send Cache-Control: no-store): a revocation shows at once.
 * - The level's title comes from the group-level names of the edition the file was assessed with.
 */
import { levelTitle, TOKEN_PATTERN, type VerificationFacts } from "~/domain/recognition";
import { localDateOf } from "~/utils/time";
import { getDb, type Db } from "../db/client.server";
import { getEdition } from "./catalogue.server";
import { verificationUrl } from "./recognition-documents.server";
import { certificateByToken } from "./recognition.server";

/** Is this string shaped like a verification token (checked before any lookup)? */
export function isTokenShaped(token: unknown): token is string {
  return typeof token === "string" && TOKEN_PATTERN.test(token);
}

/** The public facts of the certificate with this token, or null (malformed or unknown: the same). */
export function verificationFacts(token: string, db: Db = getDb()): VerificationFacts | null {
  if (!isTokenShaped(token)) return null;
  const c = certificateByToken(token, db);
  // certificateByToken matches exactly; the extra check keeps a collation surprise from ever matching another.
  if (!c || c.token !== token) return null;
  const edition = getEdition(c.editionId, db)?.edition;
  // A certificate of a revoked decision is never shown as valid, even if its own row was missed.
  const revoked = c.revokedAt != null || c.decisionStatus === "revoked";
  return {
    serial: c.serial,
    school: c.school,
    schoolCode: c.schoolCode,
    level: c.level,
    levelTitle: levelTitle(c.level, edition?.groupLevels ?? []),
    schoolYear: c.schoolYear,
    issuingOffice: c.issuingOffice,
    decisionNumber: c.decisionNumber ?? "",
    decisionDate: c.decidedOn ?? "",
    signerName: c.signerName ?? "",
    signerTitle: c.signerTitle ?? "",
    status: revoked ? "revoked" : "valid",
    revokedOn: revoked ? localDateOf((c.revokedAt ?? c.decisionRevokedAt ?? new Date()).getTime()) : null,
    revokeReason: revoked ? (c.revokeReason ?? c.decisionRevokeReason ?? "") : null,
  };
}

/** The public address of a certificate's verification page: the one its QR code carries (PUBLIC_BASE_URL). */
export function verifyUrlFor(token: string, _request?: Request): string {
  return verificationUrl(encodeURIComponent(token));
}
