import { PdfReadError } from './budget.js';
import type { PdfDocument } from './document.js';
import { CHAR_CLASS, skipOpaque } from './lexer.js';
import { hexDigit, isDict, isName, type PdfDict } from './objects.js';

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
      continue;
    }
    const skipped = skipOpaque(b, p, end);
    if (skipped >= 0) {
      p = skipped;
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

/** The name's value, `#xx` escapes decoded (§7.3.5). */
function nameText(b: Uint8Array, from: number, to: number, escaped: boolean): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (escaped && c === 0x23 && i + 2 < to && hexDigit(b[i + 1]!) >= 0 && hexDigit(b[i + 2]!) >= 0) {
      s += String.fromCharCode((hexDigit(b[i + 1]!) << 4) | hexDigit(b[i + 2]!));
      i += 2;
    } else s += String.fromCharCode(c);
  }
  return s;
}
