/**
 * Where an office's signing certificate lives (issue 9, section 4).
 *
 *   <SIGNING_DIR>/<unit code>.p12    the PKCS#12 file (private key and certificate)
 *   <SIGNING_DIR>/<unit code>.pass   its passphrase (surrounding whitespace trimmed)
 *
 * SIGNING_DIR defaults to signing/ beside the database: data/signing (a test's database in its
 * temporary directory gets its own). An office without a
 * .p12 has no certificate: its documents are unsigned and carry no signature field. A file that
 * cannot be used (unreadable, wrong passphrase, no key matching the certificate, expired) is
 * logged once per version of the files and treated as no certificate: a document never claims a
 * signature that could not be made.
 *
 * Read per process, cached with the two files' mtimes (a replaced file is read again). The
 * decision and certificate routes ask signingFor(unit, now, reason): the request goes into the
 * document's data (the renderer adds the placeholder), the `sign` goes to the PDF pool.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { databasePath } from "../db/client.server";
import type { SignatureRequest } from "../pdf/signature.server";
import type { SignWith } from "../pdf/pool.server";
import { placeFromProvince } from "../services/report.server";

export interface SigningKey {
  p12: Buffer;
  passphrase: string;
  /** The certificate's subject, as people read it (its commonName, else the whole name). */
  subject: string;
  /** Hex sha256 of the .p12 bytes. */
  fingerprint: string;
  /** The certificate's end of validity (epoch ms). */
  notAfter: number;
}

export interface SigningUnit {
  id: number;
  code: string;
  name: string;
}

/** SIGNING_DIR, else signing/ beside the database (data/signing for both the default and the demo database). */
export function signingDir(): string {
  const set = process.env.SIGNING_DIR;
  return set && set.trim() ? path.resolve(set) : path.join(path.dirname(databasePath()), "signing");
}

/** The two files of a unit code, or null when the code cannot safely name a file. */
export function keyFilesOf(code: string): { p12: string; pass: string } | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(code)) return null;
  const dir = signingDir();
  return { p12: path.join(dir, `${code}.p12`), pass: path.join(dir, `${code}.pass`) };
}

interface Cached {
  stamp: string;
  key: SigningKey | null;
}

const cache = new Map<string, Cached>();

/** The file's version (mtime, size, inode), or null when it does not exist. */
function mtimeOf(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}/${st.size}/${st.ino}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw e;
  }
}

/** Reads and checks a PKCS#12 file: the key opens with the passphrase and matches a certificate valid now. */
export function readSigningKey(p12: Buffer, passphrase: string, now = Date.now()): SigningKey {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString("binary")));
  // Throws on a wrong passphrase (the MAC check) or a damaged file.
  const parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  const keyBag = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0];
  const privateKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) throw new Error("no private key in the PKCS#12 file");
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(privateKey.n) === 0 && pub.e?.compareTo(privateKey.e) === 0;
  });
  if (!cert) throw new Error("no certificate matches the private key");
  const notAfter = cert.validity.notAfter.getTime();
  if (notAfter < now) throw new Error(`the certificate expired on ${cert.validity.notAfter.toISOString()}`);
  if (cert.validity.notBefore.getTime() > now) throw new Error(`the certificate is valid only from ${cert.validity.notBefore.toISOString()}`);
  // forge leaves UTF8String values UTF-8-encoded when it reads them.
  const text = (a: forge.pki.CertificateField) => ((a.valueTagClass as unknown) === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(String(a.value)) : String(a.value));
  const cn = cert.subject.attributes.find((a) => a.shortName === "CN");
  const subject = cn ? text(cn) : cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${text(a)}`).join(", ");
  return { p12, passphrase, subject: subject.normalize("NFC"), fingerprint: createHash("sha256").update(p12).digest("hex"), notAfter };
}

/** The office's signing certificate, or null when it has none (or none that works: logged once). */
export function signingKeyFor(unit: SigningUnit): SigningKey | null {
  const files = keyFilesOf(unit.code);
  if (!files) return null;
  const p12Mtime = mtimeOf(files.p12);
  if (p12Mtime === null) {
    cache.delete(files.p12);
    return null;
  }
  const passMtime = mtimeOf(files.pass);
  const stamp = `${p12Mtime}:${passMtime}`;
  const hit = cache.get(files.p12);
  if (hit && hit.stamp === stamp && (!hit.key || hit.key.notAfter >= Date.now())) return hit.key;
  let key: SigningKey | null = null;
  try {
    if (passMtime === null) throw new Error(`no passphrase file ${files.pass}`);
    key = readSigningKey(fs.readFileSync(files.p12), fs.readFileSync(files.pass, "utf8").trim());
  } catch (e) {
    console.error(`signing: the certificate of ${unit.code} (${unit.name}) in ${files.p12} cannot be used, its documents stay unsigned: ${e instanceof Error ? e.message : String(e)}`);
  }
  cache.set(files.p12, { stamp, key });
  return key;
}

/** Forgets the cached certificates (tests). */
export function clearSigningKeyCache(): void {
  cache.clear();
}

const OFFICE_PREFIXES = [/^phòng\s+(giáo\s+dục\s+và\s+đào\s+tạo|gd\s*&\s*đt|gdđt|gd-đt)\s+/iu, /^(ubnd|uỷ\s+ban\s+nhân\s+dân|ủy\s+ban\s+nhân\s+dân)\s+/iu];

/** The office's place from its name: "Sở GDĐT tỉnh Đông Sơn" → "Đông Sơn", "Phòng GDĐT thành phố Đông Sơn" → "thành phố Đông Sơn". */
export function placeOfOffice(name: string): string {
  const n = name.normalize("NFC").replace(/\s+/g, " ").trim();
  for (const re of OFFICE_PREFIXES) {
    const m = re.exec(n);
    if (m && n.slice(m[0].length).trim()) return n.slice(m[0].length).trim();
  }
  return placeFromProvince(n);
}

/** The signature dictionary's fields for a document the office signs now, or null when it has no certificate. */
export function signatureRequestFor(unit: SigningUnit, now: number, reason: string): SignatureRequest | null {
  return signingKeyFor(unit) ? requestOf(unit, now, reason) : null;
}

function requestOf(unit: SigningUnit, now: number, reason: string): SignatureRequest {
  return { name: unit.name.normalize("NFC"), reason, location: placeOfOffice(unit.name), contactInfo: "", signingTime: now };
}

/** What the PDF pool needs to sign with this certificate. */
export function signWithOf(key: SigningKey): SignWith {
  return { p12: key.p12.toString("base64"), passphrase: key.passphrase };
}

/**
 * Both halves at once, from one read of the certificate: `request` goes into the document's data
 * (`signature`), `sign` to renderDocument / cachedDocument. Null: the document is drawn unsigned
 * (`signature: null`, no `sign`).
 */
export function signingFor(unit: SigningUnit, now: number, reason: string): { request: SignatureRequest; sign: SignWith; key: SigningKey } | null {
  const key = signingKeyFor(unit);
  return key ? { request: requestOf(unit, now, reason), sign: signWithOf(key), key } : null;
}
