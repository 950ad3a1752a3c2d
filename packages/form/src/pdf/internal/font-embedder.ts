import { sha256 } from '@noble/hashes/sha2.js';
import { CustomFontEmbedder, PDFFont, PDFHexString, PDFName, PDFNumber, type PDFContext, type PDFDocument, type PDFRef } from './engine.js';
import { RawObject, RawStream, RawText } from './raw-objects.js';
import { boldFace, encodeHex, regularFace, textWidth, toUnicodeCMap, widthsArray, type FontFace } from './font-face.js';
import { subsetTrueType } from './ttf-subset.js';
import { deflate } from './deflate.js';

/**
 * A pdf-lib font embedder backed by a prepared {@link FontFace}. Text is
 * encoded with a table lookup (no shaping: Latin text) and every glyph used
 * is recorded, so the font program can be subset when the document is
 * finished. pdf-lib accepts it anywhere it accepts its own (form appearances
 * included). Output is deterministic: the subset tag derives from the glyphs.
 */
class FaceEmbedder extends CustomFontEmbedder {
  readonly face: FontFace;
  readonly used = new Set<number>([0]);
  private readonly subset: boolean;

  constructor(face: FontFace, subset: boolean) {
    super(face.font as never, face.bytes, face.postscriptName);
    this.face = face;
    this.subset = subset;
  }

  override encodeText(text: string): PDFHexString {
    return PDFHexString.of(encodeHex(this.face, text, this.used));
  }

  override glyphCountOfText(text: string): number {
    return [...text].length;
  }

  override widthOfTextAtSize(text: string, size: number): number {
    return textWidth(this.face, text, size);
  }

  private gids(): number[] {
    return [...this.used].sort((a, b) => a - b);
  }

  override embedIntoContext(context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
    if (this.subset) {
      // Subset tag: six capitals from the glyph set (ISO 32000-1 §9.6.4).
      const digest = sha256(new TextEncoder().encode(`${this.face.postscriptName}:${this.gids().join(',')}`));
      const tag = [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
      this.baseFontName = `${tag}+${this.face.postscriptName}`;
    } else {
      this.baseFontName = this.face.postscriptName;
    }
    return this.embedFontDict(context, ref);
  }

  protected override embedFontStream(context: PDFContext): Promise<PDFRef> {
    const program = this.subset ? subsetOf(this.face, this.gids()) : undefined;
    const ref =
      program === undefined
        ? registerPrewritten(context, this.face.deflated, this.face.bytes.length)
        : registerPrewritten(context, program.deflated, program.length);
    return Promise.resolve(ref);
  }

  protected override embedUnicodeCmap(context: PDFContext): PDFRef {
    const data = this.subset ? subsetOf(this.face, this.gids()).toUnicode : this.face.toUnicode;
    return registerPrewritten(context, data);
  }

  protected override computeWidths(): (number | number[])[] {
    if (this.subset) return widthsArray(this.face, this.gids());
    // The whole face's /W array (a thousand numbers) as the syntax the engine would write for it, made once per
    // process: the engine takes a PDF object where it expects this array of numbers.
    return RawObject.whole(wholeWidths(this.face)) as never;
  }
}

/**
 * Font streams as the engine writes them (dictionary, `stream`, the compressed bytes, `endstream`), by
 * their compressed bytes: those of a face or of a subset, made once and never modified, each always
 * written with the same dictionary. Copied whole into each document instead of being written again.
 */
const PREWRITTEN = new WeakMap<Uint8Array, { readonly block: RawText; readonly contentStart: number; readonly contentEnd: number }>();

/** Registers a FlateDecode font stream (`/Length1`: a font program's uncompressed length; none for a CMap). */
function registerPrewritten(context: PDFContext, deflated: Uint8Array, length1?: number): PDFRef {
  let entry = PREWRITTEN.get(deflated);
  if (entry === undefined) {
    const stream = context.stream(deflated, length1 === undefined ? { Filter: 'FlateDecode' } : { Filter: 'FlateDecode', Length1: length1 });
    const bytes = new Uint8Array(stream.sizeInBytes());
    stream.copyBytesInto(bytes, 0);
    const contentEnd = bytes.length - '\nendstream'.length;
    entry = { block: RawText.adopt(bytes), contentStart: contentEnd - deflated.length, contentEnd };
    PREWRITTEN.set(deflated, entry);
  }
  return context.register(RawStream.whole(context, entry.block, entry.contentStart, entry.contentEnd));
}

/** The /W array of each whole face, as written in the file (the engine's syntax for the same array, byte for byte). */
const WHOLE_WIDTHS = new WeakMap<FontFace, RawText>();

function wholeWidths(face: FontFace): RawText {
  let block = WHOLE_WIDTHS.get(face);
  if (block === undefined) {
    const text = arraySyntax(face.w);
    block = new RawText();
    block.append(text);
    WHOLE_WIDTHS.set(face, block);
  }
  return block;
}

/** An array of numbers and arrays of numbers as pdf-lib writes it: `[ 0 [ 750 ] 3 [ 278 355 ] ]`. */
function arraySyntax(items: readonly (number | readonly number[])[]): string {
  let out = '[ ';
  for (const item of items) out += `${typeof item === 'number' ? numberSyntax(item) : arraySyntax(item)} `;
  return `${out}]`;
}

/** A number as pdf-lib's PDFNumber writes it (its `numberToString`: no exponent). */
function numberSyntax(n: number): string {
  return PDFNumber.of(n).toString();
}

/** Subsets made, by face and glyph list: the same glyphs give the same bytes, so a subset is made once (the caption fonts of every rendering, a bordereau's own glyphs when it is rendered again). */
const SUBSETS = new Map<string, { readonly deflated: Uint8Array; readonly length: number; readonly toUnicode: Uint8Array }>();
const MAX_SUBSETS = 64;

function subsetOf(face: FontFace, gids: readonly number[]): { readonly deflated: Uint8Array; readonly length: number; readonly toUnicode: Uint8Array } {
  const key = `${face.postscriptName}:${gids.join(',')}`;
  let entry = SUBSETS.get(key);
  if (entry === undefined) {
    const program = subsetTrueType(face.bytes, new Set(gids));
    entry = { deflated: deflate(program), length: program.length, toUnicode: deflate(toUnicodeCMap(face, gids)) };
    if (SUBSETS.size >= MAX_SUBSETS) SUBSETS.delete(SUBSETS.keys().next().value!);
    SUBSETS.set(key, entry);
  }
  return entry;
}

/** The SDK's two faces in one document, embedded when the document is finished. */
export interface DocumentFonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly regularFace: FontFace;
  readonly boldFace: FontFace;
  /** Glyphs drawn so far, per face (fed to the content writer). */
  readonly used: { readonly regular: Set<number>; readonly bold: Set<number> };
  /** Resource names of the faces on the pages. */
  readonly names: { readonly regular: string; readonly bold: string };
  /** Writes the font objects (subset to the glyphs used); call once, before saving. */
  finalize(): Promise<void>;
}

