/**
 * The seal key in a PKCS#11 token (SIG-3, issue 19), for real against
 * SoftHSM2: keys generated inside the token by OpenSC's pkcs11-tool, never
 * extractable; sealed records checked by `openssl cms -verify`, PAdES seals
 * by pdfsig and qpdf; every configuration failure a coded error. The audit
 * checkpoint signed through the same key is in examples/test (the audit
 * package is not a dependency of this one).
 */
import { spawnSync } from 'node:child_process';
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

  it('the same RSA token key signs RSASSA-PSS (CKM_SHA256_RSA_PKCS_PSS, salt 32) on request; OpenSSL and our verifier accept it', async () => {
    const pss = await token.signingKey({ label: 'cachet-rsa', rsaScheme: 'pss' });
    expect(pss).toMatchObject({ algorithm: { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, mechanism: 'CKM_SHA256_RSA_PKCS_PSS', extractable: false });
    const rsaCert = await issueSealCertificate(pki, (await pss.publicKeyInfo())!, { cn: 'Cachet RSA-PSS HSM', rsa: true, from: FROM, to: TO, serial: '0203' });
    const signer = await createContentSigner({ key: pss, certificate: rsaCert, now: () => later(1) });
    const body = new TextEncoder().encode('checkpoint body, PSS\n');
    const [a, b] = [await signer.sign(body, { detached: true }), await signer.sign(body, { detached: true })];
    // PSS is randomised: two signatures of the same content differ, and both verify.
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => later(60) });
    expect([(await verifier.verify(body, a)).status, (await verifier.verify(body, b)).status]).toEqual(['valid', 'valid']);
    await withDir((dir) => {
      write(dir, { 'ca.pem': pki.files['ca.pem'], 's.p7s': a, 'body.txt': body });
      const ok = opensslCmsVerify(dir, 's.p7s', { content: 'body.txt' });
      expect(ok.stderr).toContain('Verification successful');
      write(dir, { 'body.txt': new TextEncoder().encode('checkpoint body, PSS!\n') });
      expect(opensslCmsVerify(dir, 's.p7s', { content: 'body.txt' }).status).not.toBe(0);
    });
    // What the CMS says it is: RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32.
    await withDir((dir) => {
      write(dir, { 's.p7s': a });
      const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 's.p7s')], { encoding: 'utf8' }).stdout;
      expect(printed).toContain('rsassaPss');
      expect(printed).toMatch(/rsassaPss[\s\S]*:sha256[\s\S]*:mgf1[\s\S]*:sha256[\s\S]*INTEGER\s*:20\n/);
    });
    // The same key PAdES-seals a bordereau (B-T): qpdf clean, pdfsig and our verifier accept it.
    const tsa = await devTsa(pki);
    const sealed = await (await createPdfSealer({ key: pss, certificate: rsaCert, now: () => later(1), timestamper: tsa.stamper })).seal(
      await bordereauPdf('flat'),
    );
    expect(qpdfCheck(w, sealed.pdf, 'hsm-pss.pdf').status).toBe(0);
    const sig = pdfsig(w, sealed.pdf, pki.files['ca.pem'], 'hsm-pss-sig.pdf');
    expect(sig.signatures[0], sig.out).toMatchObject({ valid: true, trusted: true, total: true });
    const verdict = await verifyPdfSeal(sealed.pdf, { trustAnchors: [pki.ca.certificate], now: () => later(60) });
    expect(verdict.ok, JSON.stringify(verdict.issues)).toBe(true);
    expect((await codeOf(() => token.signingKey({ label: 'cachet', rsaScheme: 'pss' }))).code).toBe('ERR_PKCS11_MECHANISM_UNSUPPORTED');
    await expect(token.signingKey({ label: 'cachet-rsa', rsaScheme: 'PSS' as never })).rejects.toThrow(TypeError);
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

/**
 * What an HSM failover or a token reset does to a running service: every session of the
 * application closed (the login goes with the last one). Done through another handle of the same
 * module in this process, which shares the library's state (PKCS#11 v2.40 §5.6 C_CloseAllSessions).
 */
