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
    if (sharingWorks && made?.font !== undefined) {
      shared[key] = made.font;
      shareWordCache(key, made);
    }
  }
  doc.font("R");
}
