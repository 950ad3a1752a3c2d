import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isS3404Error } from '@s3404/core';
import { checkPrintableText, contentHash, createBordereauId, parseBordereau } from '@s3404/form';
import { readSignatureSlots, renderBordereauPdf } from '@s3404/form/pdf';
import { createCapture, createCaptureContext, createConsumer, createVerifier, type ConsumptionStore, type SealedRecord } from '@s3404/seal';
import { applyAccountingDay, applySignature } from '@s3404/seal/apply';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { openConsumptionStore } from '@s3404/seal/stores';
import { accountingDayScope, RecordSignerSchema } from '@s3404/seal';
import { at, FINESS, fixture, makePng, prng, seededRandom, T0, type Fixture, CONTENT_HASH } from './helpers.js';
import { imageData, undecodablePngs, withImageData } from '@s3404/tooling/png-kit';

/**
 * Issue 14, the seal's part, through the public API: #5 (nothing that can fail
 * fails after a record is claimed), #6 (a durable store where single use is
 * promised), #13 (one text policy for printed names), #16 (a malformed
 * identifier is named as such, messages never say "undefined").
 *
 * "Sealed before the fix": a record whose image does not decode can no longer
 * be sealed, but records sealed by an earlier version may sit in a store. To
 * make one, the image check of `@s3404/form` is bypassed while sealing only
 * (`legacy.on`); verification and placement keep the real check.
 */
const legacy = vi.hoisted(() => ({ on: false }));
vi.mock('@s3404/form', async (importOriginal) => {
  const real = await importOriginal<typeof import('@s3404/form')>();
  return {
    ...real,
    checkSignatureImage: (bytes: Uint8Array, options?: Parameters<typeof real.checkSignatureImage>[1]) => {
      if (!legacy.on) return real.checkSignatureImage(bytes, options);
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { ok: true, issues: [], width: v.getUint32(16), height: v.getUint32(20) };
    },
  };
});

const EXAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/data/mco-chirurgie-pth.json'), 'utf8')) as Record<string, any>;

function exampleOf(id: string) {
  const b = structuredClone(EXAMPLE);
  b.id = id;
  b.establishment.finess = FINESS;
  return parseBordereau(b);
}

async function bordereauPdf(id: string): Promise<Uint8Array> {
  return (await renderBordereauPdf(exampleOf(id), { now: () => T0 })).bytes;
}

/** The content hash of the example bordereau `id` (what its PDF prints), {@link CONTENT_HASH} for the fixture's own. */
const hashOf = (id: string): string => (id === f.bordereauId ? CONTENT_HASH : contentHash(exampleOf(id)));

/** The PDF with the slot data of `slot` naming page `page` (1-based), the same number of bytes. */
function withSlotOnPage(pdf: Uint8Array, slot: string, page: number): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const from = `/Id (${slot})\n/Page 0`;
  const at = text.indexOf(from);
  expect(at, 'slot data in clear').toBeGreaterThan(0);
  return new Uint8Array(Buffer.from(text.replace(from, `/Id (${slot})\n/Page ${page - 1}`), 'latin1'));
}

async function sealFor(f: Fixture, bordereauId: string, image: Uint8Array, options: { legacy?: boolean } = {}): Promise<SealedRecord> {
  const ctx = await f.sealer.openContext({
    scope: { kind: 'bordereau', bordereauId, contentHash: hashOf(bordereauId) },
    role: 'insured',
    signer: { id: 'patient-1', name: 'Jeanne Martin' },
    terminalId: 'tablette-3',
  });
  legacy.on = options.legacy === true;
  try {
    return await f.sealer.seal(createCapture(ctx, { image, capturedAt: at(5) }));
  } finally {
    legacy.on = false;
  }
}

