import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '@s3404/core/node';
import { createContentSigner } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { openPkcs11Token, type Pkcs11Token } from '@s3404/seal/pkcs11';
import { runSignerContract } from '@s3404/conformance/contracts';
import { createSoftHsmToken, issueTokenCertificate, type SoftHsmToken } from '@s3404/tooling/softhsm-kit';

/**
 * SIG-3, X-3, issue 19: the signer contract a vendor runs on its HSM key,
 * run here on a key generated inside a SoftHSM2 token (never extractable),
 * through `@s3404/seal/pkcs11` and `createContentSigner`: records, audit
 * checkpoints and the PDF signature made with it pass every case.
 */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
/** A minute on: `openssl x509 -req` starts the certificate at the wall clock, a little after NOW. */
const SIGNED = new Date(NOW.getTime() + 60_000);
let hsm: SoftHsmToken;
let pki: DevelopmentPki;
let token: Pkcs11Token;

beforeAll(async () => {
  hsm = createSoftHsmToken({ label: 's3404-contract', pin: '246810' });
  hsm.generateKey({ label: 'cachet', id: 'c1' });
  pki = await createDevelopmentPki({ now: () => NOW });
  token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin });
}, 60_000);

afterAll(async () => {
  await token?.close();
  hsm?.remove();
});

describe('runSignerContract on a PKCS#11 key in SoftHSM2 (SIG-3)', () => {
  it('passes every case; the key stays non-extractable', { timeout: 90_000 }, async () => {
    const key = await token.signingKey({ label: 'cachet' });
    const certificate = issueTokenCertificate(hsm, {
      publicKeyInfo: (await key.publicKeyInfo())!,
      caPem: pki.files['ca.pem'],
      caKeyPem: pki.files['ca-key.pem'],
      subject: '/CN=Cachet HSM/O=Clinique de demonstration/C=FR',
      serial: '8193',
    });
    const now = () => SIGNED;
    const tests = await runSignerContract(() => createContentSigner({ key, certificate, now }), {
      now,
      sha256: nodeSha256,
      trustAnchors: [pki.ca.certificate],
    });
    expect(tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId}: ${t.detail}`)).toEqual([]);
    expect(tests.map((t) => t.tcId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(hsm.tool(['--list-objects', '--type', 'privkey'])).toMatch(/never extractable/);
  });
});
