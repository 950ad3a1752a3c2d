/**
 * Limits on captured signatures (SIG-2, X-2). Every value can be lowered (or
 * raised within reason) per sealer or verifier through `options.limits`.
 *
 * @public
 */
export interface CaptureLimits {
  /** Largest PNG accepted, in bytes. Default 512 KiB. */
  readonly maxImageBytes: number;
  /** Smallest and largest image sides, in pixels. Defaults 16…4096. */
  readonly minImageSide: number;
  readonly maxImageSide: number;
  /** Most pen points over all strokes. Default 200,000. */
  readonly maxPoints: number;
  /** Longest capture, first to last point, in milliseconds. Default 10 minutes. */
  readonly maxCaptureMs: number;
  /** Largest sealed record accepted by the verifier, in bytes. Default 4 MiB. */
  readonly maxSealedBytes: number;
}

/**
 * The default {@link CaptureLimits} (SIG-2).
 *
 * `import { CAPTURE_LIMITS } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ trustAnchors, limits: { maxImageBytes: CAPTURE_LIMITS.maxImageBytes / 2 } })
 * ```
 * @public
 */
export const CAPTURE_LIMITS: CaptureLimits = Object.freeze({
  maxImageBytes: 512 * 1024,
  minImageSide: 16,
  maxImageSide: 4096,
  maxPoints: 200_000,
  maxCaptureMs: 10 * 60 * 1000,
  maxSealedBytes: 4 * 1024 * 1024,
});

export function resolveLimits(partial: Partial<CaptureLimits> | undefined): CaptureLimits {
  const limits = { ...CAPTURE_LIMITS, ...partial };
  for (const [k, v] of Object.entries(limits)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new TypeError(`limits.${k} must be a positive integer`);
  }
  return limits;
}
