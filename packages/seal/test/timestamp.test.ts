import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '@s3404/core';
import {
  createDevelopmentTsa,
  createHttpTimeStamper,
  DEVELOPMENT_TSA_POLICY,
  encodeTimeStampRequest,
  verifyTimeStampToken,
  writePem,
  type TsaFetch,
} from '@s3404/seal';
import { SEAL_ERRORS } from '@s3404/seal/errors';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { pki, run, seededRandom, T0, withDir, write } from './helpers.js';

const sha256 = (text: string | Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());
const DIGEST = sha256('bordereau S3404 6R0ZQ-50K7C-AC6T4-JF0WA-04614-H');
/** The TSA's clock: T0 plus 123 ms, so the genTime keeps its milliseconds. */
const GEN_TIME = new Date(T0.getTime() + 123);

async function devTsa(p: DevelopmentPki, extra: { locale?: 'en' } = {}) {
  return createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now: () => GEN_TIME, random: seededRandom(3161), ...extra });
}

/** openssl's answer lines, e.g. `openssl ts -reply -in resp.tsr -text`. */
function openssl(args: string[]): { status: number; stdout: string; stderr: string } {
  return run('openssl', args);
}

/** A minimal openssl.cnf [tsa] section over the development PKI's TSA certificate and key. */
function writeOpensslTsa(dir: string, p: DevelopmentPki, options: { essAlg?: 'sha1' | 'sha256' } = {}): string {
  write(dir, { 'tsa.pem': p.files['tsa-cert.pem'], 'tsa-key.pem': p.files['tsa-key.pem'], 'ca.pem': p.files['ca.pem'], serial: '2A\n' });
  const cnf = join(dir, 'openssl-tsa.cnf');
  write(dir, {
    'openssl-tsa.cnf': `[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa-key.pem
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = ${options.essAlg ?? 'sha256'}
`,
  });
  return cnf;
}

