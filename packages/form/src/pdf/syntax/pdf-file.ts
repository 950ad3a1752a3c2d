import {
  ascii,
  Budget,
  CHAR_CLASS,
  hasKeyword,
  indexOfBytes,
  isDict,
  isName,
  isNumber,
  Lexer,
  NameTable,
  nextIsKeyword,
  parseDict,
  parseValue,
  PdfReadError,
  PdfRef,
  PdfStream,
  T_DOPEN,
  T_KW,
  T_NUM,
  type PdfDict,
  type PdfValue,
  type ReadLimits,
} from '@s3404/core/pdf';
import { decodeFlate } from './flate.js';

/** Where an object of a cross-reference section lives (ISO 32000-1 §7.5.4, §7.5.8.3). */
export type XrefEntry =
  | { readonly type: 0 }
  | { readonly type: 1; readonly offset: number; readonly gen: number }
  | { readonly type: 2; readonly stream: number; readonly index: number };

/**
 * One revision of a PDF (ISO 32000-1 §7.5.6): the original file, or one
 * incremental update — the bytes `[start, end)` hold its new objects, its
 * cross-reference section at `xrefOffset`, its trailer and `%%EOF`. The
 * document as it was at this revision is the prefix `[0, end)`.
 */
export interface RevisionSection {
  /** 1-based: revision 1 is the original file. */
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly xrefOffset: number;
  readonly xref: 'table' | 'stream';
  readonly trailer: PdfDict;
  /** The entries this revision's section gives (objects it defines or frees). */
  readonly entries: ReadonlyMap<number, XrefEntry>;
}

/** An indirect object as it lies in the file: its value and its bytes `[start, end)` (from `n g obj` to `endobj`). */
export interface LocatedObject {
  readonly num: number;
  readonly gen: number;
  readonly value: PdfValue;
  readonly start: number;
  readonly end: number;
}

const STARTXREF = ascii('startxref');
const EOF_MARK = ascii('%%EOF');
const MAX_REVISIONS = 1000;
const MAX_STRUCTURE_STREAM = 64 * 1024 * 1024;

/**
 * A strict reader of a PDF's revisions (ISO 32000-1 §7.5): every
 * `startxref … %%EOF` ends a revision, each cross-reference section must be
 * where its `startxref` says and link to the previous one through `/Prev`,
 * and each revision's new objects must lie in its own bytes. Unlike a
 * viewer it repairs nothing: a signature covers bytes, so what is checked
 * is the file as written. Objects are read on demand, as of any revision.
 *
 * Failures are {@link PdfReadError}s; callers turn them into their coded
 * errors. Every read spends the budget, so a hostile file ends in bounded
 * time and memory.
 */
export class PdfFile {
  readonly names = new NameTable();
  readonly revisions: readonly RevisionSection[];
  /** Bytes after the last revision's `%%EOF` line that are not white-space. */
  readonly trailingBytes: number;
  readonly budget: Budget;
  readonly #cache = new Map<string, LocatedObject | null>();
  readonly #objStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number } | null>();

  constructor(
    readonly bytes: Uint8Array,
    limits?: ReadLimits,
  ) {
    this.budget = new Budget(limits);
    if (!(bytes.length >= 8 && hasPrefix(bytes, '%PDF-'))) throw new PdfReadError('unreadable', 'no %PDF- header at the start of the file');
    const markers = findEndMarkers(bytes);
    if (markers.length === 0) throw new PdfReadError('unreadable', 'no startxref … %%EOF');
    if (markers.length > MAX_REVISIONS) throw new PdfReadError('too-complex', `more than ${MAX_REVISIONS} revisions`);
    const revisions: RevisionSection[] = [];
    const selves: (number | undefined)[] = [];
    let start = 0;
    for (const [i, m] of markers.entries()) {
      const section = this.readSection(m.xrefOffset, start, m.markerAt);
      if (i === 0 ? section.prev !== undefined : section.prev !== revisions[i - 1]!.xrefOffset) {
        throw new PdfReadError('unreadable', `revision ${i + 1}: /Prev does not point at revision ${i}'s cross-reference section`);
      }
      if (!(section.trailer.get('Root') instanceof PdfRef)) throw new PdfReadError('unreadable', `revision ${i + 1}: no /Root in the trailer`);
      revisions.push({ index: i + 1, start, end: m.end, xrefOffset: m.xrefOffset, xref: section.kind, trailer: section.trailer, entries: section.entries });
      selves.push(section.self);
      start = m.end;
    }
    this.revisions = revisions;
    let trailing = 0;
    for (let p = start; p < bytes.length; p++) if (CHAR_CLASS[bytes[p]!] !== 1) trailing++;
    this.trailingBytes = trailing;
    // Every object a revision defines lies in that revision's own bytes, before its section — except a
    // cross-reference stream, which is an object of its revision at the section's offset and may list itself.
    for (const [i, r] of revisions.entries()) {
      for (const [num, e] of r.entries) {
        if (e.type !== 1) continue;
        if (e.offset === r.xrefOffset && num === selves[i]) continue;
        if (e.offset < r.start || e.offset >= r.xrefOffset) {
          throw new PdfReadError('unreadable', `revision ${r.index}: object ${num} lies outside the revision's bytes`);
        }
      }
    }
  }

