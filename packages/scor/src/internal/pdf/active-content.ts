import { PdfReadError } from './budget.js';
import type { PdfDocument } from './document.js';
import { CHAR_CLASS } from './lexer.js';
import { isDict, isName, type PdfDict } from './objects.js';

/** Active or hidden content a PJ must not carry (SCOR-1). */
export interface ActiveContent {
  /** JavaScript actions (§12.6.4.16) or a document-level JavaScript name tree (§7.7.4). */
  javascript: boolean;
  /** Launch actions (§12.6.4.5). */
  launch: boolean;
  /** Embedded files (§7.11.4), file attachment annotations (§12.5.6.15), the EmbeddedFiles name tree. */
  embeddedFiles: boolean;
}

/** The names that mark active or embedded content, and what each one marks. */
const MARKS: Readonly<Record<string, keyof ActiveContent>> = {
  JS: 'javascript',
  JavaScript: 'javascript',
  Launch: 'launch',
  EmbeddedFiles: 'embeddedFiles',
  EmbeddedFile: 'embeddedFiles',
  EF: 'embeddedFiles',
  FileAttachment: 'embeddedFiles',
};

/**
 * Looks through every object the cross-reference data lists — objects in
 * object streams included — for the names that mark JavaScript, launch
 * actions and embedded files (`/JS`, `/JavaScript`, `/Launch`, `/EF`,
 * `/EmbeddedFile(s)`, `/FileAttachment`), the way pdfid does: each
 * object's text is skimmed token by token (strings and comments skipped
 * whole, stream data never read), and names are compared after `#xx`
 * decoding, so `/J#61vaScript` is found too. No value is built, so the
 * widths arrays of embedded fonts cost almost nothing.
 */
export function findActiveContent(doc: PdfDocument): ActiveContent {
  const found: ActiveContent = { javascript: false, launch: false, embeddedFiles: false };
  const mark = (name: string): void => {
    const what = MARKS[name];
    if (what !== undefined) found[what] = true;
  };
  const b = doc.bytes;
  for (const offset of doc.objectOffsets()) skim(doc, b, offset, mark, true);
  let streams: Uint8Array[];
  try {
    streams = doc.objectStreamData();
  } catch (e) {
    if (e instanceof PdfReadError && e.code !== 'ERR_PJ_TOO_COMPLEX') streams = [];
    else throw e;
  }
  for (const data of streams) skim(doc, data, 0, mark, false);
  inspect(doc.trailer, mark);
  return found;
}

function inspect(dict: PdfDict, mark: (name: string) => void): void {
  for (const [k, v] of dict) {
    mark(k);
    if (isName(v)) mark(v.value);
    else if (isDict(v)) inspect(v, mark);
  }
}

/**
 * Skims tokens from `start`: in the file, one object up to its `stream`
 * or `endobj` keyword; in an object stream, all of it.
 */
function skim(doc: PdfDocument, b: Uint8Array, start: number, mark: (name: string) => void, oneObject: boolean): void {
  const end = b.length;
  let p = start;
  while (p < end) {
    const c = b[p]!;
    const cls = CHAR_CLASS[c]!;
    if (cls === 1) {
      p++;
    } else if (c === 0x28) {
      let depth = 1;
      p++;
      while (p < end && depth > 0) {
        const d = b[p]!;
        if (d === 0x5c) p += 2;
        else {
          if (d === 0x28) depth++;
          else if (d === 0x29) depth--;
          p++;
        }
      }
    } else if (c === 0x25) {
      while (p < end && b[p] !== 0x0a && b[p] !== 0x0d) p++;
    } else if (c === 0x3c) {
      // `<<` (a dictionary) or a hex string
      if (b[p + 1] === 0x3c) p += 2;
      else {
        const close = b.indexOf(0x3e, p);
        p = close < 0 ? end : close + 1;
      }
    } else if (c === 0x2f) {
      const from = ++p;
      let escaped = false;
      while (p < end && CHAR_CLASS[b[p]!] === 0) {
        if (b[p] === 0x23) escaped = true;
        p++;
      }
      const n = p - from;
      if (n >= 2 && n <= (escaped ? 64 : 14)) mark(nameText(b, from, p, escaped));
    } else if (cls === 2) {
      p++;
    } else {
      const from = p;
      while (p < end && CHAR_CLASS[b[p]!] === 0) p++;
      if (oneObject && (isWord(b, from, p, 'stream') || isWord(b, from, p, 'endobj'))) break;
    }
  }
  doc.budget.spend((p - start) >>> 5);
}

function isWord(b: Uint8Array, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[from + i] !== word.charCodeAt(i)) return false;
  return true;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The name's value, `#xx` escapes decoded (§7.3.5). */
function nameText(b: Uint8Array, from: number, to: number, escaped: boolean): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (escaped && c === 0x23 && i + 2 < to && hex(b[i + 1]!) >= 0 && hex(b[i + 2]!) >= 0) {
      s += String.fromCharCode((hex(b[i + 1]!) << 4) | hex(b[i + 2]!));
      i += 2;
    } else s += String.fromCharCode(c);
  }
  return s;
}
