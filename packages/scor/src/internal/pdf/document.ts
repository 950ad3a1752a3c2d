import {
  type Budget,
  PdfReadError,
  ascii,
  CHAR_CLASS,
  hasKeyword,
  indexOfBytes,
  Lexer,
  lastIndexOfBytes,
  nextIsKeyword,
  T_DOPEN,
  T_KW,
  T_NUM,
  isDict,
  isName,
  isNumber,
  PdfRef,
  PdfStream,
  type PdfDict,
  type PdfValue,
  NameTable,
  parseDict,
  parseValue,
} from '@s3404/core/pdf';
import { decodeFilters, filterChain, type Decoded } from './filters.js';

/** Where an object lives: at a file offset (type 1) or in an object stream (type 2) (§7.5.8.3). */
type Entry = { readonly type: 1; readonly offset: number } | { readonly type: 2; readonly stream: number };

/** Repairs the reader made, reported as warnings (a strict policy refuses them). */
export type Repair = 'xref-repaired' | 'length-repaired' | 'stream-damaged';

const STARTXREF = ascii('startxref');
const OBJ = ascii('obj');
const ENDSTREAM = ascii('endstream');
const ENDOBJ = ascii('endobj');
const TRAILER = ascii('trailer');
const HEADER = ascii('%PDF-');

/** Most references followed in a chain `1 0 R` → `2 0 R` → … */
const MAX_REF_CHAIN = 32;
/** Most cross-reference sections followed through /Prev. */
const MAX_SECTIONS = 512;

/**
 * A lazily read PDF (ISO 32000-1 §7.5): the cross-reference data is read
 * once (tables, streams, hybrid files, /Prev chains) and checked against
 * the file; a damaged one is rebuilt by scanning for `n g obj`, as viewers
 * do. Objects are parsed on first use and cached. Every step spends the
 * reading's budget, so a hostile file ends in bounded time and memory.
 */
export class PdfDocument {
  readonly names = new NameTable();
  readonly repairs = new Set<Repair>();
  readonly version: string | null;
  trailer: PdfDict = new Map();
  #entries = new Map<number, Entry>();
  readonly #cache = new Map<number, PdfValue>();
  readonly #reading = new Set<number>();
  readonly #objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number } | null>();

  private constructor(
    readonly bytes: Uint8Array,
    readonly budget: Budget,
  ) {
    const head = indexOfBytes(bytes, HEADER, 0, Math.min(bytes.length, 1024));
    if (head < 0) throw new PdfReadError('unreadable', 'no %PDF- header');
    let v = '';
    for (let i = head + 5; i < head + 8 && i < bytes.length; i++) v += String.fromCharCode(bytes[i]!);
    this.version = /^\d\.\d$/.test(v) ? v : null;
  }

  /** Opens a PDF: reads and checks its cross-reference data, rebuilding it when damaged. */
  static open(bytes: Uint8Array, budget: Budget): PdfDocument {
    const doc = new PdfDocument(bytes, budget);
    let ok = false;
    try {
      ok = doc.readXref() && doc.xrefMatchesFile();
    } catch (e) {
      if (e instanceof PdfReadError && e.reason === 'too-complex') throw e;
      ok = false;
    }
    if (!ok) doc.rebuildXref();
    if (!(doc.trailer.get('Root') instanceof PdfRef)) throw new PdfReadError('unreadable', 'no document catalog');
    return doc;
  }

