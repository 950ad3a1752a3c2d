import { parseBordereau } from '../validate-bordereau.js';
import type { Bordereau } from '../model/bordereau.js';
import { canonicalContent, contentHash } from '../content-hash.js';
import { canonicalJson, formatPath, readClock, resolveClock, resolveLocale, type Clock, type Locale } from '@s3404/core';
import { FormError } from '../errors/form-error.js';
import { A3_LANDSCAPE_TEMPLATE, A4_PORTRAIT_TEMPLATE, LayoutTemplateSchema, type LayoutTemplate } from './layout/template.js';
import { COLUMNS } from './internal/columns.js';
import { ContentWriter } from './internal/content-writer.js';
import { addFontResources, prepareFonts } from './internal/font-embedder.js';
import { planPages } from './internal/page-plan.js';
import { drawPages } from './internal/draw-pages.js';
import { createFields } from './internal/acroform-fields.js';
import { writePieceInfo, type RenderedSlot } from './internal/slot-data.js';
import { setDocumentInfo } from './internal/document-info.js';
import { rememberRendering } from './internal/authentic-renderings.js';
import { PDFDocument } from './internal/engine.js';
import { registerFlate, registerRecurringFlate } from './internal/deflate.js';
import { CAPTION_CHARACTERS, CAPTION_FONT_NAMES } from './internal/signature-drawing.js';
import { endWithEol } from './syntax/append-update.js';

/** Options of {@link renderBordereauPdf} (FORM-4, FORM-5, FORM-7). */
export interface RenderPdfOptions {
  /** Page format of the built-in templates: `'a3'` (landscape, default, like the paper form) or `'a4'` (portrait). */
  readonly page?: 'a3' | 'a4';
  /** A custom layout template (overrides `page`). Validated; see `A3_LANDSCAPE_TEMPLATE`. */
  readonly template?: LayoutTemplate;
  /**
   * `'flat'` (default): pre-filled, every value drawn as page content.
   * `'fillable'`: an AcroForm with one field per value, for on-screen completion (FORM-5).
   */
  readonly mode?: 'flat' | 'fillable';
  /** The clock: creation and modification dates of the PDF. Default: the system clock. Inject a fixed one for byte-identical output. */
  readonly now?: Clock;
  /** Add the PDF/A-2b structure (XMP, sRGB output intent). Default `true`. */
  readonly pdfa?: boolean;
  /** Language of error messages. Default `'fr'`. */
  readonly locale?: Locale;
}

/** Result of {@link renderBordereauPdf} (FORM-4, FORM-6). */
export interface RenderPdfResult {
  /** The PDF file. */
  readonly bytes: Uint8Array;
  readonly pageCount: number;
  /** SHA-256 of the bordereau's canonical content, printed on every page. */
  readonly contentHash: string;
  /** Where each signature goes; also stored in the PDF for `placeSignature`. */
  readonly slots: readonly RenderedSlot[];
}

/**
 * Validates a layout template against its schema and the column catalogue
 * (FORM-4).
 *
 * `import { parseTemplate } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const template = parseTemplate(JSON.parse(readFileSync('layout.json', 'utf8')), { locale: 'en' })
 * ```
 * @throws {@link FormError} `ERR_TEMPLATE_INVALID` (kind `verdict`).
 * @public
 */
export function parseTemplate(template: unknown, options: { readonly locale?: Locale } = {}): LayoutTemplate {
  const locale = resolveLocale(options.locale);
  const parsed = LayoutTemplateSchema.safeParse(template);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const at = formatPath(
      first.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      locale,
    );
    throw new FormError('ERR_TEMPLATE_INVALID', { params: { detail: `${at}: ${first.message}` }, locale });
  }
  for (const [table, cols] of Object.entries(parsed.data.tables) as [keyof typeof COLUMNS, { key: string }[]][]) {
    const unknown = cols.find((c) => COLUMNS[table][c.key] === undefined);
    if (unknown !== undefined) {
      const known = Object.keys(COLUMNS[table]).join(', ');
      const detail = {
        fr: `colonne inconnue « ${unknown.key} » dans ${table} (connues : ${known})`,
        en: `unknown column "${unknown.key}" in ${table} (known: ${known})`,
      };
      throw new FormError('ERR_TEMPLATE_INVALID', { params: { detail }, locale });
    }
  }
  return parsed.data;
}

