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
  /** The previous event's hash: when given, {@link ChainHead.advance} checks the link. */
  readonly prev?: string | undefined;
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
  /**
   * The latest time in the chain so far (its events' times may step back a
   * little, within the clock skew the log allows): a writer refuses an
   * event more than the skew before it. A store that rebuilds its head from
   * the last checkpoint has the latest time since that checkpoint, which the
   * log dates no earlier than any event before it.
   */
  latest: string | null = null;
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
   * Moves the head past `e`, which must continue the chain: the next
   * sequence number, linked to the head's hash (when `e.prev` is given). An
   * empty head also takes, as its first event, a checkpoint that anchors a
   * purged trace (sequence `n`, its body naming `n - 1` and `prev` as the
   * head it seals). `hashBytes` saves decoding `e.hash` when the caller has it.
   *
   * @throws {@link AuditError} `ERR_AUDIT_CHAIN_BROKEN` (kind `verdict`) when `e` does not continue the chain;
   * `ERR_AUDIT_LINE_INVALID` (kind `verdict`) when `e.hash` is not 64 hex digits: the stored trace is damaged.
   */
  advance(e: HeadInput, hashBytes?: Uint8Array): void {
    const leaf = hashBytes ?? fromHex(e.hash);
    if (leaf === null || leaf.length !== 32) throw new AuditError('ERR_AUDIT_LINE_INVALID', { params: { seq: e.seq, detail: 'hash' } });
    const body = e.action === 'audit.checkpoint' && e.checkpoint !== undefined ? parseCheckpointBody(e.checkpoint.body) : null;
    if (this.seq === 0 && e.seq > 1 && body !== null && body.last === e.seq - 1 && e.prev !== undefined && body.head === e.prev) {
      // The first event of a purged trace: the checkpoint that anchors it.
      this.seq = e.seq - 1;
      this.hash = e.prev;
    }
    if (e.seq !== this.seq + 1 || (e.prev !== undefined && e.prev !== this.hash)) {
      throw new AuditError('ERR_AUDIT_CHAIN_BROKEN', { params: { seq: e.seq, expected: this.seq + 1 } });
    }
    if (body !== null) {
      // A checkpoint event opens the next period (it is its first leaf).
      this.checkpoint = { seq: e.seq, bodyHash: toHex(this.#sha256(new TextEncoder().encode(e.checkpoint!.body))), time: e.time };
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
    if (this.latest === null || e.time > this.latest) this.latest = e.time;
  }

  clone(): ChainHead {
    const c = new ChainHead(this.#sha256);
    c.seq = this.seq;
    c.hash = this.hash;
    c.time = this.time;
    c.latest = this.latest;
    c.periodFirst = this.periodFirst;
    c.periodFirstTime = this.periodFirstTime;
    c.merkle = this.merkle.clone();
    c.checkpoint = this.checkpoint === null ? null : { ...this.checkpoint };
    c.recovered = this.recovered === null ? null : { ...this.recovered };
    return c;
  }
}
