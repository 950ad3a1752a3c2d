import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createContentSigner, createContentVerifier, createDevelopmentTsa, createTimeStampVerifier } from '@s3404/seal';
import { SEAL_ERRORS } from '@s3404/seal/errors';
import { pki, seededRandom, T0 } from './helpers.js';

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const DAY = 86_400_000;
const GEN_TIME = new Date(T0.getTime() + 456);

describe('createTimeStampVerifier: core’s TimeStampVerifier over verifyTimeStampToken (AUD-2, RFC 3161)', () => {
  it('answers valid with genTime and the TSA subject, invalid with ERR_TIMESTAMP_INVALID and a fixed message', async () => {
    const p = await pki();
    const tsa = await createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now: () => GEN_TIME, random: seededRandom(31) });
    const digest = sha256(new TextEncoder().encode('checkpoint signature'));
    const token = await tsa.stamper.timestamp(digest);
    const verifier = createTimeStampVerifier({ trust: [p.ca.certificate] });
    expect(await verifier.verify(token, digest)).toEqual({ status: 'valid', genTime: GEN_TIME.toISOString(), tsa: expect.stringContaining('CN=') });
    // Another digest, a damaged token, another root.
    const other = await verifier.verify(token, sha256(new TextEncoder().encode('something else')));
    expect(other).toEqual({
      status: 'invalid',
      code: 'ERR_TIMESTAMP_INVALID',
      message: SEAL_ERRORS.message('ERR_TIMESTAMP_INVALID', { detail: { fr: 'jeton émis pour une autre empreinte SHA-256', en: '' } }, 'fr'),
    });
    expect(await verifier.verify(token.subarray(0, 40), digest)).toMatchObject({ status: 'invalid', code: 'ERR_TIMESTAMP_INVALID' });
    const foreign = await pki('ecdsa-p256', () => new Date(T0.getTime() + DAY));
    const en = createTimeStampVerifier({ trust: [foreign.ca.certificate], locale: 'en' });
    const untrusted = await en.verify(token, digest);
    expect(untrusted).toMatchObject({ status: 'invalid', code: 'ERR_TIMESTAMP_INVALID' });
    expect(untrusted.status === 'invalid' && untrusted.message).toMatch(/does not chain to a trust anchor/);
  });

  it('refuses a missing or malformed trust list (TypeError)', () => {
    expect(() => createTimeStampVerifier({ trust: [] })).toThrow(TypeError);
    expect(() => createTimeStampVerifier({ trust: ['pem' as unknown as Uint8Array] })).toThrow(TypeError);
    expect(() => createTimeStampVerifier(null as never)).toThrow(TypeError);
  });
});

describe('createContentVerifier with a validation time `at` (AUD-2)', () => {
  it('checks the seal certificate at `at` too: valid at a genTime within its life, ERR_CERT_EXPIRED after it', async () => {
    const p = await pki();
    const signer = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => T0 });
    const content = new TextEncoder().encode('s3404-audit-checkpoint/1\n');
    const p7s = await signer.sign(content, { detached: true });
    const years = new Date(T0.getTime() + 5 * 365 * DAY); // the development certificates live 825 days
    const verifier = createContentVerifier({ trustAnchors: [p.ca.certificate], now: () => years });
    // Without `at`: the chain at the signing time, as before.
    expect(await verifier.verify(content, p7s)).toMatchObject({ status: 'valid', signedAt: T0.toISOString() });
    expect(await verifier.verify(content, p7s, { at: GEN_TIME })).toMatchObject({ status: 'valid' });
    const expired = await verifier.verify(content, p7s, { at: years });
    expect(expired).toMatchObject({ status: 'invalid', code: 'ERR_CERT_EXPIRED' });
    // A signing time after the validation time is a contradiction.
    expect(await verifier.verify(content, p7s, { at: new Date(T0.getTime() - DAY) })).toMatchObject({ status: 'invalid', code: 'ERR_SEAL_SIGNING_TIME' });
    await expect(verifier.verify(content, p7s, { at: new Date(Number.NaN) })).rejects.toThrow(TypeError);
  });
});
