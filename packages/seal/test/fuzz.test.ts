import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { createVerifier, SEAL_ERRORS, importPkcs8SigningKey, readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { at, fixture, makePng, prng, sealInsured } from './helpers.js';

const CODES = new Set<string>(SEAL_ERRORS.codes);

/** One mutation of a DER record: bit flips, byte edits, cuts, splices, length tweaks. */
function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  let b = Uint8Array.from(src);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    switch (pick(8)) {
      case 0: {
        // bit flip
        const i = pick(b.length);
        b[i] = b[i]! ^ (1 << pick(8));
        break;
      }
      case 1: // random byte
        b[pick(b.length)] = pick(256);
        break;
      case 2: // truncate
        b = b.subarray(0, pick(b.length));
        break;
      case 3: {
        // delete a run
        const i = pick(b.length);
        const n = 1 + pick(16);
        b = Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + n)]);
        break;
      }
      case 4: {
        // insert random bytes
        const i = pick(b.length);
        const extra = Array.from({ length: 1 + pick(8) }, () => pick(256));
        b = Uint8Array.from([...b.subarray(0, i), ...extra, ...b.subarray(i)]);
        break;
      }
      case 5: {
        // a length byte made long-form, indefinite or huge
        const i = pick(Math.max(1, b.length - 1)) + 1;
        b[i] = [0x80, 0x81, 0x84, 0xff, 0x00, 0x7f][pick(6)]!;
        break;
      }
      case 6: {
        // duplicate a slice elsewhere
        const i = pick(b.length);
        const n = 1 + pick(64);
        const j = pick(b.length);
        b = Uint8Array.from([...b.subarray(0, j), ...b.subarray(i, i + n), ...b.subarray(j)]);
        break;
      }
      default: {
        // swap a tag for another
        b[pick(b.length)] = [0x30, 0x31, 0xa0, 0xa1, 0x04, 0x06, 0x02, 0x17, 0x18, 0x1f][pick(10)]!;
      }
    }
    if (b.length === 0) break;
  }
  return b;
}

describe('bounded fuzz of the DER parser and verifier (SIG-3, X-2)', () => {
  it('10,000 mutated records: only coded failures, no crash, no hang', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f, { image: makePng(64, 24), withStrokes: false });
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(60) });
    const rnd = prng(20261123);
    const seen = new Map<string, number>();
    let slowest = 0;
    for (let i = 0; i < 10_000; i++) {
      const input = mutate(sealed.bytes, rnd);
      const t = performance.now();
      const result = await verifier.verify(input);
      slowest = Math.max(slowest, performance.now() - t);
      if (result.ok) {
        // A mutation may leave the record intact (e.g. a flip undone); then it must be the same record.
        expect(result.recordId).toBe(sealed.recordId);
        seen.set('valid', (seen.get('valid') ?? 0) + 1);
        continue;
      }
      expect(CODES.has(result.code), result.code).toBe(true);
      expect(result.message.length).toBeGreaterThan(10);
      seen.set(result.code, (seen.get(result.code) ?? 0) + 1);
    }
    expectWithinBound(slowest, 500, 'the slowest mutated record', { clock: 'wall' });
    // The fuzz reaches deep: structure, attributes, digest, signature and certificate checks all fire.
    for (const code of ['ERR_SEAL_MALFORMED', 'ERR_SEAL_DIGEST_MISMATCH', 'ERR_SEAL_SIGNATURE_INVALID']) expect(seen.get(code) ?? 0).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThanOrEqual(5);
  }, 180_000);

  it('random bytes and hostile PEM/PKCS#8 inputs give coded errors', async () => {
    const f = await fixture();
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate] });
    const rnd = prng(7);
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256));
      if (i % 2 === 0 && b.length > 2) b[0] = 0x30;
      const r = await verifier.verify(b);
      expect(r.ok).toBe(false);
    }
    // Deep nesting: 10,000 nested SEQUENCEs are refused without a stack overflow.
    const deep = new Uint8Array(20_000);
    for (let i = 0; i < 10_000; i++) {
      deep[2 * i] = 0x30;
      deep[2 * i + 1] = 0x80;
    }
    expect(await verifier.verify(deep)).toMatchObject({ ok: false, code: 'ERR_SEAL_MALFORMED' });
    for (const text of [
      '',
      'garbage',
      '-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
    ]) {
      expect(() => readPemCertificates(text)).toThrow(expect.objectContaining({ code: 'ERR_PEM_INVALID' }));
    }
    expect(() => readPemPrivateKey('-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----')).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
    await expect(importPkcs8SigningKey(readPemPrivateKey('-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----'))).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    });
    for (let i = 0; i < 300; i++) {
      const key = mutate(f.pki.seal.privateKey, rnd);
      await importPkcs8SigningKey(key).then(
        (s) => expect(s.algorithm.kind).toBe('ecdsa'),
        (e) => expect(e).toMatchObject({ code: 'ERR_KEY_INVALID' }),
      );
    }
  }, 120_000);
});
