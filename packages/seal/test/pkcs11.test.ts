/**
 * The seal key in a PKCS#11 token (SIG-3, issue 19), for real against
 * SoftHSM2: keys generated inside the token by OpenSC's pkcs11-tool, never
 * extractable; sealed records checked by `openssl cms -verify`, PAdES seals
 * by pdfsig and qpdf; every configuration failure a coded error. The audit
 * checkpoint signed through the same key is in examples/test (the audit
 * package is not a dependency of this one).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOFTHSM_LIBRARY, createSoftHsmToken, type SoftHsmToken } from '@s3404/tooling/softhsm-kit';
import { isS3404Error } from '@s3404/core';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { SEAL_ERRORS } from '@s3404/seal/errors';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { createPdfSealer, verifyPdfSeal } from '@s3404/seal/pdf';
import { openPkcs11Token, type Pkcs11SigningKey, type Pkcs11Token } from '@s3404/seal/pkcs11';
import { T0, fixture, opensslCmsVerify, sealInsured, withDir, write } from './helpers.js';
import { bordereauPdf, devPki, devTsa, later, NOW } from './support/pades-fixtures.js';
import { issueSealCertificate } from './support/pkcs11-fixtures.js';
import { pdfsig, qpdfCheck, workdir, type Workdir } from './support/pades-tools.js';

const DAY = 86_400_000;
const FROM = new Date(Math.min(T0.getTime(), NOW.getTime()) - DAY);
const TO = new Date(Math.max(T0.getTime(), NOW.getTime()) + 365 * DAY);

let hsm: SoftHsmToken;
let pki: DevelopmentPki;
let token: Pkcs11Token;
let key: Pkcs11SigningKey;
let certificate: Uint8Array;
let w: Workdir;

/** The code of what `fn` throws (undefined when it does not throw). */
async function codeOf(fn: () => Promise<unknown>): Promise<{ code?: string; message: string; kind?: string }> {
  try {
    await fn();
  } catch (e) {
    if (isS3404Error(e)) return { code: e.code, message: e.message, kind: e.kind };
    return { message: String(e) };
  }
  return { message: 'no error' };
}

beforeAll(async () => {
  expect(SOFTHSM_LIBRARY, 'SoftHSM2 (apt-get install -y softhsm2 opensc)').toBeDefined();
  hsm = createSoftHsmToken({ label: 's3404-seal', pin: '246810' });
  hsm.generateKey({ label: 'cachet', id: '01' });
  hsm.generateKey({ label: 'cachet-rsa', id: '02', type: 'rsa:2048' });
  hsm.generateKey({ label: 'exportable', id: '03', extractable: true });
  hsm.generateKey({ label: 'sha1-only', id: '04', allowedMechanisms: ['ECDSA-SHA1'] });
  hsm.generateKey({ label: 'rsa-1024', id: '05', type: 'rsa:1024' });
  pki = await devPki('ecdsa-p256', 11);
  token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin });
  key = await token.signingKey({ label: 'cachet' });
  const spki = await key.publicKeyInfo();
  expect(spki).toBeInstanceOf(Uint8Array);
  hsm.writeCertificate(await issueSealCertificate(pki, spki!, { cn: 'Cachet S3404 HSM', from: FROM, to: TO, serial: '0101' }), { label: 'cachet', id: '01' });
  certificate = await token.certificate({ id: '01' });
  w = workdir();
});

afterAll(async () => {
  await token?.close();
  hsm?.remove();
  w?.remove();
});

