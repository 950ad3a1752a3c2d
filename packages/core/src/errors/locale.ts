/**
 * The language of a message. French is the default everywhere in the SDK;
 * English is available for vendors' logs and foreign integrators (X-2).
 *
 * `import type { Locale } from '@s3404/core'`
 *
 * @public
 */
export type Locale = 'fr' | 'en';

/** The default language of every message: French. @public */
export const DEFAULT_LOCALE: Locale = 'fr';

/** Every language the SDK speaks. @public */
export const LOCALES: readonly Locale[] = Object.freeze(['fr', 'en'] as const);

/**
 * The one fallback rule of the SDK: `'en'` and its regional or POSIX
 * forms (`'en-GB'`, `'en_US.UTF-8'`, any case) give English; anything else —
 * `undefined`, `'fr'`, `'fr-CA'`, an unknown language, a non-string — gives
 * French, the default. Never throws, so a locale read from an environment
 * variable or a request header is safe to pass as is.
 *
 * `import { resolveLocale } from '@s3404/core'`
 *
 * @example
 * ```ts
 * resolveLocale(process.env.S3404_LANG) // 'fr' unless it starts with "en"
 * resolveLocale('en_GB.UTF-8')          // 'en'
 * resolveLocale('de')                   // 'fr'
 * ```
 * @public
 */
export function resolveLocale(value: unknown): Locale {
  return typeof value === 'string' && /^en(?:$|[-_.@])/i.test(value) ? 'en' : DEFAULT_LOCALE;
}
