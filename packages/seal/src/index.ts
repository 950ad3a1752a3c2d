/**
 * `@s3404/seal` — capture context, CMS-sealed signature records, signing
 * policy (authorisation, mandates, proof agreements), the journée comptable
 * and single use of records (SIG-1…SIG-10). Pure Web Crypto: runs in Node,
 * browsers, Deno and Bun. Stores live on their own subpaths:
 * `/memory`, `/sqlite`, `/postgres`, `/redis`; applying to PDFs on `/apply`.
 *
 * @packageDocumentation
 */

/**
 * What this package offers today: `'available'`.
 *
 * @public
 */
export const PACKAGE_STATUS: 'planned' | 'available' = 'available';

export {
  RECORD_TYPE,
  RECORD_VERSION,
  ScopeSchema,
  RoleSchema,
  SignerSchema,
  StrokeSchema,
  PointerTypeSchema,
  ContextTokenSchema,
  SignatureRecordSchema,
  type Scope,
  type Role,
  type Signer as RecordSigner,
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
  type SignatureCapture,
} from './capture-context.js';
export { CAPTURE_LIMITS, type CaptureLimits } from './limits.js';
export { accountingDayScope, dayBordereauxDigest, type AccountingDayScopeOptions } from './accounting-day.js';
export { createRoleAuthorizer, type Authorizer, type AuthAction, type AuthRequest, type AuthDecision, type StaffMember, type RoleAuthorizerOptions } from './authorizer.js';
export { MemoryMandateRegistry, type Mandate, type MandateRegistry } from './mandates.js';
export { MemoryProofAgreementRegistry, findValidAgreement, type ProofAgreement, type ProofAgreementRegistry } from './proof-agreements.js';
export { RecordingTraceSink, type TraceSink, type SealTraceEvent, type SealTraceAction } from './trace.js';
export { signerFromCryptoKey, importPkcs8Signer, type Signer, type SignInput, type SignerOptions, type HashName, type CurveName, type SignatureAlgorithm, type CryptoProvider } from './signer.js';
export { readPemCertificates, readPemPrivateKey, writePem } from './pem.js';
export { createSealer, type Sealer, type SealerOptions, type SealedRecord } from './sealer.js';
export { createVerifier, verifyRecord, type Verifier, type VerifierOptions, type RecordExpectation, type VerifyRecordResult, type VerifiedRecord, type RecordFailure } from './verify-record.js';
export {
  createConsumer,
  targetKey,
  type Consumer,
  type ConsumerOptions,
  type ConsumeInput,
  type ConsumeOptions,
  type ConsumeResult,
  type Consumed,
  type AlreadyConsumed,
  type ConsumptionOutcome,
  type ConsumeActor,
} from './consume.js';
export type { ConsumptionStore, PendingRecordStore, ConsumptionLedger, PendingEntry, Tombstone, ClaimOutcome, SweepResult } from './consumption-store.js';
export { createContentSealer, createContentSigner, createContentVerifier, verifySealedContent, type ContentVerifierOptions, type ContentSealer, type ContentSealerOptions, type VerifyContentOptions, type VerifiedContent } from './content-seal.js';
export { signaturePlacement, type SignaturePlacement } from './signature-placement.js';
export { SealError } from './errors/seal-error.js';
export { SEAL_MESSAGES, sealMessage, type SealErrorCode } from './errors/messages.js';
