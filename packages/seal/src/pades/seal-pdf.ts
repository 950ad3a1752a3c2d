import { bytesEqual, isS3404Error, readClock, resolveClock, resolveLocale, toHex, type Clock, type Locale, type TimeStamper } from '@s3404/core';
import { isDict, PdfRef, type PdfDict } from '@s3404/core/pdf';
import {
  appendUpdate,
  copyDict,
  dateString,
  nextObjectNumber,
  openPdfFile,
  pdfName,
  pdfRef,
  textString,
  type PdfFile,
  type UpdateObject,
  type WritableValue,
  catalogOf,
  pageRefs,
  textBlockAppearance,
} from '@s3404/form/pdf';
import { FormError, formatDateTimeFr } from '@s3404/form';
import { SealError } from '../errors/seal-error.js';
import { parseSignedData } from '../internal/cms-parse.js';
import { parseTstInfo } from '../timestamp/tsp-der.js';
import { invalidReply } from '../timestamp/read-time-stamp-reply.js';
import { DerError } from '../internal/der.js';
import { OID } from '../internal/oids.js';
import type { SigningKey } from '../signing-key.js';
import type { CryptoProvider, WebCryptoKey } from '../web-crypto.js';
import { checkValidityAt } from '../internal/chain.js';
import { resolveCrypto, digest } from '../internal/crypto.js';
import { Failure } from '../internal/failure.js';
import { prepareSealKey, signAttributes, type SealKey } from '../internal/seal-key.js';
import { assemblePadesCms, padesSignedAttributes } from './pades-cms.js';
import { appendDss, type RevocationData } from './dss.js';

/** A PAdES baseline level (ETSI EN 319 142-1 §6). @public */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT';