describe('a seal key in a PKCS#11 token (SoftHSM2) signs records, PAdES seals and content (SIG-3)', () => {
  it('the private key never leaves the token: CKA_EXTRACTABLE false and CKA_SENSITIVE true, as the API and pkcs11-tool report', () => {
    expect(key).toMatchObject({ label: 'cachet', id: '01', extractable: false, sensitive: true, mechanism: 'CKM_ECDSA' });
    expect(key.algorithm).toEqual({ kind: 'ecdsa', hash: 'SHA-256' });
    const listed = hsm.tool(['--list-objects', '--type', 'privkey', '--id', '01']);
    expect(listed).toContain('never extractable');
    expect(listed).toMatch(/Access:\s+sensitive/);
    expect(token).toMatchObject({ label: 's3404-seal', model: expect.stringContaining('SoftHSM') });
  });

  it('seals a signature record with the token key; openssl cms -verify accepts it against the CA', async () => {
    const f = await fixture({ overrides: { key, certificate } });
    const sealed = await sealInsured(f);
    await withDir((dir) => {
      write(dir, { 'ca.pem': pki.files['ca.pem'], 'r.p7m': sealed.bytes });
      const r = opensslCmsVerify(dir, 'r.p7m', { out: join(dir, 'r.json') });
      expect(r.stderr).toContain('Verification successful');
      // A certificate of another CA is refused: the check can fail.
      write(dir, { 'ca.pem': f.pki.files['ca.pem'] });
      expect(opensslCmsVerify(dir, 'r.p7m').status).not.toBe(0);
    });
  });

  it('PAdES-seals a bordereau at B-T with the token key: pdfsig valid and trusted, qpdf --check clean, our verifier ok', async () => {
    const tsa = await devTsa(pki);
    const sealer = await createPdfSealer({ key, certificate, now: () => later(1), timestamper: tsa.stamper });
    const sealed = await sealer.seal(await bordereauPdf('flat'));
    expect(sealed.level).toBe('B-T');
    expect(qpdfCheck(w, sealed.pdf, 'hsm.pdf').status).toBe(0);
    const s = pdfsig(w, sealed.pdf, pki.files['ca.pem'], 'hsm-sig.pdf');
    expect(s.signatures).toHaveLength(1);
    expect(s.signatures[0], s.out).toMatchObject({ valid: true, trusted: true, total: true });
    expect(s.signatures[0]!.text).toContain('Cachet S3404 HSM');
    const verdict = await verifyPdfSeal(sealed.pdf, { trustAnchors: [pki.ca.certificate], now: () => later(60) });
    expect(verdict.ok, JSON.stringify(verdict.issues)).toBe(true);
  });

  it('an RSA 2048 token key signs content (CKM_SHA256_RSA_PKCS); OpenSSL and our verifier accept the CMS', async () => {
    const rsa = await token.signingKey({ label: 'cachet-rsa' });
    expect(rsa).toMatchObject({ algorithm: { kind: 'rsa-pkcs1', hash: 'SHA-256' }, mechanism: 'CKM_SHA256_RSA_PKCS', extractable: false });
    const rsaCert = await issueSealCertificate(pki, (await rsa.publicKeyInfo())!, { cn: 'Cachet RSA HSM', rsa: true, from: FROM, to: TO, serial: '0202' });
    const signer = await createContentSigner({ key: rsa, certificate: rsaCert, now: () => later(1) });
    const body = new TextEncoder().encode('checkpoint body\n');
    const p7s = await signer.sign(body, { detached: true });
    const check = await createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => later(60) }).verify(body, p7s);
    expect(check.status).toBe('valid');
    await withDir((dir) => {
      write(dir, { 'ca.pem': pki.files['ca.pem'], 's.p7s': p7s, 'body.txt': body });
      expect(opensslCmsVerify(dir, 's.p7s', { content: 'body.txt' }).stderr).toContain('Verification successful');
      write(dir, { 'body.txt': new TextEncoder().encode('checkpoint body!\n') });
      expect(opensslCmsVerify(dir, 's.p7s', { content: 'body.txt' }).status).not.toBe(0);
    });
  });

  it('one login, sessions reused: 40 concurrent signatures through 3 sessions all verify; a closed token signs nothing', async () => {
    const own = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions: 3 });
    const k = await own.signingKey({ id: '01' });
    const signer = await createContentSigner({ key: k, certificate, now: () => later(1) });
    const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => later(60) });
    const bodies = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`event ${i}`));
    const sigs = await Promise.all(bodies.map((b) => signer.sign(b, { detached: true })));
    const checks = await Promise.all(bodies.map((b, i) => verifier.verify(b, sigs[i]!)));
    expect(checks.every((c) => c.status === 'valid')).toBe(true);
    // Signature i does not verify body i+1.
    expect((await verifier.verify(bodies[1]!, sigs[0]!)).status).toBe('invalid');
    await own.close();
    await own.close();
    expect((await codeOf(() => signer.sign(bodies[0]!))).code).toBe('ERR_PKCS11_UNAVAILABLE');
    // The shared library stays initialised for the other open token.
    expect((await codeOf(() => token.signingKey({ label: 'cachet' }))).message).toBe('no error');
  });
});

