import type { TimeStampOptions } from '@s3404/core';
import { unsignedInteger } from '../internal/der.js';

/** Checks the arguments of a `TimeStamper.timestamp` call (programmer errors). */
export function checkStampInput(digest: unknown, options: TimeStampOptions | undefined, who: string): void {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new TypeError(`${who}: digest must be a SHA-256 digest (Uint8Array of 32 bytes)`);
  if (options !== undefined && (options === null || typeof options !== 'object' || (options.hash !== undefined && options.hash !== 'SHA-256'))) {
    throw new TypeError(`${who}: options.hash must be 'SHA-256'`);
  }
}

/** The INTEGER content bytes of a nonce given as an unsigned magnitude, as a TSTInfo echoes them. */
export function nonceInteger(magnitude: Uint8Array): Uint8Array {
  const encoded = unsignedInteger(magnitude);
  return encoded.subarray(2);
}
