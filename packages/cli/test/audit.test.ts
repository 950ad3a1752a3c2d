import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH } from './seal-args.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-audit-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const OTHER = 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2';
type Result = { code: number; out: string; err: string };
const env = { ...process.env, SOURCE_DATE_EPOCH: '1774000800' };
/**
 * Day 1 of the trace is yesterday, through a clock injected in-process (`Io.now`): no environment
 * variable moves the clock of the trace (SOURCE_DATE_EPOCH dates documents only). Day 2 is today,
 * the real clock of the spawned commands.
 */
const YESTERDAY = new Date(Date.now() - 86_400_000);
const yesterday = cliIn(work, '1774000800', () => YESTERDAY);
const day = (d: Date): string => d.toISOString().slice(0, 10);

function bin(args: string[], extraEnv: Record<string, string> = {}): Result {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: work, env: { ...env, ...extraEnv } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('s3404 audit and the embedded trace of --state (CLI contract, AUD-1, AUD-2)', () => {
  const pki = join(work, 'pki');
  const keys = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem')];
  const trust = ['--trust', join(pki, 'ca.pem')];
  const state = ['--state', join(work, 'state')];
  const trace = join(work, 'state', 'audit', 'trace.jsonl');

  beforeAll(async () => {
    writeFileSync(join(work, 'sig.png'), png(200, 60));
    expect((await yesterday(['pki', 'init', pki])).code).toBe(0);
  });

  it('record seal and record consume append their successes and refusals; audit verify says intact (0) or names the damage (1)', async () => {
    const args = (out: string): string[] => [
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--role',
      'assure',
      '--signer',
      'Jeanne Martin',
      '--image',
      'sig.png',
      ...keys,
      ...state,
      '-o',
      out,
    ];
    const sealed = await yesterday(args('a.p7m'));
    expect(sealed.code, sealed.err).toBe(0);
    expect((await yesterday(['record', 'consume', 'a.p7m', '--bordereau', OTHER, '--content-hash', EXAMPLE_HASH, ...trust, ...state])).code).toBe(1);
    // --keep-input: the file stays for the replay (a used record file is removed by default, SIG-6).
    expect((await yesterday(['record', 'consume', 'a.p7m', '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state])).code).toBe(
      0,
    );
    expect((await yesterday(['record', 'consume', 'a.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, ...trust, ...state])).code).toBe(1);
    // The next day (today, the real clock): the seal writes a checkpoint over the previous day first.
    const next = bin(args('b.p7m'));
    expect(next.code, next.err).toBe(0);
    // Concurrent processes append to the same trace.
    await Promise.all(
      ['c', 'd', 'e'].map(
        (n) =>
          new Promise<void>((done) => {
            const p = spawn(
              'node',
              [
                BIN,
                'record',
                'seal',
                '--bordereau',
                ID,
                '--content-hash',
                EXAMPLE_HASH,
                '--role',
                'assure',
                '--signer',
                'X',
                '--image',
                'sig.png',
                ...keys,
                ...state,
                '-o',
                `${n}.p7m`,
              ],
              { cwd: work, env },
            );
            p.on('close', () => done());
          }),
      ),
    );
    const events = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; outcome: string; code?: string; seq: number });
    expect(events.slice(0, 6).map((e) => [e.action, e.code ?? null])).toEqual([
      ['signature.context-shown', null],
      ['signature.sealed', null],
      ['signature.refused', 'ERR_RECORD_WRONG_BORDEREAU'],
      ['signature.consumed', null],
      ['signature.refused', 'ERR_RECORD_REPLAYED'],
      ['audit.checkpoint', null],
    ]);
    expect(events).toHaveLength(6 + 2 * 4);
    const ok = bin(['audit', 'verify', ...state, ...trust, '--json']);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, lastSeq: 14, checkpoints: 1, signatures: { status: 'valid' }, witness: { seq: 6 } });
    expect(bin(['audit', 'verify', trace]).out).toContain('Trace intègre : 14 événements');
    expect(bin(['audit', 'verify', trace, '--lang', 'en']).out).toContain('signatures not checked');
    // On demand.
    const cp = bin(['audit', 'checkpoint', ...state, ...keys, '--json']);
    expect(JSON.parse(cp.out)).toMatchObject({ checkpoint: { seq: 15, firstSeq: 6, lastSeq: 14 } });
    // Damage: one event edited.
    const lines = readFileSync(trace, 'utf8').split('\n');
    writeFileSync(join(work, 'edited.jsonl'), lines.map((l, i) => (i === 3 ? l.replace('"success"', '"refused"') : l)).join('\n'));
    const bad = bin(['audit', 'verify', 'edited.jsonl', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, damage: { kind: 'modified', seq: 4, code: 'ERR_AUDIT_HASH_MISMATCH' } });
    writeFileSync(join(work, 'gap.jsonl'), lines.filter((_, i) => i !== 7).join('\n'));
    expect(bin(['audit', 'verify', 'gap.jsonl']).out).toContain('deleted à la séquence 8');
  }, 120_000);

  it('a trace cut at its head, a garbage witness, a backdated append: each named, none passes (issue 14 #2, #3, #4)', async () => {
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    // Every event before the first checkpoint deleted: once 'intact, start anchored by a checkpoint'.
    const first = lines.findIndex((l) => l.includes('"audit.checkpoint"'));
    writeFileSync(join(work, 'cut.jsonl'), `${lines.slice(first).join('\n')}\n`);
    for (const args of [['cut.jsonl'], ['cut.jsonl', ...trust]]) {
      const cut = bin(['audit', 'verify', ...args, '--json']);
      expect(cut.code, cut.out).toBe(1);
      expect(JSON.parse(cut.out)).toMatchObject({ ok: false, damage: { kind: 'truncated-head' }, purge: null });
    }
    expect(bin(['audit', 'verify', 'cut.jsonl', '--lang', 'en']).out).toMatch(/^Trace damaged: truncated-head/);
    // A witness that is not a checkpoint's line is reported, not ignored.
    writeFileSync(join(work, 'w.jsonl'), readFileSync(trace));
    for (const garbage of ['not json\n', '{"seq": 1e9, "hash": "00"}\n', '', readFileSync(trace, 'utf8').split('\n')[0]!]) {
      writeFileSync(join(work, 'w.jsonl.checkpoint'), garbage);
      const w = bin(['audit', 'verify', 'w.jsonl', '--json']);
      expect(w.code, garbage).toBe(1);
      const report = JSON.parse(w.out) as { witnessStatus: string; issues: { code: string }[] };
      expect(report.witnessStatus).toBe('invalid');
      expect(report.issues.map((i) => i.code)).toContain('ERR_AUDIT_WITNESS_INVALID');
      expect(bin(['audit', 'verify', 'w.jsonl']).out).toContain('ERR_AUDIT_WITNESS_INVALID');
    }
    // A writer whose clock is an hour behind the trace's latest event: refused, nothing appended.
    const before = readFileSync(trace, 'utf8');
    const late = cliIn(work, '1774000800', () => new Date(Date.now() - 3_600_000));
    const seal = [
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--role',
      'assure',
      '--signer',
      'X',
      '--image',
      'sig.png',
      ...keys,
      ...state,
      '-o',
      'late.p7m',
    ];
    const r = await late(seal);
    expect(r.code, r.err).not.toBe(0);
    expect(r.err).toContain('ERR_AUDIT_TIME_BACKWARDS');
    expect(readFileSync(trace, 'utf8')).toBe(before);
    expect(bin(['audit', 'verify', ...state, ...trust]).code).toBe(0);
  }, 60_000);

  it('audit export writes the period with a signed manifest that audit verify checks (AUD-4)', () => {
    for (const format of ['jsonl', 'csv', 'ocsf']) {
      const out = `export.${format}`;
      const r = bin([
        'audit',
        'export',
        ...state,
        '--from',
        day(YESTERDAY),
        '--to',
        day(new Date()),
        '--format',
        format,
        '-o',
        out,
        ...keys,
        '--json',
        ...(format === 'csv' ? ['--bom'] : []),
      ]);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ exported: true, format });
      const v = bin(['audit', 'verify', `${out}.manifest.json`, ...trust, '--json']);
      expect(v.code, v.out).toBe(0);
      expect(JSON.parse(v.out)).toMatchObject({ ok: true, signature: { status: 'valid' } });
    }
    expect(readFileSync(join(work, 'export.csv')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    writeFileSync(join(work, 'export.jsonl'), readFileSync(join(work, 'export.jsonl'), 'utf8').replace('"success"', '"refused"'));
    const bad = bin(['audit', 'verify', 'export.jsonl.manifest.json', ...trust]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('ERR_AUDIT_EXPORT_MISMATCH');
    expect(bin(['audit', 'export', ...state, '--from', '2026-03-22', '--to', '2026-03-21', '--format', 'csv', '-o', 'x.csv', ...keys]).code).toBe(2);
    expect(bin(['audit', 'export', ...state, '--from', '2026-03-20', '--to', '2026-03-21', '--format', 'xml', '-o', 'x.xml', ...keys]).code).toBe(2);
    // The export itself is traced.
    const last = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string })
      .pop();
    expect(last?.action).toBe('audit.export');
    expect(bin(['audit', 'verify', ...state, ...trust]).code).toBe(0);
  }, 120_000);

  it('usage and unreadable input exit 2', () => {
    expect(bin(['audit', 'verify']).code).toBe(2);
    expect(bin(['audit', 'verify', 'missing.jsonl']).code).toBe(2);
    expect(bin(['audit', 'frobnicate', 'x']).code).toBe(2);
  });
});