  get last(): RevisionSection {
    return this.revisions[this.revisions.length - 1]!;
  }

  /** The entry of object `num` as of `revision` (1-based; default the last), or `undefined` when no section lists it. */
  entry(num: number, revision = this.revisions.length): { entry: XrefEntry; revision: number } | undefined {
    for (let r = Math.min(revision, this.revisions.length); r >= 1; r--) {
      const e = this.revisions[r - 1]!.entries.get(num);
      if (e !== undefined) return { entry: e, revision: r };
    }
    return undefined;
  }

  /** Object `num` as of `revision`, located; `null` when free or absent (§7.3.10). */
  located(num: number, revision = this.revisions.length): LocatedObject | null {
    const found = this.entry(num, revision);
    if (found === undefined || found.entry.type === 0) return null;
    const key = found.entry.type === 1 ? `o${found.entry.offset}` : `s${found.entry.stream}:${num}:${found.revision}`;
    if (this.#cache.has(key)) return this.#cache.get(key)!;
    this.#cache.set(key, null); // a cycle (a /Length that refers to its own stream) reads as null
    this.budget.spend(16);
    const value = found.entry.type === 1 ? this.readAt(found.entry.offset, num) : this.readCompressed(found.entry.stream, num, found.revision);
    this.#cache.set(key, value);
    return value;
  }

  /** The value of object `num` as of `revision`. */
  object(num: number, revision?: number): PdfValue {
    return this.located(num, revision)?.value ?? null;
  }

  /** Follows a reference (and chains of them) as of `revision`. */
  resolve(v: PdfValue | undefined, revision?: number): PdfValue | undefined {
    let value = v;
    for (let i = 0; value instanceof PdfRef; i++) {
      if (i >= 32) throw new PdfReadError('unreadable', 'reference chain too long');
      value = this.object(value.num, revision);
    }
    return value;
  }

  /** A stream's data, decoded when it is FlateDecode (structure streams) — bounded. */
  decode(stream: PdfStream, max = MAX_STRUCTURE_STREAM): Uint8Array {
    const out = decodeFlate(stream.raw, stream.dict, max);
    this.budget.keep(out.length);
    return out;
  }

  // --- objects

  private readAt(offset: number, expected: number): LocatedObject {
    const lx = new Lexer(this.bytes, offset, this.bytes.length, this.budget);
    if (lx.next() !== T_NUM || lx.num !== expected) throw new PdfReadError('unreadable', `object ${expected} is not at its offset ${offset}`);
    const start = lx.start;
    if (lx.next() !== T_NUM || !lx.int) throw new PdfReadError('unreadable', `object ${expected}: bad generation`);
    const gen = lx.num;
    if (!nextIsKeyword(lx, 'obj')) throw new PdfReadError('unreadable', `object ${expected}: no obj keyword`);
    let value: PdfValue = parseValue(lx, lx.next(), this.names) ?? null;
    const save = lx.pos;
    if (isDict(value) && nextIsKeyword(lx, 'stream')) {
      value = this.streamAt(value, lx.pos, expected);
      lx.pos = value.end;
      if (!nextIsKeyword(lx, 'endstream')) throw new PdfReadError('unreadable', `object ${expected}: no endstream after /Length bytes`);
    } else lx.pos = save;
    if (!nextIsKeyword(lx, 'endobj')) throw new PdfReadError('unreadable', `object ${expected}: no endobj`);
    return { num: expected, gen, value, start, end: lx.pos };
  }

  private streamAt(dict: PdfDict, afterKeyword: number, num: number): PdfStream {
    const b = this.bytes;
    let start = afterKeyword;
    if (b[start] === 0x0d && b[start + 1] === 0x0a) start += 2;
    else if (b[start] === 0x0a) start += 1;
    else throw new PdfReadError('unreadable', `object ${num}: stream keyword not followed by an end of line`);
    const length = dict.get('Length') instanceof PdfRef ? this.object((dict.get('Length') as PdfRef).num) : dict.get('Length');
    if (!isNumber(length) || !Number.isInteger(length) || length < 0 || start + length > b.length) {
      throw new PdfReadError('unreadable', `object ${num}: invalid stream /Length`);
    }
    return new PdfStream(dict, b, start, start + length);
  }

  private readCompressed(streamNum: number, expected: number, revision: number): LocatedObject | null {
    const stm = this.objectStream(streamNum, revision);
    const offset = stm?.offsets.get(expected);
    if (stm === undefined || stm === null || offset === undefined) return null;
    const lx = new Lexer(stm.data, stm.first + offset, stm.data.length, this.budget);
    const value = parseValue(lx, lx.next(), this.names) ?? null;
    const host = this.located(streamNum, revision);
    return { num: expected, gen: 0, value, start: host?.start ?? 0, end: host?.end ?? 0 };
  }

  private objectStream(num: number, revision: number): { data: Uint8Array; offsets: Map<number, number>; first: number } | null {
    if (this.#objStreams.has(num)) return this.#objStreams.get(num)!;
    this.#objStreams.set(num, null);
    const s = this.object(num, revision);
    if (!(s instanceof PdfStream) || !isName(s.dict.get('Type'), 'ObjStm')) return null;
    const n = s.dict.get('N');
    const first = s.dict.get('First');
    if (!isNumber(n) || !isNumber(first) || n < 0 || first < 0 || n > this.budget.limits.objects) return null;
    const data = this.decode(s);
    const lx = new Lexer(data, 0, Math.min(first, data.length), this.budget);
    const offsets = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (lx.next() !== T_NUM) break;
      const obj = lx.num;
      if (lx.next() !== T_NUM) break;
      if (!offsets.has(obj)) offsets.set(obj, lx.num);
    }
    const value = { data, offsets, first };
    this.#objStreams.set(num, value);
    return value;
  }

  // --- cross-reference sections

  private readSection(
    offset: number,
    revisionStart: number,
    markerAt: number,
  ): { kind: 'table' | 'stream'; trailer: PdfDict; entries: Map<number, XrefEntry>; prev: number | undefined; self?: number } {
    const b = this.bytes;
    if (offset < revisionStart || offset >= markerAt) throw new PdfReadError('unreadable', `startxref ${offset} does not point inside its revision`);
    if (hasKeyword(b, offset, 'xref')) return this.readTable(offset, markerAt);
    return this.readXrefStream(offset);
  }

  private readTable(offset: number, markerAt: number): { kind: 'table'; trailer: PdfDict; entries: Map<number, XrefEntry>; prev: number | undefined } {
    const lx = new Lexer(this.bytes, offset + 4, markerAt, this.budget);
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      const tok = lx.next();
      if (tok === T_KW && lx.isKeyword('trailer')) break;
      if (tok !== T_NUM || !lx.int) throw new PdfReadError('unreadable', 'cross-reference table: subsection header expected');
      const first = lx.num;
      if (lx.next() !== T_NUM || !lx.int) throw new PdfReadError('unreadable', 'cross-reference table: subsection count expected');
      const count = lx.num;
      if (first < 0 || count < 0 || first + count > this.budget.limits.objects) throw new PdfReadError('too-complex', 'cross-reference table too large');
      for (let i = 0; i < count; i++) {
        if (lx.next() !== T_NUM || !lx.int) throw new PdfReadError('unreadable', 'cross-reference table: entry offset expected');
        const off = lx.num;
        if (lx.next() !== T_NUM || !lx.int) throw new PdfReadError('unreadable', 'cross-reference table: entry generation expected');
        const gen = lx.num;
        if (lx.next() !== T_KW) throw new PdfReadError('unreadable', 'cross-reference table: n or f expected');
        const num = first + i;
        if (entries.has(num)) throw new PdfReadError('unreadable', `cross-reference table lists object ${num} twice`);
        if (lx.isKeyword('n')) {
          if (num === 0) throw new PdfReadError('unreadable', 'object 0 cannot be in use');
          entries.set(num, { type: 1, offset: off, gen });
        } else if (lx.isKeyword('f')) {
          if (num !== 0) entries.set(num, { type: 0 });
        } else throw new PdfReadError('unreadable', 'cross-reference table: n or f expected');
      }
    }
    if (lx.next() !== T_DOPEN) throw new PdfReadError('unreadable', 'no trailer dictionary');
    const trailer = parseDict(lx, this.names, 1);
    if (trailer.has('XRefStm')) throw new PdfReadError('unreadable', 'hybrid cross-reference (a table with /XRefStm) is not supported');
    return { kind: 'table', trailer, entries, prev: this.prevOf(trailer) };
  }

