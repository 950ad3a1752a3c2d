import { PdfReadError } from './budget.js';
import type { PdfDocument } from './document.js';
import { isDict, isName, PdfStream, type PdfDict, type PdfValue } from './objects.js';

/** Active or hidden content a PJ must not carry (SCOR-1). */
export interface ActiveContent {
  /** JavaScript actions (§12.6.4.16) or a document-level JavaScript name tree (§7.7.4). */
  javascript: boolean;
  /** Launch actions (§12.6.4.5). */
  launch: boolean;
  /** Embedded files (§7.11.4), file attachment annotations (§12.5.6.15), the EmbeddedFiles name tree. */
  embeddedFiles: boolean;
}

/** Deepest nesting looked into inside one object. */
const MAX_DEPTH = 64;

/**
 * Looks at every object the cross-reference data lists (objects in object
 * streams included), and every dictionary nested in them, for the marks of
 * JavaScript, launch actions and embedded files. Names are compared after
 * `#xx` decoding, so `/J#61vaScript` is found too. An object that cannot
 * be read is skipped: a viewer cannot run it either.
 */
export function findActiveContent(doc: PdfDocument): ActiveContent {
  const found: ActiveContent = { javascript: false, launch: false, embeddedFiles: false };
  const inspect = (dict: PdfDict): void => {
    if (dict.has('JS') || isName(dict.get('S'), 'JavaScript') || dict.has('JavaScript')) found.javascript = true;
    if (isName(dict.get('S'), 'Launch')) found.launch = true;
    if (dict.has('EmbeddedFiles') || dict.has('EF') || isName(dict.get('Type'), 'EmbeddedFile') || isName(dict.get('Subtype'), 'FileAttachment')) found.embeddedFiles = true;
  };
  const walk = (v: PdfValue, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (v instanceof PdfStream) {
      inspect(v.dict);
      for (const x of v.dict.values()) walk(x, depth + 1);
    } else if (isDict(v)) {
      doc.budget.spend(v.size);
      inspect(v);
      for (const x of v.values()) walk(x, depth + 1);
    } else if (Array.isArray(v)) {
      doc.budget.spend(v.length >>> 4);
      for (const x of v) walk(x, depth + 1);
    }
  };
  for (const num of doc.objectNumbers()) {
    let value: PdfValue;
    try {
      value = doc.object(num);
    } catch (e) {
      if (e instanceof PdfReadError && e.code !== 'ERR_PJ_TOO_COMPLEX') continue;
      throw e;
    }
    walk(value, 0);
    if (found.javascript && found.launch && found.embeddedFiles) break;
  }
  walk(doc.trailer, 0);
  return found;
}
