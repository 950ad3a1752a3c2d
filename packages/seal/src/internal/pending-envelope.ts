import { bytesEqual, concatBytes } from '@s3404/core';
import { buffer } from './crypto.js';

/**
 * The part of Web Crypto the pending-record cipher uses (SIG-6): AES-256-GCM
 * with a raw key. The platform's `crypto` fits it in Node 20+, browsers, Deno
 * and Bun.
 *
 * `import type { PendingCipherCrypto } from '@s3404/seal'`
 *
 * @public
 */
export interface PendingCipherCrypto {
  readonly subtle: {
    importKey(format: 'raw', keyData: Uint8Array<ArrayBuffer>, algorithm: 'AES-GCM', extractable: false, usages: ('encrypt' | 'decrypt')[]): Promise<unknown>;
    encrypt(
      algorithm: { name: 'AES-GCM'; iv: Uint8Array<ArrayBuffer>; additionalData: Uint8Array<ArrayBuffer> },
      key: never,
      data: Uint8Array<ArrayBuffer>,
    ): Promise<ArrayBuffer>;
    decrypt(
      algorithm: { name: 'AES-GCM'; iv: Uint8Array<ArrayBuffer>; additionalData: Uint8Array<ArrayBuffer> },
      key: never,
      data: Uint8Array<ArrayBuffer>,
    ): Promise<ArrayBuffer>;
  };
}

/** `S3PE`: the first bytes of every pending envelope (a CMS record starts with 0x30). */
const MAGIC = Uint8Array.of(0x53, 0x33, 0x50, 0x45);
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The data key's length, bytes (AES-256). */
export const DATA_KEY_BYTES = 32;
const MAX_TARGET_BYTES = 1024;

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

/**
 * Why an envelope did not open: not an envelope at all (`malformed`), or the
 * key, the record id, the target or the bytes do not match (`mismatch`).
 */
export type OpenFailure = 'malformed' | 'mismatch';

/** An opened envelope: the sealed record's bytes and the target it was deposited for. */
export interface OpenedEnvelope {
  readonly plaintext: Uint8Array;
  readonly target: string;
}

/**
 * Encrypts a sealed record for the pending store (SIG-6): the layout is
 * `S3PE | 1 | target length (2 bytes, big-endian) | target (UTF-8) | nonce (12) | ciphertext and tag`.
 * The associated data is the header and the record id, so a ciphertext
 * moved to another record id or edited to another target does not open.
 */
export async function sealEnvelope(
  crypto: PendingCipherCrypto,
  options: { readonly key: Uint8Array; readonly nonce: Uint8Array; readonly recordId: string; readonly target: string; readonly plaintext: Uint8Array },
): Promise<Uint8Array> {
  const target = utf8.encode(options.target);
  if (target.length > MAX_TARGET_BYTES) throw new TypeError('pending envelope: target too long');
  const header = concatBytes(MAGIC, Uint8Array.of(VERSION, target.length >> 8, target.length & 0xff), target);
  const key = await importKey(crypto, options.key);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buffer(options.nonce), additionalData: buffer(associatedData(header, options.recordId)) },
    key as never,
    buffer(options.plaintext),
  );
  return concatBytes(header, options.nonce, new Uint8Array(sealed));
}

/** Decrypts a pending envelope (SIG-6); nothing is returned unless the tag verifies. */
export async function openEnvelope(
  crypto: PendingCipherCrypto,
  options: { readonly key: Uint8Array; readonly recordId: string; readonly envelope: Uint8Array },
): Promise<OpenedEnvelope | OpenFailure> {
  const e = options.envelope;
  if (e.length < MAGIC.length + 3 || !bytesEqual(e.subarray(0, MAGIC.length), MAGIC) || e[MAGIC.length] !== VERSION) return 'malformed';
  const targetLength = (e[MAGIC.length + 1]! << 8) | e[MAGIC.length + 2]!;
  const headerLength = MAGIC.length + 3 + targetLength;
  if (targetLength > MAX_TARGET_BYTES || e.length < headerLength + NONCE_BYTES + TAG_BYTES) return 'mismatch';
  let target: string;
  try {
    target = text.decode(e.subarray(MAGIC.length + 3, headerLength));
  } catch {
    return 'mismatch';
  }
  if (options.key.length !== DATA_KEY_BYTES) return 'mismatch';
  const header = e.subarray(0, headerLength);
  const key = await importKey(crypto, options.key);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: buffer(e.slice(headerLength, headerLength + NONCE_BYTES)),
        additionalData: buffer(associatedData(header, options.recordId)),
      },
      key as never,
      buffer(e.slice(headerLength + NONCE_BYTES)),
    );
    return { plaintext: new Uint8Array(plain), target };
  } catch {
    return 'mismatch';
  }
}

function associatedData(header: Uint8Array, recordId: string): Uint8Array {
  return concatBytes(header, utf8.encode(`\u0000${recordId}`));
}

async function importKey(crypto: PendingCipherCrypto, key: Uint8Array): Promise<unknown> {
  // The raw key is imported non-extractable: the platform's key object keeps its own copy,
  // released with the object; the caller wipes the bytes it holds.
  const copy = Uint8Array.from(key);
  try {
    return await crypto.subtle.importKey('raw', buffer(copy), 'AES-GCM', false, ['encrypt', 'decrypt']);
  } finally {
    copy.fill(0);
  }
}
