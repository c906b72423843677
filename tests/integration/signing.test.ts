/**
 * Issue 9, section 4: decisions and certificates are PDF-signed with the office's PKCS#12 when one
 * is configured (<SIGNING_DIR>/<code>.p12 + .pass), and say nothing of a signature otherwise.
 *
 * - createSelfSignedP12 with a Vietnamese name reads back (subject, MAC) and signs.
 * - A pdfkit document with addSignaturePlaceholder, signed by the pool in this thread
 *   (PDF_WORKERS=0) and in a real worker thread: pdfsig says the signature is valid and covers the
 *   whole document; one byte changed inside the signed range and pdfsig says it is not.
 * - The pool refuses a placeholder without a certificate and a certificate without a placeholder.
 * - signingKeyFor: null without a file, null (logged once) with a wrong passphrase; files replaced
 *   are read again. ensureDemoSigningKey writes the two files 0600, once.
 * - Cache keys: signed ≠ unsigned, one per certificate; unsigned keys unchanged.
 *
 * The test kind "test:signable" is added to the renderers in this thread, and to a worker bundle
 * built here from the current sources (worker.ts plus that renderer) for the worker case.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as esbuild from "esbuild";
import PDFDocument from "pdfkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { addSignaturePlaceholder, type SignatureRequest } from "~/server/pdf/signature.server";
import { closePdfPool, pdfPoolStats, renderDocumentJson, type DocumentKind, type SignWith } from "~/server/pdf/pool.server";
import { RENDERER_VERSION, renderers } from "~/server/pdf/renderers.server";
import { cachedDocument, documentKey } from "~/server/pdf/document-cache.server";
import { clearSigningKeyCache, keyFilesOf, placeOfOffice, readSigningKey, signatureRequestFor, signingFor, signingKeyFor, signWithOf } from "~/server/signing/keys.server";
import { createSelfSignedP12, ensureDemoSigningKey } from "~/server/signing/self-signed.server";

const ROOT = path.resolve(__dirname, "..", "..");
const CN = "Sở Giáo dục và Đào tạo Demo";
const PASS = "mật-khẩu-ký-số";
const KIND = "test:signable" as unknown as DocumentKind;
const ENV = ["PDF_WORKERS", "PDF_WORKER_PATH", "SIGNING_DIR", "DOCUMENT_CACHE_DIR"] as const;
const savedEnv = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let tmp = "";
let p12: Buffer;
let sign: SignWith;
let workerBundleDir = "";

interface SignableData {
  title: string;
  signature: SignatureRequest | null;
}

/** The renderer of "test:signable" (the same source runs in this thread and in the test worker). */
const RENDERER_SOURCE = `
async function renderSignable(data) {
  const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: data.title, CreationDate: new Date(0) } });
  const chunks = [];
  doc.on("data", (c) => chunks.push(c));
  const done = new Promise((resolve, reject) => { doc.on("end", resolve); doc.on("error", reject); });
  doc.fontSize(16).text(data.title);
  doc.fontSize(11).text("Quyet dinh cong nhan truong dat chuan quoc gia (test document).");
  if (data.signature) addSignaturePlaceholder(doc, data.signature);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}`;
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const renderSignable = new Function("PDFDocument", "addSignaturePlaceholder", `${RENDERER_SOURCE}; return renderSignable;`)(PDFDocument, addSignaturePlaceholder) as (
  data: SignableData,
) => Promise<Buffer>;

const request = (at = Date.UTC(2026, 4, 20, 3, 0)): SignatureRequest => ({
  name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn",
  reason: "Quyết định công nhận trường đạt chuẩn quốc gia",
  location: "Đông Sơn",
  contactInfo: "",
  signingTime: at,
});

function pdfsig(pdf: Buffer, name: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, pdf);
  const r = spawnSync("pdfsig", [file], { encoding: "utf8" });
  if (r.error) throw r.error;
  return `${r.stdout}\n${r.stderr}`;
}

function signedRanges(pdf: Buffer): [number, number, number, number] {
  const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\s*\]/.exec(pdf.toString("latin1"));
  expect(m).not.toBeNull();
  return m!.slice(1).map(Number) as [number, number, number, number];
}

