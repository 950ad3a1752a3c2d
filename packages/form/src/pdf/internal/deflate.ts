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
