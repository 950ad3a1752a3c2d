import {
  PdfReadError,
  CHAR_CLASS,
  Lexer,
  nextIsKeyword,
  skipOpaque,
  T_EOF,
  T_KW,
  T_NAME,
  T_NUM,
  isDict,
  isName,
  isNumber,
  PdfName,
  PdfStream,
  type PdfDict,
  type PdfValue,
  parseValue,
} from '@s3404/core/pdf';
import type { PdfDocument } from './document.js';

/** A 2-D transformation `[a b c d e f]` (§8.3.4). */
export type Matrix = readonly [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` then `n`: the matrix of applying `m` first (§8.3.4). */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

/** One image painted on a page: its dictionary and the CTM that maps its unit square (§8.9.4). */
export interface ImagePlacement {
  /** The XObject's resource name, or `inline`. */
  readonly name: string;
  readonly dict: PdfDict;
  readonly inline: boolean;
  readonly ctm: Matrix;
  /** The resources in force, for named colour spaces. */
  readonly resources: PdfDict | undefined;
}

/** Deepest nesting of form XObjects followed. */
const MAX_FORM_DEPTH = 16;
/** Most image placements recorded on one page. */
const MAX_PLACEMENTS = 10_000;
/** Deepest q/Q nesting tracked (§8.4.2 has no limit; viewers stop around 28–256). */
const MAX_SAVE_DEPTH = 256;
/** Longest operand list kept. */
const MAX_OPERANDS = 1024;

const INLINE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  W: 'Width',
  H: 'Height',
  BPC: 'BitsPerComponent',
  CS: 'ColorSpace',
  F: 'Filter',
  DP: 'DecodeParms',
  IM: 'ImageMask',
  D: 'Decode',
  I: 'Interpolate',
};

/**
 * Finds every image a page paints, with the transformation in force, by
 * interpreting its content streams (§8.2 q/Q/cm, §8.8 Do, §8.9.7 inline
 * images) and following form XObjects. Everything else is skipped.
 */
export function findImages(doc: PdfDocument, content: Uint8Array, resources: PdfDict | undefined): ImagePlacement[] {
  const out: ImagePlacement[] = [];
  interpret(doc, content, resources, IDENTITY, out, new Set(), 0);
  return out;
}

function interpret(
  doc: PdfDocument,
  content: Uint8Array,
  resources: PdfDict | undefined,
  base: Matrix,
  out: ImagePlacement[],
  forms: Set<PdfStream>,
  depth: number,
): void {
  const lx = new Lexer(content, 0, content.length, doc.budget);
  const operands: PdfValue[] = [];
  const saved: Matrix[] = [];
  let ctm = base;
  for (;;) {
    const tok = lx.next();
    if (tok === T_EOF) return;
    if (tok !== T_KW) {
      if (tok === T_NUM) operands.push(lx.num);
      else if (tok === T_NAME) operands.push(doc.names.of(lx.text));
      else {
        const v = parseValue(lx, tok, doc.names);
        if (v === undefined) {
          // a stray `]` or `>>`
          continue;
        }
        operands.push(v);
      }
      if (operands.length > MAX_OPERANDS) operands.shift();
      continue;
    }
    const b = content;
    const len = lx.kwEnd - lx.kwStart;
    const c0 = b[lx.kwStart]!;
    if (len === 1) {
      if (c0 === 0x71) {
        // q
        if (saved.length < MAX_SAVE_DEPTH) saved.push(ctm);
      } else if (c0 === 0x51) ctm = saved.pop() ?? ctm; // Q
    } else if (len === 2) {
      const c1 = b[lx.kwStart + 1]!;
      if (c0 === 0x63 && c1 === 0x6d) {
        // cm
        const m = operands.slice(-6);
        if (m.length === 6 && m.every(isNumber)) ctm = multiply(m as unknown as Matrix, ctm);
      } else if (c0 === 0x44 && c1 === 0x6f) {
        // Do
        const name = operands[operands.length - 1];
        if (isName(name)) paintXObject(doc, name.value, resources, ctm, out, forms, depth);
      } else if (c0 === 0x42 && c1 === 0x49) {
        // BI
        const dict = readInlineImage(doc, lx);
        if (dict !== undefined) record(out, { name: 'inline', dict, inline: true, ctm, resources });
      } else if (c0 === 0x42 && c1 === 0x54) skipTextObject(lx); // BT
    }
    operands.length = 0;
  }
}

function record(out: ImagePlacement[], p: ImagePlacement): void {
  if (out.length >= MAX_PLACEMENTS) throw new PdfReadError('too-complex', `more than ${MAX_PLACEMENTS} images painted on a page`);
  out.push(p);
}

function paintXObject(
  doc: PdfDocument,
  name: string,
  resources: PdfDict | undefined,
  ctm: Matrix,
  out: ImagePlacement[],
  forms: Set<PdfStream>,
  depth: number,
): void {
  const xobjects = resources === undefined ? undefined : doc.resolve(resources.get('XObject'));
  if (!isDict(xobjects)) return;
  const x = doc.resolve(xobjects.get(name));
  if (!(x instanceof PdfStream)) return;
  const subtype = doc.resolve(x.dict.get('Subtype'));
  if (isName(subtype, 'Image')) {
    record(out, { name, dict: x.dict, inline: false, ctm, resources });
    return;
  }
  if (!isName(subtype, 'Form')) return;
  if (forms.has(x)) throw new PdfReadError('unreadable', 'a form XObject paints itself');
  if (depth >= MAX_FORM_DEPTH) throw new PdfReadError('too-complex', `form XObjects nested more than ${MAX_FORM_DEPTH} deep`);
  const matrix = doc.resolve(x.dict.get('Matrix'));
  const m: Matrix = Array.isArray(matrix) && matrix.length === 6 && matrix.every(isNumber) ? (matrix as unknown as Matrix) : IDENTITY;
  const own = doc.resolve(x.dict.get('Resources'));
  forms.add(x);
  try {
    interpret(doc, doc.decode(x).bytes, isDict(own) ? own : resources, multiply(m, ctm), out, forms, depth + 1);
  } finally {
    forms.delete(x);
  }
}

/**
 * After `BT`: moves past the text object to its `ET` without tokenizing
 * it — text objects are most of a form's content, and paint no image:
 * `Do`, inline images, `q`/`Q` and `cm` are not allowed in them (§8.2,
 * Figure 9). Strings, hex strings and comments are skipped whole. If one
 * of those operators appears anyway (a broken writer), the lexer is left
 * at `BT` and the text object is interpreted like the rest, as viewers do.
 */
function skipTextObject(lx: Lexer): void {
  const b = lx.buf;
  const end = lx.end;
  let p = lx.pos;
  const from = p;
  while (p < end) {
    const c = b[p]!;
    const cls = CHAR_CLASS[c]!;
    if (cls === 1) {
      p++;
      continue;
    }
    const skipped = skipOpaque(b, p, end);
    if (skipped >= 0) {
      p = skipped;
      continue;
    }
    if (cls === 2) {
      p++;
      continue;
    }
    const start = p;
    while (p < end && CHAR_CLASS[b[p]!] === 0) p++;
    const n = p - start;
    const c0 = b[start]!;
    if (n === 2) {
      const c1 = b[start + 1]!;
      if (c0 === 0x45 && c1 === 0x54) {
        // ET
        lx.budget.spend((p - from) >>> 4);
        lx.pos = p;
        return;
      }
      if ((c0 === 0x44 && c1 === 0x6f) || (c0 === 0x42 && c1 === 0x49) || (c0 === 0x63 && c1 === 0x6d)) break; // Do, BI, cm
    } else if (n === 1 && (c0 === 0x71 || c0 === 0x51)) break; // q, Q
  }
  lx.budget.spend((p - from) >>> 4);
  if (p >= end) lx.pos = end; // a text object without ET ends the stream
}

/**
 * Reads `BI … ID <data> EI` (§8.9.7): the dictionary, then skips the data —
 * by its computed length when unfiltered, otherwise up to the first `EI`
 * standing alone.
 */
function readInlineImage(doc: PdfDocument, lx: Lexer): PdfDict | undefined {
  const dict: PdfDict = new Map();
  for (;;) {
    const tok = lx.next();
    if (tok === T_EOF) return undefined;
    if (tok === T_KW && lx.text === 'ID') break;
    if (tok !== T_NAME) continue;
    const key = INLINE_ABBREVIATIONS[lx.text] ?? lx.text;
    const value = parseValue(lx, lx.next(), doc.names);
    if (value !== undefined) dict.set(key, value);
  }
  const b = lx.buf;
  let start = lx.pos + 1; // one white-space byte after ID
  if (b[lx.pos] === 0x0d && b[lx.pos + 1] === 0x0a) start = lx.pos + 2;
  const w = dict.get('Width');
  const h = dict.get('Height');
  const bpc = dict.get('BitsPerComponent');
  const filter = dict.get('Filter');
  const cs = dict.get('ColorSpace');
  const comps = isName(cs, 'RGB') || isName(cs, 'DeviceRGB') ? 3 : isName(cs, 'CMYK') || isName(cs, 'DeviceCMYK') ? 4 : 1;
  const bits = dict.get('ImageMask') === true ? 1 : isNumber(bpc) ? bpc : 8;
  let end: number;
  if ((filter === undefined || (Array.isArray(filter) && filter.length === 0)) && isNumber(w) && isNumber(h) && w > 0 && h > 0) {
    end = start + Math.ceil((w * comps * bits) / 8) * h;
  } else {
    end = start;
    for (;;) {
      end = b.indexOf(0x45, end); // E
      if (end < 0) return undefined;
      if (b[end + 1] === 0x49 && CHAR_CLASS[b[end - 1] ?? 0x20] === 1 && (end + 2 >= b.length || CHAR_CLASS[b[end + 2]!] !== 0)) break;
      end++;
    }
  }
  doc.budget.spend((end - start) >>> 10);
  lx.pos = Math.min(end, b.length);
  if (!nextIsKeyword(lx, 'EI')) lx.pos = Math.min(end, b.length);
  return dict;
}

/** Names an image dictionary's filter chain for the report (last filter first: the image's format). */
export function imageFilters(doc: PdfDocument, dict: PdfDict): string[] {
  const f = doc.resolve(dict.get('Filter'));
  const list = Array.isArray(f) ? f.map((x) => doc.resolve(x)) : f === undefined || f === null ? [] : [f];
  return list.map((n) => (n instanceof PdfName ? n.value : '?'));
}
