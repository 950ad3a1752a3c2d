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
export { verifyBordereauPdf, type VerifyBordereauPdfOptions, type BordereauPdfVerdict } from './verify-bordereau-pdf.js';
export { overlayBordereauPdf, parseFieldMap, type OverlayPdfOptions } from './overlay-pdf.js';
export { FieldMapSchema, type FieldMap } from './layout/field-map.js';
export { listPdfRevisions, extractPdfRevision, type PdfRevision, type PdfRevisionList } from './revisions.js';
// Low-level revision reading and incremental updates, for @s3404/seal's PAdES seal (FORM-6, SIG-5).
export { openPdfFile, pdfReadFailure } from './revisions.js';
export { PdfFile, type RevisionSection, type LocatedObject, type XrefEntry } from './syntax/pdf-file.js';
export { pageRefs, catalogOf } from './syntax/structure.js';
export { sameValue } from './syntax/same-value.js';
export { appendUpdate, nextObjectNumber, copyDict, type UpdateObject, type AppendedUpdate } from './syntax/append-update.js';
export { RawPdf, hexString, textString, dateString, writeValue, writeNumber, name as pdfName, ref as pdfRef, type WritableValue } from './syntax/serialize.js';
export { textBlockAppearance, type TextBlockOptions, type TextBlockAppearance } from './text-block-appearance.js';
