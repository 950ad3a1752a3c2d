/**
 * PNG surgery for the tests of form and seal (never published): read and
 * write a PNG's chunks with their CRCs, swap its image data, and the set of
 * PNGs whose chunks and CRCs are valid but whose pixels do not decode.
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** One PNG chunk: its type and data (the CRC is recomputed on write). */
export interface Chunk {
  readonly type: string;
  readonly data: Uint8Array;
}

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The chunks of a PNG (no validation: a test tool). */
export function readChunks(png: Uint8Array): Chunk[] {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let pos = 8; pos + 12 <= png.length; ) {
    const length = v.getUint32(pos);
    out.push({ type: String.fromCharCode(...png.subarray(pos + 4, pos + 8)), data: png.slice(pos + 8, pos + 8 + length) });
    pos += 12 + length;
  }
  return out;
}

/** A PNG from chunks, every CRC valid. */
export function writeChunks(chunks: readonly Chunk[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)];
  for (const c of chunks) {
    const out = new Uint8Array(12 + c.data.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, c.data.length);
    out.set(new TextEncoder().encode(c.type), 4);
    out.set(c.data, 8);
    v.setUint32(8 + c.data.length, crc32(out.subarray(4, 8 + c.data.length)));
    parts.push(out);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * An 8-bit grey PNG of `width × height` from its filtered rows (`raw`: for each row, a filter byte
 * then `width` pixels, `(width + 1) × height` bytes), written independently of the SDK.
 */
export function greyPng(width: number, height: number, raw: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth; colour type 0 (grey), no interlace
  return writeChunks([
    { type: 'IHDR', data: ihdr },
    { type: 'IDAT', data: deflateSync(raw) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

/** The PNG with its image data replaced by `data` (one IDAT), chunks and CRCs valid. */
export function withImageData(png: Uint8Array, data: Uint8Array): Uint8Array {
  const chunks = readChunks(png);
  const first = chunks.findIndex((c) => c.type === 'IDAT');
  const rest = chunks.filter((c) => c.type !== 'IDAT');
  rest.splice(first, 0, { type: 'IDAT', data });
  return writeChunks(rest);
}

/** The zlib stream of a PNG's image data (its IDAT chunks joined). */
export function imageData(png: Uint8Array): Uint8Array {
  return new Uint8Array(
    Buffer.concat(
      readChunks(png)
        .filter((c) => c.type === 'IDAT')
        .map((c) => c.data),
    ),
  );
}

/** The decompressed scanlines of a PNG. */
export function rawImageData(png: Uint8Array): Uint8Array {
  return new Uint8Array(inflateSync(imageData(png)));
}

/**
 * PNGs whose chunks and CRCs are all valid but whose pixel data does not
 * decode, each for a different reason (FORM-6, SIG-2, issue 14 #5).
 */
export function undecodablePngs(png: Uint8Array): Record<string, Uint8Array> {
  const raw = rawImageData(png);
  const badFilter = raw.slice();
  badFilter[0] = 7;
  const zlib = new Uint8Array(deflateSync(raw));
  const badAdler = zlib.slice();
  badAdler[badAdler.length - 1] = badAdler[badAdler.length - 1]! ^ 0xff;
  return {
    'garbage instead of a zlib stream': withImageData(
      png,
      new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff),
    ),
    'a zlib header then garbage': withImageData(png, Uint8Array.of(0x78, 0x9c, ...new Uint8Array(40).fill(0xff))),
    'a truncated zlib stream': withImageData(png, zlib.subarray(0, Math.floor(zlib.length / 2))),
    'too little data (half the rows)': withImageData(png, new Uint8Array(deflateSync(raw.subarray(0, raw.length >> 1)))),
    'too much data (rows added)': withImageData(png, new Uint8Array(deflateSync(Buffer.concat([raw, raw.subarray(0, 1000)])))),
    'an unknown filter type': withImageData(png, new Uint8Array(deflateSync(badFilter))),
    'a wrong Adler-32 checksum': withImageData(png, badAdler),
    'no image data at all': withImageData(png, new Uint8Array(0)),
  };
}
