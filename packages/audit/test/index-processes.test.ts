import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditLog } from '@s3404/audit';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { nodeSha256 } from '@s3404/core/node';
import { describe, expect, it } from 'vitest';
import { prng, withDir } from './helpers.js';
import { spawnWriter, type Writer } from './processes.js';
import { poolDelivery } from './workers/pool.js';

const POOL = 200;
const PER_PROCESS = 300;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves once `w` has printed a line (it is delivering), or has exited. */
async function delivering(w: Writer): Promise<void> {
  let exited = false;
  void w.done.then(() => (exited = true));
  while (!exited && w.lines.length === 0) await sleep(10);
}

describe('recent-id indexes of several processes on one trace file, purged and killed under them (AUD-2, issue 19)', () => {
  it('4 processes delivering the same ids while a fifth purges and some are SIGKILLed: every id is in the file at most once, every answer is its own event, the trace verifies after its purged head', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const random = prng(19);
      // Ids made now: every lookup goes through the index of the process that makes it.
      const base = Date.now();
      let seed = 100;
      const deliverer = (): Writer => spawnWriter('id-worker.ts', [path, 'deliver', String(base), String(POOL), String(PER_PROCESS), String(seed++)]);
      const purger = spawnWriter('id-worker.ts', [path, 'purge', String(base), String(POOL), '0', '1']);
      const running = Array.from({ length: 4 }, deliverer);
      const all = [...running];
      const killed = new Set<Writer>();
      // Three of them SIGKILLed at random moments while they deliver, each replaced by a new one: what it had indexed
      // dies with it.
      for (let k = 0; k < 3; k++) {
        const victim = running.splice(Math.floor(random() * running.length), 1)[0]!;
        await delivering(victim);
        await sleep(random() * 150);
        victim.kill();
        killed.add(victim);
        const fresh = deliverer();
        running.push(fresh);
        all.push(fresh);
      }
      const codes = await Promise.all(all.map((w) => w.done));
      purger.kill();
      await purger.done;
      for (const [i, w] of all.entries()) if (!killed.has(w)) expect(codes[i], `deliverer ${i}`).toBe(0);

      // Anything torn by a kill is set aside by the next append (audit.recovered); then the file must verify. Its
      // only damage is its start: the purger purges without the retention evidence (which dates the purged events
      // 24 months back), and verify reports a head cut only when every line after it verifies.
      const log = createAuditLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256 });
      await log.append({ ...poolDelivery(base, POOL), id: undefined });
      await log.close();
      const report = await verifyLogFile(path);
      expect(report.damage).toMatchObject({ kind: 'truncated-head', code: 'ERR_AUDIT_HEAD_TRUNCATED' });

      const events = readFileSync(path, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq: number; id: string; action: string });
      const first = events[0]!.seq;
      // The purger did purge, under the deliverers (the file starts past seq 1 with the checkpoint that anchors it).
      const purged = purger.lines.filter((l) => l.startsWith('purged ')).map((l) => Number(l.split(' ')[1]));
      expect(purged.some((n) => n > 0)).toBe(true);
      expect(first).toBeGreaterThan(1);
      expect(events[0]!.action).toBe('audit.checkpoint');
      // No id twice in the file, nor in the trace as the purger read it before each purge.
      expect(purger.lines.filter((l) => l.startsWith('duplicate '))).toEqual([]);
      const seqOfId = new Map<string, number>();
      for (const e of events) {
        expect(seqOfId.has(e.id), `id ${e.id} at seq ${seqOfId.get(e.id)} and ${e.seq}`).toBe(false);
        seqOfId.set(e.id, e.seq);
      }
      // Every acknowledged delivery was answered with its id's own event: the line at that seq, unless purged since.
      const bySeq = new Map(events.map((e) => [e.seq, e]));
      let answers = 0;
      let redeliveries = 0;
      const delivered = new Set<number>();
      for (const w of all) {
        for (const l of w.lines) {
          const [word, n, seq] = l.split(' ');
          if (word !== 'id') continue;
          answers++;
          if (delivered.has(Number(n))) redeliveries++;
          delivered.add(Number(n));
          if (Number(seq) < first) continue;
          expect(bySeq.get(Number(seq))?.id, `id ${n} answered with seq ${seq}`).toBe(poolDelivery(base, Number(n)).id);
        }
      }
      expect(answers).toBeGreaterThan(3 * PER_PROCESS);
      expect(redeliveries).toBeGreaterThan(50);
    });
  }, 120_000);
});
