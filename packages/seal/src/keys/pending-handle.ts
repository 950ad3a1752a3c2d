import { fromBase64url, toBase64url } from '@s3404/core';
import { DATA_KEY_BYTES } from '../internal/pending-envelope.js';

/** What every pending handle starts with, version included (SIG-6). @public */
export const PENDING_HANDLE_PREFIX = 's3404-pending.1.';

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const KEY = /^[A-Za-z0-9_-]{43}$/;

/** The handle of a deposit: `s3404-pending.1.<record id>.<data key, base64url>`. */
export function formatPendingHandle(recordId: string, key: Uint8Array): string {
  return `${PENDING_HANDLE_PREFIX}${recordId}.${toBase64url(key)}`;
}

/** The record id and key of a handle, or why it is not one (a short English detail). */
export function parsePendingHandle(handle: unknown): { readonly recordId: string; readonly key: Uint8Array } | { readonly problem: string } {
  if (typeof handle !== 'string') return { problem: 'not a string' };
  if (!handle.startsWith(PENDING_HANDLE_PREFIX)) return { problem: 'prefix' };
  const rest = handle.slice(PENDING_HANDLE_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot < 0) return { problem: 'no key' };
  const recordId = rest.slice(0, dot);
  const text = rest.slice(dot + 1);
  if (!RECORD_ID.test(recordId)) return { problem: 'record id' };
  if (!KEY.test(text)) return { problem: 'key' };
  const key = fromBase64url(text);
  if (key === null || key.length !== DATA_KEY_BYTES) return { problem: 'key' };
  return { recordId, key };
}
