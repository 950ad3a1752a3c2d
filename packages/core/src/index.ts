/**
 * `@s3404/core` — the shared foundation of the s3404 packages, at the bottom
 * of the graph: coded errors and their catalogues in French and English,
 * `Locale`, `Clock`, `RandomSource`, canonical JSON (RFC 8785), bytes (hex,
 * base64, base64url, the `Sha256` shape), the shared identifiers (bordereau
 * identifier, FINESS), the trace event every package emits, and the
 * `ContentSigner` / `ContentVerifier` / `SignatureCheck` contract.
 *
 * Zero dependencies, runtime-neutral (X-1): no Node API and no DOM types, so
 * it runs in Node, browsers, Deno and Bun and compiles in any TypeScript
 * project. Node-only helpers live on `@s3404/core/node`; the store kit of
 * the packages' database stores on `@s3404/core/stores`.
 *
 * @packageDocumentation
 */
export { type Locale, DEFAULT_LOCALE, LOCALES, resolveLocale } from './errors/locale.js';
export { type ErrorKind, ERROR_KINDS } from './errors/error-kind.js';
export {
  defineErrors,
  resolveParams,
  type ErrorCatalog,
  type ErrorDefinition,
  type LocalizedText,
  type MessageParams,
  type MessageTemplate,
  type ResolvedParams,
} from './errors/define-errors.js';
export { S3404Error, isS3404Error, type S3404ErrorOptions } from './errors/s3404-error.js';
export { CORE_ERRORS, type CoreErrorCode } from './errors/core-errors.js';
export { CoreError } from './errors/core-error.js';
export { formatPath, type Issue } from './errors/issue.js';
export { truncateForMessage } from './errors/truncate.js';
export { notifyQuietly } from './notify-quietly.js';
export { visibleText } from './errors/visible-text.js';
export { type Clock, systemClock, fixedClock, readClock, resolveClock, isIsoInstant } from './clock.js';
export { type RandomSource, resolveRandom, randomBytes, uuidV4, createUuidV7, uuidV7Of } from './random.js';
export { canonicalJson } from './canonical-json.js';
export { toHex, fromHex } from './bytes/hex.js';
export { toBase64, fromBase64, toBase64url, fromBase64url } from './bytes/base64.js';
export { bytesEqual, concatBytes } from './bytes/compare.js';
export type { Sha256 } from './bytes/sha256.js';
export { builtinModule } from './bytes/builtin-module.js';
export { builtinSha256 } from './bytes/builtin-sha256.js';
export { builtinInflate, type BuiltinInflate } from './bytes/builtin-inflate.js';
export {
  createBordereauId,
  checkBordereauId,
  bordereauIdProblem,
  normalizeBordereauId,
  type BordereauId,
  type CreateBordereauIdOptions,
} from './identifiers/bordereau-id.js';
export { checkFiness, finessKey, finessProblem, isValidFiness } from './identifiers/finess.js';
export { luhnCheckDigit } from './identifiers/luhn.js';
export { identifierCheck, type IdentifierCheck, type IdentifierCheckOptions, type IdentifierProblem } from './identifiers/identifier-check.js';
export {
  isTraceCode,
  RecordingTraceSink,
  TRACE_CODE,
  type TraceActor,
  type TraceEvent,
  type TraceOutcome,
  type TraceSink,
  type TraceSubject,
} from './trace.js';
export type { ContentSigner, ContentVerifier, SignContentOptions, SignatureCheck, VerifyContentSignatureOptions } from './content-signature.js';
export type { TimeStamper, TimeStampOptions, TimeStampCheck, TimeStampVerifier } from './timestamp.js';
