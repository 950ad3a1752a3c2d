import { deflateSync, inflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinInflate } from '@s3404/core';

// Issue 19: the image and PDF readers decode zlib streams natively where the runtime can, with the same results.
const proc = process as unknown as { getBuiltinModule?: unknown };
const original = proc.getBuiltinModule;
afterEach(() => {
  proc.getBuiltinModule = original;
});

const text = (n: number): Uint8Array => new TextEncoder().encode('bordereau S3404 '.repeat(n));

describe('builtinInflate (X-1, issue 19)', () => {
  it('decodes a valid zlib stream and says where it ends, bytes after it not read', () => {
    const inflate = builtinInflate();
    expect(inflate).toBeTypeOf('function');
    for (const data of [new Uint8Array(0), text(1), text(5000), new Uint8Array(randomBytes(70_000))]) {
      const z = new Uint8Array(deflateSync(data));
      expect(inflate!(z, { maxBytes: data.length })).toEqual({ bytes: data, consumed: z.length });
      const tail = new Uint8Array([...z, 0x0d, 0x0a, 0x41]);
      expect(inflate!(tail, { maxBytes: data.length })).toEqual({ bytes: data, consumed: z.length });
    }
  });

  it('answers undefined for damage, a missing checksum, a bad header or a stream longer than its bound', () => {
    const inflate = builtinInflate()!;
    const data = text(400);
    const z = new Uint8Array(deflateSync(data));
    expect(inflate(z, { maxBytes: data.length - 1 })).toBeUndefined();
    expect(inflate(z.subarray(0, z.length - 4), { maxBytes: 1 << 20 })).toBeUndefined();
    expect(inflate(z.subarray(0, z.length - 9), { maxBytes: 1 << 20 })).toBeUndefined();
    const badAdler = z.slice();
    badAdler[badAdler.length - 1]! ^= 1;
    expect(inflate(badAdler, { maxBytes: 1 << 20 })).toBeUndefined();
    const badHeader = z.slice();
    badHeader[1]! ^= 1;
    expect(inflate(badHeader, { maxBytes: 1 << 20 })).toBeUndefined();
    // A bomb stops at the bound: 64 MiB of zeros asked with a 1 MiB bound.
    const bomb = new Uint8Array(deflateSync(new Uint8Array(64 << 20)));
    expect(inflate(bomb, { maxBytes: 1 << 20 })).toBeUndefined();
  });

  it('is undefined in a browser, or where zlib does not stop at its bound or does not tell where a stream ends', () => {
    proc.getBuiltinModule = undefined;
    expect(builtinInflate()).toBeUndefined();
    // A zlib that ignores maxOutputLength (a bomb would be decoded whole).
    proc.getBuiltinModule = () => ({ inflateSync: (b: Uint8Array, o: { info: true }) => inflateSync(b, { info: o.info }) });
    expect(builtinInflate()).toBeUndefined();
    // A zlib without `info` (only the buffer).
    proc.getBuiltinModule = () => ({ inflateSync: (b: Uint8Array, o: { maxOutputLength: number }) => inflateSync(b, { maxOutputLength: o.maxOutputLength }) });
    expect(builtinInflate()).toBeUndefined();
    proc.getBuiltinModule = () => {
      throw new Error('no such module');
    };
    expect(builtinInflate()).toBeUndefined();
  });
});
