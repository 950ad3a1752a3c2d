import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinSha256 } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';

// Issue 19: the packages' default SHA-256 is the runtime's native one where the runtime offers it, without an import.
const proc = process as unknown as { getBuiltinModule?: unknown };
const original = proc.getBuiltinModule;
afterEach(() => {
  proc.getBuiltinModule = original;
});

describe('builtinSha256 (AUD-2, X-1)', () => {
  it('gives the standard digest, the same as nodeSha256, on inputs of every size', () => {
    const sha256 = builtinSha256();
    expect(sha256).toBeTypeOf('function');
    for (const n of [0, 1, 55, 56, 64, 1000, 150_000]) {
      const data = new Uint8Array(randomBytes(n));
      const want = new Uint8Array(createHash('sha256').update(data).digest());
      expect(sha256!(data)).toEqual(want);
      expect(nodeSha256(data)).toEqual(want);
    }
  });

  it('is undefined where the runtime has no getBuiltinModule (a browser), or a crypto that does not give SHA-256', () => {
    proc.getBuiltinModule = undefined;
    expect(builtinSha256()).toBeUndefined();
    proc.getBuiltinModule = () => ({ hash: () => '00'.repeat(32), createHash: () => ({ update: () => ({ digest: () => new Uint8Array(32) }) }) });
    expect(builtinSha256()).toBeUndefined();
    proc.getBuiltinModule = () => {
      throw new Error('no such module');
    };
    expect(builtinSha256()).toBeUndefined();
  });
});

describe('the hex digest of the native SHA-256 (issue 19)', () => {
  it('builtinSha256().hex and nodeSha256.hex give the hex of the same digest', () => {
    const sha256 = builtinSha256()!;
    for (const n of [0, 1, 64, 1000]) {
      const data = new Uint8Array(randomBytes(n));
      const want = createHash('sha256').update(data).digest('hex');
      expect(sha256.hex?.(data)).toBe(want);
      expect(nodeSha256.hex?.(data)).toBe(want);
    }
  });

  it('a crypto module without the one-shot hash still gives a SHA-256, without hex', () => {
    proc.getBuiltinModule = () => ({ createHash: (algorithm: string) => createHash(algorithm) });
    const sha256 = builtinSha256();
    expect(sha256).toBeTypeOf('function');
    expect(sha256!.hex).toBeUndefined();
    const data = new Uint8Array([1, 2]);
    expect(sha256!(data)).toEqual(new Uint8Array(createHash('sha256').update(data).digest()));
  });

  it('a one-shot hash whose hex differs from its bytes is not used', () => {
    proc.getBuiltinModule = () => ({
      hash: (algorithm: string, data: Uint8Array, encoding: 'latin1' | 'hex') =>
        encoding === 'hex' ? '00'.repeat(32) : createHash(algorithm).update(data).digest('binary'),
      createHash,
    });
    expect(builtinSha256()).toBeUndefined();
  });
});
