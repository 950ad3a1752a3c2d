/**
 * A vendor's seal key (`SigningKey`: an HSM, a cloud KMS) plugged in wrongly,
 * or turned hostile, through the public API (SIG-3): the three users of the
 * key — `createSealer` (records), `createPdfSealer` (PAdES seals of
 * `@s3404/seal/pdf`) and `createContentSigner` (audit checkpoints,
 * manifests) — must refuse a signature the certificate does not verify with
 * a coded error, before anything is returned or traced as sealed; never
 * write it, to be refused a day later at `consume` or `verify`.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { isS3404Error } from '@s3404/core';
import {
  createContentSigner,
  createVerifier,
  importPkcs8SigningKey,
  signingKeyFromCryptoKey,
  verifySealedContent,
  type CryptoProvider,
  type SigningKey,
  type SignInput,
} from '@s3404/seal';
import { SEAL_ERRORS, SealError } from '@s3404/seal/errors';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { createPdfSealer, verifyPdfSeal } from '@s3404/seal/pdf';
import { at, fixture, opensslCmsVerify, pki, sealInsured, seededRandom, T0, withDir, write } from './helpers.js';
import { bordereauPdf } from './support/pades-fixtures.js';
import { coveredBytes, extractCms } from './support/pades-tools.js';

let p: DevelopmentPki;
let rsa: DevelopmentPki;
let good: SigningKey;
let goodRsa: SigningKey;
let otherKey: SigningKey;
let pdf: Uint8Array;

beforeAll(async () => {
  [p, rsa, pdf] = await Promise.all([pki(), pki('rsa-2048'), bordereauPdf('flat')]);
  // Another P-256 key pair: the KMS key id typo, or an alias moved to a new key.
  const other = await createDevelopmentPki({ algorithm: 'ecdsa-p256', now: () => T0, random: seededRandom(99) });
  [good, goodRsa, otherKey] = await Promise.all([
    importPkcs8SigningKey(p.seal.privateKey),
    importPkcs8SigningKey(rsa.seal.privateKey),
    importPkcs8SigningKey(other.seal.privateKey),
  ]);
});

/** A vendor's key over `base` (a new object: not the SDK's own) whose `sign` is `sign`. */
const vendor = (base: SigningKey, sign: (input: SignInput) => Promise<unknown> | unknown, extra: Record<string, unknown> = {}): SigningKey =>
  ({ algorithm: base.algorithm, ecdsaFormat: base.ecdsaFormat, ...extra, sign }) as SigningKey;

/** A key that signs the check of the sealer's creation right, then answers `then` (a KMS that changed after start-up). */
function afterCheck(base: SigningKey, then: (input: SignInput) => Promise<unknown> | unknown, extra: Record<string, unknown> = {}): SigningKey {
  let calls = 0;
  return vendor(base, (input) => (calls++ === 0 ? base.sign(input) : then(input)), extra);
}

/** ECDSA r‖s to DER, as a KMS answers it. */
function toDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array): number[] => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = [...b.subarray(i)];
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, raw.length / 2)), ...int(raw.subarray(raw.length / 2))];
  return Uint8Array.from([0x30, body.length, ...body]);
}

interface Outcomes {
  /** What `sealer.seal` did, and the trace actions it wrote. */
  readonly record: { error?: unknown; bytes?: Uint8Array; actions: string[] };
  /** What `createPdfSealer(...).seal` did; `untouched` when the PDF given is unchanged. */
  readonly pdf: { error?: unknown; pdf?: Uint8Array; byteRange?: readonly number[]; untouched: boolean };
  /** What `createContentSigner(...).sign` did (an audit checkpoint). */
  readonly checkpoint: { error?: unknown; bytes?: Uint8Array };
}

const CHECKPOINT = new TextEncoder().encode('s3404 audit checkpoint v1\nsize 3\nroot 00\n');

