/**
 * Message language. French is the default everywhere in the SDK; English is
 * available for vendors' logs and foreign integrators.
 *
 * @public
 */
export type Locale = 'fr' | 'en';

/** The default locale of every message (French). */
export const DEFAULT_LOCALE: Locale = 'fr';