  private readXrefStream(offset: number): { kind: 'stream'; trailer: PdfDict; entries: Map<number, XrefEntry>; prev: number | undefined; self: number } {
    const lx = new Lexer(this.bytes, offset, this.bytes.length, this.budget);
    if (lx.next() !== T_NUM || !lx.int) throw new PdfReadError('unreadable', `no cross-reference section at offset ${offset}`);
    const located = this.readAt(offset, lx.num);
    const s = located.value;
    if (!(s instanceof PdfStream) || !isName(s.dict.get('Type'), 'XRef'))
      throw new PdfReadError('unreadable', `no cross-reference section at offset ${offset}`);
    const w = s.dict.get('W');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => isNumber(x) && Number.isInteger(x) && x >= 0 && x <= 8)) {
      throw new PdfReadError('unreadable', 'cross-reference stream: invalid /W');
    }
    const [w1, w2, w3] = w as number[];
    const width = w1! + w2! + w3!;
    const size = s.dict.get('Size');
    if (!isNumber(size) || !Number.isInteger(size) || size < 0 || size > this.budget.limits.objects)
      throw new PdfReadError('unreadable', 'cross-reference stream: invalid /Size');
    const index = s.dict.get('Index') ?? [0, size];
    if (!Array.isArray(index) || index.length % 2 !== 0) throw new PdfReadError('unreadable', 'cross-reference stream: invalid /Index');
    const data = this.decode(s);
    const field = (at: number, len: number, dflt: number): number => {
      if (len === 0) return dflt;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + data[at + i]!;
      return v;
    };
    const entries = new Map<number, XrefEntry>();
    let pos = 0;
    for (let r = 0; r < index.length; r += 2) {
      const first = index[r];
      const count = index[r + 1];
      if (!isNumber(first) || !isNumber(count) || first < 0 || count < 0 || first + count > size)
        throw new PdfReadError('unreadable', 'cross-reference stream: invalid /Index');
      for (let i = 0; i < count; i++, pos += width) {
        if (pos + width > data.length) throw new PdfReadError('unreadable', 'cross-reference stream: data too short');
        const num = first + i;
        const type = field(pos, w1!, 1);
        if (entries.has(num)) throw new PdfReadError('unreadable', `cross-reference stream lists object ${num} twice`);
        if (type === 0) {
          if (num !== 0) entries.set(num, { type: 0 });
        } else if (type === 1) entries.set(num, { type: 1, offset: field(pos + w1!, w2!, 0), gen: field(pos + w1! + w2!, w3!, 0) });
        else if (type === 2) entries.set(num, { type: 2, stream: field(pos + w1!, w2!, 0), index: field(pos + w1! + w2!, w3!, 0) });
      }
    }
    this.budget.spend(pos >>> 4);
    // The stream is itself an object of its revision.
    if (!entries.has(located.num)) entries.set(located.num, { type: 1, offset, gen: located.gen });
    return { kind: 'stream', trailer: s.dict, entries, prev: this.prevOf(s.dict), self: located.num };
  }

  private prevOf(trailer: PdfDict): number | undefined {
    const prev = trailer.get('Prev');
    if (prev === undefined) return undefined;
    if (!isNumber(prev) || !Number.isInteger(prev) || prev < 0) throw new PdfReadError('unreadable', 'invalid /Prev');
    return prev;
  }
}

