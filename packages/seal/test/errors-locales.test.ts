import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, isS3404Error, type LocalizedText } from '@s3404/core';
import {
  accountingDayScope,
  createCaptureContext,
  dayBordereauxDigest,
  MemoryContextRegistry,
  readPemCertificates,
  readPemPrivateKey,
  verifyRecord,
} from '@s3404/seal';
import { SEAL_ERRORS, SealError, type SealErrorCode } from '@s3404/seal/errors';
import { openConsumptionStore } from '@s3404/seal/stores';
import { at, FINESS, fixture, sealInsured, T0, CONTENT_HASH } from './helpers.js';

/** Every parameter a seal message uses, language ones as LocalizedText. */
const detail: LocalizedText = { fr: 'détail en français', en: 'detail in English' };
const PARAMS = {
  detail,
  field: 'scope',
  expected: '16…4096 px',
  received: '8×8 px',
  limit: 100,
  bordereau: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H',
  person: 'p-42',
  role: 'director',
  reason: 'unknown-person',
  reference: 'MDT-1',
  rpps: '10003456786',
};

/** Marks of French in a text: accented letters, guillemets, a space before : ; ! ?, common French words. */
const FRENCH = /[àâçéèêëîïôûùüÿœæ«»]|\s[:;!?]|\b(le|la|les|des|du|une|est|pas|aucun|attendu|reçu|déjà|été|signature du)\b/i;

