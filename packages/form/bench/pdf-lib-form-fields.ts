/**
 * The fillable rendering as it was before issue 19 (commit 34d467e), kept for
 * the benchmark only: the same layout and drawing, but every field created
 * through pdf-lib's form API (`PDFForm.createTextField`, `addToPage`, which
 * builds the field, its widget and its appearance stream from operator
 * objects), the whole bold font embedded too, and pdf-lib's default save
 * (a timer tick every 50 objects). Not exported by the package;
 * `render.bench.ts` measures it against `renderBordereauPdf` in the same run.
 */
import { resolveClock, readClock, canonicalJson, type Clock } from '@s3404/core';
import type { Bordereau } from '../src/model/bordereau.js';
import { parseBordereau } from '../src/validate-bordereau.js';
import { canonicalContent, contentHash } from '../src/content-hash.js';
import { A3_LANDSCAPE_TEMPLATE } from '../src/pdf/layout/template.js';
import { ContentWriter } from '../src/pdf/internal/content-writer.js';
import { addFontResources, prepareFonts } from '../src/pdf/internal/font-embedder.js';
import { planPages } from '../src/pdf/internal/page-plan.js';
import { drawPages, type FieldSpec } from '../src/pdf/internal/draw-pages.js';
import { flattenLeaves, formatValue, kindOf } from '../src/pdf/internal/field-codec.js';
import { writePieceInfo, type RenderedSlot } from '../src/pdf/internal/slot-data.js';
import { setDocumentInfo } from '../src/pdf/internal/document-info.js';
import { PDFBool, PDFDocument, PDFName, TextAlignment, rgb, type PDFFont } from '../src/pdf/internal/engine.js';
import { registerFlate } from '../src/pdf/internal/deflate.js';
import { CAPTION_CHARACTERS, CAPTION_FONT_NAMES } from '../src/pdf/internal/signature-drawing.js';
import { endWithEol } from '../src/pdf/syntax/append-update.js';

const NO_BOX = { borderColor: undefined, backgroundColor: undefined } as unknown as Record<string, never>;
const ALIGN = { left: TextAlignment.Left, right: TextAlignment.Right, center: TextAlignment.Center } as const;

/** The former `createFields`: pdf-lib's form objects, one appearance generated per field. */
function createFieldsWithPdfLibForms(doc: PDFDocument, bordereau: Bordereau, specs: readonly FieldSpec[], font: PDFFont): void {
  const form = doc.getForm();
  const pages = doc.getPages();
  const visible = new Set<string>();
  for (const spec of specs) {
    visible.add(spec.path);
    const field = form.createTextField(`s3404.${spec.path}`);
    if (spec.multiline) field.enableMultiline();
    field.setAlignment(ALIGN[spec.align]);
    field.setText(spec.text);
    field.acroField.setDefaultAppearance(`/${font.name} ${spec.multiline ? 0 : spec.size} Tf`);
    field.addToPage(pages[spec.page]!, {
      x: spec.x,
      y: spec.y,
      width: Math.max(spec.width, 4),
      height: spec.height,
      font,
      borderWidth: 0,
      textColor: rgb(0, 0, 0),
      ...NO_BOX,
    });
  }
  for (const [path, value] of flattenLeaves(bordereau)) {
    if (visible.has(path) || path === '$schema') continue;
    form.createTextField(`s3404.${path}`).setText(formatValue(kindOf(path), value));
  }
  form.acroForm.dict.set(PDFName.of('DR'), doc.context.obj({ Font: doc.context.obj({ [font.name]: font.ref }) }));
  form.acroForm.dict.set(PDFName.of('NeedAppearances'), PDFBool.False);
}

/** `renderBordereauPdf(b, { mode: 'fillable' })` as it was (A3, PDF/A). */
export async function renderFillableWithPdfLibForms(bordereau: Bordereau, options: { now: Clock }): Promise<Uint8Array> {
  const now = readClock(resolveClock(options.now, 'renderFillableWithPdfLibForms'), 'renderFillableWithPdfLibForms');
  const b = parseBordereau(bordereau);
  const template = A3_LANDSCAPE_TEMPLATE;
  const hash = contentHash(b);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = prepareFonts(doc, { subset: false });
  const plan = planPages(b, template, new ContentWriter(fonts));
  const drawn = drawPages(plan, { bordereau: b, template, hash, fillable: true, fonts });
  drawn.contents.forEach((content) => {
    const page = doc.addPage([template.page.width, template.page.height]);
    addFontResources(page, fonts);
    page.node.addContentStream(registerFlate(doc.context, content));
  });
  createFieldsWithPdfLibForms(doc, b, drawn.fields, fonts.regular);
  await fonts.finalize();
  const caption = prepareFonts(doc, { subset: true, names: CAPTION_FONT_NAMES, include: CAPTION_CHARACTERS });
  await caption.finalize();
  const slots: RenderedSlot[] = drawn.slots.map((s) => ({ ...s }));
  writePieceInfo(doc, { bordereauId: b.id, finess: b.establishment.finess, contentHash: hash, slots: slots.map((s) => ({ ...s, signed: false })) }, now, {
    data: registerFlate(doc.context, canonicalContent(b)),
    template: registerFlate(doc.context, canonicalJson(template)),
    mode: 'fillable',
    pdfa: true,
    created: now,
    captionFonts: [caption.regular.ref, caption.bold.ref] as const,
  });
  setDocumentInfo(
    doc,
    {
      bordereau: b,
      contentHash: hash,
      source: `layout:${template.kind}/${template.version}/${template.name}`,
      created: now,
      idSeed: `${hash}|${template.kind}|${template.version}|${template.name}|fillable`,
    },
    true,
  );
  return endWithEol(await doc.save({ useObjectStreams: true, updateFieldAppearances: false }));
}
