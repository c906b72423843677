/**
 * Issue 7, finding 12: the text layer of official documents. pdftotext read "LEADERSHIP" as
 * "L AD RSHIP" and "Đông Sơn" as "Đông S n" although the page looked right: fontkit keeps one
 * glyph object per glyph id, the subsetter of a finished document fetched the components of
 * composite glyphs ("E" in "Ề", "ơ" in "ớ") without code points, and the parsed font shared
 * with the next document handed those empty glyphs to every later "E" / "ơ", so the ToUnicode
 * CMap mapped them to nothing (see app/server/pdf/fonts.server.ts).
 *
 * The tests therefore first draw a document that uses only toned letters (every base letter is
 * then a component the subsetter fetched), then draw the report and a document in all four faces
 * with every Vietnamese letter, upper and lower case, with every tone mark, and read the text
 * back with pdftotext (poppler-utils; CI installs it).
 *
 * Words have two letters or more: pdftotext's layout mode joins one-letter words ("A B" → "AB")
 * whatever the PDF says.
 */
import { spawnSync } from "node:child_process";
import PDFDocument from "pdfkit";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { assessmentsOfSchool } from "~/server/services/assessments.server";
import { buildReportData } from "~/server/services/report.server";
import { renderSelfAssessmentReportToBuffer } from "~/server/pdf/self-assessment-report.server";
import { guardCodePoints, registerTinos, tinos, type FaceKey } from "~/server/pdf/fonts.server";

useTestDatabase("pdf-text");

const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;
const SKIP_REASON = "SKIPPED: pdftotext not found (apt-get install -y poppler-utils)";

// ───────────────────────────── the alphabet ─────────────────────────────

const VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
const CONSONANTS = ["b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x"];
/** Ngang (none), sắc, huyền, hỏi, ngã, nặng. */
const TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"];
const up = (s: string) => s.toLocaleUpperCase("vi-VN");

/** Every vowel with every tone, composed (NFC): 12 × 6 = 72 letters. */
const TONED = VOWELS.flatMap((v) => TONES.map((t) => (v + t).normalize("NFC")));

/** One word per vowel with its six tones, lower and upper case, and the consonants. */
const ALPHABET_WORDS = [
  ...VOWELS.map((v) => TONES.map((t) => (v + t).normalize("NFC")).join("")),
  ...VOWELS.map((v) => up(TONES.map((t) => (v + t).normalize("NFC")).join(""))),
  CONSONANTS.join(""),
  up(CONSONANTS.join("")),
];
/** No hyphen, dash or slash inside a word: pdfkit may break a line after one. */
const EXTRA_WORDS = ["LEADERSHIP", "Đông", "Sơn", "ĐÔNG", "SƠN", "0123456789", "(12),", "“Ơn”;", "Ợ!", "45,5%?", "Ế."];
const WORDS = [...ALPHABET_WORDS, ...EXTRA_WORDS];
const LINE = WORDS.join(" ");

/** Toned letters only: drawing these first leaves every base letter a subsetter-fetched component. */
const TONED_ONLY = [
  ...VOWELS.map((v) => TONES.slice(1).map((t) => (v + t).normalize("NFC")).join("")),
  ...VOWELS.map((v) => up(TONES.slice(1).map((t) => (v + t).normalize("NFC")).join(""))),
].join(" ");

// ───────────────────────────── helpers ─────────────────────────────

function pdftotext(pdf: Buffer): string {
  const r = spawnSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8");
}

/** The extracted text as a list of words (NFC, whitespace-normalised). */
const wordsOf = (text: string) => text.normalize("NFC").split(/\s+/).filter(Boolean);

function missing(text: string, expected: string[]): string[] {
  const got = new Set(wordsOf(text));
  return expected.filter((w) => !got.has(w));
}

async function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.end();
  for await (const c of doc as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A document drawn through the shared font code (as every official document is). */
async function officialDoc(lines: [FaceKey, string][]): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", font: tinos().regular, margins: { top: 50, bottom: 50, left: 60, right: 40 } });
  registerTinos(doc);
  for (const [face, text] of lines) doc.font(face).fontSize(13).text(text, { width: 480 });
  return toBuffer(doc);
}

const FACES: FaceKey[] = ["R", "B", "I", "BI"];

let reportId = 0;

