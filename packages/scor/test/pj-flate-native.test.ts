/**
 * FlateDecode through the runtime's native zlib decoder (issue 19): the PJ
 * reader decodes a valid zlib stream natively and leaves everything else to
 * fflate. The results must be exactly those of the fflate-only decoder it
 * replaced, kept below verbatim as the oracle: seeded fuzz of valid,
 * truncated, bit-flipped, overwritten, bad-Adler, Adler-less, trailing-garbage,
 * re-headered, dictionary, raw-deflate and empty streams, and bombs on both
 * sides of the limit — through `decodeFilters` and through `checkPj`, with
 * the native decoder on and off (a browser has none).
 */
import { constants, deflateRawSync, deflateSync } from 'node:zlib';
import { type DeflateOptions, Inflate, inflateSync, zlibSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import type { BuiltinInflate } from '@s3404/core';
import { Budget, PdfReadError } from '@s3404/core/pdf';
import { checkPj, type PjReport } from '@s3404/scor';
import { prng } from '@s3404/tooling/test-kit';
import { decodeFilters, type Decoded } from '../src/internal/pdf/filters.js';
import { pdfOf, streamBody } from './fixtures/pdf-writer.js';

/** The native decoder the reader gets, wrapped: it can be switched off (as in a browser), and its answers are counted. */
const native = vi.hoisted(() => ({ on: true, calls: 0, answered: 0 }));
vi.mock('@s3404/core', async (importOriginal) => {
  const real = await importOriginal<typeof import('@s3404/core')>();
  const inflate = real.builtinInflate();
  const counted: BuiltinInflate = (input, options) => {
    native.calls++;
    const out = native.on ? inflate?.(input, options) : undefined;
    if (out !== undefined) native.answered++;
    return out;
  };
  return { ...real, builtinInflate: () => (inflate === undefined ? undefined : counted) };
});

const LIMIT = 64 * 1024 * 1024;
const FLATE = [{ name: 'FlateDecode', params: undefined }];

// --- the oracle: the fflate-only decoder as it was before the native decoder (verbatim)

function tooBig(max: number): PdfReadError {
  return new PdfReadError('too-complex', `a stream decodes to more than ${max} bytes`);
}

function fflateFlate(data: Uint8Array, max: number): Decoded {
  const zlib = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  const body = zlib ? data.subarray(2) : data;
  if (body.length * 1032 <= max) {
    try {
      const guess = Math.min(max, body.length * 8 + 4096);
      const out = inflateSync(body, { out: new Uint8Array(guess) });
      if (out.length < guess) return { bytes: out, damaged: false };
      return { bytes: inflateSync(body), damaged: false };
    } catch {
      // damaged: salvage what the streaming decoder gets before the damage
    }
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > max) over = true;
    else chunks.push(chunk);
  });
  let damaged = false;
  const STEP = 16 * 1024;
  try {
    for (let i = 0; i < body.length && !over; i += STEP) inflater.push(body.subarray(i, i + STEP), i + STEP >= body.length);
  } catch {
    damaged = true;
  }
  if (over) throw tooBig(max);
  return { bytes: concatChunks(chunks, size), damaged };
}

function concatChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

// --- outcomes

/** A decoding's observable result: its bytes and damage, or the reading error it throws. */
type Outcome = { readonly bytes: Uint8Array; readonly damaged: boolean } | { readonly reason: string; readonly detail: string };

function outcomeOf(decode: () => Decoded): Outcome {
  try {
    const { bytes, damaged } = decode();
    return { bytes, damaged };
  } catch (e) {
    if (!(e instanceof PdfReadError)) throw e;
    return { reason: e.reason, detail: e.detail };
  }
}

/** The same outcome: the same plain `Uint8Array` bytes (compared without walking 64 MiB through `toEqual`), damage, or error. */
function expectSame(actual: Outcome, expected: Outcome, what: string): void {
  if (!('bytes' in expected) || !('bytes' in actual)) {
    expect(actual, what).toEqual(expected);
    return;
  }
  expect({ length: actual.bytes.length, damaged: actual.damaged }, what).toEqual({ length: expected.bytes.length, damaged: expected.damaged });
  expect(Object.getPrototypeOf(actual.bytes), what).toBe(Uint8Array.prototype);
  expect(Buffer.compare(actual.bytes, expected.bytes), what).toBe(0);
}

