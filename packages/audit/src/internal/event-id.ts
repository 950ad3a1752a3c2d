/**
 * The form of an event id (AUD-2): a lowercase UUIDv7 (RFC 9562 §5.7), the one pattern of the
 * schemas, the draft checks and the trace sink.
 */
export const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
