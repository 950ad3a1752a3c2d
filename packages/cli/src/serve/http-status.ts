import { isS3404Error } from '@s3404/core';

/** Codes whose HTTP status is not the default of their kind. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ERR_HTTP_NOT_FOUND: 404,
  ERR_BORDEREAU_UNKNOWN: 404,
  ERR_HTTP_METHOD: 405,
  ERR_HTTP_BODY_TIMEOUT: 408,
  ERR_HTTP_BODY_TOO_LARGE: 413,
  ERR_HTTP_CONTENT_TYPE: 415,
  // Terminal authentication (SIG-7): who is asking is not established.
  ERR_TERMINAL_AUTH_MISSING: 401,
  ERR_TERMINAL_UNKNOWN: 401,
  ERR_TERMINAL_SIGNATURE_INVALID: 401,
  ERR_TERMINAL_CLOCK_SKEW: 401,
  ERR_TERMINAL_NONCE_REPLAYED: 401,
  ERR_PAIRING_CODE_INVALID: 401,
  // The asker is known but not allowed (SIG-7…SIG-9).
  ERR_AUTH_DENIED: 403,
  ERR_MANDATE_REQUIRED: 403,
  ERR_MANDATE_INVALID: 403,
  ERR_PROOF_AGREEMENT_MISSING: 403,
  // The state forbids it: already used, already signed, context already taken (SIG-1, SIG-5).
  ERR_TERMINAL_ALREADY_ENROLLED: 409,
  ERR_CONTEXT_UNKNOWN: 409,
  ERR_RECORD_REPLAYED: 409,
  ERR_RECORD_DUPLICATE: 409,
  ERR_SLOT_NOT_AVAILABLE: 409,
  ERR_SLOT_ALREADY_SIGNED: 409,
  // Claimed but not finished: retry with the same request id (SIG-5).
  ERR_CONSUME_INCOMPLETE: 503,
};

const STATUS_BY_KIND = { input: 400, verdict: 422, unavailable: 503, internal: 500 } as const;

/**
 * The HTTP status of an error of the signing service: by its code
 * where one is more precise, else by its kind — `input` 400, `verdict` 422,
 * `unavailable` 503, `internal` (and anything uncoded) 500.
 */
export function httpStatusOf(error: unknown): number {
  if (!isS3404Error(error)) return 500;
  return STATUS_BY_CODE[error.code] ?? STATUS_BY_KIND[error.kind];
}

/** The statuses the service answers, for the OpenAPI document. */
export const ERROR_STATUSES = [400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 500, 503] as const;
