import { sha256 as pureSha256 } from '@noble/hashes/sha2.js';
import { builtinSha256, bytesEqual } from '@s3404/core';
import { bytesToHex } from '@noble/hashes/utils.js';

/** The runtime's native SHA-256 where it has one, else the pure one: the same digests (issue 19). */
const sha256 = builtinSha256() ?? pureSha256;

/**
 * A bounded least-recently-used table of what a pure function of a PDF's
 * exact bytes gave (issue 19): a PDF checked by `verifyBordereauPdf`, then
 * read by `readSignatureSlots`, then signed by `placeSignature` is parsed
 * once, not three times, and rendered again once per bordereau, not once per
 * signature. An entry keeps a copy of its bytes and is used only when the
 * bytes asked about are equal to it, byte for byte (and the `tag` too): a
 * byte that differs is a miss, so a result never outlives its input. The
 * lookup key is a cheap fingerprint (length and a sample of the bytes),
 * never trusted on its own.
 */
export class BytesMemo<V> {
  readonly #capacity: number;
  readonly #map = new Map<string, { readonly bytes: Uint8Array; readonly tag: string; readonly value: V }>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(bytes: Uint8Array, tag = ''): V | undefined {
    const key = fingerprint(bytes);
    const e = this.#map.get(key);
    if (e === undefined || e.tag !== tag || !bytesEqual(e.bytes, bytes)) return undefined;
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.value;
  }

  set(bytes: Uint8Array, value: V, tag = ''): void {
    const key = fingerprint(bytes);
    this.#map.delete(key);
    this.#map.set(key, { bytes: bytes.slice(), tag, value });
    if (this.#map.size > this.#capacity) this.#map.delete(this.#map.keys().next().value!);
  }
}

/** Length, then FNV-1a over every 97th byte and the last 4 KiB in full (where incremental updates land). */
function fingerprint(b: Uint8Array): string {
  let h = 0x811c9dc5;
  const tail = Math.max(0, b.length - 4096);
  for (let i = 0; i < tail; i += 97) h = Math.imul(h ^ b[i]!, 0x01000193);
  for (let i = tail; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return `${b.length}:${(h >>> 0).toString(16)}`;
}

/**
 * The same table for many entries and few bytes each: an entry keeps the
 * SHA-256 of its bytes (and the `tag`), not a copy — a day of ten thousand
 * bordereaux fits in a megabyte. For results that cost far more than
 * hashing the bytes (rendering a bordereau again).
 */
export class DigestMemo<V> {
  readonly #capacity: number;
  readonly #map = new Map<string, V>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  static key(bytes: Uint8Array, tag: string): string {
    return `${bytesToHex(sha256(bytes))}:${tag}`;
  }

  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, v);
    return v;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#capacity) this.#map.delete(this.#map.keys().next().value!);
  }
}
