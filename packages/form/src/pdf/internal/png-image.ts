import { unzlibSync, zlibSync } from 'fflate';
import { hexString, name as pdfNameOf, RawPdf, type WritableValue } from '../syntax/serialize.js';
import { PDFDocument, PDFName, type PDFRawStream, PDFRef } from './engine.js';

/** An image XObject (ISO 32000-1 §8.9.5) ready to be written: dictionary and data, and its soft mask if any. */
export interface PdfImage {
  readonly width: number;
  readonly height: number;
  readonly dict: Map<string, WritableValue>;
  readonly data: Uint8Array;
  readonly smask?: { readonly dict: Map<string, WritableValue>; readonly data: Uint8Array };
}

interface Png {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly colour: number;
  readonly interlaced: boolean;
  readonly palette: Uint8Array | undefined;
  readonly trns: Uint8Array | undefined;
  readonly idat: Uint8Array;
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * A PNG as a PDF image (FORM-6), without re-encoding when the PNG allows it:
 * 8-bit grey, RGB or palette images without transparency keep their zlib
 * data, read through the PNG predictor (§7.4.4.4); images with an alpha
 * channel are split into colour and a soft mask. Other PNGs (interlaced,
 * 1/2/4/16-bit) go through pdf-lib's decoder. The PNG must have passed
 * `checkSignatureImage` (it decodes completely).
 */
export async function pngToPdfImage(bytes: Uint8Array): Promise<PdfImage> {
  const png = readPng(bytes);
  if (png.depth !== 8 || png.interlaced) return viaEngine(bytes);
  const { width, height, colour } = png;
  const base = (colorSpace: WritableValue, colors: number): Map<string, WritableValue> =>
    new Map<string, WritableValue>([
      ['Type', pdfNameOf('XObject')],
      ['Subtype', pdfNameOf('Image')],
      ['Width', width],
      ['Height', height],
      ['ColorSpace', colorSpace],
      ['BitsPerComponent', 8],
      ['Filter', pdfNameOf('FlateDecode')],
      ...(colors === 0
        ? []
        : ([
            [
              'DecodeParms',
              new Map<string, WritableValue>([
                ['Predictor', 15],
                ['Colors', colors],
                ['BitsPerComponent', 8],
                ['Columns', width],
              ]),
            ],
          ] as const)),
    ]);
  const passThrough = png.trns === undefined && (colour === 0 || colour === 2 || colour === 3);
  if (passThrough) {
    const space = colour === 3 ? indexed(png.palette!) : pdfNameOf(colour === 0 ? 'DeviceGray' : 'DeviceRGB');
    return { width, height, dict: base(space, colour === 2 ? 3 : 1), data: png.idat };
  }
  // Decode, then split colour and alpha.
  const pixels = unfilter(png);
  const n = width * height;
  const ink = colour === 6 || colour === 4 ? singleInk(pixels, colour) : undefined;
  if (ink !== undefined) {
    // One ink colour (a pen on a transparent canvas, edges anti-aliased in alpha only): a 1×1 image of
    // that colour under a full-size soft mask — the mask need not match the image's size (§11.6.5.2).
    const alpha = new Uint8Array(n);
    const stride = colour === 6 ? 4 : 2;
    for (let i = 0; i < n; i++) alpha[i] = pixels[i * stride + stride - 1]!;
    const space = pdfNameOf(ink.length === 3 ? 'DeviceRGB' : 'DeviceGray');
    const dict = new Map(base(space, 0));
    dict.set('Width', 1);
    dict.set('Height', 1);
    return { width, height, dict, data: zlibSync(ink, { level: 1 }), smask: { dict: base(pdfNameOf('DeviceGray'), 0), data: zlibSync(alpha, { level: 1 }) } };
  }
  const channels = colour === 3 ? 3 : colour === 0 || colour === 4 ? 1 : 3;
  const rgb = new Uint8Array(n * channels);
  const alpha = new Uint8Array(n);
  const stride = CHANNELS[colour]!;
  for (let i = 0; i < n; i++) {
    if (colour === 3) {
      const index = pixels[i]!;
      rgb[i * 3] = png.palette![index * 3] ?? 0;
      rgb[i * 3 + 1] = png.palette![index * 3 + 1] ?? 0;
      rgb[i * 3 + 2] = png.palette![index * 3 + 2] ?? 0;
      alpha[i] = png.trns?.[index] ?? 255;
    } else {
      for (let c = 0; c < channels; c++) rgb[i * channels + c] = pixels[i * stride + c]!;
      alpha[i] = colour === 4 || colour === 6 ? pixels[i * stride + stride - 1]! : transparentKey(png, pixels, i * stride) ? 0 : 255;
    }
  }
  const space = pdfNameOf(channels === 1 ? 'DeviceGray' : 'DeviceRGB');
  const dict = base(space, 0);
  const maskDict = base(pdfNameOf('DeviceGray'), 0);
  return { width, height, dict, data: zlibSync(rgb, { level: 1 }), smask: { dict: maskDict, data: zlibSync(alpha, { level: 1 }) } };
}

/**
 * The one colour of every pixel that shows (alpha > 0) of an RGBA or
 * grey-alpha image, or `undefined` when there are several (or none).
 */
function singleInk(pixels: Uint8Array, colour: number): Uint8Array | undefined {
  const stride = colour === 6 ? 4 : 2;
  const channels = stride - 1;
  let ink: Uint8Array | undefined;
  for (let at = 0; at < pixels.length; at += stride) {
    if (pixels[at + channels] === 0) continue;
    if (ink === undefined) ink = pixels.slice(at, at + channels);
    else for (let c = 0; c < channels; c++) if (pixels[at + c] !== ink[c]) return undefined;
  }
  return ink;
}

function indexed(palette: Uint8Array): WritableValue {
  return [pdfNameOf('Indexed'), pdfNameOf('DeviceRGB'), palette.length / 3 - 1, hexString(palette)];
}

/** Grey or RGB colour-key transparency (tRNS, PNG §11.3.2.1). */
function transparentKey(png: Png, pixels: Uint8Array, at: number): boolean {
  const t = png.trns;
  if (t === undefined) return false;
  if (png.colour === 0) return t.length >= 2 && pixels[at] === t[1];
  return t.length >= 6 && pixels[at] === t[1] && pixels[at + 1] === t[3] && pixels[at + 2] === t[5];
}

function readPng(b: Uint8Array): Png {
  const u32 = (p: number): number => ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  let interlaced = false;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= b.length) {
    const length = u32(pos);
    const type = String.fromCharCode(b[pos + 4]!, b[pos + 5]!, b[pos + 6]!, b[pos + 7]!);
    const data = b.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = u32(pos + 8);
      height = u32(pos + 12);
      depth = data[8]!;
      colour = data[9]!;
      interlaced = data[12] === 1;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + length;
  }
  let size = 0;
  for (const d of idat) size += d.length;
  const joined = new Uint8Array(size);
  let at = 0;
  for (const d of idat) {
    joined.set(d, at);
    at += d.length;
  }
  return { width, height, depth, colour, interlaced, palette, trns, idat: joined };
}

