import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@s3404/core';
import { createCapture, createVerifier, importPkcs8SigningKey, verifyRecord, SEAL_ERRORS } from '@s3404/seal';
import { at, fixture, makePng, pki, sealInsured, T0, CONTENT_HASH } from './helpers.js';

describe('sealing and verifying a record (SIG-2, SIG-3)', () => {
  it('seals a canonical record with the four signed attributes and verifies it against the CA', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    expect(sealed.bytes[0]).toBe(0x30);
    expect(sealed.record.type).toBe('s3404.signature-record');
    expect(sealed.record.scope).toEqual({ kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH });
    expect(sealed.record.capturedAt).toBe(at(5).toISOString());
    expect(sealed.signingTime).toBe(T0.toISOString());
    expect(sealed.digest).toMatch(/^[0-9a-f]{64}$/);
    const result = await verifyRecord(sealed.bytes, { trustAnchors: [f.pki.ca.certificate], now: () => at(60), expect: { bordereauId: f.bordereauId } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record).toEqual(sealed.record);
    expect(result.digest).toBe(sealed.digest);
    expect(result.algorithm).toBe('ECDSA P-256 SHA-256');
    expect(result.signer.subject).toContain('Cachet S3404');
    // The content is exactly the RFC 8785 form of the record.
    const text = new TextDecoder().decode(sealed.bytes);
    expect(text).toContain(canonicalJson(sealed.record));
  });

  it('gives the same bytes for the same input, clock and randomness (RSA PKCS#1 v1.5 signatures are deterministic)', async () => {
    const a = await sealInsured(await fixture({ seed: 9, algorithm: 'rsa-2048' }));
    const b = await sealInsured(await fixture({ seed: 9, algorithm: 'rsa-2048' }));
    expect(a.record).toEqual(b.record);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const c = await sealInsured(await fixture({ seed: 10, algorithm: 'rsa-2048' }));
    expect(c.recordId).not.toBe(a.recordId);
  });

  for (const algorithm of ['ecdsa-p384', 'rsa-2048', 'rsa-3072'] as const) {
    it(`seals and verifies with ${algorithm}`, async () => {
      const f = await fixture({ algorithm });
      const sealed = await sealInsured(f);
      const result = await verifyRecord(sealed.bytes, { trustAnchors: [f.pki.ca.certificate], now: () => at(60) });
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.algorithm).toMatch(algorithm === 'ecdsa-p384' ? /ECDSA P-384 SHA-384/ : /RSA PKCS#1 v1.5 (2048|3072) SHA-256/);
    });
  }

  it('seals with RSA-PSS and with SHA-384 / SHA-512 when asked', async () => {
    const p = await pki('rsa-pss-2048');
    for (const [scheme, hash, label] of [
      ['pss', 'SHA-256', 'RSA-PSS 2048 SHA-256'],
      ['pss', 'SHA-512', 'RSA-PSS 2048 SHA-512'],
      ['pkcs1', 'SHA-384', 'RSA PKCS#1 v1.5 2048 SHA-384'],
    ] as const) {
      const key = await importPkcs8SigningKey(p.seal.privateKey, { rsaScheme: scheme, hash });
      const f = await fixture({ algorithm: 'rsa-pss-2048', overrides: { key } });
      const sealed = await sealInsured(f);
      const result = await verifyRecord(sealed.bytes, { trustAnchors: [p.ca.certificate], now: () => at(60) });
      expect(result).toMatchObject({ ok: true, algorithm: label });
    }
  });

  it('accepts a SigningKey that signs a digest and returns DER, as an HSM would', async () => {
    const p = await pki();
    const inner = await importPkcs8SigningKey(p.seal.privateKey);
    let digests = 0;
    const hsm = {
      algorithm: inner.algorithm,
      ecdsaFormat: 'der' as const,
      async sign(input: { data: Uint8Array; digest(): Promise<Uint8Array> }) {
        expect((await input.digest()).length).toBe(32);
        digests++;
        const raw = await inner.sign(input);
        const int = (b: Uint8Array) => {
          let s = 0;
          while (s < b.length - 1 && b[s] === 0) s++;
          const t = b.subarray(s);
          return t[0]! & 0x80 ? [0x02, t.length + 1, 0, ...t] : [0x02, t.length, ...t];
        };
        const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
        return Uint8Array.from([0x30, body.length, ...body]);
      },
    };
    const f = await fixture({ overrides: { key: hsm } });
    const sealed = await sealInsured(f);
    expect(digests).toBeGreaterThanOrEqual(2); // key check + record
    expect(await verifyRecord(sealed.bytes, { trustAnchors: [p.ca.certificate], now: () => at(60) })).toMatchObject({ ok: true });
  });

  it('refuses a key that does not match the certificate, and a certificate that cannot sign', async () => {
    const p = await pki();
    const other = await pki('ecdsa-p256', () => new Date('2026-03-01T00:00:00Z'));
    await expect(fixture({ overrides: { key: other.seal.privateKey } })).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' });
    await expect(fixture({ overrides: { key: (await pki('rsa-2048')).seal.privateKey } })).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' });
    await expect(fixture({ overrides: { certificate: p.ca.certificate } })).rejects.toMatchObject({ code: 'ERR_CERT_KEY_USAGE' });
    await expect(fixture({ overrides: { key: new Uint8Array([1, 2, 3]) } })).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
  });

  it('refuses to seal once the seal certificate has expired', async () => {
    const f = await fixture();
    const ctx = await f.sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'P' },
      terminalId: 't',
      ttlSeconds: 60,
    });
    const capture = createCapture(ctx, { image: makePng(), capturedAt: at(1) });
    f.clock.now = new Date('2030-01-01T00:00:00Z');
    // The context expired too; a fresh context after expiry shows the certificate problem.
    await expect(f.sealer.seal(capture)).rejects.toMatchObject({ code: 'ERR_CONTEXT_EXPIRED' });
    const late = await f.sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'P' },
      terminalId: 't',
    });
    await expect(f.sealer.seal(createCapture(late, { image: makePng(), capturedAt: f.clock.now }))).rejects.toMatchObject({ code: 'ERR_CERT_EXPIRED' });
  });

  it('reports an untrusted chain, a future signing time, and checks validity at signing time', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    const stranger = await pki('ecdsa-p256', () => new Date('2026-02-01T00:00:00Z'));
    expect(await verifyRecord(sealed.bytes, { trustAnchors: [stranger.ca.certificate], now: () => at(60) })).toMatchObject({
      ok: false,
      code: 'ERR_CERT_UNTRUSTED',
    });
    expect(await verifyRecord(sealed.bytes, { trustAnchors: [f.pki.ca.certificate], now: () => new Date('2026-03-19T00:00:00Z') })).toMatchObject({
      ok: false,
      code: 'ERR_SEAL_SIGNING_TIME',
    });
    // Years later, after the certificate expired, the record still verifies: validity is judged at signing time.
    expect(await verifyRecord(sealed.bytes, { trustAnchors: [f.pki.ca.certificate], now: () => new Date('2031-01-01T00:00:00Z') })).toMatchObject({ ok: true });
  });

  it('gives fixed, leak-free messages in French by default and in English on request', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    const bad = Uint8Array.from(sealed.bytes);
    bad[bad.length - 5] = bad[bad.length - 5]! ^ 1;
    const fr = await verifyRecord(bad, { trustAnchors: [f.pki.ca.certificate], now: () => at(60) });
    const en = await verifyRecord(bad, { trustAnchors: [f.pki.ca.certificate], now: () => at(60), locale: 'en' });
    const message = SEAL_ERRORS.message('ERR_SEAL_SIGNATURE_INVALID', {}, 'fr');
    expect(fr).toEqual({ ok: false, code: 'ERR_SEAL_SIGNATURE_INVALID', message, issues: [{ code: 'ERR_SEAL_SIGNATURE_INVALID', path: [], message }] });
    expect(en).toMatchObject({ ok: false, code: 'ERR_SEAL_SIGNATURE_INVALID', message: 'The seal signature is invalid.' });
  });

  it('reuses a verifier across many records (caches), and refuses oversized input', async () => {
    const f = await fixture();
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(600) });
    for (let i = 0; i < 5; i++) {
      f.clock.now = at(i * 10);
      const ctx = await f.sealer.openContext({
        scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH },
        role: 'insured',
        signer: { id: `p${i}`, name: 'P' },
        terminalId: 't',
      });
      const s = await f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(i * 10) }));
      expect(await verifier.verify(s.bytes)).toMatchObject({ ok: true, recordId: s.recordId });
    }
    const small = createVerifier({ trustAnchors: [f.pki.ca.certificate], limits: { maxSealedBytes: 100 } });
    expect(await small.verify(new Uint8Array(101))).toMatchObject({ ok: false, code: 'ERR_SEAL_TOO_LARGE' });
    expect(() => createVerifier({ trustAnchors: [] })).toThrow(TypeError);
    expect(() => createVerifier({ trustAnchors: [new Uint8Array([0x30, 0x00])] })).toThrow(expect.objectContaining({ code: 'ERR_CERT_INVALID' }));
  });
});
