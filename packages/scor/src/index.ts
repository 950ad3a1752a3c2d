/**
 * `@s3404/scor` — PJ checks, SCOR lots and their lifecycle (SCOR-1…SCOR-3).
 * Built on `@s3404/core` only: its errors, locales, clock, bytes, shared
 * identifiers, trace events and signing contract. Runtime-agnostic; the
 * Node-only parts are on `@s3404/scor/file`, `/sqlite` and `/postgres`.
 *
 * @packageDocumentation
 */
export { checkPj, type CheckPjOptions, type PjReport, type PjPageReport, type PjImageReport } from './pj/check-pj.js';
export { resolvePjPolicy, DEFAULT_PJ_POLICY, type PjPolicy, type ResolvedPjPolicy } from './pj/pj-policy.js';
export type { S3404Facts } from './internal/pdf/s3404-facts.js';
export type { ImageColour } from './internal/pdf/images.js';
export { SCOR_ERRORS, type ScorErrorCode } from './errors/scor-errors.js';
export { ScorError, type ScorErrorOptions, type ScorIssue } from './errors/scor-error.js';
export {
  LOT_STATES,
  LotRecordSchema,
  ArlOutcomeSchema,
  LotTransitionSchema,
  PendingLotTraceSchema,
  type PendingLotTrace,
  type LotState,
  type LotRecord,
  type ArlOutcome,
  type LotTransition,
} from './lifecycle/lot-record.js';
export type { LotStore, LotQuery } from './lifecycle/lot-store.js';
export {
  frenchCalendar,
  frenchPublicHolidays,
  easterSunday,
  type WorkingCalendar,
  type FrenchCalendarOptions,
  type PublicHoliday,
} from './calendar/french-calendar.js';
export {
  transitionLot,
  resolveLotPolicy,
  LOT_EVENT_TYPES,
  type LotEvent,
  type LotEventType,
  type LotTransitionResult,
  type LotTraceStep,
  type LotLifecyclePolicy,
  type ResolvedLotPolicy,
} from './lifecycle/transition.js';
export { createLotManager, type LotManager, type LotManagerOptions, type TickReport } from './lifecycle/lot-manager.js';
export {
  LOT_DESCRIPTION_FORMAT,
  LotDescriptionSchema,
  LotInvoiceSchema,
  LotPjSchema,
  type LotDescription,
  type LotInvoice,
  type LotPj,
} from './lot/lot-description.js';
export { packLot, safePackLot, type PackLotOptions, type PackedLot, type PackedLotFile, type PackLotResult, type LotFiles } from './lot/pack-lot.js';
export { verifyLot, type VerifyLotOptions, type LotVerification } from './lot/verify-lot.js';
export {
  LOT_MANIFEST_FORMAT,
  LOT_MANIFEST_VERSION,
  LOT_ENTRIES,
  LotManifestSchema,
  ManifestFileSchema,
  type LotManifest,
  type ManifestFile,
} from './lot/manifest.js';
export { sdkZipCodec } from './lot/zip-codec.js';
export type { LotCodec, LotContent } from './lot/lot-codec.js';
export type { Transport, TransportReceipt, LotTransmission, LotChunkTransmission } from './lot/transport.js';
export { jsonArlParser, ArlJsonSchema, ARL_JSON_FORMAT, type Arl, type ArlParser } from './arl/arl.js';
export { SCOR_TRACE_ACTIONS, type ScorTraceAction } from './trace.js';
