import { ERROR_KINDS, type ErrorKind } from './error-kind.js';
import { resolveLocale, type Locale } from './locale.js';
import { visibleText } from './visible-text.js';

/**
 * A word or phrase given in both languages, for a message parameter that is
 * language, not data (a type name, a field's description…). The catalogue
 * picks the message's language, so no French word reaches an English
 * message.
 *
 * @example
 * ```ts
 * SEAL_ERRORS.message('ERR_RECORD_INVALID', { detail: { fr: 'image absente', en: 'image missing' } }, 'en')
 * ```
 * @public
 */
export interface LocalizedText {
  readonly fr: string;
  readonly en: string;
}

/**
 * The values a message is built from: data (numbers, identifiers,
 * truncated received values) or {@link LocalizedText}. Never secrets.
 *
 * @public
 */
export type MessageParams = Readonly<Record<string, string | number | LocalizedText | undefined>>;

/** The parameters a template receives: every {@link LocalizedText} already resolved to the message's language. @public */
export type ResolvedParams = Readonly<Record<string, string | number | undefined>>;

/** A message in one language: fixed text, or built from its parameters. @public */
export type MessageTemplate = string | ((params: ResolvedParams) => string);

/**
 * One error code of a catalogue: its {@link ErrorKind} and its message
 * in French and in English.
 *
 * @public
 */
export interface ErrorDefinition {
  readonly kind: ErrorKind;
  readonly fr: MessageTemplate;
  readonly en: MessageTemplate;
}

/**
 * The codes of one package with their messages and kinds, made by
 * {@link defineErrors}. Every package exports its catalogue (`SEAL_ERRORS`,
 * `SCOR_ERRORS`…), so a vendor can list every code and translate or map it.
 *
 * @public
 */
export interface ErrorCatalog<C extends string = string> {
  /** Every code, in definition order. */
  readonly codes: readonly C[];
  /** The definitions, to compose a catalogue from another (`defineErrors({ ...CORE_ERRORS.definitions, … })`). */
  readonly definitions: Readonly<Record<C, ErrorDefinition>>;
  /** Whether `code` belongs to this catalogue. */
  has(code: unknown): code is C;
  /** The kind of a code; `internal` for a code the catalogue does not know. */
  kind(code: C): ErrorKind;
  /**
   * The message of a code in a language. `locale` follows the one
   * fallback rule ({@link resolveLocale}): anything but English is French.
   * An unknown code gives the code itself, never an exception.
   */
  message(code: C, params?: MessageParams, locale?: Locale | string): string;
}

const CODE = /^ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

/**
 * Defines a package's error catalogue: a typed union of its codes, one
 * message per language with one fallback rule, and a kind per code.
 * Checked once when the module loads: a code must look like `ERR_…`, have a
 * known kind and both messages.
 *
 * `import { defineErrors } from '@s3404/core'`
 *
 * @example
 * ```ts
 * export const SCOR_ERRORS = defineErrors({
 *   ERR_LOT_NOT_FOUND: { kind: 'verdict', fr: (p) => `Lot inconnu : ${p.lotId}.`, en: (p) => `Unknown lot: ${p.lotId}.` },
 * })
 * export type ScorErrorCode = (typeof SCOR_ERRORS.codes)[number]
 * SCOR_ERRORS.message('ERR_LOT_NOT_FOUND', { lotId: 'L1' }, 'en') // 'Unknown lot: L1.'
 * ```
 * @throws TypeError for a malformed definition (a programming error of the package).
 * @public
 */
export function defineErrors<const D extends Readonly<Record<string, ErrorDefinition>>>(definitions: D): ErrorCatalog<Extract<keyof D, string>> {
  type C = Extract<keyof D, string>;
  const codes = Object.keys(definitions) as C[];
  for (const code of codes) {
    const d = definitions[code] as ErrorDefinition | undefined;
    if (!CODE.test(code)) throw new TypeError(`defineErrors: ${code} is not an ERR_… code`);
    if (d === undefined || !ERROR_KINDS.includes(d.kind)) throw new TypeError(`defineErrors: ${code} has no valid kind`);
    for (const lang of ['fr', 'en'] as const) {
      const t = d[lang];
      if (typeof t !== 'function' && (typeof t !== 'string' || t === '')) throw new TypeError(`defineErrors: ${code} has no ${lang} message`);
    }
  }
  const table = Object.freeze({ ...definitions }) as unknown as Readonly<Record<C, ErrorDefinition>>;
  const has = (code: unknown): code is C => typeof code === 'string' && Object.hasOwn(table, code);
  return Object.freeze({
    codes: Object.freeze(codes),
    definitions: table,
    has,
    kind: (code: C): ErrorKind => (has(code) ? table[code].kind : 'internal'),
    message: (code: C, params: MessageParams = {}, locale?: Locale | string): string => {
      if (!has(code)) return String(code);
      const lang = resolveLocale(locale);
      const template = table[code][lang];
      return typeof template === 'string' ? template : template(resolveParams(params, lang));
    },
  });
}

/**
 * Resolves every {@link LocalizedText} of `params` to one language,
 * with every control character (C0, DEL, C1) of a text shown as U+FFFD: an
 * identifier read from a store, a file or a request never puts a line break
 * or a terminal escape into a message, whoever prints it.
 *
 * @public
 */
export function resolveParams(params: MessageParams, locale: Locale): ResolvedParams {
  const out: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(params)) {
    const text = v !== null && typeof v === 'object' ? v[locale] : v;
    out[k] = typeof text === 'string' ? visibleText(text) : text;
  }
  return out;
}
