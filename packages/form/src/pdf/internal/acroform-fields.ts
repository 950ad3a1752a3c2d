import type { Bordereau } from '../../model/bordereau.js';
import { flattenLeaves, formatValue, kindOf } from './field-codec.js';
import type { FieldSpec } from './draw-pages.js';
import { PDFBool, PDFName, TextAlignment, rgb, type PDFDocument, type PDFFont } from './engine.js';

/** Prefix of every field the SDK creates: `s3404.fees.0.amount`. */
export const FIELD_PREFIX = 's3404.';

/**
 * pdf-lib draws a black border and a white background unless these keys are
 * present (and undefined); the form's own rules already frame every value.
 */
const NO_BOX = { borderColor: undefined, backgroundColor: undefined } as unknown as Record<string, never>;

const ALIGN = { left: TextAlignment.Left, right: TextAlignment.Right, center: TextAlignment.Center } as const;

/**
 * Creates the fillable form (FORM-5): one text field per visible leaf, where
 * its value was printed, and a widget-less field for every other leaf of the
 * model, so that reading the form back gives the whole bordereau again.
 */
export function createFields(doc: PDFDocument, bordereau: Bordereau, specs: readonly FieldSpec[], font: PDFFont): void {
  const form = doc.getForm();
  const pages = doc.getPages();
  const visible = new Set<string>();
  for (const spec of specs) {
    visible.add(spec.path);
    const field = form.createTextField(FIELD_PREFIX + spec.path);
    if (spec.multiline) field.enableMultiline();
    field.setAlignment(ALIGN[spec.align]);
    field.setText(spec.text);
    // Default appearance before the widget exists, so that its appearance is
    // generated once with the final state. Size 0 (auto) lets a multi-line
    // value fit its box.
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
  // Values the layout does not print: fields without a widget (nothing to
  // draw, nothing to click), read back like the others.
  for (const [path, value] of flattenLeaves(bordereau)) {
    if (visible.has(path) || path === '$schema') continue;
    form.createTextField(FIELD_PREFIX + path).setText(formatValue(kindOf(path), value));
  }
  // The font named by every /DA, for viewers that redraw an edited value.
  form.acroForm.dict.set(PDFName.of('DR'), doc.context.obj({ Font: doc.context.obj({ [font.name]: font.ref }) }));
  form.acroForm.dict.set(PDFName.of('NeedAppearances'), PDFBool.False);
}
