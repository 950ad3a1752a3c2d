/**
 * The PJ-check conformance vectors (SCOR-1, X-3): a table of small PDFs,
 * each with its policy and the verdict decided by hand from the rule it
 * exercises — never by running `checkPj`. The conformance generator
 * `packages/conformance/generate/scor-pj-checks.ts` turns the table into
 * `test-vectors/scor/pj-checks.json` (envelope 2) and its PDFs
 * `test-vectors/scor/fixtures/scor-SCOR-1-*.pdf`; scor's vectors test runs
 * them and cross-checks every stated page size, resolution and active
 * content with qpdf and poppler.
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/scor-pj-checks.ts
 */
import { scanPdf, type ScanPage, type WriterOptions } from './pdf-scan-writer.js';

/** The policy a case sets: the `PjPolicy` of `@s3404/scor`, written here as data (tooling depends on no package). */
export interface PjPolicy {
  readonly minDpi?: number;
  readonly colour?: 'colour' | 'grey';
  readonly allowBilevel?: boolean;
  readonly maxPages?: number;
  readonly maxBytes?: number;
  readonly scanCoverage?: number;
  readonly strict?: boolean;
}

/** One image as `pdfimages -list` reports it: resolution, colour space and bits per component; `scan` when it covers ≥ 5 % of the page. */
export interface ImageFacts {
  readonly dpi: number;
  /** The vertical resolution when it differs from `dpi` (the horizontal one). */
  readonly dpiY?: number;
  readonly color: 'gray' | 'rgb' | 'cmyk' | 'index';
  readonly bpc: 1 | 8;
  readonly scan: boolean;
}

/** What a vector says of one page: its size as pdfinfo reports it, and its images in painting order. */
export interface PageFacts {
  readonly widthMm: number;
  readonly heightMm: number;
  readonly images: readonly ImageFacts[];
}

export interface PjVectorCase {
  readonly tcId: number;
  /** The PDF's stem: its fixture is `scor-SCOR-1-t<first tcId>-<pass|fail>-<stem without its number>.pdf`. */
  readonly name: string;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly pdf: () => Uint8Array;
  readonly policy?: PjPolicy;
  readonly result: 'valid' | 'invalid';
  /** Every error code expected, sorted; empty when valid. */
  readonly expectedErrors: readonly string[];
  /** Every warning code expected, sorted. */
  readonly expectedWarnings?: readonly string[];
  /** Physical facts, cross-checked with pdfinfo and pdfimages; absent when the file is not meant to open cleanly. */
  readonly facts?: readonly PageFacts[];
  readonly source: keyof typeof PJ_SOURCES;
  /**
   * What independent tools must see in the file (not written to the JSON):
   * strings of `qpdf --qdf` (names normalised, streams decoded), and the
   * JavaScript poppler's `pdfinfo -js` prints.
   */
  readonly evidence?: { readonly qdf: readonly string[]; readonly js?: string };
}

/** Where each verdict comes from: the `sources` of the vector file. */
export const PJ_SOURCES = {
  CONVENTIONS:
    'SCOR rules of the national conventions (../shared/research/domain.md, "Image quality"): PDF, at least 200 DPI, page at least A5; the SPEC (SCOR-1) lets a clinic lower the resolution to 150 dpi.',
  SPEC: 'SPEC SCOR-1: encrypted PDFs, JavaScript and embedded files are refused; page-count and byte-size limits; grey-level or colour as configured.',
  SDK: "The SDK's own documented choice where no public text sets one (docs/scor.md): 1 mm of slack on page sizes, 0.5 % on resolutions, the 5 % coverage under which an image is a stamp, not a scan.",
  PDF: 'ISO 32000-1 (file structure): a reader that must repair a file reports it; `strict` refuses it.',
  ACTIVE:
    'docs/scor.md, "Active content": a PJ is a scanned supporting document, so nothing in it may run or reach outside the file — JavaScript (XFA scripts included), launch, submit-form, import-data, remote go-to (GoToR, GoToE, Thread to another file), multimedia, XFA forms, external streams and a URI opened without a click are refused; a web or e-mail link, opened only on a click, is flagged. Action types per ISO 32000-1 §12.6.4, XFA per XFA 3.3.',
} as const;