// --- the fuzz corpus

type Random = () => number;
const int = (r: Random, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Random, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const enc = new TextEncoder();
const randomBytes = (r: Random, n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(r, 256));

/** Content-stream text: image placements among path and text operators, as a page's content reads. */
function contentText(r: Random, ops: number): string {
  let s = '';
  for (let i = 0; i < ops; i++) {
    const k = int(r, 5);
    if (k === 0) s += `q ${50 + int(r, 550)} 0 0 ${50 + int(r, 790)} ${int(r, 300)} ${int(r, 400)} cm /Im${int(r, 2)} Do Q\n`;
    else if (k === 1) s += `BT /F1 ${6 + int(r, 10)} Tf ${int(r, 595)} ${int(r, 842)} Td (Ligne ${i} : ${int(r, 1e6)}) Tj ET\n`;
    else s += `${int(r, 595)}.${int(r, 100)} ${int(r, 842)} m ${int(r, 595)} ${int(r, 842)} l S\n`;
  }
  return s;
}

/** Data to compress: content text, incompressible bytes, runs, or a mix; from empty to about 300 KB. */
function payload(r: Random): Uint8Array {
  const size = int(r, 8) === 0 ? int(r, 64) : Math.floor(2 ** (6 + r() * 12.2));
  switch (int(r, 4)) {
    case 0:
      return enc.encode(contentText(r, Math.ceil(size / 30))).subarray(0, size);
    case 1:
      return randomBytes(r, size);
    case 2:
      return new Uint8Array(size).fill(int(r, 256));
    default: {
      const out = enc
        .encode(contentText(r, Math.ceil(size / 30)))
        .subarray(0, size)
        .slice();
      for (let i = int(r, 64); i < out.length; i += 1 + int(r, 400)) out.set(randomBytes(r, Math.min(out.length - i, int(r, 40))), i);
      return out;
    }
  }
}

const STRATEGIES = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED];

/** A zlib stream of `data` from fflate or from zlib itself, at any level, strategy and window. */
function zlibOf(r: Random, data: Uint8Array): Uint8Array {
  if (r() < 0.5) return zlibSync(data, { level: int(r, 10) as NonNullable<DeflateOptions['level']> });
  return new Uint8Array(deflateSync(data, { level: int(r, 10), strategy: pick(r, STRATEGIES), windowBits: 9 + int(r, 7), memLevel: 1 + int(r, 9) }));
}

/** `zlib` with a new header: window size `cinfo`, a level, and a preset-dictionary identifier when `fdict`. */
function reheader(zlib: Uint8Array, cinfo: number, fdict: boolean, r: Random): Uint8Array {
  const cmf = (cinfo << 4) | 8;
  const base = (int(r, 4) << 6) | (fdict ? 0x20 : 0);
  const flg = base | ((31 - (((cmf << 8) | base) % 31)) % 31);
  return Uint8Array.from([cmf, flg, ...(fdict ? randomBytes(r, 4) : []), ...zlib.subarray(2)]);
}

function flipBits(r: Random, data: Uint8Array, count: number, from = 0): Uint8Array {
  const out = data.slice();
  for (let k = 0; k < count && out.length > from; k++) out[from + int(r, out.length - from)]! ^= 1 << int(r, 8);
  return out;
}

interface Case {
  readonly kind: string;
  readonly data: Uint8Array;
  readonly max: number;
}

/** One stream of each kind in turn, `count` in all, from `seed`. */
function corpus(seed: number, count: number): Case[] {
  const r = prng(seed);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const plain = payload(r);
    const z = zlibOf(r, plain);
    // Mostly the reader's limit; sometimes a small one, so that fflate's streaming path decodes real data.
    const max = r() < 0.75 ? LIMIT : pick(r, [64 * 1024, 1024 * 1024]);
    cases.push({ kind, max, ...MUTATE[kind]!(r, z, plain, max) });
  }
  return cases;
}