/**
 * Prepares S3404 Sans Regular and Bold for `doc` (FORM-4, FORM-7). With
 * `subset` (default), only the glyphs drawn are embedded; a fillable form
 * needs the whole font so that people can type any Latin character.
 */
export function prepareFonts(
  doc: PDFDocument,
  options: {
    subset: boolean;
    /** Subset the bold face whatever `subset` says (a fillable form's fields use the regular face only). Default: `subset`. */
    subsetBold?: boolean;
    names?: { regular: string; bold: string };
    /** Glyphs of these characters are embedded whatever is drawn (a subset shared by later drawings). */
    include?: string;
    /** Font objects already in the document to draw with: `finalize` then writes nothing. */
    existing?: { regular: PDFRef; bold: PDFRef };
  },
): DocumentFonts {
  const r = new FaceEmbedder(regularFace(), options.subset);
  const b = new FaceEmbedder(boldFace(), options.subsetBold ?? options.subset);
  if (options.include !== undefined) {
    encodeHex(r.face, options.include, r.used);
    encodeHex(b.face, options.include, b.used);
  }
  const existing = options.existing;
  const regular = PDFFont.of(existing?.regular ?? doc.context.nextRef(), doc, r);
  const bold = PDFFont.of(existing?.bold ?? doc.context.nextRef(), doc, b);
  return {
    regular,
    bold,
    regularFace: r.face,
    boldFace: b.face,
    used: { regular: r.used, bold: b.used },
    names: options.names ?? { regular: 'S3404R', bold: 'S3404B' },
    finalize: async () => {
      if (existing !== undefined) return;
      await regular.embed();
      await bold.embed();
    },
  };
}

/** Puts the two faces in a page's font resources under their names. */
export function addFontResources(page: { node: { setFontDictionary(name: PDFName, ref: PDFRef): void } }, fonts: DocumentFonts): void {
  page.node.setFontDictionary(PDFName.of(fonts.names.regular), fonts.regular.ref);
  page.node.setFontDictionary(PDFName.of(fonts.names.bold), fonts.bold.ref);
}
