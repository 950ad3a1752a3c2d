/**
 * `@s3404/seal` — capture context, CMS-sealed signature records, signing
 * policy (authorisation, mandates, proof agreements), the journée comptable
 * and single use of records (SIG-1…SIG-10). Pure Web Crypto: runs in Node,
 * browsers, Deno and Bun, and its types need neither the DOM library
 * nor Node's. Stores live on their own subpaths: `/memory`, `/sqlite`,
 * `/postgres`, `/redis`, `/stores`; applying to PDFs on `/apply`; coded
 * errors on `/errors`; the development PKI on `/pki`. The shared basics
 * (`Clock`, `Locale`, `Issue`, `TraceEvent`, `ContentSigner`…) come from
 * `@s3404/core`; the wire format between the signing tablet and the server
 * on `@s3404/core/wire`, read and written here by `toContextMessage`,
 * `readCaptureMessage` and `toErrorMessage`.
 *
 * @packageDocumentation
 */
export {
  RECORD_TYPE,
  RECORD_VERSION,
  ScopeSchema,
  RoleSchema,
  RecordSignerSchema,
  StrokeSchema,
  PointerTypeSchema,
  ContextTokenSchema,
  SignatureRecordSchema,
  type Scope,
  type Role,
  type RecordSigner,
  type Stroke,
  type ContextToken,
  type SignatureRecord,
} from './record-schema.js';
export {
  ROLE_LABELS,
  createCaptureContext,
  createCapture,
  MemoryContextRegistry,
  type CaptureContext,
  type CaptureDisplay,
  type CreateCaptureContextOptions,
  type ContextRegistry,
  type MemoryContextRegistryOptions,
  type SignatureCapture,
} from './capture-context.js';
export { CAPTURE_LIMITS, type CaptureLimits } from './limits.js';
export {
  toContextMessage,
  readCaptureMessage,
  toErrorMessage,
  type ToContextMessageOptions,
  type ReadCaptureMessageOptions,
  type ToErrorMessageOptions,
} from './wire.js';
export { accountingDayScope, dayBordereauxDigest, type AccountingDayScopeOptions, type DayBordereau } from './accounting-day.js';
export {
  createRoleAuthorizer,
  type Authorizer,
  type AuthAction,
  type AuthRequest,
  type AuthDecision,
  type StaffMember,
  type RoleAuthorizerOptions,
} from './authorizer.js';
export { MemoryMandateRegistry, type Mandate, type MandateRegistry } from './mandates.js';
export { MemoryProofAgreementRegistry, findValidAgreement, type ProofAgreement, type ProofAgreementRegistry } from './proof-agreements.js';
export type { SealTraceAction, SealTraceActor } from './trace.js';
export type { CryptoProvider, SubtleCryptoLike, WebCryptoAlgorithm, WebCryptoKey } from './web-crypto.js';
export {
  signingKeyFromCryptoKey,
  importPkcs8SigningKey,
  type SigningKey,
  type SignInput,
  type SigningKeyOptions,
  type HashName,
  type CurveName,
  type SignatureAlgorithm,
} from './signing-key.js';
export { readPemCertificates, readPemPrivateKey, writePem, type ReadPemOptions } from './pem.js';
export { createSealer, type Sealer, type SealerOptions, type SealedRecord } from './sealer.js';
export {
  createVerifier,
  verifyRecord,
  type Verifier,
  type VerifierOptions,
  type RecordExpectation,
  type VerifyRecordResult,
  type VerifiedRecord,
  type RecordFailure,
} from './verify-record.js';
export {
  createConsumer,
  targetKey,
  type Consumer,
  type ConsumerOptions,
  type ConsumeInput,
  type ConsumeOptions,
  type ConsumeTarget,
  type ConsumeResult,
  type Consumed,
  type AlreadyConsumed,
  type ConsumptionOutcome,
  type ConsumeActor,
  type PendingDeposit,
  type DepositInput,
  type DepositOptions,
} from './consume.js';
export { MemoryKeyHolder, type HeldKey, type RecordKeyHolder } from './keys/record-key-holder.js';
export { PENDING_HANDLE_PREFIX } from './keys/pending-handle.js';
export type { PendingCipherCrypto } from './internal/pending-envelope.js';
export type {
  ConsumptionStore,
  PendingRecordStore,
  ConsumptionLedger,
  PendingEntry,
  Tombstone,
  ClaimOutcome,
  SweepOptions,
  SweepResult,
  SweepOutbox,
  UntracedSweep,
} from './consumption-store.js';
export { createContentSigner, type ContentSignerOptions } from './content-signer.js';
export {
  verifySealedContent,
  createContentVerifier,
  type VerifyContentOptions,
  type VerifyContentResult,
  type VerifiedContent,
  type ContentVerifierOptions,
} from './verify-sealed-content.js';
export { signaturePlacement, type SignaturePlacement } from './signature-placement.js';
export { encodeTimeStampRequest, type EncodeTimeStampRequestOptions } from './timestamp/encode-time-stamp-request.js';
export {
  createHttpTimeStamper,
  type HttpTimeStamperOptions,
  type TsaFetch,
  type TsaFetchInit,
  type TsaFetchResponse,
} from './timestamp/create-http-time-stamper.js';
export { createDevelopmentTsa, DEVELOPMENT_TSA_POLICY, type DevelopmentTsa, type DevelopmentTsaOptions } from './timestamp/create-development-tsa.js';
export {
  verifyTimeStampToken,
  type VerifyTimeStampTokenOptions,
  type VerifyTimeStampTokenResult,
  type VerifiedTimeStamp,
  type TimeStampFailure,
  type TimeStampInvalidDetail,
} from './timestamp/verify-time-stamp-token.js';
export { createTimeStampVerifier, type TimeStampVerifierOptions } from './timestamp/create-time-stamp-verifier.js';
export { SEAL_ERRORS, type SealErrorCode } from './errors/seal-errors.js';
export { SealError } from './errors/seal-error.js';
