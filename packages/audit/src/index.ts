/**
 * `@s3404/audit` — Traces chaînées, conservation 24 mois, exports / hash-chained traces, retention, exports.
 *
 * Not yet available: this package is a placeholder so that the monorepo,
 * its build and its packaging checks are complete. It will implement
 * AUD-1…AUD-4 (see the SPEC) in its own issue (#5).
 *
 * @packageDocumentation
 */

/**
 * What this package offers today: `'planned'` until its requirements
 * (AUD-1…AUD-4) are implemented. Lets an integrator fail fast rather than
 * discover missing functions at run time.
 *
 * @public
 */
export const PACKAGE_STATUS: 'planned' | 'available' = 'planned';