/** Runs the three users of the key, each with a fresh key from `make` (a key may count its calls). */
async function useEverywhere(make: () => SigningKey, pk: DevelopmentPki = p): Promise<Outcomes> {
  let record: Outcomes['record'];
  let f: Awaited<ReturnType<typeof fixture>> | undefined;
  try {
    f = await fixture({ algorithm: pk === rsa ? 'rsa-2048' : 'ecdsa-p256', overrides: { key: make(), certificate: pk.seal.certificate } });
    record = { bytes: (await sealInsured(f)).bytes, actions: f.trace.events.map((e) => e.action) };
  } catch (error) {
    record = { error, actions: f?.trace.events.map((e) => e.action) ?? [] };
  }
  const given = Uint8Array.from(pdf);
  let pdfOut: Outcomes['pdf'];
  try {
    const sealed = await (await createPdfSealer({ key: make(), certificate: pk.seal.certificate, now: () => at(1) })).seal(given);
    pdfOut = { pdf: sealed.pdf, byteRange: sealed.byteRange, untouched: Buffer.from(given).equals(pdf) };
  } catch (error) {
    pdfOut = { error, untouched: Buffer.from(given).equals(pdf) };
  }
  let checkpoint: Outcomes['checkpoint'];
  try {
    checkpoint = {
      bytes: await (await createContentSigner({ key: make(), certificate: pk.seal.certificate, now: () => at(1) })).sign(CHECKPOINT, { detached: true }),
    };
  } catch (error) {
    checkpoint = { error };
  }
  return { record, pdf: pdfOut, checkpoint };
}

/** Every user refused with `code` (a `SealError`), nothing returned, nothing traced as sealed, the PDF given unchanged. */
function expectRefused(o: Outcomes, code: string, label: string): void {
  for (const [what, error] of [
    ['record', o.record.error],
    ['pdf', o.pdf.error],
    ['checkpoint', o.checkpoint.error],
  ] as const) {
    expect(error, `${label}: ${what} — ${String(error)}`).toBeInstanceOf(SealError);
    expect((error as SealError).code, `${label}: ${what} — ${String(error)}`).toBe(code);
  }
  expect(o.record.bytes, label).toBeUndefined();
  expect(o.record.actions, label).not.toContain('signature.sealed');
  expect(o.record.actions, label).toContain('signature.refused');
  expect(o.pdf.pdf, label).toBeUndefined();
  expect(o.pdf.untouched, label).toBe(true);
  expect(o.checkpoint.bytes, label).toBeUndefined();
}

/** Every user's output verifies with our verifiers and with `openssl cms -verify`. */
async function expectVerified(o: Outcomes, pk: DevelopmentPki, label: string): Promise<void> {
  expect(o.record.error, `${label}: ${String(o.record.error)}`).toBeUndefined();
  expect(o.pdf.error, `${label}: ${String(o.pdf.error)}`).toBeUndefined();
  expect(o.checkpoint.error, `${label}: ${String(o.checkpoint.error)}`).toBeUndefined();
  const anchors = [pk.ca.certificate];
  expect((await createVerifier({ trustAnchors: anchors, now: () => at(60) }).verify(o.record.bytes!)).ok, label).toBe(true);
  expect((await verifyPdfSeal(o.pdf.pdf!, { trustAnchors: anchors, now: () => at(60) })).ok, label).toBe(true);
  expect((await verifySealedContent(o.checkpoint.bytes!, { trustAnchors: anchors, content: CHECKPOINT, now: () => at(60) })).ok, label).toBe(true);
  await withDir((dir) => {
    write(dir, {
      'ca.pem': pk.files['ca.pem'],
      'r.p7m': o.record.bytes!,
      'pdf.p7s': extractCms(o.pdf.pdf!, o.pdf.byteRange!),
      'covered.bin': coveredBytes(o.pdf.pdf!, o.pdf.byteRange!),
      'c.p7s': o.checkpoint.bytes!,
      'c.txt': CHECKPOINT,
    });
    expect(opensslCmsVerify(dir, 'r.p7m').stderr, `${label}: record`).toContain('Verification successful');
    expect(opensslCmsVerify(dir, 'pdf.p7s', { content: 'covered.bin' }).stderr, `${label}: PAdES`).toContain('Verification successful');
    expect(opensslCmsVerify(dir, 'c.p7s', { content: 'c.txt' }).stderr, `${label}: checkpoint`).toContain('Verification successful');
  });
}

