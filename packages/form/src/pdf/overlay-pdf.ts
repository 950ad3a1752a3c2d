import { parseBordereau } from '../validate-bordereau.js';
import type { Bordereau } from '../model/bordereau.js';
import { canonicalContent, contentHash } from '../content-hash.js';
import { canonicalJson, formatPath, readClock, resolveClock, resolveLocale, type Clock, type Locale, type MessageParams } from '@s3404/core';
import { FormError } from '../errors/form-error.js';
import type { FormErrorCode } from '../errors/form-errors.js';
import { FieldMapSchema, type FieldMap } from './layout/field-map.js';
import { COLUMNS, type TableKey } from './internal/columns.js';
import { ContentWriter } from './internal/content-writer.js';
import { formatValue, kindOf } from './internal/field-codec.js';
import { addFontResources, prepareFonts, type DocumentFonts } from './internal/font-embedder.js';
import { PDFCheckBox, PDFTextField, type PDFDocument } from './internal/engine.js';
import { assertPdfBytes, loadPdf } from './internal/load-pdf.js';
import { writePieceInfo, type RenderedSlot, type SlotRecord } from './internal/slot-data.js';
import { setDocumentInfo } from './internal/document-info.js';
import { guardPdf } from './internal/guard.js';
import { registerFlate } from './internal/deflate.js';
import { CAPTION_CHARACTERS, CAPTION_FONT_NAMES } from './internal/signature-drawing.js';
import { endWithEol } from './syntax/append-update.js';
import type { RenderPdfResult } from './render-pdf.js';

/** Options of {@link overlayBordereauPdf} (FORM-4 b, FORM-5). */
export interface OverlayPdfOptions {
  /** Flatten the vendor's AcroForm after filling (pre-filled, flattened; FORM-5). Default `true`. */
  readonly flatten?: boolean;
  /** The clock: creation and modification dates. Default: the system clock. */
  readonly now?: Clock;
  /** Add the PDF/A-2b structure. Default `false`: the vendor's PDF may not allow it. */
  readonly pdfa?: boolean;
  /** Language of error messages. Default `'fr'`. */
  readonly locale?: Locale;
}

function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function fail(code: FormErrorCode, params: MessageParams, locale: Locale): never {
  throw new FormError(code, { params, locale });
}

/**
 * Validates a field map for the overlay mode: schema and table columns (FORM-4 b).
 *
 * `import { parseFieldMap } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const map = parseFieldMap(JSON.parse(readFileSync('field-map.json', 'utf8')))
 * ```
 * @throws {@link FormError} `ERR_FIELD_MAP_INVALID` (kind `verdict`).
 * @public
 */
export function parseFieldMap(fieldMap: unknown, options: { readonly locale?: Locale } = {}): FieldMap {
  const locale = resolveLocale(options.locale);
  const parsed = FieldMapSchema.safeParse(fieldMap);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const at = formatPath(
      first.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      locale,
    );
    fail('ERR_FIELD_MAP_INVALID', { detail: `${at}: ${first.message}` }, locale);
  }
  for (const [table, map] of Object.entries(parsed.data.tables ?? {}) as [TableKey, { columns: { column: string }[] } | undefined][]) {
    const bad = map?.columns.find((c) => COLUMNS[table][c.column] === undefined || c.column === 'signature');
    if (bad !== undefined) {
      fail(
        'ERR_FIELD_MAP_INVALID',
        { detail: { fr: `colonne inconnue « ${bad.column} » dans tables.${table}`, en: `unknown column "${bad.column}" in tables.${table}` } },
        locale,
      );
    }
  }
  return parsed.data;
}