describe('in-process TSA (createDevelopmentTsa) and verifyTimeStampToken (SIG-3, AUD-2, RFC 3161)', () => {
  for (const algorithm of ['ecdsa-p256', 'rsa-2048'] as const) {
    it(`issues a ${algorithm} token our verifier accepts, with the genTime, policy, serial and TSA certificate`, async () => {
      const p = await pki(algorithm);
      const tsa = await devTsa(p);
      expect(tsa.stamper.name).toBe('TSA de développement (en mémoire)');
      const token = await tsa.stamper.timestamp(DIGEST);
      const verdict = await verifyTimeStampToken(token, { digest: DIGEST, trust: [p.ca.certificate] });
      if (!verdict.ok) throw new Error(verdict.message);
      expect(verdict.issues).toEqual([]);
      expect(verdict.genTime.toISOString()).toBe(GEN_TIME.toISOString());
      expect(verdict.policy).toBe(DEVELOPMENT_TSA_POLICY);
      expect(verdict.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(verdict.tsaSubject).toContain('CN=Horodatage S3404 (développement)');
      expect(verdict.tsaCertificate).toEqual(p.tsa.certificate);
      expect(verdict.accuracyMs).toBeUndefined();
      // Two tokens, two serial numbers.
      const again = await verifyTimeStampToken(await tsa.stamper.timestamp(DIGEST), { digest: DIGEST, trust: [p.ca.certificate] });
      expect(again.ok && again.serialNumber).not.toBe(verdict.serialNumber);
    });

    it(`openssl ts -verify accepts the ${algorithm} reply (digest, then query with nonce) and -text shows our genTime`, async () => {
      const p = await pki(algorithm);
      const tsa = await devTsa(p);
      const query = encodeTimeStampRequest({ digest: DIGEST, random: seededRandom(1) });
      const reply = await tsa.respond(query);
      await withDir((dir) => {
        write(dir, { 'resp.tsr': reply, 'req.tsq': query, 'ca.pem': p.files['ca.pem'], 'tsa.pem': p.files['tsa-cert.pem'] });
        const f = (name: string) => join(dir, name);
        const byDigest = openssl(['ts', '-verify', '-digest', toHex(DIGEST), '-in', f('resp.tsr'), '-CAfile', f('ca.pem'), '-untrusted', f('tsa.pem')]);
        expect(byDigest.stdout + byDigest.stderr).toContain('Verification: OK');
        const byQuery = openssl(['ts', '-verify', '-queryfile', f('req.tsq'), '-in', f('resp.tsr'), '-CAfile', f('ca.pem'), '-untrusted', f('tsa.pem')]);
        expect(byQuery.stdout + byQuery.stderr).toContain('Verification: OK');
        const other = openssl(['ts', '-verify', '-digest', toHex(sha256('other')), '-in', f('resp.tsr'), '-CAfile', f('ca.pem'), '-untrusted', f('tsa.pem')]);
        expect(other.stdout + other.stderr).not.toContain('Verification: OK');
        const text = openssl(['ts', '-reply', '-in', f('resp.tsr'), '-text']).stdout;
        expect(text).toContain('Status: Granted.');
        expect(text).toContain('Time stamp: Mar 20 10:00:00.123 2026 GMT');
        expect(text).toContain(`Policy OID: ${DEVELOPMENT_TSA_POLICY}`);
        expect(text).toMatch(/Nonce: 0x[0-9A-F]+/);
        expect(text).toContain(toHex(DIGEST).toUpperCase().slice(0, 2));
      });
    });
  }

  it('leaves the certificate out when certReq is false: openssl verifies with -untrusted, our verifier needs it in the token', async () => {
    const p = await pki();
    const tsa = await devTsa(p);
    const reply = await tsa.respond(encodeTimeStampRequest({ digest: DIGEST, certReq: false }));
    await withDir((dir) => {
      write(dir, { 'resp.tsr': reply, 'ca.pem': p.files['ca.pem'], 'tsa.pem': p.files['tsa-cert.pem'] });
      const r = openssl([
        'ts',
        '-verify',
        '-digest',
        toHex(DIGEST),
        '-in',
        join(dir, 'resp.tsr'),
        '-CAfile',
        join(dir, 'ca.pem'),
        '-untrusted',
        join(dir, 'tsa.pem'),
      ]);
      expect(r.stdout + r.stderr).toContain('Verification: OK');
      const token = openssl(['ts', '-reply', '-in', join(dir, 'resp.tsr'), '-token_out', '-out', join(dir, 'token.der')]);
      expect(token.status).toBe(0);
    });
  });

  it('answers a bad request with a rejection, never an exception: badDataFormat, badAlg (SHA-1), unacceptedPolicy', async () => {
    const p = await pki();
    const tsa = await devTsa(p);
    await withDir(async (dir) => {
      const f = (name: string) => join(dir, name);
      const show = (bytes: Uint8Array, name: string): string => {
        write(dir, { [name]: bytes });
        return openssl(['ts', '-reply', '-in', f(name), '-text']).stdout;
      };
      for (const garbage of [new Uint8Array(0), Uint8Array.of(0x30, 0x00), crypto.getRandomValues(new Uint8Array(64)), Uint8Array.of(0x30, 0x84, 0xff)]) {
        const text = show(await tsa.respond(garbage), 'garbage.tsr');
        expect(text).toContain('Status: Rejected.');
        expect(text).toContain('Failure info: the data submitted has the wrong format');
      }
      write(dir, { 'data.txt': 'hello' });
      expect(openssl(['ts', '-query', '-data', f('data.txt'), '-sha1', '-cert', '-out', f('sha1.tsq')]).status).toBe(0);
      expect(show(await tsa.respond(new Uint8Array(readFileSync(f('sha1.tsq')))), 'sha1.tsr')).toContain('unrecognized or unsupported algorithm');
      expect(openssl(['ts', '-query', '-data', f('data.txt'), '-sha256', '-tspolicy', '1.2.3.4', '-out', f('policy.tsq')]).status).toBe(0);
      expect(show(await tsa.respond(new Uint8Array(readFileSync(f('policy.tsq')))), 'policy.tsr')).toContain(
        'the requested TSA policy is not supported by the TSA',
      );
      // openssl's own query (with NULL hash parameters) is granted.
      expect(openssl(['ts', '-query', '-data', f('data.txt'), '-sha256', '-cert', '-out', f('ok.tsq')]).status).toBe(0);
      expect(show(await tsa.respond(new Uint8Array(readFileSync(f('ok.tsq')))), 'ok.tsr')).toContain('Status: Granted.');
    });
  });

  it('refuses a certificate without the timeStamping usage, and a key that does not match', async () => {
    const p = await pki();
    await expect(createDevelopmentTsa({ certificate: p.seal.certificate, key: p.seal.privateKey })).rejects.toMatchObject({ code: 'ERR_CERT_KEY_USAGE' });
    await expect(createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.seal.privateKey })).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' });
    await expect(createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, policy: 'not an oid' })).rejects.toThrow(TypeError);
    const tsa = await devTsa(p);
    await expect(tsa.stamper.timestamp(new Uint8Array(20))).rejects.toThrow(TypeError);
    await expect(tsa.respond('x' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    expect(() => encodeTimeStampRequest({ digest: new Uint8Array(31) })).toThrow(TypeError);
  });

  it('refuses to stamp when its certificate is not valid at its clock: ERR_TSA_REJECTED (systemFailure)', async () => {
    const p = await pki();
    const tsa = await createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now: () => new Date('2040-01-01T00:00:00Z') });
    await expect(tsa.stamper.timestamp(DIGEST)).rejects.toMatchObject({
      code: 'ERR_TSA_REJECTED',
      kind: 'verdict',
      params: { status: 'rejection', failInfo: 'systemFailure' },
    });
  });
});

