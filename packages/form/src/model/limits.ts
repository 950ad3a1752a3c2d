/**
 * Documented limits of the model: inputs beyond them get a coded issue
 * rather than slow or unbounded work. See `docs/limits.md`.
 *
 * @public
 */
export const LIMITS = {
  /** Lines per table (prestations, honoraires, LPP, médicaments). */
  maxLinesPerTable: 500,
  /** Transfers during one stay. */
  maxTransfers: 20,
  /** Issues reported by one validation; the rest are counted, not listed. */
  maxIssues: 200,
  /** Bytes of JSON accepted by `parseBordereauJson` (and the CLI). */
  maxJsonBytes: 16 * 1024 * 1024,
} as const;