beforeAll(async () => {
  // Units and a school whose names carry the letters into the bold heading and the italic lines.
  const province = createUnit({ kind: "province", code: "S99", name: `Sở Giáo dục và Đào tạo tỉnh Đông Sơn ${ALPHABET_WORDS.slice(0, 4).join(" ")}`, parentId: null }, null);
  const district = createUnit({ kind: "district", code: "P9901", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
  const school = createSchool({ code: "99100001", name: `Trường THCS Đông Sơn ${ALPHABET_WORDS.slice(12, 18).join(" ")}`, type: "THCS", managingUnitId: district, reviewingUnitId: district }, null);
  const admin = await createUser({ username: "admin.pdftext", displayName: "Quản trị", password: "mat-khau-kiem-thu-123", roles: ["office_admin"], unitId: district }, null);
  await createUser({ username: "head.pdftext", displayName: `Lê Thị Ơn ${ALPHABET_WORDS.slice(18).join(" ")}`, password: "mat-khau-kiem-thu-123", roles: ["school_head"], schoolId: school }, null);
  const opened = openCycle({ ownerUnitId: district, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
  expect(opened).toMatchObject({ ok: true });
  reportId = assessmentsOfSchool(school)[0].id;
  // Every section (regular, justified) holds the whole alphabet.
  const text = { leadership: LINE, process: LINE, results: LINE, difficulties: LINE, directions: LINE, proposals: LINE };
  getDb().update(assessments).set({ reportText: text }).where(eq(assessments.id, reportId)).run();
}, 60_000);

describe("the alphabet", () => {
  it("has every Vietnamese letter with every tone mark, each one code point", () => {
    expect(TONED).toHaveLength(72);
    expect(new Set(TONED).size).toBe(72);
    for (const ch of [...TONED, ...TONED.map(up), ...CONSONANTS, ...CONSONANTS.map(up)]) expect([...ch]).toHaveLength(1);
    expect(ALPHABET_WORDS).toContain("aáàảãạ");
    expect(ALPHABET_WORDS).toContain("ƠỚỜỞỠỢ");
    expect(ALPHABET_WORDS).toContain("BCDĐGHKLMNPQRSTVX");
  });
});

describe.skipIf(!hasPdftotext)(`the text layer${hasPdftotext ? "" : ` (${SKIP_REASON})`}`, () => {
  it("keeps every letter in all four faces, after a document that used only toned letters", async () => {
    // First document: toned letters only, in every face (its subset fetches a, e, o, ơ … as components).
    const first = await officialDoc(FACES.map((f) => [f, TONED_ONLY] as [FaceKey, string]));
    expect(missing(pdftotext(first), TONED_ONLY.split(" "))).toEqual([]);

    const second = await officialDoc(FACES.map((f) => [f, LINE] as [FaceKey, string]));
    const text = pdftotext(second);
    expect(missing(text, WORDS)).toEqual([]);
    // Each face drew the line once: every word is there four times.
    const words = wordsOf(text);
    for (const w of ["LEADERSHIP", "Sơn", "eéèẻẽẹ", "ƠỚỜỞỠỢ", "ưứừửữự"]) expect(words.filter((x) => x === w)).toHaveLength(4);
  });

  it("keeps every letter of the report (regular sections, bold heading and names, italic lines)", async () => {
    await officialDoc(FACES.map((f) => [f, TONED_ONLY] as [FaceKey, string]));
    const data = buildReportData(reportId, Date.UTC(2026, 10, 23, 3))!;
    expect(data.placeName).toBe(`Đông Sơn ${ALPHABET_WORDS.slice(0, 4).join(" ")}`);
    // Twice: the second report is drawn with the glyphs the first one's subsets fetched.
    for (let round = 0; round < 2; round++) {
      const text = pdftotext(await renderSelfAssessmentReportToBuffer(data));
      expect(missing(text, WORDS)).toEqual([]);
      const words = wordsOf(text);
      // The six sections (regular) hold the line once each.
      for (const w of ["LEADERSHIP", "eéèẻẽẹ", "ơớờởỡợ", "bcdđghklmnpqrstvx", "0123456789"]) expect(words.filter((x) => x === w).length).toBeGreaterThanOrEqual(6);
      const flat = text.normalize("NFC").replace(/\s+/g, " ");
      // Bold: the school in capitals in the heading, the head's name under the signature.
      expect(flat).toContain(up(`Trường THCS Đông Sơn ${ALPHABET_WORDS.slice(12, 18).join(" ")}`));
      expect(flat).toContain(`Lê Thị Ơn ${ALPHABET_WORDS.slice(18).join(" ")}`);
      // Italic: place and date; the annex's subtitle names the school.
      expect(flat).toContain(`Đông Sơn ${ALPHABET_WORDS.slice(0, 4).join(" ")}, ngày 23 tháng 11 năm 2026`);
      expect(flat).toContain(`Trường THCS Đông Sơn ${ALPHABET_WORDS.slice(12, 18).join(" ")}`);
      // Bold italic: "Nơi nhận:".
      expect(flat).toContain("Nơi nhận:");
    }
  });

  it("draws decomposed (NFD) input as composed letters, so the text layer is NFC", async () => {
    const nfd = LINE.normalize("NFD");
    expect(nfd).not.toBe(LINE);
    const text = pdftotext(await officialDoc(FACES.map((f) => [f, nfd] as [FaceKey, string])));
    // Compared as extracted, not normalised: no combining marks left over.
    expect(text).not.toMatch(/[\u0300-\u036f]/);
    expect(missing(text, WORDS)).toEqual([]);
  });
});

describe("the code-point guard", () => {
  it("makes a glyph fetched without code points come back with them when asked with them", () => {
    const made: { id: number; codePoints: number[] }[] = [];
    const font = {
      _glyphs: {} as Record<number, { id: number; codePoints: number[] }>,
      getGlyph(id: number, codePoints: number[] = []) {
        if (!this._glyphs[id]) {
          this._glyphs[id] = { id, codePoints };
          made.push(this._glyphs[id]);
        }
        return this._glyphs[id];
      },
    };
    expect(guardCodePoints(font)).toBe(true);
    expect(guardCodePoints(font)).toBe(true); // idempotent
    expect(font.getGlyph(40).codePoints).toEqual([]); // as the subsetter asks for a component
    expect(font.getGlyph(40, [0x45]).codePoints).toEqual([0x45]); // as layout asks for "E"
    expect(font.getGlyph(40, [0x45]).codePoints).toEqual([0x45]);
    expect(font.getGlyph(40).codePoints).toEqual([0x45]); // a good glyph is kept
    expect(made).toHaveLength(2);
    expect(guardCodePoints({})).toBe(false);
    expect(guardCodePoints(null)).toBe(false);
  });
});
