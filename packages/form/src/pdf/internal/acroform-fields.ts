import type { Bordereau } from '../../model/bordereau.js';
import { flattenLeaves, formatValue, kindOf } from './field-codec.js';
import type { FieldSpec } from './draw-pages.js';
import type { DocumentFonts } from './font-embedder.js';
import { ContentWriter, num } from './content-writer.js';
import { encodeHex } from './font-face.js';
import { PDFArray, PDFDict, PDFName, type PDFDocument, type PDFRef } from './engine.js';
import { RawObject, RawStream, textString } from './raw-objects.js';

/** Prefix of every field the SDK creates: `s3404.fees.0.amount`. */
export const FIELD_PREFIX = 's3404.';

/** Field flag `Multiline` of a text field (ISO 32000-1 §12.7.4.3, Table 228). */
const MULTILINE = 1 << 12;
/** Annotation flag `Print` (§12.5.3): PDF/A requires it on every widget. */
const PRINT = 4;
/** Quadding (§12.7.3.3): 0 left, 1 centred, 2 right. */
const QUADDING = { left: 0, center: 1, right: 2 } as const;
/** A single-line value too wide for its box is set smaller down to this share of its size (as in the flat mode), then clipped. */
const MIN_SHRINK = 0.7;

/** A node of the field tree: `s3404` › `fees` › `0` › `amount` (a partial name holds no period, §12.7.3.2). */
interface FieldNode {
  readonly ref: PDFRef;
  readonly name: string;
  readonly parent: FieldNode | undefined;
  readonly kids: Map<string, FieldNode>;
  /** A terminal field: its value, and its widget when the layout prints it. */
  value?: string;
  widget?: { readonly spec: FieldSpec; readonly appearance: PDFRef };
}

const ref = (r: PDFRef): string => `${r.objectNumber} 0 R`;

/**
 * Creates the fillable form (FORM-5), written directly as PDF objects: one
 * text field per visible leaf, where its value was printed (field and widget
 * merged in one dictionary, its appearance stream drawn in the embedded
 * S3404 Sans), and a widget-less field for every other leaf of the model, so
 * that reading the form back gives the whole bordereau again. Fields nest
 * by the segments of their path (`s3404` › `fees` › `0` › `amount`): the
 * fully qualified names are the dotted paths.
 *
 * `/NeedAppearances` is written `false`: every widget carries its
 * appearance, so viewers show the values exactly as drawn here instead of
 * regenerating them, and PDF/A-2 forbids `true` (ISO 19005-2 §6.4.1). `/DA`
 * names the whole (not subset) regular face, listed in `/DR`, so a viewer
 * draws what a person types with the same font.
 */
