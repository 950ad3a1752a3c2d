import { uuidV7Of } from '@s3404/core';
import type { Digest } from './sha256.js';

const encoder = new TextEncoder();

/**
 * The id of a lot's undelivered trace event (SCOR-3, AUD-2): a UUIDv7 whose
 * time is the event's `at` and whose other bits come from SHA-256 of the
 * lot id and the event's key (`<version>.<index>`, unique within the lot).
 * Every delivery of the event gives the same id, so the audit log writes it
 * once, whatever the outbox repeats (a sink that wrote but did not answer,
 * a process dying before it removed the event, two processes at once).
 */
export async function lotTraceId(digest: Digest, lotId: string, key: string, at: string): Promise<string> {
  return uuidV7Of(Date.parse(at), await digest(encoder.encode(`s3404.lot-trace\u0000${lotId}\u0000${key}`)));
}
