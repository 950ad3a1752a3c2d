import type { SealErrorCode } from '../errors/messages.js';

/** Internal: a coded verification failure, turned into a result at the API edge. */
export class Failure extends Error {
  constructor(readonly code: SealErrorCode, readonly reason: string = code) {
    super(reason);
    this.name = 'Failure';
  }
}
