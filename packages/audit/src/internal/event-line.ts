import type { AuditEvent } from '../event-schema.js';
import { toHex, type Sha256 } from '@s3404/core';

/**
 * RFC 8785 canonical JSON of an event, written with the keys of the fixed
 * schema in sorted order (UTF-16 order, as JCS wants). Strings and safe
 * integers serialise as `JSON.stringify` does, which is what JCS specifies.
 * A test checks it against the general canonicaliser of @s3404/core.
 */
const ACTOR = ['personId', 'role', 'terminalId'] as const;
const SUBJECT = ['bordereauId', 'contextNonce', 'day', 'exportId', 'finess', 'firstSeq', 'invoiceNumber', 'lastSeq', 'line', 'lotId', 'recordId'] as const;
const CHECKPOINT = ['body', 'signature', 'timestamp'] as const;

function object(value: Record<string, unknown>, keys: readonly string[]): string {
  let out = '';
  for (const k of keys) {
    const v = value[k];
    if (v === undefined) continue;
    out += `${out === '' ? '' : ','}"${k}":${JSON.stringify(v)}`;
  }
  return `{${out}}`;
}

/** The members before `hash` (action … count) and after it (id … v). */
function halves(e: Omit<AuditEvent, 'hash'>): [string, string] {
  let a = `"action":${JSON.stringify(e.action)},"actor":${object(e.actor, ACTOR)}`;
  if (e.checkpoint !== undefined) a += `,"checkpoint":${object(e.checkpoint, CHECKPOINT)}`;
  if (e.code !== undefined) a += `,"code":${JSON.stringify(e.code)}`;
  if (e.count !== undefined) a += `,"count":${e.count}`;
  let b = `"id":${JSON.stringify(e.id)},"outcome":${JSON.stringify(e.outcome)},"prev":"${e.prev}"`;
  if (e.reason !== undefined) b += `,"reason":${JSON.stringify(e.reason)}`;
  b += `,"seq":${e.seq},"subject":${object(e.subject, SUBJECT)},"time":"${e.time}","v":${e.v}`;
  return [a, b];
}

const encoder = new TextEncoder();

/** The canonical JSON of an event without its `hash` (what is hashed). */
export function unhashedJson(e: Omit<AuditEvent, 'hash'>): string {
  const [a, b] = halves(e);
  return `{${a},${b}}`;
}

let scratch = new Uint8Array(8192);

/** `SHA-256(0x00 ‖ UTF-8(text))`: an RFC 9162 leaf hash. */
export function leafHash(text: string, sha256: Sha256): Uint8Array {
  if (scratch.length < text.length * 3 + 1) scratch = new Uint8Array(text.length * 3 + 1);
  scratch[0] = 0;
  const { written } = encoder.encodeInto(text, scratch.subarray(1));
  return sha256(scratch.subarray(0, written + 1));
}

/** The same, hex. */
export function leafHashHex(text: string, sha256: Sha256): string {
  return toHex(leafHash(text, sha256));
}

/** Hashes an event and returns it with its canonical line (no newline) and its hash bytes. */
export function sealEvent(e: Omit<AuditEvent, 'hash'>, sha256: Sha256): { event: AuditEvent; line: string; hashBytes: Uint8Array } {
  const [a, b] = halves(e);
  const hashBytes = leafHash(`{${a},${b}}`, sha256);
  const hash = flatten(toHex(hashBytes));
  const line = flatten(`{${a},"hash":"${hash}",${b}}`);
  return { event: { ...e, hash } as AuditEvent, line, hashBytes };
}

/**
 * Makes the engine store a string built by concatenation as one flat run
 * of characters, in place: kept as built, a line is a tree of its pieces,
 * several times its size (a hex digest built digit by digit: 32 pieces)
 * — which the memory store keeps by the million. Reading a character
 * flattens it (V8); the character is discarded.
 */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** The canonical line of a stored event. */
export function eventLine(e: AuditEvent): string {
  const [a, b] = halves(e);
  return `{${a},"hash":"${e.hash}",${b}}`;
}
