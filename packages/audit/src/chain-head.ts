import { MerkleAccumulator } from './merkle.js';
import { parseCheckpointBody } from './checkpoint.js';
import { fromHex, toHex, type Sha256 } from '@s3404/core';
import { AuditError } from './errors/audit-error.js';
import { ZERO_HASH } from './internal/sha256.js';

/**
 * What a store must know of an event to move its head (AUD-2).
 *
 * `import type { HeadInput } from '@s3404/audit'`
 *
 * @public
 */
export interface HeadInput {
  readonly seq: number;
  readonly hash: string;
  readonly time: string;
  readonly action: string;
  readonly checkpoint?: { readonly body: string } | undefined;
}

/**
 * The tip of a chain as a writer needs it (AUD-2): last sequence number and
 * hash, the open period (events since the last checkpoint, as a Merkle
 * accumulator) and the last checkpoint. Stores keep one and move it with
 * every event they write or read.
 *
 * `import { ChainHead } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * // A vendor's store: keep a head, move it past what you write.
 * const head = new ChainHead(nodeSha256)
 * for await (const e of existingEvents) head.advance(e)
 * ```
 *
 * @public
 */
export class ChainHead {
  seq = 0;
  hash = ZERO_HASH;
  time: string | null = null;
  /** First sequence number and time of the open period; `first` is 0 when empty. */
  periodFirst = 0;
  periodFirstTime: string | null = null;
  merkle: MerkleAccumulator;
  /**
   * Set by a file store that found an incomplete last line (a crashed
   * write): the log records an `audit.recovered` event first.
   */
  recovered: { offset: number; bytes: number; file: string } | null = null;
  /** The last checkpoint: its event's sequence number, body hash and time. */
  checkpoint: { seq: number; bodyHash: string; time: string } | null = null;
  readonly #sha256: Sha256;

  constructor(sha256: Sha256) {
    this.#sha256 = sha256;
    this.merkle = new MerkleAccumulator(sha256);
  }

  /**
   * Moves the head past `e`; `hashBytes` saves decoding `e.hash` when the caller has it.
   *
   * @throws {@link AuditError} `ERR_AUDIT_LINE_INVALID` (kind `verdict`) when `e.hash` is not 64 hex digits: the stored trace is damaged.
   */
  advance(e: HeadInput, hashBytes?: Uint8Array): void {
    const leaf = hashBytes ?? fromHex(e.hash);
    if (leaf === null || leaf.length !== 32) throw new AuditError('ERR_AUDIT_LINE_INVALID', { params: { seq: e.seq, detail: 'hash' } });
    if (e.action === 'audit.checkpoint' && e.checkpoint !== undefined && parseCheckpointBody(e.checkpoint.body) !== null) {
      // A checkpoint event opens the next period (it is its first leaf).
      this.checkpoint = { seq: e.seq, bodyHash: toHex(this.#sha256(new TextEncoder().encode(e.checkpoint.body))), time: e.time };
      this.merkle = new MerkleAccumulator(this.#sha256);
      this.periodFirst = 0;
    }
    if (this.periodFirst === 0) {
      this.periodFirst = e.seq;
      this.periodFirstTime = e.time;
    }
    this.merkle.push(leaf);
    this.seq = e.seq;
    this.hash = e.hash;
    this.time = e.time;
  }

  clone(): ChainHead {
    const c = new ChainHead(this.#sha256);
    c.seq = this.seq;
    c.hash = this.hash;
    c.time = this.time;
    c.periodFirst = this.periodFirst;
    c.periodFirstTime = this.periodFirstTime;
    c.merkle = this.merkle.clone();
    c.checkpoint = this.checkpoint === null ? null : { ...this.checkpoint };
    c.recovered = this.recovered === null ? null : { ...this.recovered };
    return c;
  }
}
