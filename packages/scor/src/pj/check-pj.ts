import { resolveLocale, type Locale, type MessageParams } from '@s3404/core';
import { scorIssue, type ScorIssue } from '../errors/scor-error.js';
import type { ScorErrorCode } from '../errors/scor-errors.js';
import { Budget, PdfReadError, indexOfBytes, ascii, isNumber, PdfStream, type PdfReadFailure, type PdfValue } from '@s3404/core/pdf';
import { findImages, imageFilters, type ImagePlacement } from '../internal/pdf/content.js';
import { PdfDocument } from '../internal/pdf/document.js';
import { imageFacts, type ImageColour } from '../internal/pdf/images.js';
import { walkPages, type PageNode } from '../internal/pdf/pages.js';
import { findActiveContent, type ActiveKind } from '../internal/pdf/active-content.js';
import { readS3404Facts, type S3404Facts } from '../internal/pdf/s3404-facts.js';
import { resolvePjPolicy, type PjPolicy, type ResolvedPjPolicy } from './pj-policy.js';

/** Options of {@link checkPj}: the policy and the message language (SCOR-1). @public */
export interface CheckPjOptions extends PjPolicy {
  /** Language of the messages. Default `'fr'`; anything but English is French. */
  readonly locale?: Locale;
}

/** One image painted on a page, as the check saw it (SCOR-1). @public */
export interface PjImageReport {
  /** The XObject's resource name (`Im0`…), or `inline`. */
  readonly name: string;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly bitsPerComponent: number | null;
  readonly colour: ImageColour;
  /** Its filters, the format last (`DCTDecode` = JPEG, `FlateDecode`, `CCITTFaxDecode`…). */
  readonly filters: readonly string[];
  /** Effective resolution across and along the image, in dots per inch as painted. */
  readonly dpiX: number;
  readonly dpiY: number;
  /** Share of the page it covers (0 to 1). */
  readonly coverage: number;
  /** Large enough to be a scan: its resolution and colour were checked. */
  readonly scan: boolean;
}

/** One page (SCOR-1): its size as displayed (CropBox within MediaBox, UserUnit) and its images. @public */
export interface PjPageReport {
  /** From 0; messages say "Page index + 1". */
  readonly index: number;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly rotate: number;
  readonly images: readonly PjImageReport[];
}

/**
 * The verdict on one pièce justificative (SCOR-1, `docs/conventions.md` §5).
 * `ok` is true when no issue is an error; warnings report what the reader
 * repaired.
 *
 * @public
 */
export interface PjReport {
  /** The PJ is acceptable: no issue of severity `error`. */
  readonly ok: boolean;
  /** Every problem found (errors refuse the PJ; warnings report repairs), at most 500. */
  readonly issues: readonly ScorIssue[];
  readonly bytes: number;
  /** The header's version (`1.7`…), or `null` when not a PDF. */
  readonly pdfVersion: string | null;
  /** Pages found (at most `maxPages + 1` are walked), or `null` when the PDF did not open. */
  readonly pageCount: number | null;
  readonly pages: readonly PjPageReport[];
  /** What an S3404 produced by `@s3404/form` says of itself, else `null` (SCOR-2). */
  readonly s3404: S3404Facts | null;
  readonly policy: ResolvedPjPolicy;
}

const A5_SHORT_MM = 148;
const A5_LONG_MM = 210;
/** Scanners and writers round page sizes: 1 mm of slack. */
const SIZE_TOLERANCE_MM = 1;
/** The PDF's own limit on page size: 14,400 units of 1/72 in (ISO 32000-1 Annex C). */
const MAX_PAGE_MM = 5080;
/** Rounding of painted sizes: 0.5 % of slack on the resolution. */
const DPI_TOLERANCE = 0.995;
const MAX_ISSUES = 500;
/** The PJ code of each way the PDF reader can give up. */
const PJ_READ_CODES: Readonly<Record<PdfReadFailure, ScorErrorCode>> = {
  unreadable: 'ERR_PJ_UNREADABLE',
  'too-complex': 'ERR_PJ_TOO_COMPLEX',
  'unsupported-filter': 'ERR_PJ_UNSUPPORTED_FILTER',
};
const MM_PER_PT = 25.4 / 72;
const HEADER = ascii('%PDF-');

