import { builtinModule } from '../bytes/builtin-module.js';
import { PdfReadError, type Budget } from './budget.js';
import { hexDigit, PdfString } from './objects.js';

/** Token kinds (ISO 32000-1 §7.2). */
export const T_EOF = 0;
export const T_NUM = 1;
export const T_NAME = 2;
export const T_STR = 3;
export const T_KW = 4;
export const T_AOPEN = 5;
export const T_ACLOSE = 6;
export const T_DOPEN = 7;
export const T_DCLOSE = 8;

const WS = 1;
const DELIM = 2;
/** 1: white-space (§7.2.2, Table 1); 2: delimiter (Table 2); 0: regular. */
export const CHAR_CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CHAR_CLASS[c] = WS;
for (const c of '()<>[]{}/%') CHAR_CLASS[c.charCodeAt(0)] = DELIM;

const MAX_NAME = 4096;

/**
 * For the byte-level skimmers (text objects, active-content search): when
 * `b[p]` opens a literal string, a comment, a hex string or `<<`, the
 * position just after it (strings balanced, escapes honoured); otherwise -1.
 */
export function skipOpaque(b: Uint8Array, p: number, end: number): number {
  const c = b[p];
  if (c === 0x28) {
    let depth = 1;
    let q = p + 1;
    while (q < end && depth > 0) {
      const d = b[q]!;
      if (d === 0x5c) q += 2;
      else {
        if (d === 0x28) depth++;
        else if (d === 0x29) depth--;
        q++;
      }
    }
    return Math.min(q, end);
  }
  if (c === 0x25) {
    let q = p;
    while (q < end && b[q] !== 0x0a && b[q] !== 0x0d) q++;
    return q;
  }
  if (c === 0x3c) {
    if (b[p + 1] === 0x3c) return p + 2;
    const close = b.indexOf(0x3e, p);
    return close < 0 || close >= end ? end : close + 1;
  }
  return -1;
}

/**
 * A PDF tokenizer over bytes, allocation-light: `next()` returns the kind
 * and leaves the value in `num`, `int`, `text` or `str`. Every token spends
 * one unit of the reading's budget.
 */
export class Lexer {
  pos: number;
  num = 0;
  /** The last number was written without a decimal point. */
  int = false;
  str: PdfString | null = null;
  /** Where the last keyword's bytes are: compare them with {@link Lexer.isKeyword} without building a string. */
  kwStart = 0;
  kwEnd = 0;
  #text: string | null = '';
  /** Where the last token started. */
  start = 0;

  constructor(
    readonly buf: Uint8Array,
    pos: number,
    readonly end: number,
    readonly budget: Budget,
  ) {
    this.pos = pos;
  }

  /** The last name (decoded) or keyword (built on demand: content streams read thousands of operators). */
  get text(): string {
    if (this.#text === null) {
      let s = '';
      for (let i = this.kwStart; i < this.kwEnd && i < this.kwStart + 64; i++) s += String.fromCharCode(this.buf[i]!);
      this.#text = s;
    }
    return this.#text;
  }

  /** Whether the last keyword is `word` (ASCII). */
  isKeyword(word: string): boolean {
    if (this.kwEnd - this.kwStart !== word.length) return false;
    for (let i = 0; i < word.length; i++) if (this.buf[this.kwStart + i] !== word.charCodeAt(i)) return false;
    return true;
  }