/** pdfsig on a signed PDF, then on a copy with one byte flipped inside the first signed range. */
function expectValidThenTampered(pdf: Buffer, label: string) {
  const out = pdfsig(pdf, `${label}.pdf`);
  expect(out).toContain("Signature #1:");
  expect(out).toContain(`Signer Certificate Common Name: ${CN}`);
  expect(out).toContain("Signing Hash Algorithm: SHA-256");
  expect(out).toContain("Signature Type: adbe.pkcs7.detached");
  expect(out).toContain("Total document signed");
  expect(out).toContain("Signature Validation: Signature is Valid.");
  expect(out).not.toMatch(/Signature #2/);

  const [start, len, second, secondLen] = signedRanges(pdf);
  expect(start).toBe(0);
  expect(second + secondLen).toBe(pdf.length);
  // Byte 10 is in the header's binary comment (%\xFF\xFF\xFF\xFF): the file still parses, its digest changes.
  expect(10).toBeLessThan(len);
  const bad = Buffer.from(pdf);
  bad[10] ^= 0x01;
  const tampered = pdfsig(bad, `${label}-tampered.pdf`);
  expect(tampered).toContain("Signature #1:");
  expect(tampered).not.toContain("Signature is Valid.");
  expect(tampered).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid|.*[Mm]odified)/);
}

/** A worker bundle of the current sources with "test:signable" added to its renderers. */
async function buildSignableWorker(): Promise<string> {
  workerBundleDir = path.join(ROOT, "node_modules", ".cache", "pdf-worker", `signing-${process.pid}-${Date.now()}`);
  fs.mkdirSync(workerBundleDir, { recursive: true });
  const entry = path.join(workerBundleDir, "entry.ts");
  const app = path.join(ROOT, "app", "server", "pdf");
  fs.writeFileSync(
    entry,
    `import PDFDocument from "pdfkit";
import { renderers } from ${JSON.stringify(path.join(app, "renderers.server.ts"))};
import { addSignaturePlaceholder } from ${JSON.stringify(path.join(app, "signature.server.ts"))};
import ${JSON.stringify(path.join(app, "worker.ts"))};
${RENDERER_SOURCE}
// Added before any job can arrive (messages come after this module has run).
(renderers as Record<string, unknown>)["test:signable"] = renderSignable;
`,
  );
  const outfile = path.join(workerBundleDir, "pdf-worker.mjs");
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "silent",
    // package.json says "sideEffects": false: without this the side-effect import of worker.ts is dropped.
    ignoreAnnotations: true,
    plugins: [
      {
        name: "app-alias",
        setup(build) {
          build.onResolve({ filter: /^~\// }, (args) => build.resolve(`./${args.path.slice(2)}`, { kind: args.kind, resolveDir: path.join(ROOT, "app") }));
        },
      },
    ],
  });
  return outfile;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cds-signing-"));
  process.env.SIGNING_DIR = path.join(tmp, "signing");
  process.env.DOCUMENT_CACHE_DIR = path.join(tmp, "cache");
  p12 = createSelfSignedP12(CN, PASS);
  sign = { p12: p12.toString("base64"), passphrase: PASS };
  (renderers as unknown as Record<string, unknown>)["test:signable"] = renderSignable;
});

afterEach(async () => {
  await closePdfPool();
  clearSigningKeyCache();
  vi.restoreAllMocks();
});

