import { PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '@s3404/core/pdf';

/** PDF syntax written as it is (a placeholder, a date literal…): the caller vouches for it. */
export class RawPdf {
  constructor(readonly text: string) {}
}

/** What {@link writeValue} writes: a parsed value, or raw syntax. */
export type WritableValue = PdfValue | RawPdf | WritableValue[] | Map<string, WritableValue>;

const HEX = '0123456789ABCDEF';

/** `<…>` for these bytes (§7.3.4.3). */
export function hexString(bytes: Uint8Array): RawPdf {
  let s = '<';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return new RawPdf(`${s}>`);
}

/** A text string (§7.9.2.2): PDFDocEncoding-safe ASCII as is, otherwise UTF-16BE with its BOM, both hex. */
export function textString(text: string): RawPdf {
  if (/^[\x20-\x7e]*$/.test(text)) return hexString(new TextEncoder().encode(text));
  const units = [0xfe, 0xff];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    units.push(c >> 8, c & 0xff);
  }
  return hexString(Uint8Array.from(units));
}

/** A date string `D:YYYYMMDDHHmmSSZ` (§7.9.4), in UTC. */
export function dateString(date: Date): RawPdf {
  const iso = date.toISOString();
  return new RawPdf(`(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`);
}

/** A number as PDF writes it: no exponent, at most 4 decimals, no trailing zeros (§7.3.3). */
export function writeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('writeNumber: not a finite number');
  if (Number.isInteger(n)) return String(n);
  const s = n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** The characters a name holds without an escape: printable ASCII but the delimiters and `#` (§7.3.5). */
const REGULAR_NAME = /^[!"$&'*+,\-.0-9:;=?@A-Z\\^_`a-z|~]*$/;

/** A name `/…` with `#xx` escapes for what is not a regular character (§7.3.5). */
export function writeName(name: string): string {
  // Most names are regular characters only, written as they are (issue 19: no UTF-8 encoding of every key written).
  if (REGULAR_NAME.test(name)) return `/${name}`;
  let s = '/';
  for (const ch of new TextEncoder().encode(name)) {
    if (ch > 0x20 && ch < 0x7f && !'()<>[]{}/%#'.includes(String.fromCharCode(ch))) s += String.fromCharCode(ch);
    else s += `#${HEX[ch >> 4]}${HEX[ch & 15]}`;
  }
  return s;
}

/**
 * Writes one direct value as PDF syntax (latin1 text). Streams are written
 * by {@link appendUpdate}, not here; a parsed string is written as hex of
 * its decoded bytes, so what a reader decodes is unchanged.
 */
export function writeValue(v: WritableValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return writeNumber(v);
  if (v instanceof RawPdf) return v.text;
  if (v instanceof PdfName) return writeName(v.value);
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (v instanceof PdfString) return hexString(v.bytes).text;
  if (v instanceof PdfStream) throw new TypeError('writeValue: a stream cannot be a direct value');
  if (Array.isArray(v)) return `[${v.map((x) => writeValue(x)).join(' ')}]`;
  let s = '<<';
  for (const [k, x] of v) s += `${writeName(k)} ${writeValue(x)}`;
  return `${s}>>`;
}

/** A name value, for building dictionaries. */
export const name = (value: string): PdfName => new PdfName(value);
/** A reference value, for building dictionaries. */
export const ref = (num: number, gen = 0): PdfRef => new PdfRef(num, gen);
