import { CoreError, visibleText, type Locale } from '@s3404/core';
import { createMaintenanceRunner, MemoryLease, type Lease, type MaintenanceReport } from '@s3404/core/maintenance';
import type { PostgresLeaseOptions } from '@s3404/core/postgres';
import { ensureDirectory, FileLease } from '@s3404/core/node';
import { backendFailure } from '@s3404/core/stores';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { badValue, usage } from '../args.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { line, printJson } from '../output.js';
import { openStateJobs, type StateJobs } from './maintenance-jobs.js';
import { connectRedis, splitUrlParam } from '../url-connection.js';

/** Options of `s3404 maintenance run` (issue 19). */
export interface MaintenanceOptions {
  readonly once: boolean;
  readonly state?: string | undefined;
  readonly store?: string | undefined;
  /**
   * `--lease memory | postgres://… | redis://…`: where the jobs' leases live. Default: with `--state DIR`, a
   * file of the state (`DIR/maintenance/leases.json`: the processes of one machine); with `--store`, memory.
   */
  readonly lease?: string | undefined;
  /** `--cert PEM --key PEM`: the seal that signs the checkpoints of the state's trace (AUD-2); with `--state` only. */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

const USAGE = 's3404 maintenance run [--once] (--state DIR [--cert PEM --key PEM] | --store URL) [--lease memory | postgres://… | redis://…]';

type PgPool = PostgresLeaseOptions['pool'];

/** `?tablePrefix=` (PostgreSQL) or `?prefix=` (Redis) of a `--lease` URL, as the stores' URLs take it; the URL without it. */
function splitPrefix(url: string, name: string): { connection: string; prefix: string | undefined } {
  const split = splitUrlParam(url, name);
  if (split === null) throw badValue('--lease', 'postgres://… | redis://…', url.split(':')[0]);
  return split;
}

/** Bounds of each PostgreSQL lease step, milliseconds: to connect, on the server (a locked table), and on the client (a server gone silent). */
const PG_TIMEOUTS = { connectionTimeoutMillis: 5_000, statement_timeout: 5_000, lock_timeout: 5_000, query_timeout: 10_000 } as const;

/**
 * The lease's `open` refuses a malformed `?tablePrefix=` or `?prefix=` with a TypeError (a programming error for a
 * caller of the API, but here a value the user typed): a usage error naming `--lease`; anything else as it is.
 */
function badPrefix(e: unknown, name: string, prefix: string | undefined): unknown {
  if (!(e instanceof TypeError) || prefix === undefined) return e;
  return badValue(
    '--lease',
    name === 'tablePrefix'
      ? {
          fr: '?tablePrefix= de 1 à 31 caractères parmi a-z 0-9 _, sans chiffre en tête (p. ex. clinique_)',
          en: '?tablePrefix= of 1 to 31 of a-z 0-9 _, not starting with a digit (e.g. clinic_)',
        }
      : {
          fr: '?prefix= de 1 à 64 caractères parmi A-Z a-z 0-9 : _ { } . - (p. ex. clinique:)',
          en: '?prefix= of 1 to 64 of A-Z a-z 0-9 : _ { } . - (e.g. clinic:)',
        },
    prefix,
  );
}

/** A lease on `--lease`, and what closes it. */
async function openLease(url: string, now: () => Date, locale: Locale): Promise<{ lease: Lease; memory: boolean; close: () => Promise<void> }> {
  if (url === 'memory' || url === 'memory:') return { lease: new MemoryLease({ now }), memory: true, close: async () => {} };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // pg is a dependency of the CLI without its own types here: the pool is typed by the shape the lease uses.
    const driver = 'pg';
    const [{ default: pg }, { PostgresLease }] = await Promise.all([
      import(driver) as Promise<{
        default: { Pool: new (config: { connectionString: string; max: number }) => PgPool & { on(event: 'error', fn: () => void): void } };
      }>,
      import('@s3404/core/postgres'),
    ]);
    const { connection, prefix } = splitPrefix(url, 'tablePrefix');
    // Every lease step is one short query: a server that does not answer, or a lease table locked by another session
    // (a migration, a VACUUM FULL), fails the step (ERR_LEASE_STORE_UNAVAILABLE) instead of hanging the run for ever,
    // as the Redis client's 2 s timeouts do.
    const pool = new pg.Pool({ connectionString: connection, max: 2, ...PG_TIMEOUTS });
    pool.on('error', () => {});
    try {
      return {
        lease: await PostgresLease.open({ pool, now, locale, ...(prefix === undefined ? {} : { tablePrefix: prefix }) }),
        memory: false,
        close: () => pool.end(),
      };
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw badPrefix(e, 'tablePrefix', prefix);
    }
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { RedisLease } = await import('@s3404/core/redis');
    const { connection, prefix } = splitPrefix(url, 'prefix');
    let client: Redis;
    try {
      client = await connectRedis(connection);
    } catch (e) {
      // A refused login (WRONGPASS, NOAUTH) is no outage: ERR_LEASE_STORE_MISCONFIGURED, as the lease reports an ACL refusal.
      throw backendFailure(e, 'redis', 'open', {
        unavailable: (cause, detail) => new CoreError('ERR_LEASE_STORE_UNAVAILABLE', { params: { detail }, cause, locale }),
        misconfigured: (cause, detail) => new CoreError('ERR_LEASE_STORE_MISCONFIGURED', { params: { detail }, cause, locale }),
      });
    }
    try {
      return {
        lease: await RedisLease.open({ client, now, locale, ...(prefix === undefined ? {} : { prefix }) }),
        memory: false,
        close: async () => client.disconnect(),
      };
    } catch (e) {
      // The connected client would keep the process alive: dropped before the error is reported.
      client.disconnect();
      throw badPrefix(e, 'prefix', prefix);
    }
  }
  throw badValue('--lease', 'memory | postgres://… | redis://…', url.split(':')[0]);
}

