import { bytesEqual, resolveLocale, type Issue, type Locale, type LocalizedText, type Sha256 } from '@s3404/core';
import { AUDIT_ERRORS } from './errors/audit-errors.js';
import { defaultSha256 } from './internal/sha256.js';

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle trees over leaf hashes
 * (AUD-2). A leaf hash is `SHA-256(0x00 ‖ data)` — an event's `hash` is
 * exactly that for its canonical JSON — and an interior node is
 * `SHA-256(0x01 ‖ left ‖ right)`.
 */

const EMPTY = new Uint8Array(0);

/**
 * `SHA-256(0x00 ‖ data)`: the RFC 9162 leaf hash (AUD-2).
 *
 * `import { merkleLeafHash } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * merkleLeafHash(new TextEncoder().encode(line)) // 32 bytes: an event's `hash` is the leaf hash of its canonical JSON without `hash`
 * ```
 *
 * @public
 */
export function merkleLeafHash(data: Uint8Array, sha256: Sha256 = defaultSha256): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return sha256(input);
}

/** The input of an interior node, reused: a `Sha256` reads its input and keeps nothing of it. */
const nodeInput = new Uint8Array(65);

function node(left: Uint8Array, right: Uint8Array, sha256: Sha256): Uint8Array {
  const input = nodeInput;
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 33);
  return sha256(input);
}

/**
 * An RFC 9162 tree built leaf by leaf in O(log n) memory: the roots of its
 * perfect subtrees, largest first (AUD-2). Used by writers and verifiers to
 * compute a checkpoint's root without keeping the period's leaves.
 *
 * `import { MerkleAccumulator } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const acc = new MerkleAccumulator(nodeSha256)
 * for (const e of events) acc.push(fromHex(e.hash)!)
 * toBase64(acc.root()) // the `root` of a checkpoint over these events
 * ```
 *
 * @public
 */
export class MerkleAccumulator {
  #stack: Uint8Array[] = [];
  #sizes: number[] = [];
  #count = 0;
  readonly #sha256: Sha256;

  constructor(sha256: Sha256 = defaultSha256) {
    this.#sha256 = sha256;
  }

  /** Number of leaves added. */
  get size(): number {
    return this.#count;
  }

