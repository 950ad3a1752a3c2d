/**
 * Why a PDF reader gave up on (part of) a PDF: `reason` says what
 * kind of failure it is — the file cannot be read as PDF syntax, it exceeds
 * the reading's budget, or it uses a filter the reader does not decode —
 * and `detail` is a short, non-localised description for the message.
 * Packages map it to their own coded errors (`ERR_PJ_…` in scor,
 * `ERR_PDF_…` in form and seal).
 *
 * `import { PdfReadError } from '@s3404/core/pdf'`
 *
 * @example
 * ```ts
 * try { readXrefChain(pdf) } catch (e) { if (e instanceof PdfReadError && e.reason === 'too-complex') … }
 * ```
 * @public
 */
export class PdfReadError extends Error {
  constructor(
    readonly reason: PdfReadFailure,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'PdfReadError';
  }
}

/** The kinds of {@link PdfReadError}. @public */
export type PdfReadFailure = 'unreadable' | 'too-complex' | 'unsupported-filter';

/** Hard limits of one reading, so every check ends in bounded time and memory. */
export interface ReadLimits {
  /** Work units (tokens lexed, objects visited, kilobytes decoded). */
  readonly work: number;
  /** Decoded bytes kept at once for content, object and xref streams. */
  readonly decodedBytes: number;
  /** Decoded size of one stream. */
  readonly streamBytes: number;
  /** Indirect objects in the cross-reference table. */
  readonly objects: number;
  /** Nesting of arrays and dictionaries. */
  readonly depth: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  work: 40_000_000,
  decodedBytes: 256 * 1024 * 1024,
  streamBytes: 64 * 1024 * 1024,
  objects: 500_000,
  depth: 64,
};

/** Counts the work of one reading against its limits. */
export class Budget {
  #work = 0;
  #decoded = 0;
  constructor(readonly limits: ReadLimits = DEFAULT_READ_LIMITS) {}

  /** Spends `units` of work; throws a `too-complex` {@link PdfReadError} past the limit. */
  spend(units: number): void {
    this.#work += units;
    if (this.#work > this.limits.work) throw new PdfReadError('too-complex', `more than ${this.limits.work} work units`);
  }

  /** Accounts for `bytes` of decoded data kept in memory. */
  keep(bytes: number): void {
    this.#decoded += bytes;
    this.spend(bytes >>> 10);
    if (this.#decoded > this.limits.decodedBytes) throw new PdfReadError('too-complex', `more than ${this.limits.decodedBytes} decoded bytes`);
  }

  get work(): number {
    return this.#work;
  }
}