/** A `--store` URL that instances on several machines share: a server, unlike `sqlite:` or `memory:`. */
const isSharedStore = (url: string | undefined): boolean => url !== undefined && /^(postgres(ql)?|rediss?):\/\//.test(url);

/**
 * `s3404 maintenance run` (issue 19): the periodic jobs of the state under
 * a lease, so that several instances sharing `--lease` run each once per
 * period. The jobs are those the state can run (see `openStateJobs`): the
 * seal sweep and tombstone purge, the SCOR lot tick, the audit purge and
 * checkpoint; their events go to the state's trace when it has one.
 * `--once` runs one pass and exits, otherwise the runner loops until
 * SIGINT or SIGTERM.
 */
export async function maintenanceCommand(io: Io, args: readonly string[], o: MaintenanceOptions): Promise<number> {
  if (args.length !== 1 || args[0] !== 'run') throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: USAGE } });
  if ((o.state === undefined) === (o.store === undefined))
    throw usage({
      fr: 'maintenance run attend --state DIR ou --store URL (un seul des deux)',
      en: 'maintenance run expects --state DIR or --store URL (one of them)',
    });
  const now = (): Date => (io.now === undefined ? new Date() : io.now());
  // Without --lease, runs on one state (cron and a run by hand, a scheduler that overlaps) share a lease in its folder.
  const leased =
    o.lease === undefined && o.state !== undefined
      ? {
          // A --state that cannot be a folder (a file in the way) is the user's to fix (exit 2), as for the state's stores.
          lease: await FileLease.open({
            path: join(await ensureDirectory(join(resolve(io.cwd, o.state), 'maintenance'), { locale: o.locale }), 'leases.json'),
            now,
            locale: o.locale,
          }),
          memory: false,
          close: async () => {},
        }
      : await openLease(o.lease ?? 'memory', now, o.locale);
  if (leased.memory && isSharedStore(o.store))
    io.stderr(
      line(
        o.locale,
        `Attention : --lease memory ne sérialise les tâches que dans ce processus ; les instances qui partagent ${o.store!.split(':')[0]}:// les exécuteraient chacune : donnez-leur le même --lease postgres://… ou redis://… (le même serveur) (docs/maintenance.md).`,
        `Warning: --lease memory serialises the jobs inside this process only; the instances sharing ${o.store!.split(':')[0]}:// would each run them: give them all the same --lease postgres://… or redis://… (the same server) (docs/maintenance.md).`,
      ),
    );
  let state: StateJobs | undefined;
  try {
    state = await openStateJobs(io, o, now);
    const names = state.jobs.map((j) => j.name);
    const runner = createMaintenanceRunner({
      lease: leased.lease,
      now,
      locale: o.locale,
      pollMs: 10_000,
      jobs: state.jobs,
      ...(state.trace === undefined ? {} : { trace: state.trace }),
    });
    if (!o.json) io.stdout(line(o.locale, `Tâches : ${names.join(', ')}`, `Jobs: ${names.join(', ')}`));
    const print = (report: MaintenanceReport): void => {
      if (o.json) printJson(io, { holder: runner.holder, jobs: names, ...report });
      else
        for (const r of report.runs)
          io.stdout(
            line(
              o.locale,
              `${r.job} ${r.period} : ${{ ran: 'exécutée', done: 'déjà faite', held: 'tenue par une autre instance', lost: 'bail perdu', failed: 'échec' }[r.outcome]}${r.count === undefined ? '' : ` (${r.count})`}${r.code === undefined ? '' : ` [${r.code}]`}${r.message === undefined ? '' : ` ${visibleText(r.message)}`}`,
              `${r.job} ${r.period}: ${{ ran: 'ran', done: 'already done', held: 'held by another instance', lost: 'lease lost', failed: 'failed' }[r.outcome]}${r.count === undefined ? '' : ` (${r.count})`}${r.code === undefined ? '' : ` [${r.code}]`}${r.message === undefined ? '' : ` ${visibleText(r.message)}`}`,
            ),
          );
    };
    if (o.once) {
      // SIGINT / SIGTERM during the pass: the running job ends and gives its lease back (the next run takes the job at
      // once, instead of finding it "held" until the lease expires), the others are not started and are named.
      // A second signal ends the process as usual.
      let signal: string | undefined;
      const interrupt = (name: NodeJS.Signals): void => {
        signal = name;
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
        void runner.stop();
      };
      process.on('SIGINT', interrupt);
      process.on('SIGTERM', interrupt);
      let report: MaintenanceReport;
      try {
        report = await runner.runDue();
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
      print(report);
      const skipped = names.filter((n) => !report.runs.some((r) => r.job === n));
      if (signal !== undefined && skipped.length > 0)
        io.stderr(
          line(
            o.locale,
            `Interrompue (${signal}) : tâches non lancées : ${skipped.join(', ')} ; la prochaine exécution les fera.`,
            `Interrupted (${signal}): jobs not started: ${skipped.join(', ')}; the next run will do them.`,
          ),
        );
      // Interrupted: the shell's exit status for the signal (130, 143), so a scheduler does not take the pass as whole.
      if (signal !== undefined) return signal === 'SIGINT' ? 130 : 143;
      return report.runs.some((r) => r.outcome === 'failed') ? 2 : 0;
    }
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void runner.stop().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      runner.start(print);
    });
    return 0;
  } finally {
    await state?.close();
    await leased.close();
  }
}
