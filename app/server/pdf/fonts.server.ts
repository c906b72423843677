/**
 * Fonts for official documents: Tinos (metric-compatible with Times New Roman), full TTFs from
 * @expo-google-fonts/tinos. The built-in PDF fonts cannot show Vietnamese, and split web-font
 * subsets crash fontkit (design/pitfalls.md).
 *
 * Speed: the first text laid out with a freshly parsed TTF makes fontkit decode the big
 * GSUB/GPOS tables, ~50–100 ms per face and per document, and shaping each new word costs
 * again. The parsed fontkit objects are read-only after that, and pdfkit's per-word layout
 * cache holds runs it never mutates (it copies before adjusting), so both are shared across
 * documents; each document still gets its own pdfkit font object (own subset, widths, id).
 * The shared word cache is dropped when it grows past WORD_CACHE_MAX entries.
 * If pdfkit's internals ever differ from what this expects, it falls back to registering the
 * files normally (slower, same output).
 *
 * Text layer (issue 7, finding 12). pdfkit writes each glyph's ToUnicode entry from
 * `glyph.codePoints`, and fontkit keeps ONE glyph object per glyph id in the parsed font, with
 * the code points of whichever call made it first. When a document ends, the TTF subsetter
 * fetches the components of composite glyphs ("E" inside "Ề", "ơ" inside "ớ") with
 * `getGlyph(id)`, i.e. with no code points. A parsed font shared with the next document then
 * handed that empty glyph to every later "E" or "ơ": the page looked right, but the ToUnicode
 * CMap mapped those glyphs to nothing, so pdftotext read "LEADERSHIP" as "L AD RSHIP" and
 * "Đông Sơn" as "Đông S n". `guardCodePoints` makes a glyph asked for with code points never
 * come back without them; a parsed font is shared only once that guard is installed.
 * Every string is also laid out in NFC here, so a caller that forgets to normalise still gets
 * the composed glyphs (decomposed input misplaces tone marks and splits the text layer).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export type FaceKey = "R" | "B" | "I" | "BI";

export interface TinosPaths {
  regular: string;
  bold: string;
  italic: string;
  boldItalic: string;
}

let paths: TinosPaths | null = null;

/** Absolute paths of the four Tinos faces. */
export function tinos(): TinosPaths {
  paths ??= {
    regular: require.resolve("@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf"),
    bold: require.resolve("@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf"),
    italic: require.resolve("@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf"),
    boldItalic: require.resolve("@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf"),
  };
  return paths;
}

/** The parts of a pdfkit document used here (pdfkit 0.17). */
interface PdfkitFontInternals {
  _font?: { font?: unknown; constructor: unknown };
  _fontFamilies?: Record<string, PdfkitFont | undefined>;
  _fontCount?: number;
}

type PdfkitFont = { font?: unknown; layoutCache?: Record<string, unknown> };
type EmbeddedFontCtor = new (doc: PDFKit.PDFDocument, font: unknown, id: string) => PdfkitFont;

/** The parts of a parsed fontkit font (fontkit 2) the code-point guard relies on. */
interface FontkitGlyphCache {
  getGlyph?: (id: number, codePoints?: number[]) => { codePoints?: number[] } | null;
  _glyphs?: Record<number, { codePoints?: number[] } | undefined>;
  __cdsCodePointGuard?: true;
}

/**
 * Makes `font.getGlyph(id, codePoints)` never return a glyph without code points when the
 * caller passes some: a cached glyph made without them (by the subsetter, for a component of a
 * composite glyph) is dropped and made again, with the code points, by fontkit itself.
 * Returns false when the font does not look like fontkit 2's (then it must not be shared).
 */
export function guardCodePoints(fontkitFont: unknown): boolean {
  const f = fontkitFont as FontkitGlyphCache | null;
  if (!f || typeof f !== "object") return false;
  if (f.__cdsCodePointGuard) return true;
  const original = f.getGlyph;
  const cache = f._glyphs;
  if (typeof original !== "function" || typeof cache !== "object" || cache === null) return false;
  f.getGlyph = function guardedGetGlyph(this: FontkitGlyphCache, id: number, codePoints: number[] = []) {
    const glyphs = this._glyphs;
    const cached = glyphs?.[id];
    if (glyphs && cached && codePoints.length > 0 && (!Array.isArray(cached.codePoints) || cached.codePoints.length === 0)) {
      delete glyphs[id];
    }
    return original.call(this, id, codePoints);
  };
  Object.defineProperty(f, "__cdsCodePointGuard", { value: true });
  return true;
}

type LayoutFn = (text: string, features?: unknown, onlyWidth?: boolean) => unknown;

/** Lays out (measures and encodes) every string of this pdfkit font in NFC. */
function layoutInNfc(font: PdfkitFont | undefined): void {
  const f = font as (PdfkitFont & { layout?: LayoutFn; __cdsNfc?: true }) | undefined;
  if (!f || f.__cdsNfc || typeof f.layout !== "function") return;
  const layout = f.layout;
  f.layout = function nfcLayout(this: unknown, text: string, features?: unknown, onlyWidth?: boolean) {
    return layout.call(this, typeof text === "string" ? text.normalize("NFC") : text, features, onlyWidth);
  };
  Object.defineProperty(f, "__cdsNfc", { value: true });
}

/** Parsed fontkit fonts and per-word layouts, shared by all documents of the process. */
const shared: Partial<Record<FaceKey, unknown>> = {};
const sharedWords: Partial<Record<FaceKey, Record<string, unknown>>> = {};
let sharingWorks = true;
const WORD_CACHE_MAX = 50_000;

function shareWordCache(key: FaceKey, font: PdfkitFont | undefined): void {
  if (!font || typeof font.layoutCache !== "object" || font.layoutCache === null) return;
  const cache = sharedWords[key];
  if (cache && Object.keys(cache).length < WORD_CACHE_MAX) font.layoutCache = cache;
  else sharedWords[key] = font.layoutCache;
}

/**
 * Makes the four faces available as "R", "B", "I", "BI" on a document that was created with
 * `font: tinos().regular` (so that Helvetica is never loaded).
 */
export function registerTinos(doc: PDFKit.PDFDocument): void {
  const p = tinos();
  const files: Record<FaceKey, string> = { R: p.regular, B: p.bold, I: p.italic, BI: p.boldItalic };
  const d = doc as unknown as PdfkitFontInternals;
  const families = d._fontFamilies;
  const current = d._font;
  const usable = sharingWorks && families !== undefined && current?.font !== undefined && typeof d._fontCount === "number";
  const Ctor = usable ? (current!.constructor as EmbeddedFontCtor) : null;

  for (const key of ["R", "B", "I", "BI"] as const) {
    const cached = shared[key];
    if (Ctor && families && cached !== undefined) {
      try {
        const font = new Ctor(doc, cached, `F${++d._fontCount!}`);
        shareWordCache(key, font);
        layoutInNfc(font);
        families[key] = font;
        continue;
      } catch {
        sharingWorks = false;
      }
    }
    if (key === "R" && families && current?.font !== undefined) {
      // The constructor already parsed the regular face: reuse it rather than parsing it twice.
      families.R = current as PdfkitFont;
    } else {
      doc.registerFont(key, files[key]);
      doc.font(key);
    }
    const made = families?.[key];
    layoutInNfc(made);
    // Shared with later documents only behind the code-point guard (see the top of the file).
    if (sharingWorks && made?.font !== undefined && guardCodePoints(made.font)) {
      shared[key] = made.font;
      shareWordCache(key, made);
    }
  }
  doc.font("R");
}
