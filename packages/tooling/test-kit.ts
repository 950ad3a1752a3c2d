/**
 * Test plumbing shared by the packages' suites (never published): a seeded
 * PRNG for fuzzing, and bundling for / launching headless Chromium for the
 * X-1 browser tests.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export { prng } from './prng.js';

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Whether the browser is installed. */
export const browserAvailable = existsSync(CHROMIUM);
/** CI sets S3404_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping. */
export const browserRequired = process.env['S3404_REQUIRE_BROWSER'] === '1';

/** Bundles an entry (source text) for the browser from the packages' TypeScript sources. */
export async function bundleForBrowser(entry: string, resolveDir: string): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    conditions: ['@s3404/source'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Bundles a module file into one ES module for every runtime (platform `neutral`: no Node
 * built-in can be resolved, so the build fails on one), from the packages' TypeScript sources.
 * `imports` are the modules the bundle still imports: the `external` ones given, if reached.
 */
export async function bundleNeutral(entryPath: string, external: readonly string[] = []): Promise<{ code: string; imports: string[] }> {
  const result = await build({
    entryPoints: [entryPath],
    external: [...external],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['@s3404/source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return { code: result.outputFiles[0]!.text, imports };
}

/**
 * A page of `http://localhost/` (routed, no server: Web Crypto's subtle needs a secure context)
 * with `bundle` loaded, and the page errors it reports. `options` are playwright's page options
 * (viewport, deviceScaleFactor, hasTouch, reducedMotion…).
 */
export async function openBundlePage(browser: Browser, bundle: string, options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(options);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('http://localhost/', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>s3404</title>' }),
  );
  await page.goto('http://localhost/');
  await page.addScriptTag({ content: bundle });
  return { page, errors };
}

/** Launches headless Chromium with a fresh, empty profile (playwright gives one per launch). */
export async function launchChromium(): Promise<Browser> {
  if (!browserAvailable) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A white grey-level PNG of the given size, written independently of the SDK (test oracle). */
export function whitePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  const raw = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Runs `cut` every `everyMs` milliseconds until `stop()`, which resolves to
 * the total `cut` returned (what was cut): a server ending a store's
 * connections again and again, as a failover, a restart or an operator does
 * (issue 19). Cuts come in bursts of `burstMs` (default 400) separated by
 * `quietMs` without any (default 100): on a loaded machine, where one
 * operation takes longer than `everyMs`, every try of a careful caller would
 * otherwise be cut and a test's "it goes on" could fail for the machine's
 * slowness, not the code's. It stops by itself after 40 s, so that a test
 * that hangs cannot take its suite's clean-up down with it.
 */
export function repeatedCuts(
  cut: () => Promise<number>,
  everyMs: number,
  o: { readonly burstMs?: number; readonly quietMs?: number } = {},
): { stop(): Promise<number> } {
  const burstMs = o.burstMs ?? 400;
  const quietMs = o.quietMs ?? 100;
  let running = true;
  let total = 0;
  const stopAt = Date.now() + 40_000;
  let failed: unknown;
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const loop = (async () => {
    while (running && Date.now() < stopAt) {
      const burstEnd = Date.now() + burstMs;
      while (running && Date.now() < burstEnd) {
        total += await cut();
        await pause(everyMs);
      }
      if (running && quietMs > 0) await pause(quietMs);
    }
  })().catch((e: unknown) => {
    // Reported by stop(), not as an unhandled rejection in the middle of another test.
    failed = e;
  });
  return {
    stop: async () => {
      running = false;
      await loop;
      if (failed !== undefined) throw failed;
      return total;
    },
  };
}

/**
 * What {@link repeatedCuts} runs against PostgreSQL: ends every other session
 * of the database whose last query mentions `mention` (a store's table
 * prefix), through `admin` (a `pg.Pool`), but not the cutter's own idle connections (their
 * last query is this one); how many it ended.
 */
export function postgresSessionCut(admin: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }, mention: string): () => Promise<number> {
  return async () => {
    const r = await admin.query(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE $1 AND query NOT LIKE '%pg_terminate_backend%'`,
      [`%${mention}%`],
    );
    return (r.rows[0] as { n: number }).n;
  };
}

/**
 * What {@link repeatedCuts} runs against Redis: kills, through `admin` (an
 * ioredis client that is not cut), every connection whose name is `name`
 * (set with ioredis's `connectionName`), so that only the clients under test
 * lose theirs; how many it killed.
 */
export function redisClientCut(admin: { client(...args: string[]): Promise<unknown> }, name: string): () => Promise<number> {
  return async () => {
    let kills = 0;
    for (const line of String(await admin.client('LIST')).split('\n')) {
      const id = / name=(\S+)/.exec(line)?.[1] === name ? /^id=(\d+)/.exec(line)?.[1] : undefined;
      if (id !== undefined) kills += Number(await admin.client('KILL', 'ID', id));
    }
    return kills;
  };
}

/**
 * A maintenance job that watches its own runs (issue 19): each run takes a
 * few ms, asserts its lease is still held, then counts its period in `ran`;
 * `overlaps()` says how many runs started while another was running — two
 * holders at once. Structural, for `createMaintenanceRunner`'s `jobs`.
 */
export function watchedJob(name = 'seal.sweep', everyMs = 60_000) {
  let running = 0;
  let overlaps = 0;
  const ran = new Map<string, number>();
  const job = {
    name,
    everyMs,
    run: async (ctx: { readonly period: string; assertHeld(): Promise<void> }): Promise<void> => {
      running++;
      if (running > 1) overlaps++;
      try {
        await new Promise((r) => setTimeout(r, 3));
        await ctx.assertHeld();
        ran.set(ctx.period, (ran.get(ctx.period) ?? 0) + 1);
      } finally {
        running--;
      }
    },
  };
  return { job, ran, overlaps: (): number => overlaps };
}

/** A maintenance pass's report, as `createMaintenanceRunner`'s `runDue` gives it (structural: the kit imports no package). */
interface PassReport {
  readonly runs: readonly { readonly outcome: string; readonly code?: string | undefined }[];
}

/**
 * Runs the passes of a fleet of maintenance runners over `periods` periods of
 * a manual clock (issue 19): in each period, passes of every runner at once
 * until `ran(period)` says the job ran, the clock moving `stepMs` between
 * passes inside the period (so that a lease left held by a reply lost in a
 * cut expires, as real time would make it) and `pauseMs` of real time (so
 * that a client cut may reconnect, as between a fleet's passes), then on to
 * the next period.
 * What every pass said, counted as `outcome` or `outcome CODE`, and the
 * periods passed; a period whose job never ran is the caller's to find.
 */
export async function passEveryPeriod(o: {
  readonly runners: readonly { runDue(): Promise<PassReport> }[];
  readonly clock: { now(): Date; advance(ms: number): void };
  readonly periods: number;
  readonly everyMs: number;
  readonly ran: (period: string) => boolean;
  readonly stepMs?: number;
  /** Real time waited between passes inside a period (a client reconnecting after a cut), in ms. Default 0. */
  readonly pauseMs?: number;
}): Promise<{ periods: string[]; outcomes: Map<string, number> }> {
  const outcomes = new Map<string, number>();
  const periods: string[] = [];
  for (let k = 0; k < o.periods; k++) {
    const start = o.clock.now().getTime();
    const period = new Date(Math.floor(start / o.everyMs) * o.everyMs).toISOString();
    const end = Date.parse(period) + o.everyMs;
    periods.push(period);
    for (let pass = 0; pass < 200 && !o.ran(period); pass++) {
      for (const report of await Promise.all(o.runners.map((r) => r.runDue())))
        for (const r of report.runs) {
          const key = `${r.outcome}${r.code === undefined ? '' : ` ${r.code}`}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
      if (o.stepMs !== undefined && o.clock.now().getTime() + o.stepMs < end) o.clock.advance(o.stepMs);
      if (o.pauseMs !== undefined && !o.ran(period)) await new Promise((resolve) => setTimeout(resolve, o.pauseMs));
    }
    o.clock.advance(start + o.everyMs - o.clock.now().getTime());
  }
  return { periods, outcomes };
}

/**
 * A vendor's newer Node (X-1): Node 22 or 24, installed beside the Node
 * running the tests by the set-up (`test-fresh.sh`, from the npm registry
 * into `.tmp/node<major>`); on 24 the stores run on node:sqlite. `run`: its
 * tests run when it is there or required (`browserRequired`, CI: then a
 * missing Node fails them), as the browser's do.
 */
export function newerNode(major: 22 | 24): { readonly path: string; readonly present: boolean; readonly run: boolean } {
  const path = fileURLToPath(new URL(`../../.tmp/node${major}/node_modules/.bin/node`, import.meta.url));
  const present = existsSync(path);
  return { path, present, run: present || browserRequired };
}

/** The newer Nodes the runtime tests run on, when their `run` says so. */
export const NEWER_NODES = ([22, 24] as const).map((major) => ({ major, ...newerNode(major) }));

/**
 * A TCP proxy to a server (Redis, PostgreSQL) that forwards everything but
 * one answer: the first reply to a request whose text `cut` matches — and
 * that is not an error reply (a Redis `-ERR…`: nothing written) — is dropped
 * with both connections. The server did the write; the client never hears
 * of it, as when a network cuts after a `COMMIT` (issue 19).
 */
export async function lostAnswerProxy(o: { readonly host: string; readonly port: number; readonly cut: (request: string) => boolean }): Promise<{
  readonly port: number;
  cuts(): number;
  close(): Promise<void>;
}> {
  const { connect, createServer } = await import('node:net');
  let cuts = 0;
  const sockets = new Set<{ destroy(): void }>();
  const server = createServer((client) => {
    const up = connect(o.port, o.host);
    sockets.add(client);
    sockets.add(up);
    let armed = false;
    const end = (): void => {
      client.destroy();
      up.destroy();
    };
    client.on('data', (d: Buffer) => {
      if (cuts === 0 && o.cut(d.toString('latin1'))) armed = true;
      up.write(d);
    });
    up.on('data', (d: Buffer) => {
      if (armed && d[0] !== 0x2d) {
        armed = false;
        cuts++;
        end();
        return;
      }
      client.write(d);
    });
    for (const s of [client, up]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    cuts: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let smallDiskProbe: Promise<boolean> | undefined;

/**
 * Whether this machine lets a test mount a small tmpfs (root on Linux):
 * probed once by mounting and unmounting one. Gate every full-disk test on
 * it (`it.skipIf(!(await canMountSmallDisk()))`), so that a machine without
 * it reports the test skipped instead of passing it without a check.
 */
export function canMountSmallDisk(): Promise<boolean> {
  smallDiskProbe ??= (async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    const probe = mkdtempSync(join(tmpdir(), 's3404-small-disk-'));
    try {
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status !== 0) return false;
      spawnSync('umount', [probe]);
      return true;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  })();
  return smallDiskProbe;
}

/**
 * A real small file system for full-disk tests (X-2, issue 19): mounts a
 * tmpfs of `size` (e.g. `'8m'`) on `dir` (created), runs `fn` on it and
 * unmounts it, also when `fn` throws. Mounting needs root: gate the test on
 * {@link canMountSmallDisk}; a mount that fails here throws, never a test
 * that passes without having run.
 */
export async function withSmallDisk<T>(dir: string, size: string, fn: (disk: string) => Promise<T> | T): Promise<T> {
  const { mkdirSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`withSmallDisk: cannot mount a ${size} tmpfs on ${dir} (gate the test on canMountSmallDisk): ${mounted.stderr}`);
  try {
    return await fn(dir);
  } finally {
    spawnSync('umount', [dir]);
  }
}

/**
 * Fills the file system of `disk` with `chunk`-byte files until it is full,
 * then deletes `room` of them, so that writes fail soon after. Returns what
 * gives the room back (deletes every filler).
 */
export async function fillDisk(disk: string, o: { readonly chunk: number; readonly room: number }): Promise<() => void> {
  const { rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  let fill = 0;
  for (;;) {
    try {
      writeFileSync(join(disk, `filler-${fill}`), new Uint8Array(o.chunk));
      fill++;
    } catch {
      rmSync(join(disk, `filler-${fill}`), { force: true });
      break;
    }
  }
  for (let i = 0; i < o.room && fill > 0; i++) rmSync(join(disk, `filler-${--fill}`));
  return () => {
    for (let i = 0; i < fill; i++) rmSync(join(disk, `filler-${i}`), { force: true });
  };
}
