import { describe, expect, it } from 'vitest';
import { CORE_ERRORS, ERROR_KINDS, type ErrorCatalog } from '@s3404/core';
import { FORM_ERRORS } from '@s3404/form/errors';
import { SEAL_ERRORS } from '@s3404/seal/errors';
import { SCOR_ERRORS } from '@s3404/scor/errors';
import { AUDIT_ERRORS } from '@s3404/audit/errors';
import { CLI_ERRORS } from '@s3404/cli';
import { CONFORMANCE_ERRORS } from '@s3404/conformance/errors';

/**
 * X-2, docs/conventions.md §3–4: every code of every catalogue of the SDK has a
 * kind and a message in French and in English; an unknown locale gives French;
 * and no French reaches English output. The CLI is the one package that sees
 * every catalogue, so the check lives here.
 */
const CATALOGUES: Record<string, ErrorCatalog> = {
  core: CORE_ERRORS,
  form: FORM_ERRORS,
  seal: SEAL_ERRORS,
  scor: SCOR_ERRORS,
  audit: AUDIT_ERRORS,
  conformance: CONFORMANCE_ERRORS,
  cli: CLI_ERRORS,
};

/** Every parameter a code's templates read (`p.name` in their source), as a neutral value: each template is read whole. */
function paramsOf(catalogue: ErrorCatalog, code: string): Record<string, number> {
  const d = (catalogue.definitions as Record<string, { fr: unknown; en: unknown }>)[code]!;
  const names = new Set<string>();
  for (const t of [d.fr, d.en]) if (typeof t === 'function') for (const m of t.toString().matchAll(/\b\w+\.(\w+)/g)) names.add(m[1]!);
  return Object.fromEntries([...names].map((n) => [n, 42]));
}

/** Words and typography that only French has (domain terms such as "bordereau", FINESS, NIR are allowed). */
const FRENCH =
  /\b(le|la|les|des|du|une|est|sont|pas|aucune?|avec|pour|sans|dans|sur|attendu|reçu|fichier|illisible|invalide|mal|formé|clé|chiffres?|caractères?|octets?|entrée|sortie|ligne|journée|comptable|signataire|praticien|assuré|directeur|indisponible|réessayez|contrôle|selon|au|aux|ou|et|ni|ne|ce|cette|ces|il|elle|qui|que)\b|[éèêëàâçùûôîïœ«»\u202f]| [:;!?](?:\s|$)/i;

describe('X-2 error catalogues', () => {
  for (const [name, catalogue] of Object.entries(CATALOGUES)) {
    it(`${name}: every code has a kind, a French and an English message, and French for an unknown locale`, () => {
      expect(catalogue.codes.length).toBeGreaterThan(0);
      for (const code of catalogue.codes) {
        expect(code).toMatch(/^ERR_[A-Z0-9_]+$/);
        expect(ERROR_KINDS, code).toContain(catalogue.kind(code));
        const params = paramsOf(catalogue, code);
        const fr = catalogue.message(code, params, 'fr');
        const en = catalogue.message(code, params, 'en');
        expect(fr, code).not.toBe(code);
        expect(en, code).not.toBe(code);
        expect(fr, code).not.toBe(en);
        expect(catalogue.message(code, params, 'de'), code).toBe(fr);
        expect(catalogue.message(code, params, undefined), code).toBe(fr);
        expect(en, `${name} ${code}: "${en}"`).not.toMatch(FRENCH);
        expect(en, code).not.toMatch(/undefined|\[object Object\]/);
        expect(fr, code).not.toMatch(/undefined|\[object Object\]/);
      }
    });
  }

  it('a code means one thing everywhere: shared codes share their definition', () => {
    const seen = new Map<string, unknown>();
    for (const catalogue of Object.values(CATALOGUES)) {
      for (const code of catalogue.codes) {
        const definition = (catalogue.definitions as Record<string, unknown>)[code];
        if (seen.has(code)) expect(definition, code).toBe(seen.get(code));
        else seen.set(code, definition);
      }
    }
  });
});
