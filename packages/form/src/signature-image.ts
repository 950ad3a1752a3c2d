import { builtinInflate, builtinSha256, toHex, type Issue, type Locale, type LocalizedText, type MessageParams } from '@s3404/core';
import { Inflate } from 'fflate';
import { FORM_ERRORS } from './errors/form-errors.js';
import { DigestMemo } from './pdf/internal/pdf-memo.js';

/**
 * Limits of a signature image (FORM-6, SIG-2, X-2): the PNG's size in bytes
 * and its sides in pixels.
 *
 * @public
 */
export interface SignatureImageLimits {
  /** Largest PNG, in bytes. */
  readonly maxBytes: number;
  /** Smallest side, in pixels. */
  readonly minSide: number;
  /** Largest side, in pixels. */
  readonly maxSide: number;
}

/**
 * The widest limits of a signature image the SDK accepts anywhere (FORM-6,
 * a PNG of at most 2 MiB, 8 to 4,096 pixels a side. `placeSignature`
 * applies them; the capture limits of `@s3404/seal` (`CAPTURE_LIMITS`,
 * 512 KiB and 16 to 4,096 pixels by default) may only be narrower, so that
 * every sealed image can be placed.
 *
 * `import { SIGNATURE_IMAGE_LIMITS } from '@s3404/form'`
 *
 * @public
 */
export const SIGNATURE_IMAGE_LIMITS: SignatureImageLimits = Object.freeze({ maxBytes: 2 * 1024 * 1024, minSide: 8, maxSide: 4096 });

/** Which kind of problem a signature image has (FORM-6, SIG-2). @public */
export type SignatureImageProblem = 'format' | 'size' | 'dimensions' | 'pixels';

/**
 * The verdict on a signature image (FORM-6, SIG-2): `ok` with its size, or
 * the problem — `format` (not a PNG the SDK reads: signature, chunks, CRCs,
 * header, chunk order), `size` (too many bytes), `dimensions` (sides out of
 * the limits), `pixels` (the image data does not decode: zlib stream,
 * decompressed size, scanline filters, checksum) — with its code
 * (`ERR_SIGNATURE_IMAGE_INVALID`), `params` and one issue.
 *
 * @public
 */
export type SignatureImageCheck =
  | { readonly ok: true; readonly issues: readonly []; readonly width: number; readonly height: number }
  | {
      readonly ok: false;
      readonly issues: readonly [Issue];
      readonly code: 'ERR_SIGNATURE_IMAGE_INVALID';
      readonly params: MessageParams;
      readonly problem: SignatureImageProblem;
      /** What is wrong, in both languages. */
      readonly detail: LocalizedText;
      /** The sides read from the header, when it was read. */
      readonly width?: number;
      readonly height?: number;
    };

/** Options of {@link checkSignatureImage}. @public */
export interface CheckSignatureImageOptions {
  /** Narrower limits than {@link SIGNATURE_IMAGE_LIMITS} (never wider). */
  readonly limits?: Partial<SignatureImageLimits>;
  /** Language of the issue's message. Default French. */
  readonly locale?: Locale;
  /** Path of the image in the caller's data, for the issue. Default `[]`. */
  readonly path?: readonly (string | number)[];
}

/** The runtime's native zlib decoder, for valid image data (see checkImageData). */
const nativeInflate = builtinInflate();

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

/** Bit depths allowed by colour type (PNG §11.2.2). */
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
/** Samples per pixel by colour type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Ancillary chunks with a fixed length, which decoders read as such. */
const FIXED_LENGTH: Readonly<Record<string, number>> = { gAMA: 4, cHRM: 32, sRGB: 1, pHYs: 9, tIME: 7 };
/** Chunks a signature image may not carry: animation (APNG), compressed text, histograms. */
const REFUSED = new Set(['acTL', 'fcTL', 'fdAT', 'zTXt', 'iTXt', 'hIST']);

class ImageProblem extends Error {
  constructor(
    readonly problem: SignatureImageProblem,
    readonly detail: LocalizedText,
  ) {
    super(detail.en);
  }
}

const format = (fr: string, en: string): ImageProblem => new ImageProblem('format', { fr, en });
const pixels = (fr: string, en: string): ImageProblem => new ImageProblem('pixels', { fr, en });

interface Header {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly colour: number;
  readonly interlaced: boolean;
}

