import { isDict, isName, PdfRef, PdfStream, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { sameValue, type PdfFile } from '@s3404/form/pdf';

/**
 * What an incremental update did, judged against the revision before it
 * (as pyHanko's difference analysis does):
 *
 * - `dss`: only validation data — a DSS in the catalog, or a document time-stamp;
 * - `signature`: one or more new signature fields (signature dictionary,
 *   widget, its appearance), listed in the AcroForm and the page's `/Annots`,
 *   and nothing else changed;
 * - `sdk-signature`: a handwritten signature placed by this SDK in its
 *   slot of a bordereau (`placeSignature`, recognised by `@s3404/form`);
 * - `other`: anything else — a redefined page, content, font, annotation,
 *   form field value, freed object… (what incremental saving and shadow
 *   attacks do).
 *
 * After a seal, only `dss` and `signature` keep it valid: a handwritten
 * signature drawn on the page after the establishment sealed it is a
 * modification too.
 *
 * @public
 */
export type RevisionKind = 'dss' | 'signature' | 'sdk-signature' | 'other';

/** The kind of revision `index` (≥ 2), and for `other` what gave it away. */
export function classifyRevision(file: PdfFile, index: number): { kind: Exclude<RevisionKind, 'sdk-signature'>; detail?: string } {
  const rev = file.revisions[index - 1]!;
  const before = index - 1;
  let sawSignature = false;
  let sawDss = false;
  const newWidgets = new Set<number>();
  const other = (detail: string): { kind: 'other'; detail: string } => ({ kind: 'other', detail });
  // New objects: signature dictionaries and widgets of signature fields are what a signature revision brings.
  for (const [num, entry] of rev.entries) {
    if (entry.type === 0) {
      if (file.entry(num, before)?.entry.type !== undefined && file.entry(num, before)!.entry.type !== 0) return other(`object ${num} freed`);
      continue;
    }
    const value = file.object(num, index);
    const dict = value instanceof PdfStream ? value.dict : value;
    if (isDict(dict) && isName(dict.get('Type'), 'Sig')) sawSignature = true;
    if (isDict(dict) && isName(dict.get('Type'), 'DocTimeStamp')) sawDss = true;
    // A signature widget counts only when signed in this revision: an empty signature field can carry any
    // visible appearance over the signed content (the "sneaky signature" attack, Mainka et al., IEEE S&P 2021).
    if (
      isDict(dict) &&
      isName(dict.get('Subtype'), 'Widget') &&
      isName(file.resolve(dict.get('FT'), index), 'Sig') &&
      signedHere(file, rev, dict.get('V'), index)
    ) {
      newWidgets.add(num);
    }
  }
  for (const [num, entry] of rev.entries) {
    if (entry.type === 0) continue;
    const previous = file.located(num, before);
    if (previous === null) continue; // a new object: judged by who refers to it
    const was = previous.value;
    const now = file.object(num, index);
    if (sameValue(was, now)) continue;
    const verdict = allowedChange(file, num, was, now, newWidgets, index);
    if (verdict === 'dss') sawDss = true;
    else if (verdict === 'signature') sawSignature = true;
    else return other(verdict);
  }
  if (sawSignature) return { kind: 'signature' };
  if (sawDss) return { kind: 'dss' };
  // Only new objects nobody refers to: harmless, but not validation data either.
  return rev.entries.size === 0 ? { kind: 'dss' } : other('objects added outside any signature or validation data');
}

/** `v` refers to a signature dictionary (`/Type /Sig` with a `/ByteRange`) that revision `rev` itself adds or redefines. */
function signedHere(file: PdfFile, rev: PdfFile['revisions'][number], v: PdfValue | undefined, index: number): boolean {
  if (!(v instanceof PdfRef)) return false;
  const entry = rev.entries.get(v.num);
  if (entry === undefined || entry.type === 0) return false;
  const sig = file.object(v.num, index);
  return isDict(sig) && isName(sig.get('Type'), 'Sig') && sig.has('ByteRange');
}

/** Whether a redefinition is one a signature or DSS revision makes; otherwise why not. */
function allowedChange(file: PdfFile, num: number, was: PdfValue, now: PdfValue, widgets: ReadonlySet<number>, index: number): 'dss' | 'signature' | string {
  // An array that only grew by new signature widgets: /Annots or /Fields.
  if (Array.isArray(was) && Array.isArray(now)) return appendedWidgets(was, now, widgets) ? 'signature' : `array ${num} changed`;
  if (!isDict(was) || !isDict(now)) return `object ${num} changed`;
  const keys = new Set([...was.keys(), ...now.keys()]);
  let kind: 'dss' | 'signature' | undefined;
  for (const key of keys) {
    const a = was.get(key);
    const b = now.get(key);
    if (sameValue(a, b)) continue;
    if (key === 'DSS' && isName(was.get('Type'), 'Catalog')) kind ??= 'dss';
    else if (key === 'Annots' && isName(was.get('Type'), 'Page') && Array.isArray(b) && appendedWidgets(Array.isArray(a) ? a : [], b, widgets))
      kind = 'signature';
    else if (key === 'AcroForm' && isName(was.get('Type'), 'Catalog') && isDict(b) && acroFormGrew(isDict(a) ? a : new Map(), b, widgets)) kind = 'signature';
    else if ((key === 'Fields' || key === 'SigFlags') && isAcroForm(was) && acroFormGrew(was, now, widgets)) kind = 'signature';
    else if (isDssObject(file, num, index)) kind ??= 'dss';
    else return `object ${num}: /${key} changed`;
  }
  return kind ?? `object ${num} changed`;
}

function isAcroForm(d: PdfDict): boolean {
  return d.has('Fields') && !d.has('Type');
}

/** Object `num` is the DSS the catalog names, before and after the update. */
function isDssObject(file: PdfFile, num: number, index: number): boolean {
  const dssOf = (r: number): PdfValue | undefined => {
    const catalog = file.resolve(file.revisions[r - 1]!.trailer.get('Root'), r);
    return isDict(catalog) ? catalog.get('DSS') : undefined;
  };
  const before = dssOf(index - 1);
  const after = dssOf(index);
  return before instanceof PdfRef && after instanceof PdfRef && before.num === num && after.num === num;
}

function acroFormGrew(a: PdfDict, b: PdfDict, widgets: ReadonlySet<number>): boolean {
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (sameValue(a.get(key), b.get(key))) continue;
    if (key === 'SigFlags') continue;
    if (key === 'Fields') {
      const before = a.get(key);
      const after = b.get(key);
      if (Array.isArray(after) && appendedWidgets(Array.isArray(before) ? before : [], after, widgets)) continue;
    }
    return false;
  }
  return true;
}

/** `after` is `before` with new signature widgets appended, at least one. */
function appendedWidgets(before: readonly PdfValue[], after: readonly PdfValue[], widgets: ReadonlySet<number>): boolean {
  if (after.length <= before.length) return false;
  for (let i = 0; i < before.length; i++) if (!sameValue(before[i], after[i])) return false;
  return after.slice(before.length).every((v) => v instanceof PdfRef && widgets.has(v.num));
}