/**
 * Checks one pièce justificative for SCOR (SCOR-1, X-2): a PDF that
 * opens, unencrypted, with nothing that runs or reaches outside the file
 * (`docs/scor.md`, "Active content"); at most `maxBytes` and `maxPages`;
 * every page at least A5; and every scanned image at the policy's
 * effective resolution and colour.
 *
 * Active content, wherever it sits (catalog, pages, annotations, form
 * fields, outlines, name trees, `/Next` chains, object streams, `#xx`
 * escapes): JavaScript, XFA scripts included (`ERR_PJ_JAVASCRIPT`), an XFA
 * form (`ERR_PJ_XFA_FORM`), launch (`ERR_PJ_LAUNCH_ACTION`), embedded files
 * (`ERR_PJ_EMBEDDED_FILE`), submit-form (`ERR_PJ_SUBMIT_FORM`), import-data
 * (`ERR_PJ_IMPORT_DATA`), GoToR / GoToE / remote Thread — UNC paths leak
 * Windows credentials — (`ERR_PJ_REMOTE_GOTO`), multimedia
 * (`ERR_PJ_MULTIMEDIA`), external streams and reference XObjects
 * (`ERR_PJ_EXTERNAL_CONTENT`), an address opened without a click
 * (`ERR_PJ_URI_AUTOMATIC`) or that is not `http:`, `https:` or `mailto:`
 * (`ERR_PJ_URI_UNSAFE`) are refused; a web or e-mail link a reader must
 * click is only flagged (`ERR_PJ_LINK`, a warning).
 * The resolution is the image's pixels over the size it is painted at,
 * as `pdfimages -list` reports it.
 *
 * Bad input never throws: the report says what is wrong. Every reading is
 * bounded in work and memory, whatever the file (`ERR_PJ_TOO_COMPLEX`).
 * Runtime-agnostic and synchronous.
 *
 * `import { checkPj } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const report = checkPj(pdfBytes, { minDpi: 200, colour: 'grey' })
 * if (!report.ok) for (const i of report.issues) console.error(i.code, i.path.join('.'), i.message)
 * ```
 * @throws TypeError when `pdf` is not a Uint8Array; {@link ScorError} `ERR_PJ_POLICY_INVALID` for a bad policy.
 * @public
 */
export function checkPj(pdf: Uint8Array, options: CheckPjOptions = {}): PjReport {
  if (!(pdf instanceof Uint8Array)) throw new TypeError('checkPj: expected the PDF as a Uint8Array');
  const locale = resolveLocale(options.locale);
  const policy = resolvePjPolicy(options, { locale });
  return new PjCheck(pdf, policy, locale).run();
}

class PjCheck {
  readonly issues: ScorIssue[] = [];
  readonly pages: PjPageReport[] = [];
  #seen = new Set<string>();
  pdfVersion: string | null = null;
  pageCount: number | null = null;
  s3404: S3404Facts | null = null;

  constructor(
    readonly pdf: Uint8Array,
    readonly policy: ResolvedPjPolicy,
    readonly locale: Locale,
  ) {}