/** Scanline layout of the image data: for each pass, its row count and row length (filter byte included). */
function scanlines(h: Header): { rows: number; length: number }[] {
  const bits = CHANNELS[h.colour]! * h.depth;
  const row = (w: number): number => 1 + Math.ceil((w * bits) / 8);
  if (!h.interlaced) return [{ rows: h.height, length: row(h.width) }];
  // Adam7 (PNG §8.2): start and step of each pass, columns then rows.
  const passes = [
    [0, 8, 0, 8],
    [4, 8, 0, 8],
    [0, 4, 4, 8],
    [2, 4, 0, 4],
    [0, 2, 2, 4],
    [1, 2, 0, 2],
    [0, 1, 1, 2],
  ] as const;
  const out: { rows: number; length: number }[] = [];
  for (const [x0, dx, y0, dy] of passes) {
    const w = Math.ceil((h.width - x0) / dx);
    const rows = Math.ceil((h.height - y0) / dy);
    if (w > 0 && rows > 0) out.push({ rows, length: row(w) });
  }
  return out;
}

/**
 * Inflates the zlib stream of the image data in bounded steps and checks,
 * without keeping the pixels: the zlib header, a deflate stream that ends,
 * exactly the decompressed size the header implies, a valid filter type
 * (0…4) at the start of every scanline, and the Adler-32 checksum.
 */
function checkImageData(data: Uint8Array, h: Header): void {
  if (data.length < 6) throw pixels('flux zlib tronqué', 'truncated zlib stream');
  const cmf = data[0]!;
  const flg = data[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 0x20) !== 0) {
    throw pixels('en-tête zlib invalide', 'invalid zlib header');
  }
  const layout = scanlines(h);
  let expected = 0;
  for (const p of layout) expected += p.rows * p.length;
  let produced = 0;
  let pass = 0;
  let nextRowStart = 0;
  let passEnd = layout[0]!.rows * layout[0]!.length;
  // The first byte of every scanline is its filter type.
  const filters = (chunk: Uint8Array): void => {
    while (nextRowStart < produced + chunk.length) {
      const filter = chunk[nextRowStart - produced]!;
      if (filter > 4) throw pixels(`type de filtre ${filter} inconnu en début de ligne`, `unknown filter type ${filter} at the start of a scanline`);
      nextRowStart += layout[pass]!.length;
      if (nextRowStart >= passEnd) {
        if (pass + 1 >= layout.length) break;
        pass++;
        passEnd += layout[pass]!.rows * layout[pass]!.length;
      }
    }
  };
  // A whole valid stream, decoded natively where the runtime can (issue 19): ending exactly where the data ends,
  // its checksum the last 4 bytes, the size expected — then only the filters are left to check. Anything else is
  // judged below, by the decoder that gives the verdicts, whatever the runtime.
  const decoded = nativeInflate?.(data, { maxBytes: expected });
  if (decoded !== undefined && decoded.consumed === data.length && decoded.bytes.length === expected) {
    filters(decoded.bytes);
    return;
  }
  let a = 1;
  let b = 0;
  const inflate = new Inflate((chunk) => {
    if (produced + chunk.length > expected) {
      throw pixels(`données d'image plus longues que ${expected} octets`, `image data longer than ${expected} bytes`);
    }
    filters(chunk);
    // Adler-32 (RFC 1950), in blocks small enough not to overflow.
    for (let i = 0; i < chunk.length; ) {
      const end = Math.min(chunk.length, i + 3800);
      for (; i < end; i++) {
        a += chunk[i]!;
        b += a;
      }
      a %= 65521;
      b %= 65521;
    }
    produced += chunk.length;
  });
  const deflated = data.subarray(2, data.length - 4);
  try {
    // Small steps bound what one step can produce (deflate expands at most ~1,032 times).
    const step = 4096;
    for (let i = 0; i < deflated.length || i === 0; i += step) {
      inflate.push(deflated.subarray(i, i + step), i + step >= deflated.length);
    }
  } catch (e) {
    if (e instanceof ImageProblem) throw e;
    throw pixels('flux zlib illisible ou tronqué', 'unreadable or truncated zlib stream');
  }
  if (produced !== expected) {
    throw pixels(`${produced} octets d'image au lieu de ${expected}`, `${produced} bytes of image data instead of ${expected}`);
  }
  if (((b << 16) | a) >>> 0 !== u32(data, data.length - 4)) throw pixels('somme de contrôle Adler-32 fausse', 'wrong Adler-32 checksum');
}