describe('cross-implementation: an openssl ts -reply TSA and our client and verifier', () => {
  it('openssl answers our encodeTimeStampRequest query; verifyTimeStampToken accepts its token (accuracy, ordering, tsa name)', async () => {
    const p = await pki();
    await withDir(async (dir) => {
      const cnf = writeOpensslTsa(dir, p);
      const f = (name: string) => join(dir, name);
      write(dir, { 'req.tsq': encodeTimeStampRequest({ digest: DIGEST }) });
      const r = openssl(['ts', '-reply', '-config', cnf, '-queryfile', f('req.tsq'), '-out', f('resp.tsr')]);
      expect(r.status, r.stderr).toBe(0);
      expect(openssl(['ts', '-reply', '-in', f('resp.tsr'), '-token_out', '-out', f('token.der')]).status).toBe(0);
      const token = new Uint8Array(readFileSync(f('token.der')));
      const verdict = await verifyTimeStampToken(token, { digest: DIGEST, trust: [p.ca.certificate] });
      if (!verdict.ok) throw new Error(`${verdict.detail}: ${verdict.message}`);
      expect(verdict.policy).toBe('1.2.3.4.1');
      expect(verdict.serialNumber).toBe('2b'); // openssl increments the serial file first
      expect(verdict.accuracyMs).toBe(1500);
      expect(Math.abs(verdict.genTime.getTime() - Date.now())).toBeLessThan(120_000);
      // The same token, for another digest: refused.
      const other = await verifyTimeStampToken(token, { digest: sha256('x'), trust: [p.ca.certificate] });
      expect(other).toMatchObject({ ok: false, code: 'ERR_TIMESTAMP_INVALID', detail: 'imprint' });
    });
  });

  it('createHttpTimeStamper reads openssl replies (through a fetch that runs openssl ts -reply)', async () => {
    const p = await pki();
    await withDir(async (dir) => {
      const cnf = writeOpensslTsa(dir, p);
      let calls = 0;
      const fetch: TsaFetch = async (_url, init) => {
        calls++;
        write(dir, { 'q.tsq': init.body });
        const r = openssl(['ts', '-reply', '-config', cnf, '-queryfile', join(dir, 'q.tsq'), '-out', join(dir, 'r.tsr')]);
        if (r.status !== 0) throw new Error(r.stderr);
        const body = new Uint8Array(readFileSync(join(dir, 'r.tsr')));
        return {
          status: 200,
          headers: { get: (n) => (n === 'content-type' ? 'application/timestamp-reply' : null) },
          arrayBuffer: async () => body.slice().buffer,
        };
      };
      const stamper = createHttpTimeStamper({ url: 'https://tsa.example.invalid/tsp', fetch });
      const token = await stamper.timestamp(DIGEST);
      expect(calls).toBe(1);
      expect((await verifyTimeStampToken(token, { digest: DIGEST, trust: [p.ca.certificate] })).ok).toBe(true);
    });
  });

  it('refuses a token whose certificate is identified only by the SHA-1 signingCertificate (ESS v1): detail attributes', async () => {
    const p = await pki();
    await withDir(async (dir) => {
      const cnf = writeOpensslTsa(dir, p, { essAlg: 'sha1' });
      const f = (name: string) => join(dir, name);
      write(dir, { 'req.tsq': encodeTimeStampRequest({ digest: DIGEST }) });
      expect(openssl(['ts', '-reply', '-config', cnf, '-queryfile', f('req.tsq'), '-token_out', '-out', f('token.der')]).status).toBe(0);
      const verdict = await verifyTimeStampToken(new Uint8Array(readFileSync(f('token.der'))), { digest: DIGEST, trust: [p.ca.certificate] });
      expect(verdict).toMatchObject({ ok: false, code: 'ERR_TIMESTAMP_INVALID', detail: 'attributes' });
    });
  });
});