describe('PKCS#11 configuration failures are coded errors that never show the PIN (SIG-3)', () => {
  it('library not found, token not found, wrong PIN, binding missing', async () => {
    const open = (o: Partial<Parameters<typeof openPkcs11Token>[0]>) => () =>
      openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, ...o });
    expect(await codeOf(open({ library: '/nonexistent/libpkcs11.so' }))).toMatchObject({ code: 'ERR_PKCS11_LIBRARY_NOT_FOUND', kind: 'input' });
    expect(await codeOf(open({ token: { label: 'autre-jeton' } }))).toMatchObject({ code: 'ERR_PKCS11_TOKEN_NOT_FOUND' });
    expect(await codeOf(open({ token: { serial: '0000000000000000' } }))).toMatchObject({ code: 'ERR_PKCS11_TOKEN_NOT_FOUND' });
    const wrong = await codeOf(open({ pin: '999999', locale: 'en' }));
    expect(wrong).toMatchObject({ code: 'ERR_PKCS11_PIN_INCORRECT', kind: 'input' });
    expect(wrong.message).toMatch(/^PKCS#11 token PIN refused/);
    expect(wrong.message).not.toContain('999999');
    // The binding is loaded with a library's first use (this one is not loaded yet).
    const missing = await codeOf(open({ library: '/opt/hsm/libcryptoki.so', loadBinding: () => Promise.reject(new Error("Cannot find package 'pkcs11js'")) }));
    expect(missing).toMatchObject({ code: 'ERR_PKCS11_BINDING_MISSING' });
    // After all these failures, the right PIN still opens the token.
    const again = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin });
    await again.close();
    await expect(openPkcs11Token({ library: hsm.library, pin: undefined as unknown as string })).rejects.toThrow(TypeError);
  });

  it('key not found, certificate not found, an extractable key, a key whose mechanisms exclude ECDSA, RSA under 2048 bits', async () => {
    expect(await codeOf(() => token.signingKey({ label: 'absente' }))).toMatchObject({ code: 'ERR_PKCS11_KEY_NOT_FOUND' });
    expect(await codeOf(() => token.signingKey({ label: 'cachet', id: '02' }))).toMatchObject({ code: 'ERR_PKCS11_KEY_NOT_FOUND' });
    expect(await codeOf(() => token.certificate({ label: 'cachet-rsa' }))).toMatchObject({ code: 'ERR_PKCS11_CERT_NOT_FOUND' });
    expect(await codeOf(() => token.signingKey({ label: 'exportable' }))).toMatchObject({ code: 'ERR_PKCS11_KEY_EXTRACTABLE' });
    // Allowed when the caller says so explicitly, and then reported as extractable.
    const exportable = await token.signingKey({ label: 'exportable', requireNonExtractable: false });
    expect(exportable.extractable).toBe(true);
    const sha1 = await codeOf(() => token.signingKey({ label: 'sha1-only' }));
    expect(sha1).toMatchObject({ code: 'ERR_PKCS11_MECHANISM_UNSUPPORTED' });
    expect(sha1.message).toContain('CKM_ECDSA');
    expect(await codeOf(() => token.signingKey({ label: 'rsa-1024' }))).toMatchObject({ code: 'ERR_PKCS11_MECHANISM_UNSUPPORTED' });
    await expect(token.signingKey({} as never)).rejects.toThrow(TypeError);
    await expect(token.signingKey({ id: 'xyz' })).rejects.toThrow(TypeError);
  });

  it('every PKCS#11 code has a French and an English message', () => {
    const codes = SEAL_ERRORS.codes.filter((c) => c.startsWith('ERR_PKCS11_'));
    expect(codes.length).toBeGreaterThanOrEqual(9);
    for (const code of codes) {
      const fr = SEAL_ERRORS.message(code, { received: 'x', detail: 'y' }, 'fr');
      const en = SEAL_ERRORS.message(code, { received: 'x', detail: 'y' }, 'en');
      expect(fr).not.toBe(en);
      expect(en).not.toMatch(/ [:;!?]/);
    }
  });
});
