/**
 * `@s3404/seal` — Contexte de capture, enregistrements de signature scellés (CMS), consommation unique / capture context, CMS-sealed signature records, single use.
 *
 * Not yet available: this package is a placeholder so that the monorepo,
 * its build and its packaging checks are complete. It will implement
 * SIG-1…SIG-10 (see the SPEC) in its own issue (#3).
 *
 * @packageDocumentation
 */

/**
 * What this package offers today: `'planned'` until its requirements
 * (SIG-1…SIG-10) are implemented. Lets an integrator fail fast rather than
 * discover missing functions at run time.
 *
 * @public
 */
export const PACKAGE_STATUS: 'planned' | 'available' = 'planned';
