// One licence text for every published package: packages/tooling/LICENSE, the Apache License 2.0
// exactly as published at https://www.apache.org/licenses/LICENSE-2.0.txt (its SHA-256 is
// checked below). npm's `files` cannot reach outside a package, so each published package has
// a committed copy, `packages/<pkg>/LICENSE`, kept identical by this script:
//   node packages/tooling/sync-license.mjs           writes the copies (`pnpm run license:sync`)
//   node packages/tooling/sync-license.mjs --check   fails when one is missing or differs (`pnpm run check:license`)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const APACHE_2_0_SHA256 = 'cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30';
const root = resolve(import.meta.dirname, '../..');
const source = join(import.meta.dirname, 'LICENSE');
const text = readFileSync(source);
const check = process.argv.includes('--check');

const problems = [];
if (createHash('sha256').update(text).digest('hex') !== APACHE_2_0_SHA256) {
  problems.push(`${relative(root, source)} is not the Apache License 2.0 text of apache.org (SHA-256 ${APACHE_2_0_SHA256})`);
}
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifestPath = join(root, 'packages', dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private === true) continue;
  const where = `packages/${dir}`;
  if (manifest.license !== 'Apache-2.0') problems.push(`${where}/package.json: "license" is ${JSON.stringify(manifest.license)}, expected "Apache-2.0"`);
  for (const file of ['LICENSE', 'README.md']) {
    if (!(manifest.files ?? []).includes(file)) problems.push(`${where}/package.json: "files" does not list ${file}`);
  }
  if (!existsSync(join(root, where, 'README.md'))) problems.push(`${where}/README.md is missing`);
  const copy = join(root, where, 'LICENSE');
  if (existsSync(copy) && readFileSync(copy).equals(text)) continue;
  if (check) {
    problems.push(`${where}/LICENSE ${existsSync(copy) ? 'differs from' : 'is missing; copy'} packages/tooling/LICENSE (pnpm run license:sync)`);
  } else {
    writeFileSync(copy, text);
    console.log(`wrote ${where}/LICENSE`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`✗ ${p}`);
  process.exit(1);
}
console.log(`✓ every published package has packages/tooling/LICENSE (Apache-2.0) as its LICENSE, and lists LICENSE and README.md in "files"`);
