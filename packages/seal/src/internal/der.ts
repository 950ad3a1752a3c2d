/**
 * A small, strict DER codec (X.690 §10) for the few structures the seal needs:
 * CMS SignedData (RFC 5652), X.509 certificates (RFC 5280) and PKCS#8.
 *
 * Reading is bounded: definite minimal lengths only, single-byte tags only,
 * every length checked against its parent, a nesting limit. Anything else is
 * a {@link DerError}, which the public API turns into a coded error.
 */

/** Universal and context tags used by the structures we read and write. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  CTX0: 0xa0,
  CTX1: 0xa1,
  CTX2: 0xa2,
  CTX3: 0xa3,
  CTX0_PRIMITIVE: 0x80,
} as const;

/** Malformed DER; `reason` is for debugging only and never shown to users. */
export class DerError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DerError';
  }
}

/** One TLV: offsets into the buffer it was read from. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just after the content. */
  readonly end: number;
}

/** Reads one TLV at `pos`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError('truncated header');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  const lengthByte = buf[pos + 1]!;
  let cursor = pos + 2;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else {
    const count = lengthByte & 0x7f;
    if (count === 0) throw new DerError('indefinite length');
    if (count > 4) throw new DerError('length too large');
    if (cursor + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[cursor + i]!;
    if (buf[cursor] === 0 || length < 0x80 || (count > 1 && length < 256 ** (count - 1))) {
      throw new DerError('non-minimal length');
    }
    cursor += count;
  }
  const end = cursor + length;
  if (end > limit) throw new DerError('content overruns its parent');
  return { tag, start: pos, contentStart: cursor, end };
}

/** Reads the single TLV that must fill `buf` exactly (no trailing bytes). */
export function readRoot(buf: Uint8Array): Tlv {
  const tlv = readTlv(buf, 0, buf.length);
  if (tlv.end !== buf.length) throw new DerError('trailing bytes');
  return tlv;
}

const MAX_CHILDREN = 4096;

/** The children of a constructed TLV, which must fill it exactly. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('primitive where constructed expected');
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const child = readTlv(buf, pos, parent.end);
    out.push(child);
    if (out.length > MAX_CHILDREN) throw new DerError('too many elements');
    pos = child.end;
  }
  return out;
}

/** Checks a TLV's tag. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined) throw new DerError(`missing ${what}`);
  if (tlv.tag !== tag) throw new DerError(`unexpected tag for ${what}`);
  return tlv;
}

/** The content bytes of a TLV (a view, not a copy). */
export function content(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.contentStart, tlv.end);
}

/** The whole encoding of a TLV (a view, not a copy). */
export function whole(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.start, tlv.end);
}

/** Decodes an OBJECT IDENTIFIER to its dotted form. */
export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0 || bytes.length > 64) throw new DerError('bad OID length');
  const arcs: number[] = [];
  let value = 0;
  let fresh = true;
  for (const byte of bytes) {
    if (fresh && byte === 0x80) throw new DerError('non-minimal OID arc');
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    fresh = (byte & 0x80) === 0;
    if (fresh) {
      arcs.push(value);
      value = 0;
    }
  }
  if (!fresh) throw new DerError('truncated OID');
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** Reads an OID TLV. */
export function readOid(buf: Uint8Array, tlv: Tlv | undefined, what: string): string {
  return decodeOid(content(buf, expectTag(tlv, TAG.OID, what)));
}

