/**
 * A PKCS#11 token in a hostile or unlucky process (SIG-3), against SoftHSM2:
 * one module reached by two paths (a symlink, as Debian installs SoftHSM),
 * a module another part of the process initialised first, a signature the
 * token refuses half-way, a token that answers a signature of the wrong
 * length, and selectors from a configuration that hold anything. Each is a
 * coded error or goes on working — never a wrong PIN accepted, never
 * another user's library finalised, never a session spoiled for good.
 */
import { symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOFTHSM_LIBRARY, createSoftHsmToken, type SoftHsmToken } from '@s3404/tooling/softhsm-kit';
import { isS3404Error } from '@s3404/core';
import { createContentSigner } from '@s3404/seal';
import { openPkcs11Token, type Pkcs11SigningKey } from '@s3404/seal/pkcs11';
import { devPki, later } from './support/pades-fixtures.js';
import { issueSealCertificate } from './support/pkcs11-fixtures.js';

const DAY = 86_400_000;
let hsm: SoftHsmToken;

type Handle = Buffer;
interface Binding {
  load(path: string): void;
  C_Initialize(options?: unknown): void;
  C_Finalize(): void;
  C_GetSlotList(present: boolean): Handle[];
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_SignAsync(session: Handle, data: Buffer, out: Buffer): Promise<Buffer>;
}

/** What the next signatures of a `hostileBinding` do: `short` gives the token a buffer one byte short, `der` answers 8 bytes more. */
const next = { mode: 'honest' as 'honest' | 'short' | 'der', left: 0 };

/** pkcs11js, its signatures tampered with as `next` says (pkcs11js sets its methods on the instance: wrapped there). */
async function hostileBinding(): Promise<{ PKCS11: new () => Binding }> {
  const { PKCS11 } = (await import('pkcs11js')) as unknown as { PKCS11: new () => Binding };
  class Hostile extends PKCS11 {
    constructor() {
      super();
      const sign = this.C_SignAsync.bind(this);
      this.C_SignAsync = async (session, data, out) => {
        const mode = next.left > 0 ? next.mode : 'honest';
        next.left -= 1;
        // A token whose signatures are longer than the mechanism says: C_Sign answers CKR_BUFFER_TOO_SMALL and keeps the operation.
        if (mode === 'short') return sign(session, data, out.subarray(0, out.length - 1));
        const signature = await sign(session, data, out);
        return mode === 'der' ? Buffer.concat([Buffer.from([0x30, 0x46, 2, 0x21, 0, 2, 0x21, 0]), signature]) : signature;
      };
    }
  }
  return { PKCS11: Hostile };
}

async function failure(fn: () => Promise<unknown>): Promise<{ code?: string; message: string; name?: string }> {
  try {
    await fn();
  } catch (e) {
    return isS3404Error(e) ? { code: e.code, message: e.message } : { message: String(e), name: (e as Error).name };
  }
  return { message: 'no error' };
}

/** Signs one byte string with `key` and checks the signature with Web Crypto against the token's public key. */
async function signsAndVerifies(key: Pkcs11SigningKey, text: string): Promise<boolean> {
  const data = new TextEncoder().encode(text);
  const signature = await key.sign({ data, digest: async () => new Uint8Array(await crypto.subtle.digest('SHA-256', data)) });
  const spki = Uint8Array.from((await key.publicKeyInfo())!);
  const pub = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, Uint8Array.from(signature), data);
}

beforeAll(() => {
  expect(SOFTHSM_LIBRARY, 'SoftHSM2 (apt-get install -y softhsm2 opensc)').toBeDefined();
  hsm = createSoftHsmToken({ label: 's3404-hostile', pin: '975310' });
  hsm.generateKey({ label: 'cachet', id: '01' });
});

afterAll(() => hsm?.remove());

describe('one PKCS#11 module reached by several paths is one module (SIG-3)', () => {
  it('a wrong PIN is refused through a symlink or a `//` path while the token is open, and closing that token leaves the other signing', async () => {
    const link = join(hsm.dir, 'alias-libsofthsm2.so');
    symlinkSync(hsm.library, link);
    const doubled = `${dirname(hsm.library)}//${basename(hsm.library)}`;
    const first = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin });
    try {
      const key = await first.signingKey({ label: 'cachet' });
      for (const library of [link, doubled]) {
        // Logged in already through the other path: the PIN must still be checked, not taken on the login's word.
        const wrong = await failure(() => openPkcs11Token({ library, token: { label: hsm.label }, pin: '000000', locale: 'en' }));
        expect(wrong).toMatchObject({ code: 'ERR_PKCS11_PIN_INCORRECT' });
        expect(wrong.message).not.toContain('000000');
        const second = await openPkcs11Token({ library, token: { label: hsm.label }, pin: hsm.pin });
        expect(await signsAndVerifies(await second.signingKey({ id: '01' }), `second ${library}`)).toBe(true);
        await second.close();
        // The module is still initialised and logged in for the first token.
        expect(await signsAndVerifies(key, `first after ${library}`)).toBe(true);
      }
      // A path the loader would cut short at its NUL is no path.
      expect(await failure(() => openPkcs11Token({ library: `${hsm.library}\u0000.bak`, pin: hsm.pin }))).toMatchObject({
        code: 'ERR_PKCS11_LIBRARY_NOT_FOUND',
      });
    } finally {
      await first.close();
    }
  });

  it('a module another part of the process initialised first (a vendor’s own pkcs11js) is never finalised under it', async () => {
    const { PKCS11 } = (await import('pkcs11js')) as unknown as { PKCS11: new () => Binding };
    const vendor = new PKCS11();
    vendor.load(hsm.library);
    vendor.C_Initialize();
    try {
      for (const library of [hsm.library, basename(hsm.library)]) {
        const token = await openPkcs11Token({ library, token: { label: hsm.label }, pin: hsm.pin });
        expect(await signsAndVerifies(await token.signingKey({ label: 'cachet' }), library)).toBe(true);
        await token.close();
        // The vendor's handle still works: our close did not C_Finalize what we had not initialised.
        const [slot] = vendor.C_GetSlotList(true);
        vendor.C_CloseSession(vendor.C_OpenSession(slot!, 4));
      }
    } finally {
      vendor.C_Finalize();
    }
  });
});

