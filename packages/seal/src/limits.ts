import { SIGNATURE_IMAGE_LIMITS } from '@s3404/form';

/**
 * Limits on captured signatures (SIG-2, X-2). Every value can be lowered (or
 * raised within reason) per sealer or verifier through `options.limits`; the
 * image limits only within `SIGNATURE_IMAGE_LIMITS` of `@s3404/form` (2 MiB,
 * 8…4,096 px), so that every sealed image can be placed on a bordereau.
 *
 * @public
 */
export interface CaptureLimits {
  /** Largest PNG accepted, in bytes. Default 512 KiB; at most 2 MiB (`SIGNATURE_IMAGE_LIMITS.maxBytes`). */
  readonly maxImageBytes: number;
  /** Smallest and largest image sides, in pixels. Defaults 16…4096; within 8…4096 (`SIGNATURE_IMAGE_LIMITS`). */
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
  // An image sealed must be an image the placement accepts (issue 14 #5, docs/limits.md).
  const widest = SIGNATURE_IMAGE_LIMITS;
  if (limits.maxImageBytes > widest.maxBytes)
    throw new TypeError(`limits.maxImageBytes must be at most ${widest.maxBytes} (SIGNATURE_IMAGE_LIMITS of @s3404/form)`);
  if (limits.minImageSide < widest.minSide || limits.maxImageSide > widest.maxSide || limits.minImageSide > limits.maxImageSide) {
    throw new TypeError(`limits.minImageSide…maxImageSide must lie within ${widest.minSide}…${widest.maxSide} (SIGNATURE_IMAGE_LIMITS of @s3404/form)`);
  }
  return limits;
}
