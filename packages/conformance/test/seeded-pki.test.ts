import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { seeded, seededPki } from '../generate/seeded.js';

/**
 * X-3: the generators' development PKI is seeded — the same seed gives the same keys and the same
 * certificates but for their signature values — and OpenSSL accepts what it makes.
 */
const NOW = () => new Date('2026-03-20T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 's3404-seeded-pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The TBSCertificate of a DER certificate: everything the CA signs (the first element of the outer SEQUENCE). */
function tbs(der: Uint8Array): Buffer {
  const lengthAt = (at: number): [number, number] => {
    const first = der[at]!;
    if (first < 0x80) return [first, at + 1];
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 1 + i]!;
    return [len, at + 1 + n];
  };
  const [, inner] = lengthAt(1);
  const [len, body] = lengthAt(inner + 1);
  return Buffer.from(der.slice(inner, body + len));
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });

describe('seeded', () => {
  it('gives the same bytes for the same seed, others for another, never all zero', () => {
    expect(seeded(7)(new Uint8Array(32))).toEqual(seeded(7)(new Uint8Array(32)));
    expect(seeded(7)(new Uint8Array(32))).not.toEqual(seeded(8)(new Uint8Array(32)));
    expect(seeded(0)(new Uint8Array(16)).some((b) => b !== 0)).toBe(true);
  });
});

describe.each(['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const)('seededPki %s', (algorithm) => {
  let a: DevelopmentPki;
  let b: DevelopmentPki;
  let c: DevelopmentPki;

  it('the same seed gives the same private keys and certificates equal but for their signatures; another seed, other keys', async () => {
    [a, b, c] = await Promise.all([seededPki(11, { algorithm, now: NOW }), seededPki(11, { algorithm, now: NOW }), seededPki(12, { algorithm, now: NOW })]);
    for (const k of ['ca', 'seal', 'tsa'] as const) {
      expect(same(a[k].privateKey, b[k].privateKey), k).toBe(true);
      expect(tbs(a[k].certificate).equals(tbs(b[k].certificate)), `${k} TBSCertificate`).toBe(true);
      expect(same(a[k].privateKey, c[k].privateKey), k).toBe(false);
      expect(tbs(a[k].certificate).equals(tbs(c[k].certificate)), k).toBe(false);
    }
    expect(same(a.ca.privateKey, a.seal.privateKey)).toBe(false);
    expect(same(a.seal.privateKey, a.tsa.privateKey)).toBe(false);
    if (algorithm === 'rsa-2048') expect(same(a.ca.certificate, b.ca.certificate)).toBe(true); // PKCS #1 v1.5: deterministic
  }, 120_000);

  it('OpenSSL checks the keys, the chain and the seal certificate key match', () => {
    for (const [name, pem] of Object.entries(a.files)) writeFileSync(join(dir, `${algorithm}-${name}`), pem);
    const f = (name: string) => join(dir, `${algorithm}-${name}`);
    for (const key of ['ca-key.pem', 'seal-key.pem', 'tsa-key.pem']) {
      const check = openssl('pkey', '-in', f(key), '-check', '-noout');
      expect(check.status, check.stderr).toBe(0);
    }
    const verify = openssl('verify', '-CAfile', f('ca.pem'), f('seal-cert.pem'), f('tsa-cert.pem'));
    expect(verify.status, verify.stderr).toBe(0);
    const fromKey = openssl('pkey', '-in', f('seal-key.pem'), '-pubout');
    const fromCert = openssl('x509', '-in', f('seal-cert.pem'), '-pubkey', '-noout');
    expect(fromKey.stdout).toBe(fromCert.stdout);
    const bits = openssl('x509', '-in', f('seal-cert.pem'), '-noout', '-text').stdout;
    expect(bits).toMatch(
      algorithm === 'rsa-2048' ? /Public-Key: \(2048 bit\)/ : algorithm === 'ecdsa-p256' ? /Public-Key: \(256 bit\)/ : /Public-Key: \(384 bit\)/,
    );
  });
});
