/**
 * Copies the repository's `test-vectors/` into `packages/conformance/vectors/`, after tsup:
 * the vectors are published with `@s3404/conformance` (listed in its `files`) so that
 * `s3404 conformance` runs them from an installed package. The copy is a build output, ignored by
 * git: the vectors are committed once, in `test-vectors/`.
 *
 *   pnpm --filter @s3404/conformance build
 */
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FROM = resolve(PKG, '../../test-vectors');
const TO = join(PKG, 'vectors');

if (!existsSync(join(FROM, 'schema'))) {
  process.stderr.write(`copy-vectors: ${FROM} has no vectors\n`);
  process.exit(1);
}
rmSync(TO, { recursive: true, force: true });
cpSync(FROM, TO, { recursive: true });
let files = 0;
let bytes = 0;
const count = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) count(p);
    else {
      files += 1;
      bytes += statSync(p).size;
    }
  }
};
count(TO);
process.stdout.write(`copy-vectors: ${files} files, ${(bytes / 1048576).toFixed(1)} MiB into vectors/\n`);
