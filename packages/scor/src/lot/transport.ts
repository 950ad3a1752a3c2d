/** One transmission of a lot's container (SCOR-3). @public */
export interface LotTransmission {
  readonly lotId: string;
  readonly finess: string;
  readonly b2LotNumber: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  /** 1 for the first attempt, then 2, 3… */
  readonly attempt: number;
}

/**
 * One transmission of a lot's container, chunk by chunk (SCOR-3, X-2): what
 * {@link Transport.sendChunks} receives instead of the whole container. The
 * chunks come from the lot store, in order; the iteration throws (the store's
 * `ERR_LOT_STORE_CORRUPT`) instead of finishing when they are not the
 * registered container, so a transport commits (renames, acknowledges) only
 * after its loop over `chunks` ended normally.
 *
 * `import type { LotChunkTransmission } from '@s3404/scor'`
 *
 * @public
 */
export interface LotChunkTransmission extends Omit<LotTransmission, 'bytes'> {
  /** The container's length in bytes, as registered. */
  readonly length: number;
  /** The container's SHA-256 (hex), as registered. */
  readonly sha256: string;
  /** The container's bytes, chunk by chunk; iterate it once. */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** What the transport says of an accepted transmission (SCOR-3). @public */
export interface TransportReceipt {
  /** The transport's own reference (message id, file name…), kept on the lot. */
  readonly reference?: string;
}

/**
 * Carries a lot to the Assurance Maladie (SCOR-3, X-4). The SCOR-CP
 * exchange goes through the vendor's approved transmission module (GIE
 * SESAM-Vitale specifications, not public): the vendor implements this
 * interface around it. The SDK ships `FileDropTransport`
 * (`@s3404/scor/file`) for development. `send` resolves when the module
 * accepted the lot, and rejects (any error) when it did not: the lifecycle
 * then schedules another attempt.
 *
 * @example
 * ```ts
 * const transport: Transport = { id: 'acme-smtp', send: async (t) => ({ reference: await acme.send(t.fileName, t.bytes) }) }
 * ```
 * @public
 */
export interface Transport {
  readonly id: string;
  send(lot: LotTransmission): Promise<TransportReceipt>;
  /**
   * Sends the container chunk by chunk, never whole in memory (optional,
   * the lifecycle calls it instead of `send` when the lot store has
   * `containerChunks`. Resolve only once every chunk was taken and the
   * iteration ended without an error.
   */
  sendChunks?(lot: LotChunkTransmission): Promise<TransportReceipt>;
}
