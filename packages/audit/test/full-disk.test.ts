import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAuditLog, type AuditEvent } from '@s3404/audit';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { nodeSha256 } from '@s3404/core/node';
import { canMountSmallDisk, fillDisk, withSmallDisk } from '@s3404/tooling/test-kit';

import { draft, signer, withDir } from './helpers.js';

const smallDisk = await canMountSmallDisk();

/**
 * A disk that fills up while the file store appends (AUD-2, X-2, issue 19): the writer process runs under a
 * file-size limit (`ulimit -f`, in KiB), so a commit fails half-way with EFBIG, as on a full disk.
 */
const WORKER = fileURLToPath(new URL('./workers/append-worker.ts', import.meta.url));

describe('the file store on a full disk (AUD-2, X-2)', () => {
  it('a commit that fills the disk leaves no partial line: every acknowledged event is kept, the log verifies, and appends go on once there is room', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const node = [process.execPath, '--conditions=@s3404/source', '--import', 'tsx', WORKER, path, '5000', '8', 'full'].map((a) => `'${a}'`).join(' ');
      const r = spawnSync('bash', ['-c', `ulimit -f 256; exec ${node}`], { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
      // The writer fails (its appends are refused once the disk is full), it does not hang.
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(/EFBIG|ERR_AUDIT_STORE_UNAVAILABLE/);
      const acks = [...r.stdout.matchAll(/^ack (\d+) ([0-9a-f]{64})$/gm)].map((m) => [Number(m[1]), m[2]!] as const);
      expect(acks.length).toBeGreaterThan(100);
      // The file stopped short of the limit, at a line's end: no torn tail.
      const size = statSync(path).size;
      expect(size).toBeLessThanOrEqual(256 * 1024);
      expect(readFileSync(path).at(-1)).toBe(0x0a);
      const report = await verifyLogFile(path);
      expect(report).toMatchObject({ ok: true });
      expect(report.tornTail ?? null).toBeNull();
      const kept = new Map(
        readFileSync(path, 'utf8')
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as { seq: number; hash: string })
          .map((e) => [e.seq, e.hash]),
      );
      for (const [seq, hash] of acks) expect(kept.get(seq), `ack ${seq}`).toBe(hash);
      // Room again: the next append continues the chain (on the system clock, as the writer's).
      const log = createAuditLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256 });
      const next = await log.append(draft(1));
      await log.close();
      expect(next.seq).toBe(report.lastSeq! + 1);
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: next.seq });
    });
  });

  it.skipIf(!smallDisk)(
    'a real full disk (a small tmpfs, ENOSPC): refused appends write nothing, acknowledged ones and checkpoints stay, appends go on once room is made',
    async () => {
      await withDir(async (dir) => {
        await withSmallDisk(join(dir, 'disk'), '128k', async (disk) => {
          const path = join(disk, 'trace.jsonl');
          const makeRoom = await fillDisk(disk, { chunk: 8 * 1024, room: 4 });
          const log = createAuditLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256, signer: await signer() });
          const acked: AuditEvent[] = [];
          const refused = new Set<string>();
          // Batches of mixed sizes until the disk is full, then some more: each one is written whole or refused.
          for (let round = 0; refused.size === 0 || round < 400; round++) {
            if (round > 2000) throw new Error('the disk never filled');
            const results = await Promise.allSettled([
              log.append({ ...draft(round), reason: 'r'.repeat(round % 400) || undefined }),
              log.appendMany([draft(round + 1), draft(round + 2)]),
              ...(round % 50 === 0 ? [log.checkpoint()] : []),
            ]);
            for (const r of results) {
              if (r.status === 'rejected') refused.add((r.reason as { code?: string }).code ?? String(r.reason));
              else if (Array.isArray(r.value)) acked.push(...r.value);
              else if (r.value !== null) acked.push(r.value);
            }
          }
          expect([...refused]).toEqual(['ERR_AUDIT_STORE_UNAVAILABLE']);
          expect(readFileSync(path).at(-1)).toBe(0x0a);
          const full = await verifyLogFile(path, { locale: 'en' });
          expect(full).toMatchObject({ ok: true, lastSeq: acked.at(-1)!.seq });
          expect(full.tornTail ?? null).toBeNull();
          const kept = readFileSync(path, 'utf8').trimEnd().split('\n');
          expect(kept.map((l) => (JSON.parse(l) as AuditEvent).hash)).toEqual(acked.map((e) => e.hash));
          // Room again (the operator deletes something): the same log goes on, checkpoints included.
          makeRoom();
          const next = await log.append(draft(7));
          expect(next.seq).toBe(acked.at(-1)!.seq + 1);
          expect(await log.checkpoint()).toMatchObject({ seq: next.seq + 1, action: 'audit.checkpoint' });
          await log.close();
          expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: next.seq + 1 });
        });
      });
    },
  );
});
