import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@s3404/core';
import {
  createCapture,
  createConsumer,
  createSealer,
  createVerifier,
  createRoleAuthorizer,
  importPkcs8SigningKey,
  MemoryContextRegistry,
  type SealedRecord,
} from '@s3404/seal';
import type { SealError } from '@s3404/seal/errors';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { at, cmsVerifyArgs, fixture, makePng, opensslCmsVerify, pki, run, sealInsured, withDir, write, CONTENT_HASH } from './helpers.js';

const execFileAsync = promisify(execFile);

async function opensslVerify(dir: string, bytes: Uint8Array, name: string, extra: string[] = []): Promise<boolean> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  try {
    await execFileAsync('openssl', cmsVerifyArgs(dir, name, { out: join(dir, `${name}.out`), extra }));
    return true;
  } catch {
    return false;
  }
}

describe('OpenSSL verifies our sealed records (SIG-3 interop)', () => {
  for (const algorithm of ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const) {
    it(`openssl cms -verify -binary -inform DER -CAfile ca.pem accepts a ${algorithm} record, also with -cades`, async () => {
      const f = await fixture({ algorithm });
      const sealed = await sealInsured(f);
      await withDir(async (dir) => {
        write(dir, { 'ca.pem': f.pki.files['ca.pem'], 'r.p7m': sealed.bytes });
        const r = opensslCmsVerify(dir, 'r.p7m', { out: join(dir, 'r.json') });
        expect(r.stderr).toContain('Verification successful');
        expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe(canonicalJson(sealed.record));
        expect(await opensslVerify(dir, sealed.bytes, 'c.p7m', ['-cades'])).toBe(true);
      });
    });
  }

  it('openssl accepts an RSA-PSS record', async () => {
    const p = await pki('rsa-pss-2048');
    const f = await fixture({ algorithm: 'rsa-pss-2048', overrides: { key: await importPkcs8SigningKey(p.seal.privateKey, { rsaScheme: 'pss' }) } });
    const sealed = await sealInsured(f);
    await withDir(async (dir) => {
      write(dir, { 'ca.pem': p.files['ca.pem'] });
      expect(await opensslVerify(dir, sealed.bytes, 'pss.p7m')).toBe(true);
      expect(run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'pss.p7m')]).stdout).toContain('rsassaPss');
    });
  });

  it('one flipped bit anywhere makes our verifier fail; OpenSSL fails too except in four unsigned fields it ignores', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f, { image: makePng(16, 16), withStrokes: false });
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(60) });
    await withDir(async (dir) => {
      write(dir, { 'ca.pem': f.pki.files['ca.pem'], 'r.p7m': sealed.bytes });
      // Offsets of the fields OpenSSL does not check, read with openssl asn1parse.
      const lines = run('openssl', ['asn1parse', '-inform', 'DER', '-in', join(dir, 'r.p7m')])
        .stdout.split('\n')
        .map((l) => /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+\w+:\s*(.*)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ off: Number(m[1]), depth: Number(m[2]), hl: Number(m[3]), len: Number(m[4]), what: m[5]!.trim() }));
      const signedDataVersion = lines.find((l) => l.depth === 3 && l.what.startsWith('INTEGER'))!;
      const eContentType = lines.find((l) => l.depth === 4 && l.what.includes('pkcs7-data'))!;
      const signerInfos = lines.filter((l) => l.depth === 3 && l.what.startsWith('SET')).at(-1)!;
      const signerVersion = lines.find((l) => l.off > signerInfos.off && l.depth === 5 && l.what.startsWith('INTEGER'))!;
      const signatureAlgorithm = lines.filter((l) => l.what.includes('ecdsa-with-SHA256')).at(-1)!;
      const lenient = new Set<number>();
      for (const l of [signedDataVersion, eContentType, signerVersion, signatureAlgorithm])
        for (let i = l.off + l.hl; i < l.off + l.hl + l.len; i++) lenient.add(i);
      expect(lenient.size).toBe(1 + 9 + 1 + 8);
      const flipped = (i: number) => {
        const b = Uint8Array.from(sealed.bytes);
        b[i] = b[i]! ^ 0x01;
        return b;
      };
      const oursAccepted: number[] = [];
      for (let i = 0; i < sealed.bytes.length; i++) if ((await verifier.verify(flipped(i))).ok) oursAccepted.push(i);
      expect(oursAccepted).toEqual([]);
      const opensslAccepted: number[] = [];
      const positions = [...Array(sealed.bytes.length).keys()];
      const worker = async (slot: number) => {
        for (let k = slot; k < positions.length; k += 2) if (await opensslVerify(dir, flipped(k), `f${slot}.p7m`)) opensslAccepted.push(k);
      };
      await Promise.all([worker(0), worker(1)]);
      expect(opensslAccepted.every((i) => lenient.has(i))).toBe(true);
      // Everything that is signed or certified — the record, the signed attributes, the certificate, the signature — fails in OpenSSL too.
      expect(opensslAccepted.length).toBeLessThanOrEqual(lenient.size);
    });
  }, 120_000);
});

