import { zlibSync } from 'fflate';
import type { PDFContext, PDFRef } from './engine.js';

/**
 * zlib (FlateDecode) compression for the SDK's streams. Level 2 is about
 * twice as fast as level 6 on a bordereau page for ~13 % more bytes:
 * rendering speed is a stated goal, and files stay around 30 KB a page.
 */
export function deflate(data: Uint8Array | string): Uint8Array {
  return zlibSync(typeof data === 'string' ? new TextEncoder().encode(data) : data, { level: 2 });
}

/** Registers a FlateDecode stream (content, CMap…) and returns its reference. */
export function registerFlate(context: PDFContext, data: Uint8Array | string, dict: Record<string, unknown> = {}): PDFRef {
  return context.register(context.stream(deflate(data), { ...dict, Filter: 'FlateDecode' } as never));
}

/** Compressed texts that recur from one document to the next (a layout template's JSON), by their text. */
const RECURRING = new Map<string, Uint8Array>();
const MAX_RECURRING = 16;

/**
 * {@link registerFlate} for a text that recurs across documents (the layout template, the same for every
 * bordereau): compressed once per process, the same bytes every time. The compressed bytes are shared
 * between documents and never modified.
 */
export function registerRecurringFlate(context: PDFContext, text: string): PDFRef {
  let bytes = RECURRING.get(text);
  if (bytes === undefined) {
    bytes = deflate(text);
    if (RECURRING.size >= MAX_RECURRING) RECURRING.delete(RECURRING.keys().next().value!);
    RECURRING.set(text, bytes);
  }
  return context.register(context.stream(bytes, { Filter: 'FlateDecode' } as never));
}