describe('a seal key that changes after the sealer was made (SIG-3)', () => {
  it('a KMS alias moved to another key of the same algorithm: ERR_KEY_MISMATCH at seal, nothing sealed, written or traced as sealed', async () => {
    const o = await useEverywhere(() => afterCheck(good, (input) => otherKey.sign(input)));
    expectRefused(o, 'ERR_KEY_MISMATCH', 'other key');
    expect((o.record.error as SealError).kind).toBe('input');
    expect((o.record.error as SealError).messageIn('en')).toContain('no longer verifies with the certificate');
    // The SDK's own key, copied into a vendor's object with another sign: checked like any vendor's key.
    expectRefused(await useEverywhere(() => ({ ...good, sign: afterCheck(good, (input) => otherKey.sign(input)).sign })), 'ERR_KEY_MISMATCH', 'spread SDK key');
  });

  it('a Web Crypto key over an injected provider (a PKCS#11 or KMS shim) that starts signing with another key: refused at seal', async () => {
    const privateKey = await crypto.subtle.importKey('pkcs8', p.seal.privateKey as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
    ]);
    const make = (): SigningKey => {
      let calls = 0;
      const shim = {
        subtle: {
          digest: crypto.subtle.digest.bind(crypto.subtle),
          importKey: crypto.subtle.importKey.bind(crypto.subtle),
          verify: crypto.subtle.verify.bind(crypto.subtle),
          sign: async (alg: unknown, key: unknown, data: Uint8Array<ArrayBuffer>) =>
            calls++ === 0
              ? crypto.subtle.sign(alg as EcdsaParams, key as CryptoKey, data)
              : (otherKey.sign({ data, digest: async () => data }) as Promise<Uint8Array<ArrayBuffer>>).then((s) => s.buffer),
        },
      };
      return signingKeyFromCryptoKey(privateKey, { crypto: shim as unknown as CryptoProvider });
    };
    expectRefused(await useEverywhere(make), 'ERR_KEY_MISMATCH', 'injected provider');
  });
});

describe('a seal key whose answer is not a signature of the declared form (SIG-3)', () => {
  const after: Record<string, (input: SignInput) => Promise<unknown> | unknown> = {
    'DER while p1363 is declared': async (input) => toDer((await good.sign(input)) as Uint8Array),
    'one byte short': async (input) => ((await good.sign(input)) as Uint8Array).subarray(1),
    'empty Uint8Array': () => new Uint8Array(0),
    ArrayBuffer: async (input) => ((await good.sign(input)) as Uint8Array).slice().buffer,
    string: async (input) => Buffer.from((await good.sign(input)) as Uint8Array).toString('base64'),
    null: () => null,
    'the bytes to sign changed before signing': (input) => {
      input.data[input.data.length - 1]! ^= 1;
      return good.sign(input);
    },
  };
  for (const [label, answer] of Object.entries(after)) {
    it(`after the check, ${label}: ERR_KEY_MISMATCH (a detail), never a bare RangeError or TypeError nor a broken CMS`, async () => {
      const o = await useEverywhere(() => afterCheck(good, answer));
      expectRefused(o, 'ERR_KEY_MISMATCH', label);
    });
  }

  it('an RSA key that answers an ArrayBuffer (Web Crypto verifies it at the check): refused at once, not a broken CMS at every seal', async () => {
    const o = await useEverywhere(() => vendor(goodRsa, async (input) => ((await goodRsa.sign(input)) as Uint8Array).slice().buffer), rsa);
    for (const error of [o.record.error, o.pdf.error, o.checkpoint.error]) {
      expect(error).toMatchObject({ code: 'ERR_KEY_MISMATCH' });
      expect((error as SealError).messageIn('en')).toContain('sign returned ArrayBuffer instead of a Uint8Array');
    }
  });

  it('an ecdsaFormat getter that flips from p1363 to der after the check: read once, so every seal verifies, none is written broken', async () => {
    const make = (): SigningKey => {
      let reads = 0;
      return {
        algorithm: good.algorithm,
        get ecdsaFormat() {
          return reads++ === 0 ? 'p1363' : 'der';
        },
        sign: (input: SignInput) => good.sign(input),
      } as SigningKey;
    };
    // Read once at creation: p1363, which the key keeps answering. Every seal verifies.
    await expectVerified(await useEverywhere(make), p, 'format read once');
  });
});

