import { CORE_ERRORS, ERROR_KINDS, isS3404Error } from '@s3404/core';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkPj, jsonArlParser, resolvePjPolicy, safePackLot, verifyLot } from '@s3404/scor';
import { SCOR_ERRORS, ScorError, type ScorErrorCode } from '@s3404/scor/errors';

/**
 * every SCOR code has a kind and a message in French and English; an
 * unknown locale gives French; English output has no French word and uses
 * English typography.
 */
const FRENCH =
  /[àâçéèêëîïôûùüÿœ«»]|\b(?:le|la|les|du|des|une|est|pas|pour|avec|sur|reçu|refusée?|facture|fichier|tentative|positif|négatif|jours|conservation|délai|échec|racine|introuvable|illisible|absent|listé|octets|attendu|manquent)\b/i;
const FRENCH_TYPOGRAPHY = / [:;!?]|[«»]/;

/** Values for every parameter a SCOR message uses: data, and language as `{ fr, en }`. */
const PARAMS = {
  detail: { fr: 'détail en français', en: 'detail in English' },
  page: 2,
  image: 'Im0',
  bytes: 2048,
  limit: 1024,
  width: 105,
  height: 148,
  filter: 'JBIG2Decode',
  dpi: 150,
  min: 200,
  count: 2,
  invoice: '260100000',
  first: 1,
  bordereau: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H',
  kinds: 'annex, s3404',
  file: 'pj/260100000/01-s3404.pdf',
  found: '750300360',
  expected: '690008420',
  missing: 'insured',
  lotId: '690008420-042-0123456789ab',
  state: 'sent',
  action: 'purge',
  b2LotNumber: '042',
  until: '2026-06-01T09:00:00.000Z',
  received: '"x"',
  example: '750712184',
  path: 'out/lot.zip',
  reason: 'EACCES',
  listed: 4096,
  sha256: 'ab'.repeat(32),
  read: 1024,
};

describe('SCOR_ERRORS (X-2)', () => {
  it('gives every code a kind, and messages in French and English', () => {
    expect(SCOR_ERRORS.codes.length).toBeGreaterThan(50);
    for (const code of SCOR_ERRORS.codes) {
      expect(ERROR_KINDS, code).toContain(SCOR_ERRORS.kind(code));
      const fr = SCOR_ERRORS.message(code, PARAMS, 'fr');
      const en = SCOR_ERRORS.message(code, PARAMS, 'en');
      expect(fr, code).not.toBe(en);
      expect(en, `${code}: ${en}`).not.toMatch(FRENCH);
      expect(en, `${code}: ${en}`).not.toMatch(FRENCH_TYPOGRAPHY);
      expect(`${fr} ${en}`, code).not.toContain('undefined');
      expect(SCOR_ERRORS.message(code, PARAMS, 'de'), code).toBe(fr);
      expect(SCOR_ERRORS.message(code, PARAMS, undefined), code).toBe(fr);
      expect(SCOR_ERRORS.message(code, PARAMS, 'en_GB.UTF-8'), code).toBe(en);
    }
  });

  it("reports core's identifier codes with core's own texts, and the file writer's", () => {
    for (const code of ['ERR_BORDEREAU_ID_FORMAT', 'ERR_BORDEREAU_ID_CHECK', 'ERR_FINESS_FORMAT', 'ERR_FINESS_KEY', 'ERR_FILE_UNWRITABLE'] as const) {
      expect(SCOR_ERRORS.definitions[code]).toBe(CORE_ERRORS.definitions[code]);
    }
  });

  it('says what a manifest mismatch is in each language, keeping its token in params', () => {
    const mismatch = (detail: string, lang: string): string =>
      SCOR_ERRORS.message('ERR_LOT_MANIFEST_MISMATCH', { file: 'pj/1/02-annexe.pdf', detail, bytes: 10, listed: 12 }, lang);
    expect(['absent', 'not listed', 'SHA-256', 'size', 'signature'].map((d) => mismatch(d, 'en'))).toEqual([
      'File pj/1/02-annexe.pdf of the lot does not match its manifest (missing from the container).',
      'File pj/1/02-annexe.pdf of the lot does not match its manifest (not listed in the manifest).',
      'File pj/1/02-annexe.pdf of the lot does not match its manifest (different SHA-256 digest).',
      'File pj/1/02-annexe.pdf of the lot does not match its manifest (10 bytes, 12 listed).',
      'File pj/1/02-annexe.pdf of the lot does not match its manifest (invalid signature).',
    ]);
    expect(mismatch('size', 'fr')).toBe('Le fichier pj/1/02-annexe.pdf du lot ne correspond pas à son manifeste (10 octets, 12 listés).');
  });

  it('makes ScorError an S3404Error with its kind, in either language', () => {
    const e = new ScorError('ERR_LOT_STORE_UNAVAILABLE', { params: { detail: 'postgres get: ECONNREFUSED' }, cause: new Error('x') });
    expect(isS3404Error(e)).toBe(true);
    expect(e).toMatchObject({
      name: 'ScorError',
      code: 'ERR_LOT_STORE_UNAVAILABLE',
      kind: 'unavailable',
      message: 'Stockage des lots indisponible (postgres get: ECONNREFUSED).',
    });
    expect(e.messageIn('en')).toBe('Lot store unavailable (postgres get: ECONNREFUSED).');
    const kinds = (codes: readonly ScorErrorCode[]): string[] => codes.map((c) => SCOR_ERRORS.kind(c));
    expect(kinds(['ERR_LOT_REFUSED', 'ERR_PJ_RESOLUTION_TOO_LOW', 'ERR_LOT_STATE'])).toEqual(['verdict', 'verdict', 'verdict']);
    expect(kinds(['ERR_ARL_INVALID', 'ERR_SCOR_OPTIONS_INVALID', 'ERR_PJ_POLICY_INVALID', 'ERR_LOT_INVALID'])).toEqual(['input', 'input', 'input', 'input']);
    expect(kinds(['ERR_LOT_STORE_UNAVAILABLE', 'ERR_LOT_CONFLICT', 'ERR_LOT_STORE_CORRUPT'])).toEqual(['unavailable', 'unavailable', 'internal']);
  });
});

