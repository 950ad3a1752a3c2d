import { dirname } from 'node:path';
import { readClock, resolveClock, type Clock } from '../clock.js';
import { CoreError } from '../errors/core-error.js';
import { resolveLocale, type Locale } from '../errors/locale.js';
import { isS3404Error } from '../errors/s3404-error.js';
import type { AcquireLeaseOptions, Lease, LeaseGrant, LeaseState } from '../maintenance/lease.js';
import { leaseRules, type LeaseEntry, type LeaseStep } from '../maintenance/lease-table.js';
import { backendFailure } from '../stores/store-failure.js';
import { ensureDirectory } from './ensure-directory.js';
import { withFileLock } from './file-lock.js';
import { readFileBounded } from './read-file-bounded.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link FileLease.open} (issue 19; X-2). @public */
export interface FileLeaseOptions {
  /** The JSON file that holds the leases, e.g. `/var/lib/s3404/maintenance/leases.json`; its folder is created. */
  readonly path: string;
  /** The clock expiries are computed and judged on. Default: the system clock. */
  readonly now?: Clock;
  /** How long a step waits for another process holding the file's lock, milliseconds. Default 10,000. */
  readonly lockTimeoutMs?: number;
  /** Language of the errors. Default French. */
  readonly locale?: Locale;
}

/** The largest lease file read: a few hundred bytes per job. */
const MAX_BYTES = 1024 * 1024;

/**
 * A {@link Lease} in a JSON file (issue 19; X-2): for the processes of one
 * machine that share a folder — `s3404 maintenance run --state DIR` started
 * by cron and by hand, or twice by a scheduler that overlaps — so that each
 * job runs once per period among them. Each step reads the file, judges and
 * writes it back (atomically) under the file's lock (`withFileLock`, which
 * outlives a process killed while holding it). It does not coordinate
 * machines: for a fleet, use `PostgresLease` or `RedisLease`. A file that
 * does not read as this lease's is `ERR_LEASE_STORE_CORRUPT`; a folder the
 * process may not write `ERR_LEASE_STORE_MISCONFIGURED`; any other failure,
 * a lock held past `lockTimeoutMs` included, `ERR_LEASE_STORE_UNAVAILABLE`.
 * Node only.
 *
 * `import { FileLease } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * const lease = await FileLease.open({ path: '/var/lib/s3404/maintenance/leases.json' })
 * const runner = createMaintenanceRunner({ lease, jobs })
 * ```
 * @public
 */
export class FileLease implements Lease {
  readonly #path: string;
  readonly #now: Clock;
  readonly #timeoutMs: number;
  readonly #locale: Locale;

  private constructor(path: string, now: Clock, timeoutMs: number, locale: Locale) {
    this.#path = path;
    this.#now = now;
    this.#timeoutMs = timeoutMs;
    this.#locale = locale;
  }

