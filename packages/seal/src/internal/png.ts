import { Failure } from './failure.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

/**
 * Walks a PNG's chunks (PNG spec §5): signature, IHDR first, at least one
 * IDAT, IEND last, every CRC correct, nothing after IEND. Returns its size.
 */
export function inspectPng(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 8 + 25 + 12 + 12 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Failure('ERR_IMAGE_NOT_PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let sawIdat = false;
  let first = true;
  while (pos + 12 <= bytes.length) {
    const length = u32(bytes, pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > bytes.length || !/^[A-Za-z]{4}$/.test(type)) throw new Failure('ERR_IMAGE_NOT_PNG');
    if (crc32(bytes, pos + 4, pos + 8 + length) !== u32(bytes, pos + 8 + length)) throw new Failure('ERR_IMAGE_NOT_PNG');
    if (first) {
      if (type !== 'IHDR' || length !== 13) throw new Failure('ERR_IMAGE_NOT_PNG');
      width = u32(bytes, pos + 8);
      height = u32(bytes, pos + 12);
      const depth = bytes[pos + 16]!;
      const colour = bytes[pos + 17]!;
      if (width === 0 || height === 0 || ![1, 2, 4, 8, 16].includes(depth) || ![0, 2, 3, 4, 6].includes(colour)) {
        throw new Failure('ERR_IMAGE_NOT_PNG');
      }
      first = false;
    } else if (type === 'IDAT') sawIdat = true;
    else if (type === 'IEND') {
      if (!sawIdat || end !== bytes.length) throw new Failure('ERR_IMAGE_NOT_PNG');
      return { width, height };
    }
    pos = end;
  }
  throw new Failure('ERR_IMAGE_NOT_PNG');
}
