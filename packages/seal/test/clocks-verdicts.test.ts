import { describe, expect, it } from 'vitest';
import {
  createCaptureContext,
  createConsumer,
  createContentSigner,
  createContentVerifier,
  createSealer,
  createVerifier,
  findValidAgreement,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  verifyRecord,
  verifySealedContent,
} from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { openConsumptionStore } from '@s3404/seal/stores';
import { at, fixture, pki, sealInsured, T0, CONTENT_HASH } from './helpers.js';

const aDate = new Date('2026-03-20T10:00:00Z') as never;

describe('every now is a Clock (conventions §2)', () => {
  it('refuses a Date given as now, as programmer misuse (TypeError)', async () => {
    const p = await pki();
    const trustAnchors = [p.ca.certificate];
    const base = { contexts: new MemoryContextRegistry(), authorizer: { authorize: () => ({ allow: true as const }) } };
    expect(() => createVerifier({ trustAnchors, now: aDate })).toThrow(TypeError);
    expect(() => createConsumer({ store: new MemoryConsumptionStore(), trustAnchors, now: aDate })).toThrow(TypeError);
    expect(() => createContentVerifier({ trustAnchors, now: aDate })).toThrow(TypeError);
    expect(() => new MemoryContextRegistry({ now: aDate })).toThrow(TypeError);
    expect(() =>
      createCaptureContext({
        scope: { kind: 'bordereau', bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', contentHash: CONTENT_HASH },
        role: 'insured',
        signer: { id: 'p', name: 'P' },
        terminalId: 't',
        now: aDate,
      }),
    ).toThrow(TypeError);
    await expect(createSealer({ key: p.seal.privateKey, certificate: p.seal.certificate, ...base, now: aDate })).rejects.toThrow(TypeError);
    await expect(createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: aDate })).rejects.toThrow(TypeError);
    await expect(verifySealedContent(new Uint8Array([0x30, 0]), { trustAnchors, now: aDate })).rejects.toThrow(TypeError);
    await expect(createDevelopmentPki({ now: aDate })).rejects.toThrow(TypeError);
    // A clock that gives no Date is misuse too.
    const broken = createVerifier({ trustAnchors, now: (() => 'today') as never });
    await expect(broken.verify(new Uint8Array([0x30, 0]))).rejects.toThrow(TypeError);
  });

  it('purges tombstones with the consumer’s clock skew, configurable like the verifier’s (default 300 s)', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    const bordereauId = f.bordereauId;
    const clock = { now: at(10) };
    const store = new MemoryConsumptionStore();
    const tight = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => clock.now, ttlSeconds: 600, clockSkewSeconds: 60 });
    const usual = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => clock.now, ttlSeconds: 600 });
    await tight.consume({ bytes: sealed.bytes }, { target: { bordereauId, contentHash: f.contentHash }, requestId: 'r' });
    clock.now = at(10 + 600 + 59);
    await expect(tight.purgeTombstones({ before: at(11) })).rejects.toMatchObject({
      code: 'ERR_RETENTION_TOO_SHORT',
      params: { expected: at(10 + 600 + 59 - 600 - 60).toISOString() },
    });
    clock.now = at(10 + 600 + 61);
    await expect(usual.purgeTombstones({ before: at(11) })).rejects.toMatchObject({ code: 'ERR_RETENTION_TOO_SHORT' });
    expect(await tight.purgeTombstones({ before: at(11) })).toBe(1);
    expect(() => createConsumer({ store, trustAnchors: [f.pki.ca.certificate], clockSkewSeconds: -1 })).toThrow(TypeError);
  });
});

describe('verdicts are { ok, issues } (conventions §5)', () => {
  it('verifyRecord and Verifier.verify: ok with no issues, or one issue naming the code', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    const good = await verifyRecord(sealed.bytes, { trustAnchors: [f.pki.ca.certificate], now: () => at(60), expect: { bordereauId: f.bordereauId } });
    expect(good).toMatchObject({ ok: true, issues: [], recordId: sealed.recordId });
    const wrong = await createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(60), locale: 'en' }).verify(sealed.bytes, {
      expect: { bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H' },
    });
    expect(wrong).toEqual({
      ok: false,
      code: 'ERR_RECORD_WRONG_BORDEREAU',
      message: 'This signature belongs to another bordereau.',
      issues: [{ code: 'ERR_RECORD_WRONG_BORDEREAU', path: [], message: 'This signature belongs to another bordereau.' }],
    });
  });

  it('verifySealedContent: the same verdict, and createContentVerifier maps it to a SignatureCheck', async () => {
    const p = await pki();
    const signer = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => at(5) });
    const body = new TextEncoder().encode('manifest');
    const p7s = await signer.sign(body, { detached: true });
    const options = { trustAnchors: [p.ca.certificate], now: () => at(10) };
    expect(await verifySealedContent(p7s, { ...options, content: body })).toMatchObject({
      ok: true,
      issues: [],
      signingTime: at(5).toISOString(),
      signer: { subject: signer.subject },
    });
    const bad = await verifySealedContent(p7s, { ...options, content: new TextEncoder().encode('manifesT') });
    expect(bad).toMatchObject({ ok: false, code: 'ERR_SEAL_DIGEST_MISMATCH', issues: [{ code: 'ERR_SEAL_DIGEST_MISMATCH', path: [] }] });
    expect(await createContentVerifier(options).verify(new TextEncoder().encode('manifesT'), p7s)).toEqual({
      status: 'invalid',
      code: 'ERR_SEAL_DIGEST_MISMATCH',
      message: bad.ok ? '' : bad.message,
    });
  });
});

describe('a missing item is null (conventions §8)', () => {
  it('registries and lookups answer null', async () => {
    expect(new MemoryContextRegistry({ now: () => T0 }).take('nonce')).toBeNull();
    expect(new MemoryMandateRegistry().get('MDT-0')).toBeNull();
    expect(findValidAgreement([], { rpps: '10003456786', day: '2026-03-20' })).toBeNull();
  });

  it('openConsumptionStore: every store has close(); a URL it does not understand is ERR_STORE_URL_INVALID (kind input)', async () => {
    const store = await openConsumptionStore('memory:');
    expect(typeof store.close).toBe('function');
    await store.close();
    for (const url of ['ftp://host/x', 'sqlite:', 'nothing', 'postgres://127.0.0.1:1/db?tablePrefix=Bad-Prefix', 'redis://127.0.0.1:1?prefix=bad%20prefix']) {
      await expect(openConsumptionStore(url), url).rejects.toMatchObject({ code: 'ERR_STORE_URL_INVALID', kind: 'input' });
    }
  });
});
