import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `s3404 conformance` runs the vectors of test-vectors/ through the SDK's packages, from the built command. */
const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-conformance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Report {
  ok: boolean;
  sdkVersion: string;
  runtime: string;
  date: string;
  requirements: Record<string, { verdict: string; passed: number; failed: number; indeterminate: number; vectors: string[] }>;
  tests: { file: string; tcId: number; outcome: string; detail?: string; inputSha256: string }[];
}
const s3404 = (args: string[], cwd = ROOT, timeout = 15_000) => spawnSync('node', [BIN, 'conformance', ...args], { cwd, encoding: 'utf8', timeout });
const readReport = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

describe('X-3 s3404 conformance', () => {
  it('--filter FORM-2 passes (exit 0), its vectors listed in the report with their evidence', () => {
    const out = join(work, 'form-2.json');
    const r = s3404(['--filter', 'FORM-2', '--report', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/FORM-2\s+réussie/);
    const report = readReport(out);
    expect(report.ok).toBe(true);
    expect(Object.keys(report.requirements)).toEqual(['FORM-2']);
    const form2 = report.requirements['FORM-2']!;
    expect(form2).toMatchObject({ verdict: 'passed', failed: 0, indeterminate: 0 });
    expect(form2.passed).toBeGreaterThanOrEqual(3);
    expect(form2.vectors).toContain('form/identifiers.json#11');
    expect(report.tests).toHaveLength(form2.passed);
    expect(report.tests[0]?.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.sdkVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.runtime).toMatch(/^node /);
  });

  it('the full run exits 0: every requirement of the SPEC passed, each with at least 3 passing vectors', () => {
    const out = join(work, 'full.json');
    const r = s3404(['--report', out, '--lang', 'en'], ROOT, 90_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Conformant: \d+ vector\(s\), every requirement passed\./);
    const report = readReport(out);
    expect(report.ok).toBe(true);
    expect(Object.keys(report.requirements)).toHaveLength(28);
    for (const [id, r] of Object.entries(report.requirements)) {
      expect(r.verdict, id).toBe('passed');
      expect(r.passed, id).toBeGreaterThanOrEqual(3);
    }
    expect(report.tests.length).toBeGreaterThanOrEqual(400);
    expect(report.tests.filter((t) => t.outcome !== 'passed')).toEqual([]);
  }, 120_000);

  it('a vectors folder with one tampered verdict exits 1 naming that tcId, in the table, the report and --json', () => {
    const dir = join(work, 'tampered');
    cpSync(join(ROOT, 'test-vectors'), dir, { recursive: true });
    const path = join(dir, 'form/identifiers.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { testGroups: { type: string; tests: { tcId: number; result: string; expected?: unknown }[] }[] };
    const victim = file.testGroups.find((g) => g.type === 'finess')!.tests.find((t) => t.result === 'valid')!;
    victim.result = 'invalid';
    victim.expected = { code: 'ERR_FINESS_KEY' };
    writeFileSync(path, JSON.stringify(file));
    const out = join(work, 'tampered.json');
    const r = s3404(['--vectors', dir, '--filter', 'form', '--report', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(`✗ form/identifiers.json#${victim.tcId} (FORM-2)`);
    const report = readReport(out);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual([victim.tcId]);
    expect(report.requirements['FORM-2']).toMatchObject({ verdict: 'failed', failed: 1 });
    const json = s3404(['--vectors', dir, '--filter', 'FORM-2', '--json']);
    expect(json.status).toBe(1);
    expect((JSON.parse(json.stdout) as Report).tests.find((t) => t.outcome === 'failed')?.tcId).toBe(victim.tcId);
  });

  it('is a usage or input error (exit 2) for a filter that selects nothing, a broken vector file, extra arguments', () => {
    expect(s3404(['--filter', 'nothing']).status).toBe(2);
    const dir = join(work, 'broken');
    cpSync(join(ROOT, 'test-vectors/form'), join(dir, 'form'), { recursive: true });
    writeFileSync(join(dir, 'form/broken.json'), '{"schema": "s3404-test-vectors/2.0",');
    const r = s3404(['--vectors', dir, '--lang', 'en']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ERR_VECTORS_INVALID');
    expect(s3404(['extra']).status).toBe(2);
  });

  it('--adapter runs from the built command: stores (one process, then four racing and killed), and a key holder, each judged in its supervised process', () => {
    // The adapter runner's worker processes are files of the built package: found wherever the bundler put the runner.
    const adapters = join(ROOT, 'packages/conformance/test/adapters');
    const store = s3404(['--adapter', './memory.mjs', '--race', '10', '--lang', 'en'], adapters, 120_000);
    expect(store.status, store.stdout + store.stderr).toBe(0);
    expect(store.stdout).toMatch(/SIG-5\s+passed/);
    // Several processes share a SQLite file: the race and the crash trials start the built race worker.
    const raced = s3404(['--adapter', './sqlite.mjs', '--race', '20', '--crash-trials', '2', '--json'], adapters, 120_000);
    expect(raced.status, raced.stdout + raced.stderr).toBe(0);
    const races = (JSON.parse(raced.stdout) as Report).tests.filter((t) => /race|crash/.test(t.file));
    expect(races.length).toBeGreaterThan(0);
    for (const t of races) expect(t.outcome, `${t.file}#${t.tcId}: ${t.detail}`).toBe('passed');
    const keys = s3404(['--adapter', './redis-keys.mjs', '--json'], adapters, 120_000);
    expect(keys.status, keys.stdout + keys.stderr).toBe(0);
    const report = JSON.parse(keys.stdout) as Report;
    expect(report.requirements['SIG-6']?.verdict).toBe('passed');
    expect(report.tests.map((t) => `${t.file}#${t.tcId} ${t.outcome}`)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 10, 9].map((id) => `contracts/key-holder#${id} passed`),
    );
  }, 240_000);
});
