import { Unzlib } from 'fflate';
import { PdfReadError, type PdfDict, isNumber, isName, type PdfValue } from '@s3404/core/pdf';

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
  const parms = dict.get('DecodeParms');
  const p = Array.isArray(parms) ? parms[0] : parms;
  return p instanceof Map ? unpredict(out, p) : out;
}

function unpredict(data: Uint8Array, parms: PdfDict): Uint8Array {
  const predictor = parms.get('Predictor');
  if (!isNumber(predictor) || predictor === 1) return data;
  if (predictor < 10) throw new PdfReadError('unsupported-filter', 'TIFF predictor in a structure stream');
  const columns = parms.get('Columns');
  const colors = parms.get('Colors');
  const bpc = parms.get('BitsPerComponent');
  const cols = isNumber(columns) ? columns : 1;
  const bpp = Math.max(1, Math.ceil(((isNumber(colors) ? colors : 1) * (isNumber(bpc) ? bpc : 8)) / 8));
  const rowLength = Math.ceil((cols * (isNumber(colors) ? colors : 1) * (isNumber(bpc) ? bpc : 8)) / 8);
  if (!Number.isInteger(cols) || cols < 1 || rowLength > 1 << 20) throw new PdfReadError('unreadable', 'invalid predictor parameters');
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)]!;
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const x = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowLength + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLength + i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + left;
          break;
        case 2:
          v = x + up;
          break;
        case 3:
          v = x + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new PdfReadError('unreadable', 'unknown PNG predictor');
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
