/**
 * Runs every generator of `packages/conformance/generate/`, one process each, those another
 * reads first (audit-chains before audit-exports, scor-pj-checks before scor-lots), then the rest
 * in name order; stops at the first that fails. `S3404_VECTORS_OUT` passes through.
 *
 *   pnpm --filter @s3404/conformance generate            # every generator
 *   pnpm --filter @s3404/conformance generate scor-lots  # the ones named
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));
/** Modules the generators import, not generators. */
const HELPERS = new Set(['all', 'seeded', 'vectors-output', 'write-envelope']);
/** Generators whose output another reads, in the order they must run. */
const FIRST = ['audit-chains', 'audit-exports', 'scor-pj-checks', 'scor-lots'];

const found = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => !HELPERS.has(n))
  .sort();
const ordered = [...FIRST.filter((n) => found.includes(n)), ...found.filter((n) => !FIRST.includes(n))];
const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !found.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`unknown generator(s): ${unknown.join(', ')}; known: ${found.join(', ')}\n`);
  process.exit(2);
}
for (const name of asked.length === 0 ? ordered : ordered.filter((n) => asked.includes(n))) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@s3404/source', join(DIR, `${name}.ts`)], {
    stdio: 'inherit',
    cwd: join(DIR, '..'),
  });
  if (run.status !== 0) {
    process.stderr.write(`generator ${name} failed (${run.status ?? run.signal})\n`);
    process.exit(1);
  }
  process.stdout.write(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