describe('a seal key that fails or writes into its input (SIG-3)', () => {
  it('a sign that throws after the check (KMS throttled, network down): ERR_KEY_UNAVAILABLE with the cause, traced as refused', async () => {
    const kms = new Error('KMS ThrottlingException');
    const o = await useEverywhere(() =>
      afterCheck(good, () => {
        throw kms;
      }),
    );
    expectRefused(o, 'ERR_KEY_UNAVAILABLE', 'throws');
    for (const error of [o.record.error, o.pdf.error, o.checkpoint.error]) {
      expect(error).toMatchObject({ kind: 'unavailable', cause: kms });
      expect(isS3404Error(error)).toBe(true);
    }
    expect(SEAL_ERRORS.kind('ERR_KEY_UNAVAILABLE')).toBe('unavailable');
    expect(SEAL_ERRORS.message('ERR_KEY_UNAVAILABLE', {}, 'en')).toContain('nothing was sealed');
    // A rejected promise too; a SealError of the key (a PKCS#11 token's) passes as it is.
    expectRefused(await useEverywhere(() => afterCheck(good, () => Promise.reject(new TypeError('fetch failed')))), 'ERR_KEY_UNAVAILABLE', 'rejects');
    const token = new SealError('ERR_PKCS11_UNAVAILABLE', { params: { detail: 'CKR_DEVICE_ERROR' } });
    const own = await useEverywhere(() => afterCheck(good, () => Promise.reject(token)));
    expectRefused(own, 'ERR_PKCS11_UNAVAILABLE', 'coded');
    expect(own.record.error).toBe(token);
    // At the check, a key the KMS does not know stays ERR_KEY_MISMATCH (fix the configuration), its error as cause.
    await expect(createContentSigner({ key: vendor(good, () => Promise.reject(kms)), certificate: p.seal.certificate })).rejects.toMatchObject({
      code: 'ERR_KEY_MISMATCH',
      cause: kms,
    });
  });

  it('a key that wipes or overwrites the bytes it was given after signing: it got a copy, so every seal still verifies (OpenSSL too)', async () => {
    const wipe = (): SigningKey =>
      vendor(good, async (input) => {
        const signature = await good.sign(input);
        input.data.fill(0);
        return signature;
      });
    await expectVerified(await useEverywhere(wipe), p, 'wipe');
    // A KMS-like key: DER answers in a pooled Node Buffer, and the bytes it was given overwritten.
    const kmsLike = (): SigningKey =>
      vendor(
        good,
        async (input) => {
          const der = Buffer.from(Buffer.from(toDer((await good.sign(input)) as Uint8Array)).toString('base64'), 'base64');
          input.data.fill(0xaa);
          return der;
        },
        { ecdsaFormat: 'der' },
      );
    await expectVerified(await useEverywhere(kmsLike), p, 'kms-like');
  });
});

describe('a seal key whose algorithm the seal does not know (SIG-3)', () => {
  const cases: { label: string; rsa?: true; make: () => SigningKey }[] = [
    {
      label: 'an RSA kind misspelt (rsa-pkcs1-v1_5), the key signing PKCS#1 v1.5',
      rsa: true,
      make: () => vendor(goodRsa, (i) => goodRsa.sign(i), { algorithm: { kind: 'rsa-pkcs1-v1_5', hash: 'SHA-256' } }),
    },
    { label: 'SHA-1', make: () => vendor(good, (i) => good.sign(i), { algorithm: { kind: 'ecdsa', hash: 'SHA-1' } }) },
    { label: 'a hash in lower case', make: () => vendor(good, (i) => good.sign(i), { algorithm: { kind: 'ecdsa', hash: 'sha-256' } }) },
    { label: 'no algorithm', make: () => vendor(good, (i) => good.sign(i), { algorithm: null }) },
    { label: 'an ecdsaFormat of neither p1363 nor der', make: () => vendor(good, (i) => good.sign(i), { ecdsaFormat: 'raw' }) },
    {
      label: 'an algorithm getter that throws',
      make: () =>
        ({
          get algorithm(): never {
            throw new Error('config not loaded');
          },
          sign: (i: SignInput) => good.sign(i),
        }) as unknown as SigningKey,
    },
  ];
  for (const { label, rsa: isRsa, make } of cases) {
    it(`${label}: ERR_KEY_INVALID when the sealer is made, never a sealer that writes what no verifier accepts`, async () => {
      const certificate = isRsa ? rsa.seal.certificate : p.seal.certificate;
      for (const create of [
        () => fixture({ algorithm: isRsa ? 'rsa-2048' : 'ecdsa-p256', overrides: { key: make(), certificate } }),
        () => createPdfSealer({ key: make(), certificate }),
        () => createContentSigner({ key: make(), certificate }),
      ]) {
        const error = await create().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, `${label}: ${String(error)}`).toBeInstanceOf(SealError);
        expect((error as SealError).code, String(error)).toBe('ERR_KEY_INVALID');
      }
    });
  }
});

