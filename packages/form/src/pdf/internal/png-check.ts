import type { LocalizedText } from '@s3404/core';

/** Limits of a signature image (FORM-6, SIG-2). */
export const PNG_LIMITS = { maxBytes: 2 * 1024 * 1024, maxSide: 4096, minSide: 8 } as const;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Checks that bytes are a PNG within the limits, from its header alone.
 * Returns the problem in both languages, or `null` (the decoder checks the rest).
 */
export function pngProblem(bytes: Uint8Array): LocalizedText | null {
  if (!(bytes instanceof Uint8Array)) return { fr: 'un Uint8Array est attendu', en: 'a Uint8Array is expected' };
  if (bytes.byteLength > PNG_LIMITS.maxBytes)
    return { fr: `${bytes.byteLength} octets, ${PNG_LIMITS.maxBytes} au plus`, en: `${bytes.byteLength} bytes, at most ${PNG_LIMITS.maxBytes}` };
  if (bytes.byteLength < 33 || SIGNATURE.some((b, i) => bytes[i] !== b))
    return { fr: 'ce n’est pas une image PNG (signature absente)', en: 'not a PNG image (no PNG signature)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (view.getUint32(8) !== 13 || type !== 'IHDR') return { fr: 'en-tête IHDR absent', en: 'no IHDR header' };
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width < PNG_LIMITS.minSide || height < PNG_LIMITS.minSide || width > PNG_LIMITS.maxSide || height > PNG_LIMITS.maxSide) {
    const { minSide, maxSide } = PNG_LIMITS;
    return {
      fr: `dimensions ${width}×${height} hors limites (${minSide} à ${maxSide} pixels)`,
      en: `dimensions ${width}×${height} out of range (${minSide} to ${maxSide} pixels)`,
    };
  }
  return null;
}
