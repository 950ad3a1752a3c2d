import { PdfRef, isDict, isName, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import type { PdfFile } from './pdf-file.js';

/** Pages followed through the tree before giving up (a hostile file stays bounded). */
const MAX_PAGES = 10_000;

/** The page objects of the document as of `revision`, in order (ISO 32000-1 §7.7.3). */
export function pageRefs(file: PdfFile, revision?: number): PdfRef[] {
  const root = file.resolve(file.revisions[(revision ?? file.revisions.length) - 1]!.trailer.get('Root'), revision);
  if (!isDict(root)) return [];
  const out: PdfRef[] = [];
  const seen = new Set<number>();
  const walk = (node: PdfValue | undefined, depth: number): void => {
    if (!(node instanceof PdfRef) || seen.has(node.num) || depth > 64 || out.length >= MAX_PAGES) return;
    seen.add(node.num);
    const dict = file.object(node.num, revision);
    if (!isDict(dict)) return;
    if (isName(dict.get('Type'), 'Pages') || Array.isArray(file.resolve(dict.get('Kids'), revision))) {
      const kids = file.resolve(dict.get('Kids'), revision);
      if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
    } else out.push(node);
  };
  walk(root.get('Pages'), 0);
  return out;
}

/** The catalog's reference and dictionary as of `revision`. */
export function catalogOf(file: PdfFile, revision?: number): { ref: PdfRef; dict: PdfDict } | undefined {
  const ref = file.revisions[(revision ?? file.revisions.length) - 1]!.trailer.get('Root');
  if (!(ref instanceof PdfRef)) return undefined;
  const dict = file.object(ref.num, revision);
  return isDict(dict) ? { ref, dict } : undefined;
}
