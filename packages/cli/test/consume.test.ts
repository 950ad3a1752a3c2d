import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDateTimeFr } from '@s3404/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from './png.js';
import { EXAMPLE_HASH, insuredSealArgs, OTHER_HASH } from './seal-args.js';
import { canMountSmallDisk, withSmallDisk } from '@s3404/tooling/test-kit';

const smallDisk = await canMountSmallDisk();

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
    const r = bin(insuredSealArgs(pki, bordereau, out));
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
    const first = bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--json']);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ consumed: true, status: 'consumed', target: `bordereau:${ID}` });
    const again = bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out)).toMatchObject({ error: { code: 'ERR_RECORD_REPLAYED' } });
    expect(
      bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--lang', 'en']).err,
    ).toContain('[ERR_RECORD_REPLAYED] Signature already used');
    // A fresh record raced by 6 processes: one winner.
    const raced = await race(['record', 'consume', seal(), '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state], 6);
    expect(raced.filter((r) => r.code === 0)).toHaveLength(1);
    expect(raced.filter((r) => r.code === 1 && r.err.includes('ERR_RECORD_REPLAYED'))).toHaveLength(5);
  });

  it('refuses the wrong bordereau without consuming; the same request id gets the same outcome', () => {
    const file = seal();
    const state = ['--state', join(work, 'state-2')];
    const wrong = bin(['record', 'consume', file, '--keep-input', '--bordereau', OTHER, '--content-hash', EXAMPLE_HASH, ...trust, ...state]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('ERR_RECORD_WRONG_BORDEREAU');
    expect(
      bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--request-id', 'job-42']).code,
    ).toBe(0);
    const retry = bin([
      'record',
      'consume',
      file,
      '--keep-input',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      ...trust,
      ...state,
      '--request-id',
      'job-42',
      '--json',
    ]);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.out)).toMatchObject({ status: 'already-consumed', requestId: 'job-42' });
    expect(
      bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--request-id', 'job-42']).out,
    ).toContain('Déjà consommé par cette même demande job-42');
  });

  for (const [name, url] of [
    ['PostgreSQL', `${PG}?tablePrefix=${tag}_`],
    ['Redis', `${REDIS}?prefix=${tag}:`],
  ] as const) {
    it(`shares single use through --store on ${name}`, async () => {
      const file = seal();
      const raced = await race(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--store', url], 4);
      expect(
        raced.filter((r) => r.code === 0),
        raced.map((r) => r.err).join('\n'),
      ).toHaveLength(1);
      expect(raced.filter((r) => r.code === 1 && r.err.includes('ERR_RECORD_REPLAYED'))).toHaveLength(3);
    });
  }

  it('binds the record to the content: the right hash signs the PDF, another hash is refused with ERR_RECORD_WRONG_CONTENT and nothing used (SIG-4)', () => {
    expect(bin(['render', EXAMPLE, '-o', 'content.pdf', '--json']).code).toBe(0);
    // The hash the operator gives is the one validate --json prints (and the PDF's footer).
    const validated = JSON.parse(bin(['validate', EXAMPLE, '--json']).out) as { contentHash: string };
    expect(validated.contentHash).toBe(EXAMPLE_HASH);
    const state = ['--state', join(work, 'state-content')];
    // Sealed for other content of the same bordereau: refused on the PDF and on the hash, exit 1, the file kept.
    const forged = `forged-${n++}.p7m`;
    const sealedOther = bin(insuredSealArgs(pki, ID, forged).map((a) => (a === EXAMPLE_HASH ? OTHER_HASH : a)));
    expect(sealedOther.code, sealedOther.err).toBe(0);
    const onPdf = bin(['record', 'consume', forged, ...trust, ...state, '--pdf', 'content.pdf', '-o', 'never.pdf', '--json', '--lang', 'en']);
    expect(onPdf.code).toBe(1);
    expect(JSON.parse(onPdf.out)).toMatchObject({
      error: {
        code: 'ERR_RECORD_WRONG_CONTENT',
        kind: 'verdict',
        message: 'The record was signed for other content of the bordereau (different content hash).',
      },
    });
    expect(existsSync(join(work, 'never.pdf'))).toBe(false);
    const onHash = bin(['record', 'consume', forged, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state]);
    expect(onHash.code).toBe(1);
    expect(onHash.err).toContain('[ERR_RECORD_WRONG_CONTENT] L’enregistrement a été signé pour un autre contenu du bordereau (empreinte différente).');
    expect(existsSync(join(work, forged))).toBe(true);
    // Not consumed: it is still usable for the content it was sealed for; the refusals are traced.
    expect(bin(['record', 'consume', forged, '--keep-input', '--bordereau', ID, '--content-hash', OTHER_HASH.toUpperCase(), ...trust, ...state]).code).toBe(0);
    const trace = readFileSync(join(work, 'state-content', 'audit', 'trace.jsonl'), 'utf8');
    expect(trace.match(/"code":"ERR_RECORD_WRONG_CONTENT"/g)?.length).toBe(2);
    // Sealed for the example's content: applied to its PDF, exit 0.
    const good = seal();
    const applied = bin(['record', 'consume', good, ...trust, ...state, '--pdf', 'content.pdf', '-o', 'content-signed.pdf', '--json']);
    expect(applied.code, applied.err).toBe(0);
    expect(JSON.parse(applied.out)).toMatchObject({ consumed: true, slot: 'insured' });
    // Without the PDF, the consumer needs the content hash: usage error, exit 2; a --content-hash that is not the PDF's too.
    const again = seal();
    const noHash = bin(['record', 'consume', again, '--keep-input', '--bordereau', ID, ...trust, ...state]);
    expect(noHash.code).toBe(2);
    expect(noHash.err).toContain('--content-hash');
    expect(
      bin(['record', 'consume', again, '--keep-input', '--content-hash', OTHER_HASH, ...trust, ...state, '--pdf', 'content.pdf', '-o', 'x.pdf']).code,
    ).toBe(2);
  });

  it('applies the signature to the bordereau PDF with --pdf, written atomically', () => {
    expect(bin(['render', EXAMPLE, '-o', 'b.pdf']).code).toBe(0);
    const file = seal();
    const r = bin([
      'record',
      'consume',
      file,
      '--keep-input',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      ...trust,
      '--state',
      join(work, 'state-3'),
      '--pdf',
      'b.pdf',
      '-o',
      'signed.pdf',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ consumed: true, slot: 'insured', complete: false });
    expect(spawnSync('qpdf', ['--check', join(work, 'signed.pdf')]).status).toBe(0);
    // The caption shows the capture time, in Paris time (the clock is the real one: SOURCE_DATE_EPOCH only dates documents).
    const capturedAt = (JSON.parse(bin(['record', 'verify', file, ...trust, '--json']).out) as { record: { capturedAt: string } }).record.capturedAt;
    expect(spawnSync('pdftotext', ['-layout', join(work, 'signed.pdf'), '-'], { encoding: 'utf8' }).stdout).toContain(
      `Signé le ${formatDateTimeFr(new Date(capturedAt))}`,
    );
    const twice = bin([
      'record',
      'consume',
      file,
      '--keep-input',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      ...trust,
      '--state',
      join(work, 'state-3'),
      '--pdf',
      'b.pdf',
      '-o',
      'signed-2.pdf',
    ]);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('ERR_RECORD_REPLAYED');
    expect(spawnSync('test', ['-e', join(work, 'signed-2.pdf')]).status).toBe(1);
  });

  it('refuses a store that dies with the process: --store memory: would give unlimited reuse (issue 14 #6)', () => {
    const file = seal();
    for (const url of ['memory:', 'memory:?x=1', 'sqlite::memory:']) {
      for (let i = 0; i < 2; i++) {
        const r = bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--store', url, '--json']);
        expect(r.code, url).toBe(2);
        expect(JSON.parse(r.out)).toMatchObject({ error: { code: 'ERR_STORE_NOT_DURABLE', kind: 'input' } });
      }
    }
    expect(bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--store', 'memory:']).err).toMatch(
      /non durable.*sqlite:CHEMIN/,
    );
    // The record was never used: a durable store takes it once.
    expect(
      bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--state', join(work, 'state-durable')])
        .code,
    ).toBe(0);
    expect(
      bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--state', join(work, 'state-durable')])
        .code,
    ).toBe(1);
  });

  it('an output that cannot be written is refused before the claim: the record stays usable (issue 14 #5)', () => {
    if (!existsSync(join(work, 'b.pdf'))) expect(bin(['render', EXAMPLE, '-o', 'b.pdf']).code).toBe(0);
    const file = seal();
    mkdirSync(join(work, 'out-dir'), { recursive: true });
    writeFileSync(join(work, 'a-file'), 'x');
    const state = ['--state', join(work, 'state-out')];
    for (const out of ['out-dir', 'a-file/signed.pdf', '/proc/s3404-x/signed.pdf']) {
      const r = bin([
        'record',
        'consume',
        file,
        '--keep-input',
        '--bordereau',
        ID,
        '--content-hash',
        EXAMPLE_HASH,
        ...trust,
        ...state,
        '--pdf',
        'b.pdf',
        '-o',
        out,
      ]);
      expect(r.code, out).toBe(2);
      expect(r.err).toContain('ERR_FILE_UNWRITABLE');
    }
    const ok = bin([
      'record',
      'consume',
      file,
      '--keep-input',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      ...trust,
      ...state,
      '--pdf',
      'b.pdf',
      '-o',
      'signed-later.pdf',
    ]);
    expect(ok.code, ok.err).toBe(0);
  });

  it.skipIf(!smallDisk)(
    'a failure after the claim says the use is claimed but not completed, and how to finish it; the same request id finishes it (issue 14 #5)',
    () =>
      // A file system that fills up while the signed PDF is written: a 4 KiB tmpfs takes the check
      // before the claim (an empty probe file) but not the PDF. Needs root to mount it.
      withSmallDisk(join(work, 'full'), '4k', (disk) => {
        if (!existsSync(join(work, 'b.pdf'))) expect(bin(['render', EXAMPLE, '-o', 'b.pdf']).code).toBe(0);
        const file = seal();
        const state = ['--state', join(work, 'state-full')];
        const args = ['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--pdf', 'b.pdf'];
        const failed = bin([...args, '-o', join(disk, 'signed.pdf'), '--request-id', 'job-full']);
        expect(failed.code, failed.err).toBe(2);
        expect(failed.err).toContain('[ERR_CONSUME_INCOMPLETE]');
        expect(failed.err).toContain('relancez la même commande avec --request-id job-full');
        expect(readdirSync(disk)).toEqual([]);
        const json = bin([...args, '-o', join(disk, 'signed.pdf'), '--request-id', 'job-full', '--json', '--lang', 'en']);
        expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'ERR_CONSUME_INCOMPLETE', kind: 'unavailable', resume: { requestId: 'job-full' } } });
        expect(json.err).toContain('run the same command again with --request-id job-full');
        // Another request: the record is spoken for.
        const other = bin([...args, '-o', 'signed-other.pdf']);
        expect(other.code).toBe(1);
        expect(other.err).toContain('ERR_RECORD_REPLAYED');
        // The same request, somewhere with room: finished.
        const resumed = bin([...args, '-o', 'signed-resumed.pdf', '--request-id', 'job-full', '--json']);
        expect(resumed.code, resumed.err).toBe(0);
        expect(JSON.parse(resumed.out)).toMatchObject({ consumed: true, resumed: true, slot: 'insured' });
        expect(spawnSync('qpdf', ['--check', join(work, 'signed-resumed.pdf')]).status).toBe(0);
        expect(bin([...args, '-o', 'signed-again.pdf', '--request-id', 'job-full']).out).toContain('Déjà consommé par cette même demande job-full');
      }),
  );

  it('exit 2 for usage errors and an unreachable store', () => {
    const file = seal();
    expect(bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust]).code).toBe(2);
    expect(
      bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--state', 'a', '--store', 'memory:']).code,
    ).toBe(2);
    expect(
      bin([
        'record',
        'consume',
        file,
        '--keep-input',
        '--bordereau',
        ID,
        '--content-hash',
        EXAMPLE_HASH,
        '--line',
        '1',
        '--day',
        '2026-03-20',
        ...trust,
        '--state',
        's',
      ]).code,
    ).toBe(2);
    const down = bin([
      'record',
      'consume',
      file,
      '--keep-input',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      ...trust,
      '--store',
      'postgres://postgres@127.0.0.1:1/test',
      '--json',
    ]);
    expect(down.code).toBe(2);
    expect(JSON.parse(down.out)).toMatchObject({ error: { code: 'ERR_STORE_UNAVAILABLE' } });
    expect(bin(['record', 'consume', file, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--store', 'ftp://x']).code).toBe(2);
    expect(bin(['record', 'consume', 'missing.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--state', 's']).code).toBe(2);
  });
});
