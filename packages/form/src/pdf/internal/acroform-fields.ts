import type { Bordereau } from '../../model/bordereau.js';
import { flattenLeaves, formatValue, kindOf } from './field-codec.js';
import type { FieldSpec } from './draw-pages.js';
import type { DocumentFonts } from './font-embedder.js';
import { ContentWriter, num } from './content-writer.js';
import { encodeHex } from './font-face.js';
import { PDFArray, PDFDict, PDFName, type PDFDocument, type PDFRef } from './engine.js';
import { RawObject, RawStream, RawText, textString } from './raw-objects.js';

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
  /** `ref` as written (`12 0 R`), made once: its children and its parent name it too. */
  readonly refText: string;
  readonly name: string;
  readonly parent: FieldNode | undefined;
  /** Its children by partial name; made with the first child (a terminal field has none). */
  kids?: Map<string, FieldNode>;
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
  // The syntax of every object below, written into one block.
  const block = new RawText();
  const resources = context.nextRef();
  context.assign(resources, RawObject.in(block, `<</Font<</${fontName} ${ref(fonts.regular.ref)}>>>>`));
  const pageRefs = doc.getPages().map((p) => p.ref);
  const annots: PDFRef[][] = pageRefs.map(() => []);
  const writer = new ContentWriter(fonts);

  // 1. The tree, object numbers given in a fixed order (same input, same bytes).
  const node = (name: string, parent: FieldNode | undefined): FieldNode => {
    const r = context.nextRef();
    return { ref: r, refText: ref(r), name, parent };
  };
  const root = node('s3404', undefined);
  const nodes: FieldNode[] = [root];
  // Every node by its dotted path: a path's parent is found in one lookup, and made (with its own
  // parents, top down) only the first time.
  const byPath = new Map<string, FieldNode>();
  const leaf = (path: string): FieldNode => {
    let n = byPath.get(path);
    if (n !== undefined) return n;
    const dot = path.lastIndexOf('.');
    const parent = dot < 0 ? root : leaf(path.slice(0, dot));
    const name = dot < 0 ? path : path.slice(dot + 1);
    n = node(name, parent);
    parent.kids ??= new Map();
    parent.kids.set(name, n);
    nodes.push(n);
    byPath.set(path, n);
    return n;
  };
  for (const spec of specs) {
    const n = leaf(spec.path);
    n.value = spec.text;
    n.widget = { spec, appearance: context.nextRef() };
    annots[spec.page]!.push(n.ref);
  }
  // Values the layout does not print: fields without a widget (nothing to
  // draw, nothing to click), read back like the others.
  for (const [path, value] of flattenLeaves(bordereau)) {
    if (path === '$schema' || byPath.get(path)?.widget !== undefined) continue;
    leaf(path).value = formatValue(kindOf(path), value);
  }

  // 2. The objects, written as PDF syntax (the parts every widget repeats made once).
  const widgetOnPage = pageRefs.map((p) => `/Type/Annot/Subtype/Widget/F ${PRINT}/P ${ref(p)}`);
  const resourcesEntry = `/Resources ${ref(resources)}`;
  for (const n of nodes) {
    let d = `/T${textString(n.name)}`;
    if (n.parent !== undefined) d += `/Parent ${n.parent.refText}`;
    if (n.kids !== undefined) {
      let kids = '';
      for (const k of n.kids.values()) kids += kids === '' ? k.refText : ` ${k.refText}`;
      d += `/Kids[${kids}]`;
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
        d += widgetOnPage[s.page]!;
        d += `/Rect[${num(s.x)} ${num(s.y)} ${num(s.x + width)} ${num(s.y + s.height)}]/AP<</N ${ref(w.appearance)}>>`;
        const box = `${num(width)} ${num(s.height)}`;
        const bbox = `/Type/XObject/Subtype/Form/BBox[0 0 ${box}]${resourcesEntry}`;
        context.assign(w.appearance, RawStream.in(context, block, bbox, appearance(writer, fonts, s, width, box)));
      }
    }
    context.assign(n.ref, RawObject.in(block, `<<${d}>>`));
  }

  pageRefs.forEach((pageRef, i) => {
    if (annots[i]!.length === 0) return;
    const list = PDFArray.withContext(context);
    for (const a of annots[i]!) list.push(a);
    context.lookup(pageRef, PDFDict).set(PDFName.of('Annots'), list);
  });
  const acroForm = context.nextRef();
  // /DR: the font named by every /DA, for viewers that redraw an edited value.
  context.assign(acroForm, RawObject.in(block, `<</Fields[${root.refText}]/DR ${ref(resources)}/DA(/${fontName} 0 Tf 0 g)/NeedAppearances false>>`));
  doc.catalog.set(PDFName.of('AcroForm'), acroForm);
}

/**
 * The appearance stream of a widget (§12.7.3.3): the value in the regular
 * face where the flat rendering prints it — one line set smaller when too
 * wide, or wrapped lines (smaller when they do not fit) — clipped to the
 * box, inside the `/Tx BMC … EMC` marked content that viewers replace on edit.
 * `box` is the box's width and height as written in its `/BBox`.
 */
function appearance(writer: ContentWriter, fonts: DocumentFonts, spec: FieldSpec, width: number, box: string): string {
  const h = spec.height;
  let out = `/Tx BMC q 0 0 ${box} re W n`;
  if (spec.text !== '') {
    let size = spec.size;
    let lineHeight = spec.lineHeight;
    let lines: string[];
    if (spec.multiline) {
      // Wrapped at spaces only (a word cut in two would read back as two in viewers that take
      // the text from the appearance), and only at the ASCII space, as the flat rendering wraps:
      // never at a no-break space (U+00A0, U+202F: "10 000 €", "escalier B"), which JavaScript's
      // `\s` also matches. Set smaller, down to half size, until the longest word and the lines
      // fit the box.
      const words = spec.text.split(/ +/).filter((w) => w !== '');
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