/**
 * Fills a PDF supplied by the vendor — the official CERFA S3404 — with a
 * bordereau, through a field map of AcroForm names and coordinates
 * (FORM-4 b), then flattens it by default (FORM-5). Every page also gets the
 * identifier, the content hash and "page n / N" (FORM-3, FORM-4), and the
 * signature slots are recorded so `placeSignature` works on the result.
 *
 * Table lines beyond the rows the form offers are refused
 * (`ERR_OVERLAY_OVERFLOW`): use the SDK layout for long bordereaux.
 *
 * `import { overlayBordereauPdf } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const { bytes } = await overlayBordereauPdf(bordereau, cerfaPdf, parseFieldMap(mapJson), { now: () => new Date() })
 * ```
 * @throws {@link FormError} `ERR_BORDEREAU_INVALID` for an invalid bordereau; `ERR_PDF_UNREADABLE`, `ERR_PDF_ENCRYPTED` (kind `input`)
 * for an unreadable PDF; `ERR_FIELD_MAP_INVALID`, `ERR_OVERLAY_FIELD_MISSING`, `ERR_OVERLAY_OVERFLOW`.
 * @public
 */
export async function overlayBordereauPdf(
  bordereau: Bordereau,
  basePdf: Uint8Array,
  fieldMap: FieldMap,
  options: OverlayPdfOptions = {},
): Promise<RenderPdfResult> {
  const locale = resolveLocale(options.locale);
  const now = readClock(resolveClock(options.now, 'overlayBordereauPdf'), 'overlayBordereauPdf');
  const b = parseBordereau(bordereau, { locale });
  const map = parseFieldMap(fieldMap, { locale });
  assertPdfBytes(basePdf, 'overlayBordereauPdf');
  return guardPdf(locale, () => overlay(b, basePdf, map, now, options, locale));
}