/** The error a promise rejects with (a test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Record<string, any>> {
  return promise.then(
    () => expect.unreachable('should have been refused'),
    (e: unknown) => e as Record<string, any>,
  );
}

function caught(fn: () => unknown): Record<string, any> {
  try {
    fn();
  } catch (e) {
    expect(isS3404Error(e), String(e)).toBe(true);
    return e as Record<string, any>;
  }
  return expect.unreachable('should have thrown');
}

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

describe('issue 14 #5 — an image that does not decode is refused at sealing', () => {
  it('refuses every PNG whose chunks and CRCs are valid but whose pixels do not decode: ERR_IMAGE_UNDECODABLE', async () => {
    for (const [why, png] of Object.entries(undecodablePngs(makePng()))) {
      await expect(sealFor(f, f.bordereauId, png), why).rejects.toMatchObject({ code: 'ERR_IMAGE_UNDECODABLE', kind: 'verdict' });
    }
    const e = await rejection(sealFor(f, f.bordereauId, undecodablePngs(makePng())['an unknown filter type']!));
    expect(e.message).toBe(
      "L'image de signature ne se décode pas (type de filtre 7 inconnu en début de ligne) : ses blocs sont intacts mais ses pixels sont abîmés (flux zlib, filtres de lignes ou taille) ; capturez la signature à nouveau.",
    );
  });

  it('says which dimensions are out of range, never "undefined" (issue 14 #16)', async () => {
    const e = await rejection(sealFor(f, f.bordereauId, makePng(8, 8)));
    expect(e).toMatchObject({ code: 'ERR_IMAGE_DIMENSIONS', params: { received: '8×8 px', expected: '16…4096 px' } });
    expect(e.message).toBe("Dimensions de l'image de signature hors limites : 8×8 px, attendu 16…4096 px.");
  });

  it('refuses a record sealed before the fix at verification, with the same code', async () => {
    const old = await sealFor(f, f.bordereauId, undecodablePngs(makePng())['a zlib header then garbage']!, { legacy: true });
    const verdict = await createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(10) }).verify(old.bytes);
    expect(verdict).toMatchObject({ ok: false, code: 'ERR_IMAGE_UNDECODABLE' });
  });
});

describe('issue 14 #5 — nothing that can fail fails after the claim', () => {
  it('refuses, before the claim, a pending record whose image does not decode: the record stays pending, no tombstone', async () => {
    const id = createBordereauId({ random: seededRandom(501) });
    const pdf = await bordereauPdf(id);
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    for (const [n, [why, png]] of Object.entries(undecodablePngs(makePng())).entries()) {
      const old = await sealFor(f, id, png, { legacy: true });
      await consumer.deposit(old);
      await expect(applySignature(consumer, { input: { recordId: old.recordId }, pdf, requestId: `r-${n}` }), why).rejects.toMatchObject({
        code: 'ERR_IMAGE_UNDECODABLE',
      });
      expect(await store.findTombstone({ recordId: old.recordId }), why).toBeNull();
      expect(await store.getPending(old.recordId), why).not.toBeNull();
    }
  });

  it('refuses, before the claim, slot data naming page 9 of a one-page PDF (a PDF that is no longer the SDK rendering: issue 16); the record then signs a sound PDF', async () => {
    const id = createBordereauId({ random: seededRandom(502) });
    const pdf = await bordereauPdf(id);
    const broken = withSlotOnPage(pdf, 'insured', 9);
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const sealed = await sealFor(f, id, makePng());
    await consumer.deposit(sealed);
    const input = { recordId: sealed.recordId };
    // Slot data rewritten in the PDF makes it another PDF than the SDK's rendering of its content: refused as such
    // (the placement's own page check, ERR_SLOT_INVALID, is tested in @s3404/form).
    await expect(applySignature(consumer, { input, pdf: broken, requestId: 'first', locale: 'en' })).rejects.toMatchObject({
      code: 'ERR_PDF_NOT_AUTHENTIC',
      kind: 'verdict',
    });
    expect(await store.findTombstone({ recordId: sealed.recordId })).toBeNull();
    // Still usable — by another request id, as nothing was claimed.
    const done = await applySignature(consumer, { input, pdf, requestId: 'second' });
    expect(done).toMatchObject({ status: 'applied', slot: 'insured', resumed: false });
    expect((await readSignatureSlots(done.status === 'applied' ? done.pdf : pdf)).missing).not.toContain('insured');
  });

  it('refuses a whole accounting day before the claim when one PDF has a slot off its pages', async () => {
    const ids = [511, 512].map((s) => createBordereauId({ random: seededRandom(s) }));
    const pdfs = await Promise.all(ids.map(bordereauPdf));
    const scope = accountingDayScope({ finess: FINESS, day: '2026-03-20', bordereaux: ids.map((id) => ({ bordereauId: id, contentHash: hashOf(id) })) });
    const ctx = await f.sealer.openContext({ scope, role: 'director', signer: { id: 'dir-1', name: 'M. Durand' }, terminalId: 't' });
    const day = await f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(5) }));
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    await consumer.deposit(day);
    const base = { input: { recordId: day.recordId }, day: '2026-03-20', finess: FINESS };
    await expect(applyAccountingDay(consumer, { ...base, pdfs: [pdfs[0]!, withSlotOnPage(pdfs[1]!, 'director', 3)], requestId: 'a' })).rejects.toMatchObject({
      code: 'ERR_PDF_NOT_AUTHENTIC',
    });
    expect(await store.findTombstone({ recordId: day.recordId })).toBeNull();
    expect((await applyAccountingDay(consumer, { ...base, pdfs, requestId: 'b' })).status).toBe('applied');
  });

  it('a store failing after the claim says the use is claimed, not "nothing was consumed"; the same request id finishes it', async () => {
    const id = createBordereauId({ random: seededRandom(503) });
    const pdf = await bordereauPdf(id);
    const inner = new MemoryConsumptionStore();
    let failComplete = true;
    // The memory store, whose `complete` fails like a dropped connection until told otherwise.
    const store = new Proxy(inner, {
      get(target, key) {
        if (key === 'complete') {
          return async (o: Parameters<ConsumptionStore['complete']>[0]) => {
            if (failComplete) throw new Error('connection reset');
            return target.complete(o);
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ConsumptionStore;
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), locale: 'en' });
    const sealed = await sealFor(f, id, makePng());
    await consumer.deposit(sealed);
    const input = { recordId: sealed.recordId };
    const saved: Uint8Array[] = [];
    const e = await rejection(applySignature(consumer, { input, pdf, requestId: 'job-7', save: (b) => void saved.push(b), locale: 'en' }));
    expect(e).toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
      kind: 'unavailable',
      params: { requestId: 'job-7', recordId: sealed.recordId, graceSeconds: 300, detail: 'ERR_STORE_UNAVAILABLE' },
    });
    expect(e.cause).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(e.message).toBe(
      `Signature ${sealed.recordId} claimed by request job-7 but its use did not complete (ERR_STORE_UNAVAILABLE): it is consumed for any other request id. To finish, call again with the same request id (job-7) and the same unsigned bordereau, within 300 s.`,
    );
    await expect(applySignature(consumer, { input, pdf, requestId: 'job-8' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    failComplete = false;
    const done = await applySignature(consumer, { input, pdf, requestId: 'job-7', save: (b) => void saved.push(b) });
    expect(done).toMatchObject({ status: 'applied', resumed: true });
    expect(saved).toHaveLength(2);
    expect(await inner.countPending()).toBe(0);
  });

  it('property: byte flips inside IDAT (CRCs fixed) never give a claim followed by a failure (120 images)', async () => {
    const id = createBordereauId({ random: seededRandom(504) });
    const pdf = await bordereauPdf(id);
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const base = makePng(120, 40);
    const zlib = imageData(base);
    const random = prng(1405);
    const outcomes = { refusedAtSealing: 0, refusedBeforeClaim: 0, placed: 0 };
    for (let i = 0; i < 120; i++) {
      const z = zlib.slice();
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) z[Math.floor(random() * z.length)] = Math.floor(random() * 256);
      // Half the time the flip is in the scanlines themselves, recompressed: a valid stream, maybe a bad filter byte.
      let png = withImageData(base, z);
      if (random() < 0.5) {
        const raw = new Uint8Array(inflateSync(zlib));
        for (let k = 1 + Math.floor(random() * 3); k > 0; k--) raw[Math.floor(random() * 40) * 121] = Math.floor(random() * 8);
        png = withImageData(base, new Uint8Array(deflateSync(raw)));
      }
      // Today's sealer: refuses, or seals an image that places.
      const now = await sealFor(f, id, png).catch((e: unknown) => e as Record<string, any>);
      if (!('bytes' in now)) {
        expect(String(now.code)).toMatch(/^ERR_IMAGE_(UNDECODABLE|NOT_PNG)$/);
        outcomes.refusedAtSealing++;
      }
      // A record sealed before the fix: refused before the claim (still pending, no tombstone), or placed.
      const old = await sealFor(f, id, png, { legacy: true });
      await consumer.deposit(old);
      try {
        const r = await applySignature(consumer, { input: { recordId: old.recordId }, pdf, requestId: `p-${i}` });
        expect(r.status).toBe('applied');
        expect('bytes' in now, 'placed although the sealer refuses it').toBe(true);
        outcomes.placed++;
      } catch (e) {
        expect((e as { code?: string }).code).not.toBe('ERR_CONSUME_INCOMPLETE');
        expect(await store.findTombstone({ recordId: old.recordId })).toBeNull();
        expect(await store.getPending(old.recordId)).not.toBeNull();
        expect('bytes' in now, 'refused at placement although sealed').toBe(false);
        outcomes.refusedBeforeClaim++;
      }
    }
    // Measured with this seed: 95 refused (at sealing today, before the claim for an old record), 25 placed.
    expect(outcomes.refusedBeforeClaim).toBeGreaterThan(20);
    expect(outcomes.placed).toBeGreaterThan(10);
    expect(outcomes.refusedAtSealing).toBe(outcomes.refusedBeforeClaim);
  });
});

describe('issue 14 #6 — a store that does not outlive the process is refused where single use is promised', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3404-durable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses memory: and an in-memory SQLite database with durable: true, and says why', async () => {
    for (const url of ['memory:', 'sqlite::memory:', 'MEMORY:']) {
      await expect(openConsumptionStore(url, { durable: true, locale: 'en' }), url).rejects.toMatchObject({ code: 'ERR_STORE_NOT_DURABLE', kind: 'input' });
    }
    const e = await rejection(openConsumptionStore('memory:', { durable: true, locale: 'en' }));
    expect(e.message).toBe(
      'Signature store not durable: "memory:": it vanishes with the process, so a signature could be used again by another process or after a restart; single use needs sqlite:PATH, postgres://… or redis://… (example: sqlite:./state/consumption.sqlite).',
    );
  });

  it('opens durable stores with durable: true, and memory: without it', async () => {
    const sqlite = await openConsumptionStore(`sqlite:${join(dir, 'c.sqlite')}`, { durable: true });
    await sqlite.close();
    const memory = await openConsumptionStore('memory:');
    await memory.close();
    await expect(openConsumptionStore('memory:', { durable: 'yes' as never })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('issue 14 #13 — one text policy for the names seal prints', () => {
  const scope = () => ({ kind: 'bordereau' as const, bordereauId: f.bordereauId, contentHash: f.contentHash });
  const names: [string, string][] = [
    ['Jeanne \u202eNITRAM', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ['\u2067Jeanne\u2069', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ['Jea\u200bnne', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ['Jeanne\u200f', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ['Jea\u00adnne', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ['   ', 'ERR_TEXT_EMPTY'],
    ['\u00a0\u2003', 'ERR_TEXT_EMPTY'],
    ['Jean\ufffde', 'ERR_TEXT_REPLACEMENT_CHAR'],
    ['Jeanne\tMartin', 'ERR_TEXT_CONTROL_CHAR'],
    ['Jeanne\u0085', 'ERR_TEXT_CONTROL_CHAR'],
    ['Μαρτίν', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ['J'.repeat(201), 'ERR_TEXT_TOO_LONG'],
  ];

  it('refuses each name with the code the bordereau fields give, at signer.name, on openContext and createCaptureContext', async () => {
    for (const [name, code] of names) {
      expect(checkPrintableText(name, { max: 200 }).ok ? 'ok' : (checkPrintableText(name, { max: 200 }) as { code: string }).code, JSON.stringify(name)).toBe(
        code,
      );
      const e = caught(() => createCaptureContext({ scope: scope(), role: 'insured', signer: { id: 'p', name }, terminalId: 't', locale: 'en' }));
      expect(e, JSON.stringify(name)).toMatchObject({ code, kind: 'input' });
      expect(e.issues).toEqual([{ code, path: ['signer', 'name'], message: e.message }]);
      await expect(
        f.sealer.openContext({ scope: scope(), role: 'insured', signer: { id: 'p', name }, terminalId: 't' }),
        JSON.stringify(name),
      ).rejects.toMatchObject({
        code,
      });
    }
    const e = caught(() =>
      createCaptureContext({ scope: scope(), role: 'insured', signer: { id: 'p', name: 'Jeanne \u202eNITRAM' }, terminalId: 't', locale: 'en' }),
    );
    // Named, never echoed: the override would turn the message around. The code means what it means on a
    // bordereau (one definition, form's); the field is in the issue's path and in params.field.
    expect(e.message).toBe('Character cannot be printed (U+202E, an invisible bidirectional control): only visible Latin characters are accepted.');
    expect(e.issues[0]?.path).toEqual(['signer', 'name']);
    expect(e.params['field']).toBeDefined();
  });

  it('still accepts the names a bordereau accepts', () => {
    for (const name of ['Jeanne Martin', 'Dr Élodie N’Diaye-Løkke', 'M. Œdipe Ærø', 'Zoë d’Artagnan']) {
      expect(checkPrintableText(name).ok, name).toBe(true);
      expect(createCaptureContext({ scope: scope(), role: 'insured', signer: { id: 'p', name }, terminalId: 't' }).display.signerName).toBe(name);
    }
  });

  it('refuses invisible characters in identifiers and references that reach traces', () => {
    for (const id of ['pat\u202eient', ' ', 'x\ufffd']) {
      expect(
        caught(() => createCaptureContext({ scope: scope(), role: 'insured', signer: { id, name: 'Jeanne' }, terminalId: 't' })).code,
        JSON.stringify(id),
      ).toBe('ERR_RECORD_INVALID');
    }
  });

  it('refuses an identifier or a name of millions of astral characters with a coded error, not a regex stack overflow', () => {
    const huge = '😀'.repeat(12_000_000);
    for (const signer of [
      { id: huge, name: 'Jeanne' },
      { id: 'p', name: huge },
    ]) {
      expect(RecordSignerSchema.safeParse(signer).success).toBe(false);
      const e = caught(() => createCaptureContext({ scope: scope(), role: 'insured', signer, terminalId: 't' }));
      expect(isS3404Error(e), String(e)).toBe(true);
    }
    expect(caught(() => createCaptureContext({ scope: scope(), role: 'insured', signer: { id: 'p', name: 'Jeanne' }, terminalId: huge })).code).toBe(
      'ERR_RECORD_INVALID',
    );
  });
});

describe('issue 14 #16 — a malformed bordereau identifier is named as malformed', () => {
  it('on openContext and createCaptureContext: ERR_BORDEREAU_ID_FORMAT / ERR_BORDEREAU_ID_CHECK, kind input', async () => {
    const signer = { id: 'p', name: 'Jeanne' };
    await expect(
      f.sealer.openContext({
        scope: { kind: 'bordereau', bordereauId: 'ABC-123', contentHash: CONTENT_HASH },
        role: 'insured',
        signer,
        terminalId: 't',
        locale: 'en',
      } as never),
    ).rejects.toMatchObject({ code: 'ERR_BORDEREAU_ID_FORMAT', kind: 'input' });
    const id = f.bordereauId;
    const altered = `${id.slice(0, 30)}${id[30] === '0' ? '1' : '0'}`;
    const e = caught(() =>
      createCaptureContext({
        scope: { kind: 'line', bordereauId: altered, contentHash: CONTENT_HASH, line: 1, practitionerRpps: '10003456786' },
        role: 'practitioner',
        signer,
        terminalId: 't',
        locale: 'en',
      }),
    );
    expect(e).toMatchObject({ code: 'ERR_BORDEREAU_ID_CHECK', kind: 'input' });
    expect(e.message).toMatch(/^Altered bordereau identifier: the check character should be /);
  });

  it('as the identifier a verification expects: a coded input error, not ERR_RECORD_WRONG_BORDEREAU', async () => {
    const sealed = await sealFor(f, f.bordereauId, makePng());
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    await expect(verifier.verify(sealed.bytes, { expect: { bordereauId: 'not-an-id' } })).rejects.toMatchObject({
      code: 'ERR_BORDEREAU_ID_FORMAT',
      kind: 'input',
    });
    expect(await verifier.verify(sealed.bytes, { expect: { bordereauId: createBordereauId({ random: seededRandom(9) }) } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_WRONG_BORDEREAU',
    });
    expect(await verifier.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId.toLowerCase() } })).toMatchObject({ ok: true });
  });
});
