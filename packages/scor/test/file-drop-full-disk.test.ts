import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canMountSmallDisk, withSmallDisk } from '@s3404/tooling/test-kit';

import { run, withTemp } from './fixtures/tools.js';

const smallDisk = await canMountSmallDisk();

/**
 * A disk that fills up while `FileDropTransport` writes a lot (SCOR-3, X-2, issue 19): the worker runs under a
 * file-size limit (`ulimit -f`, in KiB), so its write fails half-way with EFBIG, as on a full disk.
 */
const WORKER = join(import.meta.dirname, 'workers/drop-worker.ts');

function sendUnderLimit(o: { dir: string; container: string; mode: 'send' | 'sendChunks'; limitKiB?: number; outbox?: string }): {
  reference?: string;
  code?: string;
} {
  const job = join(o.dir, `${o.mode}.json`);
  writeFileSync(job, JSON.stringify({ dir: o.outbox ?? join(o.dir, 'outbox'), container: o.container, mode: o.mode }));
  const node = [process.execPath, '--conditions=@s3404/source', '--import', 'tsx', WORKER, job].map((a) => `'${a}'`).join(' ');
  const limit = o.limitKiB === undefined ? '' : `ulimit -f ${o.limitKiB}; `;
  const r = spawnSync('bash', ['-c', `${limit}exec ${node}`], { encoding: 'utf8', cwd: import.meta.dirname });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { reference?: string; code?: string };
}

describe('FileDropTransport on a full disk (SCOR-3, X-2)', () => {
  for (const mode of ['send', 'sendChunks'] as const) {
    it(`${mode}: the write fails with ERR_FILE_UNWRITABLE and leaves nothing in the drop folder; with room, the lot is written whole`, () => {
      withTemp((dir) => {
        // 512 KiB that do not compress, under a 64 KiB limit.
        const container = join(dir, 'LOT.zip');
        const bytes = Buffer.alloc(512 * 1024);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24;
        writeFileSync(container, bytes);
        expect(sendUnderLimit({ dir, container, mode, limitKiB: 64 })).toEqual({ code: 'ERR_FILE_UNWRITABLE' });
        // No temporary file, no folder of the attempt or of the lot: a picker watching the folder sees nothing.
        expect(readdirSync(join(dir, 'outbox'))).toEqual([]);
        const sent = sendUnderLimit({ dir, container, mode });
        expect(sent).toEqual({ reference: join('750300360-042-dropworker', 'attempt-1', 'LOT.zip') });
        expect(readFileSync(join(dir, 'outbox', sent.reference!)).equals(bytes)).toBe(true);
        expect(
          run('find', [join(dir, 'outbox'), '-type', 'f'])
            .stdout.trim()
            .split('\n'),
        ).toEqual([join(dir, 'outbox', sent.reference!)]);
      });
    });
  }

  for (const mode of ['send', 'sendChunks'] as const) {
    // The test returns the disk's promise: its checks run inside the test, not after it ended.
    it.skipIf(!smallDisk)(
      `${mode}: a real full disk (a 128 KiB tmpfs, ENOSPC) is ERR_FILE_UNWRITABLE and leaves nothing; with room, the lot is written whole`,
      () => {
        return withTemp((dir) => {
          return withSmallDisk(join(dir, 'disk'), '128k', (disk) => {
            const container = join(dir, 'LOT.zip');
            const bytes = Buffer.alloc(512 * 1024);
            for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24;
            writeFileSync(container, bytes);
            const outbox = join(disk, 'outbox');
            expect(sendUnderLimit({ dir, container, mode, outbox })).toEqual({ code: 'ERR_FILE_UNWRITABLE' });
            expect(readdirSync(outbox)).toEqual([]);
            expect(spawnSync('mount', ['-o', 'remount,size=2m', disk]).status).toBe(0);
            const sent = sendUnderLimit({ dir, container, mode, outbox });
            expect(sent).toEqual({ reference: join('750300360-042-dropworker', 'attempt-1', 'LOT.zip') });
            expect(readFileSync(join(outbox, sent.reference!)).equals(bytes)).toBe(true);
            expect(run('find', [outbox, '-type', 'f']).stdout.trim().split('\n')).toEqual([join(outbox, sent.reference!)]);
          });
        });
      },
    );
  }
});
