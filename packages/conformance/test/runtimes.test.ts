import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '@s3404/conformance';
import { browserAvailable, browserRequired, bundleNeutral, NEWER_NODES } from '@s3404/tooling/test-kit';
import { differences, outcomes, verdicts } from './runtimes/compare.js';
import { listVectorFiles } from './runtimes/list-vectors.js';
import { runInChromium } from './runtimes/chromium-run.js';

/**
 * X-1, X-3: the same conformance vectors give the same verdicts in Node, headless Chromium, Deno
 * and Bun. `runtimes/run-suite.ts` is bundled once (platform `neutral`); each runtime runs that
 * very bundle with its own file reader (`runtimes/hosts/*.mjs`, and `fetch` in the page) over
 * every vector file of `test-vectors/`, and its report must name the runtime and match Node's
 * test by test (outcome, code, answer, input and fixture hashes) and requirement by requirement.
 * Deno and Bun come from npm (devDependencies `deno`, `bun`), so they are always there.
 */
const execFileP = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const VECTORS = resolve(here, '../../../test-vectors');
const BIN = resolve(here, '../node_modules/.bin');
const HOSTS = join(here, 'runtimes', 'hosts');

let work: string;
let bundle: string;
let bundleImports: string[];
let reference: ConformanceReport;
/** Deno's and Bun's runs, started with Node's (the machine may be busy: they overlap). */
let denoRun: Promise<Settled>;
let bunRun: Promise<Settled>;
/** The runs on Node 22 and 24 (a vendor's newer Node), when the set-up installed them. */
const newerRuns = new Map<number, Promise<Settled>>();
/** Chromium's run, started with them when the browser is installed. */
let chromiumRun: Promise<{ report: ConformanceReport; errors: string[] }> | undefined;

type Settled = { report: ConformanceReport } | { error: unknown };
const settle = (p: Promise<ConformanceReport>): Promise<Settled> =>
  p.then(
    (report) => ({ report }),
    (error: unknown) => ({ error }),
  );
async function reportOf(run: Promise<Settled>): Promise<ConformanceReport> {
  const r = await run;
  if ('error' in r) throw r.error;
  return r.report;
}

/** Runs a host script and parses the report it prints; the runtime's stderr on failure. */
async function runHost(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<ConformanceReport> {
  const { stdout } = await execFileP(file, [...args, join(work, 'suite.mjs'), VECTORS, join(work, 'index.json')], {
    cwd: work,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return JSON.parse(stdout) as ConformanceReport;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 's3404-runtimes-'));
  ({ code: bundle, imports: bundleImports } = await bundleNeutral(join(here, 'runtimes', 'run-suite.ts')));
  writeFileSync(join(work, 'suite.mjs'), bundle);
  writeFileSync(join(work, 'index.json'), JSON.stringify(listVectorFiles(VECTORS)));
  denoRun = settle(
    runHost(join(BIN, 'deno'), ['run', '--no-prompt', '--no-config', `--allow-read=${work},${VECTORS}`, join(HOSTS, 'deno.mjs')], {
      DENO_NO_UPDATE_CHECK: '1',
    }),
  );
  bunRun = settle(runHost(join(BIN, 'bun'), ['run', join(HOSTS, 'bun.mjs')]));
  for (const n of NEWER_NODES) if (n.run) newerRuns.set(n.major, settle(runHost(n.path, [join(HOSTS, 'node.mjs')])));
  if (browserAvailable || browserRequired) {
    chromiumRun = runInChromium(VECTORS, bundle, listVectorFiles(VECTORS));
    chromiumRun.catch(() => {}); // awaited (and reported) by its test
  }
  reference = await runHost(process.execPath, [join(HOSTS, 'node.mjs')]);
});
afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('X-1 the conformance suite gives the same verdicts in Node (20 and 24), Chromium, Deno and Bun', () => {
  it('is one bundle without a Node built-in, and Node runs every vector file (the reference)', () => {
    // Platform `neutral` resolves no Node built-in: the build would have failed on one; nothing is left external.
    expect(bundleImports).toEqual([]);
    expect(bundle).not.toMatch(/\brequire\(["'](node:)?(fs|path|crypto|zlib|os|child_process)["']\)/);
    expect(bundle).not.toContain('better-sqlite3');
    expect(reference.runtime).toBe(`node ${process.versions.node}`);
    const envelope2 = JSON.parse(readFileSync(join(work, 'index.json'), 'utf8')) as string[];
    const counted = envelope2
      .map((p) => JSON.parse(readFileSync(join(VECTORS, p), 'utf8')) as { schema?: string; numberOfTests?: number })
      .filter((f) => f.schema === 's3404-test-vectors/2.0')
      .reduce((n, f) => n + (f.numberOfTests ?? 0), 0);
    expect(reference.tests.length).toBe(counted);
    expect(reference.tests.length).toBeGreaterThanOrEqual(400);
    expect(Object.keys(reference.requirements).length).toBeGreaterThan(0);
  });

  it('cannot bundle a module that imports a Node built-in', async () => {
    const entry = join(work, 'node-only.ts');
    writeFileSync(entry, "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n");
    await expect(bundleNeutral(entry)).rejects.toThrow(/Could not resolve "node:fs"/);
  });

  it('tells a runtime that judged one vector differently', () => {
    const [first, ...rest] = reference.tests;
    const tampered = { ...reference, tests: [{ ...first!, outcome: 'failed' as const, code: 'ERR_X' }, ...rest] };
    expect(differences(reference, reference)).toEqual([]);
    expect(differences(reference, tampered)).toHaveLength(1);
    expect(differences(reference, { ...reference, tests: rest })).toEqual([`${first!.file}#${first!.tcId}: missing`]);
  });

  it('Deno: same outcome and code for every vector, same verdict for every requirement', async () => {
    const deno = await reportOf(denoRun);
    expect(deno.runtime).toMatch(/^deno \d+\.\d+\.\d+/);
    expect(outcomes(deno)).toEqual(outcomes(reference));
    expect(verdicts(deno)).toEqual(verdicts(reference));
    expect(differences(reference, deno)).toEqual([]);
  });

  it('Bun: same outcome and code for every vector, same verdict for every requirement', async () => {
    const bun = await reportOf(bunRun);
    expect(bun.runtime).toMatch(/^bun \d+\.\d+\.\d+/);
    expect(outcomes(bun)).toEqual(outcomes(reference));
    expect(verdicts(bun)).toEqual(verdicts(reference));
    expect(differences(reference, bun)).toEqual([]);
  });

  for (const n of NEWER_NODES)
    it.runIf(n.run)(`Node ${n.major}: same outcome and code for every vector, same verdict for every requirement`, async () => {
      const report = await reportOf(newerRuns.get(n.major)!);
      expect(report.runtime).toMatch(new RegExp(`^node ${n.major}\\.\\d+\\.\\d+`));
      expect(outcomes(report)).toEqual(outcomes(reference));
      expect(verdicts(report)).toEqual(verdicts(reference));
      expect(differences(reference, report)).toEqual([]);
    });

  it.runIf(browserAvailable || browserRequired)('headless Chromium: same outcome and code for every vector, same verdict for every requirement', async () => {
    const { report: chromium, errors } = await chromiumRun!;
    expect(errors).toEqual([]);
    expect(chromium.runtime).toMatch(/HeadlessChrome\/\d+/);
    expect(outcomes(chromium)).toEqual(outcomes(reference));
    expect(verdicts(chromium)).toEqual(verdicts(reference));
    expect(differences(reference, chromium)).toEqual([]);
  });
});
