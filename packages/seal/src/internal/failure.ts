import type { MessageParams } from '@s3404/core';
import type { SealErrorCode } from '../errors/seal-errors.js';

/** Internal: a coded failure, turned into a verdict or a `SealError` at the API edge. */
export class Failure extends Error {
  constructor(
    readonly code: SealErrorCode,
    readonly reason: string = code,
    /** Values for the message when the failure becomes a `SealError` (a capture refused at sealing). */
    readonly params: MessageParams = {},
  ) {
    super(reason);
    this.name = 'Failure';
  }
}
