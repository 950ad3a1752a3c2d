import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding this package's `package.json`, found upwards from this module (tsup may move it into a chunk). */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@s3404/conformance') return dir;
      } catch {
        // not this package's manifest: keep going up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * The conformance vectors published with `@s3404/conformance` (X-3): the folder `vectors/` of the
 * installed package, a copy of the repository's `test-vectors/` made by the package's build, with
 * the same layout (`<area>/*.json`, `<area>/fixtures/`, `schema/`). `undefined` when the package
 * was not built with them (a source checkout before `pnpm build`).
 *
 * `import { packagedVectorsDir } from '@s3404/conformance/node'`
 *
 * @example
 * ```ts
 * const dir = packagedVectorsDir() // …/node_modules/@s3404/conformance/vectors
 * ```
 * @public
 */
export function packagedVectorsDir(): string | undefined {
  const root = packageRoot();
  if (root === undefined) return undefined;
  const dir = join(root, 'vectors');
  return existsSync(join(dir, 'schema')) ? dir : undefined;
}

/**
 * The vectors `s3404 conformance` runs when no `--vectors DIR` is given (X-3): `test-vectors/` of
 * the folder `cwd` when it exists (a checkout of the SDK, or a vendor's own copy), else those
 * published with the installed package ({@link packagedVectorsDir}); `undefined` when neither exists.
 *
 * `import { defaultVectorsDir } from '@s3404/conformance/node'`
 *
 * @example
 * ```ts
 * const dir = defaultVectorsDir(process.cwd())
 * if (dir === undefined) throw new Error('no vectors: pass --vectors DIR')
 * ```
 * @public
 */
export function defaultVectorsDir(cwd: string): string | undefined {
  const local = resolve(cwd, 'test-vectors');
  return statSync(local, { throwIfNoEntry: false })?.isDirectory() === true ? local : packagedVectorsDir();
}
