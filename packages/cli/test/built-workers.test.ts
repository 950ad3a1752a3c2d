import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * X-1, issue 19: every worker a built package starts (threads of `startModuleWorker`, processes of the
 * conformance runner's `workerCommand`) is a file of its `dist`, found from where the bundler put the code
 * that starts it. Tests run the sources, where the worker always sits next to its caller; only the built
 * layout can miss (the built `s3404 conformance --adapter` once looked for its worker beside a chunk at the
 * root of `dist/` and never started), and a thread that cannot start falls back to one thread silently.
 */
const PACKAGES = new URL('../../', import.meta.url).pathname;

function builtFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? builtFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

/** Where each call looks for its worker, as the built code resolves it: next to the file, and for `workerCommand` also under `node/`. */
const CALLS: readonly [RegExp, (name: string) => readonly string[]][] = [
  [/startModuleWorker\(import\.meta\.url, ["']([\w-]+)["']/g, (name) => [`./${name}.js`]],
  [/workerCommand\(["']([\w-]+)["']\)/g, (name) => [`./${name}.js`, `./node/${name}.js`]],
  [/workerCommand\(\)()/g, () => ['./race-worker.js', './node/race-worker.js']],
];

describe('the workers of the built packages', () => {
  const packages = readdirSync(PACKAGES).filter((p) => existsSync(join(PACKAGES, p, 'dist')));
  it('are found where the built code that starts them looks', () => {
    const found: string[] = [];
    const missing: string[] = [];
    for (const p of packages) {
      for (const file of builtFiles(join(PACKAGES, p, 'dist'))) {
        const text = readFileSync(file, 'utf8');
        for (const [pattern, places] of CALLS) {
          for (const m of text.matchAll(pattern)) {
            const name = m[1] || 'race-worker';
            const where = relative(PACKAGES, file);
            if (places(name).some((place) => existsSync(join(dirname(file), place)))) found.push(`${where} → ${name}`);
            else missing.push(`${where} → ${name}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    // The four workers of today's packages: audit's verification threads, the demo's signing threads, and the
    // conformance runner's adapter and race processes. A new one is found by the same scan.
    expect(found.map((f) => f.split(' → ')[1]).sort()).toEqual(['adapter-run-worker', 'demo-worker', 'race-worker', 'verify-worker']);
  });
});
