import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDateTimeFr } from '@s3404/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from './png.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const EXAMPLE = join(ROOT, 'examples/data/mco-chirurgie-pth.json');
const work = mkdtempSync(join(tmpdir(), 's3404-consume-'));
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  // The tables and keys the --store runs created.
  const { PostgresConsumptionStore } = await import('@s3404/seal/postgres');
  const store = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix: `${tag}_` });
  await store.dropTables();
  await store.close();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const OTHER = 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2';
const EPOCH = '1774000800'; // 2026-03-20T10:00:00Z
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const tag = `cli${process.pid}`;

type Result = { code: number; out: string; err: string };
const env = { ...process.env, SOURCE_DATE_EPOCH: EPOCH };

function bin(args: string[]): Result {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: work, env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The same command from `n` processes at once. */
function race(args: string[], n: number): Promise<Result[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Result>((done) => {
          const p = spawn('node', [BIN, ...args], { cwd: work, env });
          let out = '';
          let err = '';
          p.stdout.on('data', (d) => (out += d));
          p.stderr.on('data', (d) => (err += d));
          p.on('close', (code) => done({ code: code ?? -1, out, err }));
        }),
    ),
  );
}

describe('s3404 record consume (CLI contract, SIG-4…SIG-6)', () => {
  const pki = join(work, 'pki');
  const trust = ['--trust', join(pki, 'ca.pem')];
  let n = 0;
  /** A fresh insured record for `bordereau`. */
  const seal = (bordereau = ID): string => {
    const out = `r${n++}.p7m`;
    const r = bin([
      'record',
      'seal',
      '--bordereau',
      bordereau,
      '--role',
      'assure',
      '--signer',
      'Jeanne Martin',
      '--image',
      'sig.png',
      '--cert',
      join(pki, 'seal-cert.pem'),
      '--key',
      join(pki, 'seal-key.pem'),
      '-o',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    return out;
  };

  beforeAll(() => {
    writeFileSync(join(work, 'sig.png'), png(200, 60));
    expect(bin(['pki', 'init', pki]).code).toBe(0);
  });

  it('exits 0 the first time and 1 with ERR_RECORD_REPLAYED after, from any process sharing --state', async () => {
    const file = seal();
    const state = ['--state', join(work, 'state')];
    const first = bin(['record', 'consume', file, '--bordereau', ID, ...trust, ...state, '--json']);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ consumed: true, status: 'consumed', target: `bordereau:${ID}` });
    const again = bin(['record', 'consume', file, '--bordereau', ID, ...trust, ...state, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out)).toMatchObject({ error: { code: 'ERR_RECORD_REPLAYED' } });
    expect(bin(['record', 'consume', file, '--bordereau', ID, ...trust, ...state, '--lang', 'en']).err).toContain(
      '[ERR_RECORD_REPLAYED] Signature already used',
    );
    // A fresh record raced by 6 processes: one winner.
    const raced = await race(['record', 'consume', seal(), '--bordereau', ID, ...trust, ...state], 6);
    expect(raced.filter((r) => r.code === 0)).toHaveLength(1);
    expect(raced.filter((r) => r.code === 1 && r.err.includes('ERR_RECORD_REPLAYED'))).toHaveLength(5);
  });

  it('refuses the wrong bordereau without consuming; the same request id gets the same outcome', () => {
    const file = seal();
    const state = ['--state', join(work, 'state-2')];
    const wrong = bin(['record', 'consume', file, '--bordereau', OTHER, ...trust, ...state]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('ERR_RECORD_WRONG_BORDEREAU');
    expect(bin(['record', 'consume', file, '--bordereau', ID, ...trust, ...state, '--request-id', 'job-42']).code).toBe(0);
    const retry = bin(['record', 'consume', file, '--bordereau', ID, ...trust, ...state, '--request-id', 'job-42', '--json']);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.out)).toMatchObject({ status: 'already-consumed', requestId: 'job-42' });
    expect(bin(['record', 'consume', file, '--bordereau', ID, ...trust, ...state, '--request-id', 'job-42']).out).toContain(
      'Déjà consommé par cette même demande job-42',
    );
  });

  for (const [name, url] of [
    ['PostgreSQL', `${PG}?tablePrefix=${tag}_`],
    ['Redis', `${REDIS}?prefix=${tag}:`],
  ] as const) {
    it(`shares single use through --store on ${name}`, async () => {
      const file = seal();
      const raced = await race(['record', 'consume', file, '--bordereau', ID, ...trust, '--store', url], 4);
      expect(
        raced.filter((r) => r.code === 0),
        raced.map((r) => r.err).join('\n'),
      ).toHaveLength(1);
      expect(raced.filter((r) => r.code === 1 && r.err.includes('ERR_RECORD_REPLAYED'))).toHaveLength(3);
    });
  }

  it('applies the signature to the bordereau PDF with --pdf, written atomically', () => {
    expect(bin(['render', EXAMPLE, '-o', 'b.pdf']).code).toBe(0);
    const file = seal();
    const r = bin(['record', 'consume', file, '--bordereau', ID, ...trust, '--state', join(work, 'state-3'), '--pdf', 'b.pdf', '-o', 'signed.pdf', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ consumed: true, slot: 'insured', complete: false });
    expect(spawnSync('qpdf', ['--check', join(work, 'signed.pdf')]).status).toBe(0);
    // The caption shows the capture time, in Paris time (the clock is the real one: SOURCE_DATE_EPOCH only dates documents).
    const capturedAt = (JSON.parse(bin(['record', 'verify', file, ...trust, '--json']).out) as { record: { capturedAt: string } }).record.capturedAt;
    expect(spawnSync('pdftotext', ['-layout', join(work, 'signed.pdf'), '-'], { encoding: 'utf8' }).stdout).toContain(
      `Signé le ${formatDateTimeFr(new Date(capturedAt))}`,
    );
    const twice = bin(['record', 'consume', file, '--bordereau', ID, ...trust, '--state', join(work, 'state-3'), '--pdf', 'b.pdf', '-o', 'signed-2.pdf']);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('ERR_RECORD_REPLAYED');
    expect(spawnSync('test', ['-e', join(work, 'signed-2.pdf')]).status).toBe(1);
  });

  it('exit 2 for usage errors and an unreachable store', () => {
    const file = seal();
    expect(bin(['record', 'consume', file, '--bordereau', ID, ...trust]).code).toBe(2);
    expect(bin(['record', 'consume', file, '--bordereau', ID, ...trust, '--state', 'a', '--store', 'memory:']).code).toBe(2);
    expect(bin(['record', 'consume', file, '--bordereau', ID, '--line', '1', '--day', '2026-03-20', ...trust, '--state', 's']).code).toBe(2);
    const down = bin(['record', 'consume', file, '--bordereau', ID, ...trust, '--store', 'postgres://postgres@127.0.0.1:1/test', '--json']);
    expect(down.code).toBe(2);
    expect(JSON.parse(down.out)).toMatchObject({ error: { code: 'ERR_STORE_UNAVAILABLE' } });
    expect(bin(['record', 'consume', file, '--bordereau', ID, ...trust, '--store', 'ftp://x']).code).toBe(2);
    expect(bin(['record', 'consume', 'missing.p7m', '--bordereau', ID, ...trust, '--state', 's']).code).toBe(2);
  });
});
