import { sha256 } from '@noble/hashes/sha2.js';
import { uuidV7Of } from '@s3404/core';
import type { SealTraceActor } from '../trace.js';

const encoder = new TextEncoder();

/**
 * The id of a use's `signature.consumed` or `signature.applied` event
 * (SIG-5, AUD-2): a UUIDv7 timed at the claim and named by the action, the
 * record, the request id and the actor. A use resumed by the same request
 * (after a trace, an apply or a `complete` that failed) traces these events
 * again with the same ids, so a trace that keeps ids (`@s3404/audit`)
 * writes each once; another actor's resume is its own event.
 */
export function useEventId(
  action: 'signature.consumed' | 'signature.applied',
  use: { readonly recordId: string; readonly requestId: string; readonly claimedAt: string },
  actor: SealTraceActor,
): string {
  const name = ['s3404.use', action, use.recordId, use.requestId, actor.personId, actor.role, actor.terminalId].join('\u0000');
  return uuidV7Of(Date.parse(use.claimedAt), sha256(encoder.encode(name)));
}

/**
 * The id of a sweep's `signature.expired` event (SIG-6, AUD-1): a UUIDv7
 * timed at the sweep and named by the sweep's id in the store's outbox.
 * Whichever process traces a sweep (the one that swept, or the next one
 * after it died), and however often, the event has this id, so a trace
 * that keeps ids writes it once.
 */
export function sweepEventId(sweep: { readonly id: string; readonly at: string }): string {
  return uuidV7Of(Date.parse(sweep.at), sha256(encoder.encode(['s3404.sweep', sweep.id].join('\u0000'))));
}
