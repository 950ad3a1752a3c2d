import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lostAnswerProxy } from '@s3404/tooling/test-kit';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH, insuredSealArgs } from './seal-args.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const EXAMPLE = join(ROOT, 'examples/data/mco-chirurgie-pth.json');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const OTHER = 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2';
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const tag = `dep${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 's3404-deposit-'));

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const { PostgresConsumptionStore } = await import('@s3404/seal/postgres');
  for (const tablePrefix of [`${tag}_`, `${tag}lost_`]) {
    const store = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix });
    await store.dropTables();
    await store.close();
  }
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

type Result = { code: number; out: string; err: string };
/** The real command, in its own process (what a script runs). */
function bin(args: string[], input?: string): Result {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: work, env: { ...process.env }, ...(input === undefined ? {} : { input }) });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The same, without blocking this process (a test's server must answer meanwhile). */
function binAsync(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { cwd: work, env: { ...process.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** Every byte of every file under `dir`, searched for `needle`. */
function filesHolding(dir: string, needle: Uint8Array): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // a folder
    }
    if (bytes.includes(Buffer.from(needle))) hits.push(name);
  }
  return hits;
}

describe('s3404 record deposit / consume --handle / sweep: the server-side flow (SIG-5, SIG-6)', () => {
  const pki = join(work, 'pki');
  const trust = ['--trust', join(pki, 'ca.pem')];
  let image: Uint8Array;
  let n = 0;
  /** A fresh insured record for `bordereau`, sealed with this run's distinctive image. */
  const seal = (bordereau = ID): string => {
    const out = `r${n++}.p7m`;
    const r = bin(insuredSealArgs(pki, bordereau, out));
    expect(r.code, r.err).toBe(0);
    return out;
  };

  /** `record consume --handle H` on the example bordereau, as JSON, with `where` (the state or store, and any output). */
  const useHandle = (handle: string, where: readonly string[]): string[] => [
    'record',
    'consume',
    '--handle',
    handle,
    '--bordereau',
    ID,
    '--content-hash',
    EXAMPLE_HASH,
    ...trust,
    ...where,
    '--json',
  ];

  beforeAll(() => {
    image = png(233, 71);
    writeFileSync(join(work, 'sig.png'), image);
    expect(bin(['pki', 'init', pki]).code).toBe(0);
    expect(bin(['render', EXAMPLE, '-o', 'b.pdf']).code).toBe(0);
  });

  it('removes the record file once used (SIG-6); --keep-input keeps it; a refused use keeps it', () => {
    const state = ['--state', join(work, 'state-rm')];
    const file = seal();
    const refused = bin(['record', 'consume', file, '--bordereau', OTHER, '--content-hash', EXAMPLE_HASH, ...trust, ...state]);
    expect(refused.code).toBe(1);
    expect(existsSync(join(work, file))).toBe(true);
    const used = bin(['record', 'consume', file, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--json']);
    expect(used.code, used.err).toBe(0);
    expect(JSON.parse(used.out)).toMatchObject({ consumed: true, input: { path: file, removed: true } });
    expect(existsSync(join(work, file))).toBe(false);
    const kept = seal();
    const r = bin(['record', 'consume', kept, '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ input: { path: kept, removed: false } });
    expect(existsSync(join(work, kept))).toBe(true);
  });

  for (const [name, where] of [
    ['--state', () => ['--state', join(work, 'state-flow')]],
    ['--store PostgreSQL', () => ['--store', `${PG}?tablePrefix=${tag}_`]],
    ['--store Redis', () => ['--store', `${REDIS}?prefix=${tag}:`]],
  ] as const) {
    it(`deposits, prints the handle, and consumes it once from another process (${name})`, () => {
      const file = seal();
      const dep = bin(['record', 'deposit', file, ...trust, ...where(), '--json']);
      expect(dep.code, dep.err).toBe(0);
      const d = JSON.parse(dep.out) as { deposited: boolean; recordId: string; handle: string; target: string; input: { removed: boolean } };
      expect(d).toMatchObject({ deposited: true, target: `bordereau:${ID}`, input: { removed: true } });
      expect(d.handle).toMatch(new RegExp(`^s3404-pending\\.1\\.${d.recordId}\\.[A-Za-z0-9_-]{43}$`));
      expect(existsSync(join(work, file))).toBe(false);
      // A handle with another key: refused, nothing consumed.
      const forged = `${d.handle.slice(0, -43)}${'A'.repeat(42)}E`;
      const wrong = bin(['record', 'consume', '--handle', forged, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...where(), '--json']);
      expect(wrong.code).toBe(1);
      expect(JSON.parse(wrong.out)).toMatchObject({ error: { code: 'ERR_RECORD_KEY_MISMATCH', kind: 'verdict' } });
      // The wrong bordereau: refused before the claim, the handle stays good.
      expect(bin(['record', 'consume', '--handle', d.handle, '--bordereau', OTHER, '--content-hash', EXAMPLE_HASH, ...trust, ...where()]).err).toContain(
        'ERR_RECORD_WRONG_BORDEREAU',
      );
      const used = bin(useHandle(d.handle, [...where(), '--pdf', 'b.pdf', '-o', `signed-${n}.pdf`]));
      expect(used.code, used.err).toBe(0);
      expect(JSON.parse(used.out)).toMatchObject({ consumed: true, recordId: d.recordId, slot: 'insured' });
      expect(spawnSync('qpdf', ['--check', join(work, `signed-${n}.pdf`)]).status).toBe(0);
      const again = bin(['record', 'consume', '--handle', d.handle, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...where()]);
      expect(again.code).toBe(1);
      expect(again.err).toContain('ERR_RECORD_REPLAYED');
    });
  }

  // PostgreSQL's driver reports the cut (the CLI tries the deposit again); ioredis sends the write again itself.
  for (const [name, server, store] of [
    ['PostgreSQL', PG, (at: string) => `${at}?tablePrefix=${tag}lost_`],
    ['Redis', REDIS, (at: string) => `${at}?prefix=${tag}lost:`],
  ] as const) {
    it(`finishes a deposit whose answer the network lost after the store wrote it: the handle printed opens the record (SIG-6, ${name})`, async () => {
      // A proxy in front of the server that forwards the store's write, then cuts the connection instead of its answer, once.
      const { hostname, port, protocol, username, pathname } = new URL(server);
      const defaultPort = name === 'PostgreSQL' ? 5432 : 6379;
      const write =
        name === 'PostgreSQL'
          ? (r: string) => r.includes(`INSERT INTO ${tag}lost_pending`)
          : (r: string) => /evalsha|eval/i.test(r) && r.includes(`${tag}lost:p:`);
      const proxy = await lostAnswerProxy({ host: hostname, port: Number(port || defaultPort), cut: write });
      try {
        const file = seal();
        const through = store(`${protocol}//${username === '' ? '' : `${username}@`}127.0.0.1:${proxy.port}${pathname}`);
        const dep = await binAsync(['record', 'deposit', file, ...trust, '--store', through, '--json']);
        expect(proxy.cuts()).toBe(1);
        expect(dep.code, dep.err).toBe(0);
        const d = JSON.parse(dep.out) as { recordId: string; handle: string };
        const used = await binAsync(useHandle(d.handle, ['--store', store(server)]));
        expect(used.code, used.err).toBe(0);
        expect(JSON.parse(used.out)).toMatchObject({ consumed: true, recordId: d.recordId });
      } finally {
        await proxy.close();
      }
    });
  }

  it('keeps only ciphertext in the state folder: the image is in no file, before or after the use', () => {
    const dir = join(work, 'state-scan');
    const file = seal();
    const b64 = Buffer.from(image).toString('base64');
    const needles = [image.subarray(40, 88), new TextEncoder().encode(b64.slice(60, 108))];
    // The control: the record file itself holds the base64 image (the scan is not blind).
    expect(needles.some((x) => filesHolding(work, x).includes(file))).toBe(true);
    const dep = bin(['record', 'deposit', file, ...trust, '--state', dir, '--json']);
    expect(dep.code, dep.err).toBe(0);
    for (const x of needles) expect(filesHolding(dir, x)).toEqual([]);
    const { handle } = JSON.parse(dep.out) as { handle: string };
    // The handle read from standard input, out of the process list.
    const used = bin(['record', 'consume', '--handle', '-', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--state', dir], `${handle}\n`);
    expect(used.code, used.err).toBe(0);
    for (const x of needles) expect(filesHolding(dir, x)).toEqual([]);
    expect(existsSync(join(work, file))).toBe(false);
  });

  it('deposits without --trust as the contract writes it: the record is read, and its seal judged by record consume', () => {
    const dir = ['--state', join(work, 'state-notrust')];
    const file = seal();
    const dep = bin(['record', 'deposit', file, ...dir, '--json']);
    expect(dep.code, dep.err).toBe(0);
    const { handle } = JSON.parse(dep.out) as { handle: string };
    // Without anchors nothing can be consumed.
    expect(bin(['record', 'consume', '--handle', handle, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...dir]).code).toBe(2);
    expect(bin(['record', 'consume', '--handle', handle, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...dir]).code).toBe(0);
    writeFileSync(join(work, 'junk2.p7m'), 'not a record');
    const junk = bin(['record', 'deposit', 'junk2.p7m', ...dir, '--json']);
    expect(junk.code).toBe(1);
    expect(JSON.parse(junk.out)).toMatchObject({ error: { code: 'ERR_SEAL_MALFORMED' } });
  });

  it('refuses malformed handles and wrong combinations with exit 2 and a coded error', () => {
    const state = ['--state', join(work, 'state-bad')];
    for (const handle of ['x', 's3404-pending.1.nope.key', `s3404-pending.1.0f0e0d0c-0b0a-4908-8706-000000000001.${'A'.repeat(10)}`]) {
      const r = bin(['record', 'consume', '--handle', handle, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state, '--json', '--lang', 'en']);
      expect(r.code, handle).toBe(2);
      expect(JSON.parse(r.out)).toMatchObject({ error: { code: 'ERR_RECORD_KEY_INVALID', kind: 'input' } });
    }
    const file = seal();
    // FILE and --handle together, neither, --keep-input without a file, deposit without a store.
    expect(bin(['record', 'consume', file, '--handle', 'x', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state]).code).toBe(2);
    expect(bin(['record', 'consume', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state]).code).toBe(2);
    expect(bin(['record', 'consume', '--handle', 'x', '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state]).code).toBe(2);
    expect(bin(['record', 'deposit', file, ...trust]).code).toBe(2);
    expect(bin(['record', 'deposit', file, ...trust, '--store', 'memory:']).code).toBe(2);
    expect(bin(['record', 'sweep', '--state', 'a', '--store', 'memory:']).code).toBe(2);
    // A file that is not a record: refused at the deposit, left where it is.
    writeFileSync(join(work, 'junk.p7m'), 'not a record');
    const junk = bin(['record', 'deposit', 'junk.p7m', ...trust, ...state, '--json']);
    expect(junk.code).toBe(1);
    expect(existsSync(join(work, 'junk.p7m'))).toBe(true);
    expect(existsSync(join(work, file))).toBe(true);
  });

  it('sweeps expired records: after the sweep the handle finds nothing, and the sweep is traced', async () => {
    let clock = new Date();
    const cli = cliIn(work, undefined, () => clock);
    const dir = join(work, 'state-sweep');
    const file = seal();
    const dep = await cli(['record', 'deposit', file, ...trust, '--state', dir, '--json']);
    expect(dep.code, dep.err).toBe(0);
    const { handle } = JSON.parse(dep.out) as { handle: string };
    expect(JSON.parse((await cli(['record', 'sweep', '--state', dir, '--json'])).out)).toMatchObject({ expired: 0, abandoned: 0 });
    clock = new Date(clock.getTime() + 31 * 60_000);
    const swept = await cli(['record', 'sweep', '--state', dir, '--json']);
    expect(swept.code, swept.err).toBe(0);
    expect(JSON.parse(swept.out)).toMatchObject({ swept: true, expired: 1, abandoned: 0 });
    expect((await cli(['record', 'sweep', '--state', dir, '--lang', 'en'])).out).toContain('Pending signatures deleted: 0 expired, 0 abandoned');
    const late = await cli(['record', 'consume', '--handle', handle, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, '--state', dir, '--json']);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.out)).toMatchObject({ error: { code: 'ERR_RECORD_NOT_FOUND' } });
    const trace = readFileSync(join(dir, 'audit/trace.jsonl'), 'utf8');
    expect(trace).toContain('"signature.expired"');
    expect(trace).toContain('"ERR_RECORD_NOT_FOUND"');
  });
});