  /** Skips white-space and comments. */
  skipSpace(): void {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end) {
      const c = b[p]!;
      if (CHAR_CLASS[c] === WS) p++;
      else if (c === 0x25) {
        while (p < end && b[p] !== 0x0a && b[p] !== 0x0d) p++;
      } else break;
    }
    this.pos = p;
  }

  next(): number {
    this.budget.spend(1);
    this.skipSpace();
    const b = this.buf;
    const p = this.pos;
    const end = this.end;
    this.start = p;
    if (p >= end) return T_EOF;
    const c = b[p]!;
    switch (c) {
      case 0x5b:
        this.pos = p + 1;
        return T_AOPEN;
      case 0x5d:
        this.pos = p + 1;
        return T_ACLOSE;
      case 0x3c:
        if (b[p + 1] === 0x3c) {
          this.pos = p + 2;
          return T_DOPEN;
        }
        return this.hexString(p + 1);
      case 0x3e:
        // `>>`; a lone `>` is a stray delimiter, read as a keyword.
        if (b[p + 1] === 0x3e) {
          this.pos = p + 2;
          return T_DCLOSE;
        }
        this.pos = p + 1;
        this.kwStart = p;
        this.kwEnd = p + 1;
        this.#text = '>';
        return T_KW;
      case 0x28:
        return this.literalString(p + 1);
      case 0x2f:
        return this.name(p + 1);
      case 0x7b:
      case 0x7d:
      case 0x29:
        this.pos = p + 1;
        this.kwStart = p;
        this.kwEnd = p + 1;
        this.#text = String.fromCharCode(c);
        return T_KW;
      default:
        break;
    }
    // A run of regular characters: a number or a keyword.
    let q = p;
    while (q < end && CHAR_CLASS[b[q]!] === 0) q++;
    this.pos = q;
    if (this.number(p, q)) return T_NUM;
    this.kwStart = p;
    this.kwEnd = q;
    this.#text = null;
    return T_KW;
  }

  /** Parses `[+-]?(digits[.digits]|.digits)` in [p, q); false when it is not a number. */
  private number(p: number, q: number): boolean {
    const b = this.buf;
    let i = p;
    let sign = 1;
    const c0 = b[i]!;
    if (c0 === 0x2b || c0 === 0x2d) {
      if (c0 === 0x2d) sign = -1;
      i++;
    }
    let value = 0;
    let digits = 0;
    while (i < q && b[i]! >= 0x30 && b[i]! <= 0x39) {
      value = value * 10 + (b[i]! - 0x30);
      i++;
      digits++;
    }
    let isInt = true;
    if (i < q && b[i] === 0x2e) {
      isInt = false;
      i++;
      let scale = 1;
      while (i < q && b[i]! >= 0x30 && b[i]! <= 0x39) {
        scale /= 10;
        value += (b[i]! - 0x30) * scale;
        i++;
        digits++;
      }
    }
    if (digits === 0 || i !== q) return false;
    this.num = sign * value;
    this.int = isInt;
    return true;
  }

  private name(p: number): number {
    const b = this.buf;
    const end = this.end;
    let s = '';
    let q = p;
    while (q < end && CHAR_CLASS[b[q]!] === 0) {
      const c = b[q]!;
      if (c === 0x23 && q + 2 < end && hexDigit(b[q + 1]!) >= 0 && hexDigit(b[q + 2]!) >= 0) {
        s += String.fromCharCode((hexDigit(b[q + 1]!) << 4) | hexDigit(b[q + 2]!));
        q += 3;
      } else {
        s += String.fromCharCode(c);
        q++;
      }
      if (s.length > MAX_NAME) throw new PdfReadError('unreadable', 'name too long');
    }
    this.pos = q;
    this.#text = s;
    return T_NAME;
  }

  private literalString(p: number): number {
    const b = this.buf;
    const end = this.end;
    let depth = 1;
    let q = p;
    while (q < end) {
      const c = b[q]!;
      if (c === 0x5c) q += 2;
      else {
        if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) break;
        q++;
      }
    }
    if (q >= end) throw new PdfReadError('unreadable', 'unterminated string');
    this.budget.spend((q - p) >>> 6);
    this.str = new PdfString(b, p, q, false);
    this.pos = q + 1;
    return T_STR;
  }

  private hexString(p: number): number {
    const b = this.buf;
    let q = p;
    while (q < this.end && b[q] !== 0x3e) q++;
    if (q >= this.end) throw new PdfReadError('unreadable', 'unterminated hex string');
    this.budget.spend((q - p) >>> 6);
    this.str = new PdfString(b, p, q, true);
    this.pos = q + 1;
    return T_STR;
  }
}

/** Reads the next token: true when it is the keyword `word`. */
export function nextIsKeyword(lx: Lexer, word: string): boolean {
  return lx.next() === T_KW && lx.isKeyword(word);
}

/** Whether `buf` holds the bytes of `word` at `pos`, followed by a non-regular character. */
export function hasKeyword(buf: Uint8Array, pos: number, word: string): boolean {
  if (pos < 0 || pos + word.length > buf.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[pos + i] !== word.charCodeAt(i)) return false;
  const after = buf[pos + word.length];
  return after === undefined || CHAR_CLASS[after] !== 0;
}

/** The first position of `word` (bytes) in [from, to), or -1. */
export function indexOfBytes(buf: Uint8Array, word: Uint8Array, from: number, to = buf.length): number {
  const last = to - word.length;
  if (word.length === 0 || from > last) return -1;
  // The runtime's native substring search (issue 19: a PDF is searched for its end markers each time it is read).
  if (nativeIndexOf !== undefined && from >= 0) {
    const i = nativeIndexOf.call(buf, word, from);
    return i >= 0 && i <= last ? i : -1;
  }
  const first = word[0]!;
  let i = from;
  while (i <= last) {
    i = buf.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let k = 1;
    while (k < word.length && buf[i + k] === word[k]) k++;
    if (k === word.length) return i;
    i++;
  }
  return -1;
}

/** `Buffer.prototype.indexOf` of a Node-compatible runtime (a native search over any Uint8Array), else undefined. */
const nativeIndexOf = ((): ((this: Uint8Array, word: Uint8Array, from: number) => number) | undefined => {
  try {
    const B = builtinModule<{ Buffer?: { prototype: { indexOf?: unknown } } }>('node:buffer')?.Buffer;
    const f = B?.prototype.indexOf as ((this: Uint8Array, word: Uint8Array, from: number) => number) | undefined;
    // Used only if it finds a sequence in a plain Uint8Array where it is, and nowhere else.
    const probe = Uint8Array.from([1, 2, 1, 2, 3, 1, 2, 3]);
    const finds = (word: number[], from: number): number => f!.call(probe, Uint8Array.from(word), from);
    return f !== undefined && finds([1, 2, 3], 0) === 2 && finds([1, 2, 3], 3) === 5 && finds([3, 3], 0) === -1 ? f : undefined;
  } catch {
    return undefined;
  }
})();

/** The last position of `word` in [from, to), or -1. */
export function lastIndexOfBytes(buf: Uint8Array, word: Uint8Array, from: number, to = buf.length): number {
  for (let i = to - word.length; i >= from; i--) {
    let k = 0;
    while (k < word.length && buf[i + k] === word[k]) k++;
    if (k === word.length) return i;
  }
  return -1;
}

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