const flat: WriterOptions = { flat: true };
const scan =
  (pages: readonly ScanPage[], options: WriterOptions = {}): (() => Uint8Array) =>
  () =>
    scanPdf(pages, { ...flat, ...options });
const img = (dpi: number, color: ImageFacts['color'] = 'gray', bpc: 1 | 8 = 8): ImageFacts => ({ dpi, color, bpc, scan: true });
const page = (widthMm: number, heightMm: number, ...images: ImageFacts[]): PageFacts => ({ widthMm, heightMm, images });
const a4 = (dpi: number, color: ImageFacts['color'] = 'gray', bpc: 1 | 8 = 8): PageFacts => page(210, 297, img(dpi, color, bpc));
const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

/** The size of the blank A4 scan at 200 dpi (`01-a4-200dpi-grey`): the byte-limit cases sit on it. */
const A4_BYTES = scanPdf([{}], flat).length;

/** The same bytes with one ASCII string replaced by another of the same length (offsets stay right). */
function patch(pdf: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error('patch: same length only');
  const text = dec.decode(pdf);
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`patch: ${from} not found`);
  const out = pdf.slice();
  out.set(enc.encode(to), at);
  return out;
}

/** An A4 scan whose `startxref` points into the image data (same length, so nothing else moves). */
function badStartxref(): Uint8Array {
  const pdf = scanPdf([{}], flat);
  const text = dec.decode(pdf);
  const at = text.lastIndexOf('startxref\n') + 'startxref\n'.length;
  const offset = /^\d+/.exec(text.slice(at))![0];
  return patch(pdf, `startxref\n${offset}`, `startxref\n${'1'.padStart(offset.length, '0')}`);
}

/** An A4 scan at 200 dpi carrying active content; the verdict written by hand from docs/scor.md "Active content". */
function active(
  tcId: number,
  stem: string,
  comment: string,
  options: WriterOptions,
  expectedErrors: readonly string[],
  qdf: readonly string[],
  expectedWarnings: readonly string[] = [],
  js?: string,
): PjVectorCase {
  return {
    tcId,
    name: `${tcId}-${stem}`,
    comment,
    flags: expectedErrors.length > 0 ? ['HOSTILE'] : ['SDK'],
    pdf: scan([{}], options),
    result: expectedErrors.length > 0 ? 'invalid' : 'valid',
    expectedErrors,
    expectedWarnings,
    facts: [a4(200)],
    source: 'ACTIVE',
    evidence: js === undefined ? { qdf } : { qdf, js },
  };
}

