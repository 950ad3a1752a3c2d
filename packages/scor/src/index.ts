/**
 * `@s3404/scor` — Contrôle des pièces justificatives et lots SCOR / PJ checks and SCOR lots.
 *
 * Not yet available: this package is a placeholder so that the monorepo,
 * its build and its packaging checks are complete. It will implement
 * SCOR-1…SCOR-3 (see the SPEC) in its own issue (#6).
 *
 * @packageDocumentation
 */

/**
 * What this package offers today: `'planned'` until its requirements
 * (SCOR-1…SCOR-3) are implemented. Lets an integrator fail fast rather than
 * discover missing functions at run time.
 *
 * @public
 */
export const PACKAGE_STATUS: 'planned' | 'available' = 'planned';
