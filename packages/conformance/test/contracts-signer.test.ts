import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import type { ContentSigner } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { createContentSigner, importPkcs8SigningKey, type SigningKey } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki, type PkiAlgorithm } from '@s3404/seal/pki';
import type { ConformanceTest } from '@s3404/conformance';
import { runSignerContract } from '@s3404/conformance/contracts';
import { coveredBytes, embedSignature, signablePdf } from '../src/internal/signable-pdf.js';
import { expectFailsExactly } from './contract-kit.js';

/** SIG-2, SIG-3, AUD-2, X-3: the ContentSigner contract suite judges the SDK's signer and catches broken ones. */

const T0 = new Date('2026-03-20T10:00:00.000Z');
const now = () => T0;
const ALL = [1, 2, 3, 4, 5, 6, 7, 8];
const pkis = new Map<string, Promise<DevelopmentPki>>();
const pki = (algorithm: PkiAlgorithm = 'ecdsa-p256', tag = ''): Promise<DevelopmentPki> => {
  const key = `${algorithm}${tag}`;
  if (!pkis.has(key)) pkis.set(key, createDevelopmentPki({ algorithm, now }));
  return pkis.get(key)!;
};
const sdkSigner = async (p: DevelopmentPki): Promise<ContentSigner> => createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now });
const context = (p: DevelopmentPki) => ({ now, sha256: nodeSha256, trustAnchors: [p.ca.certificate] });

