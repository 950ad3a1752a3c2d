import { CORE_ERRORS } from '../errors/core-errors.js';
import { truncateForMessage } from '../errors/truncate.js';
import { randomBytes, resolveRandom, type RandomSource } from '../random.js';
import { identifierCheck, type IdentifierCheck, type IdentifierCheckOptions, type IdentifierProblem } from './identifier-check.js';

/** Crockford base-32 alphabet (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Crockford check symbols: the 32 digits then `*~$=U` for values 32–36. */
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;
/** Random payload: 25 base-32 characters = 125 random bits (≥ 122 required). */
const PAYLOAD_CHARS = 25;
/** The printed form: 5 groups of 5 characters and the check symbol. */
const ID_SHAPE = /^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$/;
const EXAMPLE = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';

/**
 * The unique, unguessable identifier of a bordereau (FORM-3): 125 random bits
 * written as 25 Crockford base-32 characters in groups of five, followed by a
 * Crockford mod-37 check symbol, e.g. `6R0ZQ-50K7C-AC6T4-JF0WA-04614-H`.
 * It is printed on every page and bound into every signature record.
 *
 * @public
 */
export type BordereauId = string;

/** Options of {@link createBordereauId} (FORM-3). @public */
export interface CreateBordereauIdOptions {
  /**
   * Where the random bits come from. Default: the platform's Web Crypto
   * `crypto.getRandomValues` (CSPRNG). Inject a seeded source only in tests.
   */
  readonly random?: RandomSource;
}

function checkSymbol(payload: string): string {
  let value = 0n;
  for (const ch of payload) value = value * 32n + BigInt(ALPHABET.indexOf(ch));
  return CHECK_SYMBOLS[Number(value % 37n)]!;
}

/**
 * Creates a new bordereau identifier from 125 bits of a CSPRNG (FORM-3).
 *
 * `import { createBordereauId } from '@s3404/core'` (also from `@s3404/form`)
 *
 * @example
 * ```ts
 * const id = createBordereauId() // '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H'
 * ```
 * @throws TypeError when no random source is available or it returns too few bytes.
 * @public
 */
export function createBordereauId(options: CreateBordereauIdOptions = {}): BordereauId {
  const bytes = randomBytes(resolveRandom(options.random), 16);
  let bits = 0n;
  for (let i = 0; i < 16; i++) bits = (bits << 8n) | BigInt(bytes[i]!);
  bits >>= 3n; // keep 125 bits
  let payload = '';
  for (let i = 0; i < PAYLOAD_CHARS; i++) {
    payload = ALPHABET[Number(bits & 31n)] + payload;
    bits >>= 5n;
  }
  const groups = payload.match(/.{5}/g)!;
  return `${groups.join('-')}-${checkSymbol(payload)}`;
}

/**
 * The problem of a bordereau identifier in its canonical printed form, or
 * `null` when valid (FORM-3): the building block of {@link checkBordereauId}.
 *
 * @public
 */
export function bordereauIdProblem(id: unknown): IdentifierProblem {
  if (typeof id !== 'string' || !ID_SHAPE.test(id)) {
    return { code: 'ERR_BORDEREAU_ID_FORMAT', params: { received: truncateForMessage(id), example: EXAMPLE } };
  }
  const expected = checkSymbol(id.slice(0, 29).replaceAll('-', ''));
  return expected === id[30] ? null : { code: 'ERR_BORDEREAU_ID_CHECK', params: { expected, received: id[30] } };
}

/**
 * Checks a bordereau identifier in its canonical printed form (FORM-3):
 * `ERR_BORDEREAU_ID_FORMAT` for a malformed one, `ERR_BORDEREAU_ID_CHECK`
 * for a mistyped or altered one.
 *
 * `import { checkBordereauId } from '@s3404/core'` (also from `@s3404/form`)
 *
 * @example
 * ```ts
 * checkBordereauId('6R0ZQ-50K7C-AC6T4-JF0WA-04614-H').ok // true
 * ```
 * @public
 */
export function checkBordereauId(id: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(CORE_ERRORS, bordereauIdProblem(id), options);
}

/**
 * Reads an identifier typed or read aloud by a person: ignores case, spaces
 * and hyphens, and maps the Crockford look-alikes (`I`/`L` → `1`, `O` → `0`)
 * (FORM-3). Returns the canonical form, or `null` when it is not a valid
 * identifier (wrong length or check symbol).
 *
 * `import { normalizeBordereauId } from '@s3404/core'` (also from `@s3404/form`)
 *
 * @example
 * ```ts
 * normalizeBordereauId('6r0zq 50k7c ac6t4 jf0wa o4614 h') // '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H'
 * ```
 * @public
 */
export function normalizeBordereauId(text: unknown): BordereauId | null {
  if (typeof text !== 'string' || text.length > 64) return null;
  const compact = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== PAYLOAD_CHARS + 1) return null;
  const candidate = `${compact.slice(0, 25).match(/.{5}/g)!.join('-')}-${compact[25]}`;
  return bordereauIdProblem(candidate) === null ? candidate : null;
}