  /**
   * Opens the lease file (created at the first acquisition), its folder
   * created, and reads it once: a damaged file is refused here.
   *
   * @throws TypeError for malformed options.
   * @throws {@link CoreError} `ERR_LEASE_STORE_CORRUPT`, `ERR_LEASE_STORE_MISCONFIGURED`, `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  static async open(options: FileLeaseOptions): Promise<FileLease> {
    if (options === null || typeof options !== 'object' || typeof options.path !== 'string' || options.path === '')
      throw new TypeError('FileLease.open: options.path must be a non-empty string');
    const timeoutMs = options.lockTimeoutMs ?? 10_000;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) throw new TypeError('FileLease.open: lockTimeoutMs must be a non-negative integer');
    const lease = new FileLease(options.path, resolveClock(options.now, 'FileLease'), timeoutMs, resolveLocale(options.locale));
    await lease.#guard('open', async () => {
      await ensureDirectory(dirname(options.path));
      await lease.#read();
    });
    return lease;
  }

  async acquire(key: string, options: AcquireLeaseOptions): Promise<LeaseGrant | null> {
    return this.#step('acquire', (entries, at) => leaseRules.acquire('FileLease', entries, key, options, at));
  }

  async renew(grant: LeaseGrant, options: { readonly ttlMs: number }): Promise<LeaseGrant | null> {
    return this.#step('renew', (entries, at) => leaseRules.renew('FileLease', entries, grant, options, at));
  }

  async complete(grant: LeaseGrant, options: { readonly period: string }): Promise<boolean> {
    return this.#step('complete', (entries, at) => leaseRules.complete('FileLease', entries, grant, options, at));
  }

  async release(grant: LeaseGrant): Promise<boolean> {
    return this.#step('release', (entries, at) => leaseRules.release('FileLease', entries, grant, at));
  }

  async inspect(key: string): Promise<LeaseState | null> {
    return this.#step('inspect', (entries) => leaseRules.inspect('FileLease', entries, key));
  }

  async close(): Promise<void> {}

  /** One step of the lease under the file's lock: read, judge (arguments checked first: a TypeError takes no lock), write when changed. */
  async #step<T>(op: string, judge: (entries: Map<string, LeaseEntry>, at: number) => LeaseStep<T>): Promise<T> {
    judge(new Map(), 0); // the arguments' TypeErrors, before any file is touched
    return this.#guard(op, () =>
      withFileLock(
        `${this.#path}.lock.d`,
        async () => {
          const entries = await this.#read();
          const step = judge(entries, readClock(this.#now, 'FileLease').getTime());
          if (step.changed) await writeFileAtomic(this.#path, serialize(entries));
          return step.result;
        },
        { timeoutMs: this.#timeoutMs, locale: this.#locale },
      ),
    );
  }

  /**
   * The file's entries; none while it does not exist. Read bounded and
   * without blocking: a FIFO, a folder or a file over 1 MiB in its place is
   * no lease file (`ERR_LEASE_STORE_CORRUPT`), never a wait nor a read of
   * everything.
   */
  async #read(): Promise<Map<string, LeaseEntry>> {
    const corrupt = (why: string, cause?: unknown): CoreError =>
      new CoreError('ERR_LEASE_STORE_CORRUPT', { params: { detail: `${why} ${this.#path}`.slice(0, 200) }, cause, locale: this.#locale });
    let bytes: Uint8Array;
    try {
      bytes = await readFileBounded(this.#path, { maxBytes: MAX_BYTES, locale: this.#locale });
    } catch (e) {
      const reason = isS3404Error(e) ? e.params['reason'] : undefined;
      if (isS3404Error(e) && e.code === 'ERR_FILE_UNREADABLE' && reason === 'ENOENT') return new Map();
      if (isS3404Error(e) && (e.code === 'ERR_INPUT_TOO_LARGE' || reason === 'EISDIR' || reason === 'ENOTFILE'))
        throw corrupt(e.code === 'ERR_INPUT_TOO_LARGE' ? 'file over 1 MiB:' : `not a regular file (${String(reason)}):`, e);
      if (isS3404Error(e) && (reason === 'EACCES' || reason === 'EPERM'))
        throw new CoreError('ERR_LEASE_STORE_MISCONFIGURED', {
          params: { detail: `file read: ${String(reason)} ${this.#path}`.slice(0, 200) },
          cause: e,
          locale: this.#locale,
        });
      throw e;
    }
    const entries = parse(new TextDecoder().decode(bytes));
    if (entries === undefined) throw corrupt('file');
    return entries;
  }

  /** Runs `work` with its failures as the lease's coded errors (the store contract). */
  async #guard<T>(op: string, work: () => Promise<T>): Promise<T> {
    const locale = this.#locale;
    try {
      return await work();
    } catch (e) {
      if (e instanceof TypeError || (isS3404Error(e) && e.code.startsWith('ERR_LEASE_'))) throw e;
      const detail = (reason: string): string => `${reason} ${this.#path}`.slice(0, 200);
      // The lock's own coded errors: a holder that kept it too long (retry), a folder that cannot be written (fix it).
      if (isS3404Error(e) && e.code === 'ERR_FILE_UNWRITABLE')
        throw new CoreError('ERR_LEASE_STORE_MISCONFIGURED', { params: { detail: detail(`file ${op}:`) }, cause: e, locale });
      if (isS3404Error(e)) throw new CoreError('ERR_LEASE_STORE_UNAVAILABLE', { params: { detail: detail(`file ${op}: ${e.code}`) }, cause: e, locale });
      throw backendFailure(e, 'file', op, {
        unavailable: (cause, reason) => new CoreError('ERR_LEASE_STORE_UNAVAILABLE', { params: { detail: reason }, cause, locale }),
        misconfigured: (cause, reason) => new CoreError('ERR_LEASE_STORE_MISCONFIGURED', { params: { detail: reason }, cause, locale }),
      });
    }
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The entries a lease file holds, or `undefined` when it is not this lease's (hand-edited, truncated, another file). */
function parse(text: string): Map<string, LeaseEntry> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const leases = (doc as { version?: unknown; leases?: unknown } | null)?.leases;
  if ((doc as { version?: unknown } | null)?.version !== 1 || leases === null || typeof leases !== 'object' || Array.isArray(leases)) return undefined;
  const entries = new Map<string, LeaseEntry>();
  for (const [key, raw] of Object.entries(leases as Record<string, unknown>)) {
    const e = raw as Partial<LeaseEntry> | null;
    if (
      !KEY.test(key) ||
      e === null ||
      typeof e !== 'object' ||
      !(e.holder === null || (typeof e.holder === 'string' && e.holder.length >= 1 && e.holder.length <= 128)) ||
      !(Number.isSafeInteger(e.token) && (e.token as number) >= 1) ||
      !Number.isSafeInteger(e.expiresAt) ||
      !(e.completed === null || (typeof e.completed === 'string' && e.completed.length >= 1 && e.completed.length <= 64))
    )
      return undefined;
    entries.set(key, { holder: e.holder, token: e.token as number, expiresAt: e.expiresAt as number, completed: e.completed });
  }
  return entries;
}

function serialize(entries: Map<string, LeaseEntry>): string {
  const leases: Record<string, LeaseEntry> = {};
  for (const key of [...entries.keys()].sort()) leases[key] = entries.get(key)!;
  return `${JSON.stringify({ version: 1, leases }, null, 2)}\n`;
}
