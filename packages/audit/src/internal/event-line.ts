import { AUDIT_ACTIONS, AUDIT_ROLES, type AuditEvent } from '../event-schema.js';
import { toHex, type Sha256 } from '@s3404/core';

/**
 * RFC 8785 canonical JSON of an event, written with the keys of the fixed
 * schema in sorted order (UTF-16 order, as JCS wants). Strings and safe
 * integers serialise as `JSON.stringify` does, which is what JCS specifies.
 * A test checks it against the general canonicaliser of @s3404/core.
 */
const CHECKPOINT = ['body', 'signature', 'timestamp'] as const;

/**
 * Strings that `JSON.stringify` writes as they are, between quotes: no
 * quote, backslash or control character, and no surrogate (a lone one is
 * escaped; a pair is not, but is left to `JSON.stringify` rather than
 * checked here).
 */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** `JSON.stringify(v)` of a string, without its call for the common plain one (issue 19: a dozen per event). */
function quote(v: string): string {
  return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
}

/** `JSON.stringify(v)`, fast for strings. */
function json(v: unknown): string {
  return typeof v === 'string' ? quote(v) : JSON.stringify(v);
}

/** The closed vocabularies (actions, roles, outcomes), quoted once: their `JSON.stringify`, not rebuilt for every event. */
const QUOTED: ReadonlyMap<string, string> = new Map([...AUDIT_ACTIONS, ...AUDIT_ROLES, 'success', 'refused', 'failure'].map((v) => [v, JSON.stringify(v)]));

/** `json(v)` of a member whose value is usually one of {@link QUOTED}. */
function word(v: unknown): string {
  return (typeof v === 'string' ? QUOTED.get(v) : undefined) ?? json(v);
}

/** Appends the member `"k":v` to the members `out` (nothing when `v` is undefined). */
function member(out: string, k: string, v: unknown, format: (v: unknown) => string = json): string {
  if (v === undefined) return out;
  return out === '' ? `"${k}":${format(v)}` : `${out},"${k}":${format(v)}`;
}

function object(value: Record<string, unknown>, keys: readonly string[]): string {
  let out = '';
  for (const k of keys) out = member(out, k, value[k]);
  return `{${out}}`;
}

/** The subject, its keys written out in sorted order (read by name: one shape per call site, not a loop over 11 keys). */
function subject(s: AuditEvent['subject']): string {
  let m = member('', 'bordereauId', s.bordereauId);
  m = member(m, 'contextNonce', s.contextNonce);
  m = member(m, 'day', s.day);
  m = member(m, 'exportId', s.exportId);
  m = member(m, 'finess', s.finess);
  m = member(m, 'firstSeq', s.firstSeq);
  m = member(m, 'invoiceNumber', s.invoiceNumber);
  m = member(m, 'lastSeq', s.lastSeq);
  m = member(m, 'line', s.line);
  m = member(m, 'lotId', s.lotId);
  m = member(m, 'recordId', s.recordId);
  return `{${m}}`;
}

/** The members before `hash` (action … count) and after it (id … v). */
function halves(e: Omit<AuditEvent, 'hash'>): [string, string] {
  const actor = e.actor;
  let a = `"action":${word(e.action)},"actor":{${member(member(member('', 'personId', actor.personId), 'role', actor.role, word), 'terminalId', actor.terminalId)}}`;
  if (e.checkpoint !== undefined) a += `,"checkpoint":${object(e.checkpoint, CHECKPOINT)}`;
  if (e.code !== undefined) a += `,"code":${json(e.code)}`;
  if (e.count !== undefined) a += `,"count":${e.count}`;
  let b = `"id":${json(e.id)},"outcome":${word(e.outcome)},"prev":"${e.prev}"`;
  if (e.reason !== undefined) b += `,"reason":${json(e.reason)}`;
  b += `,"seq":${e.seq},"subject":${subject(e.subject)},"time":"${e.time}","v":${e.v}`;
  return [a, b];
}

const encoder = new TextEncoder();

/** The canonical JSON of an event without its `hash` (what is hashed). */
export function unhashedJson(e: Omit<AuditEvent, 'hash'>): string {
  const [a, b] = halves(e);
  return `{${a},${b}}`;
}