/** The pixels of an 8-bit, non-interlaced PNG, filters undone (PNG §9): one loop per filter type. */
function unfilter(png: Png): Uint8Array {
  const bpp = CHANNELS[png.colour]!;
  const row = png.width * bpp;
  const raw = inflate(png.idat, (row + 1) * png.height);
  const out = new Uint8Array(row * png.height);
  for (let y = 0; y < png.height; y++) {
    const filter = raw[y * (row + 1)]!;
    const src = y * (row + 1) + 1;
    const dst = y * row;
    const prev = dst - row;
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + row), dst);
        break;
      case 1:
        for (let x = 0; x < row; x++) out[dst + x] = (raw[src + x]! + (x >= bpp ? out[dst + x - bpp]! : 0)) & 0xff;
        break;
      case 2:
        if (y === 0) out.set(raw.subarray(src, src + row), dst);
        else for (let x = 0; x < row; x++) out[dst + x] = (raw[src + x]! + out[prev + x]!) & 0xff;
        break;
      case 3:
        for (let x = 0; x < row; x++) {
          const left = x >= bpp ? out[dst + x - bpp]! : 0;
          const up = y > 0 ? out[prev + x]! : 0;
          out[dst + x] = (raw[src + x]! + ((left + up) >> 1)) & 0xff;
        }
        break;
      default:
        for (let x = 0; x < row; x++) {
          const left = x >= bpp ? out[dst + x - bpp]! : 0;
          const up = y > 0 ? out[prev + x]! : 0;
          const upLeft = x >= bpp && y > 0 ? out[prev + x - bpp]! : 0;
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          out[dst + x] = (raw[src + x]! + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)) & 0xff;
        }
    }
  }
  return out;
}

/**
 * zlib inflate: the runtime's native zlib when it has one (Node, Deno, Bun,
 * found through `process.getBuiltinModule`, so browser bundles stay free of
 * Node built-ins), else fflate. Inflating gives the same bytes either way.
 */
function inflate(data: Uint8Array, size: number): Uint8Array {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule === 'function') {
    let zlib: { inflateSync?: (b: Uint8Array, o: { maxOutputLength: number }) => Uint8Array } | undefined;
    try {
      zlib = proc.getBuiltinModule('node:zlib') as typeof zlib;
    } catch {
      zlib = undefined;
    }
    if (typeof zlib?.inflateSync === 'function') {
      const out = zlib.inflateSync(data, { maxOutputLength: size });
      if (out.length === size) return new Uint8Array(out.buffer, out.byteOffset, out.length);
    }
  }
  return unzlibSync(data, { out: new Uint8Array(size) });
}

/** Interlaced or non-8-bit PNGs: pdf-lib's decoder, its objects taken as they are. */
async function viaEngine(bytes: Uint8Array): Promise<PdfImage> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const image = await doc.embedPng(bytes);
  await doc.flush();
  const take = (ref: PDFRef): { dict: Map<string, WritableValue>; data: Uint8Array } => {
    const stream = doc.context.lookup(ref) as PDFRawStream;
    const dict = new Map<string, WritableValue>();
    for (const [k, v] of stream.dict.entries()) {
      const key = k.asString().slice(1);
      if (key === 'Length' || key === 'SMask') continue;
      dict.set(key, new RawPdf(v.toString()));
    }
    return { dict, data: stream.contents };
  };
  const main = take(image.ref);
  const smaskRef = (doc.context.lookup(image.ref) as PDFRawStream).dict.get(PDFName.of('SMask'));
  const smask = smaskRef instanceof PDFRef ? take(smaskRef) : undefined;
  return { width: image.width, height: image.height, ...main, ...(smask === undefined ? {} : { smask }) };
}
