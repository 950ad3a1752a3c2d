/** Limits of a signature image (FORM-6, SIG-2). */
export const PNG_LIMITS = { maxBytes: 2 * 1024 * 1024, maxSide: 4096, minSide: 8 } as const;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Checks that bytes are a PNG within the limits, from its header alone.
 * Returns the problem in French, or `null` (the decoder checks the rest).
 */
export function pngProblem(bytes: Uint8Array): string | null {
  if (!(bytes instanceof Uint8Array)) return 'un Uint8Array est attendu';
  if (bytes.byteLength > PNG_LIMITS.maxBytes) return `${bytes.byteLength} octets, ${PNG_LIMITS.maxBytes} au plus`;
  if (bytes.byteLength < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return 'ce n’est pas une image PNG (signature absente)';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (view.getUint32(8) !== 13 || type !== 'IHDR') return 'en-tête IHDR absent';
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width < PNG_LIMITS.minSide || height < PNG_LIMITS.minSide || width > PNG_LIMITS.maxSide || height > PNG_LIMITS.maxSide) {
    return `dimensions ${width}×${height} hors limites (${PNG_LIMITS.minSide} à ${PNG_LIMITS.maxSide} pixels)`;
  }
  return null;
}
