import { isDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '@s3404/core/pdf';
import { bytesEqual } from '@s3404/core';

/**
 * Deep equality of two parsed PDF values (ISO 32000-1 §7.3): references by
 * number and generation, names by value, strings by their decoded bytes,
 * streams by dictionary and raw data. What two revisions are compared with.
 */
export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 64 || a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName) return b instanceof PdfName && a.value === b.value;
  if (a instanceof PdfString) return b instanceof PdfString && sameBytes(a.bytes, b.bytes);
  if (a instanceof PdfStream) return b instanceof PdfStream && sameValue(a.dict, b.dict, depth + 1) && sameBytes(a.raw, b.raw);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  if (isDict(a)) {
    if (!isDict(b) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!sameValue(v, b.get(k), depth + 1)) return false;
    return true;
  }
  return false;
}

/** Byte equality (core's `bytesEqual`: native where the runtime has it). */
export const sameBytes: (a: Uint8Array, b: Uint8Array) => boolean = bytesEqual;
