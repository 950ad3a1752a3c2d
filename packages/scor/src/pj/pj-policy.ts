import { resolveLocale, type LocalizedText, type Locale } from '@s3404/core';
import { ScorError } from '../errors/scor-error.js';

/**
 * What a pièce justificative must satisfy (SCOR-1). Every field is
 * optional; the defaults are those of the SCOR texts where they give one
 * (200 dpi, A5) and the SDK's own elsewhere (see each field): the SCOR-CP
 * cahier des charges, with its exact limits, is not public.
 *
 * `import type { PjPolicy } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const policy: PjPolicy = { minDpi: 150, colour: 'grey', maxPages: 20 }
 * ```
 * @public
 */
export interface PjPolicy {
  /** Minimum effective resolution of scanned images, in dpi. Default 200 (SCOR conventions); 150 to 1200. */
  readonly minDpi?: number;
  /**
   * Which scans are accepted: `'colour'` (default) accepts grey-level and
   * colour scans; `'grey'` refuses colour scans (grey levels only).
   */
  readonly colour?: 'colour' | 'grey';
  /** Accept pure black-and-white (1-bit) scans. Default `true`. */
  readonly allowBilevel?: boolean;
  /** Most pages of one PJ. Default 50 (the SDK's choice); 1 to 1000. */
  readonly maxPages?: number;
  /** Largest PJ in bytes. Default 20 MiB (the SDK's choice); 1 KiB to 256 MiB. */
  readonly maxBytes?: number;
  /**
   * Share of the page an image must cover to count as a scan whose
   * resolution and colour are checked (signatures, logos and stamps are
   * smaller). Default 0.05 (5 %); above 0, at most 1.
   */
  readonly scanCoverage?: number;
  /**
   * Refuse PDFs the reader had to repair (damaged cross-reference table,
   * wrong stream lengths, damaged compressed data) instead of reporting a
   * warning. Default `false`: viewers open such files.
   */
  readonly strict?: boolean;
}

/** A policy with every default filled in (SCOR-1). @public */
export type ResolvedPjPolicy = { readonly [K in keyof PjPolicy]-?: NonNullable<PjPolicy[K]> };

/** The defaults of {@link PjPolicy} (SCOR-1). @public */
export const DEFAULT_PJ_POLICY: ResolvedPjPolicy = Object.freeze({
  minDpi: 200,
  colour: 'colour',
  allowBilevel: true,
  maxPages: 50,
  maxBytes: 20 * 1024 * 1024,
  scanCoverage: 0.05,
  strict: false,
});

const KEYS = new Set(Object.keys(DEFAULT_PJ_POLICY));

/**
 * Checks a policy and fills in its defaults (SCOR-1).
 *
 * `import { resolvePjPolicy } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * resolvePjPolicy({ minDpi: 150 }).minDpi // 150
 * ```
 * @throws {@link ScorError} `ERR_PJ_POLICY_INVALID` (kind `input`) for an unknown key or a value out of range; its message in `options.locale` (default French).
 * @public
 */
export function resolvePjPolicy(policy: PjPolicy = {}, options: { readonly locale?: Locale } = {}): ResolvedPjPolicy {
  const lang = resolveLocale(options.locale);
  const fail = (detail: LocalizedText | string): never => {
    throw new ScorError('ERR_PJ_POLICY_INVALID', { params: { detail }, locale: lang });
  };
  if (policy === null || typeof policy !== 'object') fail({ fr: 'un objet est attendu', en: 'an object is expected' });
  for (const key of Object.keys(policy))
    if (!KEYS.has(key) && key !== 'locale') fail({ fr: `option inconnue ${key.slice(0, 40)}`, en: `unknown option ${key.slice(0, 40)}` });
  const p = { ...DEFAULT_PJ_POLICY, ...stripUndefined(policy) };
  const range = (name: string, v: unknown, min: number, max: number, integer: boolean): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      const got = String(v).slice(0, 20);
      fail({
        fr: `${name} doit être ${integer ? 'un entier' : 'un nombre'} de ${min} à ${max} (reçu ${got})`,
        en: `${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${got})`,
      });
    }
  };
  range('minDpi', p.minDpi, 150, 1200, false);
  range('maxPages', p.maxPages, 1, 1000, true);
  range('maxBytes', p.maxBytes, 1024, 256 * 1024 * 1024, true);
  range('scanCoverage', p.scanCoverage, 1e-6, 1, false);
  if (p.colour !== 'colour' && p.colour !== 'grey') {
    const got = String(p.colour).slice(0, 20);
    fail({ fr: `colour vaut 'colour' ou 'grey' (reçu ${got})`, en: `colour is 'colour' or 'grey' (got ${got})` });
  }
  if (typeof p.allowBilevel !== 'boolean') fail('allowBilevel: boolean');
  if (typeof p.strict !== 'boolean') fail('strict: boolean');
  return Object.freeze({
    minDpi: p.minDpi,
    colour: p.colour,
    allowBilevel: p.allowBilevel,
    maxPages: p.maxPages,
    maxBytes: p.maxBytes,
    scanCoverage: p.scanCoverage,
    strict: p.strict,
  });
}

function stripUndefined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
