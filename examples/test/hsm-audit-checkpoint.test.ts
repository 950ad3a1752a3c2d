/**
 * Audit checkpoints signed with a non-extractable seal key in a PKCS#11
 * token (SIG-3, AUD-2, issue 19), for real against SoftHSM2: the key is
 * generated in the token by pkcs11-tool, its certificate issued by the
 * development CA with OpenSSL (`x509 -req -force_pubkey`) and written back
 * to the token; the log verifies with the audit package's verifier and the
 * checkpoint signature with `openssl cms -verify`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsmToken, issueTokenCertificate, type SoftHsmToken } from '@s3404/tooling/softhsm-kit';
import { createAuditLog, verifyLog, type AuditEventDraft } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { openPkcs11Token, type Pkcs11Token } from '@s3404/seal/pkcs11';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
/** When the log signs: a minute on (`openssl x509 -req` starts the certificate at the wall clock, a little after NOW). */
const SIGNED = new Date(NOW.getTime() + 60_000);
const openssl = (args: readonly string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let hsm: SoftHsmToken;
let pki: DevelopmentPki;
let token: Pkcs11Token;

beforeAll(async () => {
  hsm = createSoftHsmToken({ label: 's3404-audit', pin: '135790' });
  hsm.generateKey({ label: 'cachet-audit', id: 'a1' });
  pki = await createDevelopmentPki({ now: () => NOW });
  token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin });
  const key = await token.signingKey({ label: 'cachet-audit' });
  // The CA issues the seal certificate for the token's public key (a throw-away CSR carries the subject, -force_pubkey the token key).
  const certificate = issueTokenCertificate(hsm, {
    publicKeyInfo: (await key.publicKeyInfo())!,
    caPem: pki.files['ca.pem'],
    caKeyPem: pki.files['ca-key.pem'],
    subject: '/CN=Cachet audit HSM/O=Clinique de demonstration/C=FR',
    serial: '4097',
  });
  hsm.writeCertificate(certificate, { label: 'cachet-audit', id: 'a1' });
}, 60_000);

afterAll(async () => {
  await token?.close();
  hsm?.remove();
});

const draft = (i: number): AuditEventDraft => ({
  action: 'signature.consumed',
  actor: { personId: `prat-${i}`, role: 'practitioner', terminalId: 'tablette-2' },
  subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 1 + (i % 3) },
  outcome: 'success',
});

describe('audit checkpoints signed in a PKCS#11 token (SIG-3, AUD-2)', () => {
  it('the audit verifier and openssl accept checkpoints signed by a non-extractable token key', async () => {
    const key = await token.signingKey({ id: 'a1' });
    expect({ extractable: key.extractable, sensitive: key.sensitive }).toEqual({ extractable: false, sensitive: true });
    const certificate = await token.certificate({ label: 'cachet-audit' });
    const signer = await createContentSigner({ key, certificate, now: () => SIGNED });
    expect(signer.subject).toContain('Cachet audit HSM');
    const store = new MemoryAuditStore();
    const log = createAuditLog({ store, signer, now: () => SIGNED });
    for (let i = 0; i < 6; i++) await log.append(draft(i));
    const first = await log.checkpoint();
    for (let i = 6; i < 9; i++) await log.append(draft(i));
    await log.checkpoint();
    const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => new Date(SIGNED.getTime() + 60_000) });
    expect(await log.verify({ verifier })).toMatchObject({ ok: true, checkpoints: 2, signatures: { status: 'valid' } });
    const chunks: Uint8Array[] = [];
    for await (const c of store.lines()) chunks.push(c);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    expect((await verifyLog(text, { verifier })).ok).toBe(true);
    // An event edited after the checkpoint: the verifier finds it.
    expect((await verifyLog(text.replace('prat-2', 'prat-7'), { verifier })).ok).toBe(false);
    writeFileSync(join(hsm.dir, 'body.txt'), first!.checkpoint!.body);
    writeFileSync(join(hsm.dir, 'sig.p7s'), Buffer.from(first!.checkpoint!.signature, 'base64'));
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(hsm.dir, 'sig.p7s'), '-content', join(hsm.dir, 'body.txt')];
    writeFileSync(join(hsm.dir, 'ca.pem'), pki.files['ca.pem']);
    expect(openssl([...args, '-CAfile', join(hsm.dir, 'ca.pem'), '-out', '/dev/null'])).toBe('');
  }, 60_000);
});
