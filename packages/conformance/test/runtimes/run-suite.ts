/**
 * The whole conformance suite as one runtime-neutral entry (X-1, X-3): it is
 * bundled once (esbuild, platform `neutral`, no Node built-in) and the same
 * bundle runs in Node, headless Chromium, Deno and Bun; each runtime's host
 * (`hosts/*.mjs`, or the page in the browser test) only gives it a way to read
 * the files of `test-vectors/`.
 */
import { runConformance, VECTOR_SCHEMA, type ConformanceReport, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** Options of {@link runSuite}. */
export interface RunSuiteOptions {
  /** The vector files to run, as `/` paths relative to `test-vectors/` (`form/identifiers.json`). */
  readonly paths: readonly string[];
  /** Reads a file of `test-vectors/` by its relative path (a vector file or a fixture). */
  readonly read: (path: string) => Promise<Uint8Array>;
}

/** A path that stays inside `test-vectors/`: relative, `/`-separated, no `.`/`..` segment, no empty one. */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkedPath(path: string): string {
  if (typeof path !== 'string' || path.length > 300 || !path.split('/').every((s) => SAFE_SEGMENT.test(s) && s !== '..'))
    throw new Error(`refused path outside the vectors folder: ${String(path).slice(0, 80)}`);
  return path;
}

/**
 * Runs every vector file of envelope 2.0 among `paths` against the SDK's own
 * packages (`createPackagesSdk()`, Web Crypto for every hash) and returns the
 * report, the runtime detected by the runner. Files of another envelope are
 * skipped, as `s3404 conformance` does.
 *
 * @example
 * ```ts
 * const report = await runSuite({ paths: ['form/identifiers.json'], read: (p) => Deno.readFile(`${root}/${p}`) })
 * report.runtime // 'deno 2.9.6'
 * ```
 */
export async function runSuite(options: RunSuiteOptions): Promise<ConformanceReport> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const files: VectorSource[] = [];
  for (const path of options.paths) {
    const bytes = await options.read(checkedPath(path));
    const json: unknown = JSON.parse(decoder.decode(bytes));
    if (typeof json === 'object' && json !== null && (json as { schema?: unknown }).schema === VECTOR_SCHEMA) files.push({ path, json, bytes });
  }
  return runConformance({
    sdk: createPackagesSdk({ version: 'runtimes-test' }),
    files,
    readFixture: (path) => options.read(checkedPath(path)),
  });
}
