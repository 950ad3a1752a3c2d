import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NEWER_NODES } from '@s3404/tooling/test-kit';

/**
 * X-1, issue 19: the README's main job on a vendor's Node 22 or 24 — here with the
 * workspace's better-sqlite3, whose native addon was built for the Node
 * running the tests (20): what an upgrade of Node without a reinstall leaves.
 * The stores, the demo's folder lock and its durability barrier then run on
 * node:sqlite instead of failing (before: `ERR_INTERNAL`, exit 70, "compiled
 * against a different Node.js version").
 */
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 's3404-newer-node-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(NEWER_NODES)('s3404 demo on Node $major (X-1)', ({ major, path: NODE, run }) => {
  it.runIf(run)(
    'runs the whole flow with better-sqlite3 built for another Node: on node:sqlite, every check passed; a second demo into the same folder is refused',
    async () => {
      const dir = join(work, `node${major}`);
      const out = join(dir, 'demo');
      const r = spawnSync(NODE, [BIN, 'demo', '--count', '3', '--out', out, '--json'], { encoding: 'utf8', cwd: work, timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      // Nothing on stderr but Node 22's notice that node:sqlite is experimental (Node 24 prints none).
      expect(r.stderr.split('\n').filter((l) => l !== '' && !/ExperimentalWarning: SQLite is an experimental feature|--trace-warnings/.test(l))).toEqual([]);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
      expect(summary).toMatchObject({
        valid: 3,
        invalid: 0,
        accountingDay: { bordereaux: 3, complete: true },
        scor: { state: 'arl-positive', verified: true, manifestSeal: 'valid' },
        audit: { ok: true, checkpoints: 'valid' },
        pades: { level: 'B-T', sealed: 3, passed: 3 },
      });
      expect(JSON.parse(r.stdout)).toEqual(summary);
      // The folder lock on node:sqlite: a second demo into the same folder is refused at once (usage, exit 2).
      const first = spawn(NODE, [BIN, 'demo', '--count', '40', '--out', join(dir, 'locked'), '--json'], { cwd: work, stdio: 'ignore' });
      const ended = new Promise<number | null>((resolve) => first.on('close', resolve));
      const deadline = Date.now() + 30_000;
      while (!existsSync(join(dir, 'locked', 'summary.json')) && !existsSync(join(dir, 'locked', 'bordereaux')) && Date.now() < deadline)
        spawnSync('sleep', ['0.05']);
      const second = spawnSync(NODE, [BIN, 'demo', '--count', '1', '--out', join(dir, 'locked')], { encoding: 'utf8', cwd: work, timeout: 60_000 });
      expect(second.status, second.stderr).toBe(2);
      expect(second.stderr).toContain('une autre démonstration écrit dans');
      expect(await ended).toBe(0);
      // The addon really is unusable on this Node: the stores could only have used node:sqlite.
      const probe = spawnSync(
        NODE,
        ['-e', "const D = require('better-sqlite3'); try { new D(':memory:'); console.log('works') } catch (e) { console.log('fails') }"],
        {
          encoding: 'utf8',
          cwd: fileURLToPath(new URL('..', import.meta.url)),
        },
      );
      expect(probe.stdout.trim()).toBe('fails');
    },
  );
});