/** Walks the chunks and decodes the image data; returns the header or throws an {@link ImageProblem}. */
function inspect(bytes: Uint8Array, limits: SignatureImageLimits): Header {
  if (bytes.byteLength > limits.maxBytes) {
    throw new ImageProblem('size', {
      fr: `${bytes.byteLength} octets, ${limits.maxBytes} au plus`,
      en: `${bytes.byteLength} bytes, at most ${limits.maxBytes}`,
    });
  }
  if (bytes.byteLength < 8 || SIGNATURE.some((v, i) => bytes[i] !== v))
    throw format('ce n’est pas une image PNG (signature absente)', 'not a PNG image (no PNG signature)');
  let pos = 8;
  let header: Header | undefined;
  let palette = 0;
  let idat: Uint8Array[] = [];
  let idatDone = false;
  let idatBytes = 0;
  for (;;) {
    if (pos + 12 > bytes.length) throw format('fin du fichier avant le bloc IEND', 'the file ends before the IEND chunk');
    const length = u32(bytes, pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const start = pos + 8;
    const end = start + length;
    if (!/^[A-Za-z]{4}$/.test(type)) throw format('type de bloc illisible', 'unreadable chunk type');
    if (length > 0x7fffffff || end + 4 > bytes.length) throw format(`bloc ${type} tronqué`, `truncated ${type} chunk`);
    if (crc32(bytes, pos + 4, end) !== u32(bytes, end)) throw format(`CRC du bloc ${type} faux`, `wrong CRC of the ${type} chunk`);
    pos = end + 4;
    if (header === undefined) {
      if (type !== 'IHDR' || length !== 13) throw format('le premier bloc doit être IHDR', 'the first chunk must be IHDR');
      const width = u32(bytes, start);
      const height = u32(bytes, start + 4);
      const depth = bytes[start + 8]!;
      const colour = bytes[start + 9]!;
      if (!(DEPTHS[colour] ?? []).includes(depth)) {
        throw format(`profondeur ${depth} impossible pour le type de couleur ${colour}`, `bit depth ${depth} impossible for colour type ${colour}`);
      }
      if (bytes[start + 10] !== 0 || bytes[start + 11] !== 0 || bytes[start + 12]! > 1) {
        throw format('méthode de compression, de filtrage ou d’entrelacement inconnue', 'unknown compression, filter or interlace method');
      }
      if (width < limits.minSide || height < limits.minSide || width > limits.maxSide || height > limits.maxSide) {
        const { minSide, maxSide } = limits;
        const detail = {
          fr: `${width}×${height} pixels, attendu ${minSide} à ${maxSide} pixels de côté`,
          en: `${width}×${height} pixels, expected ${minSide} to ${maxSide} pixels a side`,
        };
        throw Object.assign(new ImageProblem('dimensions', detail), { width, height });
      }
      header = { width, height, depth, colour, interlaced: bytes[start + 12] === 1 };
      continue;
    }
    const h = header;
    if (idat.length > 0 && type !== 'IDAT') idatDone = true;
    switch (type) {
      case 'IHDR':
        throw format('bloc IHDR répété', 'repeated IHDR chunk');
      case 'PLTE': {
        const entries = length / 3;
        if (palette > 0 || idat.length > 0 || h.colour === 0 || h.colour === 4 || length === 0 || length % 3 !== 0 || entries > 256) {
          throw format('palette PLTE mal placée ou mal formée', 'misplaced or malformed PLTE palette');
        }
        if (h.colour === 3 && entries > 2 ** h.depth)
          throw format('palette plus longue que la profondeur ne le permet', 'palette longer than the bit depth allows');
        palette = entries;
        break;
      }
      case 'tRNS': {
        const ok = h.colour === 0 ? length === 2 : h.colour === 2 ? length === 6 : h.colour === 3 ? palette > 0 && length >= 1 && length <= palette : false;
        if (!ok || idat.length > 0) throw format('bloc de transparence tRNS mal placé ou mal formé', 'misplaced or malformed tRNS transparency chunk');
        break;
      }
      case 'bKGD': {
        const want = h.colour === 3 ? 1 : h.colour === 2 || h.colour === 6 ? 6 : 2;
        if (length !== want) throw format('bloc bKGD mal formé', 'malformed bKGD chunk');
        break;
      }
      case 'IDAT':
        if (idatDone) throw format('blocs IDAT non consécutifs', 'IDAT chunks are not consecutive');
        if (h.colour === 3 && palette === 0) throw format('image à palette sans bloc PLTE', 'palette image without a PLTE chunk');
        idat.push(bytes.subarray(start, end));
        idatBytes += length;
        break;
      case 'IEND': {
        if (length !== 0 || pos !== bytes.length) throw format('données après le bloc IEND', 'data after the IEND chunk');
        if (idat.length === 0) throw format('aucun bloc de données IDAT', 'no IDAT data chunk');
        const data = new Uint8Array(idatBytes);
        let o = 0;
        for (const part of idat) {
          data.set(part, o);
          o += part.length;
        }
        idat = [];
        checkImageData(data, h);
        return h;
      }
      default:
        if (REFUSED.has(type)) throw format(`bloc ${type} non admis dans une image de signature`, `${type} chunk not allowed in a signature image`);
        // An unknown critical chunk (upper-case first letter) cannot be ignored (PNG §5.4).
        if (type.charCodeAt(0) < 0x61) throw format(`bloc critique inconnu ${type}`, `unknown critical chunk ${type}`);
        if (FIXED_LENGTH[type] !== undefined && FIXED_LENGTH[type] !== length) throw format(`bloc ${type} mal formé`, `malformed ${type} chunk`);
    }
  }
}

/** The limits in force: the defaults, narrowed by `partial`. */
function resolveImageLimits(partial: Partial<SignatureImageLimits> | undefined): SignatureImageLimits {
  const limits = { ...SIGNATURE_IMAGE_LIMITS, ...partial };
  const { maxBytes, minSide, maxSide } = limits;
  for (const v of [maxBytes, minSide, maxSide]) if (!Number.isInteger(v) || v < 1) throw new TypeError('checkSignatureImage: limits must be positive integers');
  if (maxBytes > SIGNATURE_IMAGE_LIMITS.maxBytes || minSide < SIGNATURE_IMAGE_LIMITS.minSide || maxSide > SIGNATURE_IMAGE_LIMITS.maxSide || minSide > maxSide) {
    throw new TypeError('checkSignatureImage: limits may only narrow SIGNATURE_IMAGE_LIMITS (2 MiB, 8…4096 px)');
  }
  return limits;
}

/** The runtime's native SHA-256, where it has one (no memo without it: hashing in JavaScript would cost what it saves). */
const nativeSha256 = builtinSha256();

/**
 * Images accepted lately, by the SHA-256 of their exact bytes and the limits they were checked against (issue 19):
 * one signature's image is checked when it is sealed, when its record is verified and when it is placed, decoded
 * once. Only a digest and the image's size are kept, never the image (SIG-6), and only positive verdicts; any other
 * byte string is decoded again.
 */
const acceptedImages = new DigestMemo<{ readonly width: number; readonly height: number }>(4096);

function imageKey(bytes: Uint8Array, limits: SignatureImageLimits): string | undefined {
  // An image over the size limit is refused at once by `inspect`: it is never hashed.
  if (nativeSha256 === undefined || bytes.byteLength > limits.maxBytes) return undefined;
  const digest = nativeSha256.hex?.(bytes) ?? toHex(nativeSha256(bytes));
  return `${digest}:${limits.maxBytes}:${limits.minSide}:${limits.maxSide}`;
}

/**
 * Checks a signature image completely, as the PDF engine will read it
 * (FORM-6, SIG-2, X-2): a PNG within the limits whose chunks, CRCs and
 * header are right, whose chunks come in order (no animation, no
 * compressed text), and whose pixel data decodes — the zlib stream inflates
 * to exactly the size the header implies, every scanline has a valid
 * filter, the checksum matches. Decoding is bounded: a compression bomb
 * stops at the expected size. An image this check accepts can be placed;
 * `@s3404/seal` runs it when sealing and verifying, so a record whose image
 * would fail on the PDF is never sealed nor consumed. Bytes accepted before
 * with the same limits (compared by their SHA-256; only the digest and the
 * size are kept, never the image) are not decoded again in this process.
 *
 * `import { checkSignatureImage } from '@s3404/form'`
 *
 * @example
 * ```ts
 * const check = checkSignatureImage(png, { locale: 'en' })
 * if (!check.ok) console.log(check.problem, check.issues[0].message) // 'pixels', 'Invalid signature image: unreadable or truncated zlib stream.'
 * ```
 * @returns a verdict; never throws for bad bytes.
 * @throws TypeError for limits wider than {@link SIGNATURE_IMAGE_LIMITS}.
 * @public
 */
export function checkSignatureImage(bytes: Uint8Array, options: CheckSignatureImageOptions = {}): SignatureImageCheck {
  const limits = resolveImageLimits(options.limits);
  try {
    if (!(bytes instanceof Uint8Array)) throw format('un Uint8Array est attendu', 'a Uint8Array is expected');
    const key = imageKey(bytes, limits);
    const known = key === undefined ? undefined : acceptedImages.get(key);
    if (known !== undefined) return { ok: true, issues: [], width: known.width, height: known.height };
    const h = inspect(bytes, limits);
    if (key !== undefined) acceptedImages.set(key, { width: h.width, height: h.height });
    return { ok: true, issues: [], width: h.width, height: h.height };
  } catch (e) {
    if (!(e instanceof ImageProblem)) throw e;
    const params = { detail: e.detail };
    const message = FORM_ERRORS.message('ERR_SIGNATURE_IMAGE_INVALID', params, options.locale);
    const size = e as ImageProblem & { width?: number; height?: number };
    return {
      ok: false,
      issues: [{ code: 'ERR_SIGNATURE_IMAGE_INVALID', path: options.path ?? [], message }],
      code: 'ERR_SIGNATURE_IMAGE_INVALID',
      params,
      problem: e.problem,
      detail: e.detail,
      ...(size.width === undefined ? {} : { width: size.width, height: size.height }),
    };
  }
}
