// Checks the dependency graph of the packages (docs/conventions.md §1), `pnpm run check:graph`:
//  1. dependency-cruiser with dependency-cruiser.cjs over packages/ and examples/: no import cycle
//     in any `src`, no import breaking the layering, no import of another package's internals,
//     no unresolvable import;
//  2. the packages' manifests: `dependencies`, `peerDependencies` and `optionalDependencies` on
//     @s3404 packages follow the same layering (layers.cjs), so the published graph is the
//     checked one.
// Usage: node packages/tooling/check-graph.mjs [--root DIR]   (DIR: the repository root by default;
// the self-test points it at fixture trees). Exit 0 when the graph is clean, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { LAYERS } = require('./layers.cjs');
const here = import.meta.dirname;
const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(values.root ?? join(here, '../..'));
const config = join(here, 'dependency-cruiser.cjs');
// A root devDependency of the monorepo (its exports map hides package.json, so no require.resolve).
const depcruise = join(here, '../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

let failed = false;

// 1. Imports.
const targets = ['packages', 'examples'].filter((d) => existsSync(join(root, d)));
const cruise = spawnSync(process.execPath, [depcruise, '--config', config, '--output-type', 'err-long', ...targets], { cwd: root, encoding: 'utf8' });
process.stdout.write(cruise.stdout);
process.stderr.write(cruise.stderr);
if (cruise.status !== 0) failed = true;

// 2. Manifests.
const packages = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));
const byName = new Map(packages.map((dir) => [JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name, dir]));
const manifestErrors = [];
for (const dir of packages) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  const allowed = LAYERS[dir] ?? [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      const sibling = byName.get(name);
      if (sibling === undefined || sibling === dir || allowed.includes(sibling)) continue;
      manifestErrors.push(
        `  error layering-manifest: packages/${dir}/package.json ${field} has ${name}, but @s3404/${dir} may depend on ${allowed.length === 0 ? 'no other @s3404 package' : `only ${allowed.map((p) => `@s3404/${p}`).join(', ')}`} (docs/conventions.md §1; tests may use devDependencies)`,
      );
    }
  }
}
if (manifestErrors.length > 0) {
  failed = true;
  console.error(`\n${manifestErrors.join('\n')}\n\nx ${manifestErrors.length} manifest dependencies break the layering.`);
} else {
  console.log('✔ package.json dependencies follow the layering.');
}

if (failed) {
  console.error('\ncheck:graph failed — layering and rules: packages/tooling/dependency-cruiser.cjs, docs/conventions.md §1');
  process.exit(1);
}
console.log('check:graph passed: no cycle, layering respected, only public entry points imported.');
