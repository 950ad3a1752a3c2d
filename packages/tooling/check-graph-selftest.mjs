// Proves that the graph check fails where it must (`pnpm run check:graph:selftest`): runs
// check-graph.mjs on the fixture trees of test-fixtures/graph/ (see its README) and checks
// that the clean tree passes and that each broken tree fails with exactly the expected rules.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const fixtures = join(here, 'test-fixtures', 'graph');

/** case → the rules its violations must name (exactly these); none for the clean tree. */
const CASES = {
  base: [],
  cycle: ['no-circular'],
  layering: ['layering-audit', 'layering-manifest', 'layering-scor'],
  internals: ['examples-only-public-entries', 'no-relative-cross-package', 'not-to-unresolvable', 'only-public-entries'],
  'unknown-package': ['layering-unknown-package'],
};

let failed = false;
for (const [name, expected] of Object.entries(CASES)) {
  const tree = mkdtempSync(join(tmpdir(), `s3404-graph-${name}-`));
  try {
    cpSync(join(fixtures, 'base'), tree, { recursive: true });
    if (name !== 'base') cpSync(join(fixtures, name), tree, { recursive: true });
    // What pnpm's workspace links do in the repository: @s3404/x → packages/x.
    mkdirSync(join(tree, 'node_modules', '@s3404'), { recursive: true });
    for (const dir of readdirSync(join(tree, 'packages'))) symlinkSync(join('..', '..', 'packages', dir), join(tree, 'node_modules', '@s3404', dir), 'dir');

    const run = spawnSync(process.execPath, [join(here, 'check-graph.mjs'), '--root', tree], { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    const rules = [...new Set([...output.matchAll(/^\s*error ([a-z-]+):/gm)].map((m) => m[1]))].sort();
    const ok = (expected.length === 0 ? run.status === 0 : run.status === 1) && JSON.stringify(rules) === JSON.stringify(expected);
    if (ok) {
      console.log(`✓ ${name}: ${expected.length === 0 ? 'passes' : `fails with ${rules.join(', ')}`}`);
    } else {
      failed = true;
      console.error(
        `✗ ${name}: expected ${expected.length === 0 ? 'a pass' : expected.join(', ')}, got exit ${run.status} with [${rules.join(', ')}]\n${output}`,
      );
    }
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
if (failed) {
  console.error('\nthe graph check does not catch what it must');
  process.exit(1);
}
console.log('\nthe graph check passes a clean graph and fails on cycles, layering, internals and unknown packages');
