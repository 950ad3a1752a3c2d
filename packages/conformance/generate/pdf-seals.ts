/**
 * Writes `test-vectors/pdf/seals.json`, its fixtures and their manifest (FORM-4, FORM-6, FORM-7, SIG-3,
 * SIG-4, X-3): an A4 bordereau rendered by `@s3404/form/pdf` from `examples/data` (fixed clock), with
 * handwritten signatures placed as incremental revisions, sealed PAdES B-B and B-T by `@s3404/seal/pdf`
 * (development PKI and in-process TSA, fixed clock, seeded random), then each attack class of
 * docs/pades.md (« Attacks covered by the tests »): a byte flipped in a signed range, incremental saves
 * after the seal, a total painted over, shadow hide / replace / hide-and-replace, a sneaky signature
 * field, signature wrapping, universal forgery, bytes after %%EOF, a DSS-only revision, an untrusted CA,
 * and in-place edits of revision 1. Every verdict is written by hand below from docs/pades.md
 * (« Verification », « Revisions »); the generator only checks that the SDK agrees before writing.
 *
 * Run: `cd packages/conformance && npx tsx --conditions=@s3404/source generate/pdf-seals.ts`.
 * Deterministic apart from signature values (ECDSA) and the time-stamp tokens.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDict, PdfRef, PdfStream, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { parseBordereauJson } from '@s3404/form';
import {
  appendUpdate,
  copyDict,
  nextObjectNumber,
  openPdfFile,
  pdfName,
  pdfRef,
  placeSignature,
  renderBordereauPdf,
  textString,
  verifyBordereauPdf,
  type PdfFile,
  type UpdateObject,
  type WritableValue,
} from '@s3404/form/pdf';
import { createDevelopmentTsa } from '@s3404/seal';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { createPdfSealer, verifyPdfSeal, type PdfSealer } from '@s3404/seal/pdf';

import { seeded, seededPki } from './seeded.js';
import { REPO_ROOT, writeOwnFixtures, writeVectorFile } from './vectors-output.js';

const ROOT = REPO_ROOT;

/** The rendering clock; the seal one second later, the token two; checked one hour later. */
const T0 = new Date('2026-03-20T09:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const AT = at(3600).toISOString();

/** A greyscale PNG of a stroke, from the seal generator's recipe (zlib through node). */
async function signaturePng(): Promise<Uint8Array> {
  const { deflateSync } = await import('node:zlib');
  const width = 240;
  const height = 80;
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.abs((Math.round((x * height) / width) % height) - y) < 2 ? 0 : 255;
  const crcTable = new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array): number => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const pem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END CERTIFICATE-----\n`;

// --- PDF edits, as the attack tests of @s3404/seal write them (the public revision writer of @s3404/form/pdf).
const open = (pdf: Uint8Array): PdfFile => openPdfFile(pdf, 'en');
function catalog(file: PdfFile): { ref: PdfRef; dict: PdfDict } {
  const ref = file.last.trailer.get('Root') as PdfRef;
  return { ref, dict: file.object(ref.num) as PdfDict };
}
function pages(file: PdfFile): PdfRef[] {
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
function dictOf(file: PdfFile, ref: PdfRef): PdfDict {
  const v = file.object(ref.num);
  const d = v instanceof PdfStream ? v.dict : v;
  if (!isDict(d)) throw new Error(`object ${ref.num} is not a dictionary`);
  return d;
}
const stream = (num: number, body: string, dict: [string, WritableValue][] = []): UpdateObject => ({ num, dict: new Map(dict), data: latin1(body) });
function update(pdf: Uint8Array, build: (file: PdfFile, next: () => number) => UpdateObject[]): Uint8Array {
  const file = open(pdf);
  let n = nextObjectNumber(file);
  return appendUpdate(
    file,
    build(file, () => n++),
  ).bytes;
}
function redefine(file: PdfFile, ref: PdfRef, changes: Record<string, WritableValue>): UpdateObject {
  const d = copyDict(dictOf(file, ref));
  for (const [k, v] of Object.entries(changes)) d.set(k, v);
  return { num: ref.num, value: d };
}
function resourcesWith(file: PdfFile, page: PdfRef, extra: { font?: [string, PdfRef]; xobject?: [string, PdfRef] }): Map<string, WritableValue> {
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
function contentsOf(file: PdfFile, page: PdfRef): WritableValue[] {
  const c = dictOf(file, page).get('Contents');
  if (c instanceof PdfRef) {
    const v = file.object(c.num);
    return Array.isArray(v) ? (v as WritableValue[]) : [c];
  }
  return Array.isArray(c) ? (c as WritableValue[]) : [];
}
const helvetica = (num: number): UpdateObject => ({
  num,
  value: new Map<string, WritableValue>([
    ['Type', pdfName('Font')],
    ['Subtype', pdfName('Type1')],
    ['BaseFont', pdfName('Helvetica')],
  ]),
});
const forgedTotal = (label: string): string => `q 1 1 1 rg 60 60 500 60 re f Q BT /FX 28 Tf 0 0 0 rg 70 75 Td (${label}) Tj ET\n`;
const formXObject = (font?: number): [string, WritableValue][] => [
  ['Type', pdfName('XObject')],
  ['Subtype', pdfName('Form')],
  ['BBox', [0, 0, 1200, 900]],
  ...(font === undefined
    ? []
    : ([['Resources', new Map<string, WritableValue>([['Font', new Map<string, WritableValue>([['FX', pdfRef(font)]])]])]] as [string, WritableValue][])),
];
function patch(pdf: Uint8Array, from: string, to: string, after = 0): Uint8Array {
  const i = text(pdf).indexOf(from, after);
  if (i < 0 || to.length > from.length) throw new Error(`patch: ${from.slice(0, 40)}`);
  const out = Uint8Array.from(pdf);
  out.set(latin1(to.padEnd(from.length, ' ')), i);
  return out;
}
function patchByteRange(pdf: Uint8Array, replacement: string): Uint8Array {
  const all = [...text(pdf).matchAll(/\/ByteRange\s*\[[^\]]*\]/g)];
  const m = all[all.length - 1];
  if (m === undefined) throw new Error('no /ByteRange');
  return patch(pdf, m[0], replacement, m.index);
}
const flipAt = (pdf: Uint8Array, i: number): Uint8Array => {
  const out = pdf.slice();
  out[i] = (out[i] as number) ^ 0x01;
  return out;
};

type Req = 'FORM-4' | 'FORM-6' | 'FORM-7' | 'SIG-3' | 'SIG-4';
interface Case {
  readonly group: 'bordereau' | 'sealed' | 'attack';
  readonly requirements: readonly [Req, ...Req[]];
  readonly variant: string;
  readonly comment: string;
  readonly flags: readonly (keyof typeof NOTES)[];
  readonly pdf: Uint8Array;
  readonly result: 'valid' | 'invalid';
  /** pdf-seal-verify: the expected verdict; bordereau-pdf-verify: the code (contentHash bound when given). */
  readonly status?: 'passed' | 'failed' | 'indeterminate';
  readonly subIndication?: string;
  readonly code?: string;
  readonly contentHash?: string;
}

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'A bordereau PDF as the SDK renders, signs and seals it: it must verify.' },
  SIGNATURE_REVISIONS: { bugType: 'BASIC', description: 'Handwritten signatures placed as incremental revisions before the seal, covered by it.' },
  TIMESTAMP: { bugType: 'BASIC', description: 'A PAdES B-T seal: an RFC 3161 time-stamp token over the signature value.' },
  SECOND_SEAL: { bugType: 'EDGE_CASE', description: 'A second seal appended after the first: a signature revision, the first stays valid.' },
  DSS: { bugType: 'EDGE_CASE', description: 'A revision after the seal that only adds validation data (a DSS): it keeps the seal valid (docs/pades.md).' },
  WHITESPACE: { bugType: 'EDGE_CASE', description: 'White space only after the last %%EOF: not a modification.' },
  BYTE_FLIP: { bugType: 'MODIFIED_AFTER_SEAL', description: 'One byte changed in place inside a signed byte range: the digest no longer matches.' },
  INCREMENTAL_SAVE: { bugType: 'MODIFIED_AFTER_SEAL', description: 'An incremental update after the seal that changes content (a page, an annotation).' },
  PAINTED_TOTAL: { bugType: 'MODIFIED_AFTER_SEAL', description: 'An incremental update after the seal painting a white box and another total over the page.' },
  SHADOW_HIDE: { bugType: 'MODIFIED_AFTER_SEAL', description: 'Shadow attack, hide: content prepared before the seal made visible by a later revision.' },
  SHADOW_REPLACE: { bugType: 'MODIFIED_AFTER_SEAL', description: 'Shadow attack, replace: a signed object (font, XObject) redefined by a later revision.' },
  SHADOW_HIDE_REPLACE: { bugType: 'MODIFIED_AFTER_SEAL', description: 'Shadow attack, hide-and-replace: the page tree redefined by a later revision.' },
  SNEAKY_SIGNATURE: { bugType: 'MODIFIED_AFTER_SEAL', description: 'An unsigned signature field added after the seal whose appearance covers the total.' },
  APPENDED_BYTES: { bugType: 'MODIFIED_AFTER_SEAL', description: 'Bytes other than white space after the last %%EOF.' },
  DSS_SMUGGLING: { bugType: 'MODIFIED_AFTER_SEAL', description: 'A revision after a DSS revision that also changes a page: not validation data.' },
  WRAPPING: { bugType: 'FORGERY', description: 'Signature wrapping: the /ByteRange moved or stretched in place.' },
  UNIVERSAL_FORGERY: { bugType: 'FORGERY', description: 'Universal signature forgery: /ByteRange or /Contents empty, null or degenerate.' },
  UNTRUSTED: { bugType: 'FORGERY', description: 'Sealed under a CA that is not a trust anchor: indeterminate, never passed.' },
  NO_SIGNATURE: { bugType: 'EDGE_CASE', description: 'A PDF without any signature presented as sealed.' },
  NOT_AUTHENTIC: { bugType: 'MODIFIED_AFTER_SEAL', description: 'Revision 1 edited in place: it is no longer what the SDK renders for its content.' },
  FOREIGN_REVISION: { bugType: 'HOSTILE', description: 'A revision that is not exactly what placeSignature writes (a total painted over).' },
  WRONG_CONTENT: { bugType: 'WRONG_BINDING', description: 'A genuine bordereau PDF checked against another content hash.' },
  NOT_PDF: { bugType: 'MALFORMED_INPUT', description: 'Bytes that are not a PDF.' },
} as const;

/** The first signature's `/Contents` hex string (with its angle brackets) and its ByteRange. */
function sealParts(pdf: Uint8Array, byteRange: readonly number[]): { hex: string; a: number; b: number; c: number } {
  const [, a, b, c] = byteRange as [number, number, number, number];
  return { hex: text(pdf).slice(a, b), a, b, c };
}

async function main(): Promise<void> {
  const pki = await seededPki(18, { algorithm: 'ecdsa-p256', now: () => T0 });
  const rogue = await seededPki(19, { algorithm: 'ecdsa-p256', now: () => T0 });
  const tsa = await createDevelopmentTsa({ certificate: pki.tsa.certificate, key: pki.tsa.privateKey, now: () => at(2), random: seeded(3161) });
  const sealerOf = (p: DevelopmentPki, stamped: boolean): Promise<PdfSealer> =>
    createPdfSealer({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => at(1), ...(stamped ? { timestamper: tsa.stamper } : {}) });
  const bb = await sealerOf(pki, false);
  const bt = await sealerOf(pki, true);
  const rogueSealer = await sealerOf(rogue, false);

  const data = parseBordereauJson(readFileSync(join(ROOT, 'examples/data/at-mp-accident-travail.json'), 'utf8'));
  const id = data.id as string;
  const rendered = await renderBordereauPdf(data, { now: () => T0, page: 'a4' });
  const base = rendered.bytes;
  const image = await signaturePng();
  const insured = await placeSignature(base, { slot: 'insured', image, capturedAt: at(600), bordereauId: id });
  const practitioner = await placeSignature(insured, { slot: 'line:1', image, capturedAt: at(700), bordereauId: id });
  const signed = await placeSignature(practitioner, { slot: 'director', image, capturedAt: at(900), bordereauId: id });
  const sealedBB = await bb.seal(signed);
  const sealedBT = await bt.seal(signed);
  const s = sealedBB.pdf;
  const { hex, a, b, c } = sealParts(s, sealedBB.byteRange);

  /** The shadow preparation: an empty overlay XObject drawn over page 1, and an unused content stream, both signed. */
  let overlay = 0;
  let unused = 0;
  let overlayFont = 0;
  const prepared = update(signed, (file, next) => {
    const page = pages(file)[0] as PdfRef;
    overlay = next();
    unused = next();
    const draw = next();
    overlayFont = next();
    return [
      helvetica(overlayFont),
      stream(overlay, '% nothing yet\n', formXObject(overlayFont)),
      stream(unused, forgedTotal('TOTAL 9 999,00 EUR')),
      stream(draw, 'q /Ov Do Q\n'),
      redefine(file, page, {
        Contents: [...contentsOf(file, page), pdfRef(draw)],
        Resources: resourcesWith(file, page, { xobject: ['Ov', pdfRef(overlay)], font: ['FX', pdfRef(overlayFont)] }),
      }),
    ];
  });
  const preparedSealed = (await bb.seal(prepared)).pdf;

  const paintTotal = (pdf: Uint8Array): Uint8Array =>
    update(pdf, (file, next) => {
      const page = pages(file)[0] as PdfRef;
      const font = next();
      const content = next();
      return [
        helvetica(font),
        stream(content, forgedTotal('TOTAL 9 999,00 EUR')),
        redefine(file, page, { Contents: [...contentsOf(file, page), pdfRef(content)], Resources: resourcesWith(file, page, { font: ['FX', pdfRef(font)] }) }),
      ];
    });
  const addDss = (pdf: Uint8Array): Uint8Array =>
    update(pdf, (file, next) => {
      const certs = next();
      const dss = next();
      return [
        { num: certs, dict: new Map(), data: pki.ca.certificate },
        { num: dss, value: new Map<string, WritableValue>([['Certs', [pdfRef(certs)]]]) },
        { num: catalog(file).ref.num, value: new Map([...copyDict(catalog(file).dict), ['DSS', pdfRef(dss)]]) },
      ];
    });
  const withDss = addDss(s);
  const cat = (pdf: Uint8Array, extra: string): Uint8Array => new Uint8Array(Buffer.concat([pdf, latin1(extra)]));

  // In-place edit of revision 1: one byte of page 1's content stream.
  const flippedRev1 = (() => {
    const file = open(base);
    const page = file.object((pages(file)[0] as PdfRef).num) as PdfDict;
    const contents = page.get('Contents');
    const located = file.located((Array.isArray(contents) ? (contents[0] as PdfRef) : (contents as PdfRef)).num);
    if (located === null) throw new Error('no content stream');
    return flipAt(base, Math.floor((located.start + located.end) / 2));
  })();
  const other = await renderBordereauPdf(parseBordereauJson(readFileSync(join(ROOT, 'examples/data/ambulatoire-cataracte.json'), 'utf8')), {
    now: () => T0,
    page: 'a4',
  });
  const swappedHash = latin1(text(base).replace(`/ContentHash (${rendered.contentHash})`, `/ContentHash (${other.contentHash})`));

  const seal = (
    requirements: Case['requirements'],
    variant: string,
    comment: string,
    flags: Case['flags'],
    pdf: Uint8Array,
    status: 'passed' | 'failed' | 'indeterminate',
    extra: { subIndication?: string; code?: string } = {},
  ): Case => ({
    group: status === 'passed' ? 'sealed' : 'attack',
    requirements,
    variant,
    comment,
    flags,
    pdf,
    result: status === 'passed' ? 'valid' : 'invalid',
    status,
    ...(extra.subIndication === undefined ? {} : { subIndication: extra.subIndication }),
    ...(extra.code === undefined ? {} : { code: extra.code }),
  });
  const MODIFIED = { subIndication: 'FORMAT_FAILURE', code: 'ERR_PDF_MODIFIED_AFTER_SEAL' } as const;

  const cases: Case[] = [
    // verifyBordereauPdf (FORM-4, FORM-6, FORM-7).
    {
      group: 'bordereau',
      requirements: ['FORM-4', 'FORM-6', 'FORM-7'],
      variant: 'rendered',
      comment: 'A two-page A4 bordereau rendered by the SDK (examples/data/at-mp-accident-travail.json, fixed clock): revision 1 renders again byte for byte',
      flags: ['BASIC'],
      pdf: base,
      result: 'valid',
    },
    {
      group: 'bordereau',
      requirements: ['FORM-4', 'FORM-6', 'FORM-7'],
      variant: 'rendered-bound',
      comment: 'The same bordereau checked against its own content hash',
      flags: ['BASIC'],
      pdf: base,
      result: 'valid',
      contentHash: rendered.contentHash,
    },
    {
      group: 'bordereau',
      requirements: ['FORM-6'],
      variant: 'signed-revisions',
      comment:
        'The bordereau with the insured person’s, line 1’s practitioner’s and the director’s signatures placed by placeSignature, each an incremental revision',
      flags: ['SIGNATURE_REVISIONS'],
      pdf: signed,
      result: 'valid',
      contentHash: rendered.contentHash,
    },
    {
      group: 'bordereau',
      requirements: ['FORM-6', 'SIG-4'],
      variant: 'wrong-content',
      comment: 'The genuine signed bordereau checked against another bordereau’s content hash',
      flags: ['WRONG_CONTENT'],
      pdf: signed,
      result: 'invalid',
      code: 'ERR_PDF_CONTENT_MISMATCH',
      contentHash: other.contentHash,
    },
    {
      group: 'bordereau',
      requirements: ['FORM-4', 'FORM-6', 'FORM-7'],
      variant: 'rev1-byte-flipped',
      comment: 'One byte of page 1’s content stream changed in place in revision 1 (same length, the cross-reference still holds)',
      flags: ['NOT_AUTHENTIC'],
      pdf: flippedRev1,
      result: 'invalid',
      code: 'ERR_PDF_NOT_AUTHENTIC',
    },
    {
      group: 'bordereau',
      requirements: ['FORM-6', 'SIG-4'],
      variant: 'rev1-hash-swapped',
      comment: 'Revision 1’s recorded content hash replaced in place by another bordereau’s',
      flags: ['NOT_AUTHENTIC'],
      pdf: swappedHash,
      result: 'invalid',
      code: 'ERR_PDF_NOT_AUTHENTIC',
    },
    {
      group: 'bordereau',
      requirements: ['FORM-6'],
      variant: 'painted-total',
      comment: 'A revision after the insured person’s signature painting a white box and another total over page 1: not a signature revision',
      flags: ['FOREIGN_REVISION'],
      pdf: paintTotal(insured),
      result: 'invalid',
      code: 'ERR_PDF_MODIFIED',
    },
    // verifyPdfSeal: sealed as the SDK seals (SIG-3).
    seal(['SIG-3'], 'sealed-b-b', 'The signed bordereau sealed PAdES B-B (development PKI)', ['BASIC'], s, 'passed'),
    seal(['SIG-3'], 'sealed-b-t', 'The signed bordereau sealed PAdES B-T, with a token of the development TSA', ['TIMESTAMP'], sealedBT.pdf, 'passed'),
    seal(
      ['SIG-3', 'FORM-6'],
      'sealed-unsigned',
      'The bordereau sealed B-B right after rendering, before any signature',
      ['BASIC'],
      (await bb.seal(base)).pdf,
      'passed',
    ),
    seal(['SIG-3'], 'second-seal', 'A second B-T seal appended after the B-B seal', ['SECOND_SEAL'], (await bt.seal(s)).pdf, 'passed'),
    seal(['SIG-3', 'SIG-4'], 'dss-after-seal', 'A revision after the seal that only adds a DSS (the CA certificate)', ['DSS'], withDss, 'passed'),
    seal(['SIG-3', 'SIG-4'], 'whitespace-after-eof', 'White space only after the last %%EOF', ['WHITESPACE'], cat(s, '\n\r\n  \n'), 'passed'),
    seal(
      ['SIG-3'],
      'shadow-prepared',
      'A bordereau with an empty overlay and an unused content stream, sealed B-B (nothing changed after)',
      ['BASIC'],
      preparedSealed,
      'passed',
    ),
    // verifyPdfSeal: refused.
    seal(['SIG-3'], 'no-signature', 'A signed bordereau never sealed', ['NO_SIGNATURE'], signed, 'failed', { code: 'ERR_PDF_NO_SIGNATURE' }),
    seal(
      ['SIG-3'],
      'untrusted-ca',
      'Sealed B-B by another development CA than the trust anchor',
      ['UNTRUSTED'],
      (await rogueSealer.seal(signed)).pdf,
      'indeterminate',
      {
        subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
        code: 'ERR_CERT_UNTRUSTED',
      },
    ),
    seal(
      ['SIG-3', 'SIG-4'],
      'flip-first-range',
      'One byte flipped in place in the first signed range (page content of revision 1)',
      ['BYTE_FLIP'],
      flipAt(s, Math.floor(a / 2)),
      'failed',
      {
        subIndication: 'HASH_FAILURE',
        code: 'ERR_SEAL_DIGEST_MISMATCH',
      },
    ),
    seal(
      ['SIG-3', 'SIG-4'],
      'flip-second-range',
      'One byte flipped in place in the second signed range (the seal’s /M date)',
      ['BYTE_FLIP'],
      patch(s, 'D:2026', 'D:2027', b),
      'failed',
      {
        subIndication: 'HASH_FAILURE',
        code: 'ERR_SEAL_DIGEST_MISMATCH',
      },
    ),
    seal(
      ['SIG-4'],
      'incremental-page-rotated',
      'An incremental update after the seal rotating page 1 (other content)',
      ['INCREMENTAL_SAVE'],
      update(s, (file) => [redefine(file, pages(file)[0] as PdfRef, { Rotate: 90 })]),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'incremental-freetext',
      'An incremental update after the seal adding a FreeText annotation with another total to page 1',
      ['INCREMENTAL_SAVE'],
      update(s, (file, next) => {
        const page = pages(file)[0] as PdfRef;
        const annot = next();
        const annots = file.resolve(dictOf(file, page).get('Annots'));
        return [
          {
            num: annot,
            value: new Map<string, WritableValue>([
              ['Type', pdfName('Annot')],
              ['Subtype', pdfName('FreeText')],
              ['Rect', [60, 60, 560, 120]],
              ['Contents', textString('Total : 9 999,00 EUR')],
              ['DA', textString('/Helv 24 Tf 0 0 1 rg')],
              ['F', 4],
              ['P', page],
            ]),
          },
          redefine(file, page, { Annots: [...((Array.isArray(annots) ? annots : []) as WritableValue[]), pdfRef(annot)] }),
        ];
      }),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'painted-total',
      'A total painted over page 1 in an incremental update after the seal (white box, TOTAL 9 999,00 EUR)',
      ['PAINTED_TOTAL'],
      paintTotal(s),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'shadow-hide-overlay',
      'Shadow hide: the empty overlay XObject signed before the seal redefined after it to draw another total',
      ['SHADOW_HIDE'],
      update(preparedSealed, () => [stream(overlay, forgedTotal('TOTAL 9 999,00 EUR'), formXObject(overlayFont))]),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'shadow-hide-unused',
      'Shadow hide: the signed but unused content stream added to page 1’s /Contents after the seal',
      ['SHADOW_HIDE'],
      update(preparedSealed, (file) => {
        const page = pages(file)[0] as PdfRef;
        return [redefine(file, page, { Contents: [...contentsOf(file, page), pdfRef(unused)] })];
      }),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'shadow-replace-font',
      'Shadow replace: a font page 1 uses redefined as Courier after the seal',
      ['SHADOW_REPLACE'],
      update(s, (file) => {
        const page = pages(file)[0] as PdfRef;
        const fonts = file.resolve((file.resolve(dictOf(file, page).get('Resources')) as PdfDict).get('Font')) as PdfDict;
        const first = [...fonts.values()].find((v) => v instanceof PdfRef) as PdfRef;
        return [redefine(file, first, { BaseFont: pdfName('Courier'), Subtype: pdfName('Type1') })];
      }),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'shadow-replace-xobject',
      'Shadow replace: the overlay XObject redefined after the seal with a content of the same length',
      ['SHADOW_REPLACE'],
      update(preparedSealed, () => [stream(overlay, '% something  \n', formXObject())]),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'shadow-hide-replace-pages',
      'Shadow hide-and-replace: the page tree redefined after the seal with a new first page drawing another total',
      ['SHADOW_HIDE_REPLACE'],
      update(s, (file, next) => {
        const treeRef = catalog(file).dict.get('Pages') as PdfRef;
        const page = pages(file)[0] as PdfRef;
        const newPage = next();
        const content = next();
        const font = next();
        const pageDict = copyDict(dictOf(file, page));
        pageDict.set('Contents', [...contentsOf(file, page), pdfRef(content)]);
        pageDict.set('Resources', resourcesWith(file, page, { font: ['FX', pdfRef(font)] }));
        const kids = (file.resolve(dictOf(file, treeRef).get('Kids')) as PdfRef[]).map((k) => (k.num === page.num ? pdfRef(newPage) : k));
        return [
          helvetica(font),
          stream(content, forgedTotal('TOTAL 9 999,00 EUR')),
          { num: newPage, value: pageDict },
          redefine(file, treeRef, { Kids: kids }),
        ];
      }),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-4'],
      'sneaky-signature',
      'Sneaky signature: an unsigned signature field added after the seal, its appearance a white box and another total',
      ['SNEAKY_SIGNATURE'],
      update(s, (file, next) => {
        const page = pages(file)[0] as PdfRef;
        const widget = next();
        const ap = next();
        const font = next();
        const annots = file.resolve(dictOf(file, page).get('Annots'));
        const form = copyDict(file.resolve(catalog(file).dict.get('AcroForm')) as PdfDict);
        form.set('Fields', [...((file.resolve(form.get('Fields') as PdfValue) as WritableValue[] | undefined) ?? []), pdfRef(widget)]);
        return [
          helvetica(font),
          stream(ap, forgedTotal('TOTAL 9 999,00 EUR'), formXObject(font)),
          {
            num: widget,
            value: new Map<string, WritableValue>([
              ['Type', pdfName('Annot')],
              ['Subtype', pdfName('Widget')],
              ['FT', pdfName('Sig')],
              ['T', textString('Sneaky')],
              ['F', 4],
              ['Rect', [0, 0, 1200, 900]],
              ['P', page],
              ['AP', new Map<string, WritableValue>([['N', pdfRef(ap)]])],
            ]),
          },
          redefine(file, page, { Annots: [...((Array.isArray(annots) ? annots : []) as WritableValue[]), pdfRef(widget)] }),
          { num: catalog(file).ref.num, value: new Map([...copyDict(catalog(file).dict), ['AcroForm', form]]) },
        ];
      }),
      'failed',
      MODIFIED,
    ),
    seal(['SIG-4'], 'appended-comment', 'A comment line after the last %%EOF', ['APPENDED_BYTES'], cat(s, '%comment\n'), 'failed', {
      code: 'ERR_PDF_MODIFIED_AFTER_SEAL',
    }),
    seal(
      ['SIG-4'],
      'appended-object',
      'An object with another total after the last %%EOF, no cross-reference section',
      ['APPENDED_BYTES'],
      cat(s, '99 0 obj\n(9 999,00 EUR)\nendobj\n'),
      'failed',
      {
        code: 'ERR_PDF_MODIFIED_AFTER_SEAL',
      },
    ),
    seal(
      ['SIG-4'],
      'dss-then-page-change',
      'After a DSS-only revision, a revision rotating page 1',
      ['DSS_SMUGGLING'],
      update(withDss, (file) => [redefine(file, pages(file)[0] as PdfRef, { Rotate: 90 })]),
      'failed',
      MODIFIED,
    ),
    seal(
      ['SIG-3', 'SIG-4'],
      'wrapping-moved',
      'Signature wrapping: the gap of /ByteRange moved two bytes in place',
      ['WRAPPING'],
      patchByteRange(s, `/ByteRange [0 ${a} ${b + 2} ${c - 2}]`),
      'failed',
      {
        subIndication: 'FORMAT_FAILURE',
        code: 'ERR_PDF_BYTE_RANGE_INVALID',
      },
    ),
    seal(
      ['SIG-3', 'SIG-4'],
      'wrapping-short',
      'Signature wrapping: /ByteRange stops 20 bytes before the end of the revision',
      ['WRAPPING'],
      patchByteRange(s, `/ByteRange [0 ${a} ${b} ${c - 20}]`),
      'failed',
      {
        subIndication: 'FORMAT_FAILURE',
        code: 'ERR_PDF_BYTE_RANGE_INVALID',
      },
    ),
    seal(['SIG-3'], 'forgery-byterange-empty', 'Universal forgery: /ByteRange []', ['UNIVERSAL_FORGERY'], patchByteRange(s, '/ByteRange []'), 'failed'),
    seal(
      ['SIG-3'],
      'forgery-byterange-zero',
      'Universal forgery: /ByteRange [0 0 0 0]',
      ['UNIVERSAL_FORGERY'],
      patchByteRange(s, '/ByteRange [0 0 0 0]'),
      'failed',
    ),
    seal(
      ['SIG-3'],
      'forgery-contents-zeros',
      'Universal forgery: /Contents all zeros',
      ['UNIVERSAL_FORGERY'],
      patch(s, hex, `<${'0'.repeat(hex.length - 2)}>`),
      'failed',
    ),
  ];

  // The verdicts above are written by hand; check that the SDK agrees before writing anything.
  const problems: string[] = [];
  for (const [i, k] of cases.entries()) {
    if (k.status === undefined) {
      const v = await verifyBordereauPdf(k.pdf, k.contentHash === undefined ? {} : { contentHash: k.contentHash });
      const codes = v.issues.map((x) => x.code);
      if (v.ok !== (k.result === 'valid') || (k.code !== undefined && !codes.includes(k.code)))
        problems.push(`${i + 1} ${k.variant}: ok ${v.ok} ${codes.join(',')}`);
    } else {
      const v = await verifyPdfSeal(k.pdf, { trustAnchors: [pki.ca.certificate], now: () => new Date(AT) });
      const codes = v.issues.map((x) => x.code);
      const sub = v.signatures.find((x) => x.status !== 'passed')?.subIndication;
      if (v.status !== k.status || (k.code !== undefined && !codes.includes(k.code)) || (k.subIndication !== undefined && sub !== k.subIndication))
        problems.push(`${i + 1} ${k.variant}: ${v.status} ${sub ?? ''} ${codes.join(',')}`);
    }
  }
  if (problems.length > 0) throw new Error(`the SDK disagrees:\n${problems.join('\n')}`);

  // Files.
  const pending = new Map<string, Uint8Array | string>();
  const sha = (x: Uint8Array | string) => createHash('sha256').update(x).digest('hex');
  const manifest: { file: string; sha256: string; reason: string }[] = [];
  const anchors = new Map<string, { file: string; sha256: string }>();
  const anchorRef = (tcId: number, requirement: string): { file: string; sha256: string } => {
    let ref = anchors.get('ca');
    if (ref === undefined) {
      const name = `pdf-${requirement}-t${String(tcId).padStart(2, '0')}-pass-ca.pem`;
      const body = pem(pki.ca.certificate);
      pending.set(name, body);
      ref = { file: `fixtures/${name}`, sha256: sha(body) };
      manifest.push({ file: name, sha256: ref.sha256, reason: `trust anchor: the development CA of the seal and the TSA (PEM), first used by tcId ${tcId}` });
      anchors.set('ca', ref);
    }
    return ref;
  };
  const groups = new Map<Case['group'], unknown[]>();
  cases.forEach((k, i) => {
    const tcId = i + 1;
    const requirement = k.requirements[0];
    const name = `pdf-${requirement}-t${String(tcId).padStart(2, '0')}-${k.result === 'invalid' ? 'fail' : 'pass'}-${k.variant}.pdf`;
    pending.set(name, k.pdf);
    const h = sha(k.pdf);
    manifest.push({ file: name, sha256: h, reason: k.comment });
    const pdf = { file: `fixtures/${name}`, sha256: h };
    const expected =
      k.status === undefined
        ? k.code === undefined
          ? undefined
          : { code: k.code }
        : { status: k.status, ...(k.subIndication === undefined ? {} : { subIndication: k.subIndication }), ...(k.code === undefined ? {} : { code: k.code }) };
    const test = {
      tcId,
      comment: k.comment,
      requirements: k.requirements,
      flags: k.flags,
      input:
        k.status === undefined
          ? { pdf, ...(k.contentHash === undefined ? {} : { contentHash: k.contentHash }) }
          : { pdf, trustAnchors: [anchorRef(tcId, requirement)], at: AT },
      result: k.result,
      ...(expected === undefined ? {} : { expected }),
    };
    const list = groups.get(k.group) ?? [];
    list.push(test);
    groups.set(k.group, list);
  });
  const comments: Record<Case['group'], { type: string; comment: string }> = {
    bordereau: {
      type: 'bordereau-pdf-verify',
      comment: 'verifyBordereauPdf: revision 1 rendered again byte for byte, later revisions only signature revisions; contentHash bound when given.',
    },
    sealed: { type: 'pdf-seal-verify', comment: 'verifyPdfSeal on PDFs sealed as the SDK seals them, and changes that keep the seal valid: passed.' },
    attack: {
      type: 'pdf-seal-verify',
      comment: 'verifyPdfSeal on sealed PDFs after each attack class of docs/pades.md, a PDF never sealed and an untrusted CA: failed or indeterminate.',
    },
  };
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: 'pdf',
    title: 'Bordereau PDFs and their PAdES seal: authenticity, revisions, attacks after the seal (FORM-4, FORM-6, FORM-7, SIG-3, SIG-4)',
    generator: 'packages/conformance/generate/pdf-seals.ts',
    notes: NOTES,
    numberOfTests: cases.length,
    testGroups: (['bordereau', 'sealed', 'attack'] as const).map((g) => ({ type: comments[g].type, comment: comments[g].comment, tests: groups.get(g) ?? [] })),
  };
  writeOwnFixtures(
    'pdf',
    'seals.json',
    manifest.map((m) => ({ name: m.file, bytes: pending.get(m.file)!, reason: m.reason })),
  );
  writeVectorFile('pdf', 'seals.json', file);
  const negatives = cases.filter((k) => k.result === 'invalid').length;
  process.stdout.write(`pdf/seals.json: ${cases.length} vectors, ${negatives} negative\n`);
}

await main();
