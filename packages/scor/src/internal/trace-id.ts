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
  const h = await digest(encoder.encode(`s3404.lot-trace\u0000${lotId}\u0000${key}`));
  const ms = Math.min(Math.max(Date.parse(at), 0), 2 ** 48 - 1);
  const b = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (h[0]! & 0x0f);
  b[7] = h[1]!;
  b[8] = 0x80 | (h[2]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = h[i - 6]!;
  let hex = '';
  for (const x of b) hex += x.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