/** Options of {@link createPdfSealer} (SIG-3). @public */
export interface PdfSealerOptions {
  /** The establishment's seal key: a {@link SigningKey} (HSM, KMS), a Web Crypto private key, or PKCS#8 DER bytes. */
  readonly key: SigningKey | WebCryptoKey | Uint8Array;
  /** Its certificate (DER). */
  readonly certificate: Uint8Array;
  /** Intermediate certificates (DER) to embed in the CMS. Default: none. */
  readonly chain?: readonly Uint8Array[];
  /**
   * The RFC 3161 time-stamp source of level B-T (`createHttpTimeStamper`,
   * `createDevelopmentTsa(...).stamper`). Default: none, level B-B.
   */
  readonly timestamper?: TimeStamper;
  /**
   * When the time-stamp source fails: `'fail'` (default) throws its error
   * and writes nothing; `'b-b'` seals at level B-B and says so in the
   * result (`level`, `timestampError`).
   */
  readonly onTimestampFailure?: 'fail' | 'b-b';
  /** The claimed signing time, written as `/M`. Default: the system clock. */
  readonly now?: Clock;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** Options of one {@link PdfSealer.seal} (SIG-3). @public */
export interface SealPdfOptions {
  /** Why the establishment seals (`/Reason`). Default « Scellement du bordereau S3404 par l'établissement ». */
  readonly reason?: string;
  /** Revocation data for level B-LT: a DSS dictionary with the chain, CRLs and OCSP responses (ETSI EN 319 142-1 §5.4.3). */
  readonly revocation?: RevocationData;
  /** Bytes reserved for the CMS in `/Contents`. Default: the certificates' size plus 4 KiB, plus 12 KiB with a time-stamp. */
  readonly contentsSize?: number;
  /**
   * Draw a visible seal block on the last page: the establishment (the
   * certificate's organisation), the time (French legal time) and the
   * certificate's subject. `true` puts a 300 × 30 pt block in the bottom
   * band of the page, 4 pt above its edge and 74 pt from its right edge
   * (free on the SDK's A3 layout, left of « page n / N »; on a narrow page
   * it may cover the footer: give a rect); `{ rect: [x, y, w, h] }` puts it
   * there (points, from the bottom left). Default: invisible.
   */
  readonly visible?: boolean | { readonly rect: readonly [number, number, number, number] };
}

/** A sealed PDF (SIG-3). @public */
export interface SealedPdf {
  /** The PDF with its seal appended as an incremental update (every earlier byte unchanged). */
  readonly pdf: Uint8Array;
  readonly level: PadesLevel;
  /** The claimed signing time (`/M`), ISO 8601 UTC. */
  readonly signingTime: string;
  /** The time-stamp's genTime at level B-T and above. */
  readonly timestampTime?: string;
  /** Why the level is B-B although a time-stamp source was given (`onTimestampFailure: 'b-b'`). */
  readonly timestampError?: { readonly code: string; readonly message: string };
  /** `/ByteRange` of the signature. */
  readonly byteRange: readonly [number, number, number, number];
  /** The revision the seal is (1-based), and the DSS revision at B-LT. */
  readonly revision: number;
}

/** The establishment's PAdES sealer (SIG-3). @public */
export interface PdfSealer {
  /** Subject of the seal certificate. */
  readonly subject: string;
  seal(pdf: Uint8Array, options?: SealPdfOptions): Promise<SealedPdf>;
}

const DEFAULT_REASON = "Scellement du bordereau S3404 par l'établissement";
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';
const MAX_CONTENTS = 256 * 1024;

/**
 * The establishment's PAdES baseline seal of a finished PDF (SIG-3, SIG-5;
 * ETSI EN 319 142-1): a detached CMS (`/SubFilter /ETSI.CAdES.detached`)
 * with ESS signing-certificate-v2 and no signing-time attribute (the claimed
 * time is the signature dictionary's `/M`, as EN 319 142-1 requires), in an
 * invisible signature field, appended as an incremental update: every byte
 * of the PDF as given stays as it is, so earlier signatures and revisions
 * stay valid. B-B, B-T with a time-stamp source (RFC 3161 signature
 * time-stamp), B-LT when revocation data is given (a DSS in a further
 * update). The key goes through the same {@link SigningKey} interface as
 * the records, so an HSM or KMS plugs in. `pdfsig`, `mutool sign -v` and
 * `openssl cms -verify` check the result; {@link verifyPdfSeal} does too.
 *
 * `import { createPdfSealer } from '@s3404/seal/pdf'`
 *
 * @example
 * ```ts
 * const sealer = await createPdfSealer({ key, certificate, timestamper: createHttpTimeStamper({ url }) })
 * const { pdf: sealed, level } = await sealer.seal(signedBordereau)
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID`, `ERR_CERT_KEY_USAGE`, `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`; from `seal`:
 * `ERR_PDF_NOT_SEALABLE`, `ERR_PDF_SIGNATURE_TOO_LARGE` (kind `input`), `ERR_CERT_EXPIRED`, `ERR_KEY_MISMATCH` (a vendor's key
 * whose signature the certificate does not verify), `ERR_KEY_UNAVAILABLE` (its `sign` threw), the time-stamp codes
 * (`ERR_TSA_UNAVAILABLE`, `ERR_TSA_REJECTED`, `ERR_TSA_RESPONSE_INVALID`) with `onTimestampFailure: 'fail'`;
 * `FormError` `ERR_PDF_UNREADABLE`, `ERR_PDF_ENCRYPTED`, `ERR_PDF_XREF_INVALID`. Nothing is written on error.
 * @throws TypeError for malformed options.
 * @public
 */
export async function createPdfSealer(options: PdfSealerOptions): Promise<PdfSealer> {
  if (options === null || typeof options !== 'object') throw new TypeError('createPdfSealer: options are required');
  if (options.timestamper !== undefined && typeof options.timestamper?.timestamp !== 'function') {
    throw new TypeError('createPdfSealer: options.timestamper must be a TimeStamper');
  }
  if (options.onTimestampFailure !== undefined && options.onTimestampFailure !== 'fail' && options.onTimestampFailure !== 'b-b') {
    throw new TypeError("createPdfSealer: options.onTimestampFailure must be 'fail' or 'b-b'");
  }
  const locale = resolveLocale(options.locale);
  const crypto = resolveCrypto(options.crypto);
  const now = resolveClock(options.now, 'createPdfSealer');
  const key = await prepareSealKey({ key: options.key, certificate: options.certificate, chain: options.chain, crypto, locale });
  return {
    subject: key.cert.subjectText,
    seal: (pdf, sealOptions = {}) => sealPdf(key, pdf, sealOptions, { ...options, locale, now }),
  };
}

async function sealPdf(
  key: SealKey,
  pdf: Uint8Array,
  options: SealPdfOptions,
  ctx: PdfSealerOptions & { readonly locale: Locale; readonly now: Clock },
): Promise<SealedPdf> {
  if (!(pdf instanceof Uint8Array)) throw new TypeError('seal: the PDF must be a Uint8Array');
  if (options === null || typeof options !== 'object') throw new TypeError('seal: options must be an object');
  if (options.contentsSize !== undefined && (!Number.isInteger(options.contentsSize) || options.contentsSize < 64 || options.contentsSize > MAX_CONTENTS)) {
    throw new TypeError(`seal: options.contentsSize must be an integer from 64 to ${MAX_CONTENTS}`);
  }
  const { locale } = ctx;
  const at = new Date(Math.floor(readClock(ctx.now, 'createPdfSealer').getTime() / 1000) * 1000);
  try {
    checkValidityAt([key.cert], at);
  } catch (e) {
    if (e instanceof Failure) throw new SealError(e.code, { locale });
    throw e;
  }
  const file = openPdfFile(pdf, locale);
  const notSealable = (fr: string, en: string): SealError => new SealError('ERR_PDF_NOT_SEALABLE', { params: { detail: { fr, en } }, locale });
  if (file.trailingBytes > 0) throw notSealable(`${file.trailingBytes} octets après le dernier %%EOF`, `${file.trailingBytes} bytes after the last %%EOF`);
  if (file.last.trailer.has('Encrypt')) throw new FormError('ERR_PDF_ENCRYPTED', { locale });
  const catalog = catalogOf(file);
  const pages = pageRefs(file);
  const page = pages[pages.length - 1];
  if (catalog === undefined || page === undefined) throw notSealable('pas de catalogue ou pas de page', 'no catalog or no page');

  const certBytes = key.template.certificates.length;
  const contentsSize = options.contentsSize ?? certBytes + 4096 + (ctx.timestamper === undefined ? 0 : 12288);
  const reason = options.reason ?? DEFAULT_REASON;
  if (typeof reason !== 'string' || reason.length > 500) throw new TypeError('seal: options.reason must be a string of at most 500 characters');

  const appearance = options.visible === undefined || options.visible === false ? undefined : await visibleBlock(file, page, key, at, options.visible);
  const { objects, sigNum } = signatureObjects(file, catalog, page, at, reason, contentsSize, appearance);
  const update = appendUpdate(file, objects);
  const bytes = update.bytes;
  // Where the placeholders are: inside the signature dictionary just written.
  const sigAt = update.offsets.get(sigNum)!;
  const brAt = indexOfAscii(bytes, BYTE_RANGE_PLACEHOLDER, sigAt);
  const contentsAt = indexOfAscii(bytes, '/Contents <', sigAt) + '/Contents '.length;
  const contentsEnd = contentsAt + 2 + 2 * contentsSize;
  if (brAt < 0 || contentsAt < sigAt || bytes[contentsEnd - 1] !== 0x3e) throw new Error('seal: placeholders not found where they were written');
  const byteRange = [0, contentsAt, contentsEnd, bytes.length - contentsEnd] as const;
  const brText = `/ByteRange [${byteRange.join(' ')}]`;
  const padded = `${brText.slice(0, -1).padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ')}]`;
  writeAscii(bytes, brAt, padded);

  const hash = key.template.algorithm.hash;
  const covered = new Uint8Array(byteRange[1] + byteRange[3]);
  covered.set(bytes.subarray(0, byteRange[1]), 0);
  covered.set(bytes.subarray(byteRange[2]), byteRange[1]);
  const attrs = padesSignedAttributes(key, await digest(key.crypto, hash, covered));
  const signature = await signAttributes(key, attrs);

  let level: PadesLevel = 'B-B';
  let token: Uint8Array | undefined;
  let timestampError: SealedPdf['timestampError'];
  let timestampTime: string | undefined;
  if (ctx.timestamper !== undefined) {
    try {
      const signatureDigest = await digest(key.crypto, 'SHA-256', signature);
      const stamped = await ctx.timestamper.timestamp(signatureDigest, { hash: 'SHA-256' });
      // A TimeStamper is pluggable: check that its token is over this signature before embedding it.
      timestampTime = tokenGenTime(stamped, signatureDigest, locale);
      token = stamped;
      level = 'B-T';
    } catch (e) {
      if (ctx.onTimestampFailure !== 'b-b' || !isS3404Error(e)) throw e;
      timestampError = { code: e.code, message: e.message };
    }
  }
  const cms = assemblePadesCms(key, attrs, signature, token);
  if (cms.length > contentsSize) throw new SealError('ERR_PDF_SIGNATURE_TOO_LARGE', { params: { received: cms.length, limit: contentsSize }, locale });
  writeAscii(bytes, contentsAt + 1, toHex(cms).toUpperCase());

  let out = bytes;
  let revision = file.revisions.length + 1;
  if (options.revocation !== undefined) {
    out = appendDss(out, {
      certificates: [key.cert.der, ...(ctx.chain ?? []), ...(options.revocation.certificates ?? [])],
      crls: options.revocation.crls ?? [],
      ocsps: options.revocation.ocsps ?? [],
      locale,
    });
    revision++;
    if (level === 'B-T') level = 'B-LT';
  }
  return {
    pdf: out,
    level,
    signingTime: at.toISOString(),
    ...(timestampTime === undefined ? {} : { timestampTime }),
    ...(timestampError === undefined ? {} : { timestampError }),
    byteRange,
    revision,
  };
}

/**
 * The objects of a signature revision: the signature dictionary with its
 * placeholders, an invisible widget (a signature field) on the last page
 * with an empty appearance (PDF/A wants one), the page with the widget in
 * `/Annots`, and the catalog's AcroForm listing the field (`/SigFlags 3`).
 */
function signatureObjects(
  file: PdfFile,
  catalog: { ref: PdfRef; dict: PdfDict },
  page: PdfRef,
  at: Date,
  reason: string,
  contentsSize: number,
  appearance: VisibleBlock | undefined,
): { objects: UpdateObject[]; sigNum: number } {
  let next = appearance?.nextObject ?? nextObjectNumber(file);
  const sigNum = next++;
  const widgetNum = next++;
  const apNum = next++;
  const objects: UpdateObject[] = [];
  const sig = `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} /Contents <${'0'.repeat(2 * contentsSize)}> /M ${dateString(at).text} /Reason ${textString(reason).text}>>`;
  objects.push({ num: sigNum, raw: latin1(sig) });
  const fieldName = `Sceau${file.revisions.length + 1}`;
  objects.push({
    num: widgetNum,
    value: new Map<string, WritableValue>([
      ['Type', pdfName('Annot')],
      ['Subtype', pdfName('Widget')],
      ['FT', pdfName('Sig')],
      ['T', textString(fieldName)],
      ['V', pdfRef(sigNum)],
      ['F', 132],
      ['Rect', appearance === undefined ? [0, 0, 0, 0] : [...appearance.rect]],
      ['P', page],
      ['AP', new Map<string, WritableValue>([['N', pdfRef(appearance === undefined ? apNum : appearance.ap)]])],
    ]),
  });
  if (appearance === undefined) {
    objects.push({
      num: apNum,
      dict: new Map<string, WritableValue>([
        ['Type', pdfName('XObject')],
        ['Subtype', pdfName('Form')],
        ['BBox', [0, 0, 0, 0]],
      ]),
      data: new Uint8Array(0),
    });
  } else objects.push(...appearance.objects);

  // The page lists the widget among its annotations.
  const pageDict = file.object(page.num);
  if (!isDict(pageDict)) throw new Error('seal: page is not a dictionary');
  const annots = pageDict.get('Annots');
  if (annots instanceof PdfRef) {
    const list = file.object(annots.num);
    objects.push({ num: annots.num, value: [...(Array.isArray(list) ? list : []), pdfRef(widgetNum)] });
  } else {
    const newPage = copyDict(pageDict);
    newPage.set('Annots', [...(Array.isArray(annots) ? annots : []), pdfRef(widgetNum)]);
    objects.push({ num: page.num, value: newPage });
  }
  // The AcroForm lists the field; signatures exist and the file is append-only (§12.7.2, Table 219).
  const acroForm = catalog.dict.get('AcroForm');
  const formDict = acroForm instanceof PdfRef ? file.object(acroForm.num) : acroForm;
  const newForm = isDict(formDict) ? copyDict(formDict) : new Map<string, WritableValue>();
  const fields = newForm.get('Fields');
  if (fields instanceof PdfRef) {
    const list = file.object(fields.num);
    objects.push({ num: fields.num, value: [...(Array.isArray(list) ? list : []), pdfRef(widgetNum)] });
  } else newForm.set('Fields', [...(Array.isArray(fields) ? (fields as WritableValue[]) : []), pdfRef(widgetNum)]);
  newForm.set('SigFlags', 3);
  if (acroForm instanceof PdfRef) objects.push({ num: acroForm.num, value: newForm });
  else {
    const newCatalog = copyDict(catalog.dict);
    newCatalog.set('AcroForm', newForm);
    objects.push({ num: catalog.ref.num, value: newCatalog });
  }
  return { objects, sigNum };
}

/**
 * The genTime of a token the time-stamp source returned, once checked to be
 * a SignedData over a TSTInfo whose SHA-256 imprint is `expected` (RFC 3161
 * §2.4.2). Throws `ERR_TSA_RESPONSE_INVALID` otherwise.
 */
function tokenGenTime(token: Uint8Array, expected: Uint8Array, locale: Locale): string {
  let info: ReturnType<typeof parseTstInfo>;
  try {
    const p = parseSignedData(token);
    if (p.eContentType !== OID.tstInfo || p.content === undefined) throw new DerError('eContentType');
    info = parseTstInfo(p.content);
  } catch (e) {
    if (e instanceof DerError || e instanceof Failure) throw invalidReply('not-token', locale, e);
    throw e;
  }
  if (info.imprint.hashAlgorithm.oid !== OID.sha256 || !bytesEqual(info.imprint.hashedMessage, expected)) throw invalidReply('imprint', locale);
  return info.genTime.toISOString();
}

interface VisibleBlock {
  readonly rect: readonly [number, number, number, number];
  readonly ap: number;
  readonly objects: readonly UpdateObject[];
  readonly nextObject: number;
}

/** The visible seal block: where, and its appearance with its font (numbered first in the update). */
async function visibleBlock(
  file: PdfFile,
  page: PdfRef,
  key: SealKey,
  at: Date,
  visible: true | { readonly rect: readonly [number, number, number, number] },
): Promise<VisibleBlock> {
  let rect: [number, number, number, number];
  if (visible === true) {
    const dict = file.object(page.num);
    const box = isDict(dict) ? file.resolve(dict.get('MediaBox')) : undefined;
    const [, y0, x1] = Array.isArray(box) && box.length === 4 && box.every((n) => typeof n === 'number') ? (box as number[]) : [0, 0, 595];
    // The bottom band of an S3404 page, between the footer's identifier line and « page n / N ».
    rect = [Math.max(4, x1! - 74 - 300), y0! + 4, 300, 30];
  } else {
    const r = visible.rect;
    if (!Array.isArray(r) || r.length !== 4 || !r.every((n) => Number.isFinite(n)) || !(r[2]! > 0 && r[3]! > 0)) {
      throw new TypeError('seal: options.visible.rect must be [x, y, width, height] in points');
    }
    rect = [r[0]!, r[1]!, r[2]!, r[3]!];
  }
  const organisation = key.cert.subjectText.match(/(?:^|, )O=([^,]+)/)?.[1] ?? key.cert.subjectText;
  const ap = await textBlockAppearance({
    width: rect[2],
    height: rect[3],
    lines: [`Scellé électroniquement par ${organisation}`, `le ${formatDateTimeFr(at)} (heure de Paris)`, `Certificat : ${key.cert.subjectText}`],
    firstObject: nextObjectNumber(file),
  });
  return { rect: [rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]], ap: ap.ref.num, objects: ap.objects, nextObject: ap.nextObject };
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function indexOfAscii(bytes: Uint8Array, text: string, from: number): number {
  const first = text.charCodeAt(0);
  for (let i = bytes.indexOf(first, from); i >= 0 && i + text.length <= bytes.length; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < text.length && bytes[i + k] === text.charCodeAt(k)) k++;
    if (k === text.length) return i;
  }
  return -1;
}

function writeAscii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}
