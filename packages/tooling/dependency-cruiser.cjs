// @ts-check
/**
 * The dependency graph of the s3404 packages, checked by dependency-cruiser
 * (`pnpm run check:graph`, through `check-graph.mjs`). It fails on:
 *
 *  - `no-circular`: any import cycle inside a package's `src` (type-only imports included);
 *  - `layering-<pkg>`: an import that breaks docs/conventions.md §1
 *      core ← form ← seal, core ← scor, core ← audit, all of them ← cli;
 *    `@s3404/tooling` is test and build plumbing: no `src` imports it;
 *  - `layering-unknown-package`: a package missing from the table below imports a sibling;
 *  - `no-relative-cross-package`: a relative path that leaves its package;
 *  - `only-public-entries`: an import of another package's file that is not one of its public
 *    entry points (`@s3404/x`, `@s3404/x/<subpath>` of its package.json `exports`);
 *  - `not-to-unresolvable`: an import that does not resolve — among them every deep import
 *    (`@s3404/x/src/…`, `@s3404/x/dist/…`), which the `exports` maps refuse.
 *
 * Tests, benchmarks and examples may import their own package freely and the public entry
 * points of the others. `@s3404/*` resolves through the `@s3404/source` export condition to
 * the packages' TypeScript sources, as in vitest and tsc.
 *
 * The graph root is the working directory (the repository root, or a fixture tree of the
 * self-test `check-graph-selftest.mjs`): the packages and their entry points are read from
 * `packages/*\/package.json` there.
 */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, posix } = require('node:path');

/** What each package's `src` may import among the workspace packages (docs/conventions.md §1). */
const { LAYERS } = require('./layers.cjs');

const root = process.cwd();
const packagesDir = join(root, 'packages');
/** @type {string[]} */
const packages = existsSync(packagesDir)
  ? readdirSync(packagesDir)
      .filter((d) => existsSync(join(packagesDir, d, 'package.json')))
      .sort()
  : [];

/** Escapes a path for a regular expression. */
const re = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every file a package's `exports` map points at, under any condition (`@s3404/source` for the
 * TypeScript sources, `types`, `default`…): each is a public entry point.
 * @param {unknown} target
 * @returns {string[]}
 */
const exportTargets = (target) => {
  if (typeof target === 'string') return [target];
  if (target === null || typeof target !== 'object') return [];
  return Object.values(target).flatMap(exportTargets);
};

const publicEntries = packages.flatMap((pkg) => {
  const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, 'package.json'), 'utf8'));
  return exportTargets(manifest.exports ?? {}).map((t) => posix.join('packages', pkg, t));
});
const PUBLIC_ENTRY = `^(${publicEntries.map(re).join('|')})$`;

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const layering = Object.entries(LAYERS).map(([pkg, allowed]) => {
  const forbidden = packages.filter((p) => p !== pkg && !allowed.includes(p));
  return {
    name: `layering-${pkg}`,
    comment: `@s3404/${pkg} may import ${allowed.length === 0 ? 'no other @s3404 package' : `only ${allowed.map((p) => `@s3404/${p}`).join(', ')}`} (docs/conventions.md §1)`,
    severity: 'error',
    from: { path: `^packages/${re(pkg)}/src/` },
    to: { path: `^(packages/(${forbidden.map(re).join('|') || '(?!)'})/|examples/)` },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle inside a package: move what both sides share to a third module (docs/conventions.md §1).',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    ...layering,
    {
      name: 'layering-unknown-package',
      comment: 'This package is not in the layering table of packages/tooling/dependency-cruiser.cjs: add it there and to docs/conventions.md §1.',
      severity: 'error',
      from: { path: '^packages/([^/]+)/src/', pathNot: `^packages/(${Object.keys(LAYERS).map(re).join('|')})/` },
      to: { path: '^(packages/(?!$1/)|examples/)' },
    },
    {
      name: 'no-relative-cross-package',
      comment: 'A relative import that leaves its package: import the other package by its public name (@s3404/x or @s3404/x/<subpath>).',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^(packages/(?!$1/)|examples/)', dependencyTypes: ['local'] },
    },
    {
      name: 'only-public-entries',
      comment: "Another package's internals: import only its public entry points (its package.json exports).",
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/(?!$1/)', pathNot: PUBLIC_ENTRY },
    },
    {
      name: 'examples-only-public-entries',
      comment: 'Examples import the packages as a user would: only their public entry points.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^packages/', pathNot: PUBLIC_ENTRY },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'This import does not resolve: a missing file, an undeclared dependency, or a deep import that the exports map of the package refuses.',
      severity: 'error',
      from: { path: '^(packages|examples)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The self-test's fixture trees are cruised on their own, from a copy (check-graph-selftest.mjs).
    exclude: { path: ['(^|/)(node_modules|dist|coverage|\\.tmp)/', '^packages/tooling/test-fixtures/'] },
    // `import type` counts: a type-only import of a sibling still couples the packages.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@s3404/source', 'types', 'import', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
