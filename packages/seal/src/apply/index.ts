/**
 * `@s3404/seal/apply` — consume a sealed record and draw it on its bordereau
 * PDF once; a journée comptable on every bordereau of its day (SIG-4…SIG-6,
 * SIG-10, FORM-6). Loads the PDF engine of `@s3404/form/pdf`, so it is kept
 * off the package root (a capture page does not need it).
 *
 * @packageDocumentation
 */
export { applySignature, type ApplySignatureOptions, type ApplySignatureResult, type AppliedSignature } from './apply-signature.js';
export { applyAccountingDay, type ApplyAccountingDayOptions, type ApplyAccountingDayResult, type AppliedAccountingDay } from './apply-accounting-day.js';
export { applyAccountingDayEach, type ApplyAccountingDayEachOptions, type AppliedAccountingDayEach } from './apply-accounting-day-each.js';
