/**
 * Small PDF edits for the PAdES attack fixtures, written with the public
 * revision reader and incremental writer of `@s3404/form/pdf` (or as bytes
 * patched in place, keeping every offset).
 */
import { isDict, PdfRef, PdfStream, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { appendUpdate, copyDict, nextObjectNumber, openPdfFile, pdfName, pdfRef, type PdfFile, type UpdateObject, type WritableValue } from '@s3404/form/pdf';

export const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
export const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

export function open(pdf: Uint8Array): PdfFile {
  return openPdfFile(pdf, 'en');
}

export function catalog(file: PdfFile): { ref: PdfRef; dict: PdfDict } {
  const ref = file.last.trailer.get('Root') as PdfRef;
  return { ref, dict: file.object(ref.num) as PdfDict };
}

/** The page objects, in order (leaves of the page tree). */
export function pages(file: PdfFile): PdfRef[] {
  const out: PdfRef[] = [];
  const walk = (v: PdfValue | undefined): void => {
    if (!(v instanceof PdfRef)) return;
    const d = file.object(v.num);
    if (!isDict(d)) return;
    const kids = file.resolve(d.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) walk(k);
    else out.push(v);
  };
  walk(catalog(file).dict.get('Pages'));
  return out;
}

export function dictOf(file: PdfFile, ref: PdfRef): PdfDict {
  const v = file.object(ref.num);
  const d = v instanceof PdfStream ? v.dict : v;
  if (!isDict(d)) throw new Error(`object ${ref.num} is not a dictionary`);
  return d;
}

/** A stream update object. */
export const stream = (num: number, body: string, dict: [string, WritableValue][] = []): UpdateObject => ({ num, dict: new Map(dict), data: latin1(body) });

/** Appends one update (objects built by `build`, with fresh numbers from `next()`). */
export function update(pdf: Uint8Array, build: (file: PdfFile, next: () => number) => UpdateObject[]): Uint8Array {
  const file = open(pdf);
  let n = nextObjectNumber(file);
  return appendUpdate(
    file,
    build(file, () => n++),
  ).bytes;
}

/** `page` redefined with `changes` applied to a copy of its dictionary. */
export function redefine(file: PdfFile, ref: PdfRef, changes: Record<string, WritableValue>): UpdateObject {
  const d = copyDict(dictOf(file, ref));
  for (const [k, v] of Object.entries(changes)) d.set(k, v);
  return { num: ref.num, value: d };
}

/** The page's resources (resolved) copied, with extra fonts / XObjects. */
export function resourcesWith(file: PdfFile, page: PdfRef, extra: { font?: [string, PdfRef]; xobject?: [string, PdfRef] }): Map<string, WritableValue> {
  const res = file.resolve(dictOf(file, page).get('Resources'));
  const out = isDict(res) ? copyDict(res) : new Map<string, WritableValue>();
  const add = (key: string, entry: [string, PdfRef] | undefined): void => {
    if (entry === undefined) return;
    const sub = file.resolve(out.get(key) as PdfValue | undefined);
    const m = isDict(sub) ? copyDict(sub) : new Map<string, WritableValue>();
    m.set(entry[0], entry[1]);
    out.set(key, m);
  };
  add('Font', extra.font);
  add('XObject', extra.xobject);
  return out;
}

/** The page's `/Contents` as a list of references. */
export function contentsOf(file: PdfFile, page: PdfRef): WritableValue[] {
  const c = dictOf(file, page).get('Contents');
  if (c instanceof PdfRef) {
    const v = file.object(c.num);
    return Array.isArray(v) ? (v as WritableValue[]) : [c];
  }
  return Array.isArray(c) ? (c as WritableValue[]) : [];
}

export const helvetica = (num: number): UpdateObject => ({
  num,
  value: new Map<string, WritableValue>([
    ['Type', pdfName('Font')],
    ['Subtype', pdfName('Type1')],
    ['BaseFont', pdfName('Helvetica')],
  ]),
});

/** A content stream that paints a white box and writes `label` in 28 pt Helvetica (resource `/FX`). */
export const forgedTotal = (label: string): string => `q 1 1 1 rg 60 60 500 60 re f Q BT /FX 28 Tf 0 0 0 rg 70 75 Td (${label}) Tj ET\n`;

export { pdfRef, pdfName, copyDict };

/** Replaces `from` by `to` (same length, else padded with spaces) at the first occurrence at or after `after`. */
export function patch(pdf: Uint8Array, from: string, to: string, after = 0): Uint8Array {
  const at = text(pdf).indexOf(from, after);
  if (at < 0) throw new Error(`patch: ${from.slice(0, 40)} not found`);
  if (to.length > from.length) throw new Error('patch: replacement longer than the original');
  const out = Uint8Array.from(pdf);
  out.set(latin1(to.padEnd(from.length, ' ')), at);
  return out;
}

/** The first `/ByteRange [...]` at or after `after` rewritten as `replacement` (same length: padded with spaces). */
export function patchByteRange(pdf: Uint8Array, replacement: string, after = 0): Uint8Array {
  const m = /\/ByteRange\s*\[[^\]]*\]/.exec(text(pdf).slice(after));
  if (m === null) throw new Error('patchByteRange: no /ByteRange');
  return patch(pdf, m[0], replacement, after);
}

/** The object number of the signature dictionary of the first signature field of the last AcroForm. */
export function firstSignatureNumber(file: PdfFile): number {
  const form = file.resolve(catalog(file).dict.get('AcroForm'));
  if (!isDict(form)) throw new Error('no AcroForm');
  for (const f of file.resolve(form.get('Fields')) as PdfValue[]) {
    const d = file.resolve(f);
    if (isDict(d) && d.get('V') instanceof PdfRef && isDict(file.resolve(d.get('V')))) {
      const v = file.resolve(d.get('V')) as PdfDict;
      if (v.has('ByteRange')) return (d.get('V') as PdfRef).num;
    }
  }
  throw new Error('no signature field');
}
