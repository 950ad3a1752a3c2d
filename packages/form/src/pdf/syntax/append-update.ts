import { sha256 as pureSha256 } from '@noble/hashes/sha2.js';
import { concatBytes, builtinSha256 } from '@s3404/core';
import { isDict, PdfRef, PdfString, type PdfDict } from '@s3404/core/pdf';
import type { PdfFile } from './pdf-file.js';
import { hexString, RawPdf, writeName, writeValue, type WritableValue } from './serialize.js';

/** The runtime's native SHA-256 where it has one, else the pure one: the same digests (issue 19). */
const sha256 = builtinSha256() ?? pureSha256;

/** An object of an incremental update: a value, a stream (dictionary and data), or syntax the caller wrote. */
export type UpdateObject =
  | { readonly num: number; readonly value: WritableValue }
  | { readonly num: number; readonly dict: Map<string, WritableValue>; readonly data: Uint8Array }
  | { readonly num: number; readonly raw: Uint8Array };

/** The bytes of a file with an update appended, and where each new object starts. */
export interface AppendedUpdate {
  readonly bytes: Uint8Array;
  /** Offset of `n 0 obj` of each object written. */
  readonly offsets: ReadonlyMap<number, number>;
  /** Where the update starts (the previous file's length, plus an end of line if it lacked one). */
  readonly start: number;
}

const latin1 = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
};

/**
 * Appends an incremental update to a PDF (ISO 32000-1 §7.5.6): the new or
 * redefined objects, then a cross-reference section of the same kind as
 * the last one (a table after a table, an uncompressed stream after a
 * stream), a trailer with `/Prev` to the previous section, `startxref` and
 * `%%EOF`. Every byte of the file as given is kept as it is, and nothing
 * already written is re-serialised. The trailer's `/ID` keeps its first
 * element and takes, as second, a digest of the update (deterministic).
 *
 * Object numbers must be those of existing objects being redefined, or
 * numbers from {@link nextObjectNumber} upwards.
 */
export function appendUpdate(file: PdfFile, objects: readonly UpdateObject[]): AppendedUpdate {
  const base = file.bytes;
  const parts: Uint8Array[] = [base];
  let size = base.length;
  const push = (b: Uint8Array): void => {
    parts.push(b);
    size += b.length;
  };
  const last = base[base.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(latin1('\n'));
  const start = size;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    if (offsets.has(o.num)) throw new RangeError(`appendUpdate: object ${o.num} given twice`);
    offsets.set(o.num, size);
    if ('raw' in o) {
      push(latin1(`${o.num} 0 obj\n`));
      push(o.raw);
      push(latin1('\nendobj\n'));
    } else if ('data' in o) {
      const dict = new Map(o.dict);
      dict.set('Length', o.data.length);
      push(latin1(`${o.num} 0 obj\n${writeValue(dict)}\nstream\n`));
      push(o.data);
      push(latin1('\nendstream\nendobj\n'));
    } else {
      push(latin1(`${o.num} 0 obj\n${writeValue(o.value)}\nendobj\n`));
    }
  }
  const prevTrailer = file.last.trailer;
  const highest = Math.max(0, ...offsets.keys());
  const prevSize = typeof prevTrailer.get('Size') === 'number' ? (prevTrailer.get('Size') as number) : 0;
  const updateDigest = sha256(concatBytes(...parts.slice(1)));
  const trailer = new Map<string, WritableValue>();
  trailer.set('Root', prevTrailer.get('Root')!);
  if (prevTrailer.get('Info') instanceof PdfRef) trailer.set('Info', prevTrailer.get('Info')!);
  const id = prevTrailer.get('ID');
  const first = Array.isArray(id) && id[0] instanceof PdfString ? hexString(id[0].bytes) : hexString(updateDigest.subarray(16, 32));
  trailer.set('ID', [first, hexString(updateDigest.subarray(0, 16))]);
  trailer.set('Prev', file.last.xrefOffset);

  const xrefAt = size;
  if (file.last.xref === 'table') {
    trailer.set('Size', Math.max(prevSize, highest + 1));
    let table = 'xref\n';
    for (const [first, nums] of runs([...offsets.keys()])) {
      table += `${first} ${nums.length}\n`;
      for (const n of nums) table += `${String(offsets.get(n)!).padStart(10, '0')} 00000 n\r\n`;
    }
    push(latin1(`${table}trailer\n${writeTrailer(trailer)}\nstartxref\n${xrefAt}\n%%EOF\n`));
  } else {
    const streamNum = Math.max(prevSize, highest + 1);
    offsets.set(streamNum, xrefAt);
    const nums = [...offsets.keys()].sort((a, b) => a - b);
    const data = new Uint8Array(nums.length * 7);
    nums.forEach((n, i) => {
      const off = offsets.get(n)!;
      data[i * 7] = 1;
      data[i * 7 + 1] = (off >>> 24) & 0xff;
      data[i * 7 + 2] = (off >>> 16) & 0xff;
      data[i * 7 + 3] = (off >>> 8) & 0xff;
      data[i * 7 + 4] = off & 0xff;
    });
    const index: number[] = [];
    for (const [first, run] of runs(nums)) index.push(first, run.length);
    const dict = new Map<string, WritableValue>([
      ['Type', new RawPdf('/XRef')],
      ['Size', streamNum + 1],
      ['Index', index],
      ['W', [1, 4, 2]],
      ['Length', data.length],
      ...trailer,
    ]);
    push(latin1(`${streamNum} 0 obj\n${writeValue(dict)}\nstream\n`));
    push(data);
    push(latin1(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`));
  }
  return { bytes: concatBytes(...parts), offsets, start };
}

/** The first object number free for new objects: the last trailer's `/Size`. */
export function nextObjectNumber(file: PdfFile): number {
  const size = file.last.trailer.get('Size');
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : 1;
}

function writeTrailer(t: Map<string, WritableValue>): string {
  let s = '<<';
  for (const [k, v] of t) s += ` ${writeName(k)} ${writeValue(v)}`;
  return `${s} >>`;
}

/** Consecutive runs of the sorted numbers: `[first, [first, first+1, …]]`. */
function runs(values: number[]): [number, number[]][] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: [number, number[]][] = [];
  for (const n of sorted) {
    const run = out[out.length - 1];
    if (run !== undefined && run[1][run[1].length - 1] === n - 1) run[1].push(n);
    else out.push([n, [n]]);
  }
  return out;
}

/** A copy of a parsed dictionary, to redefine an object with a few keys changed (its other values written back as parsed). */
export function copyDict(dict: PdfDict): Map<string, WritableValue> {
  if (!isDict(dict)) throw new TypeError('copyDict: not a dictionary');
  return new Map<string, WritableValue>(dict);
}

/** The file with an end of line after its last byte if it lacks one, so an update appended later leaves every byte as it is. */
export function endWithEol(bytes: Uint8Array): Uint8Array {
  const last = bytes[bytes.length - 1];
  if (last === 0x0a || last === 0x0d) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = 0x0a;
  return out;
}
