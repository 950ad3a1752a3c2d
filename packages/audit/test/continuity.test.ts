import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditStore } from '@s3404/audit';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { nodeSha256 } from '@s3404/core/node';
import { clock, collect, draft, memoryLog, signer, T0, withDir } from './helpers.js';

const linesOf = (path: string): string[] => readFileSync(path, 'utf8').split('\n').slice(0, -1);

describe('a writer continues the chain it holds, or writes nothing (AUD-2)', () => {
  it('refuses to append after lines that do not continue the chain (a duplicated sequence, a foreign line), and says so', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const early = await FileAuditStore.open({ path, locale: 'en' });
      const log = memoryLog({ store: early, sha256: nodeSha256 });
      for (let i = 0; i < 10; i++) await log.append(draft(i));
      const lines = linesOf(path);
      // Another writer's line 10 again (as two holders of the lock at once wrote), then a line of another trace.
      appendFileSync(path, `${lines[9]}\n`);
      const before = readFileSync(path);
      const e = await log.append(draft(10)).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_AUDIT_CHAIN_BROKEN', kind: 'verdict', params: { seq: 10, expected: 11 } });
      expect((e as Error).message).toBe(
        'Append refused: the trace does not continue from its head (sequence 10), sequence 11 expected; it is damaged, have it verified.',
      );
      await expect(FileAuditStore.open({ path })).rejects.toMatchObject({ code: 'ERR_AUDIT_CHAIN_BROKEN' });
      expect(readFileSync(path)).toEqual(before);
      const otherStore = new MemoryAuditStore();
      const other = memoryLog({ store: otherStore });
      for (let i = 0; i < 12; i++) await other.append(draft(100 + i));
      const foreign = new TextDecoder().decode(await collect(otherStore.lines())).split('\n')[10]!;
      writeFileSync(path, `${lines.join('\n')}\n${foreign}\n`);
      await expect(log.append(draft(10))).rejects.toMatchObject({ code: 'ERR_AUDIT_CHAIN_BROKEN', params: { seq: 11 } });
      await log.close();
    });
  });

  it('checks, right before writing, that the file still ends where its head is: a line slipped in meanwhile is never written over or after', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const store = await FileAuditStore.open({ path, locale: 'en' });
      // The same events in memory: its fourth line is a valid continuation of the file's three.
      const twin = new MemoryAuditStore();
      const twinLog = memoryLog({ store: twin });
      const log = memoryLog({ store: intercepting(store, () => appendFileSync(path, `${fourth}\n`)), sha256: nodeSha256 });
      for (let i = 0; i < 3; i++) {
        await twinLog.append(draft(i));
        await log.append(draft(i));
      }
      await twinLog.append(draft(3));
      const fourth = new TextDecoder().decode(await collect(twin.lines())).split('\n')[3]!;
      armed = true;
      const e = await log.append(draft(9)).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_AUDIT_HEAD_MOVED', kind: 'unavailable' });
      expect((e as Error).message).toMatch(/^Append refused: the trace file changed under the writer holding the lock: .*; nothing was written, retry\.$/);
      expect(linesOf(path)).toHaveLength(4);
      expect(linesOf(path)[3]).toBe(fourth);
      // The next append reads the file again and continues after the line it had not read.
      const next = await log.append(draft(5));
      expect(next.seq).toBe(5);
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: 5 });
      await log.close();
    });
  });

  it('a handle whose file was replaced by another handle’s purge writes to the file, not to the replaced one', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const c = clock();
      const a = memoryLog({ store: await FileAuditStore.open({ path }), signer: await signer(), now: c.now, sha256: nodeSha256 });
      for (let i = 0; i < 20; i++) await a.append(draft(i));
      await a.checkpoint();
      for (let i = 0; i < 5; i++) await a.append(draft(i));
      const b = memoryLog({ store: await FileAuditStore.open({ path }), now: c.now, sha256: nodeSha256 });
      await b.append(draft(30));
      c.set(new Date(T0.getTime() + 25 * 31 * 86400_000));
      expect((await a.purge({ before: new Date(T0.getTime() + 1000) })).purged).toBe(20);
      const e = await b.append(draft(31));
      const last = JSON.parse(linesOf(path).at(-1)!) as { seq: number; hash: string };
      expect(last).toMatchObject({ seq: e.seq, hash: e.hash });
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, start: 'checkpoint', firstSeq: 21, lastSeq: e.seq });
      await a.close();
      await b.close();
    });
  });
});

let armed = false;
/** The store, with `slip` run once (when armed) after the batch is built and before it is written: another program writing without the lock. */
function intercepting(store: AuditStore, slip: () => void): AuditStore {
  return {
    append: (build) =>
      store.append(async (head) => {
        const events = await build(head);
        if (armed) {
          armed = false;
          slip();
        }
        return events;
      }),
    read: (o) => store.read(o),
    lines: () => store.lines(),
    head: () => store.head(),
    purge: (n) => store.purge(n),
    close: () => store.close(),
  };
}