  /** Numbers of every object the cross-reference data lists in use. */
  objectNumbers(): number[] {
    return [...this.#entries.keys()].sort((a, b) => a - b);
  }

  /** Every object that lies directly in the file (type-1 entries): its number and where it starts. */
  objectLocations(): { num: number; offset: number }[] {
    const out: { num: number; offset: number }[] = [];
    for (const [num, e] of this.#entries) if (e.type === 1) out.push({ num, offset: e.offset });
    return out;
  }

  /** Every object stream the cross-reference data uses (§7.5.7): its decoded data and the objects it holds for the table. */
  objectStreams(): { data: Uint8Array; members: number[] }[] {
    const members = new Map<number, number[]>();
    for (const [num, e] of this.#entries) {
      if (e.type !== 2) continue;
      const list = members.get(e.stream);
      if (list === undefined) members.set(e.stream, [num]);
      else list.push(num);
    }
    const out: { data: Uint8Array; members: number[] }[] = [];
    for (const [n, list] of members) {
      const stm = this.objectStream(n);
      if (stm !== null) out.push({ data: stm.data, members: list });
    }
    return out;
  }

  /** Follows references (and chains of them); a missing object is `null` (§7.3.10). */
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    let value = v;
    for (let i = 0; value instanceof PdfRef; i++) {
      if (i >= MAX_REF_CHAIN) throw new PdfReadError('unreadable', 'reference chain too long');
      value = this.object(value.num);
    }
    return value;
  }

  /** `dict[key]`, resolved. */
  get(dict: PdfDict, key: string): PdfValue | undefined {
    return this.resolve(dict.get(key));
  }

  /** An indirect object by number, or `null` when absent or unreadable in a cycle. */
  object(num: number): PdfValue {
    const cached = this.#cache.get(num);
    if (cached !== undefined) return cached;
    if (this.#reading.has(num)) return null; // e.g. a /Length that refers to its own stream
    const entry = this.#entries.get(num);
    if (entry === undefined) return null;
    this.#reading.add(num);
    try {
      this.budget.spend(16);
      const value = entry.type === 1 ? this.readAt(entry.offset, num) : this.readCompressed(entry.stream, num);
      this.#cache.set(num, value);
      return value;
    } finally {
      this.#reading.delete(num);
    }
  }

  /** A stream's data through its filters, at most `max` bytes; damage noted as a repair. */
  decode(stream: PdfStream, max = this.budget.limits.streamBytes): Decoded {
    const chain = filterChain(stream.dict, (v) => this.resolve(v));
    const out = decodeFilters(stream.raw, chain, max, this.budget);
    this.budget.keep(out.bytes.length);
    if (out.damaged) this.repairs.add('stream-damaged');
    return out;
  }

  // --- objects

  /** Parses `num gen obj … endobj` at `offset` (a stream's data is located, not decoded). */
  private readAt(offset: number, expected: number): PdfValue {
    const lx = new Lexer(this.bytes, offset, this.bytes.length, this.budget);
    if (lx.next() !== T_NUM || lx.num !== expected) throw new PdfReadError('unreadable', `object ${expected} not at its offset`);
    if (lx.next() !== T_NUM || !nextIsKeyword(lx, 'obj')) throw new PdfReadError('unreadable', `object ${expected} header`);
    const tok = lx.next();
    const value = parseValue(lx, tok, this.names) ?? null;
    if (!isDict(value)) return value;
    const save = lx.pos;
    if (nextIsKeyword(lx, 'stream')) return this.streamAt(value, lx.pos);
    lx.pos = save;
    return value;
  }

  private streamAt(dict: PdfDict, afterKeyword: number): PdfStream {
    const b = this.bytes;
    let start = afterKeyword;
    while (b[start] === 0x20 || b[start] === 0x09) start++;
    if (b[start] === 0x0d) start++;
    if (b[start] === 0x0a) start++;
    const length = this.resolve(dict.get('Length'));
    if (isNumber(length) && Number.isInteger(length) && length >= 0 && start + length <= b.length) {
      let p = start + length;
      while (p < b.length && CHAR_CLASS[b[p]!] === 1) p++;
      if (hasKeyword(b, p, 'endstream')) return new PdfStream(dict, b, start, start + length);
    }
    // A wrong or missing /Length: the data ends before `endstream` (§7.3.8.1), as readers repair it.
    this.repairs.add('length-repaired');
    let end = indexOfBytes(b, ENDSTREAM, start);
    if (end < 0) end = indexOfBytes(b, ENDOBJ, start);
    if (end < 0) {
      this.repairs.add('stream-damaged');
      end = b.length;
    }
    this.budget.spend((end - start) >>> 10);
    if (end > start && b[end - 1] === 0x0a) end--;
    if (end > start && b[end - 1] === 0x0d) end--;
    return new PdfStream(dict, b, start, end);
  }

  /** An object of an object stream (§7.5.7), found by its number in the stream's header. */
  private readCompressed(streamNum: number, expected: number): PdfValue {
    const stm = this.objectStream(streamNum);
    if (stm === null) return null;
    const offset = stm.offsets.get(expected);
    if (offset === undefined) return null;
    const lx = new Lexer(stm.data, stm.first + offset, stm.data.length, this.budget);
    return parseValue(lx, lx.next(), this.names) ?? null;
  }

  private objectStream(num: number): { data: Uint8Array; offsets: Map<number, number>; first: number } | null {
    if (this.#objectStreams.has(num)) return this.#objectStreams.get(num)!;
    this.#objectStreams.set(num, null);
    const s = this.object(num);
    if (!(s instanceof PdfStream)) return null;
    const n = this.resolve(s.dict.get('N'));
    const first = this.resolve(s.dict.get('First'));
    if (!isNumber(n) || !isNumber(first) || n < 0 || first < 0 || n > this.budget.limits.objects) return null;
    const { bytes } = this.decode(s);
    const lx = new Lexer(bytes, 0, Math.min(first, bytes.length), this.budget);
    const offsets = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (lx.next() !== T_NUM) break;
      const obj = lx.num;
      if (lx.next() !== T_NUM) break;
      if (!offsets.has(obj)) offsets.set(obj, lx.num);
    }
    const value = { data: bytes, offsets, first };
    this.#objectStreams.set(num, value);
    return value;
  }

  // --- cross-reference data

  /** Reads the cross-reference sections from `startxref` through /Prev; false when they cannot be read. */
  private readXref(): boolean {
    const b = this.bytes;
    const at = lastIndexOfBytes(b, STARTXREF, Math.max(0, b.length - 16384));
    if (at < 0) return false;
    const lx = new Lexer(b, at + STARTXREF.length, b.length, this.budget);
    if (lx.next() !== T_NUM || !lx.int) return false;
    let offset: number | undefined = lx.num;
    const visited = new Set<number>();
    const seen = new Set<number>();
    let trailer: PdfDict | undefined;
    while (offset !== undefined) {
      if (visited.has(offset)) break; // a /Prev loop: the chain ends here
      if (visited.size >= MAX_SECTIONS || offset < 0 || offset >= b.length) return false;
      visited.add(offset);
      const section = this.readSection(offset, seen);
      if (section === undefined) return false;
      trailer ??= section;
      const prev = section.get('Prev');
      offset = isNumber(prev) && Number.isInteger(prev) ? prev : undefined;
    }
    if (trailer === undefined) return false;
    this.trailer = trailer;
    return true;
  }

  /** One section: an `xref` table with its trailer, or an XRef stream. Sets entries not yet seen. */
  private readSection(offset: number, seen: Set<number>): PdfDict | undefined {
    const b = this.bytes;
    let p = offset;
    while (p < b.length && CHAR_CLASS[b[p]!] === 1) p++;
    if (hasKeyword(b, p, 'xref')) {
      const lx = new Lexer(b, p + 4, b.length, this.budget);
      const freed: number[] = [];
      for (;;) {
        const tok = lx.next();
        if (tok === T_KW && lx.text === 'trailer') break;
        if (tok !== T_NUM) return undefined;
        const first = lx.num;
        if (lx.next() !== T_NUM) return undefined;
        const count = lx.num;
        if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || count > this.budget.limits.objects) return undefined;
        for (let i = 0; i < count; i++) {
          if (lx.next() !== T_NUM) return undefined;
          const off = lx.num;
          if (lx.next() !== T_NUM) return undefined;
          if (lx.next() !== T_KW) return undefined;
          const num = first + i;
          if (lx.text === 'n') {
            if (!seen.has(num) && num > 0) this.setEntry(num, { type: 1, offset: off });
            seen.add(num);
          } else if (lx.text === 'f') freed.push(num);
          else return undefined;
        }
      }
      if (lx.next() !== T_DOPEN) return undefined;
      const trailer = parseDict(lx, this.names, 1);
      const stm = trailer.get('XRefStm');
      if (isNumber(stm) && Number.isInteger(stm)) this.readXrefStream(stm, seen);
      for (const n of freed) seen.add(n);
      return trailer;
    }
    return this.readXrefStream(offset, seen);
  }

  /** An XRef stream (§7.5.8): its dictionary doubles as the trailer. */
  private readXrefStream(offset: number, seen: Set<number>): PdfDict | undefined {
    const lx = new Lexer(this.bytes, offset, this.bytes.length, this.budget);
    if (lx.next() !== T_NUM) return undefined;
    const num = lx.num;
    const s = this.readAt(offset, num);
    if (!(s instanceof PdfStream) || !isName(s.dict.get('Type'), 'XRef')) return undefined;
    const w = s.dict.get('W');
    if (!Array.isArray(w) || w.length < 3 || !w.every((x) => isNumber(x) && Number.isInteger(x) && x >= 0 && x <= 8)) return undefined;
    const [w1, w2, w3] = w as number[];
    const width = w1! + w2! + w3!;
    if (width === 0) return undefined;
    const size = s.dict.get('Size');
    const index = s.dict.get('Index');
    const ranges = Array.isArray(index) ? index : [0, isNumber(size) ? size : 0];
    const { bytes } = this.decode(s);
    const field = (at: number, len: number, dflt: number): number => {
      if (len === 0) return dflt;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + bytes[at + i]!;
      return v;
    };
    let pos = 0;
    for (let r = 0; r + 1 < ranges.length; r += 2) {
      const first = ranges[r];
      const count = ranges[r + 1];
      if (!isNumber(first) || !isNumber(count) || first < 0 || count < 0 || count > this.budget.limits.objects) return undefined;
      for (let i = 0; i < count && pos + width <= bytes.length; i++, pos += width) {
        const n = first + i;
        const type = field(pos, w1!, 1);
        if (seen.has(n) || n === 0) continue;
        seen.add(n);
        if (type === 1) this.setEntry(n, { type: 1, offset: field(pos + w1!, w2!, 0) });
        else if (type === 2) this.setEntry(n, { type: 2, stream: field(pos + w1!, w2!, 0) });
      }
    }
    this.budget.spend(pos >>> 4);
    return s.dict;
  }

  private setEntry(num: number, entry: Entry): void {
    if (this.#entries.size >= this.budget.limits.objects) throw new PdfReadError('too-complex', `more than ${this.budget.limits.objects} objects`);
    this.#entries.set(num, entry);
  }

  /** Every offset of the table points at `num gen obj` of its own object. */
  private xrefMatchesFile(): boolean {
    const b = this.bytes;
    for (const [num, e] of this.#entries) {
      if (e.type !== 1) continue;
      if (e.offset < 0 || e.offset >= b.length) return false;
      const lx = new Lexer(b, e.offset, Math.min(b.length, e.offset + 64), this.budget);
      if (lx.next() !== T_NUM || lx.num !== num || lx.next() !== T_NUM || !nextIsKeyword(lx, 'obj')) return false;
    }
    return true;
  }

  /**
   * Rebuilds the table by scanning the file for `n g obj` (the last
   * definition wins, as in incremental updates) and the objects of every
   * object stream, then finds the trailer (§7.5.4 is lost; readers agree on this repair).
   */
  private rebuildXref(): void {
    this.repairs.add('xref-repaired');
    this.#entries = new Map();
    this.#cache.clear();
    this.#objectStreams.clear();
    const b = this.bytes;
    const definedAt = new Map<number, number>();
    let i = 0;
    for (;;) {
      i = indexOfBytes(b, OBJ, i);
      if (i < 0) break;
      this.budget.spend(4);
      const after = b[i + 3];
      const before = b[i - 1];
      if ((after === undefined || CHAR_CLASS[after] !== 0) && before !== undefined && CHAR_CLASS[before] === 1) {
        const start = numberPairBefore(b, i);
        if (start !== undefined) {
          this.setEntry(start.num, { type: 1, offset: start.offset });
          definedAt.set(start.num, start.offset);
        }
      }
      i += 3;
    }
    // Objects inside object streams, unless defined directly later in the file.
    for (const [num, offset] of [...definedAt]) {
      let s: PdfValue;
      try {
        s = this.object(num);
      } catch (e) {
        if (e instanceof PdfReadError && e.reason === 'too-complex') throw e;
        continue;
      }
      if (!(s instanceof PdfStream) || !isName(s.dict.get('Type'), 'ObjStm')) continue;
      const stm = this.objectStream(num);
      if (stm === null) continue;
      for (const obj of stm.offsets.keys()) {
        const direct = definedAt.get(obj);
        if (direct === undefined || direct < offset) this.setEntry(obj, { type: 2, stream: num });
      }
    }
    this.trailer = this.findTrailer(definedAt);
  }

  private findTrailer(definedAt: Map<number, number>): PdfDict {
    const b = this.bytes;
    let end = b.length;
    for (let guard = 0; guard < 64; guard++) {
      const at = lastIndexOfBytes(b, TRAILER, 0, end);
      if (at < 0) break;
      const lx = new Lexer(b, at + TRAILER.length, b.length, this.budget);
      try {
        if (lx.next() === T_DOPEN) {
          const dict = parseDict(lx, this.names, 1);
          if (dict.get('Root') instanceof PdfRef) return dict;
        }
      } catch (e) {
        if (e instanceof PdfReadError && e.reason === 'too-complex') throw e;
      }
      end = at;
    }
    // No usable trailer: an XRef stream's dictionary, or the catalog itself.
    let catalog: number | undefined;
    for (const num of [...definedAt.keys()].sort((x, y) => definedAt.get(y)! - definedAt.get(x)!)) {
      let v: PdfValue;
      try {
        v = this.object(num);
      } catch (e) {
        if (e instanceof PdfReadError && e.reason === 'too-complex') throw e;
        continue;
      }
      const dict = v instanceof PdfStream ? v.dict : isDict(v) ? v : undefined;
      if (dict === undefined) continue;
      if (isName(dict.get('Type'), 'XRef') && dict.get('Root') instanceof PdfRef) return dict;
      if (catalog === undefined && isName(dict.get('Type'), 'Catalog')) catalog = num;
    }
    if (catalog === undefined) {
      for (const num of this.#entries.keys()) {
        if (definedAt.has(num)) continue;
        const v = this.object(num);
        if (isDict(v) && isName(v.get('Type'), 'Catalog')) {
          catalog = num;
          break;
        }
      }
    }
    return catalog === undefined ? new Map() : new Map<string, PdfValue>([['Root', new PdfRef(catalog, 0)]]);
  }
}

/** For `…num gen obj` with `obj` at `at`: where `num` starts and its value. */
function numberPairBefore(b: Uint8Array, at: number): { num: number; offset: number } | undefined {
  let p = at - 1;
  while (p >= 0 && CHAR_CLASS[b[p]!] === 1) p--;
  const genEnd = p;
  while (p >= 0 && b[p]! >= 0x30 && b[p]! <= 0x39) p--;
  if (p === genEnd || genEnd - p > 5) return undefined;
  if (p < 0 || CHAR_CLASS[b[p]!] !== 1) return undefined;
  while (p >= 0 && CHAR_CLASS[b[p]!] === 1) p--;
  const numEnd = p;
  let num = 0;
  let scale = 1;
  while (p >= 0 && b[p]! >= 0x30 && b[p]! <= 0x39) {
    num += (b[p]! - 0x30) * scale;
    scale *= 10;
    p--;
  }
  if (p === numEnd || numEnd - p > 10) return undefined;
  if (p >= 0 && CHAR_CLASS[b[p]!] === 0) return undefined;
  return num > 0 ? { num, offset: p + 1 } : undefined;
}