describe('English output of the SCOR functions has no French (X-2)', () => {
  const english = (messages: readonly string[]): void => {
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).not.toMatch(FRENCH);
      expect(m).not.toMatch(FRENCH_TYPOGRAPHY);
    }
  };
  const thrown = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('did not throw');
  };

  it('in PJ checks and policies', () => {
    english(checkPj(new Uint8Array(0), { locale: 'en' }).issues.map((i) => i.message));
    english(checkPj(new TextEncoder().encode('%PDF-1.7\ngarbage'), { locale: 'en' }).issues.map((i) => i.message));
    english([
      thrown(() => resolvePjPolicy({ minDpi: 10 }, { locale: 'en' })),
      thrown(() => resolvePjPolicy({ colour: 'sepia' as never }, { locale: 'en' })),
      thrown(() => resolvePjPolicy({ dpi: 300 } as never, { locale: 'en' })),
    ]);
    expect(thrown(() => resolvePjPolicy({ minDpi: 10 }))).toBe('Politique de contrôle des PJ invalide : minDpi doit être un nombre de 150 à 1200 (reçu 10).');
  });

  it('in lot descriptions, FINESS and bordereau identifiers included', async () => {
    const description = {
      finess: '690008421',
      b2LotNumber: 'A12',
      invoices: [{ invoiceNumber: '-bad', bordereauId: 'not-an-id', pj: [] }],
    };
    const bad = await safePackLot(description, { files: {}, locale: 'en' });
    expect(!bad.ok && bad.issues.map((i) => i.message)).toEqual([
      'Invalid lot description (b2LotNumber: B2 lot number: 1 to 9 digits (e.g. 042)).',
      'Invalid lot description (invoices.0.invoiceNumber: invoice number: 1 to 32 characters, digits, letters, - or _ (e.g. 260004512)).',
    ]);
    const ids = await safePackLot(
      { ...description, b2LotNumber: '042', invoices: [{ ...description.invoices[0]!, invoiceNumber: '260100000' }] },
      { files: {}, locale: 'en' },
    );
    expect(!ids.ok && ids.issues.map((i) => [i.code, i.message])).toEqual([
      ['ERR_LOT_INVALID', 'Invalid lot description (Wrong FINESS key: expected 0; received 1 (Luhn key)).'],
      [
        'ERR_LOT_INVALID',
        'Invalid lot description (Malformed bordereau identifier: expected 6 Crockford base-32 groups separated by hyphens; received "not-an-id" (example: 6R0ZQ-50K7C-AC6T4-JF0WA-04614-H)).',
      ],
      ['ERR_LOT_INVOICE_WITHOUT_PJ', 'Invoice 260100000 without a PJ: at least the signed S3404 is expected.'],
    ]);
    const fr = await safePackLot({ ...description, invoices: [] }, { files: {} });
    expect(!fr.ok && fr.issues[0]?.message).toBe('Description de lot invalide (b2LotNumber : numéro de lot B2 : 1 à 9 chiffres (ex. 042)).');
  });

  it('in ARLs and lot containers', async () => {
    const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
    english([
      thrown(() => jsonArlParser.parse(enc({ format: 's3404-arl-json/1', kind: 'pj' }), { locale: 'en' })),
      thrown(() => jsonArlParser.parse(new Uint8Array(70_000), { locale: 'en' })),
    ]);
    const manifestless = zipSync({ 'pj/x.pdf': new Uint8Array(3) });
    const huge = await verifyLot(manifestless, { locale: 'en', maxBytes: 1 });
    const forged = await verifyLot(zipSync({ 'manifest.json': enc({ format: 's3404-scor-lot', version: 1 }) }), { locale: 'en' });
    const missing = await verifyLot(manifestless, { locale: 'en' });
    english([...huge.issues, ...forged.issues, ...missing.issues].map((i) => i.message));
    expect(missing.issues.map((i) => i.message)).toEqual(['Invalid lot manifest (manifest.json missing).']);
  });
});
