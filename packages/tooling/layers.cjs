// @ts-check
/**
 * The layering of docs/conventions.md §1, as data: which workspace packages each package may
 * depend on (imports of its `src`, and `dependencies` / `peerDependencies` /
 * `optionalDependencies` of its package.json). Read by dependency-cruiser.cjs and
 * check-graph.mjs. A package missing from this table may depend on no sibling.
 *
 *   @s3404/core ← @s3404/form ← @s3404/seal
 *   @s3404/core ← @s3404/scor
 *   @s3404/core ← @s3404/audit
 *   @s3404/core ← @s3404/capture
 *   @s3404/core ← @s3404/conformance (its root entry takes the SDK under test as a parameter;
 *                 its `/sdk`, `/contracts` and `/artifacts` subpaths wire the SDK's own packages in)
 *   all of them ← @s3404/cli
 *
 * `@s3404/tooling` is test and build plumbing: packages use it in their tests and
 * configuration (devDependencies), never in `src`.
 *
 * @type {Record<string, string[]>}
 */
const LAYERS = {
  core: [],
  form: ['core'],
  seal: ['core', 'form'],
  scor: ['core'],
  audit: ['core'],
  capture: ['core'],
  conformance: ['core', 'form', 'seal', 'scor', 'audit'],
  cli: ['core', 'form', 'seal', 'scor', 'audit', 'capture', 'conformance'],
  tooling: [],
};

module.exports = { LAYERS };