async function overlay(b: Bordereau, basePdf: Uint8Array, map: FieldMap, now: Date, options: OverlayPdfOptions, locale: Locale): Promise<RenderPdfResult> {
  const doc = await loadPdf(basePdf, locale);
  const hash = contentHash(b);
  // Flattened output embeds only the glyphs used; fields left fillable need the whole font.
  const fonts = prepareFonts(doc, { subset: options.flatten !== false });
  const pages = doc.getPages();
  const writers = pages.map(() => new ContentWriter(fonts));
  const pageOf = (index: number): ContentWriter => {
    const w = writers[index];
    if (w === undefined)
      fail(
        'ERR_FIELD_MAP_INVALID',
        { detail: { fr: `page ${index} absente (le PDF en a ${pages.length})`, en: `page ${index} missing (the PDF has ${pages.length})` } },
        locale,
      );
    return w;
  };
  const size = map.size ?? 8;
  const form = doc.getForm();

  // ---- scalar values ---------------------------------------------------------------
  for (const p of map.fields) {
    const value = valueAt(b, p.path);
    const text = value === undefined ? '' : formatValue(kindOf(p.path), value);
    if ('acroField' in p) {
      const field = form.getFieldMaybe(p.acroField);
      if (field instanceof PDFTextField) field.setText(text);
      else if (field instanceof PDFCheckBox) value === true || (value !== undefined && value !== false) ? field.check() : field.uncheck();
      else fail('ERR_OVERLAY_FIELD_MISSING', { received: p.acroField, detail: p.path }, locale);
    } else {
      pageOf(p.page).textIn(text, p.x, p.y, p.width, { size: p.size ?? size }, p.align ?? 'left');
    }
  }

  // ---- tables ----------------------------------------------------------------------
  const slots: RenderedSlot[] = [];
  for (const [table, tmap] of Object.entries(map.tables ?? {}) as [TableKey, NonNullable<NonNullable<FieldMap['tables']>['fees']>][]) {
    const lines = b[table] as readonly unknown[];
    if (lines.length > tmap.rows) fail('ERR_OVERLAY_OVERFLOW', { received: lines.length, limit: tmap.rows, detail: table }, locale);
    const w = pageOf(tmap.page);
    lines.forEach((line, i) => {
      const baseline = tmap.firstBaseline - i * tmap.rowHeight;
      for (const c of tmap.columns) {
        const cell = COLUMNS[table][c.column]!.cell(line as never, `${table}.${i}`, i);
        if (cell !== null) w.textIn(cell.text, c.x, baseline, c.width, { size: tmap.size ?? size }, c.align ?? COLUMNS[table][c.column]!.align);
      }
      if (table === 'fees' && tmap.signature !== undefined) {
        const fee = b.fees[i]!;
        const bottom = baseline - tmap.rowHeight * 0.3;
        slots.push({
          id: `line:${i + 1}`,
          page: tmap.page,
          x: tmap.signature.x,
          y: bottom,
          width: tmap.signature.width,
          height: tmap.rowHeight * 0.95,
          mandate: fee.signature.mandate,
        });
        if (fee.signature.mandate)
          w.textIn('Mandat', tmap.signature.x, bottom + 1, tmap.signature.width - 2, { size: (tmap.size ?? size) * 0.9, bold: true }, 'right');
      }
    });
  }
  for (const s of map.slots ?? []) {
    pageOf(s.page);
    slots.push({ id: s.slot, page: s.page, x: s.x, y: s.y, width: s.width, height: s.height, mandate: false });
  }

  // ---- identifier, hash and page number on every page (FORM-3) -----------------------
  writers.forEach((w, i) => {
    const page = pages[i]!;
    const f = map.footer ?? { x: 14, y: 6, width: page.getWidth() - 28 };
    const fsize = f.size ?? 5.5;
    w.textIn(`Identifiant unique du bordereau : ${b.id} · Empreinte SHA-256 : ${hash}`, f.x, f.y, f.width * 0.85, { size: fsize, bold: true });
    w.textIn(`page ${i + 1} / ${pages.length}`, f.x, f.y, f.width, { size: fsize, bold: true }, 'right');
  });
  writeContents(doc, writers, fonts);

  if (form.getFields().length > 0) {
    form.updateFieldAppearances(fonts.regular);
    if (options.flatten !== false) form.flatten();
  }
  await fonts.finalize();
  // The caption fonts of the signatures to come, and what it takes to check this rendering again (FORM-6, SIG-5).
  const caption = prepareFonts(doc, { subset: true, names: CAPTION_FONT_NAMES, include: CAPTION_CHARACTERS });
  await caption.finalize();
  const records: SlotRecord[] = slots.map((s) => ({ ...s, signed: false }));
  writePieceInfo(doc, { bordereauId: b.id, finess: b.establishment.finess, contentHash: hash, slots: records }, now, {
    data: registerFlate(doc.context, canonicalContent(b)),
    template: registerFlate(doc.context, canonicalJson(map)),
    mode: 'overlay',
    flatten: options.flatten !== false,
    pdfa: options.pdfa === true,
    created: now,
    captionFonts: [caption.regular.ref, caption.bold.ref],
  });
  setDocumentInfo(
    doc,
    {
      bordereau: b,
      contentHash: hash,
      source: `form:${map.form.name}`,
      created: now,
      idSeed: `${hash}|overlay|${map.form.name}|${map.version}`,
    },
    options.pdfa === true,
  );
  const bytes = endWithEol(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
  return { bytes, pageCount: pages.length, contentHash: hash, slots };
}

/**
 * Adds the SDK's content after each page's own, with the vendor's content
 * wrapped in q/Q first so a graphics state it leaves behind (a transform, a
 * colour) cannot shift or tint what we draw.
 */
function writeContents(doc: PDFDocument, writers: readonly ContentWriter[], fonts: DocumentFonts): void {
  doc.getPages().forEach((page, i) => {
    const open = doc.context.register(doc.context.stream('q\n'));
    const close = doc.context.register(doc.context.stream('\nQ\n'));
    page.node.wrapContentStreams(open, close);
    addFontResources(page, fonts);
    page.node.addContentStream(registerFlate(doc.context, writers[i]!.toString()));
  });
}
