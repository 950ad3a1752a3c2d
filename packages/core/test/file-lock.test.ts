import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireFileLock, withFileLock, type FileLockStep } from '@s3404/core/node';

const dir = mkdtempSync(join(tmpdir(), 's3404-core-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pid no process has any more. */
const deadPid = (): number => spawnSync('true').pid!;

/** Every point of a takeover and of a release where a holder may be killed. */
const STEPS: readonly FileLockStep[] = ['listed', 'judged', 'prepared', 'linked', 'confirmed', 'collected', 'releasing', 'released'];

/** A `test/workers/lock-counter.ts` process: its `ack` values, the words it said, its exit code (`null`: killed). */
function counterProcess(args: readonly string[]): { acks: number[]; said(word: string): Promise<void>; done: Promise<number | null> } {
  const file = fileURLToPath(new URL('./workers/lock-counter.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: number[] = [];
  const words = new Map<string, () => void>();
  const heard = new Set<string>();
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith('ack ')) acks.push(Number(l.slice(4)));
      heard.add(l);
      words.get(l)?.();
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      for (const w of words.values()) w();
      resolve(code);
    }),
  );
  return {
    acks,
    said: (word) => (heard.has(word) || child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => words.set(word, r))),
    done,
  };
}

describe('acquireFileLock: one cross-process lock (X-2, AUD-2, SIG-5)', () => {
  it('processes incrementing one file under the lock, a holder killed holding it and one killed at every step: no increment lost or doubled', async () => {
    const lock = join(dir, 'counter.lock.d');
    const counter = join(dir, 'counter');
    const holder = counterProcess([lock, counter, '0', 'die-holding']);
    await holder.said('holding');
    const victims = STEPS.map((step, k) => counterProcess([lock, counter, '3', `kill-at:${step}:${1 + (k % 3)}`]));
    const writers = Array.from({ length: 2 }, () => counterProcess([lock, counter, '15', 'write']));
    await Promise.all([...victims, ...writers].map((p) => p.said('ready')));
    writeFileSync(`${counter}.go`, '');
    expect(await holder.done).toBeNull();
    expect(await Promise.all(victims.map((v) => v.done))).toEqual(victims.map(() => null));
    expect(await Promise.all(writers.map((w) => w.done))).toEqual(writers.map(() => 0));
    const acks = [...victims, ...writers].flatMap((p) => p.acks);
    // Two holders at once would read the same value and acknowledge the same increment twice.
    expect(new Set(acks).size).toBe(acks.length);
    const final = Number(readFileSync(counter, 'utf8'));
    expect(acks.length).toBeGreaterThanOrEqual(30);
    // A victim may die after writing and before acknowledging: at most one such increment each.
    expect(final).toBeGreaterThanOrEqual(Math.max(...acks));
    expect(final - acks.length).toBeLessThanOrEqual(victims.length);
    // Whatever the kills left behind, the lock is still taken at once.
    await (await acquireFileLock(lock, { timeoutMs: 2_000 }))();
  }, 60_000);

  it('in one process: 30 waiters over every state a killed holder can leave, one holder at a time, the directory collected', async () => {
    const host = hostname();
    /** States of the lock directory, as processes killed at each step leave them. */
    const states: Record<string, (d: string) => void> = {
      empty: () => undefined,
      'holder killed': (d) => writeFileSync(join(d, '7'), `${deadPid()} ${host} a\n`),
      'a killed holder above a released generation and strays': (d) => {
        writeFileSync(join(d, '3'), `${deadPid()} ${host} a\n`);
        writeFileSync(join(d, '3.free'), '');
        writeFileSync(join(d, '5'), `${deadPid()} ${host} b\n`);
        writeFileSync(join(d, '4'), `${deadPid()} ${host} c\n`);
        writeFileSync(join(d, '9'), `${deadPid()} ${host} d\n`);
      },
      'released, and a temporary file of a killed taker': (d) => {
        writeFileSync(join(d, '2'), `${process.pid} ${host} e\n`);
        writeFileSync(join(d, '2.free'), '');
        const temp = join(d, `tmp-${deadPid()}-x`);
        writeFileSync(temp, `${deadPid()} ${host} f\n`);
        utimesSync(temp, new Date(0), new Date(0));
      },
      'unreadable record': (d) => {
        writeFileSync(join(d, '4'), '');
        utimesSync(join(d, '4'), new Date(0), new Date(0));
      },
    };
    for (const [name, make] of Object.entries(states)) {
      const lock = join(dir, `${name.replace(/\W+/g, '-')}.lock.d`);
      mkdirSync(lock);
      make(lock);
      let inside = 0;
      let most = 0;
      let entries = 0;
      await Promise.all(
        Array.from({ length: 30 }, async () => {
          for (let k = 0; k < 4; k++) {
            await withFileLock(
              lock,
              async () => {
                inside++;
                most = Math.max(most, inside);
                entries++;
                await new Promise((done) => setTimeout(done, 1));
                inside--;
              },
              { timeoutMs: 20_000 },
            );
          }
        }),
      );
      expect({ name, most, entries }).toEqual({ name, most: 1, entries: 120 });
      const left = readdirSync(lock).filter((f) => !f.startsWith('tmp-') || f.includes(String(process.pid)));
      // Collected once it holds more than 16 names.
      expect(left.length, `${name}: ${left.join(' ')}`).toBeLessThanOrEqual(18);
    }
  }, 60_000);

  it('waits for a live holder, on this host or another, and says who holds it when it gives up (ERR_LOCK_TIMEOUT, both languages)', async () => {
    const lock = join(dir, 'x.lock.d');
    mkdirSync(lock);
    writeFileSync(join(lock, '1'), `${process.pid} other-host g\n`);
    const e = await acquireFileLock(lock, { timeoutMs: 100, locale: 'en' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_LOCK_TIMEOUT', kind: 'unavailable', params: { path: lock } });
    expect((e as Error).message).toMatch(/^Lock held by another process: .*x\.lock\.d \(pid \d+ @other-host\); try again later\.$/);
    const fr = await acquireFileLock(lock, { timeoutMs: 0 }).catch((x: unknown) => x);
    expect((fr as Error).message).toMatch(/^Verrou tenu par un autre processus : .*x\.lock\.d \(pid \d+ @other-host\) ; réessayez plus tard\.$/);
    // A fresh record that is not `pid host token`: waited for, and named in the message's language.
    const odd = join(dir, 'odd.lock.d');
    mkdirSync(odd);
    writeFileSync(join(odd, '1'), 'garbage');
    await expect(acquireFileLock(odd, { timeoutMs: 50, locale: 'en' })).rejects.toThrow(/\(unreadable record\)/);
    await expect(acquireFileLock(odd, { timeoutMs: 50 })).rejects.toThrow(/\(enregistrement illisible\)/);

    const y = join(dir, 'y.lock.d');
    const release = await acquireFileLock(y, { timeoutMs: 100 });
    await expect(acquireFileLock(y, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    await release();
    await release(); // idempotent
    // withFileLock releases when fn throws.
    await expect(withFileLock(y, async () => Promise.reject(new Error('boom')), { timeoutMs: 100 })).rejects.toThrow('boom');
    expect(await withFileLock(y, async () => 42, { timeoutMs: 100 })).toBe(42);
    await expect(acquireFileLock('', {})).rejects.toThrow(TypeError);
    await expect(acquireFileLock(y, { timeoutMs: -1 })).rejects.toThrow(TypeError);
  });
});
