/**
 * Building ZIP / Office files byte by byte for the upload tests: stored or deflated entries, optional
 * lying sizes, and a zip bomb made streaming (512 MB of zeros never exist in memory).
 */
import zlib from "node:zlib";

export interface ZipEntry {
  name: string;
  /** The uncompressed content (deflated unless `store`). */
  data?: Buffer | string;
  /** Already deflated data with its real uncompressed size and crc. */
  deflated?: { raw: Buffer; size: number; crc: number };
  store?: boolean;
  /** Override the uncompressed size written in the headers (a lie). */
  declaredSize?: number;
  /** General purpose flags (e.g. 1 = encrypted). */
  flags?: number;
}

export function zip(entries: ZipEntry[], opts: { overlapLast?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  let lastOffset = 0;
  for (const [i, e] of entries.entries()) {
    const name = Buffer.from(e.name, "utf8");
    let raw: Buffer;
    let size: number;
    let crc: number;
    let method: number;
    if (e.deflated) {
      ({ raw, size, crc } = e.deflated);
      method = 8;
    } else {
      const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? "", "utf8");
      size = data.length;
      crc = zlib.crc32(data) >>> 0;
      raw = e.store ? data : zlib.deflateRawSync(data);
      method = e.store ? 0 : 8;
    }
    const declared = e.declaredSize ?? size;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(raw.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    // The last entry may point at the previous entry's data (overlapping entries).
    const thisOffset = opts.overlapLast && i === entries.length - 1 ? lastOffset : offset;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(raw.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(thisOffset, 42);
    centrals.push(central, name);
    if (!(opts.overlapLast && i === entries.length - 1)) {
      locals.push(local, name, raw);
      lastOffset = offset;
      offset += 30 + name.length + raw.length;
    }
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const documentXml = (text: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`;

/** A minimal, valid DOCX, plus any extra entries. */
export function docx(text = "Kế hoạch chuyển đổi số", extra: ZipEntry[] = []): Buffer {
  return zip([{ name: "[Content_Types].xml", data: CONTENT_TYPES }, { name: "_rels/.rels", data: RELS }, { name: "word/document.xml", data: documentXml(text) }, ...extra]);
}

/** `size` zero bytes deflated, streaming (a 512 MB entry compresses to ~520 KB). */
export async function deflatedZeros(size: number): Promise<{ raw: Buffer; size: number; crc: number }> {
  const d = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on("data", (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    d.on("end", resolve);
    d.on("error", reject);
  });
  const chunk = Buffer.alloc(1 << 20);
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = zlib.crc32(piece, crc);
    if (!d.write(piece)) await new Promise((r) => d.once("drain", r));
  }
  d.end();
  await done;
  return { raw: Buffer.concat(out), size, crc: crc >>> 0 };
}

/** A DOCX whose document.xml inflates to `size` bytes (a zip bomb when size is large). */
export async function docxBomb(size: number, declaredSize?: number): Promise<Buffer> {
  const zeros = await deflatedZeros(size);
  return zip([
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "_rels/.rels", data: RELS },
    { name: "word/document.xml", deflated: zeros, ...(declaredSize !== undefined ? { declaredSize } : {}) },
  ]);
}
