import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContentSigner, createContentVerifier, verifySealedContent } from '@s3404/seal';
import { SealError } from '@s3404/seal/errors';
import { at, opensslCmsVerify, pki, withDir, write } from './helpers.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('content signing for checkpoints and manifests (SIG-3, AUD-2, AUD-4)', () => {
  it('signs attached and detached content that openssl cms -verify accepts and our verifier reads back', async () => {
    const p = await pki();
    const signer = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => at(5) });
    const body = text('s3404 audit checkpoint v1\nsize 3\n');
    const attached = await signer.sign(body);
    const detached = await signer.sign(body, { detached: true });
    expect(detached.length).toBeLessThan(attached.length);
    await withDir((dir) => {
      write(dir, { 'ca.pem': p.files['ca.pem'], 'a.p7m': attached, 'd.p7s': detached, 'body.txt': body });
      const a = opensslCmsVerify(dir, 'a.p7m', { out: join(dir, 'out.txt') });
      expect(a.stderr).toContain('Verification successful');
      const d = opensslCmsVerify(dir, 'd.p7s', { content: 'body.txt' });
      expect(d.stderr).toContain('Verification successful');
    });
    const anchors = [p.ca.certificate];
    const va = await verifySealedContent(attached, { trustAnchors: anchors, now: () => at(10) });
    expect(va.ok && new TextDecoder().decode(va.content)).toBe('s3404 audit checkpoint v1\nsize 3\n');
    expect(va.ok && va.signingTime).toBe(at(5).toISOString());
    const vd = await verifySealedContent(detached, { trustAnchors: anchors, content: body, now: () => at(10) });
    expect(vd.ok && vd.signer.subject).toBe(signer.subject);
  });

  it('refuses changed content, missing detached content, garbage and untrusted anchors with codes', async () => {
    const p = await pki();
    const other = await pki('ecdsa-p384');
    const signer = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => at(5) });
    const body = text('root AAAA');
    const detached = await signer.sign(body, { detached: true });
    const opts = { trustAnchors: [p.ca.certificate], now: () => at(10) };
    expect(await verifySealedContent(detached, { ...opts, content: text('root AAAB') })).toMatchObject({ ok: false, code: 'ERR_SEAL_DIGEST_MISMATCH' });
    expect(await verifySealedContent(detached, opts)).toMatchObject({ ok: false, code: 'ERR_SEAL_CONTENT_TYPE' });
    expect(await verifySealedContent(Uint8Array.of(0x30, 0x03, 1, 2), opts)).toMatchObject({ ok: false, code: 'ERR_SEAL_MALFORMED' });
    expect(await verifySealedContent(detached, { ...opts, content: body, trustAnchors: [other.ca.certificate] })).toMatchObject({
      ok: false,
      code: 'ERR_CERT_UNTRUSTED',
    });
    expect(await verifySealedContent(detached, { ...opts, content: body, now: () => at(-3600) })).toMatchObject({ ok: false, code: 'ERR_SEAL_SIGNING_TIME' });
    // A sealed record's verifier still refuses a detached CMS.
    const flipped = Uint8Array.from(detached);
    flipped[flipped.length - 5]! ^= 1;
    expect((await verifySealedContent(flipped, { ...opts, content: body })).ok).toBe(false);
  });

  it('refuses a certificate without signing usage or a key that does not match', async () => {
    const p = await pki();
    const q = await pki('ecdsa-p384');
    await expect(createContentSigner({ key: q.seal.privateKey, certificate: p.seal.certificate })).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' });
    await expect(createContentSigner({ key: p.seal.privateKey, certificate: p.ca.certificate })).rejects.toBeInstanceOf(SealError);
  });

  it('is core’s ContentSigner and ContentVerifier: a detached CMS that openssl accepts, checked as a SignatureCheck', async () => {
    const p = await pki();
    const signer = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => at(5) });
    const body = text('s3404 manifest');
    const signature = await signer.sign(body, { detached: true });
    await withDir((dir) => {
      write(dir, { 'ca.pem': p.files['ca.pem'], 'd.p7s': signature, 'body.txt': body });
      const d = opensslCmsVerify(dir, 'd.p7s', { content: 'body.txt' });
      expect(d.stderr).toContain('Verification successful');
    });
    const verifier = createContentVerifier({ trustAnchors: [p.ca.certificate], now: () => at(10) });
    expect(await verifier.verify(body, signature)).toEqual({ status: 'valid', signer: signer.subject, signedAt: at(5).toISOString() });
    expect(await verifier.verify(text('s3404 manifesT'), signature)).toMatchObject({ status: 'invalid', code: 'ERR_SEAL_DIGEST_MISMATCH' });
    expect(() => createContentVerifier({ trustAnchors: [] })).toThrow(TypeError);
  });
});
