/**
 * The DER of the RFC 3161 structures (Time-Stamp Protocol), written and read
 * with the seal's strict DER codec. Not exported from the package: the public
 * operations of `src/timestamp/` use it. Every reader throws {@link DerError}
 * on bytes that are not the structure it reads.
 */
import { readAlgorithmId, type AlgorithmId } from '../internal/algorithms.js';
import {
  DerError,
  TAG,
  children,
  content,
  expectTag,
  integerBytes,
  octetString,
  oid,
  readBoolean,
  readOid,
  readRoot,
  readSmallInt,
  readString,
  sequence,
  smallInteger,
  tlv,
  unsignedInteger,
  whole,
  type Tlv,
} from '../internal/der.js';

/** PKIStatus (RFC 3161 §2.4.2), by value. */
export const PKI_STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'] as const;

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
export const FAILURE_INFO = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25,
} as const;
export type FailureInfo = keyof typeof FAILURE_INFO;

const MAX_NONCE_BYTES = 32;
const MAX_FREE_TEXT = 8;

/** A MessageImprint (RFC 3161 §2.4.1). */
export interface MessageImprint {
  readonly hashAlgorithm: AlgorithmId;
  readonly hashedMessage: Uint8Array;
}

/** A parsed TimeStampReq (RFC 3161 §2.4.1). */
export interface TimeStampRequest {
  readonly imprint: MessageImprint;
  /** The messageImprint's encoding, which the TSTInfo repeats (RFC 3161 §2.4.2). */
  readonly imprintDer: Uint8Array;
  readonly policy: string | undefined;
  /** INTEGER content bytes of the nonce (minimal DER), as the reply must echo them. */
  readonly nonce: Uint8Array | undefined;
  readonly certReq: boolean;
  readonly hasExtensions: boolean;
}

/** A parsed TimeStampResp (RFC 3161 §2.4.2). */
export interface TimeStampResponse {
  readonly status: number;
  readonly statusText: readonly string[];
  readonly failInfo: readonly string[];
  /** The TimeStampToken (a view into the response), when there is one. */
  readonly token: Uint8Array | undefined;
}

/** A parsed TSTInfo (RFC 3161 §2.4.2). */
export interface TstInfo {
  readonly policy: string;
  readonly imprint: MessageImprint;
  /** INTEGER content bytes of the serial number. */
  readonly serialNumber: Uint8Array;
  readonly genTime: Date;
  readonly accuracyMs: number | undefined;
  readonly nonce: Uint8Array | undefined;
}

// ---------------------------------------------------------------- writing

/** MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }. */
export function encodeMessageImprint(hashAlgorithm: Uint8Array, hashedMessage: Uint8Array): Uint8Array {
  return sequence(hashAlgorithm, tlv(TAG.OCTET_STRING, hashedMessage));
}

/** TimeStampReq (RFC 3161 §2.4.1): v1, imprint, nonce (unsigned magnitude), certReq (DEFAULT FALSE: omitted when false). */
export function encodeRequest(imprint: Uint8Array, nonce: Uint8Array | undefined, certReq: boolean): Uint8Array {
  return sequence(
    smallInteger(1),
    imprint,
    nonce === undefined ? new Uint8Array(0) : unsignedInteger(nonce),
    certReq ? Uint8Array.of(TAG.BOOLEAN, 1, 0xff) : new Uint8Array(0),
  );
}

/** A named-bit BIT STRING in DER: trailing zero bits removed (X.690 §11.2.2). */
function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return tlv(TAG.BIT_STRING, Uint8Array.of(0));
  const max = Math.max(...bits);
  const body = new Uint8Array(Math.floor(max / 8) + 2);
  body[0] = 7 - (max % 8);
  for (const b of bits) body[1 + Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  return tlv(TAG.BIT_STRING, body);
}

/** TimeStampResp (RFC 3161 §2.4.2): PKIStatusInfo, then the token when granted. */
export function encodeResponse(status: number, failInfo: readonly FailureInfo[], statusText: string | undefined, token: Uint8Array | undefined): Uint8Array {
  const statusInfo = sequence(
    smallInteger(status),
    statusText === undefined ? new Uint8Array(0) : sequence(tlv(TAG.UTF8_STRING, new TextEncoder().encode(statusText))),
    failInfo.length === 0 ? new Uint8Array(0) : namedBits(failInfo.map((f) => FAILURE_INFO[f])),
  );
  return sequence(statusInfo, token ?? new Uint8Array(0));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** GeneralizedTime in DER (X.690 §11.7): `Z`, a fraction only when non-zero, without trailing zeros. */
export function generalizedTime(date: Date): Uint8Array {
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3).replace(/0+$/, '')}`;
  const text = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${fraction}Z`;
  return tlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(text));
}