describe('SEAL_ERRORS: kinds, both languages, one fallback rule (X-2, conventions §3, §4)', () => {
  it('gives every code a kind, a French and an English message, for any locale, without throwing', () => {
    expect(SEAL_ERRORS.codes.length).toBeGreaterThan(40);
    for (const code of SEAL_ERRORS.codes) {
      expect(ERROR_KINDS).toContain(SEAL_ERRORS.kind(code));
      for (const params of [{}, PARAMS]) {
        const fr = SEAL_ERRORS.message(code, params, 'fr');
        const en = SEAL_ERRORS.message(code, params, 'en');
        expect(fr.length, code).toBeGreaterThan(10);
        expect(en, code).not.toMatch(FRENCH);
        expect(en, code).not.toContain('undefined');
        expect(fr, code).not.toContain('undefined');
        for (const other of ['de', 'fr-CA', 'xx', '', undefined]) expect(SEAL_ERRORS.message(code, params, other)).toBe(fr);
        expect(SEAL_ERRORS.message(code, params, 'en-GB')).toBe(en);
      }
    }
  });

  it('sorts the codes by what the caller should do', () => {
    const kind = (code: SealErrorCode) => SEAL_ERRORS.kind(code);
    for (const code of ['ERR_PEM_INVALID', 'ERR_KEY_INVALID', 'ERR_KEY_MISMATCH', 'ERR_STORE_URL_INVALID'] as const) expect(kind(code), code).toBe('input');
    for (const code of ['ERR_STORE_UNAVAILABLE', 'ERR_CONTEXT_REGISTRY_FULL'] as const) expect(kind(code), code).toBe('unavailable');
    expect(kind('ERR_STORE_CORRUPT')).toBe('internal');
    for (const code of [
      'ERR_RECORD_REPLAYED',
      'ERR_RECORD_WRONG_BORDEREAU',
      'ERR_AUTH_DENIED',
      'ERR_SEAL_SIGNATURE_INVALID',
      'ERR_SEAL_MALFORMED',
      'ERR_CERT_UNTRUSTED',
      'ERR_IMAGE_NOT_PNG',
    ] as const) {
      expect(kind(code), code).toBe('verdict');
    }
  });

  it('builds SealError from the catalogue: kind, params, English on request, French for an unknown locale', () => {
    const e = new SealError('ERR_AUTH_DENIED', { params: { person: 'p-42', role: 'director', reason: 'unknown-person' }, locale: 'de-DE' });
    expect(isS3404Error(e)).toBe(true);
    expect(e).toMatchObject({ name: 'SealError', code: 'ERR_AUTH_DENIED', kind: 'verdict', params: { reason: 'unknown-person' } });
    expect(e.message).toBe('Action non autorisée pour p-42 (director) : unknown-person.');
    expect(e.messageIn('en')).toBe('Action not authorised for p-42 (director): unknown-person.');
  });

  it('speaks English with no French word when asked, across the API', async () => {
    const english = async (run: () => unknown): Promise<SealError> => {
      try {
        await run();
      } catch (e) {
        expect(e).toBeInstanceOf(SealError);
        expect((e as Error).message).not.toMatch(FRENCH);
        return e as SealError;
      }
      throw new Error('expected a SealError');
    };
    expect((await english(() => readPemCertificates('x'.repeat(5 * 1024 * 1024), { locale: 'en' }))).message).toBe(
      'Unreadable PEM file: a "CERTIFICATE" block was expected (too large).',
    );
    expect(
      (await english(() => readPemPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'.repeat(2), { locale: 'en' }))).message,
    ).toContain('(several blocks)');
    expect((await english(() => dayBordereauxDigest([], { locale: 'en' }))).message).toBe('Invalid signature record (empty or too large set of bordereaux).');
    await english(() => accountingDayScope({ finess: FINESS, day: '20/03/2026', bordereaux: [{ bordereauId: 'x', contentHash: CONTENT_HASH }], locale: 'en' }));
    await english(() =>
      createCaptureContext({
        scope: { kind: 'bordereau', bordereauId: 'nope', contentHash: CONTENT_HASH },
        role: 'insured',
        signer: { id: 'p', name: 'P' },
        terminalId: 't',
        locale: 'en',
      }),
    );
    const url = await english(() => openConsumptionStore('ftp://example.org/store', { locale: 'en' }));
    expect(url).toMatchObject({ code: 'ERR_STORE_URL_INVALID', kind: 'input' });
    // The capture display follows English typography too; the legal words stay French.
    const ctx = createCaptureContext({
      scope: { kind: 'bordereau', bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'Jeanne Martin' },
      terminalId: 't',
      now: () => T0,
      locale: 'en',
    });
    expect(ctx.display.lines).toEqual([
      'Signature of 20/03/2026 11:00:00',
      'Bordereau 6R0ZQ-50K7C-AC6T4-JF0WA-04614-H',
      `Content SHA-256: ${CONTENT_HASH}`,
      'Insured person: Jeanne Martin',
    ]);
  });

  it('never throws for an unknown locale: French messages', async () => {
    const f = await fixture();
    const sealed = await sealInsured(f);
    const bad = Uint8Array.from(sealed.bytes);
    bad[bad.length - 5] = bad[bad.length - 5]! ^ 1;
    const verdict = await verifyRecord(bad, { trustAnchors: [f.pki.ca.certificate], now: () => at(60), locale: 'de' as never });
    expect(verdict).toMatchObject({ ok: false, code: 'ERR_SEAL_SIGNATURE_INVALID', message: 'La signature du cachet est invalide.' });
    expect(() => readPemCertificates('', { locale: 'xx' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_PEM_INVALID', message: expect.stringContaining('Fichier PEM illisible') }),
    );
  });

  it('reports a full context registry as ERR_CONTEXT_REGISTRY_FULL, kind unavailable', () => {
    const registry = new MemoryContextRegistry({ now: () => T0, maxEntries: 2, locale: 'en' });
    const open = () =>
      createCaptureContext({
        scope: { kind: 'bordereau', bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', contentHash: CONTENT_HASH },
        role: 'insured',
        signer: { id: 'p', name: 'P' },
        terminalId: 't',
        now: () => T0,
      });
    registry.register(open());
    registry.register(open());
    expect(() => registry.register(open())).toThrow(
      expect.objectContaining({ code: 'ERR_CONTEXT_REGISTRY_FULL', kind: 'unavailable', message: expect.stringContaining('at most 2') }),
    );
    expect(registry.take('unknown-nonce')).toBeNull();
  });
});