/**
 * Renders a bordereau S3404 as a PDF with the SDK's own vector layout
 * (FORM-4, FORM-5, FORM-7): every block, paginated tables (lines never cut,
 * totals and signature boxes on the last page), "page n / N", the identifier
 * and the content hash on every page, the embedded S3404 Sans font (Latin,
 * SIL OFL), document metadata and PDF/A-2b structure. The same bordereau,
 * options and clock give byte-identical output.
 *
 * `import { renderBordereauPdf } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const { bytes, pageCount } = await renderBordereauPdf(bordereau, { page: 'a3', now: () => new Date('2026-03-20T10:00:00Z') })
 * ```
 * @throws {@link FormError} `ERR_BORDEREAU_INVALID` when the bordereau is not valid (see `issues`; it is checked even when typed, since
 * data from JavaScript or JSON is not); `ERR_TEMPLATE_INVALID` for a bad custom template.
 * @public
 */
export async function renderBordereauPdf(bordereau: Bordereau, options: RenderPdfOptions = {}): Promise<RenderPdfResult> {
  const locale = resolveLocale(options.locale);
  const now = readClock(resolveClock(options.now, 'renderBordereauPdf'), 'renderBordereauPdf');
  const b = parseBordereau(bordereau, { locale });
  const template =
    options.template !== undefined ? parseTemplate(options.template, { locale }) : options.page === 'a4' ? A4_PORTRAIT_TEMPLATE : A3_LANDSCAPE_TEMPLATE;
  const fillable = options.mode === 'fillable';
  const hash = contentHash(b);

  const doc = await PDFDocument.create({ updateMetadata: false });
  // A flat PDF embeds only the glyphs it draws; a fillable one the whole
  // (Latin) regular font, so that any name can be typed into its fields.
  const fonts = prepareFonts(doc, { subset: !fillable, subsetBold: true });
  const plan = planPages(b, template, new ContentWriter(fonts));
  const drawn = drawPages(plan, { bordereau: b, template, hash, fillable, fonts });

  drawn.contents.forEach((content) => {
    const page = doc.addPage([template.page.width, template.page.height]);
    addFontResources(page, fonts);
    page.node.addContentStream(registerFlate(doc.context, content));
  });
  if (fillable) createFields(doc, b, drawn.fields, fonts);
  await fonts.finalize();
  // The caption fonts of the signatures to come, embedded once here: a signature revision then
  // adds only its image and its drawing (FORM-6).
  const caption = prepareFonts(doc, { subset: true, names: CAPTION_FONT_NAMES, include: CAPTION_CHARACTERS });
  await caption.finalize();

  const slots: RenderedSlot[] = drawn.slots.map((s) => ({ ...s }));
  // What it takes to render this revision again, so a signature is applied only onto exactly this rendering (SIG-5).
  const render = {
    data: registerFlate(doc.context, canonicalContent(b)),
    template: registerRecurringFlate(doc.context, canonicalJson(template)),
    mode: fillable ? ('fillable' as const) : ('flat' as const),
    pdfa: options.pdfa !== false,
    created: now,
    captionFonts: [caption.regular.ref, caption.bold.ref] as const,
  };
  writePieceInfo(
    doc,
    { bordereauId: b.id, finess: b.establishment.finess, contentHash: hash, slots: slots.map((s) => ({ ...s, signed: false })) },
    now,
    render,
  );
  setDocumentInfo(
    doc,
    {
      bordereau: b,
      contentHash: hash,
      source: `layout:${template.kind}/${template.version}/${template.name}`,
      created: now,
      idSeed: `${hash}|${template.kind}|${template.version}|${template.name}|${fillable ? 'fillable' : 'flat'}`,
    },
    options.pdfa !== false,
  );
  // Classic cross-reference tables, fillable or flat (readable by the oldest tools). A fillable form has
  // two objects per printed value (field with its widget, appearance) and one per other value: pdf-lib's
  // object-stream writer would compress their dictionaries (files about 40 % smaller) but costs more than
  // the rest of the rendering (a zlib pass over them, and a cross-reference stream built in quadratic
  // time), so the fields are written compact instead. `objectsPerTick`: pdf-lib would otherwise yield
  // to the event loop (a timer, about 1 ms) every 50 objects.
  const saved = await doc.save({ useObjectStreams: false, updateFieldAppearances: false, objectsPerTick: Number.POSITIVE_INFINITY });
  // Ends with an end of line after %%EOF, so that an incremental update leaves these bytes exactly as they are.
  const bytes = endWithEol(saved);
  // Verified in this process later (each signature checks the PDF it signs), it is not rendered a second time.
  rememberRendering(bytes, hash);
  return { bytes, pageCount: drawn.contents.length, contentHash: hash, slots };
}