afterAll(async () => {
  delete (renderers as unknown as Record<string, unknown>)["test:signable"];
  for (const k of ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  if (workerBundleDir) fs.rmSync(workerBundleDir, { recursive: true, force: true });
});

describe("self-signed certificates", () => {
  it("a Vietnamese commonName reads back from the PKCS#12 (MAC, key, certificate, subject)", () => {
    const key = readSigningKey(p12, PASS);
    expect(key.subject).toBe(CN);
    expect(key.passphrase).toBe(PASS);
    expect(key.fingerprint).toBe(createHash("sha256").update(p12).digest("hex"));
    // About ten years of validity.
    const years = (key.notAfter - Date.now()) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
    expect(() => readSigningKey(p12, "sai mật khẩu")).toThrow();
  });

  it("openssl reads the certificate: UTF-8 subject, digitalSignature + nonRepudiation, SHA-256, RSA 2048", () => {
    const pem = spawnSync("openssl", ["pkcs12", "-nokeys", "-clcerts", "-passin", `pass:${PASS}`], { input: p12 });
    if (pem.error) return expect.fail(`openssl not installed: ${pem.error.message}`);
    expect(pem.status).toBe(0);
    const text = spawnSync("openssl", ["x509", "-noout", "-text", "-nameopt", "utf8"], { input: pem.stdout, encoding: "utf8" }).stdout;
    expect(text).toContain(`Subject: CN=${CN}, O=${CN}, C=VN`);
    expect(text).toContain("Digital Signature, Non Repudiation");
    expect(text).toContain("sha256WithRSAEncryption");
    expect(text).toContain("Public-Key: (2048 bit)");
  });
});

describe("signing in the PDF pool", () => {
  it("in this thread (PDF_WORKERS=0): pdfsig validates the signature over the whole file, and sees one flipped byte", async () => {
    process.env.PDF_WORKERS = "0";
    const before = pdfPoolStats();
    const pdf = await renderDocumentJson(KIND, JSON.stringify({ title: "Quyet dinh 1", signature: request() }), sign);
    expect(pdfPoolStats().inProcess).toBe(before.inProcess + 1);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expectValidThenTampered(pdf, "in-process");
  });

  it("in a real worker thread: the same", async () => {
    process.env.PDF_WORKER_PATH = await buildSignableWorker();
    process.env.PDF_WORKERS = "1";
    const before = pdfPoolStats();
    const pdf = await renderDocumentJson(KIND, JSON.stringify({ title: "Quyet dinh 2", signature: request() }), sign);
    const after = pdfPoolStats();
    expect(after.pooled).toBe(before.pooled + 1);
    expect(after.succeeded).toBe(before.succeeded + 1);
    expectValidThenTampered(pdf, "worker");
    // The worker keeps the opened certificate: a second document signs as well.
    const again = await renderDocumentJson(KIND, JSON.stringify({ title: "Quyet dinh 3", signature: request() }), sign);
    expect(pdfsig(again, "worker-2.pdf")).toContain("Signature Validation: Signature is Valid.");
    // A refusal in the worker rejects that job only.
    await expect(renderDocumentJson(KIND, JSON.stringify({ title: "x", signature: request() }))).rejects.toMatchObject({
      reason: "failed",
      message: expect.stringContaining("signature placeholder but no certificate"),
    });
  });

  it("without a certificate the document has no signature at all; a placeholder without one, or one without a placeholder, is refused", async () => {
    process.env.PDF_WORKERS = "0";
    const plain = await renderDocumentJson(KIND, JSON.stringify({ title: "Phong", signature: null }));
    expect(plain.includes(Buffer.from("/ByteRange"))).toBe(false);
    expect(plain.includes(Buffer.from("/Sig"))).toBe(false);
    expect(pdfsig(plain, "unsigned.pdf")).toContain("does not contain any signatures");
    await expect(renderDocumentJson(KIND, JSON.stringify({ title: "x", signature: request() }))).rejects.toMatchObject({
      message: expect.stringContaining("signature placeholder but no certificate"),
    });
    await expect(renderDocumentJson(KIND, JSON.stringify({ title: "x", signature: null }), sign)).rejects.toMatchObject({
      message: expect.stringContaining("without a signature placeholder"),
    });
    // A wrong passphrase fails the job (the MAC check), it never yields an unsigned file.
    await expect(renderDocumentJson(KIND, JSON.stringify({ title: "x", signature: request() }), { ...sign, passphrase: "sai" })).rejects.toMatchObject({ reason: "failed" });
  });
});

describe("an office's certificate in SIGNING_DIR", () => {
  const so = { id: 2, code: "S99", name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn" };
  const phong = { id: 3, code: "S99-P01", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn" };

  it("no file: null, nothing logged; a wrong passphrase: null, logged once; the right one (trimmed): the key", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const dir = process.env.SIGNING_DIR!;
    fs.rmSync(dir, { recursive: true, force: true });
    expect(signingKeyFor(phong)).toBeNull();
    expect(signatureRequestFor(phong, Date.now(), "x")).toBeNull();
    expect(signingFor(phong, Date.now(), "x")).toBeNull();
    expect(log).not.toHaveBeenCalled();

    fs.mkdirSync(dir, { recursive: true });
    const files = keyFilesOf(phong.code)!;
    expect(files.p12).toBe(path.join(dir, "S99-P01.p12"));
    fs.writeFileSync(files.p12, p12);
    // A .p12 without its .pass.
    expect(signingKeyFor(phong)).toBeNull();
    fs.writeFileSync(files.pass, "mật khẩu sai\n");
    expect(signingKeyFor(phong)).toBeNull();
    expect(signingKeyFor(phong)).toBeNull();
    expect(signatureRequestFor(phong, Date.now(), "x")).toBeNull();
    expect(log).toHaveBeenCalledTimes(2);
    expect(String(log.mock.calls[1][0])).toContain("S99-P01");
    expect(String(log.mock.calls[1][0])).toContain("unsigned");

    // The passphrase fixed (a new version of the file): read again.
    fs.writeFileSync(files.pass, `  ${PASS}  \n`);
    const future = new Date(Date.now() + 5000);
    fs.utimesSync(files.pass, future, future);
    const key = signingKeyFor(phong);
    expect(key).not.toBeNull();
    expect(key!.subject).toBe(CN);
    expect(key!.passphrase).toBe(PASS);
    expect(key!.p12.equals(p12)).toBe(true);
    expect(signWithOf(key!)).toEqual(sign);
    expect(log).toHaveBeenCalledTimes(2);

    const both = signingFor(phong, 1_780_000_000_000, "Quyết định công nhận");
    expect(both?.sign).toEqual(sign);
    expect(both?.request).toEqual({ name: phong.name, reason: "Quyết định công nhận", location: "thành phố Đông Sơn", contactInfo: "", signingTime: 1_780_000_000_000 });

    // A damaged file: null, logged.
    fs.writeFileSync(files.p12, p12.subarray(0, 200));
    fs.utimesSync(files.p12, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    expect(signingKeyFor(phong)).toBeNull();
    expect(log).toHaveBeenCalledTimes(3);
    // A code that cannot name a file is never looked up.
    expect(keyFilesOf("../S99")).toBeNull();
    expect(signingKeyFor({ id: 9, code: "../S99", name: "x" })).toBeNull();
  });

  it("ensureDemoSigningKey writes <code>.p12 and <code>.pass (0600) once; the Sở then signs, with its place as location", async () => {
    const files = keyFilesOf(so.code)!;
    fs.rmSync(files.p12, { force: true });
    expect(ensureDemoSigningKey(so)).toBe(true);
    expect(ensureDemoSigningKey(so)).toBe(false);
    expect(fs.statSync(files.p12).mode & 0o777).toBe(0o600);
    expect(fs.statSync(files.pass).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(files.pass, "utf8").trim().length).toBeGreaterThanOrEqual(20);
    const key = signingKeyFor(so);
    expect(key?.subject).toBe(so.name);
    const req = signatureRequestFor(so, 1_780_000_000_000, "Quyết định công nhận");
    expect(req).toEqual({ name: so.name, reason: "Quyết định công nhận", location: "Đông Sơn", contactInfo: "", signingTime: 1_780_000_000_000 });
    expect(placeOfOffice("UBND xã Hoà Phú")).toBe("xã Hoà Phú");

    process.env.PDF_WORKERS = "0";
    const pdf = await renderDocumentJson(KIND, JSON.stringify({ title: "So", signature: req }), signWithOf(key!));
    const out = pdfsig(pdf, "demo-so.pdf");
    expect(out).toContain(`Signer Certificate Common Name: ${so.name}`);
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Total document signed");
  });
});

describe("the document cache with signing", () => {
  it("signed and unsigned keys differ, one per certificate; unsigned keys are what they were", async () => {
    const json = JSON.stringify({ title: "Cache", signature: null });
    const unsigned = documentKey(KIND, json);
    expect(unsigned).toBe(createHash("sha256").update(`${KIND}\n${RENDERER_VERSION}\n`).update(json).digest("hex"));
    const signed = documentKey(KIND, json, sign);
    expect(signed).toMatch(/^[0-9a-f]{64}$/);
    expect(signed).not.toBe(unsigned);
    expect(documentKey(KIND, json, { ...sign })).toBe(signed);
    // The passphrase does not make another document; another certificate does.
    expect(documentKey(KIND, json, { ...sign, passphrase: "khác" })).toBe(signed);
    const other = createSelfSignedP12(CN, PASS);
    expect(documentKey(KIND, json, { p12: other.toString("base64"), passphrase: PASS })).not.toBe(signed);
  });

  it("cachedDocument signs on a miss, serves the signed file on a hit, and keys the unsigned one apart", async () => {
    process.env.PDF_WORKERS = "0";
    const json = JSON.stringify({ title: "Cache 2", signature: request() });
    const first = await cachedDocument(KIND, 7, json, undefined, sign);
    expect(first.source).toBe("render");
    expect(first.key).toBe(documentKey(KIND, json, sign));
    if (first.source !== "render") throw new Error("expected a render");
    expect(pdfsig(first.pdf, "cached.pdf")).toContain("Signature Validation: Signature is Valid.");
    const second = await cachedDocument(KIND, 7, json, undefined, sign);
    expect(second.source).toBe("cache");
    if (second.source !== "cache") throw new Error("expected a cache hit");
    expect(second.size).toBe(first.pdf.length);
    second.stream.destroy();
    const plainJson = JSON.stringify({ title: "Cache 2", signature: null });
    const plain = await cachedDocument(KIND, 7, plainJson);
    expect(plain.source).toBe("render");
    expect(plain.key).toBe(documentKey(KIND, plainJson));
    expect(plain.key).not.toBe(first.key);
  });
});
