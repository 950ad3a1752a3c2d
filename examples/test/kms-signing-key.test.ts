/**
 * The KMS example (SIG-3, issue 19) against an in-process fake of a cloud
 * KMS JSON API on 127.0.0.1 (AWS KMS shape: `TrentService.Sign` with
 * `MessageType: DIGEST`, `TrentService.GetPublicKey`), holding development
 * seal keys (ECDSA P-256 and RSA 2048): audit checkpoints signed through it
 * verify with the audit package's verifier and with OpenSSL; a key the KMS
 * does not know signs nothing.
 */
import { execFileSync } from 'node:child_process';
import { constants, createPrivateKey, createPublicKey, privateEncrypt, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, verifyLog, type AuditEventDraft } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { createKmsSigningKey, kmsPublicKey } from '../kms-signing-key/kms-signing-key.js';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs a SHA-256 digest as it is (no second hash), as a KMS does for
 * `MessageType: DIGEST`: RSASSA-PKCS1-v1_5 is the private-key operation on
 * the DigestInfo (RFC 8017 §9.2); ECDSA over a digest is `openssl pkeyutl
 * -sign`, which Node's API does not offer. ECDSA comes back DER-encoded.
 */
function signDigest(key: KeyObject, digest: Buffer): Buffer {
  if (key.asymmetricKeyType === 'rsa') return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
  const keyFile = join(dir, 'kms-ec-key.pem');
  writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }));
  return execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', keyFile], { input: digest });
}

/** A fake KMS: signs digests (never the message itself), counts calls. */
function fakeKms(keys: Record<string, KeyObject>): { server: Server; calls: string[] } {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, json: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(body) as Record<string, string>;
      calls.push(target);
      const key = keys[input['KeyId'] ?? ''];
      if (key === undefined) return reply(400, { __type: 'NotFoundException', message: 'key not found' });
      if (target === 'TrentService.GetPublicKey') {
        return reply(200, { KeyId: input['KeyId'], PublicKey: createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64') });
      }
      const expected = key.asymmetricKeyType === 'rsa' ? 'RSASSA_PKCS1_V1_5_SHA_256' : 'ECDSA_SHA_256';
      if (target !== 'TrentService.Sign' || input['MessageType'] !== 'DIGEST' || input['SigningAlgorithm'] !== expected) {
        return reply(400, { __type: 'ValidationException' });
      }
      const digest = Buffer.from(input['Message'] ?? '', 'base64');
      if (digest.length !== 32) return reply(400, { __type: 'ValidationException', message: 'digest length' });
      return reply(200, { KeyId: input['KeyId'], Signature: signDigest(key, digest).toString('base64'), SigningAlgorithm: expected });
    });
  });
  return { server, calls };
}

const draft = (i: number): AuditEventDraft => ({
  action: 'signature.sealed',
  actor: { personId: `prat-${i}`, role: 'practitioner', terminalId: 'tablette-1' },
  subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 1 },
  outcome: 'success',
});

let pki: DevelopmentPki;
let rsaPki: DevelopmentPki;
let kms: ReturnType<typeof fakeKms>;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), 's3404-kms-'));

