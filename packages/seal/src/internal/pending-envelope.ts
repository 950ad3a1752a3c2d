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
 * AES-256-GCM as the envelope uses it: `seal` returns ciphertext ‖ tag,
 * `open` the plaintext or `null` when the tag does not verify.
 */
export interface Aead {
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array | null>;
}

/** AES-256-GCM through Web Crypto (X-1: browsers, Deno, Bun, Node). */
export function webAead(crypto: PendingCipherCrypto): Aead {
  return {
    async seal(key, nonce, aad, plaintext) {
      const k = await importKey(crypto, key);
      return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: buffer(nonce), additionalData: buffer(aad) }, k as never, buffer(plaintext)));
    },
    async open(key, nonce, aad, sealed) {
      const k = await importKey(crypto, key);
      try {
        return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buffer(nonce), additionalData: buffer(aad) }, k as never, buffer(sealed)));
      } catch {
        return null;
      }
    },
  };
}

/** The part of `node:crypto` the fast path uses. */
interface NodeGcm {
  createCipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): { setAAD(aad: Uint8Array): unknown; update(data: Uint8Array): Uint8Array; final(): Uint8Array; getAuthTag(): Uint8Array };
  createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): { setAAD(aad: Uint8Array): unknown; setAuthTag(tag: Uint8Array): unknown; update(data: Uint8Array): Uint8Array; final(): Uint8Array };
}

/**
 * The same AES-256-GCM through the runtime's native `node:crypto` when it
 * has one (Node, and Bun and Deno's Node layer), found without an import so
 * that browser bundles stay free of Node built-ins: about eight times
 * cheaper per record than Web Crypto's promise and key import (see
 * `docs/benchmarks.md`). The envelope is the same bytes either way.
 */
export function nativeAead(): Aead | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  let node: NodeGcm | undefined;
  try {
    node = proc.getBuiltinModule('node:crypto') as NodeGcm | undefined;
  } catch {
    return undefined;
  }
  if (node === undefined || typeof node.createCipheriv !== 'function') return undefined;
  const gcm = node;
  return {
    async seal(key, nonce, aad, plaintext) {
      const c = gcm.createCipheriv('aes-256-gcm', key, nonce);
      c.setAAD(aad);
      const body = c.update(plaintext);
      const last = c.final();
      const out = concatBytes(body, last, c.getAuthTag());
      body.fill(0);
      return out;
    },
    async open(key, nonce, aad, sealed) {
      if (sealed.length < TAG_BYTES) return null;
      const d = gcm.createDecipheriv('aes-256-gcm', key, nonce);
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      // `update` gives the plaintext before the tag is checked: wiped unless `final` accepts it.
      const body = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      try {
        const last = d.final();
        if (last.length === 0) return Uint8Array.from(body);
        return concatBytes(body, last);
      } catch {
        return null;
      } finally {
        body.fill(0);
      }
    },
  };
}

/**
 * The cipher of pending records: the caller's Web Crypto when given
 * (tests, determinism), else the runtime's native AES-GCM, else the
 * platform's Web Crypto.
 */
export function resolveAead(provided: PendingCipherCrypto | undefined): Aead | undefined {
  if (provided !== undefined) return webAead(provided);
  const native = nativeAead();
  if (native !== undefined) return native;
  const web = (globalThis as { crypto?: PendingCipherCrypto }).crypto;
  return web === undefined || typeof web.subtle !== 'object' || web.subtle === null ? undefined : webAead(web);
}

/**
 * Encrypts a sealed record for the pending store (SIG-6): the layout is
 * `S3PE | 1 | target length (2 bytes, big-endian) | target (UTF-8) | nonce (12) | ciphertext and tag`.
 * The associated data is the header and the record id, so a ciphertext
 * moved to another record id or edited to another target does not open.
 */
export async function sealEnvelope(
  aead: Aead,
  options: { readonly key: Uint8Array; readonly nonce: Uint8Array; readonly recordId: string; readonly target: string; readonly plaintext: Uint8Array },
): Promise<Uint8Array> {
  const target = utf8.encode(options.target);
  if (target.length > MAX_TARGET_BYTES) throw new TypeError('pending envelope: target too long');
  const header = concatBytes(MAGIC, Uint8Array.of(VERSION, target.length >> 8, target.length & 0xff), target);
  const sealed = await aead.seal(options.key, options.nonce, associatedData(header, options.recordId), options.plaintext);
  return concatBytes(header, options.nonce, sealed);
}

/** Decrypts a pending envelope (SIG-6); nothing is returned unless the tag verifies. */
export async function openEnvelope(
  aead: Aead,
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
  const plain = await aead.open(
    options.key,
    e.slice(headerLength, headerLength + NONCE_BYTES),
    associatedData(header, options.recordId),
    e.slice(headerLength + NONCE_BYTES),
  );
  return plain === null ? 'mismatch' : { plaintext: plain, target };
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