function expectAllPassed(tests: readonly ConformanceTest[]): void {
  expect(tests.map((t) => t.tcId)).toEqual(ALL);
  expect(tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId}: ${t.detail}`)).toEqual([]);
  for (const t of tests) expect(t.file).toBe('contracts/signer');
}
describe('runSignerContract on the SDK signer (SIG-3)', () => {
  it('passes every case with createContentSigner on ECDSA P-256', { timeout: 60_000 }, async () => {
    const p = await pki();
    const tests = await runSignerContract(() => sdkSigner(p), context(p));
    expectAllPassed(tests);
    // Case 3's crossed signature and case 6's tampered PDF were refused with their codes.
    expect(tests[2]!.code).toBe('ERR_SEAL_DIGEST_MISMATCH');
    expect(tests[5]!.code).toBe('ERR_SEAL_DIGEST_MISMATCH');
  });

  it('passes every case with RSA-PSS 2048 and with an HSM-like key that returns DER ECDSA signatures from a digest', { timeout: 90_000 }, async () => {
    const rsa = await pki('rsa-pss-2048');
    expectAllPassed(await runSignerContract(() => sdkSigner(rsa), context(rsa)));
    const ec = await pki();
    const soft = await importPkcs8SigningKey(ec.seal.privateKey);
    // An HSM signs the digest and answers ECDSA-Sig-Value (DER): here Web Crypto's r‖s re-encoded.
    const hsm: SigningKey = {
      algorithm: soft.algorithm,
      ecdsaFormat: 'der',
      sign: async (input) => p1363ToDer(await soft.sign(input)),
    };
    expectAllPassed(await runSignerContract(() => createContentSigner({ key: hsm, certificate: ec.seal.certificate, now }), context(ec)));
  });
});

describe('the PDF the suite signs (case 6), checked by tools nobody here wrote', () => {
  it('qpdf finds no syntax error and pdfsig reads a valid signature over the whole document', { timeout: 30_000 }, async () => {
    const p = await pki();
    const prepared = signablePdf({ contentsBytes: 16 * 1024, at: T0, text: 'Bordereau S3404 (contrat)' });
    const pdf = embedSignature(prepared, await (await sdkSigner(p)).sign(coveredBytes(prepared), { detached: true }));
    expect(pdf).not.toBeNull();
    expect(embedSignature(prepared, new Uint8Array(16 * 1024 + 1))).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 's3404-contract-pdf-'));
    try {
      const path = join(dir, 'signed.pdf');
      writeFileSync(path, pdf!);
      const qpdf = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
      expect(qpdf.status).toBe(0);
      expect(qpdf.stdout).toMatch(/No syntax or stream encoding errors found/);
      const pdfsig = spawnSync('pdfsig', [path], { encoding: 'utf8' });
      expect(pdfsig.stdout).toMatch(/Signature Type: adbe\.pkcs7\.detached/);
      expect(pdfsig.stdout).toMatch(/Total document signed/);
      expect(pdfsig.stdout).toMatch(/Signature Validation: Signature is Valid\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runSignerContract on broken signers (SIG-3)', () => {
  it('a signer that signs other bytes than it is given fails every case that verifies', { timeout: 60_000 }, async () => {
    const p = await pki();
    const inner = await sdkSigner(p);
    const sloppy: ContentSigner = { subject: inner.subject, sign: (c, o) => inner.sign(Uint8Array.from([...c, 0x0a]), o) };
    const tests = await runSignerContract(() => sloppy, context(p));
    expectFailsExactly(tests, ALL);
    expect(tests[0]!.detail).toMatch(/does not verify: ERR_SEAL_DIGEST_MISMATCH/);
  });

  it('a signer with another key (a certificate of another CA) fails every case on the chain', { timeout: 60_000 }, async () => {
    const [p, other] = [await pki(), await pki('ecdsa-p256', 'other')];
    const tests = await runSignerContract(() => sdkSigner(other), context(p));
    expectFailsExactly(tests, ALL);
    expect(tests[0]!.detail).toMatch(/ERR_CERT_UNTRUSTED/);
  });

  it('a signer whose output is garbled (one byte of the signature flipped) fails every case', { timeout: 60_000 }, async () => {
    const p = await pki();
    const inner = await sdkSigner(p);
    const garbling: ContentSigner = {
      subject: inner.subject,
      sign: async (c, o) => {
        const out = await inner.sign(c, o);
        out[out.length - 5] = out[out.length - 5]! ^ 0x40;
        return out;
      },
    };
    expectFailsExactly(await runSignerContract(() => garbling, context(p)), ALL);
  });

  it('a signer that replays its first signature fails the binding, record, checkpoint, PDF and concurrency cases', { timeout: 60_000 }, async () => {
    const p = await pki();
    const inner = await sdkSigner(p);
    const cache = new Map<boolean, Uint8Array>();
    const replaying: ContentSigner = {
      subject: inner.subject,
      sign: async (c, o) => {
        const detached = o?.detached === true;
        if (!cache.has(detached)) cache.set(detached, await inner.sign(c, o));
        return cache.get(detached)!;
      },
    };
    const tests = await runSignerContract(() => replaying, context(p));
    // 1 and 2 are the first detached and attached signatures; 7 signs the same way as 1 but its content differs.
    expectFailsExactly(tests, [3, 4, 5, 6, 7, 8]);
    expect(tests[2]!.detail).toMatch(/two different contents got the same signature/);
  });

  it('a signer that announces another subject than its certificate fails the cases that compare them', { timeout: 60_000 }, async () => {
    const p = await pki();
    const inner = await sdkSigner(p);
    const liar: ContentSigner = { subject: 'CN=Cachet HSM, O=Autre clinique', sign: (c, o) => inner.sign(c, o) };
    const tests = await runSignerContract(() => liar, context(p));
    expectFailsExactly(tests, [1, 4, 5, 6, 7]);
    expect(tests[0]!.detail).toMatch(/the signer announces CN=Cachet HSM/);
  });

  it('a signer whose clock is an hour late fails the signing-time case and the record it dates before its capture', { timeout: 60_000 }, async () => {
    const p = await pki();
    const late = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => new Date(T0.getTime() - 3_600_000) });
    const tests = await runSignerContract(() => late, context(p));
    // The record (4) was captured after the signing time the late signer writes.
    expectFailsExactly(tests, [4, 7]);
    expect(tests[6]!.detail).toMatch(/is 3600 s from the clock/);
  });

  it('a signer that never answers fails in bounded time; without trust anchors every case is indeterminate, never passed', { timeout: 30_000 }, async () => {
    const p = await pki();
    const hanging: ContentSigner = { subject: 'CN=HSM', sign: () => new Promise<Uint8Array>(() => undefined) };
    const started = Date.now();
    const tests = await runSignerContract(() => hanging, { ...context(p), timeoutMs: 300 });
    expectWithinBound(Date.now() - started, 10_000, 'the cases of a signer that never answers', { clock: 'wall' });
    expectFailsExactly(tests, ALL);
    expect(tests[0]!.detail).toMatch(/no answer within 0.3 s/);
    const blind = await runSignerContract(() => sdkSigner(p), { now });
    expect(blind.map((t) => t.outcome)).toEqual(ALL.map(() => 'indeterminate'));
    await expect(runSignerContract(undefined as never, { now })).rejects.toThrow(TypeError);
  });
});

/** ECDSA r‖s (IEEE P1363) as an ECDSA-Sig-Value (DER), as PKCS#11 modules answer. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  const int = (b: Uint8Array): number[] => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = [...b.subarray(i)];
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(sig.subarray(0, half)), ...int(sig.subarray(half))];
  return Uint8Array.from([0x30, body.length, ...body]);
}