/** Another handle of the module this process loaded, on the token labelled `label`: it shares the library's state. */
async function sameLibrary(library: string, label: string) {
  const { PKCS11 } = (await import('pkcs11js')) as unknown as {
    PKCS11: new () => {
      load(p: string): void;
      C_Initialize(): void;
      C_GetSlotList(present: boolean): Buffer[];
      C_GetTokenInfo(slot: Buffer): { label: string };
      C_CloseAllSessions(slot: Buffer): void;
      C_OpenSession(slot: Buffer, flags: number): Buffer;
      C_Login(session: Buffer, user: number, pin: string): void;
      C_SetPIN(session: Buffer, old: string, pin: string): void;
      C_CloseSession(session: Buffer): void;
    };
  };
  const other = new PKCS11();
  other.load(library);
  try {
    other.C_Initialize();
  } catch {
    // CKR_CRYPTOKI_ALREADY_INITIALIZED: the library is the one the tokens use (never finalised here).
  }
  const slot = other.C_GetSlotList(true).find((s) => other.C_GetTokenInfo(s).label.trim() === label);
  expect(slot).toBeDefined();
  return { other, slot: slot! };
}

/**
 * What an HSM failover or a token reset does to a running service: every session of the
 * application closed, and the login with them (PKCS#11 v2.40 §5.6 C_CloseAllSessions).
 */
async function dropAllSessions(library: string, label: string): Promise<void> {
  const { other, slot } = await sameLibrary(library, label);
  other.C_CloseAllSessions(slot);
}

/** The user PIN changed from `old` to `pin` (C_SetPIN on a read-write session), the login kept or made. */
async function setPin(library: string, label: string, old: string, pin: string): Promise<void> {
  const { other, slot } = await sameLibrary(library, label);
  const session = other.C_OpenSession(slot, 0x4 | 0x2); // CKF_SERIAL_SESSION | CKF_RW_SESSION
  try {
    other.C_Login(session, 1, old);
  } catch {
    // CKR_USER_ALREADY_LOGGED_IN: this application is logged in already.
  }
  other.C_SetPIN(session, old, pin);
  other.C_CloseSession(session);
}

describe('a token that drops its sessions (HSM failover, reset) goes on signing (SIG-3)', () => {
  it('opens new sessions and logs in again once: every signature after the drop verifies, the key still never leaves the token', async () => {
    const own = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions: 3 });
    const k = await own.signingKey({ id: '01' });
    const signer = await createContentSigner({ key: k, certificate, now: () => later(1) });
    const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => later(60) });
    const bodies = Array.from({ length: 12 }, (_, i) => new TextEncoder().encode(`after the drop ${i}`));
    // Three sessions open and idle, then all dropped at once.
    await Promise.all(bodies.slice(0, 6).map((b) => signer.sign(b, { detached: true })));
    for (let round = 0; round < 2; round++) {
      await dropAllSessions(hsm.library, hsm.label);
      const sigs = await Promise.all(bodies.map((b) => signer.sign(b, { detached: true })));
      const checks = await Promise.all(bodies.map((b, i) => verifier.verify(b, sigs[i]!)));
      expect(checks.map((c) => c.status)).toEqual(bodies.map(() => 'valid'));
    }
    // Reading from the token recovers the same way (the shared token of this file too).
    await dropAllSessions(hsm.library, hsm.label);
    expect(await own.certificate({ id: '01' })).toEqual(certificate);
    expect(await token.certificate({ id: '01' })).toEqual(certificate);
    await own.close();
  });

  it.each([4, 1])(
    'a PIN changed meanwhile: the login again fails with ERR_PKCS11_PIN_INCORRECT, for every waiting signature and every later one, the PIN in no message (%i sessions)',
    async (maxSessions) => {
      const own = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions });
      const k = await own.signingKey({ id: '01' });
      const signer = await createContentSigner({ key: k, certificate, now: () => later(1) });
      await signer.sign(new Uint8Array([1]));
      await setPin(hsm.library, hsm.label, hsm.pin, '135791');
      try {
        await dropAllSessions(hsm.library, hsm.label);
        // Eight signatures at once: the one login tried fails, and every one of them gets that refusal.
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => signer.sign(new Uint8Array([2, i]))));
        expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'signed'))).toEqual(
          Array.from({ length: 8 }, () => 'ERR_PKCS11_PIN_INCORRECT'),
        );
        const failed = await codeOf(() => signer.sign(new Uint8Array([2])));
        expect(failed.code).toBe('ERR_PKCS11_PIN_INCORRECT');
        expect(failed.message).not.toContain(hsm.pin);
        expect(failed.message).not.toContain('135791');
      } finally {
        await setPin(hsm.library, hsm.label, '135791', hsm.pin);
        await dropAllSessions(hsm.library, hsm.label);
        await own.close();
      }
      // Back to the right PIN: the file's shared token signs again after its own login.
      const again = await createContentSigner({ key, certificate, now: () => later(1) });
      expect((await again.sign(new Uint8Array([3]))).length).toBeGreaterThan(0);
    },
  );
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
