/**
 * The session pool of a PKCS#11 token never holds more than `maxSessions`
 * sessions (SIG-3, issue 19), not even while it recovers from a token that
 * dropped them all. An HSM caps the sessions of an application (often per
 * partition, shared by every instance of a fleet): a pool that opens one
 * more than asked gets CKR_SESSION_COUNT in production, not in a test.
 * The binding is the real pkcs11js over SoftHSM2, loaded through
 * `loadBinding` with a subclass that counts the sessions this process holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOFTHSM_LIBRARY, createSoftHsmToken, type SoftHsmToken } from '@s3404/tooling/softhsm-kit';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { openPkcs11Token } from '@s3404/seal/pkcs11';
import { T0 } from './helpers.js';
import { devPki, later, NOW } from './support/pades-fixtures.js';
import { issueSealCertificate } from './support/pkcs11-fixtures.js';

const DAY = 86_400_000;
const FROM = new Date(Math.min(T0.getTime(), NOW.getTime()) - DAY);
const TO = new Date(Math.max(T0.getTime(), NOW.getTime()) + 365 * DAY);

type Handle = Buffer;
interface Binding {
  load(path: string): void;
  C_Initialize(options?: unknown): void;
  C_GetSlotList(present: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): { label: string };
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_CloseAllSessions(slot: Handle): void;
}

/** Sessions this process's pool holds: opened and not yet closed (a close the token refuses counts as closed). */
const sessions = { live: 0, peak: 0 };
/** While above 0, `C_OpenSession` fails (and counts down) as a token in the middle of a failover answers. */
const refusals = { left: 0 };

/** pkcs11js, its sessions counted. */
async function countingBinding(): Promise<{ PKCS11: new () => Binding }> {
  const { PKCS11 } = (await import('pkcs11js')) as unknown as { PKCS11: new () => Binding };
  class Counting extends PKCS11 {
    override C_OpenSession(slot: Handle, flags: number): Handle {
      if (refusals.left > 0) {
        refusals.left -= 1;
        // What pkcs11js throws for a return value of the module: CKR_DEVICE_ERROR (0x30).
        throw Object.assign(new Error('CKR_DEVICE_ERROR:48'), { code: 0x30 });
      }
      const s = super.C_OpenSession(slot, flags);
      sessions.live += 1;
      sessions.peak = Math.max(sessions.peak, sessions.live);
      return s;
    }
    override C_CloseSession(session: Handle): void {
      sessions.live -= 1;
      super.C_CloseSession(session);
    }
  }
  return { PKCS11: Counting };
}

/** Another handle of the same module: closes every session of the application, as an HSM failover or a token reset does. */
async function dropAllSessions(label: string): Promise<void> {
  const { PKCS11 } = (await import('pkcs11js')) as unknown as { PKCS11: new () => Binding };
  const other = new PKCS11();
  other.load(hsm.library);
  try {
    other.C_Initialize();
  } catch {
    // CKR_CRYPTOKI_ALREADY_INITIALIZED: the module the pool uses.
  }
  const slot = other.C_GetSlotList(true).find((s) => other.C_GetTokenInfo(s).label.trim() === label);
  other.C_CloseAllSessions(slot!);
}

let hsm: SoftHsmToken;
let pki: DevelopmentPki;

beforeAll(async () => {
  expect(SOFTHSM_LIBRARY, 'SoftHSM2 (apt-get install -y softhsm2 opensc)').toBeDefined();
  hsm = createSoftHsmToken({ label: 's3404-pool', pin: '864201' });
  hsm.generateKey({ label: 'cachet', id: '01' });
  pki = await devPki('ecdsa-p256', 12);
});

afterAll(() => hsm?.remove());

describe('a PKCS#11 session pool holds at most maxSessions sessions (SIG-3)', () => {
  it.each([1, 2, 3])(
    'with %i: 3 × that many signatures at once, every session dropped twice meanwhile: never one session more, and every signature verifies',
    async (maxSessions) => {
      const token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions, loadBinding: countingBinding });
      try {
        const key = await token.signingKey({ id: '01' });
        const spki = await key.publicKeyInfo();
        const certificate = await issueSealCertificate(pki, spki!, { cn: 'Cachet S3404 pool', from: FROM, to: TO, serial: `02${maxSessions}` });
        const signer = await createContentSigner({ key, certificate, now: () => later(1) });
        const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => later(60) });
        const bodies = Array.from({ length: 3 * maxSessions }, (_, i) => new TextEncoder().encode(`signature ${i} of ${maxSessions}`));
        // Every session open, then all dropped: the next run recovers with callers queued behind the ones that fail.
        await Promise.all(bodies.map((b) => signer.sign(b, { detached: true })));
        sessions.peak = sessions.live;
        for (let round = 0; round < 2; round++) {
          await dropAllSessions(hsm.label);
          const sigs = await Promise.all(bodies.map((b) => signer.sign(b, { detached: true })));
          const checks = await Promise.all(bodies.map((b, i) => verifier.verify(b, sigs[i]!)));
          expect(checks.map((c) => c.status)).toEqual(bodies.map(() => 'valid'));
          expect(sessions.peak, `round ${round}`).toBeLessThanOrEqual(maxSessions);
        }
      } finally {
        await token.close();
      }
      expect(sessions.live).toBe(0);
    },
  );

  it('a token that refuses new sessions for a while after dropping them: those callers get ERR_PKCS11_UNAVAILABLE at once, none hangs, no place is lost', async () => {
    const maxSessions = 2;
    const token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions, loadBinding: countingBinding });
    try {
      const key = await token.signingKey({ id: '01' });
      const certificate = await issueSealCertificate(pki, (await key.publicKeyInfo())!, { cn: 'Cachet S3404 pool', from: FROM, to: TO, serial: '031' });
      const signer = await createContentSigner({ key, certificate, now: () => later(1) });
      const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => later(60) });
      const bodies = Array.from({ length: 8 }, (_, i) => new TextEncoder().encode(`failover ${i}`));
      await Promise.all(bodies.map((b) => signer.sign(b, { detached: true })));
      sessions.peak = sessions.live;
      for (const refused of [1, 3, 20]) {
        await dropAllSessions(hsm.label);
        refusals.left = refused;
        const settled = await Promise.allSettled(bodies.map((b) => signer.sign(b, { detached: true })));
        const failed = settled.filter((r) => r.status === 'rejected');
        for (const f of failed) expect(f.reason).toMatchObject({ code: 'ERR_PKCS11_UNAVAILABLE' });
        expect(failed.length, `${refused} refusals`).toBeGreaterThan(0);
        expect(failed.length).toBeLessThanOrEqual(Math.min(refused, bodies.length));
        expect(sessions.peak).toBeLessThanOrEqual(maxSessions);
        // The token is back: every place of the pool can be used again, all at once.
        refusals.left = 0;
        const sigs = await Promise.all(bodies.map((b) => signer.sign(b, { detached: true })));
        const checks = await Promise.all(bodies.map((b, i) => verifier.verify(b, sigs[i]!)));
        expect(checks.map((c) => c.status)).toEqual(bodies.map(() => 'valid'));
        expect(sessions.live).toBe(maxSessions);
      }
    } finally {
      refusals.left = 0;
      await token.close();
    }
    expect(sessions.live).toBe(0);
  });
});