/** How each kind makes its stream from a zlib stream `z` of `plain`; some also set the limit. */
const MUTATE: Record<string, (r: Random, z: Uint8Array, plain: Uint8Array, max: number) => { data: Uint8Array; max?: number }> = {
  valid: (_r, z) => ({ data: z }),
  truncated: (r, z) => ({ data: z.subarray(0, int(r, z.length)) }),
  'flipped-bits': (r, z) => ({ data: flipBits(r, z, 1 + int(r, 4), r() < 0.8 ? 2 : 0) }),
  overwritten: (r, z) => {
    const out = z.slice();
    const at = 2 + int(r, Math.max(1, out.length - 2));
    out.set(randomBytes(r, Math.min(out.length - at, 1 + int(r, 32))), at);
    return { data: out };
  },
  'bad-adler': (r, z) => ({ data: flipBits(r, z, 1 + int(r, 3), z.length - 4) }),
  'no-adler': (r, z) => ({ data: z.subarray(0, z.length - 1 - int(r, 4)) }),
  'trailing-garbage': (r, z) => {
    const tail = pick(r, [randomBytes(r, 1 + int(r, 100)), enc.encode('\r\n'), enc.encode('\nendstream'), zlibSync(randomBytes(r, int(r, 200)))]);
    return { data: Uint8Array.from([...z, ...tail]) };
  },
  reheadered: (r, z) => ({ data: reheader(z, int(r, 9), r() < 0.3, r) }),
  dictionary: (r, _z, plain) => ({ data: new Uint8Array(deflateSync(plain, { dictionary: enc.encode(contentText(r, 3)) })) }),
  'raw-deflate': (r, _z, plain) => ({ data: new Uint8Array(deflateRawSync(plain, { level: int(r, 10) })) }),
  empty: (r) => ({
    data: pick(r, [new Uint8Array(0), Uint8Array.of(0x78), Uint8Array.of(0x78, 0x9c), zlibSync(new Uint8Array(0)), Uint8Array.of(0x78, 0x9c, 0x03)]),
  }),
  'tight-limit': (r, z, plain) => ({ data: z, max: Math.max(0, plain.length - 1 + int(r, 3)) }),
  bomb: (r) => {
    const size = 2 ** (10 + int(r, 13)) + int(r, 1000);
    const data = zlibSync(new Uint8Array(size).fill(pick(r, [0, 0x20])), { level: 9 });
    return { data, max: size - 1 + int(r, 3) };
  },
};
const KINDS = Object.keys(MUTATE);

// --- checkPj on a page whose content stream is the stream under test

const IMAGE = (w: number, h: number): Uint8Array =>
  streamBody(`/Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode`, new Uint8Array(16));

/** One A4 page painting images `Im0` and `Im1` as its content says; the content stream's data and filter as given. */
function pagePdf(content: Uint8Array, filter: string): Uint8Array {
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /Im0 5 0 R /Im1 6 0 R >> >> /Contents 4 0 R >>',
    streamBody(filter, content),
    IMAGE(1654, 2339),
    IMAGE(827, 1170),
  ]);
}

const DAMAGED = 'ERR_PJ_STREAM_DAMAGED';
/** A report without what differs between a PDF and its twin by construction: the file size and the damaged-stream warning. */
const comparable = (r: PjReport): PjReport => ({ ...r, bytes: 0, issues: r.issues.filter((i) => i.code !== DAMAGED) });

/** `checkPj` of the content stream `data` gives the report of its twin whose content is the oracle's bytes, unfiltered. */
function expectSameReport(data: Uint8Array, what: string): void {
  const expected = outcomeOf(() => fflateFlate(data, LIMIT));
  const report = checkPj(pagePdf(data, '/Filter /FlateDecode'));
  if (!('bytes' in expected)) {
    expect(
      report.issues.map((i) => [i.code, i.params['detail']]),
      what,
    ).toContainEqual(['ERR_PJ_TOO_COMPLEX', expected.detail]);
    return;
  }
  expect(comparable(report), what).toEqual(comparable(checkPj(pagePdf(expected.bytes, ''))));
  expect(
    report.issues.some((i) => i.code === DAMAGED),
    what,
  ).toBe(expected.damaged);
}