function hasPrefix(b: Uint8Array, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Every `startxref <offset> %%EOF` of the file, in order: the end of each
 * revision (§7.5.5). `end` is just after `%%EOF` and its end of line.
 */
function findEndMarkers(b: Uint8Array): { markerAt: number; xrefOffset: number; end: number }[] {
  const out: { markerAt: number; xrefOffset: number; end: number }[] = [];
  let from = 0;
  for (;;) {
    const at = indexOfBytes(b, STARTXREF, from);
    if (at < 0) break;
    from = at + STARTXREF.length;
    let p = from;
    while (p < b.length && CHAR_CLASS[b[p]!] === 1) p++;
    let n = 0;
    const digits = p;
    while (p < b.length && b[p]! >= 0x30 && b[p]! <= 0x39 && p - digits < 12) n = n * 10 + (b[p++]! - 0x30);
    if (p === digits) continue; // `startxref` inside some other data
    while (p < b.length && CHAR_CLASS[b[p]!] === 1) p++;
    if (indexOfBytes(b, EOF_MARK, p, Math.min(b.length, p + EOF_MARK.length)) !== p) continue;
    p += EOF_MARK.length;
    if (b[p] === 0x0d) p++;
    if (b[p] === 0x0a) p++;
    out.push({ markerAt: at, xrefOffset: n, end: p });
    from = p;
  }
  return out;
}
