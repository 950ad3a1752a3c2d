import { zlibSync } from 'fflate';
import { fontkit } from './engine.js';
import { S3404_SANS_BOLD_BASE64, S3404_SANS_REGULAR_BASE64 } from './font-data.js';

/** The fontkit font object, typed as much as we use it. */
export interface FontkitFont {
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly characterSet: number[];
  glyphForCodePoint(cp: number): { id: number; advanceWidth: number };
}

/**
 * A prepared font: decoded once per process, with tables for fast text
 * measuring and encoding (no shaping: Latin text, no kerning), and the
 * compressed streams a PDF needs. Immutable once built.
 */
export interface FontFace {
  readonly postscriptName: string;
  readonly bytes: Uint8Array;
  readonly font: FontkitFont;
  /** Code point → glyph id (0 = missing). */
  readonly cmap: Uint16Array;
  /** Glyph id → advance width in 1/1000 em. */
  readonly widths: Float64Array;
  /** Glyph id → 4 hex digits. */
  readonly hex: readonly string[];
  /** Glyph id → the code point it stands for in text extraction (0: none). */
  readonly firstCodePoint: Uint32Array;
  readonly ascent: number;
  readonly descent: number;
  /** The font program, zlib-compressed (FlateDecode). */
  readonly deflated: Uint8Array;
  /** The ToUnicode CMap of the whole font, zlib-compressed. */
  readonly toUnicode: Uint8Array;
  /** The /W array of the whole font. */
  readonly w: (number | number[])[];
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function prepare(base64: string): FontFace {
  const bytes = decodeBase64(base64);
  const font = fontkit.create(bytes) as unknown as FontkitFont;
  const scale = 1000 / font.unitsPerEm;
  const cmap = new Uint16Array(0x10000);
  const byGid = new Map<number, number[]>();
  let maxGid = 0;
  for (const cp of font.characterSet) {
    if (cp > 0xffff) continue;
    const glyph = font.glyphForCodePoint(cp);
    if (glyph.id === 0) continue;
    cmap[cp] = glyph.id;
    maxGid = Math.max(maxGid, glyph.id);
    const list = byGid.get(glyph.id) ?? [];
    list.push(cp);
    byGid.set(glyph.id, list);
  }
  const widths = new Float64Array(maxGid + 1);
  const hex: string[] = [];
  for (let gid = 0; gid <= maxGid; gid++) hex.push(gid.toString(16).padStart(4, '0'));
  const gids = [...byGid.keys()].sort((a, b) => a - b);
  for (const gid of gids) {
    const cp = byGid.get(gid)![0]!;
    widths[gid] = Math.round(font.glyphForCodePoint(cp).advanceWidth * scale * 1000) / 1000;
  }
  widths[0] = Math.round(font.glyphForCodePoint(0xfffe).advanceWidth * scale * 1000) / 1000;
  const firstCodePoint = new Uint32Array(maxGid + 1);
  for (const [gid, cps] of byGid) firstCodePoint[gid] = cps[0]!;
  const partial = { widths, hex, firstCodePoint };
  return {
    postscriptName: font.postscriptName,
    bytes,
    font,
    cmap,
    widths,
    hex,
    firstCodePoint,
    ascent: font.ascent * scale,
    descent: font.descent * scale,
    deflated: zlibSync(bytes, { level: 6 }),
    toUnicode: zlibSync(new TextEncoder().encode(toUnicodeCMap(partial, gids)), { level: 6 }),
    w: widthsArray(partial, gids),
  };
}

/** The /W array of a CIDFont for the given glyph ids (ascending). */
export function widthsArray(face: Pick<FontFace, 'widths'>, gids: readonly number[]): (number | number[])[] {
  const w: (number | number[])[] = [];
  let run: number[] = [];
  gids.forEach((gid, i) => {
    if (i === 0 || gid !== gids[i - 1]! + 1) {
      if (run.length > 0) w.push(run);
      w.push(gid);
      run = [];
    }
    run.push(face.widths[gid]!);
  });
  if (run.length > 0) w.push(run);
  return w;
}

/** A ToUnicode CMap mapping each glyph id to its (first) code point. */
export function toUnicodeCMap(face: Pick<FontFace, 'hex' | 'firstCodePoint'>, gids: readonly number[]): string {
  const lines: string[] = [];
  const mapped = gids.filter((g) => face.firstCodePoint[g] !== 0);
  for (let i = 0; i < mapped.length; i += 100) {
    const chunk = mapped.slice(i, i + 100);
    lines.push(`${chunk.length} beginbfchar`);
    for (const gid of chunk) lines.push(`<${face.hex[gid]}> <${face.firstCodePoint[gid]!.toString(16).padStart(4, '0')}>`);
    lines.push('endbfchar');
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000><ffff>',
    'endcodespacerange',
    ...lines,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

let regular: FontFace | undefined;
let bold: FontFace | undefined;

/** S3404 Sans Regular, prepared on first use (then shared: it is immutable). */
export function regularFace(): FontFace {
  regular ??= prepare(S3404_SANS_REGULAR_BASE64);
  return regular;
}

/** S3404 Sans Bold, prepared on first use. */
export function boldFace(): FontFace {
  bold ??= prepare(S3404_SANS_BOLD_BASE64);
  return bold;
}

/** Glyph id of a code point, falling back to its canonical equivalent, then to `?` for anything unprintable. */
function gidOf(face: FontFace, cp: number): number {
  const gid = cp < 0x10000 ? face.cmap[cp]! : 0;
  return gid !== 0 ? gid : equivalentGid(face, cp);
}

/**
 * The glyph of a character the font lacks but whose canonical equivalent
 * (NFC) is one character it has: the text policy accepts a text by its NFC
 * form, so U+212A KELVIN SIGN, U+212B ANGSTROM SIGN, U+037E GREEK QUESTION
 * MARK… are accepted and must print as K, Å, ; — not as `?`. Else `?`.
 */
function equivalentGid(face: FontFace, cp: number): number {
  const nfc = String.fromCodePoint(cp).normalize('NFC');
  const eq = nfc.length === 1 ? face.cmap[nfc.charCodeAt(0)]! : 0;
  return eq !== 0 ? eq : face.cmap[0x3f]!;
}

/** Width of `text` at `size` points. */
export function textWidth(face: FontFace, text: string, size: number): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += face.widths[gidOf(face, cp)]!;
  }
  return (w * size) / 1000;
}

/**
 * `text` as hex glyph ids (Identity-H), for a `<…> Tj` operator; records the
 * glyphs in `used` when given (for subsetting).
 */
export function encodeHex(face: FontFace, text: string, used?: Set<number>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const gid = gidOf(face, cp);
    used?.add(gid);
    out += face.hex[gid];
  }
  return out;
}