  /** Adds one leaf hash (32 bytes). */
  push(leafHash: Uint8Array): void {
    let h = leafHash;
    let size = 1;
    while (this.#sizes.length > 0 && this.#sizes[this.#sizes.length - 1] === size) {
      h = node(this.#stack.pop()!, h, this.#sha256);
      this.#sizes.pop();
      size *= 2;
    }
    this.#stack.push(h);
    this.#sizes.push(size);
    this.#count++;
  }

  /** The RFC 9162 root of the leaves added so far (SHA-256 of nothing when empty). */
  root(): Uint8Array {
    if (this.#stack.length === 0) return this.#sha256(EMPTY);
    let acc = this.#stack[this.#stack.length - 1]!;
    for (let i = this.#stack.length - 2; i >= 0; i--) acc = node(this.#stack[i]!, acc, this.#sha256);
    return acc;
  }

  /** A copy that can grow independently. */
  clone(): MerkleAccumulator {
    const c = new MerkleAccumulator(this.#sha256);
    c.#stack = [...this.#stack];
    c.#sizes = [...this.#sizes];
    c.#count = this.#count;
    return c;
  }
}

const largestPowerOfTwoBelow = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * The RFC 9162 root (MTH) of a list of leaf hashes (AUD-2).
 *
 * `import { merkleRoot } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * merkleRoot([]) // SHA-256 of nothing: e3b0c442…
 * merkleRoot(events.map((e) => fromHex(e.hash)!))
 * ```
 *
 * @public
 */
export function merkleRoot(leaves: readonly Uint8Array[], sha256: Sha256 = defaultSha256): Uint8Array {
  const acc = new MerkleAccumulator(sha256);
  for (const leaf of leaves) acc.push(leaf);
  return acc.root();
}

function mth(leaves: readonly Uint8Array[], from: number, to: number, sha256: Sha256): Uint8Array {
  const n = to - from;
  if (n === 0) return sha256(EMPTY);
  if (n === 1) return leaves[from]!;
  const k = largestPowerOfTwoBelow(n);
  return node(mth(leaves, from, from + k, sha256), mth(leaves, from + k, to, sha256), sha256);
}

function checkIndex(value: number, max: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new RangeError(`${name} out of range`);
}

/**
 * The inclusion proof of leaf `index` in the tree of `leaves` (RFC 9162
 * §2.1.3.1), to show one event is in a checkpointed period without
 * disclosing the others (AUD-2).
 *
 * `import { inclusionProof } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const proof = inclusionProof(leaves, 3)
 * verifyInclusion({ leafHash: leaves[3], index: 3, size: leaves.length, proof, root: merkleRoot(leaves) }).ok // true
 * ```
 * @throws RangeError when `index` is not a leaf of the tree (a programming error).
 *
 * @public
 */
export function inclusionProof(leaves: readonly Uint8Array[], index: number, sha256: Sha256 = defaultSha256): Uint8Array[] {
  checkIndex(index, leaves.length - 1, 'index');
  const path = (m: number, from: number, to: number): Uint8Array[] => {
    const n = to - from;
    if (n <= 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k ? [...path(m, from, from + k), mth(leaves, from + k, to, sha256)] : [...path(m - k, from + k, to), mth(leaves, from, from + k, sha256)];
  };
  return path(index, 0, leaves.length);
}

/**
 * The consistency proof between the tree of the first `first` leaves and
 * the tree of all `leaves` (RFC 9162 §2.1.4.1): the later tree extends the
 * earlier one, nothing was rewritten (AUD-2).
 *
 * `import { consistencyProof } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const proof = consistencyProof(leaves, 5) // from the tree of the first 5 leaves to the tree of all
 * ```
 * @throws RangeError when `first` is not between 0 and the number of leaves (a programming error).
 *
 * @public
 */
export function consistencyProof(leaves: readonly Uint8Array[], first: number, sha256: Sha256 = defaultSha256): Uint8Array[] {
  checkIndex(first, leaves.length, 'first');
  if (first === 0 || first === leaves.length) return [];
  const sub = (m: number, from: number, to: number, complete: boolean): Uint8Array[] => {
    const n = to - from;
    if (m === n) return complete ? [] : [mth(leaves, from, to, sha256)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...sub(m, from, from + k, complete), mth(leaves, from + k, to, sha256)]
      : [...sub(m - k, from + k, to, false), mth(leaves, from, from + k, sha256)];
  };
  return sub(first, 0, leaves.length, true);
}

/**
 * The verdict of {@link verifyInclusion} or {@link verifyConsistency}
 * (AUD-2): `ok`, or one `ERR_AUDIT_PROOF_INVALID` issue at `['proof']`.
 *
 * `import type { ProofVerdict } from '@s3404/audit'`
 *
 * @public
 */
export interface ProofVerdict {
  readonly ok: boolean;
  readonly issues: readonly Issue[];
}

/**
 * Options of {@link verifyInclusion} (RFC 9162 §2.1.3.2).
 *
 * `import type { VerifyInclusionOptions } from '@s3404/audit'`
 *
 * @public
 */
export interface VerifyInclusionOptions {
  /** The leaf hash of the item, e.g. an event's `hash` as bytes. */
  readonly leafHash: Uint8Array;
  /** Its 0-based index in the tree. */
  readonly index: number;
  /** The number of leaves of the tree. */
  readonly size: number;
  readonly proof: readonly Uint8Array[];
  /** The root the proof must lead to, e.g. a checkpoint's `root`. */
  readonly root: Uint8Array;
  /** Synchronous SHA-256; default @noble/hashes. */
  readonly sha256?: Sha256;
  /** Language of the issue's message. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Options of {@link verifyConsistency} (RFC 9162 §2.1.4.2).
 *
 * `import type { VerifyConsistencyOptions } from '@s3404/audit'`
 *
 * @public
 */
export interface VerifyConsistencyOptions {
  /** Sizes of the earlier and the later tree. */
  readonly first: number;
  readonly second: number;
  readonly firstRoot: Uint8Array;
  readonly secondRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
  /** Synchronous SHA-256; default @noble/hashes. */
  readonly sha256?: Sha256;
  /** Language of the issue's message. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const INCLUSION: LocalizedText = { fr: "d'inclusion", en: 'inclusion' };
const CONSISTENCY: LocalizedText = { fr: 'de cohérence', en: 'consistency' };

function proofVerdict(ok: boolean, proof: LocalizedText, locale: Locale | undefined): ProofVerdict {
  if (ok) return { ok: true, issues: [] };
  const message = AUDIT_ERRORS.message('ERR_AUDIT_PROOF_INVALID', { proof }, resolveLocale(locale));
  return { ok: false, issues: [{ code: 'ERR_AUDIT_PROOF_INVALID', path: ['proof'], message }] };
}

/**
 * Checks an inclusion proof (RFC 9162 §2.1.3.2): the leaf is in the tree of
 * that root (AUD-2). Never throws for a bad or malformed proof: the verdict
 * says so.
 *
 * `import { verifyInclusion } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const proof = inclusionProof(leaves, 3)
 * verifyInclusion({ leafHash: leaves[3], index: 3, size: leaves.length, proof, root: merkleRoot(leaves) }) // { ok: true, issues: [] }
 * ```
 * @public
 */
export function verifyInclusion(options: VerifyInclusionOptions): ProofVerdict {
  return proofVerdict(inclusionHolds(options), INCLUSION, options.locale);
}

/**
 * Checks a consistency proof between two tree heads (RFC 9162 §2.1.4.2):
 * the later tree extends the earlier one (AUD-2). Never throws for a bad or
 * malformed proof: the verdict says so.
 *
 * `import { verifyConsistency } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const proof = consistencyProof(leaves, 5)
 * verifyConsistency({ first: 5, second: leaves.length, firstRoot: merkleRoot(leaves.slice(0, 5)), secondRoot: merkleRoot(leaves), proof }) // { ok: true, issues: [] }
 * ```
 * @public
 */
export function verifyConsistency(options: VerifyConsistencyOptions): ProofVerdict {
  return proofVerdict(consistencyHolds(options), CONSISTENCY, options.locale);
}

function inclusionHolds(options: VerifyInclusionOptions): boolean {
  const { leafHash, index, size, proof, root } = options;
  const sha256 = options.sha256 ?? defaultSha256;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (proof.some((p) => !(p instanceof Uint8Array) || p.length !== 32)) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = node(p, r, sha256);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = node(r, p, sha256);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && bytesEqual(r, root);
}

function consistencyHolds(options: VerifyConsistencyOptions): boolean {
  const { first, second, firstRoot, secondRoot } = options;
  const sha256 = options.sha256 ?? defaultSha256;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (options.proof.some((p) => !(p instanceof Uint8Array) || p.length !== 32)) return false;
  if (first === second) return options.proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (first === 0) return options.proof.length === 0;
  const proof = [...options.proof];
  if ((first & (first - 1)) === 0) proof.unshift(firstRoot);
  if (proof.length === 0) return false;
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const c of proof.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = node(c, fr, sha256);
      sr = node(c, sr, sha256);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = node(sr, c, sha256);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot) && sn === 0n;
}
