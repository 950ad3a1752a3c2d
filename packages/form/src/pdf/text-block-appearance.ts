import { ACCENT, ContentWriter, GREY, RULE } from './internal/content-writer.js';
import { deflate } from './internal/deflate.js';
import { PDFArray, PDFDict, PDFDocument, PDFRawStream, PDFRef, type PDFContext } from './internal/engine.js';
import { prepareFonts } from './internal/font-embedder.js';
import { RawPdf, name, ref, type WritableValue } from './syntax/serialize.js';
import type { UpdateObject } from './syntax/append-update.js';

/** Options of {@link textBlockAppearance} (SIG-3, FORM-7). @public */
export interface TextBlockOptions {
  /** Size of the block, points. */
  readonly width: number;
  readonly height: number;
  /** Lines from the top; the first is drawn bold in the accent colour. Any Latin text (the SDK's font, subset to these lines). */
  readonly lines: readonly string[];
  /** The first object number free in the file (`nextObjectNumber`). */
  readonly firstObject: number;
}

/** A form XObject and the objects it needs, ready for `appendUpdate` (SIG-3). @public */
export interface TextBlockAppearance {
  /** The appearance stream (`/AP /N` of a widget). */
  readonly ref: { readonly num: number };
  readonly objects: readonly UpdateObject[];
  /** The next free object number after these. */
  readonly nextObject: number;
}

/**
 * A framed block of text as a form XObject (ISO 32000-1 §8.10), with the
 * SDK's font embedded as a subset of exactly the glyphs drawn: the visible
 * appearance of a PAdES seal (establishment, time, certificate subject).
 * Deterministic. Built for incremental updates: the objects are numbered from
 * `firstObject` and written by `appendUpdate`; long lines are shortened with
 * an ellipsis to fit.
 *
 * `import { textBlockAppearance } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const ap = await textBlockAppearance({ width: 220, height: 46, lines: ['Scellé par …', 'le 20/03/2026 à 18:00'], firstObject: nextObjectNumber(file) })
 * ```
 * @throws TypeError for a size that is not positive or more than 3 lines that do not fit.
 * @public
 */
export async function textBlockAppearance(options: TextBlockOptions): Promise<TextBlockAppearance> {
  const { width, height, lines } = options;
  if (!(width > 0 && height > 0 && width <= 2000 && height <= 2000)) throw new TypeError('textBlockAppearance: width and height must be positive points');
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > 8 || !lines.every((l) => typeof l === 'string')) {
    throw new TypeError('textBlockAppearance: lines must be 1 to 8 strings');
  }
  if (!Number.isInteger(options.firstObject) || options.firstObject < 1) throw new TypeError('textBlockAppearance: firstObject must be a positive integer');
  // The fonts come from a scratch document (the SDK's embedder and subsetter), then move into the update.
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = prepareFonts(doc, { subset: true, names: { regular: 'F1', bold: 'F2' } });
  const w = new ContentWriter(fonts);
  const size = Math.max(5, Math.min(8, (height - 6) / (lines.length * 1.25)));
  w.rect(0.5, 0.5, width - 1, height - 1, { stroke: RULE, lineWidth: 0.6 });
  lines.forEach((line, i) => {
    w.textIn(line, 4, height - 4 - size * (1 + i * 1.25) + size * 0.2, width - 8, { size, bold: i === 0, color: i === 0 ? ACCENT : GREY }, 'left');
  });
  await fonts.finalize();
  await doc.flush();
  const moved = transplant(doc.context, [fonts.regular.ref, fonts.bold.ref], options.firstObject);
  const apNum = moved.next;
  const resources = new Map<string, WritableValue>([
    [
      'Font',
      new Map<string, WritableValue>([
        ['F1', ref(moved.map.get(fonts.regular.ref.objectNumber)!)],
        ['F2', ref(moved.map.get(fonts.bold.ref.objectNumber)!)],
      ]),
    ],
  ]);
  const ap: UpdateObject = {
    num: apNum,
    dict: new Map<string, WritableValue>([
      ['Type', name('XObject')],
      ['Subtype', name('Form')],
      ['BBox', [0, 0, width, height]],
      ['Resources', resources],
      ['Filter', name('FlateDecode')],
    ]),
    data: deflate(w.toString()),
  };
  return { ref: { num: apNum }, objects: [...moved.objects, ap], nextObject: apNum + 1 };
}

/**
 * The objects reachable from `roots` in a pdf-lib context, renumbered from
 * `first` and written as pdf-lib writes them, references remapped.
 */
function transplant(context: PDFContext, roots: readonly PDFRef[], first: number): { objects: UpdateObject[]; map: Map<number, number>; next: number } {
  const map = new Map<number, number>();
  const order: PDFRef[] = [];
  const visit = (r: PDFRef): void => {
    if (map.has(r.objectNumber)) return;
    map.set(r.objectNumber, first + order.length);
    order.push(r);
    walk(context.lookup(r));
  };
  const walk = (v: unknown): void => {
    if (v instanceof PDFRef) visit(v);
    else if (v instanceof PDFArray) for (let i = 0; i < v.size(); i++) walk(v.get(i));
    else if (v instanceof PDFDict) for (const [, x] of v.entries()) walk(x);
    else if (v instanceof PDFRawStream) walk(v.dict);
  };
  for (const r of roots) visit(r);
  const remap = (text: string): string => text.replace(/(\d+) 0 R\b/g, (m, n: string) => (map.has(Number(n)) ? `${map.get(Number(n))} 0 R` : m));
  const objects: UpdateObject[] = order.map((r) => {
    const obj = context.lookup(r);
    const num = map.get(r.objectNumber)!;
    if (obj instanceof PDFRawStream) {
      const dict = new Map<string, WritableValue>();
      for (const [k, v] of obj.dict.entries()) if (k.asString() !== '/Length') dict.set(k.asString().slice(1), new RawPdf(remap(v.toString())));
      return { num, dict, data: obj.contents };
    }
    return { num, value: new RawPdf(remap(String(obj))) };
  });
  return { objects, map, next: first + order.length };
}