/** The vectors, by group. Verdicts are written here by hand. */
export const PJ_VECTOR_GROUPS: readonly { readonly kind: string; readonly cases: readonly PjVectorCase[] }[] = [
  {
    kind: 'page-size',
    cases: [
      {
        tcId: 1,
        name: '01-a4-200dpi-grey',
        comment: 'A4 portrait scanned at 200 dpi in grey levels',
        flags: ['RULE'],
        pdf: scan([{}]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 2,
        name: '02-a4-landscape',
        comment: 'A4 landscape at 200 dpi',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 297, heightMm: 210 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(297, 210, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 3,
        name: '03-a5-exact',
        comment: 'exactly A5 (148 × 210 mm)',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 148, heightMm: 210 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(148, 210, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 4,
        name: '04-a5-landscape',
        comment: 'A5 landscape (210 × 148 mm): either orientation counts',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 210, heightMm: 148 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(210, 148, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 5,
        name: '05-a5-less-half-mm',
        comment: 'A5 short by 0.5 mm on each side: within the 1 mm of rounding slack',
        flags: ['SDK'],
        pdf: scan([{ widthMm: 147.5, heightMm: 209.5 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(147.5, 209.5, img(200))],
        source: 'SDK',
      },
      {
        tcId: 6,
        name: '06-a5-less-3mm',
        comment: 'A5 short by 3 mm in width (145 × 210 mm)',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 145, heightMm: 210 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_PAGE_TOO_SMALL'],
        facts: [page(145, 210, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 7,
        name: '07-a6',
        comment: 'A6 (105 × 148 mm), a till receipt size',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 105, heightMm: 148 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_PAGE_TOO_SMALL'],
        facts: [page(105, 148, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 8,
        name: '08-letter',
        comment: 'US Letter (215.9 × 279.4 mm) is larger than A5',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 215.9, heightMm: 279.4 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(215.9, 279.4, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 9,
        name: '09-second-page-a6',
        comment: 'two pages, the second one A6: the PJ is refused for that page',
        flags: ['RULE'],
        pdf: scan([{}, { widthMm: 105, heightMm: 148 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_PAGE_TOO_SMALL'],
        facts: [a4(200), page(105, 148, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 10,
        name: '10-a7',
        comment: 'an A7 page (74 × 105 mm), a quarter of A5',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 74, heightMm: 105 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_PAGE_TOO_SMALL'],
        facts: [page(74, 105, img(200))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 11,
        name: '11-a5-landscape-less-3mm',
        comment: 'A5 landscape 3 mm short on its long side (207 × 148 mm): below the 1 mm slack',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 207, heightMm: 148 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_PAGE_TOO_SMALL'],
        facts: [page(207, 148, img(200))],
        source: 'CONVENTIONS',
      },
    ],
  },
  {
    kind: 'resolution',
    cases: [
      {
        tcId: 20,
        name: '20-a4-300dpi',
        comment: '300 dpi',
        flags: ['RULE'],
        pdf: scan([{ dpi: 300 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(300)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 21,
        name: '21-a4-150dpi',
        comment: '150 dpi under the default policy (200 dpi)',
        flags: ['RULE'],
        pdf: scan([{ dpi: 150 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [a4(150)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 22,
        name: '21-a4-150dpi',
        comment: 'the same 150 dpi scan with minDpi 150',
        flags: ['RULE', 'POLICY'],
        pdf: scan([{ dpi: 150 }]),
        policy: { minDpi: 150 },
        result: 'valid',
        expectedErrors: [],
        facts: [a4(150)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 23,
        name: '23-a4-1px-short',
        comment: 'an A4 scan one pixel short on each side (1653 × 2338 for 1654 × 2339): 199.9 dpi, within the 0.5 % of rounding slack',
        flags: ['SDK'],
        pdf: scan([{ dpi: 199.9 }]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200)],
        source: 'SDK',
      },
      {
        tcId: 24,
        name: '24-a4-196dpi',
        comment: '196 dpi: 2 % short',
        flags: ['RULE'],
        pdf: scan([{ dpi: 196 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [a4(196)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 25,
        name: '25-form-xobject-150dpi',
        comment: 'a 150 dpi scan painted from inside a form XObject',
        flags: ['RULE', 'PAINTING'],
        pdf: scan([{ dpi: 150, via: 'form' }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [a4(150)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 26,
        name: '26-inline-150dpi',
        comment: 'a 150 dpi scan as an inline image (BI … ID … EI)',
        flags: ['RULE', 'PAINTING'],
        pdf: scan([{ dpi: 150, via: 'inline' }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [a4(150)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 27,
        name: '27-inline-200dpi',
        comment: 'a 200 dpi scan as an inline image',
        flags: ['RULE', 'PAINTING'],
        pdf: scan([{ via: 'inline' }]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 28,
        name: '28-half-page-150dpi',
        comment: 'a 150 dpi image covering half of each side (a quarter of the page) is a scan, and too coarse',
        flags: ['RULE', 'PAINTING'],
        pdf: scan([{ dpi: 150, scale: 0.5 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [page(210, 297, img(150))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 29,
        name: '29-stamp-72dpi',
        comment: 'a 200 dpi scan plus a 72 dpi colour stamp covering 1 % of the page: the stamp is not a scan',
        flags: ['SDK'],
        pdf: scan([{ stamp: true }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(210, 297, img(200), { dpi: 73, dpiY: 72, color: 'rgb', bpc: 8, scan: false })],
        source: 'SDK',
      },
      {
        tcId: 30,
        name: '30-vector-page',
        comment: 'a page of text and lines without any image: nothing to measure',
        flags: ['RULE'],
        pdf: scan([{ vector: true }]),
        result: 'valid',
        expectedErrors: [],
        facts: [page(210, 297)],
        source: 'CONVENTIONS',
      },
      {
        tcId: 31,
        name: '31-a4-100dpi',
        comment: 'an A4 scan at 100 dpi, under minDpi: 150 (the lowest a clinic may set)',
        flags: ['RULE', 'POLICY'],
        pdf: scan([{ dpi: 100 }]),
        policy: { minDpi: 150 },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [a4(100)],
        source: 'SPEC',
      },
      {
        tcId: 32,
        name: '32-a5-150dpi',
        comment: 'an A5 scan at 150 dpi under the default 200 dpi',
        flags: ['RULE'],
        pdf: scan([{ widthMm: 148, heightMm: 210, dpi: 150 }]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_RESOLUTION_TOO_LOW'],
        facts: [page(148, 210, img(150))],
        source: 'CONVENTIONS',
      },
      {
        tcId: 33,
        name: '32-a5-150dpi',
        comment: 'the same A5 scan at 150 dpi under minDpi: 150',
        flags: ['RULE', 'POLICY'],
        pdf: scan([{ widthMm: 148, heightMm: 210, dpi: 150 }]),
        policy: { minDpi: 150 },
        result: 'valid',
        expectedErrors: [],
        facts: [page(148, 210, img(150))],
        source: 'SPEC',
      },
    ],
  },
  {
    kind: 'colour',
    cases: [
      {
        tcId: 40,
        name: '40-a4-rgb',
        comment: 'a colour scan under the default policy (colour accepted)',
        flags: ['RULE'],
        pdf: scan([{ colour: 'rgb' }]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200, 'rgb')],
        source: 'SPEC',
      },
      {
        tcId: 41,
        name: '40-a4-rgb',
        comment: "the same colour scan under colour: 'grey'",
        flags: ['RULE', 'POLICY'],
        pdf: scan([{ colour: 'rgb' }]),
        policy: { colour: 'grey' },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_COLOUR_NOT_ALLOWED'],
        facts: [a4(200, 'rgb')],
        source: 'SPEC',
      },
      {
        tcId: 42,
        name: '42-a4-cmyk',
        comment: "a CMYK scan under colour: 'grey'",
        flags: ['RULE', 'POLICY'],
        pdf: scan([{ colour: 'cmyk' }]),
        policy: { colour: 'grey' },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_COLOUR_NOT_ALLOWED'],
        facts: [a4(200, 'cmyk')],
        source: 'SPEC',
      },
      {
        tcId: 43,
        name: '43-indexed-grey',
        comment: "a palette image whose 256 entries are all grey counts as grey under colour: 'grey'",
        flags: ['SDK', 'POLICY'],
        pdf: scan([{ colour: 'indexed-grey' }]),
        policy: { colour: 'grey' },
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200, 'index')],
        source: 'SDK',
      },
      {
        tcId: 44,
        name: '44-indexed-colour',
        comment: "a palette image with colour entries under colour: 'grey'",
        flags: ['RULE', 'POLICY'],
        pdf: scan([{ colour: 'indexed-colour' }]),
        policy: { colour: 'grey' },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_COLOUR_NOT_ALLOWED'],
        facts: [a4(200, 'index')],
        source: 'SPEC',
      },
      {
        tcId: 45,
        name: '45-bilevel',
        comment: 'a black-and-white (1-bit) scan under the default policy',
        flags: ['SDK'],
        pdf: scan([{ colour: 'bilevel' }]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200, 'gray', 1)],
        source: 'SDK',
      },
      {
        tcId: 46,
        name: '45-bilevel',
        comment: 'the same 1-bit scan with allowBilevel: false',
        flags: ['POLICY'],
        pdf: scan([{ colour: 'bilevel' }]),
        policy: { allowBilevel: false },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_BILEVEL_NOT_ALLOWED'],
        facts: [a4(200, 'gray', 1)],
        source: 'SDK',
      },
      {
        tcId: 47,
        name: '47-grey-then-rgb',
        comment: "two pages, a grey scan then a colour one, under colour: 'grey': the second page is refused",
        flags: ['RULE', 'POLICY'],
        pdf: scan([{}, { colour: 'rgb' }]),
        policy: { colour: 'grey' },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_COLOUR_NOT_ALLOWED'],
        facts: [a4(200), a4(200, 'rgb')],
        source: 'SPEC',
      },
      {
        tcId: 48,
        name: '47-grey-then-rgb',
        comment: 'the same two pages under the default policy (colour accepted)',
        flags: ['RULE'],
        pdf: scan([{}, { colour: 'rgb' }]),
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200), a4(200, 'rgb')],
        source: 'SPEC',
      },
    ],
  },
  {
    kind: 'hostile',
    cases: [
      {
        tcId: 60,
        name: '60-encrypted',
        comment: 'an /Encrypt dictionary in the trailer',
        flags: ['HOSTILE'],
        pdf: scan([{}], { encrypt: true }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_ENCRYPTED'],
        source: 'SPEC',
      },
      {
        tcId: 61,
        name: '61-javascript-openaction',
        comment: 'JavaScript run when the file opens (/OpenAction)',
        flags: ['HOSTILE'],
        pdf: scan([{}], { javascript: 'openaction' }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_JAVASCRIPT'],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 62,
        name: '62-javascript-names',
        comment: 'document-level JavaScript in the /Names tree',
        flags: ['HOSTILE'],
        pdf: scan([{}], { javascript: 'names' }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_JAVASCRIPT'],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 63,
        name: '63-javascript-link',
        comment: 'JavaScript behind a link annotation',
        flags: ['HOSTILE'],
        pdf: scan([{}], { javascript: 'annotation' }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_JAVASCRIPT'],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 64,
        name: '64-javascript-escaped-name',
        comment: 'JavaScript spelled /J#61vaScript (#xx escapes in names)',
        flags: ['HOSTILE'],
        pdf: scan([{}], { javascript: 'escaped-name' }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_JAVASCRIPT'],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 65,
        name: '65-launch',
        comment: 'a /Launch action that starts a program',
        flags: ['HOSTILE'],
        pdf: scan([{}], { launch: true }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_LAUNCH_ACTION'],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 66,
        name: '66-embedded-file',
        comment: 'an embedded file in the /EmbeddedFiles name tree',
        flags: ['HOSTILE'],
        pdf: scan([{}], { embeddedFile: true }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_EMBEDDED_FILE'],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 67,
        name: '67-file-attachment',
        comment: 'a FileAttachment annotation',
        flags: ['HOSTILE'],
        pdf: scan([{}], { attachmentAnnotation: true }),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_EMBEDDED_FILE'],
        facts: [a4(200)],
        source: 'SPEC',
      },
    ],
  },
  {
    kind: 'active-content',
    cases: [
      active(
        110,
        'xfa-javascript',
        'JavaScript on an XFA field (one compressed XFA stream)',
        { xfa: { script: 'javascript', compress: true } },
        ['ERR_PJ_JAVASCRIPT', 'ERR_PJ_XFA_FORM'],
        ['/XFA', '<script contentType="application/x-javascript">app.alert'],
      ),
      active(
        111,
        'xfa-packets-formcalc',
        'a FormCalc script in an XFA form written as an array of compressed packets',
        { xfa: { script: 'formcalc', packets: true, compress: true } },
        ['ERR_PJ_JAVASCRIPT', 'ERR_PJ_XFA_FORM'],
        ['(template)', '<script>xfa.host.messageBox'],
      ),
      active(112, 'xfa-static', 'an XFA form without any script', { xfa: {} }, ['ERR_PJ_XFA_FORM'], ['/XFA', '<template']),
      active(
        113,
        'xfa-submit',
        'an XFA form that submits its data to a URL',
        { xfa: { submit: true } },
        ['ERR_PJ_SUBMIT_FORM', 'ERR_PJ_XFA_FORM'],
        ['<submit format="xml" target="https://collect.example/xfa"'],
      ),
      active(
        114,
        'submit-form',
        'a push button that submits the form to a URL (SubmitForm)',
        { actions: [{ action: 'submit-form', in: 'widget' }] },
        ['ERR_PJ_SUBMIT_FORM'],
        ['/S /SubmitForm', 'https://collect.example/pj'],
      ),
      active(
        115,
        'import-data',
        'ImportData of another file when the document opens',
        { actions: [{ action: 'import-data', in: 'open-action' }] },
        ['ERR_PJ_IMPORT_DATA'],
        ['/S /ImportData'],
      ),
      active(
        116,
        'goto-r',
        'an outline item that opens another PDF (GoToR)',
        { actions: [{ action: 'goto-r', in: 'outline' }] },
        ['ERR_PJ_REMOTE_GOTO'],
        ['/S /GoToR', '(annexe-2.pdf)'],
      ),
      active(
        117,
        'goto-r-unc',
        'GoToR to a UNC path (\\\\host\\share) when the document opens: Windows sends the credentials',
        { actions: [{ action: 'goto-r-unc', in: 'open-action' }] },
        ['ERR_PJ_REMOTE_GOTO'],
        ['/S /GoToR', 'attacker.example'],
      ),
      active(
        118,
        'goto-e-unc',
        'GoToE to a UNC path on the page-open trigger (the "BadPDF" credential leak)',
        { actions: [{ action: 'goto-e-unc', in: 'page-aa' }] },
        ['ERR_PJ_REMOTE_GOTO'],
        ['/S /GoToE', 'attacker.example'],
      ),
      active(
        119,
        'thread-remote',
        'a link to an article thread of another file',
        { actions: [{ action: 'thread-remote', in: 'link' }] },
        ['ERR_PJ_REMOTE_GOTO'],
        ['/S /Thread'],
      ),
      active(
        120,
        'link',
        'a link to a web page, opened only on a click: flagged, not refused',
        { actions: [{ action: 'uri', in: 'link' }] },
        [],
        ['/S /URI', 'https://www.example.org/annexe'],
        ['ERR_PJ_LINK'],
      ),
      active(
        121,
        'link-mailto',
        'an outline item that writes an e-mail: flagged, not refused',
        { actions: [{ action: 'uri-mailto', in: 'outline' }] },
        [],
        ['mailto:secretariat@example.org'],
        ['ERR_PJ_LINK'],
      ),
      active(
        122,
        'uri-openaction',
        'a web address opened when the document opens',
        { actions: [{ action: 'uri', in: 'open-action' }] },
        ['ERR_PJ_URI_AUTOMATIC'],
        ['/OpenAction', '/S /URI'],
      ),
      active(
        123,
        'uri-page-aa-chain',
        'a web address at the end of a /Next chain of indirect actions on the page-open trigger',
        { actions: [{ action: 'uri', in: 'page-aa', after: 2, indirect: true }] },
        ['ERR_PJ_URI_AUTOMATIC'],
        ['/Next', '/S /URI'],
      ),
      active(124, 'uri-unc', 'a link to a UNC path', { actions: [{ action: 'uri-unc', in: 'link' }] }, ['ERR_PJ_URI_UNSAFE'], ['/S /URI', 'attacker.example']),
      active(
        125,
        'uri-javascript',
        'a link to a javascript: address',
        { actions: [{ action: 'uri-javascript', in: 'link' }] },
        ['ERR_PJ_URI_UNSAFE'],
        ['javascript:alert'],
      ),
      active(126, 'richmedia', 'a RichMedia annotation', { media: ['richmedia'] }, ['ERR_PJ_MULTIMEDIA'], ['/Subtype /RichMedia']),
      active(127, '3d', 'a 3D annotation', { media: ['3d'] }, ['ERR_PJ_MULTIMEDIA'], ['/Subtype /3D']),
      active(128, 'movie', 'a Movie annotation playing a URL', { media: ['movie'] }, ['ERR_PJ_MULTIMEDIA'], ['/Subtype /Movie']),
      active(129, 'sound', 'a Sound annotation', { media: ['sound'] }, ['ERR_PJ_MULTIMEDIA'], ['/Subtype /Sound']),
      active(
        130,
        'rendition',
        'a Rendition action of a media clip at a URL, on an annotation trigger',
        { actions: [{ action: 'rendition', in: 'link-aa' }] },
        ['ERR_PJ_MULTIMEDIA'],
        ['/S /Rendition'],
      ),
      active(
        131,
        'external-stream',
        'a form XObject whose data is at a URL (/F on the stream)',
        { external: 'stream' },
        ['ERR_PJ_EXTERNAL_CONTENT'],
        ['https://media.example/page.bin'],
      ),
      active(
        132,
        'reference-xobject',
        'a reference XObject that imports a page of another file (/Ref)',
        { external: 'reference' },
        ['ERR_PJ_EXTERNAL_CONTENT'],
        ['/Ref'],
      ),
      active(
        133,
        'javascript-outline',
        'JavaScript behind an outline item',
        { actions: [{ action: 'javascript', in: 'outline' }] },
        ['ERR_PJ_JAVASCRIPT'],
        ['/S /JavaScript'],
      ),
      active(
        134,
        'javascript-next-chain',
        'JavaScript at the end of a /Next chain of three indirect GoTo actions when the document opens',
        { actions: [{ action: 'javascript', in: 'open-action', after: 3, indirect: true }] },
        ['ERR_PJ_JAVASCRIPT'],
        ['/Next', '/S /JavaScript'],
      ),
      active(
        135,
        'javascript-field-object-stream',
        "JavaScript on a text field's keystroke trigger, names escaped, in a compressed object stream",
        { actions: [{ action: 'javascript', in: 'widget-aa', escaped: true }], objectStreams: true },
        ['ERR_PJ_JAVASCRIPT'],
        ['/S /JavaScript'],
        [],
        'app.alert(1)',
      ),
      active(
        136,
        'launch-annotation-aa',
        "a launch action on a link annotation's mouse-enter trigger, names escaped",
        { actions: [{ action: 'launch', in: 'link-aa', escaped: true }] },
        ['ERR_PJ_LAUNCH_ACTION'],
        ['/S /Launch', '(calc.exe)'],
      ),
      active(
        137,
        'uri-next-loop',
        'a web address in a /Next loop (GoTo → GoTo → URI → back) on the document-close trigger',
        { actions: [{ action: 'uri', in: 'catalog-aa', after: 2, loop: true }] },
        ['ERR_PJ_URI_AUTOMATIC'],
        ['/WC', '/S /URI'],
      ),
      active(
        138,
        'harmless-actions',
        'GoTo, Named, Hide and ResetForm actions, one in a /Next loop: they run nothing and reach nothing outside the file',
        {
          actions: [
            { action: 'goto', in: 'open-action', after: 2, loop: true },
            { action: 'named', in: 'page-aa' },
            { action: 'hide', in: 'link' },
            { action: 'reset-form', in: 'widget' },
            { action: 'goto', in: 'outline' },
          ],
        },
        [],
        ['/S /Named', '/S /Hide', '/S /ResetForm'],
      ),
    ],
  },
  {
    kind: 'limits',
    cases: [
      {
        tcId: 80,
        name: '80-three-pages',
        comment: 'three pages with maxPages: 2',
        flags: ['POLICY'],
        pdf: scan([{}, {}, {}]),
        policy: { maxPages: 2 },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_TOO_MANY_PAGES'],
        source: 'SPEC',
      },
      {
        tcId: 81,
        name: '80-three-pages',
        comment: 'the same three pages with maxPages: 3',
        flags: ['POLICY'],
        pdf: scan([{}, {}, {}]),
        policy: { maxPages: 3 },
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200), a4(200), a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 82,
        name: '01-a4-200dpi-grey',
        comment: 'a file larger than maxBytes: 1024',
        flags: ['POLICY'],
        pdf: scan([{}]),
        policy: { maxBytes: 1024 },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_TOO_LARGE'],
        source: 'SPEC',
      },
      {
        tcId: 83,
        name: '83-empty',
        comment: 'an empty file',
        flags: ['DAMAGED'],
        pdf: () => new Uint8Array(0),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_EMPTY'],
        source: 'SPEC',
      },
      {
        tcId: 84,
        name: '84-not-pdf',
        comment: 'a PNG signature, not a PDF',
        flags: ['DAMAGED'],
        pdf: () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_NOT_PDF'],
        source: 'SPEC',
      },
      {
        tcId: 85,
        name: '01-a4-200dpi-grey',
        comment: 'a file exactly maxBytes long (the limit is inclusive)',
        flags: ['POLICY'],
        pdf: scan([{}]),
        policy: { maxBytes: A4_BYTES },
        result: 'valid',
        expectedErrors: [],
        facts: [a4(200)],
        source: 'SPEC',
      },
      {
        tcId: 86,
        name: '01-a4-200dpi-grey',
        comment: 'the same file with maxBytes one byte smaller',
        flags: ['POLICY'],
        pdf: scan([{}]),
        policy: { maxBytes: A4_BYTES - 1 },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_TOO_LARGE'],
        source: 'SPEC',
      },
    ],
  },
  {
    kind: 'structure',
    cases: [
      {
        tcId: 100,
        name: '100-bad-startxref',
        comment: 'startxref points into the image data: the reader rebuilds the table and warns',
        flags: ['DAMAGED'],
        pdf: badStartxref,
        result: 'valid',
        expectedErrors: [],
        expectedWarnings: ['ERR_PJ_XREF_REPAIRED'],
        source: 'PDF',
      },
      {
        tcId: 101,
        name: '100-bad-startxref',
        comment: 'the same damaged file with strict: true',
        flags: ['DAMAGED', 'POLICY'],
        pdf: badStartxref,
        policy: { strict: true },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_XREF_REPAIRED'],
        source: 'PDF',
      },
      {
        tcId: 102,
        name: '102-pages-loop',
        comment: 'the page tree node lists itself as its only kid',
        flags: ['DAMAGED'],
        pdf: () => {
          const pdf = scanPdf([{}], flat);
          const kids = /\/Kids \[\d+ 0 R\]/.exec(dec.decode(pdf))![0];
          return patch(pdf, kids, `/Kids [${'2'.padStart(kids.length - 12, ' ')} 0 R]`);
        },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_NO_PAGES', 'ERR_PJ_PAGE_TREE_LOOP'],
        expectedWarnings: ['ERR_PJ_PAGE_COUNT_MISMATCH'],
        source: 'PDF',
      },
      {
        tcId: 103,
        name: '103-truncated',
        comment: 'the file cut in the middle of its image: the reader rebuilds the table and reads what is left, but the page object is gone',
        flags: ['DAMAGED'],
        pdf: () => {
          const pdf = scanPdf([{}], flat);
          return pdf.slice(0, Math.floor(pdf.length / 2));
        },
        result: 'invalid',
        expectedErrors: ['ERR_PJ_NO_PAGES', 'ERR_PJ_PAGE_TREE_INVALID'],
        expectedWarnings: ['ERR_PJ_LENGTH_REPAIRED', 'ERR_PJ_PAGE_COUNT_MISMATCH', 'ERR_PJ_STREAM_DAMAGED', 'ERR_PJ_XREF_REPAIRED'],
        source: 'PDF',
      },
      {
        tcId: 104,
        name: '104-header-only',
        comment: 'a PDF header followed by text: no object, no trailer',
        flags: ['DAMAGED'],
        pdf: () => enc.encode('%PDF-1.7\nThis is not really a PDF.\n%%EOF\n'),
        result: 'invalid',
        expectedErrors: ['ERR_PJ_UNREADABLE'],
        source: 'PDF',
      },
    ],
  },
];

/** Every case, in file order. */
export const PJ_VECTOR_CASES: readonly PjVectorCase[] = PJ_VECTOR_GROUPS.flatMap((g) => g.cases);
