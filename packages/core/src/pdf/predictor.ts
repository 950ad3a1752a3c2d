import { PdfReadError } from './budget.js';
import { isNumber, type PdfDict } from './objects.js';

/**
 * Undoes the TIFF (2) or PNG (10–15) predictor of decoded Flate or LZW data
 * (ISO 32000-1 §7.4.4.4, Table 8), as the stream's `/DecodeParms` say; at
 * most `max` bytes out. An unknown PNG row type leaves its row as it is,
 * as readers do. Shared by the packages that decode streams.
 *
 * `import { undoPredictor } from '@s3404/core/pdf'`
 *
 * @example
 * ```ts
 * const rows = undoPredictor(inflated, stream.dict.get('DecodeParms') as PdfDict, 1 << 20)
 * ```
 * @throws {@link PdfReadError} `unreadable` for impossible parameters, `too-complex` past `max`.
 * @public
 */
export function undoPredictor(data: Uint8Array, params: PdfDict | undefined, max: number): Uint8Array {
  const predictor = params?.get('Predictor');
  if (!isNumber(predictor) || predictor <= 1) return data;
  const get = (k: string, d: number): number => {
    const v = params!.get(k);
    return isNumber(v) && Number.isInteger(v) && v > 0 ? v : d;
  };
  const colors = get('Colors', 1);
  const bpc = get('BitsPerComponent', 8);
  const columns = get('Columns', 1);
  if (colors > 32 || ![1, 2, 4, 8, 16].includes(bpc) || columns > 1 << 24) throw new PdfReadError('unreadable', 'invalid predictor parameters');
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) return data;
    const out = data.slice();
    for (let r = 0; r + rowBytes <= out.length; r += rowBytes) for (let i = r + bpp; i < r + rowBytes; i++) out[i] = (out[i]! + out[i - bpp]!) & 0xff;
    return out;
  }
  const rows = Math.floor(data.length / (rowBytes + 1));
  if (rows * rowBytes > max) throw new PdfReadError('too-complex', `a stream decodes to more than ${max} bytes`);
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const x = data[src + i]!;
      const a = i >= bpp ? out[dst + i - bpp]! : 0;
      const b = r > 0 ? out[dst - rowBytes + i]! : 0;
      const c = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >>> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          v = x;
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