beforeAll(async () => {
  [pki, rsaPki] = await Promise.all([createDevelopmentPki({ now: () => NOW }), createDevelopmentPki({ now: () => NOW, algorithm: 'rsa-2048' })]);
  const privateKey = (p: DevelopmentPki): KeyObject => createPrivateKey({ key: Buffer.from(p.seal.privateKey), format: 'der', type: 'pkcs8' });
  kms = fakeKms({ 'alias/cachet-clinique': privateKey(pki), 'alias/cachet-rsa': privateKey(rsaPki) });
  await new Promise<void>((resolve) => kms.server.listen(0, '127.0.0.1', resolve));
  const address = kms.server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
});
afterAll(async () => {
  await new Promise((resolve) => kms.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('a seal key in a KMS, through the same SigningKey interface (SIG-3)', () => {
  it('GetPublicKey gives the key of the seal certificate', async () => {
    const spki = await kmsPublicKey({ endpoint, keyId: 'alias/cachet-clinique' });
    const certKey = new X509Certificate(Buffer.from(pki.seal.certificate)).publicKey;
    expect(Buffer.from(spki).equals(certKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    await expect(kmsPublicKey({ endpoint, keyId: 'alias/inconnue' })).rejects.toThrow(/NotFoundException/);
  }, 30_000);

  it('signs audit checkpoints that the audit verifier and openssl cms -verify accept', async () => {
    const key = createKmsSigningKey({ endpoint, keyId: 'alias/cachet-clinique' });
    const signer = await createContentSigner({ key, certificate: pki.seal.certificate, now: () => NOW });
    const store = new MemoryAuditStore();
    const log = createAuditLog({ store, signer, now: () => NOW });
    for (let i = 0; i < 5; i++) await log.append(draft(i));
    const checkpoint = await log.checkpoint();
    expect(checkpoint?.checkpoint?.signature).toBeDefined();
    expect(kms.calls.filter((c) => c === 'TrentService.Sign').length).toBeGreaterThanOrEqual(2); // the key check, then the checkpoint
    const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => new Date(NOW.getTime() + 60_000) });
    const report = await log.verify({ verifier });
    expect(report).toMatchObject({ ok: true, checkpoints: 1, signatures: { status: 'valid' } });
    // The same checkpoint body with another byte does not verify.
    const body = checkpoint!.checkpoint!.body;
    const signature = Buffer.from(checkpoint!.checkpoint!.signature, 'base64');
    expect((await verifier.verify(new TextEncoder().encode(`${body} `), signature)).status).toBe('invalid');
    writeFileSync(join(dir, 'ca.pem'), pki.files['ca.pem']);
    writeFileSync(join(dir, 'body.txt'), body);
    writeFileSync(join(dir, 'sig.p7s'), signature);
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(dir, 'sig.p7s'),
        '-content',
        join(dir, 'body.txt'),
        '-CAfile',
        join(dir, 'ca.pem'),
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toBe('');
    const lines: Uint8Array[] = [];
    for await (const chunk of store.lines()) lines.push(chunk);
    expect((await verifyLog(new TextDecoder().decode(Buffer.concat(lines)), { verifier })).ok).toBe(true);
  }, 30_000);

  it('an RSA key of the KMS (RSASSA_PKCS1_V1_5_SHA_256) signs checkpoints the audit verifier accepts', async () => {
    const key = createKmsSigningKey({ endpoint, keyId: 'alias/cachet-rsa', signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
    const signer = await createContentSigner({ key, certificate: rsaPki.seal.certificate, now: () => NOW });
    const log = createAuditLog({ store: new MemoryAuditStore(), signer, now: () => NOW });
    for (let i = 0; i < 3; i++) await log.append(draft(i));
    await log.checkpoint();
    const verifier = createContentVerifier({ trustAnchors: [rsaPki.ca.certificate], now: () => new Date(NOW.getTime() + 60_000) });
    expect(await log.verify({ verifier })).toMatchObject({ ok: true, checkpoints: 1, signatures: { status: 'valid' } });
    // Against another CA the same log's signatures are not trusted.
    const other = createContentVerifier({ trustAnchors: [pki.ca.certificate], now: () => new Date(NOW.getTime() + 60_000) });
    expect((await log.verify({ verifier: other })).ok).toBe(false);
  }, 30_000);

  it('a key the KMS does not know: createContentSigner fails, nothing is signed', async () => {
    const key = createKmsSigningKey({ endpoint, keyId: 'alias/inconnue' });
    await expect(createContentSigner({ key, certificate: pki.seal.certificate, now: () => NOW })).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' });
  }, 30_000);
});