export function createFields(doc: PDFDocument, bordereau: Bordereau, specs: readonly FieldSpec[], fonts: DocumentFonts): void {
  const context = doc.context;
  const fontName = fonts.names.regular;
  const resources = context.nextRef();
  context.assign(resources, new RawObject(`<</Font<</${fontName} ${ref(fonts.regular.ref)}>>>>`));
  const pageRefs = doc.getPages().map((p) => p.ref);
  const annots: PDFRef[][] = pageRefs.map(() => []);
  const writer = new ContentWriter(fonts);

  // 1. The tree, object numbers given in a fixed order (same input, same bytes).
  const root: FieldNode = { ref: context.nextRef(), name: 's3404', parent: undefined, kids: new Map() };
  const nodes: FieldNode[] = [root];
  const leaf = (path: string): FieldNode => {
    let at = root;
    for (const part of path.split('.')) {
      let next = at.kids.get(part);
      if (next === undefined) {
        next = { ref: context.nextRef(), name: part, parent: at, kids: new Map() };
        at.kids.set(part, next);
        nodes.push(next);
      }
      at = next;
    }
    return at;
  };
  const visible = new Set<string>();
  for (const spec of specs) {
    visible.add(spec.path);
    const n = leaf(spec.path);
    n.value = spec.text;
    n.widget = { spec, appearance: context.nextRef() };
    annots[spec.page]!.push(n.ref);
  }
  // Values the layout does not print: fields without a widget (nothing to
  // draw, nothing to click), read back like the others.
  for (const [path, value] of flattenLeaves(bordereau)) {
    if (visible.has(path) || path === '$schema') continue;
    leaf(path).value = formatValue(kindOf(path), value);
  }

  // 2. The objects, written as PDF syntax.
  for (const n of nodes) {
    let d = `/T${textString(n.name)}`;
    if (n.parent !== undefined) d += `/Parent ${ref(n.parent.ref)}`;
    if (n.kids.size > 0) {
      d += `/Kids[${[...n.kids.values()].map((k) => ref(k.ref)).join(' ')}]`;
    } else {
      d += `/FT/Tx/V${textString(n.value ?? '')}`;
      const w = n.widget;
      // No widget: an empty /Kids says so to editors that would take the field for its own widget.
      if (w === undefined) d += '/Kids[]';
      else {
        const s = w.spec;
        const width = Math.max(s.width, 4);
        d += `/DA(/${fontName} ${s.multiline ? 0 : num(s.size)} Tf 0 g)`;
        if (s.align !== 'left') d += `/Q ${QUADDING[s.align]}`;
        if (s.multiline) d += `/Ff ${MULTILINE}`;
        d += `/Type/Annot/Subtype/Widget/F ${PRINT}/P ${ref(pageRefs[s.page]!)}`;
        d += `/Rect[${num(s.x)} ${num(s.y)} ${num(s.x + width)} ${num(s.y + s.height)}]/AP<</N ${ref(w.appearance)}>>`;
        const bbox = `/Type/XObject/Subtype/Form/BBox[0 0 ${num(width)} ${num(s.height)}]/Resources ${ref(resources)}`;
        context.assign(w.appearance, new RawStream(context, bbox, appearance(writer, fonts, s, width)));
      }
    }
    context.assign(n.ref, new RawObject(`<<${d}>>`));
  }

  pageRefs.forEach((pageRef, i) => {
    if (annots[i]!.length === 0) return;
    const list = PDFArray.withContext(context);
    for (const a of annots[i]!) list.push(a);
    context.lookup(pageRef, PDFDict).set(PDFName.of('Annots'), list);
  });
  const acroForm = context.nextRef();
  // /DR: the font named by every /DA, for viewers that redraw an edited value.
  context.assign(acroForm, new RawObject(`<</Fields[${ref(root.ref)}]/DR ${ref(resources)}/DA(/${fontName} 0 Tf 0 g)/NeedAppearances false>>`));
  doc.catalog.set(PDFName.of('AcroForm'), acroForm);
}

/**
 * The appearance stream of a widget (§12.7.3.3): the value in the regular
 * face where the flat rendering prints it — one line set smaller when too
 * wide, or wrapped lines (smaller when they do not fit) — clipped to the
 * box, inside the `/Tx BMC … EMC` marked content that viewers replace on edit.
 */
function appearance(writer: ContentWriter, fonts: DocumentFonts, spec: FieldSpec, width: number): string {
  const h = spec.height;
  let out = `/Tx BMC q 0 0 ${num(width)} ${num(h)} re W n`;
  if (spec.text !== '') {
    let size = spec.size;
    let lineHeight = spec.lineHeight;
    let lines: string[];
    if (spec.multiline) {
      // Wrapped at spaces only (a word cut in two would read back as two in viewers that take
      // the text from the appearance); set smaller, down to half size, until the longest word
      // and the lines fit the box.
      const words = spec.text.split(/\s+/).filter((w) => w !== '');
      const widest = Math.max(0, ...words.map((w) => writer.width(w, { size: 1 })));
      lines = wrapWords(writer, words, width, size);
      while (size > spec.size / 2 && (widest * size > width || (lines.length - 1) * lineHeight + size * 1.3 > h + 0.01)) {
        size *= 0.9;
        lineHeight *= 0.9;
        lines = wrapWords(writer, words, width, size);
      }
    } else {
      const full = writer.width(spec.text, { size });
      if (full > width) size = Math.max(size * MIN_SHRINK, (size * width) / full);
      lines = [spec.text];
    }
    out += ` BT 0 g /${fonts.names.regular} ${num(size)} Tf`;
    // The first baseline where draw-pages put it (the box top 0.95 × size above);
    // wrapped lines set smaller start higher, to keep the top line in the box.
    let y = h - (spec.multiline ? size : spec.size) * 0.95;
    for (const line of lines) {
      const w = writer.width(line, { size });
      const x = spec.align === 'right' ? width - w : spec.align === 'center' ? (width - w) / 2 : 0;
      out += `\n1 0 0 1 ${num(x)} ${num(y)} Tm <${encodeHex(fonts.regularFace, line)}> Tj`;
      y -= lineHeight;
    }
    out += ' ET';
  }
  return `${out} Q EMC`;
}

/** Greedy wrapping of words into lines no wider than `width` (a word wider than that keeps a line of its own). */
function wrapWords(writer: ContentWriter, words: readonly string[], width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && writer.width(candidate, { size }) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines;
}
