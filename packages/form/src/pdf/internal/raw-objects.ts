import { PDFDict, PDFObject, PDFStream, type PDFContext } from './engine.js';

const ENCODER = new TextEncoder();

/**
 * A direct object already written as PDF syntax (ASCII only), for objects
 * made by the thousand (form fields): the engine copies its bytes as they
 * are instead of building and serializing one object per key and value.
 * The engine may put it in an object stream like any dictionary.
 */
export class RawObject extends PDFObject {
  private readonly bytes: Uint8Array;

  constructor(private readonly text: string) {
    super();
    this.bytes = ENCODER.encode(text);
  }

  override clone(): RawObject {
    return new RawObject(this.text);
  }

  override toString(): string {
    return this.text;
  }

  override sizeInBytes(): number {
    return this.bytes.length;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(this.bytes, offset);
    return this.bytes.length;
  }
}

/**
 * A stream already written as PDF syntax: its dictionary (without
 * `/Length`, added here) and its ASCII content, unfiltered. Kept out of
 * object streams by the engine, as every stream must be.
 */
export class RawStream extends PDFStream {
  private readonly text: string;
  private readonly bytes: Uint8Array;
  private readonly content: string;

  constructor(context: PDFContext, dictBody: string, content: string) {
    super(PDFDict.withContext(context));
    this.content = content;
    this.text = `<<${dictBody}/Length ${content.length}>>\nstream\n${content}\nendstream`;
    this.bytes = ENCODER.encode(this.text);
  }

  override updateDict(): void {}

  override getContents(): Uint8Array {
    return ENCODER.encode(this.content);
  }

  override getContentsString(): string {
    return this.content;
  }

  override getContentsSize(): number {
    return this.content.length;
  }

  override toString(): string {
    return this.text;
  }

  override sizeInBytes(): number {
    return this.bytes.length;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(this.bytes, offset);
    return this.bytes.length;
  }
}

/** A PDF text string (§7.9.2.2): a literal for printable ASCII, else UTF-16BE with its byte order mark, in hex. */
export function textString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, '\\$&')})`;
  let hex = '<FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `${hex}>`;
}
