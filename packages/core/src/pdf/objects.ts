/**
 * The PDF object model of the PJ reader (ISO 32000-1 §7.3): plain JS values
 * for numbers, booleans and null; small classes for names, strings,
 * references and streams; `Map` for dictionaries; arrays for arrays.
 */

/** A name object (§7.3.5), `#xx` escapes already decoded (latin1 string). */
export class PdfName {
  constructor(readonly value: string) {}
}

/** A string object (§7.3.4); its bytes are decoded on demand. */
export class PdfString {
  #bytes: Uint8Array | undefined;
  constructor(
    private readonly source: Uint8Array,
    private readonly start: number,
    private readonly end: number,
    private readonly hex: boolean,
  ) {}

  /** The string's bytes, escapes and hex digits decoded. */
  get bytes(): Uint8Array {
    this.#bytes ??= this.hex ? decodeHex(this.source, this.start, this.end) : decodeLiteral(this.source, this.start, this.end);
    return this.#bytes;
  }

  /** The text: UTF-16BE with BOM, UTF-8 with BOM, otherwise PDFDocEncoding read as latin1. */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return utf16be(b.subarray(2));
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8(b.subarray(3));
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
}

/** UTF-16BE code units as a string (core has no TextDecoder: it runs without DOM or Node types). */
function utf16be(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
  return s;
}

/** UTF-8 to a string; a malformed sequence gives U+FFFD, as TextDecoder does. */
function utf8(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) {
      s += '\ufffd';
      i++;
      continue;
    }
    let cp = n === 0 ? c : c & (0x3f >> n);
    let ok = i + n < b.length;
    for (let k = 1; ok && k <= n; k++) {
      const x = b[i + k]!;
      if ((x & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (x & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][n]!;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

/** An indirect reference `n g R` (§7.3.10). */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A dictionary (§7.3.7): keys are name values. */
export type PdfDict = Map<string, PdfValue>;

/** A stream (§7.3.8): its dictionary and where its raw data lies in `source`. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly source: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}
  get raw(): Uint8Array {
    return this.source.subarray(this.start, this.end);
  }
}

/** Any PDF value. */
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfStream | PdfDict | PdfValue[];

export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;
export const isName = (v: PdfValue | undefined, name?: string): v is PdfName => v instanceof PdfName && (name === undefined || v.value === name);
export const isNumber = (v: PdfValue | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Hex digits to bytes, white-space ignored, an odd last digit padded with 0 (§7.3.4.3). */
export function decodeHex(src: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((end - start) / 2));
  let n = 0;
  let high = -1;
  for (let i = start; i < end; i++) {
    const v = hexDigit(src[i]!);
    if (v < 0) continue;
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  return out.subarray(0, n);
}

/** `start`/`end` exclude the outer parentheses. */
function decodeLiteral(src: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c !== 0x5c) {
      // An end of line in a literal string is a line feed (§7.3.4.2).
      if (c === 0x0d) {
        out[n++] = 0x0a;
        if (src[i + 1] === 0x0a) i++;
      } else out[n++] = c;
      continue;
    }
    const e = src[++i];
    if (e === undefined || i >= end) break;
    switch (e) {
      case 0x6e: // \n
        out[n++] = 0x0a;
        break;
      case 0x72: // \r
        out[n++] = 0x0d;
        break;
      case 0x74: // \t
        out[n++] = 0x09;
        break;
      case 0x62: // \b
        out[n++] = 0x08;
        break;
      case 0x66: // \f
        out[n++] = 0x0c;
        break;
      case 0x0d: // line continuation
        if (src[i + 1] === 0x0a) i++;
        break;
      case 0x0a:
        break;
      default:
        if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && i + 1 < end && src[i + 1]! >= 0x30 && src[i + 1]! <= 0x37; k++) v = v * 8 + (src[++i]! - 0x30);
          out[n++] = v & 0xff;
        } else out[n++] = e; // \( \) \\ and unknown escapes: the character itself
    }
  }
  return out.subarray(0, n);
}

/** The value of a hexadecimal digit, or -1. */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