/** TSTInfo (RFC 3161 §2.4.2): v1, policy, imprint, serial, genTime, nonce; no accuracy, ordering, tsa or extensions. */
export function encodeTstInfo(fields: {
  readonly policy: string;
  readonly imprint: Uint8Array;
  readonly serialNumber: Uint8Array;
  readonly genTime: Date;
  readonly nonce: Uint8Array | undefined;
}): Uint8Array {
  return sequence(
    smallInteger(1),
    oid(fields.policy),
    fields.imprint,
    unsignedInteger(fields.serialNumber),
    generalizedTime(fields.genTime),
    fields.nonce === undefined ? new Uint8Array(0) : tlv(TAG.INTEGER, fields.nonce),
  );
}

// ---------------------------------------------------------------- reading

function readImprint(buf: Uint8Array, node: Tlv | undefined): MessageImprint {
  const [alg, hashed, extra] = children(buf, expectTag(node, TAG.SEQUENCE, 'messageImprint'));
  if (extra !== undefined) throw new DerError('messageImprint fields');
  return { hashAlgorithm: readAlgorithmId(buf, alg, 'hashAlgorithm'), hashedMessage: octetString(buf, hashed, 'hashedMessage') };
}

function readNonce(buf: Uint8Array, node: Tlv): Uint8Array {
  const bytes = integerBytes(buf, node, 'nonce');
  if (bytes.length > MAX_NONCE_BYTES + 1) throw new DerError('nonce too long');
  return bytes;
}

/** Parses a DER TimeStampReq. */
export function parseRequest(buf: Uint8Array): TimeStampRequest {
  const root = readRoot(buf);
  const fields = children(buf, expectTag(root, TAG.SEQUENCE, 'TimeStampReq'));
  let i = 0;
  if (readSmallInt(buf, fields[i++], 'version') !== 1) throw new DerError('TimeStampReq version');
  const imprintNode = fields[i++];
  const imprint = readImprint(buf, imprintNode);
  const imprintDer = Uint8Array.from(whole(buf, imprintNode!));
  let policy: string | undefined;
  let nonce: Uint8Array | undefined;
  let certReq = false;
  let hasExtensions = false;
  if (fields[i]?.tag === TAG.OID) policy = readOid(buf, fields[i++], 'reqPolicy');
  if (fields[i]?.tag === TAG.INTEGER) nonce = readNonce(buf, fields[i++]!);
  if (fields[i]?.tag === TAG.BOOLEAN) certReq = readBoolean(buf, fields[i++]!, 'certReq');
  if (fields[i]?.tag === TAG.CTX0) {
    children(buf, fields[i++]!);
    hasExtensions = true;
  }
  if (i !== fields.length) throw new DerError('TimeStampReq fields');
  return { imprint, imprintDer, policy, nonce, certReq, hasExtensions };
}

/** Reads a PKIFailureInfo BIT STRING as the names of its set bits (unknown bits as `bit N`). */
function readFailInfo(buf: Uint8Array, node: Tlv): string[] {
  const bytes = content(buf, node);
  if (bytes.length === 0 || bytes.length > 8 || bytes[0]! > 7) throw new DerError('failInfo');
  const names: string[] = [];
  const byBit = new Map<number, string>(Object.entries(FAILURE_INFO).map(([name, bit]) => [bit, name]));
  for (let i = 1; i < bytes.length; i++) {
    for (let b = 0; b < 8; b++) {
      if ((bytes[i]! & (0x80 >> b)) === 0) continue;
      const bit = (i - 1) * 8 + b;
      names.push(byBit.get(bit) ?? `bit ${bit}`);
    }
  }
  return names;
}

/** Parses a DER TimeStampResp. */
export function parseResponse(buf: Uint8Array): TimeStampResponse {
  const root = readRoot(buf);
  const [statusNode, tokenNode, extra] = children(buf, expectTag(root, TAG.SEQUENCE, 'TimeStampResp'));
  if (extra !== undefined) throw new DerError('TimeStampResp fields');
  const info = children(buf, expectTag(statusNode, TAG.SEQUENCE, 'PKIStatusInfo'));
  let i = 0;
  const status = readSmallInt(buf, info[i++], 'status');
  const statusText: string[] = [];
  let failInfo: string[] = [];
  if (info[i]?.tag === TAG.SEQUENCE) {
    for (const text of children(buf, info[i++]!)) {
      if (text.tag !== TAG.UTF8_STRING) throw new DerError('PKIFreeText');
      if (statusText.length < MAX_FREE_TEXT) statusText.push(readString(buf, text) ?? '');
    }
  }
  if (info[i]?.tag === TAG.BIT_STRING) failInfo = readFailInfo(buf, info[i++]!);
  if (i !== info.length) throw new DerError('PKIStatusInfo fields');
  const token = tokenNode === undefined ? undefined : whole(buf, expectTag(tokenNode, TAG.SEQUENCE, 'TimeStampToken'));
  return { status, statusText, failInfo, token };
}