describe('a seal key that does not answer (SIG-3)', () => {
  /** A `sign` that never settles: a KMS call without a client timeout, an HSM session stuck on a network token. */
  const never = (): Promise<never> => new Promise<never>(() => undefined);

  it('a sign that never answers after the check: ERR_KEY_UNAVAILABLE once its timeoutMs has passed, traced as refused, never a seal that waits for ever', async () => {
    const t0 = performance.now();
    const o = await useEverywhere(() => afterCheck(good, never, { timeoutMs: 150 }));
    expectRefused(o, 'ERR_KEY_UNAVAILABLE', 'never answers');
    // Three users, each waiting 150 ms once: well under what "for ever" would be.
    expect(performance.now() - t0).toBeLessThan(10_000);
    for (const error of [o.record.error, o.pdf.error, o.checkpoint.error]) {
      expect(error).toMatchObject({ kind: 'unavailable' });
      expect((error as SealError).messageIn('fr')).toContain('150 ms');
      expect((error as SealError).messageIn('en')).toContain('no answer within 150 ms');
    }
  });

  it('an answer that comes after the time limit is dropped (a late rejection is no unhandled rejection); a slow answer within it seals', async () => {
    let late: (() => void) | undefined;
    const o = await useEverywhere(() =>
      afterCheck(
        good,
        () =>
          new Promise((_, reject) => {
            late = () => reject(new Error('KMS answered too late'));
            setTimeout(late, 300);
          }),
        { timeoutMs: 100 },
      ),
    );
    expectRefused(o, 'ERR_KEY_UNAVAILABLE', 'late');
    await new Promise((r) => setTimeout(r, 400)); // the late rejections land: vitest fails the run on an unhandled one
    expect(late).toBeDefined();
    const slow = await useEverywhere(() =>
      afterCheck(
        good,
        async (i) => {
          await new Promise((r) => setTimeout(r, 50));
          return good.sign(i);
        },
        { timeoutMs: 2_000 },
      ),
    );
    await expectVerified(slow, p, 'slow within the limit');
  });

  it('a key that does not answer its check when the sealer is made: ERR_KEY_UNAVAILABLE (retry later), not a mismatch', async () => {
    for (const create of [
      () => fixture({ algorithm: 'ecdsa-p256', overrides: { key: vendor(good, never, { timeoutMs: 100 }), certificate: p.seal.certificate } }),
      () => createPdfSealer({ key: vendor(good, never, { timeoutMs: 100 }), certificate: p.seal.certificate }),
      () => createContentSigner({ key: vendor(good, never, { timeoutMs: 100 }), certificate: p.seal.certificate }),
    ]) {
      await expect(create()).rejects.toMatchObject({ code: 'ERR_KEY_UNAVAILABLE', kind: 'unavailable' });
    }
  });

  for (const timeoutMs of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 600_001, '100', null]) {
    it(`a timeoutMs of ${String(timeoutMs)}: ERR_KEY_INVALID when the sealer is made`, async () => {
      for (const create of [
        () => fixture({ algorithm: 'ecdsa-p256', overrides: { key: vendor(good, (i) => good.sign(i), { timeoutMs }), certificate: p.seal.certificate } }),
        () => createPdfSealer({ key: vendor(good, (i) => good.sign(i), { timeoutMs }), certificate: p.seal.certificate }),
        () => createContentSigner({ key: vendor(good, (i) => good.sign(i), { timeoutMs }), certificate: p.seal.certificate }),
      ]) {
        await expect(create()).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
      }
    });
  }

  it('without timeoutMs a key is given 30 s: a hang is bounded by default', async () => {
    const signer = await createContentSigner({ key: afterCheck(good, never), certificate: p.seal.certificate, now: () => at(1) });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let settled: unknown;
      const pending = signer.sign(CHECKPOINT, { detached: true }).then(
        () => 'sealed',
        (e: unknown) => e,
      );
      void pending.then((v) => {
        settled = v;
      });
      await vi.advanceTimersByTimeAsync(29_990);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(20);
      expect(await pending).toMatchObject({ code: 'ERR_KEY_UNAVAILABLE' });
      expect((settled as SealError).messageIn('en')).toContain('no answer within 30000 ms');
    } finally {
      vi.useRealTimers();
    }
  });
});
