import { isIsoInstant } from '@s3404/core';
import type { UntracedSweep } from '../consumption-store.js';

/** A sweep's id in a store's outbox: a UUID (the consumer makes a v4). */
export const SWEEP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const count = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Whether an outbox entry is one a sweep writes (SIG-6, AUD-1): a UUID, the
 * instant as `toISOString` writes it, a consumer id of 1 to 200 characters,
 * counts that are whole and not negative, at least one record deleted.
 * Whatever a store returns (a vendor's, or a row edited behind the SDK's
 * back) is checked here once, before it is traced.
 */
export function isUntracedSweep(s: UntracedSweep): boolean {
  return (
    s !== null &&
    typeof s === 'object' &&
    typeof s.id === 'string' &&
    SWEEP_ID.test(s.id) &&
    isIsoInstant(s.at) &&
    typeof s.consumer === 'string' &&
    s.consumer.length > 0 &&
    s.consumer.length <= 200 &&
    count(s.expired) &&
    count(s.abandoned) &&
    s.expired + s.abandoned > 0
  );
}
