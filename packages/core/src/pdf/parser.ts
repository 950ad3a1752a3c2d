import { PdfReadError } from './budget.js';
import { type Lexer, T_ACLOSE, T_AOPEN, T_DCLOSE, T_DOPEN, T_EOF, T_KW, T_NAME, T_NUM, T_STR } from './lexer.js';
import { PdfName, PdfRef, type PdfDict, type PdfValue } from './objects.js';

/** Keywords that end an object: a container still open there is truncated. */
const OBJECT_END = new Set(['endobj', 'stream', 'endstream', 'obj', 'xref', 'trailer', 'startxref']);

/** Names repeat a lot (Type, Font, Length…): one instance per value and reading. */
export class NameTable {
  readonly #names = new Map<string, PdfName>();
  of(value: string): PdfName {
    let n = this.#names.get(value);
    if (n === undefined) {
      n = new PdfName(value);
      this.#names.set(value, n);
    }
    return n;
  }
}

/**
 * Parses one direct object whose first token `tok` was just read
 * (§7.3). Returns `undefined` for a token that starts no object (a stray
 * `]`, `>>` or an object-ending keyword, which is left unread).
 */
export function parseValue(lx: Lexer, tok: number, names: NameTable, depth = 0): PdfValue | undefined {
  switch (tok) {
    case T_NUM: {
      const n = lx.num;
      if (!lx.int || n < 0) return n;
      // `n g R`? Look ahead two tokens, then rewind if not a reference.
      const save = lx.pos;
      if (lx.next() === T_NUM && lx.int && lx.num >= 0) {
        const gen = lx.num;
        if (lx.next() === T_KW && lx.isKeyword('R')) return new PdfRef(n, gen);
      }
      lx.pos = save;
      return n;
    }
    case T_NAME:
      return names.of(lx.text);
    case T_STR:
      return lx.str!;
    case T_AOPEN:
      return parseArray(lx, names, depth + 1);
    case T_DOPEN:
      return parseDict(lx, names, depth + 1);
    case T_KW:
      if (lx.text === 'true') return true;
      if (lx.text === 'false') return false;
      if (lx.text === 'null') return null;
      if (OBJECT_END.has(lx.text)) {
        lx.pos = lx.start;
        return undefined;
      }
      return null; // an unknown keyword inside an object: read as null, as readers do
    default:
      return undefined;
  }
}

function checkDepth(depth: number, lx: Lexer): void {
  if (depth > lx.budget.limits.depth) throw new PdfReadError('too-complex', `objects nested more than ${lx.budget.limits.depth} deep`);
}

function parseArray(lx: Lexer, names: NameTable, depth: number): PdfValue[] {
  checkDepth(depth, lx);
  const out: PdfValue[] = [];
  for (;;) {
    const tok = lx.next();
    if (tok === T_ACLOSE) return out;
    if (tok === T_EOF) throw new PdfReadError('unreadable', 'unterminated array');
    const v = parseValue(lx, tok, names, depth);
    if (v === undefined) {
      if (tok === T_KW) return out; // truncated by an object-ending keyword
      continue; // a stray `>>`
    }
    out.push(v);
  }
}

/** Parses the rest of a dictionary after `<<`. */
export function parseDict(lx: Lexer, names: NameTable, depth: number): PdfDict {
  checkDepth(depth, lx);
  const dict: PdfDict = new Map();
  for (;;) {
    const tok = lx.next();
    if (tok === T_DCLOSE) return dict;
    if (tok === T_EOF) throw new PdfReadError('unreadable', 'unterminated dictionary');
    if (tok !== T_NAME) {
      if (tok === T_KW && OBJECT_END.has(lx.text)) {
        lx.pos = lx.start;
        return dict;
      }
      // Not a key: skip the value it starts, as readers do.
      parseValue(lx, tok, names, depth);
      continue;
    }
    const key = lx.text;
    const vt = lx.next();
    if (vt === T_DCLOSE) {
      dict.set(key, null);
      return dict;
    }
    if (vt === T_EOF) throw new PdfReadError('unreadable', 'unterminated dictionary');
    const value = parseValue(lx, vt, names, depth);
    if (value === undefined) {
      if (vt === T_KW) return dict;
      continue;
    }
    dict.set(key, value);
  }
}