describe('a signature the token refuses or answers wrongly costs that signature only (SIG-3)', () => {
  it('an operation left active by a failed C_Sign never spoils the session: the next signatures all verify', async () => {
    for (const maxSessions of [1, 2]) {
      const token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions, loadBinding: hostileBinding });
      try {
        const key = await token.signingKey({ label: 'cachet' });
        // The binding refuses an empty digest before calling the token (CKR_ARGUMENTS_BAD): C_SignInit stays active.
        const empty = await failure(() => key.sign({ data: new Uint8Array(1), digest: async () => new Uint8Array(0) }));
        expect(empty).toMatchObject({ code: 'ERR_PKCS11_UNAVAILABLE' });
        // A token whose signature is longer than the buffer: CKR_BUFFER_TOO_SMALL, the operation kept (PKCS#11 v2.40 §5.2).
        next.mode = 'short';
        next.left = maxSessions;
        const short = await Promise.allSettled(Array.from({ length: maxSessions }, (_, i) => signsAndVerifies(key, `short ${i}`)));
        expect(short.map((s) => s.status)).toEqual(short.map(() => 'rejected'));
        const after = await Promise.all(Array.from({ length: 4 * maxSessions }, (_, i) => signsAndVerifies(key, `after ${i}`)));
        expect(after).toEqual(after.map(() => true));
        expect(await token.certificate({ id: '01' }).catch((e: { code?: string }) => e.code)).toBe('ERR_PKCS11_CERT_NOT_FOUND');
      } finally {
        next.left = 0;
        await token.close();
      }
    }
  });

  it('a signature of the wrong length (a DER ECDSA-Sig-Value where r‖s is due) is ERR_PKCS11_MECHANISM_UNSUPPORTED, not a broken CMS', async () => {
    const token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, loadBinding: hostileBinding });
    try {
      const key = await token.signingKey({ label: 'cachet' });
      const pki = await devPki('ecdsa-p256', 13);
      const certificate = await issueSealCertificate(pki, (await key.publicKeyInfo())!, {
        cn: 'Cachet S3404 hostile',
        from: new Date(Date.now() - DAY),
        to: new Date(Date.now() + 365 * DAY),
        serial: '0301',
      });
      const signer = await createContentSigner({ key, certificate, now: () => later(1) });
      next.mode = 'der';
      next.left = 1;
      const wrong = await failure(() => signer.sign(new Uint8Array([1, 2, 3])));
      expect(wrong).toMatchObject({ code: 'ERR_PKCS11_MECHANISM_UNSUPPORTED' });
      expect(wrong.message).toContain('72');
      expect((await signer.sign(new Uint8Array([1, 2, 3]))).length).toBeGreaterThan(100);
    } finally {
      next.left = 0;
      await token.close();
    }
  });
});

describe('selectors from a configuration that hold anything (SIG-3)', () => {
  it('a huge label is truncated in the message; a hash the SDK does not sign with is a TypeError', async () => {
    const token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, locale: 'en' });
    try {
      const huge = await failure(() => token.signingKey({ label: 'é'.repeat(100_000) }));
      expect(huge.code).toBe('ERR_PKCS11_KEY_NOT_FOUND');
      expect(huge.message.length).toBeLessThan(400);
      expect((await failure(() => token.certificate({ id: 'ab'.repeat(50_000) }))).message.length).toBeLessThan(400);
      const noToken = await failure(() => openPkcs11Token({ library: hsm.library, token: { label: `\u001b[2J${'x'.repeat(50_000)}` }, pin: hsm.pin }));
      expect(noToken.code).toBe('ERR_PKCS11_TOKEN_NOT_FOUND');
      expect(noToken.message.length).toBeLessThan(400);
      expect(noToken.message).not.toContain('\u001b');
      for (const hash of ['SHA-1', 'MD5', 'sha-256']) {
        expect(await failure(() => token.signingKey({ label: 'cachet', hash: hash as never }))).toMatchObject({ name: 'TypeError' });
      }
      expect((await token.signingKey({ label: 'cachet', hash: 'SHA-384' })).algorithm).toEqual({ kind: 'ecdsa', hash: 'SHA-384' });
    } finally {
      await token.close();
    }
  });
});
