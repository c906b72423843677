/**
 * Self-signed signing certificates (PKCS#12) made with node-forge: for the demo's Sở (created at
 * first start by the demo seed) and for tests. A real office uses the certificate its CA issued,
 * placed in SIGNING_DIR by hand (keys.server.ts); nothing here runs outside the demo and tests.
 *
 * A non-ASCII commonName must be given `valueTagClass: UTF8String`: without it forge writes a
 * PrintableString of the raw char codes (and the file does not read back). With it, forge 1.x
 * UTF-8-encodes the value itself (x509.js _dnToAsn1), so the value is passed as a JS string:
 * encoding it beforehand as well would store it twice encoded ("SÃ¡Â»Â"). The friendlyName is
 * a BMPString, written from the JS string's char codes.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { keyFilesOf, signingDir } from "./keys.server";

/** A PKCS#12 file (RSA 2048, SHA-256, digitalSignature + nonRepudiation) for commonName, encrypted with passphrase. */
export function createSelfSignedP12(commonName: string, passphrase: string, years = 10): Buffer {
  // Node's key generation (~0.1 s) rather than forge's JavaScript one (~1 s).
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const keys = {
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: "spki", format: "pem" }).toString()),
  };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // A positive serial (leading byte below 0x80): 16 random bytes.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString("hex");
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = commonName.normalize("NFC");
  const attrs = [
    { name: "commonName", value: name, valueTagClass: forge.asn1.Type.UTF8 },
    { name: "organizationName", value: name, valueTagClass: forge.asn1.Type.UTF8 },
    { name: "countryName", value: "VN" },
  ] as forge.pki.CertificateField[];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", critical: true, digitalSignature: true, nonRepudiation: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, { algorithm: "aes256", friendlyName: name });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

/**
 * The demo's certificate for an office: writes <SIGNING_DIR>/<code>.p12 and <code>.pass (mode
 * 0600) with a random passphrase when the .p12 is missing. Returns whether it created them.
 */
export function ensureDemoSigningKey(unit: { code: string; name: string }): boolean {
  const files = keyFilesOf(unit.code);
  if (!files) throw new Error(`signing: unit code not usable as a file name: ${unit.code}`);
  if (fs.existsSync(files.p12)) return false;
  fs.mkdirSync(signingDir(), { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(18).toString("base64url");
  const p12 = createSelfSignedP12(unit.name, passphrase);
  // The .p12 is linked into place exclusively (two processes seeding at once: one wins, the other
  // writes nothing), then its .pass. A reader in between sees no passphrase, logs it and reads again
  // once the .pass exists (keys.server.ts caches by both files' mtimes).
  const tag = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const tmpP12 = path.join(path.dirname(files.p12), `.${path.basename(files.p12)}.${tag}.tmp`);
  const tmpPass = path.join(path.dirname(files.pass), `.${path.basename(files.pass)}.${tag}.tmp`);
  try {
    fs.writeFileSync(tmpP12, p12, { mode: 0o600 });
    fs.writeFileSync(tmpPass, `${passphrase}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmpP12, files.p12);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
    fs.renameSync(tmpPass, files.pass);
  } finally {
    fs.rmSync(tmpP12, { force: true });
    fs.rmSync(tmpPass, { force: true });
  }
  return true;
}
