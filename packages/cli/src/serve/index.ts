/**
 * `@s3404/cli/serve` — the reference signing service of `s3404 serve`, for
 * vendors to embed (Node only, `node:http`, no framework): the tablet page,
 * terminal enrolment and request signatures (per-terminal ECDSA P-256 keys),
 * capture contexts, captures sealed and deposited encrypted, single use onto
 * the bordereau's PDF, an OpenAPI 3.1 document (SIG-1…SIG-7).
 *
 * @packageDocumentation
 */
export {
  createSigningService,
  type SigningService,
  type SigningServiceOptions,
  type ListenOptions,
  type ListeningService,
} from './service.js';
export type { BordereauSource, ServedBordereau, ServedSlot, ServedSlotId } from './bordereau-source.js';
export { createRenderedBordereauSource, type RenderedBordereauSourceOptions } from './rendered-bordereaux.js';
export {
  MemoryTerminalStore,
  FileTerminalStore,
  type FileTerminalStoreOptions,
  type TerminalStore,
  type EnrolledTerminal,
  type TerminalPublicKey,
} from './terminal-store.js';
export type { PairingCode } from './pairing.js';
export { MemoryNonceCache, openNonceCache, type NonceCache } from './nonce-cache.js';
export {
  TERMINAL_HEADERS,
  terminalSigningInput,
  signTerminalRequest,
  type SignedRequestParts,
  type SignTerminalRequestOptions,
  type TerminalSubtle,
} from './request-signing.js';
export { signingServiceOpenApi, type OpenApiDocument } from './openapi.js';
