/**
 * `@s3404/form` — the bordereau S3404 model, its checks and its identifier.
 *
 * Runtime-agnostic: no Node API, no PDF engine. PDF rendering lives on
 * the `@s3404/form/pdf` subpath; coded errors on `@s3404/form/errors`. The
 * shared basics (errors, `Locale`, `Clock`, `RandomSource`, canonical JSON,
 * the bordereau identifier and FINESS) come from `@s3404/core`.
 *
 * @packageDocumentation
 */
export { BordereauSchema, MODEL_VERSION, type Bordereau } from './model/bordereau.js';
export { EstablishmentSchema, type Establishment } from './model/establishment.js';
export { InsuredSchema, BeneficiarySchema, type Insured, type Beneficiary } from './model/people.js';
export { CoverageSchema, INSURANCE_NATURES, type Coverage } from './model/coverage.js';
export { StaySchema, type Stay } from './model/stay.js';
export {
  ServiceLineSchema,
  FeeLineSchema,
  LppLineSchema,
  DrugLineSchema,
  type ServiceLine,
  type FeeLine,
  type LppLine,
  type DrugLine,
} from './model/lines.js';
export { TotalsSchema, type Totals } from './model/totals.js';
export { SignaturesSchema, type Signatures } from './model/signatures.js';
export { LIMITS } from './model/limits.js';
export {
  validateBordereau,
  parseBordereau,
  parseBordereauJson,
  readJson,
  type ValidateOptions,
  type ValidationResult,
} from './validate-bordereau.js';
export { checkNir, nirKey, nirProblem, isValidNir } from './checks/nir.js';
export { checkRpps, rppsProblem, isValidRpps } from './checks/rpps.js';
export { checkCcamCode, checkLppCode, checkUcdCode, ccamProblem, lppProblem, ucdProblem } from './checks/codes.js';
/** The identifiers every package shares live in `@s3404/core`; form re-exports them with its own checks (FORM-2, FORM-3). */
export {
  checkFiness,
  finessKey,
  isValidFiness,
  createBordereauId,
  checkBordereauId,
  normalizeBordereauId,
  type BordereauId,
  type CreateBordereauIdOptions,
  type IdentifierCheck,
  type IdentifierCheckOptions,
  type IdentifierProblem,
} from '@s3404/core';
export { bordereauJsonSchema } from './json-schema.js';
export { contentHash } from './content-hash.js';
export { listSignatureSlots, parseSlotId, type SlotId, type SignatureSlot } from './signature-slots.js';
export { formatCents, formatDateFr, formatDateTimeFr } from './format.js';
export { checkPrintableText, printableTextProblem, type PrintableTextOptions } from './text-policy.js';
export {
  checkSignatureImage,
  SIGNATURE_IMAGE_LIMITS,
  type CheckSignatureImageOptions,
  type SignatureImageCheck,
  type SignatureImageLimits,
  type SignatureImageProblem,
} from './signature-image.js';
export { FORM_ERRORS, type FormErrorCode } from './errors/form-errors.js';
export { FormError } from './errors/form-error.js';