describe('records made by OpenSSL, good and bad (SIG-3 bad input)', () => {
  /** A sealer on the real clock, so that OpenSSL's signing time (now) is consistent with the record. */
  async function realTimeRecord(): Promise<{ sealed: SealedRecord; files: DevelopmentPki['files']; ca: Uint8Array }> {
    const p = await pki('ecdsa-p256', () => new Date());
    const contexts = new MemoryContextRegistry();
    const sealer = await createSealer({ key: p.seal.privateKey, certificate: p.seal.certificate, contexts, authorizer: createRoleAuthorizer({ staff: [] }) });
    const ctx = await sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: 'M008F-YZQ8Y-EBGVF-YEHYJ-6SSZ4-D', contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'P' },
      terminalId: 't',
    });
    const sealed = await sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: new Date() }));
    return { sealed, files: p.files, ca: p.ca.certificate };
  }

  function opensslSign(dir: string, content: string | Uint8Array, args: string[], cert = 'seal-cert.pem', key = 'seal-key.pem'): Uint8Array {
    writeFileSync(join(dir, 'content'), content);
    const r = run('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-outform',
      'DER',
      '-in',
      join(dir, 'content'),
      '-signer',
      join(dir, cert),
      '-inkey',
      join(dir, key),
      '-out',
      join(dir, 'out.p7m'),
      ...args,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return new Uint8Array(readFileSync(join(dir, 'out.p7m')));
  }

  it('verifies a record OpenSSL signed with -cades, and refuses each defect with its code', async () => {
    const { sealed, files, ca } = await realTimeRecord();
    const verifier = createVerifier({ trustAnchors: [ca] });
    const json = canonicalJson(sealed.record);
    await withDir(async (dir) => {
      write(dir, files);
      const verify = (b: Uint8Array) => verifier.verify(b);
      expect(await verify(opensslSign(dir, json, ['-nodetach', '-md', 'sha256', '-cades']))).toMatchObject({ ok: true, recordId: sealed.recordId });
      // No signing-certificate-v2 attribute.
      expect(await verify(opensslSign(dir, json, ['-nodetach', '-md', 'sha256']))).toMatchObject({ ok: false, code: 'ERR_SEAL_SIGNED_ATTRIBUTES' });
      // SHA-1.
      expect(await verify(opensslSign(dir, json, ['-nodetach', '-md', 'sha1', '-cades']))).toMatchObject({ ok: false, code: 'ERR_SEAL_ALGORITHM_REFUSED' });
      // Another encapsulated content type.
      expect(await verify(opensslSign(dir, json, ['-nodetach', '-md', 'sha256', '-cades', '-econtent_type', '1.2.3.4']))).toMatchObject({
        ok: false,
        code: 'ERR_SEAL_CONTENT_TYPE',
      });
      // Detached content.
      expect(await verify(opensslSign(dir, json, ['-md', 'sha256', '-cades']))).toMatchObject({ ok: false, code: 'ERR_SEAL_CONTENT_TYPE' });
      // BER with indefinite lengths (-stream) is not DER.
      expect(await verify(opensslSign(dir, json, ['-nodetach', '-md', 'sha256', '-cades', '-stream']))).toMatchObject({
        ok: false,
        code: 'ERR_SEAL_MALFORMED',
      });
      // Correctly signed but not canonical JSON: the record is refused.
      expect(await verify(opensslSign(dir, JSON.stringify(sealed.record, null, 2), ['-nodetach', '-md', 'sha256', '-cades']))).toMatchObject({
        ok: false,
        code: 'ERR_RECORD_INVALID',
      });
      expect(await verify(opensslSign(dir, 'not json', ['-nodetach', '-md', 'sha256', '-cades']))).toMatchObject({ ok: false, code: 'ERR_RECORD_INVALID' });
      // A record of format 1.0 (its scope not bound to the content), correctly sealed: refused, the version named (SIG-4).
      const { contentHash: _bound, ...unbound } = sealed.record.scope as { contentHash: string };
      const v10 = opensslSign(dir, canonicalJson({ ...sealed.record, version: '1.0', scope: unbound }), ['-nodetach', '-md', 'sha256', '-cades']);
      const old = await createVerifier({ trustAnchors: [ca], locale: 'en' }).verify(v10);
      expect(old).toMatchObject({ ok: false, code: 'ERR_RECORD_INVALID' });
      expect(old.ok ? '' : old.message).toBe(
        'Invalid signature record (record format version 1.0 no longer accepted, 1.1 expected: capture the signature again).',
      );
      expect(old.ok ? '' : old.issues[0].message).toContain('version 1.0 no longer accepted');
      const consumer = createConsumer({ store: new MemoryConsumptionStore(), trustAnchors: [ca] });
      const refused = await consumer
        .consume({ bytes: v10 }, { target: { bordereauId: 'M008F-YZQ8Y-EBGVF-YEHYJ-6SSZ4-D', contentHash: CONTENT_HASH }, requestId: 'v10' })
        .catch((e: unknown) => e as SealError);
      expect(refused).toMatchObject({ code: 'ERR_RECORD_INVALID' });
      expect((refused as SealError).messageIn('fr')).toContain("version 1.0 du format d'enregistrement plus acceptée, 1.1 attendue");
      // An enveloped (encrypted) message is not a SignedData.
      writeFileSync(join(dir, 'content'), json);
      run('openssl', ['cms', '-encrypt', '-binary', '-outform', 'DER', '-in', join(dir, 'content'), '-out', join(dir, 'env.p7m'), join(dir, 'seal-cert.pem')]);
      expect(await verify(new Uint8Array(readFileSync(join(dir, 'env.p7m'))))).toMatchObject({ ok: false, code: 'ERR_SEAL_CONTENT_TYPE' });
    });
  });

  it('refuses RSA-1024, a SHA-1 certificate signature, a certificate without signing key usage, expired and not-yet-valid certificates', async () => {
    const { sealed, files, ca } = await realTimeRecord();
    const verifier = createVerifier({ trustAnchors: [ca] });
    const json = canonicalJson(sealed.record);
    const caKey = await crypto.subtle.importKey(
      'pkcs8',
      Buffer.from(files['ca-key.pem'].replace(/-----[^-]+-----|\s/g, ''), 'base64'),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const caCert = new x509.X509Certificate(files['ca.pem']);
    async function issue(name: string, o: { keyUsage?: number; notBefore?: Date; notAfter?: Date }): Promise<Record<string, string>> {
      const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.create(
        {
          serialNumber: '0a0b0c',
          subject: `CN=${name}`,
          issuer: caCert.subject,
          notBefore: o.notBefore ?? new Date(Date.now() - 86_400_000),
          notAfter: o.notAfter ?? new Date(Date.now() + 86_400_000),
          signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
          publicKey: keys.publicKey,
          signingKey: caKey,
          extensions: o.keyUsage === undefined ? [] : [new x509.KeyUsagesExtension(o.keyUsage, true)],
        },
        crypto,
      );
      const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
      return { [`${name}.pem`]: cert.toString('pem'), [`${name}-key.pem`]: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n` };
    }
    await withDir(async (dir) => {
      write(dir, files);
      const F = x509.KeyUsageFlags;
      write(dir, await issue('enc', { keyUsage: F.keyEncipherment | F.dataEncipherment }));
      write(dir, await issue('nousage', {}));
      write(dir, await issue('old', { keyUsage: F.digitalSignature, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') }));
      write(dir, await issue('future', { keyUsage: F.digitalSignature, notBefore: new Date('2031-01-01'), notAfter: new Date('2032-01-01') }));
      const sign = (name: string) => opensslSign(dir, json, ['-nodetach', '-md', 'sha256', '-cades'], `${name}.pem`, `${name}-key.pem`);
      expect(await verifier.verify(sign('enc'))).toMatchObject({ ok: false, code: 'ERR_CERT_KEY_USAGE' });
      expect(await verifier.verify(sign('nousage'))).toMatchObject({ ok: false, code: 'ERR_CERT_KEY_USAGE' });
      expect(await verifier.verify(sign('old'))).toMatchObject({ ok: false, code: 'ERR_CERT_EXPIRED' });
      expect(await verifier.verify(sign('future'))).toMatchObject({ ok: false, code: 'ERR_CERT_NOT_YET_VALID' });
      // A key and a CSR from OpenSSL, then a certificate issued by our CA with the key usage of ext.cnf.
      const opensslIssue = (name: string, newkey: string[], digest: string[] = []): void => {
        const req = run('openssl', [
          'req',
          '-new',
          ...newkey,
          '-nodes',
          '-keyout',
          join(dir, `${name}-key.pem`),
          '-subj',
          `/CN=${name}`,
          '-out',
          join(dir, `${name}.csr`),
        ]);
        expect(req.status, req.stderr).toBe(0);
        const ca = ['-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca-key.pem'), '-days', '2'];
        const x = run('openssl', [
          'x509',
          '-req',
          ...digest,
          '-in',
          join(dir, `${name}.csr`),
          ...ca,
          '-out',
          join(dir, `${name}.pem`),
          '-extfile',
          join(dir, 'ext.cnf'),
        ]);
        expect(x.status, x.stderr).toBe(0);
      };
      // RSA-1024, issued by OpenSSL from our CA.
      write(dir, { 'ext.cnf': 'keyUsage=critical,digitalSignature\n' });
      opensslIssue('weak', ['-newkey', 'rsa:1024']);
      expect(await verifier.verify(sign('weak'))).toMatchObject({ ok: false, code: 'ERR_SEAL_KEY_TOO_WEAK' });
      // A seal certificate whose CA signature uses SHA-1: the chain is refused for its algorithm, not merely untrusted.
      opensslIssue('sha1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-sha1']);
      expect(await verifier.verify(sign('sha1'))).toMatchObject({ ok: false, code: 'ERR_SEAL_ALGORITHM_REFUSED' });
    });
  });

  it('refuses tampered signed attributes, a swapped certificate, truncation and garbage', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(60) });
    const bytes = sealed.bytes;
    // The signing time "260320100000Z" inside the signed attributes.
    const needle = new TextEncoder().encode('260320100000Z');
    const pos = Buffer.from(bytes).indexOf(Buffer.from(needle));
    expect(pos).toBeGreaterThan(0);
    const tampered = Uint8Array.from(bytes);
    tampered[pos + 7] = '1'.charCodeAt(0); // 10:00 → 11:00
    expect(await verifier.verify(tampered)).toMatchObject({ ok: false, code: 'ERR_SEAL_SIGNATURE_INVALID' });
    // The certificate replaced by the TSA certificate of the same CA (same length class): no longer matches the sid or ESS hash.
    const cert = f.pki.seal.certificate;
    const at0 = Buffer.from(bytes).indexOf(Buffer.from(cert));
    expect(at0).toBeGreaterThan(0);
    const swapped = Uint8Array.from(bytes);
    swapped.set(f.pki.ca.certificate.subarray(0, cert.length), at0);
    expect((await verifier.verify(swapped)).ok).toBe(false);
    for (const n of [0, 1, 2, 10, 100, bytes.length - 1]) {
      expect(await verifier.verify(bytes.subarray(0, n))).toMatchObject({ ok: false, code: 'ERR_SEAL_MALFORMED' });
    }
    const trailing = new Uint8Array(bytes.length + 1);
    trailing.set(bytes);
    expect(await verifier.verify(trailing)).toMatchObject({ ok: false, code: 'ERR_SEAL_MALFORMED' });
    expect(await verifier.verify(new TextEncoder().encode('-----BEGIN CMS-----'))).toMatchObject({ ok: false, code: 'ERR_SEAL_MALFORMED' });
  });
});
