import { builtinInflate } from '@s3404/core';
import { Unzlib } from 'fflate';
import { PdfReadError, type PdfDict, isName, type PdfValue, undoPredictor } from '@s3404/core/pdf';

/** The runtime's native zlib decoder, for valid streams. */
const nativeInflate = builtinInflate();

/**
 * Decodes the data of a FlateDecode stream (ISO 32000-1 §7.4.4), never
 * beyond `max` bytes (a decompression bomb stops there), then undoes a PNG
 * predictor (§7.4.4.4, Table 8) when the stream's parameters name one —
 * what cross-reference and object streams use. Other filters are refused:
 * the revision reader only decodes what the structure of a file needs.
 */
export function decodeFlate(raw: Uint8Array, dict: PdfDict, max: number): Uint8Array {
  const filter = dict.get('Filter');
  const name = Array.isArray(filter) ? (filter.length === 1 ? filter[0] : undefined) : filter;
  if (filter === undefined) return raw;
  if (!isName(name as PdfValue, 'FlateDecode')) throw new PdfReadError('unsupported-filter', 'structure streams must be FlateDecode');
  const parms = dict.get('DecodeParms');
  const p = Array.isArray(parms) ? parms[0] : parms;
  // A valid stream decoded natively where the runtime can (issue 19): the same bytes; anything else is judged below.
  const out = nativeInflate?.(raw, { maxBytes: max })?.bytes ?? inflateChecked(raw, max);
  return p instanceof Map ? undoPredictor(out, p, max) : out;
}

/** Decodes with fflate in 64 KiB steps, stopping past `max` bytes; a damaged stream is a `PdfReadError`. */
function inflateChecked(raw: Uint8Array, max: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let failed: unknown;
  const inflater = new Unzlib((chunk) => {
    size += chunk.length;
    if (size > max) throw new PdfReadError('too-complex', `a stream decodes to more than ${max} bytes`);
    chunks.push(chunk);
  });
  try {
    for (let i = 0; i < raw.length; i += 65536) inflater.push(raw.subarray(i, Math.min(raw.length, i + 65536)), i + 65536 >= raw.length);
  } catch (e) {
    failed = e;
  }
  if (failed instanceof PdfReadError) throw failed;
  if (failed !== undefined) throw new PdfReadError('unreadable', 'damaged FlateDecode data');
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
