import { PDFDict, PDFObject, PDFStream, type PDFContext } from './engine.js';

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
const END_STREAM = '\nendstream';
/** Characters of appended text kept as strings before they are encoded together. */
const PENDING_CHARACTERS = 1 << 14;

/**
 * ASCII PDF syntax of many objects, encoded together into a few byte arrays
 * (16 KiB or so each) that the objects share, each object a span of them.
 * A fillable form has a thousand objects: each kept as its own string (a
 * tree of the pieces it was built from, until written) or its own byte
 * array (an off-heap buffer), they were most of what the garbage collector
 * copied and freed during a rendering (issue 19). Here their text is
 * short-lived, and what stays is a few arrays and a span per object.
 */
export class RawText {
  /** Encoded text, in chunks (each the texts of one flush, whole: no object spans two chunks). */
  #chunks: Uint8Array[] = [];
  /** Offset of each chunk's first byte in the block. */
  #starts: number[] = [];
  /** Bytes encoded so far. */
  #encoded = 0;
  /** Texts appended since, encoded together (one call to the encoder for many small objects). */
  #pending: string[] = [];
  #length = 0;

  /** A block that is `bytes`, already written (adopted, not copied: never modify them afterwards). */
  static adopt(bytes: Uint8Array): RawText {
    const block = new RawText();
    block.#chunks.push(bytes);
    block.#starts.push(0);
    block.#encoded = bytes.length;
    block.#length = bytes.length;
    return block;
  }

  get length(): number {
    return this.#length;
  }

  /**
   * Writes `text` (ASCII) at the end and returns where it starts.
   *
   * @throws TypeError for a character outside ASCII (a bug of the caller: raw syntax is ASCII by construction),
   * here or when the text is next read.
   */
  append(text: string): number {
    const start = this.#length;
    this.#pending.push(text);
    this.#length = start + text.length;
    if (this.#length - this.#encoded >= PENDING_CHARACTERS) this.#flush();
    return start;
  }

  /** The bytes of the span [start, end), within one text given to {@link append}. */
  span(start: number, end: number): Uint8Array {
    if (end > this.#encoded) this.#flush();
    let i = this.#starts.length - 1;
    while (this.#starts[i]! > start) i--;
    const at = this.#starts[i]!;
    return this.#chunks[i]!.subarray(start - at, end - at);
  }

  /** Copies the span [start, end) into `buffer` at `offset`. */
  copy(start: number, end: number, buffer: Uint8Array, offset: number): number {
    buffer.set(this.span(start, end), offset);
    return end - start;
  }

  /** The span [start, end) as a string. */
  text(start: number, end: number): string {
    return DECODER.decode(this.span(start, end));
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    const n = text.length;
    const chunk = new Uint8Array(n);
    // Room for exactly one byte per character: any character outside ASCII takes more in UTF-8, so the encoder stops short.
    const { read } = ENCODER.encodeInto(text, chunk);
    if (read !== n)
      throw new TypeError(`raw PDF syntax must be ASCII, got U+${text.charCodeAt(read).toString(16).padStart(4, '0')} at ${this.#encoded + read}`);
    this.#chunks.push(chunk);
    this.#starts.push(this.#encoded);
    this.#encoded += n;
  }
}

/**
 * A direct object already written as PDF syntax (ASCII only), for objects
 * made by the thousand (form fields): the engine copies its bytes as they
 * are instead of building and serializing one object per key and value.
 * The engine may put it in an object stream like any dictionary.
 */
export class RawObject extends PDFObject {
  /** The object that is the whole of `block` (text written once, shared by documents). */
  static whole(block: RawText): RawObject {
    return new RawObject(block, 0, block.length);
  }

  /** Writes `text` into `block` and returns the object it makes. */
  static in(block: RawText, text: string): RawObject {
    const start = block.append(text);
    return new RawObject(block, start, block.length);
  }

  private constructor(
    private readonly block: RawText,
    private readonly start: number,
    private readonly end: number,
  ) {
    super();
  }

  override clone(): RawObject {
    return new RawObject(this.block, this.start, this.end);
  }

  override toString(): string {
    return this.block.text(this.start, this.end);
  }

  override sizeInBytes(): number {
    return this.end - this.start;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    return this.block.copy(this.start, this.end, buffer, offset);
  }
}

/** One empty dictionary per document for the streams below, which write their own (a thousand maps fewer). */
const EMPTY_DICTS = new WeakMap<PDFContext, PDFDict>();

function emptyDict(context: PDFContext): PDFDict {
  let dict = EMPTY_DICTS.get(context);
  if (dict === undefined) {
    dict = PDFDict.withContext(context);
    EMPTY_DICTS.set(context, dict);
  }
  return dict;
}

/**
 * A stream already written as PDF syntax into a {@link RawText}: its
 * dictionary (without `/Length`, added here) and its ASCII content,
 * unfiltered. Kept out of object streams by the engine, as every stream
 * must be.
 */
export class RawStream extends PDFStream {
  /** Writes the stream into `block`: its dictionary (`/Length` added) and its ASCII content. */
  static in(context: PDFContext, block: RawText, dictBody: string, content: string): RawStream {
    const head = `<<${dictBody}/Length ${content.length}>>\nstream\n`;
    // One text, so that the stream is one span of the block.
    const start = block.append(`${head}${content}${END_STREAM}`);
    const contentStart = start + head.length;
    return new RawStream(context, block, start, contentStart, contentStart + content.length, block.length);
  }

  /**
   * The stream that is the whole of `block`, written beforehand by the engine itself (a font program,
   * compressed once per process): copied as it is into every document, byte for byte what the engine
   * would write for it.
   */
  static whole(context: PDFContext, block: RawText, contentStart: number, contentEnd: number): RawStream {
    return new RawStream(context, block, 0, contentStart, contentEnd, block.length);
  }

  private constructor(
    context: PDFContext,
    private readonly block: RawText,
    private readonly start: number,
    /** Where the content starts and ends (after `stream` and its end of line, before the end of line of `endstream`). */
    private readonly contentStart: number,
    private readonly contentEnd: number,
    private readonly end: number,
  ) {
    super(emptyDict(context));
  }

  override updateDict(): void {}

  override getContents(): Uint8Array {
    return this.block.span(this.contentStart, this.contentEnd).slice();
  }

  override getContentsString(): string {
    return this.block.text(this.contentStart, this.contentEnd);
  }

  override getContentsSize(): number {
    return this.contentEnd - this.contentStart;
  }

  override toString(): string {
    return this.block.text(this.start, this.end);
  }

  override sizeInBytes(): number {
    return this.end - this.start;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    return this.block.copy(this.start, this.end, buffer, offset);
  }
}

/** A PDF text string (§7.9.2.2): a literal for printable ASCII, else UTF-16BE with its byte order mark, in hex. */
export function textString(text: string): string {
  let escapes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return hexTextString(text);
    // \ ( )
    if (c === 0x5c || c === 0x28 || c === 0x29) escapes = true;
  }
  return `(${escapes ? text.replace(/[\\()]/g, '\\$&') : text})`;
}

function hexTextString(text: string): string {
  let hex = '<FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `${hex}>`;
}
