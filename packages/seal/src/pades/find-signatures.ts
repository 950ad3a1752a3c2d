import { isDict, isName, PdfRef, PdfString, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { type PdfFile, catalogOf } from '@s3404/form/pdf';

/** A signature field with a signature value, found in some revision's AcroForm (ISO 32000-1 §12.7.4.5, §12.8.1). */
export interface FoundSignature {
  /** The field's full name (`/T` of it and its parents, joined by dots). */
  readonly field: string;
  /** Object number of the signature dictionary (`/V`). */
  readonly sigNum: number;
  /** The first revision whose AcroForm lists it. */
  readonly listedIn: number;
}

const MAX_FIELDS = 5000;

/**
 * Every signature of the document: the `/Sig` fields of the AcroForm of
 * every revision, not only the last one, so a signature field a later
 * update removed is still found and judged.
 */
export function findSignatures(file: PdfFile): FoundSignature[] {
  const found = new Map<number, FoundSignature>();
  for (const r of file.revisions) {
    const catalog = catalogOf(file, r.index);
    if (catalog === undefined) continue;
    const form = file.resolve(catalog.dict.get('AcroForm'), r.index);
    if (!isDict(form)) continue;
    const fields = file.resolve(form.get('Fields'), r.index);
    if (!Array.isArray(fields)) continue;
    let visited = 0;
    const seen = new Set<number>();
    const walk = (node: PdfValue | undefined, prefix: string, inheritedFt: PdfValue | undefined, depth: number): void => {
      if (depth > 32 || visited++ > MAX_FIELDS) return;
      if (node instanceof PdfRef) {
        if (seen.has(node.num)) return;
        seen.add(node.num);
      }
      const dict = file.resolve(node, r.index);
      if (!isDict(dict)) return;
      const t = file.resolve(dict.get('T'), r.index);
      const name = t instanceof PdfString ? t.text() : '';
      const full = prefix === '' ? name : name === '' ? prefix : `${prefix}.${name}`;
      const ft = dict.get('FT') ?? inheritedFt;
      const kids = file.resolve(dict.get('Kids'), r.index);
      if (Array.isArray(kids) && kids.some((k) => isDict(file.resolve(k, r.index)) && (file.resolve(k, r.index) as PdfDict).has('T'))) {
        for (const k of kids) walk(k, full, ft, depth + 1);
        return;
      }
      const v = dict.get('V');
      if (isName(file.resolve(ft, r.index), 'Sig') && v instanceof PdfRef && !found.has(v.num)) {
        found.set(v.num, { field: full, sigNum: v.num, listedIn: r.index });
      }
    };
    for (const f of fields) walk(f, '', undefined, 0);
  }
  return [...found.values()];
}
