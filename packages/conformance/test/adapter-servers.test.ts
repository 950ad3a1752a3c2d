import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAdapterConformance } from '@s3404/conformance/node';
import type { ConformanceReport } from '@s3404/conformance';

const ADAPTERS = join(import.meta.dirname, 'adapters');
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const now = (): Date => new Date('2026-03-20T10:00:00.000Z');
const run = (module: string): Promise<ConformanceReport> =>
  runAdapterConformance({ module: `./${module}`, cwd: ADAPTERS, now, race: 16, crashTrials: 1, processes: 2 });
const verdicts = (r: ConformanceReport): Record<string, string> => Object.fromEntries(Object.entries(r.requirements).map(([id, v]) => [id, v.verdict]));
const failedTests = (r: ConformanceReport): string[] => r.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.file}#${t.tcId}: ${t.detail}`);

describe('the SDK’s server stores through the public adapter path pass SIG-5, SIG-6, SIG-10 (X-3)', () => {
  it('PostgreSQL: own table prefix per namespace, dropped after the run', async () => {
    const r = await run('postgres.mjs');
    expect(failedTests(r)).toEqual([]);
    expect(verdicts(r)).toEqual({ 'SIG-5': 'passed', 'SIG-6': 'passed', 'SIG-10': 'passed' });
    expect(r.tests.find((t) => t.file === 'contracts/consumption-store-race')?.comment).toContain('over 2 processes');
    // The adapter's cleanup dropped every table of the run (asked to psql, not to the SDK).
    const psql = spawnSync('psql', [PG, '-Atc', `SELECT count(*) FROM pg_tables WHERE tablename LIKE 's3404c\\_%'`], { encoding: 'utf8' });
    expect(psql.status, psql.stderr).toBe(0);
    expect(psql.stdout.trim()).toBe('0');
  }, 120_000);

  it('Redis: own key prefix per namespace, emptied after the run', async () => {
    // Keys of other runs (another package's `--adapter ./redis-keys.mjs`, whose keys expire with their records) are not this run's.
    const scan = (): string[] => {
      const out = spawnSync('redis-cli', ['-u', REDIS, '--scan', '--pattern', 's3404c_*'], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      return out.stdout.split('\n').filter((k) => k !== '');
    };
    const before = new Set(scan().map((k) => k.split(':')[0]));
    const r = await run('redis.mjs');
    expect(failedTests(r)).toEqual([]);
    expect(verdicts(r)).toEqual({ 'SIG-5': 'passed', 'SIG-6': 'passed', 'SIG-10': 'passed' });
    // The adapter's cleanup emptied every namespace of the run (asked to redis-cli, not to the SDK).
    expect(scan().filter((k) => !before.has(k.split(':')[0]))).toEqual([]);
  }, 120_000);
});