  add(code: ScorErrorCode, path: readonly (string | number)[], params: MessageParams = {}, severity: 'error' | 'warning' = 'error'): void {
    const key = `${code}|${path.join('.')}|${params.image ?? ''}`;
    if (this.#seen.has(key) || this.issues.length >= MAX_ISSUES) return;
    this.#seen.add(key);
    this.issues.push(scorIssue(code, path, { params, severity, locale: this.locale }));
  }

  run(): PjReport {
    try {
      this.read();
    } catch (e) {
      if (!(e instanceof PdfReadError)) throw e;
      this.add(PJ_READ_CODES[e.reason], [], { detail: e.detail });
    }
    return {
      ok: !this.issues.some((i) => i.severity === 'error'),
      issues: this.issues,
      bytes: this.pdf.length,
      pdfVersion: this.pdfVersion,
      pageCount: this.pageCount,
      pages: this.pages,
      s3404: this.s3404,
      policy: this.policy,
    };
  }

  private read(): void {
    const { pdf, policy } = this;
    if (pdf.length === 0) {
      this.add('ERR_PJ_EMPTY', []);
      return;
    }
    if (pdf.length > policy.maxBytes) {
      this.add('ERR_PJ_TOO_LARGE', [], { bytes: pdf.length, limit: policy.maxBytes });
      return;
    }
    if (indexOfBytes(pdf, HEADER, 0, Math.min(pdf.length, 1024)) < 0) {
      this.add('ERR_PJ_NOT_PDF', []);
      return;
    }
    const doc = PdfDocument.open(pdf, new Budget());
    this.pdfVersion = doc.version;
    try {
      if (doc.trailer.has('Encrypt')) {
        this.add('ERR_PJ_ENCRYPTED', []);
        return;
      }
      this.checkActiveContent(doc);
      const walk = walkPages(doc, policy.maxPages);
      this.pageCount = walk.pages.length + (walk.overflow ? 1 : 0);
      if (walk.problems.has('loop')) this.add('ERR_PJ_PAGE_TREE_LOOP', []);
      if (walk.problems.has('invalid')) this.add('ERR_PJ_PAGE_TREE_INVALID', []);
      if (walk.problems.has('count-mismatch') && !walk.overflow) this.add('ERR_PJ_PAGE_COUNT_MISMATCH', [], {}, 'warning');
      if (walk.overflow) this.add('ERR_PJ_TOO_MANY_PAGES', [], { limit: policy.maxPages });
      if (walk.pages.length === 0 && !walk.overflow) this.add('ERR_PJ_NO_PAGES', []);
      for (const [index, page] of walk.pages.entries()) this.checkPage(doc, page, index);
      this.s3404 = readS3404Facts(doc);
    } finally {
      const severity = policy.strict ? 'error' : 'warning';
      if (doc.repairs.has('xref-repaired')) this.add('ERR_PJ_XREF_REPAIRED', [], {}, severity);
      if (doc.repairs.has('length-repaired')) this.add('ERR_PJ_LENGTH_REPAIRED', [], {}, severity);
      if (doc.repairs.has('stream-damaged')) this.add('ERR_PJ_STREAM_DAMAGED', [], {}, severity);
    }
  }

  /**
   * Active content (SCOR-1): a PJ is a scanned supporting document read at
   * the Assurance Maladie, so nothing in it may run or reach outside the
   * file. Everything that runs or fetches by itself is refused; a link to
   * the web or to an e-mail address, which a reader must click, is only
   * flagged (see `docs/scor.md`).
   */
  private checkActiveContent(doc: PdfDocument): void {
    const active = findActiveContent(doc);
    for (const [kind, code] of ACTIVE_CODES) {
      if (!active.kinds.has(kind)) continue;
      const target = active.targets.get(kind);
      this.add(code, [], target === undefined ? {} : { target: shown(target) });
    }
    const automatic = active.uris.filter((u) => u.automatic);
    const unsafe = active.uris.filter((u) => !isWebAddress(u.uri));
    const links = active.uris.filter((u) => !u.automatic && isWebAddress(u.uri));
    if (automatic.length > 0) this.add('ERR_PJ_URI_AUTOMATIC', [], { target: shown(automatic[0]!.uri) });
    if (unsafe.length > 0) this.add('ERR_PJ_URI_UNSAFE', [], { target: shown(unsafe[0]!.uri) });
    if (links.length > 0) this.add('ERR_PJ_LINK', [], { count: links.length, target: shown(links[0]!.uri) }, 'warning');
  }

  private checkPage(doc: PdfDocument, page: PageNode, index: number): void {
    const path = ['pages', index];
    const n = index + 1;
    const box = pageBox(doc, page);
    if (box === undefined) {
      this.add('ERR_PJ_PAGE_BOX_INVALID', path, { page: n });
      return;
    }
    const widthMm = round1(box.width * box.unit * MM_PER_PT);
    const heightMm = round1(box.height * box.unit * MM_PER_PT);
    const rotate = isNumber(page.rotate) && Number.isInteger(page.rotate) ? ((page.rotate % 360) + 360) % 360 : 0;
    const images: PjImageReport[] = [];
    this.pages.push({ index, widthMm, heightMm, rotate, images });
    const short = Math.min(widthMm, heightMm);
    const long = Math.max(widthMm, heightMm);
    if (long > MAX_PAGE_MM) this.add('ERR_PJ_PAGE_TOO_LARGE', path, { page: n, width: widthMm, height: heightMm });
    else if (short < A5_SHORT_MM - SIZE_TOLERANCE_MM || long < A5_LONG_MM - SIZE_TOLERANCE_MM)
      this.add('ERR_PJ_PAGE_TOO_SMALL', path, { page: n, width: widthMm, height: heightMm });

    let placements: ImagePlacement[];
    try {
      placements = findImages(doc, pageContent(doc, page), page.resources);
    } catch (e) {
      if (!(e instanceof PdfReadError) || e.reason === 'too-complex') throw e;
      if (e.reason === 'unsupported-filter') this.add('ERR_PJ_UNSUPPORTED_FILTER', path, { page: n, filter: e.detail });
      else this.add('ERR_PJ_CONTENT_DAMAGED', path, { page: n, detail: e.detail });
      return;
    }
    const area = box.width * box.height;
    for (const p of placements) {
      const filters = imageFilters(doc, p.dict);
      const facts = imageFacts(doc, p.dict, p.resources, filters);
      const imagePath = [...path, 'images', images.length];
      if (facts === undefined) {
        this.add('ERR_PJ_IMAGE_INVALID', imagePath, { page: n, image: p.name });
        continue;
      }
      const [a, b, c, d] = p.ctm;
      const drawnW = Math.hypot(a, b) * box.unit;
      const drawnH = Math.hypot(c, d) * box.unit;
      if (!(drawnW > 0) || !(drawnH > 0) || !Number.isFinite(drawnW) || !Number.isFinite(drawnH)) continue; // not visible
      const coverage = Math.min(1, Math.abs(a * d - b * c) / area);
      const dpiX = (facts.width * 72) / drawnW;
      const dpiY = (facts.height * 72) / drawnH;
      const scan = coverage >= this.policy.scanCoverage;
      images.push({
        name: p.name,
        widthPx: facts.width,
        heightPx: facts.height,
        bitsPerComponent: facts.bitsPerComponent,
        colour: facts.colour,
        filters,
        dpiX: round1(dpiX),
        dpiY: round1(dpiY),
        coverage: Math.round(coverage * 1000) / 1000,
        scan,
      });
      if (!scan) continue;
      const dpi = Math.min(dpiX, dpiY);
      if (dpi < this.policy.minDpi * DPI_TOLERANCE)
        this.add('ERR_PJ_RESOLUTION_TOO_LOW', imagePath, { page: n, image: p.name, dpi: Math.round(dpi), min: this.policy.minDpi });
      if (facts.colour === 'colour' && this.policy.colour === 'grey') this.add('ERR_PJ_COLOUR_NOT_ALLOWED', imagePath, { page: n, image: p.name });
      if (facts.colour === 'bilevel' && !this.policy.allowBilevel) this.add('ERR_PJ_BILEVEL_NOT_ALLOWED', imagePath, { page: n, image: p.name });
      if (facts.colour === 'unknown')
        this.add('ERR_PJ_COLOUR_UNKNOWN', imagePath, { page: n, image: p.name }, this.policy.colour === 'grey' ? 'error' : 'warning');
    }
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Each kind of active content and the code that refuses it, in the order issues are reported. */
const ACTIVE_CODES: readonly (readonly [ActiveKind, ScorErrorCode])[] = [
  ['javascript', 'ERR_PJ_JAVASCRIPT'],
  ['launch', 'ERR_PJ_LAUNCH_ACTION'],
  ['embeddedFiles', 'ERR_PJ_EMBEDDED_FILE'],
  ['submitForm', 'ERR_PJ_SUBMIT_FORM'],
  ['importData', 'ERR_PJ_IMPORT_DATA'],
  ['remoteGoTo', 'ERR_PJ_REMOTE_GOTO'],
  ['multimedia', 'ERR_PJ_MULTIMEDIA'],
  ['xfa', 'ERR_PJ_XFA_FORM'],
  ['externalContent', 'ERR_PJ_EXTERNAL_CONTENT'],
];

/**
 * A web or e-mail address: `http:`, `https:` or `mailto:`, read as a
 * browser reads it (spaces and controls around it, tabs and line breaks
 * inside it, removed). Anything else — `file:`, a UNC path `\\host\share`,
 * `smb:`, `javascript:`, `data:`, a relative address — is not.
 */
function isWebAddress(uri: string): boolean {
  const clean = uri.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  return /^(?:https?:\/\/|mailto:)[^\s]/i.test(clean);
}

/** A file name or address from the PDF, as a message shows it: controls and bidirectional overrides replaced, at most 80 characters. */
function shown(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

/** The displayed area: CropBox clipped to MediaBox (§14.11.2), in units, and UserUnit (§14.11.1). */
function pageBox(doc: PdfDocument, page: PageNode): { width: number; height: number; unit: number } | undefined {
  const media = rect(doc, page.mediaBox);
  if (media === undefined) return undefined;
  let [x1, y1, x2, y2] = media;
  const crop = rect(doc, page.cropBox);
  if (crop !== undefined) {
    const cx1 = Math.max(x1, crop[0]);
    const cy1 = Math.max(y1, crop[1]);
    const cx2 = Math.min(x2, crop[2]);
    const cy2 = Math.min(y2, crop[3]);
    if (cx2 > cx1 && cy2 > cy1) [x1, y1, x2, y2] = [cx1, cy1, cx2, cy2];
  }
  const uu = doc.resolve(page.dict.get('UserUnit'));
  const unit = isNumber(uu) && uu > 0 && uu <= 75000 ? uu : 1;
  const width = x2 - x1;
  const height = y2 - y1;
  return width > 0 && height > 0 ? { width, height, unit } : undefined;
}

function rect(doc: PdfDocument, v: PdfValue | undefined): [number, number, number, number] | undefined {
  if (!Array.isArray(v) || v.length !== 4) return undefined;
  const n = v.map((x) => doc.resolve(x));
  if (!n.every((x) => isNumber(x) && Math.abs(x) < 1e9)) return undefined;
  const [a, b, c, d] = n as number[];
  return [Math.min(a!, c!), Math.min(b!, d!), Math.max(a!, c!), Math.max(b!, d!)];
}

/** The page's content: one stream or an array of them, concatenated (§7.7.3.3). */
function pageContent(doc: PdfDocument, page: PageNode): Uint8Array {
  const contents = doc.resolve(page.dict.get('Contents'));
  const streams: PdfStream[] = [];
  if (contents instanceof PdfStream) streams.push(contents);
  else if (Array.isArray(contents))
    for (const c of contents) {
      const s = doc.resolve(c);
      if (s instanceof PdfStream) streams.push(s);
    }
  if (streams.length === 1) return doc.decode(streams[0]!).bytes;
  const parts = streams.map((s) => doc.decode(s).bytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
    out[o++] = 0x0a;
  }
  return out;
}