/** Where texts are encoded before they are hashed, reused (a `Sha256` reads its input and keeps nothing of it). */
let scratch = new Uint8Array(8192);

function room(chars: number): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (scratch.length < chars * 3 + 4) scratch = new Uint8Array(chars * 3 + 4);
  return scratch;
}

/** `SHA-256(0x00 ‖ UTF-8(text))`: an RFC 9162 leaf hash. */
export function leafHash(text: string, sha256: Sha256): Uint8Array {
  const buf = room(text.length);
  buf[0] = 0;
  const { written } = encoder.encodeInto(text, buf.subarray(1));
  return sha256(buf.subarray(0, written + 1));
}

/** The same, hex. */
export function leafHashHex(text: string, sha256: Sha256): string {
  return toHex(leafHash(text, sha256));
}

/** An event sealed by {@link sealEvent}: its canonical line (no newline) and the bytes of its hash. */
export interface SealedEvent {
  readonly event: AuditEvent;
  readonly line: string;
  readonly hashBytes: Uint8Array;
}

/**
 * Hashes an event and returns it with its canonical line (no newline) and
 * its hash bytes. `e` is the event being built, its `hash` left empty:
 * it is filled in, in place (no copy of the event). The hashed text
 * `{a,b}` is encoded, after `0x00`, into a reused buffer in one call (which
 * leaves it flat), and the line `{a,"hash":…,b}` is built from its two
 * slices around the hash once, flat (issue 19: one encoding per event).
 */
export function sealEvent(e: AuditEvent, sha256: Sha256): SealedEvent {
  const [a, b] = halves(e);
  const text = `{${a},${b}}`;
  const buf = room(text.length);
  buf[0] = 0;
  const input = buf.subarray(0, encoder.encodeInto(text, buf.subarray(1)).written + 1);
  let hash: string;
  let hashBytes: Uint8Array;
  if (sha256.hex === undefined) {
    hashBytes = sha256(input);
    hash = hexDigest(hashBytes);
  } else {
    // The native hex, its bytes decoded for the Merkle tree (issue 19: no bytes → hex round trip).
    hash = sha256.hex(input);
    hashBytes = digestBytes(hash);
  }
  e.hash = hash;
  // `{a,` then the hash member, then `b}`: the same line as `{${a},"hash":"${hash}",${b}}`.
  const cut = a.length + 2;
  return { event: e, line: flatten(`${text.slice(0, cut)}"hash":"${hash}",${text.slice(cut)}`), hashBytes };
}

/**
 * Makes the engine store a string built by concatenation as one flat run
 * of characters, in place (a store may keep it: as built, it is a tree of
 * its pieces). Reading a character flattens it (V8); the character is
 * discarded.
 */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** The char codes of a digest's hex digits, reused. */
const digits: number[] = new Array(64).fill(0);
const HEX_DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * `toHex` of a 32-byte digest as one flat string in one allocation (`toHex`
 * appends digit pairs: 32 intermediate strings per event).
 */
function hexDigest(bytes: Uint8Array): string {
  if (bytes.length !== 32) return toHex(bytes);
  for (let i = 0; i < 32; i++) {
    const b = bytes[i]!;
    digits[2 * i] = HEX_DIGIT[b >> 4]!;
    digits[2 * i + 1] = HEX_DIGIT[b & 15]!;
  }
  return String.fromCharCode.apply(null, digits);
}

/** Value of each ASCII code as a hex digit (lowercase, as a `Sha256`'s `hex` writes them). */
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE[HEX_DIGIT[i]!] = i;

/**
 * The 32 bytes of a digest written as 64 lowercase hex digits by a
 * `Sha256`'s `hex` (trusted as the digest itself is: not checked).
 */
function digestBytes(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (NIBBLE[hex.charCodeAt(2 * i)]! << 4) | NIBBLE[hex.charCodeAt(2 * i + 1)]!;
  return out;
}

/** The canonical line of a stored event. */
export function eventLine(e: AuditEvent): string {
  const [a, b] = halves(e);
  return `{${a},"hash":"${e.hash}",${b}}`;
}
