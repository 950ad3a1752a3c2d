/**
 * TrueType subsetting that keeps glyph ids (ISO 14496-22 / OpenType §5):
 * unused glyphs become empty, so the CIDFont can keep /CIDToGIDMap /Identity
 * and the encoding stays a table lookup. Composite glyphs pull in their
 * components. Tables a PDF viewer does not need for a CIDFontType2 are
 * dropped, `post` is reduced to format 3 (no glyph names), and checksums are
 * recomputed. Deterministic.
 */

const KEEP = ['OS/2', 'cmap', 'cvt ', 'fpgm', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'name', 'post', 'prep'];

interface Table {
  readonly tag: string;
  readonly data: Uint8Array;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  const padded =
    data.length % 4 === 0
      ? data
      : (() => {
          const p = new Uint8Array(data.length + (4 - (data.length % 4)));
          p.set(data);
          return p;
        })();
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

/** Returns a copy of `font` in which only `gids` (and .notdef, and components) keep outlines. */
export function subsetTrueType(font: Uint8Array, gids: Iterable<number>): Uint8Array {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const numTables = view.getUint16(4);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    const tag = String.fromCharCode(font[rec]!, font[rec + 1]!, font[rec + 2]!, font[rec + 3]!);
    const offset = view.getUint32(rec + 8);
    const length = view.getUint32(rec + 12);
    tables.set(tag, font.subarray(offset, offset + length));
  }
  const head = tables.get('head')!.slice();
  const maxp = tables.get('maxp')!;
  const loca = tables.get('loca')!;
  const glyf = tables.get('glyf')!;
  const headView = new DataView(head.buffer);
  const longLoca = headView.getInt16(50) === 1;
  const numGlyphs = new DataView(maxp.buffer, maxp.byteOffset, maxp.byteLength).getUint16(4);
  const locaView = new DataView(loca.buffer, loca.byteOffset, loca.byteLength);
  const offsetOf = (g: number): number => (longLoca ? locaView.getUint32(g * 4) : locaView.getUint16(g * 2) * 2);

  // Closure over composite glyph components.
  const keep = new Set<number>([0]);
  const queue = [...gids].filter((g) => g >= 0 && g < numGlyphs);
  while (queue.length > 0) {
    const g = queue.pop()!;
    if (keep.has(g) && g !== 0) continue;
    keep.add(g);
    const start = offsetOf(g);
    const end = offsetOf(g + 1);
    if (end - start < 10) continue;
    const gv = new DataView(glyf.buffer, glyf.byteOffset + start, end - start);
    if (gv.getInt16(0) >= 0) continue;
    let p = 10;
    for (;;) {
      const flags = gv.getUint16(p);
      const component = gv.getUint16(p + 2);
      if (!keep.has(component)) queue.push(component);
      p += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) p += 2;
      else if (flags & 0x0040) p += 4;
      else if (flags & 0x0080) p += 8;
      if (!(flags & 0x0020)) break;
    }
  }

  // New glyf and (long) loca.
  const sorted = [...keep].sort((a, b) => a - b);
  let size = 0;
  for (const g of sorted) size += (offsetOf(g + 1) - offsetOf(g) + 3) & ~3;
  const newGlyf = new Uint8Array(size);
  const newLoca = new Uint8Array((numGlyphs + 1) * 4);
  const nl = new DataView(newLoca.buffer);
  let pos = 0;
  for (let g = 0; g < numGlyphs; g++) {
    nl.setUint32(g * 4, pos);
    if (keep.has(g)) {
      const data = glyf.subarray(offsetOf(g), offsetOf(g + 1));
      newGlyf.set(data, pos);
      pos += (data.length + 3) & ~3;
    }
  }
  nl.setUint32(numGlyphs * 4, pos);
  headView.setInt16(50, 1);
  headView.setUint32(8, 0); // checkSumAdjustment, set below

  const post = tables.get('post');
  const newPost = post === undefined ? undefined : post.slice(0, 32);
  if (newPost !== undefined) new DataView(newPost.buffer).setUint32(0, 0x00030000);

  const out: Table[] = [];
  for (const tag of KEEP) {
    const data = tag === 'glyf' ? newGlyf : tag === 'loca' ? newLoca : tag === 'head' ? head : tag === 'post' ? newPost : tables.get(tag);
    if (data !== undefined) out.push({ tag, data });
  }
  return writeFont(out, headView);
}

function writeFont(tables: readonly Table[], headView: DataView): Uint8Array {
  const n = tables.length;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 ** entrySelector * 16;
  let offset = 12 + n * 16;
  const placed = tables.map((t) => {
    const at = offset;
    offset += (t.data.length + 3) & ~3;
    return { ...t, at };
  });
  const bytes = new Uint8Array(offset);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0x00010000);
  v.setUint16(4, n);
  v.setUint16(6, searchRange);
  v.setUint16(8, entrySelector);
  v.setUint16(10, n * 16 - searchRange);
  placed.forEach((t, i) => {
    const rec = 12 + i * 16;
    for (let k = 0; k < 4; k++) bytes[rec + k] = t.tag.charCodeAt(k);
    v.setUint32(rec + 4, checksum(t.data));
    v.setUint32(rec + 8, t.at);
    v.setUint32(rec + 12, t.data.length);
    bytes.set(t.data, t.at);
  });
  const headAt = placed.find((t) => t.tag === 'head')!.at;
  const adjustment = (0xb1b0afba - checksum(bytes)) >>> 0;
  v.setUint32(headAt + 8, adjustment);
  headView.setUint32(8, adjustment);
  return bytes;
}
