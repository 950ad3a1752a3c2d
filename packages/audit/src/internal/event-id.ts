/**
 * The form of an event id (AUD-2): a lowercase UUIDv7 (RFC 9562 §5.7), the one pattern of the
 * schemas, the draft checks and the trace sink.
 */
export const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds since the epoch an event id was made at: a UUIDv7's first 48 bits (RFC 9562 §5.7). */
export function uuidV7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
