import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '@s3404/core';
import { createLotManager, type Arl, type LotTransmission } from '@s3404/scor';
import { packLotFile, type PackedLotFile } from '@s3404/scor/file';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { lotFixture } from './fixtures/lot.js';

/**
 * A process SIGKILLed while it registers a lot, between storing a transition and its trace (SCOR-3, AUD-1, issue 19):
 * the worker's trace sink stops answering after `hangAt` events, and the test kills it there.
 */
const WORKER = join(import.meta.dirname, 'workers/register-worker.ts');
const NOW = '2026-03-02T09:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 's3404-register-kill-'));
let lot: PackedLotFile;

beforeAll(async () => {
  const fx = await lotFixture(2);
  lot = await packLotFile(fx.description, {
    files: (f) => fx.files.get(f),
    dir: join(dir, 'scor'),
    now: () => new Date(NOW),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the worker on `db` until its sink hangs at event `hangAt`, then SIGKILLs it. */
async function killedWhileRegistering(db: string, traceFile: string, hangAt: number): Promise<void> {
  const job = join(dir, `job-${hangAt}.json`);
  writeFileSync(job, JSON.stringify({ db, lot, traceFile, hangAt, now: NOW }));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, job], { cwd: import.meta.dirname });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('hanging\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`the worker ended before its sink hung: ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

const traced = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as TraceEvent).reason ?? '');

describe('a registration SIGKILLed between the store and the trace (SCOR-3, AUD-1)', () => {
  it.each([
    {
      hangAt: 0,
      when: 'its lot stored, before its creation is traced',
      again: 'taken up',
    },
    {
      hangAt: 1,
      when: 'its creation traced, its move to awaiting-b2-arl stored but not traced',
      again: 'refused',
    },
  ])(
    'killed with $when: every event traced once, in order, by the next process',
    async ({ hangAt, again }) => {
      const db = join(dir, `lots-${hangAt}.sqlite`);
      const traceFile = join(dir, `trace-${hangAt}.jsonl`);
      writeFileSync(traceFile, '');
      await killedWhileRegistering(db, traceFile, hangAt);
      // The next process, on the same file and trace.
      const store = await SqliteLotStore.open({ path: db });
      const sent: LotTransmission[] = [];
      const lots = createLotManager({
        store,
        trace: {
          record: (e) => writeFileSync(traceFile, `${JSON.stringify(e)}\n`, { flag: 'a' }),
        },
        transport: {
          id: 'recording',
          send: async (t) => {
            sent.push(t);
            return { reference: 'msg-1' };
          },
        },
        now: () => new Date(Date.parse(NOW) + 60_000),
      });
      const b2: Arl = {
        kind: 'b2',
        finess: lot.finess,
        b2LotNumber: lot.b2LotNumber,
        positive: true,
        receivedAt: NOW,
      };
      if (again === 'taken up')
        expect(await lots.register(lot, { b2Arl: b2 })).toMatchObject({
          state: 'sent',
        });
      else {
        await expect(lots.register(lot)).rejects.toMatchObject({
          code: 'ERR_LOT_EXISTS',
        });
        expect(await lots.recordArl(b2)).toMatchObject([{ state: 'sent' }]);
      }
      expect(sent).toHaveLength(1);
      expect(traced(traceFile)).toEqual([
        '∅ → built',
        'built → awaiting-b2-arl',
        expect.stringMatching(/^awaiting-b2-arl → ready/),
        'ready → sent, tentative 1 (msg-1)',
      ]);
      expect((await lots.get(lot.lotId)).untraced).toBeUndefined();
      await store.close();
    },
    60_000,
  );
});
