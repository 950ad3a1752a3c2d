/**
 * `@s3404/form/pdf` — PDF rendering of the bordereau S3404 (FORM-4…FORM-7):
 * the SDK's own layout, overlay onto the official CERFA, fillable AcroForm
 * and read-back, and signature placement. Runtime-agnostic.
 *
 * @packageDocumentation
 */
export { renderBordereauPdf, parseTemplate, type RenderPdfOptions, type RenderPdfResult } from './render-pdf.js';
export type { RenderedSlot } from './internal/slot-data.js';
export {
  A3_LANDSCAPE_TEMPLATE,
  A4_PORTRAIT_TEMPLATE,
  LayoutTemplateSchema,
  TABLE_COLUMNS,
  type LayoutTemplate,
} from './layout/template.js';
export { readBordereauFromPdf, type ReadBordereauPdfOptions } from './read-bordereau-pdf.js';
export { placeSignature, checkPlacement, type PlaceSignatureOptions, type PlacementCheck } from './place-signature.js';
export { readSignatureSlots, type SignatureSlotsState, type SlotStatus } from './read-signature-slots.js';
export { overlayBordereauPdf, parseFieldMap, type OverlayPdfOptions } from './overlay-pdf.js';
export { FieldMapSchema, type FieldMap } from './layout/field-map.js';
