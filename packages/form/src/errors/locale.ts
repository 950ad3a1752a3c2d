/**
 * Message language. French is the default everywhere in the SDK; English is
 * available for vendors' logs and foreign integrators (FORM-2, X-2).
 *
 * @public
 */
export type Locale = 'fr' | 'en';

/** The default locale of every message: French (FORM-2). @public */
export const DEFAULT_LOCALE: Locale = 'fr';
