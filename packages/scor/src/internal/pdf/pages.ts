import { PdfReadError, isDict, isName, isNumber, PdfRef, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import type { PdfDocument } from './document.js';

/** A page with its inherited attributes resolved (§7.7.3.4). */
export interface PageNode {
  readonly dict: PdfDict;
  readonly resources: PdfDict | undefined;
  readonly mediaBox: PdfValue | undefined;
  readonly cropBox: PdfValue | undefined;
  readonly rotate: PdfValue | undefined;
}

/** Damage found while walking the page tree. */
export type PageTreeProblem = 'loop' | 'invalid' | 'count-mismatch';

export interface PageWalk {
  readonly pages: PageNode[];
  /** More leaves than `maxPages` exist (the walk stopped there). */
  readonly overflow: boolean;
  readonly problems: ReadonlySet<PageTreeProblem>;
}

/** Deepest page tree walked; real files have 2 to 5 levels. */
const MAX_DEPTH = 64;

interface Inherited {
  readonly resources: PdfValue | undefined;
  readonly mediaBox: PdfValue | undefined;
  readonly cropBox: PdfValue | undefined;
  readonly rotate: PdfValue | undefined;
}

/**
 * Walks the page tree from the catalog (§7.7.3), stopping after
 * `maxPages + 1` leaves. A node that is its own ancestor is a loop; a node
 * reached twice otherwise is kept once; both are reported.
 */
export function walkPages(doc: PdfDocument, maxPages: number): PageWalk {
  const catalog = doc.resolve(doc.trailer.get('Root'));
  if (!isDict(catalog)) throw new PdfReadError('unreadable', 'the catalog is not a dictionary');
  const rootRef = catalog.get('Pages');
  const pages: PageNode[] = [];
  const problems = new Set<PageTreeProblem>();
  const visited = new Set<number>();
  const ancestors = new Set<number>();
  let overflow = false;

  const visit = (value: PdfValue | undefined, inherited: Inherited, depth: number): void => {
    if (overflow) return;
    doc.budget.spend(8);
    if (depth > MAX_DEPTH) {
      problems.add('invalid');
      return;
    }
    let num: number | undefined;
    if (value instanceof PdfRef) {
      num = value.num;
      if (ancestors.has(num)) {
        problems.add('loop');
        return;
      }
      if (visited.has(num)) {
        problems.add('invalid');
        return;
      }
      visited.add(num);
    }
    const node = doc.resolve(value);
    if (!isDict(node)) {
      problems.add('invalid');
      return;
    }
    const here: Inherited = {
      resources: node.get('Resources') ?? inherited.resources,
      mediaBox: node.get('MediaBox') ?? inherited.mediaBox,
      cropBox: node.get('CropBox') ?? inherited.cropBox,
      rotate: node.get('Rotate') ?? inherited.rotate,
    };
    const kids = doc.resolve(node.get('Kids'));
    const type = doc.resolve(node.get('Type'));
    // A leaf is a /Page, or an untyped node without kids (lenient, as viewers); anything else is damage.
    const isLeaf = isName(type, 'Page') || (type === undefined && !Array.isArray(kids));
    if (!isLeaf && !Array.isArray(kids)) {
      problems.add('invalid');
      return;
    }
    if (isLeaf) {
      if (pages.length >= maxPages) {
        overflow = true;
        return;
      }
      const resources = doc.resolve(here.resources);
      pages.push({
        dict: node,
        resources: isDict(resources) ? resources : undefined,
        mediaBox: doc.resolve(here.mediaBox),
        cropBox: doc.resolve(here.cropBox),
        rotate: doc.resolve(here.rotate),
      });
      return;
    }
    if (num !== undefined) ancestors.add(num);
    for (const kid of kids as PdfValue[]) visit(kid, here, depth + 1);
    if (num !== undefined) ancestors.delete(num);
    const count = doc.resolve(node.get('Count'));
    if (depth === 0 && !overflow && (!isNumber(count) || count !== pages.length)) problems.add('count-mismatch');
  };

  visit(rootRef, { resources: undefined, mediaBox: undefined, cropBox: undefined, rotate: undefined }, 0);
  return { pages, overflow, problems };
}