/** Reads a small non-negative INTEGER (versions, counts). */
export function readSmallInt(buf: Uint8Array, tlv: Tlv | undefined, what: string): number {
  const bytes = integerBytes(buf, tlv, what);
  if (bytes.length > 4 || (bytes[0]! & 0x80) !== 0) throw new DerError(`${what} out of range`);
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** The content of an INTEGER, checked for minimal encoding. */
export function integerBytes(buf: Uint8Array, tlv: Tlv | undefined, what: string): Uint8Array {
  const bytes = content(buf, expectTag(tlv, TAG.INTEGER, what));
  if (bytes.length === 0) throw new DerError(`empty ${what}`);
  if (bytes.length > 1 && ((bytes[0] === 0 && (bytes[1]! & 0x80) === 0) || (bytes[0] === 0xff && (bytes[1]! & 0x80) !== 0))) {
    throw new DerError(`non-minimal ${what}`);
  }
  return bytes;
}

/** The content of an OCTET STRING (primitive, as DER requires). */
export function octetString(buf: Uint8Array, tlv: Tlv | undefined, what: string): Uint8Array {
  return content(buf, expectTag(tlv, TAG.OCTET_STRING, what));
}

/** Reads a BOOLEAN (DER: 0x00 or 0xFF). */
export function readBoolean(buf: Uint8Array, tlv: Tlv, what: string): boolean {
  const bytes = content(buf, expectTag(tlv, TAG.BOOLEAN, what));
  if (bytes.length !== 1 || (bytes[0] !== 0 && bytes[0] !== 0xff)) throw new DerError(`bad ${what}`);
  return bytes[0] === 0xff;
}

/** The bits of a BIT STRING with no unused bits (keys, signatures). */
export function bitStringBytes(buf: Uint8Array, tlv: Tlv | undefined, what: string): Uint8Array {
  const bytes = content(buf, expectTag(tlv, TAG.BIT_STRING, what));
  if (bytes.length === 0 || bytes[0] !== 0) throw new DerError(`bad ${what}`);
  return bytes.subarray(1);
}

/** Reads a named-bit BIT STRING (key usage) as a bit mask, bit 0 = 1. */
export function readNamedBits(buf: Uint8Array, tlv: Tlv, what: string): number {
  const bytes = content(buf, expectTag(tlv, TAG.BIT_STRING, what));
  if (bytes.length === 0 || bytes[0]! > 7 || (bytes.length === 1 && bytes[0] !== 0)) throw new DerError(`bad ${what}`);
  let mask = 0;
  for (let i = 1; i < bytes.length && i <= 3; i++) {
    for (let bit = 0; bit < 8; bit++) if ((bytes[i]! & (0x80 >> bit)) !== 0) mask |= 1 << ((i - 1) * 8 + bit);
  }
  return mask;
}

const TIME_RE = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** Reads a UTCTime or GeneralizedTime in DER form (seconds, `Z`). */
export function readTime(buf: Uint8Array, tlv: Tlv | undefined, what: string): Date {
  if (tlv === undefined || (tlv.tag !== TAG.UTC_TIME && tlv.tag !== TAG.GENERALIZED_TIME)) {
    throw new DerError(`missing ${what}`);
  }
  const bytes = content(buf, tlv);
  if (bytes.length > 15) throw new DerError(`bad ${what}`);
  const text = String.fromCharCode(...bytes);
  const m = TIME_RE.exec(text);
  if (m === null || (tlv.tag === TAG.UTC_TIME) !== (m[1]!.length === 2)) throw new DerError(`bad ${what}`);
  let year = Number(m[1]);
  if (tlv.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`bad ${what}`);
  }
  return d;
}

/** Decodes the directory string types found in names. */
export function readString(buf: Uint8Array, tlv: Tlv): string | undefined {
  const bytes = content(buf, tlv);
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.T61_STRING:
      return String.fromCharCode(...bytes);
    case TAG.BMP_STRING: {
      let s = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return s;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- writing

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Encodes one TLV from its content parts. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const header = lengthBytes(size);
  const out = new Uint8Array(1 + header.length + size);
  out[0] = tag;
  out.set(header, 1);
  let pos = 1 + header.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** A SEQUENCE of already encoded elements. */
export const sequence = (...parts: readonly Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...parts);

/** Compares two encodings as unsigned byte strings (DER SET OF order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A SET OF, sorted as DER requires (X.690 §11.6). */
export function setOf(tag: number, elements: readonly Uint8Array[]): Uint8Array {
  return tlv(tag, ...[...elements].sort(compareBytes));
}

/** Encodes a dotted OID. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (value: number): void => {
    const group: number[] = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    body.push(...group);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.OID, Uint8Array.from(body));
}

/** Encodes a non-negative integer given as minimal big-endian magnitude bytes. */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return (trimmed[0]! & 0x80) !== 0 ? tlv(TAG.INTEGER, Uint8Array.of(0), trimmed) : tlv(TAG.INTEGER, trimmed);
}

/** Encodes a small non-negative integer. */
export function smallInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return unsignedInteger(Uint8Array.from(bytes.length === 0 ? [0] : bytes));
}

/** The DER NULL. */
export const NULL_BYTES = Uint8Array.of(TAG.NULL, 0);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** UTCTime before 2050, GeneralizedTime after (RFC 5652 §11.3). Seconds precision. */
export function time(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  const utc = y >= 1950 && y < 2050;
  const text = utc ? `${pad(y % 100)}${rest}` : `${pad(y, 4)}${rest}`;
  return tlv(utc ? TAG.UTC_TIME : TAG.GENERALIZED_TIME, new TextEncoder().encode(text));
}