describe('tampered and foreign tokens: ERR_TIMESTAMP_INVALID with the failed check (SIG-3)', () => {
  const fails = async (token: Uint8Array, detail: string, options: { digest?: Uint8Array; trust?: Uint8Array[]; at?: Date; p?: DevelopmentPki } = {}) => {
    const p = options.p ?? (await pki());
    const verdict = await verifyTimeStampToken(token, {
      digest: options.digest ?? DIGEST,
      trust: options.trust ?? [p.ca.certificate],
      ...(options.at ? { at: options.at } : {}),
    });
    expect(verdict).toMatchObject({ ok: false, code: 'ERR_TIMESTAMP_INVALID', detail });
    if (!verdict.ok) expect(verdict.issues).toEqual([{ code: 'ERR_TIMESTAMP_INVALID', path: [], message: verdict.message }]);
    return verdict;
  };

  it('a token for another digest: imprint', async () => {
    const p = await pki();
    const token = await (await devTsa(p)).stamper.timestamp(sha256('another bordereau'));
    await fails(token, 'imprint');
  });

  it('a flipped signature byte: signature; a flipped ESSCertIDv2 hash byte: ess-cert-id; garbage: structure', async () => {
    const p = await pki();
    const token = await (await devTsa(p)).stamper.timestamp(DIGEST);
    const flipped = Uint8Array.from(token);
    flipped[flipped.length - 5]! ^= 0x01; // inside the SignerInfo's signature, the last field
    await fails(flipped, 'signature');
    const certHash = sha256(p.tsa.certificate);
    const at = Buffer.from(token).indexOf(Buffer.from(certHash));
    expect(at).toBeGreaterThan(0);
    const ess = Uint8Array.from(token);
    ess[at + 3]! ^= 0x80;
    await fails(ess, 'ess-cert-id');
    await fails(token.subarray(0, token.length - 1), 'structure');
    await fails(new TextEncoder().encode('not a token'), 'structure');
  });

  it('a token signed by the seal certificate (no timeStamping usage): eku', async () => {
    const p = await pki();
    const token = await (await devTsa(p)).stamper.timestamp(DIGEST);
    await withDir(async (dir) => {
      const f = (name: string) => join(dir, name);
      write(dir, { 'token.der': token, 'seal.pem': p.files['seal-cert.pem'], 'seal-key.pem': p.files['seal-key.pem'] });
      // The TSTInfo of a genuine token, signed again with the seal key (ESSCertIDv2 with -cades).
      const out = openssl(['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', f('token.der'), '-out', f('tst.der')]);
      expect(out.status, out.stderr).toBe(0);
      const signed = openssl([
        'cms',
        '-sign',
        '-binary',
        '-nodetach',
        '-nosmimecap',
        '-cades',
        '-md',
        'sha256',
        '-econtent_type',
        '1.2.840.113549.1.9.16.1.4',
        '-signer',
        f('seal.pem'),
        '-inkey',
        f('seal-key.pem'),
        '-in',
        f('tst.der'),
        '-outform',
        'DER',
        '-out',
        f('forged.der'),
      ]);
      expect(signed.status, signed.stderr).toBe(0);
      await fails(new Uint8Array(readFileSync(f('forged.der'))), 'eku');
    });
  });

  it('a TSA of another PKI: chain; a check after the certificate expired: validity', async () => {
    const p = await pki();
    const stranger = await pki('ecdsa-p256', () => new Date(T0.getTime() + 1000));
    const token = await (await devTsa(stranger)).stamper.timestamp(DIGEST);
    await fails(token, 'chain', { p });
    expect((await verifyTimeStampToken(token, { digest: DIGEST, trust: [stranger.ca.certificate] })).ok).toBe(true);
    await fails(token, 'validity', { p: stranger, at: new Date('2040-01-01T00:00:00Z') });
  });

  it('speaks English on request, with no French in it', async () => {
    const p = await pki();
    const token = await (await devTsa(p)).stamper.timestamp(sha256('another bordereau'));
    const fr = await verifyTimeStampToken(token, { digest: DIGEST, trust: [p.ca.certificate] });
    const en = await verifyTimeStampToken(token, { digest: DIGEST, trust: [p.ca.certificate], locale: 'en' });
    expect(fr.ok || fr.message).toBe("Jeton d'horodatage invalide (jeton émis pour une autre empreinte SHA-256).");
    expect(en.ok || en.message).toBe('Invalid time-stamp token (token issued for another SHA-256 digest).');
    expect((await devTsa(p, { locale: 'en' })).stamper.name).toBe('Development TSA (in memory)');
    for (const code of ['ERR_TSA_UNAVAILABLE', 'ERR_TSA_REJECTED', 'ERR_TSA_RESPONSE_INVALID', 'ERR_TIMESTAMP_INVALID'] as const) {
      const params = {
        url: 'https://tsa.example/tsp',
        status: 'rejection',
        failInfo: 'badAlg',
        statusText: '"unsupported"',
        detail: { fr: 'détail', en: 'detail' },
      };
      expect(SEAL_ERRORS.message(code, params, 'en')).not.toMatch(/[àâçéèêëîïôûùüÿœæ«»]|\s[:;!?]/);
      expect(SEAL_ERRORS.message(code, {}, 'fr')).not.toContain('undefined');
    }
    expect(SEAL_ERRORS.kind('ERR_TSA_UNAVAILABLE')).toBe('unavailable');
    expect(SEAL_ERRORS.kind('ERR_TSA_REJECTED')).toBe('verdict');
    expect(SEAL_ERRORS.kind('ERR_TSA_RESPONSE_INVALID')).toBe('verdict');
    expect(SEAL_ERRORS.kind('ERR_TIMESTAMP_INVALID')).toBe('verdict');
  });

  it('is a programming error without trust anchors or with a digest that is not SHA-256', async () => {
    const p = await pki();
    await expect(verifyTimeStampToken(new Uint8Array(1), { digest: DIGEST, trust: [] })).rejects.toThrow(TypeError);
    await expect(verifyTimeStampToken(new Uint8Array(1), { digest: new Uint8Array(20), trust: [p.ca.certificate] })).rejects.toThrow(TypeError);
    await expect(verifyTimeStampToken(new Uint8Array(1), { digest: DIGEST, trust: [new Uint8Array(3)] })).rejects.toMatchObject({ code: 'ERR_CERT_INVALID' });
    expect(writePem(p.tsa.certificate, 'CERTIFICATE')).toBe(p.files['tsa-cert.pem']);
  });
});