describe('FlateDecode: the native zlib decoder gives what fflate gave (issue 19)', () => {
  it('decodes 1,300 fuzzed streams exactly as the fflate-only decoder did', () => {
    native.on = true;
    const before = { calls: native.calls, answered: native.answered };
    const tally = new Map<string, number>();
    for (const [i, c] of corpus(19_2026, 1300).entries()) {
      const what = `#${i} ${c.kind} (${c.data.length} B, max ${c.max})`;
      const expected = outcomeOf(() => fflateFlate(c.data, c.max));
      expectSame(
        outcomeOf(() => decodeFilters(c.data, FLATE, c.max, new Budget())),
        expected,
        what,
      );
      const verdict = 'reason' in expected ? expected.reason : expected.damaged ? 'damaged' : 'whole';
      tally.set(verdict, (tally.get(verdict) ?? 0) + 1);
    }
    // The corpus reaches every verdict, and the native decoder both answered and declined many times.
    expect(tally.get('whole')).toBeGreaterThan(500);
    expect(tally.get('damaged')).toBeGreaterThan(150);
    expect(tally.get('too-complex')).toBeGreaterThan(60);
    expect(native.answered - before.answered).toBeGreaterThan(250);
    expect(native.calls - native.answered - (before.calls - before.answered)).toBeGreaterThan(400);
  });

  it('decodes the same streams the same way without a native decoder, as in a browser', () => {
    native.on = false;
    try {
      for (const [i, c] of corpus(19_2027, 650).entries())
        expectSame(
          outcomeOf(() => decodeFilters(c.data, FLATE, c.max, new Budget())),
          outcomeOf(() => fflateFlate(c.data, c.max)),
          `#${i} ${c.kind}`,
        );
    } finally {
      native.on = true;
    }
  });

  it('decodes natively from 64 bytes of zlib data, and never keeps a small result inside a larger buffer', () => {
    const r = prng(7);
    for (let n = 0; n < 60; n++) {
      const plain = enc.encode(contentText(r, 1 + int(r, 600)));
      const z = zlibOf(r, plain);
      const answered = native.answered;
      const { bytes } = decodeFilters(z, FLATE, LIMIT, new Budget());
      expect(Buffer.compare(bytes, plain)).toBe(0);
      expect(native.answered - answered).toBe(z.length >= 64 ? 1 : 0);
      if (z.length >= 64) expect(bytes.buffer.byteLength).toBeLessThanOrEqual(2 * bytes.length);
    }
  });

  it('checkPj reports on 300 fuzzed content streams what it reported with fflate alone', () => {
    const r = prng(3404);
    const kinds = ['valid', 'truncated', 'flipped-bits', 'overwritten', 'bad-adler', 'no-adler', 'trailing-garbage', 'reheadered', 'raw-deflate'];
    const answered = native.answered;
    for (let i = 0; i < 300; i++) {
      const kind = kinds[i % kinds.length]!;
      const plain = enc.encode(contentText(r, 1 + Math.floor(2 ** (r() * 11))));
      const { data } = MUTATE[kind]!(r, zlibOf(r, plain), plain, LIMIT);
      expectSameReport(data, `#${i} ${kind} (${data.length} B)`);
    }
    expect(native.answered - answered).toBeGreaterThan(60);
  });

  it('checkPj decodes a content stream of exactly 64 MiB and stops one byte more as a decompression bomb', () => {
    const head = enc.encode('q 595.28 0 0 841.89 0 0 cm /Im0 Do Q\n');
    const twin = checkPj(pagePdf(head, ''));
    expect(twin.pages[0]!.images).toHaveLength(1);
    for (const size of [LIMIT, LIMIT + 1]) {
      const content = new Uint8Array(size).fill(0x20);
      content.set(head);
      const report = checkPj(pagePdf(new Uint8Array(deflateSync(content, { level: 9 })), '/Filter /FlateDecode'));
      if (size === LIMIT) expect(comparable(report)).toEqual(comparable(twin));
      else
        expect(report.issues.map((i) => [i.code, i.params['detail']])).toContainEqual(['ERR_PJ_TOO_COMPLEX', `a stream decodes to more than ${LIMIT} bytes`]);
    }
  });
});