const GENERALIZED_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{0,8}[1-9]))?Z$/;

/** Reads a DER GeneralizedTime (X.690 §11.7), fraction of a second to the millisecond (rounded down). */
export function readGeneralizedTime(buf: Uint8Array, node: Tlv | undefined, what: string): Date {
  const bytes = content(buf, expectTag(node, TAG.GENERALIZED_TIME, what));
  if (bytes.length > 24) throw new DerError(`bad ${what}`);
  const m = GENERALIZED_RE.exec(String.fromCharCode(...bytes));
  if (m === null) throw new DerError(`bad ${what}`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`bad ${what}`);
  }
  return d;
}

/** An unsigned INTEGER's value from its content bytes (small values only). */
function smallUnsigned(bytes: Uint8Array, what: string): number {
  if (bytes.length === 0 || bytes.length > 4 || (bytes[0]! & 0x80) !== 0 || (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0)) {
    throw new DerError(`bad ${what}`);
  }
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL, micros [1] INTEGER (1..999) OPTIONAL }, as milliseconds. */
function readAccuracy(buf: Uint8Array, node: Tlv): number {
  let ms = 0;
  let j = 0;
  const parts = children(buf, node);
  if (parts[j]?.tag === TAG.INTEGER) ms += smallUnsigned(content(buf, parts[j++]!), 'accuracy seconds') * 1000;
  for (const [tag, scale] of [
    [0x80, 1],
    [0x81, 0.001],
  ] as const) {
    if (parts[j]?.tag !== tag) continue;
    const v = smallUnsigned(content(buf, parts[j++]!), 'accuracy');
    if (v < 1 || v > 999) throw new DerError('accuracy out of range');
    ms += v * scale;
  }
  if (j !== parts.length) throw new DerError('accuracy fields');
  return Math.round(ms * 1000) / 1000;
}

/** Parses the DER of a TSTInfo (the eContent of a TimeStampToken). Critical extensions are refused. */
export function parseTstInfo(buf: Uint8Array): TstInfo {
  const root = readRoot(buf);
  const fields = children(buf, expectTag(root, TAG.SEQUENCE, 'TSTInfo'));
  let i = 0;
  if (readSmallInt(buf, fields[i++], 'TSTInfo version') !== 1) throw new DerError('TSTInfo version');
  const policy = readOid(buf, fields[i++], 'policy');
  const imprint = readImprint(buf, fields[i++]);
  const serialNumber = integerBytes(buf, fields[i++], 'serialNumber');
  if (serialNumber.length > 21) throw new DerError('serialNumber too long');
  const genTime = readGeneralizedTime(buf, fields[i++], 'genTime');
  let accuracyMs: number | undefined;
  let nonce: Uint8Array | undefined;
  if (fields[i]?.tag === TAG.SEQUENCE) accuracyMs = readAccuracy(buf, fields[i++]!);
  if (fields[i]?.tag === TAG.BOOLEAN) readBoolean(buf, fields[i++]!, 'ordering');
  if (fields[i]?.tag === TAG.INTEGER) nonce = readNonce(buf, fields[i++]!);
  if (fields[i]?.tag === TAG.CTX0) {
    // tsa [0] GeneralName: explicit (a CHOICE), one element.
    if (children(buf, fields[i++]!).length !== 1) throw new DerError('tsa');
  }
  if (fields[i]?.tag === TAG.CTX1) {
    for (const ext of children(buf, fields[i++]!)) {
      const parts = children(buf, expectTag(ext, TAG.SEQUENCE, 'extension'));
      readOid(buf, parts[0], 'extension id');
      if (parts[1]?.tag === TAG.BOOLEAN && readBoolean(buf, parts[1], 'critical')) throw new DerError('critical TSTInfo extension');
    }
  }
  if (i !== fields.length) throw new DerError('TSTInfo fields');
  return { policy, imprint, serialNumber, genTime, accuracyMs, nonce };
}
