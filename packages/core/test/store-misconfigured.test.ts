import { afterAll, describe, expect, it } from 'vitest';
import { CORE_ERRORS, S3404Error, isS3404Error } from '@s3404/core';
import { createMaintenanceRunner } from '@s3404/core/maintenance';
import { RedisLease } from '@s3404/core/redis';
import { backendFailure, damageOf, failureClassOf, misconfigurationOf } from '@s3404/core/stores';
import { manualClock } from './lease-contract.js';
import { RespClient } from './resp-client.js';

// Issue 19: a backend refusing a store for good was reported "unavailable, retry later"; a fleet retried for ever.

const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const tag = `mc${process.pid}`;
const admin = await RespClient.open(REDIS);

afterAll(async () => {
  await admin.command('ACL', 'DELUSER', `${tag}user`);
  const keys = await admin.keys(`${tag}:*`);
  if (keys.length > 0) await admin.command('DEL', ...keys);
  admin.disconnect();
});

const withCode = (code: string, message = `failed ${code}`): Error => Object.assign(new Error(message), { code });

describe('misconfigurationOf (store kit)', () => {
  it('names a refusal no retry changes: rights, schema, login, Cluster slots, ACL, files', () => {
    const refused: [unknown, string][] = [
      [withCode('42501', 'permission denied for table s3404_pending'), '42501 insufficient_privilege'],
      [withCode('42P01', 'relation "s3404_pending" does not exist'), '42P01 undefined_table'],
      [withCode('42703', 'column "held" does not exist'), '42703 undefined_column'],
      [withCode('3D000', 'database "s3404" does not exist'), '3D000 invalid_catalog_name'],
      [withCode('28P01', 'password authentication failed'), '28P01 invalid_password'],
      [Object.assign(new Error('wrapped'), { cause: withCode('42501') }), '42501 insufficient_privilege'],
      [new Error("NOPERM User app has no permissions to run the 'eval' command"), 'NOPERM'],
      [new Error("CROSSSLOT Keys in request don't hash to the same slot"), 'CROSSSLOT'],
      [new Error('MOVED 3999 127.0.0.1:7001'), 'MOVED'],
      [new Error('WRONGPASS invalid username-password pair or user is disabled.'), 'WRONGPASS'],
      [new Error("ERR unknown command 'GETDEL', with args beginning with: "), "ERR unknown command 'GETDEL', with args"],
      [new Error('ERR DB index is out of range'), 'DB index is out of range'],
      [new Error('ERR SELECT is not allowed in cluster mode'), 'SELECT is not allowed in cluster mode'],
      [withCode('SQLITE_READONLY', 'attempt to write a readonly database'), 'SQLITE_READONLY'],
      [withCode('SQLITE_CANTOPEN', 'unable to open database file'), 'SQLITE_CANTOPEN'],
      [withCode('SQLITE_NOTADB', 'file is not a database'), 'SQLITE_NOTADB'],
      [withCode('SQLITE_ERROR', 'no such table: pending'), 'SQLITE_ERROR no such table: pending'],
      [new TypeError('Cannot open database because the directory does not exist'), 'SQLITE_CANTOPEN'],
      [withCode('EACCES'), 'EACCES'],
      [withCode('EROFS'), 'EROFS'],
    ];
    for (const [e, why] of refused) expect(misconfigurationOf(e), why).toBe(why);
  });

  it('leaves what may pass to "retry later": deadlocks, shutdowns, full disks, timeouts, a replica in a fail-over, a busy file', () => {
    const passing: unknown[] = [
      withCode('40P01'),
      withCode('40001'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('53300', 'sorry, too many clients already'),
      withCode('ECONNREFUSED'),
      withCode('ETIMEDOUT'),
      withCode('ENOSPC'),
      withCode('SQLITE_BUSY', 'database is locked'),
      withCode('SQLITE_FULL'),
      withCode('SQLITE_ERROR', 'near "x": syntax error'),
      new Error("READONLY You can't write against a read only replica."),
      new Error('LOADING Redis is loading the dataset in memory'),
      new Error('OOM command not allowed when used memory > maxmemory.'),
      new Error('Connection is closed.'),
      new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_UNAVAILABLE', { params: { detail: 'NOPERM' } }),
      'NOPERM',
      null,
    ];
    for (const e of passing) expect(misconfigurationOf(e), String(e)).toBeUndefined();
  });

  it('backendFailure: the misconfigured error when the store gives one, else the unavailable one, as before', () => {
    const unavailable = (cause: unknown, detail: string) => new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_UNAVAILABLE', { params: { detail }, cause });
    const misconfigured = (cause: unknown, detail: string) => new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_MISCONFIGURED', { params: { detail }, cause });
    const e = withCode('42501');
    expect(backendFailure(e, 'postgres', 'acquire', { unavailable, misconfigured })).toMatchObject({
      code: 'ERR_LEASE_STORE_MISCONFIGURED',
      kind: 'internal',
      params: { detail: 'postgres acquire: 42501 insufficient_privilege' },
      cause: e,
    });
    expect(backendFailure(e, 'postgres', 'acquire', { unavailable })).toMatchObject({ code: 'ERR_LEASE_STORE_UNAVAILABLE' });
    expect(CORE_ERRORS.message('ERR_LEASE_STORE_MISCONFIGURED', { detail: 'redis acquire: NOPERM' }, 'en')).toBe(
      'Lease store refused by its server (redis acquire: NOPERM): rights, schema or configuration to fix; retrying will not help.',
    );
  });
});

describe('damageOf (store kit, issue 19)', () => {
  const corrupt = (cause: unknown, detail: string) => new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_CORRUPT', { params: { detail }, cause });
  const unavailable = (cause: unknown, detail: string) => new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_UNAVAILABLE', { params: { detail }, cause });
  const misconfigured = (cause: unknown, detail: string) => new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_MISCONFIGURED', { params: { detail }, cause });

  it('names data the backend reports damaged: SQLite SQLITE_CORRUPT (and its extended codes), PostgreSQL XX001 and XX002', () => {
    expect(damageOf(withCode('SQLITE_CORRUPT', 'database disk image is malformed'))).toBe('SQLITE_CORRUPT');
    expect(damageOf(withCode('SQLITE_CORRUPT_INDEX'))).toBe('SQLITE_CORRUPT_INDEX');
    expect(damageOf(withCode('XX001'))).toBe('XX001 data_corrupted');
    expect(damageOf(withCode('XX002'))).toBe('XX002 index_corrupted');
    // Under a wrapper's cause too, as drivers and pools nest them.
    expect(damageOf(new Error('query failed', { cause: withCode('XX001') }))).toBe('XX001 data_corrupted');
  });

  it("leaves outages, refusals and the SDK's own coded errors alone", () => {
    for (const e of [
      withCode('SQLITE_BUSY'),
      withCode('SQLITE_FULL'),
      withCode('XX000'),
      withCode('57P01'),
      withCode('42501'),
      withCode('ECONNREFUSED'),
      new Error('x'),
      'SQLITE_CORRUPT',
      null,
    ]) {
      expect(damageOf(e), String((e as { code?: string } | null)?.code ?? e)).toBeUndefined();
    }
    const coded = new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_UNAVAILABLE', { cause: withCode('SQLITE_CORRUPT') });
    expect(damageOf(coded)).toBeUndefined();
  });

  it("backendFailure: the corrupt error for damaged data when the store gives one (kind internal, the driver's error as cause)", () => {
    const e = withCode('SQLITE_CORRUPT', 'database disk image is malformed');
    expect(backendFailure(e, 'sqlite', 'claim', { unavailable, misconfigured, corrupt })).toMatchObject({
      code: 'ERR_LEASE_STORE_CORRUPT',
      kind: 'internal',
      params: { detail: 'sqlite claim: SQLITE_CORRUPT' },
      cause: e,
    });
    expect(backendFailure(withCode('XX002'), 'postgres', 'acquire', { unavailable, misconfigured, corrupt })).toMatchObject({
      params: { detail: 'postgres acquire: XX002 index_corrupted' },
    });
    // A refusal stays a refusal, an outage an outage.
    expect(backendFailure(withCode('42501'), 'postgres', 'acquire', { unavailable, misconfigured, corrupt })).toMatchObject({
      code: 'ERR_LEASE_STORE_MISCONFIGURED',
    });
    expect(backendFailure(withCode('SQLITE_BUSY'), 'sqlite', 'claim', { unavailable, misconfigured, corrupt })).toMatchObject({
      code: 'ERR_LEASE_STORE_UNAVAILABLE',
    });
  });
});

describe('failureClassOf (store kit, issue 19)', () => {
  it('is the one classification behind backendFailure and the users of a vendor store: corrupt, misconfigured, or none (retry)', () => {
    expect(failureClassOf(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toEqual({ as: 'corrupt', reason: 'WRONGTYPE' });
    expect(failureClassOf(withCode('XX001'))).toEqual({ as: 'corrupt', reason: 'XX001 data_corrupted' });
    expect(failureClassOf(withCode('SQLITE_CORRUPT'))).toEqual({ as: 'corrupt', reason: 'SQLITE_CORRUPT' });
    expect(failureClassOf(withCode('42501'))).toEqual({ as: 'misconfigured', reason: '42501 insufficient_privilege' });
    for (const e of [
      withCode('ECONNRESET'),
      withCode('SQLITE_BUSY'),
      new Error('socket hang up'),
      new S3404Error(CORE_ERRORS, 'ERR_LEASE_STORE_UNAVAILABLE', { cause: withCode('XX001') }),
    ]) {
      expect(failureClassOf(e)).toBeUndefined();
    }
  });
});

describe('RedisLease on an ACL without EVAL (issue 19)', () => {
  it('is ERR_LEASE_STORE_MISCONFIGURED, kind internal, and the runner reports the job failed with that code', async () => {
    await admin.command('ACL', 'SETUSER', `${tag}user`, 'on', '>lease-secret', '~*', '&*', '+@all', '-eval', '-evalsha');
    const client = await RespClient.open(REDIS);
    try {
      await client.command('AUTH', `${tag}user`, 'lease-secret');
      const clock = manualClock();
      const lease = await RedisLease.open({ client, prefix: `${tag}:1:`, now: clock.now, locale: 'en' });
      const e = await lease.acquire('job.acl', { holder: 'A', ttlMs: 1000 }).catch((x: unknown) => x);
      expect(isS3404Error(e) && [e.code, e.kind]).toEqual(['ERR_LEASE_STORE_MISCONFIGURED', 'internal']);
      expect((e as Error).message).toMatch(/^Lease store refused by its server \(redis acquire: NOPERM\)/);
      const runner = createMaintenanceRunner({
        lease,
        jobs: [{ name: 'job.acl', everyMs: 60_000, run: async () => ({ count: 0 }) }],
        holder: 'A',
        now: clock.now,
      });
      expect((await runner.runDue()).runs).toMatchObject([{ job: 'job.acl', outcome: 'failed', code: 'ERR_LEASE_STORE_MISCONFIGURED' }]);
      // The grant given, the same lease works.
      await admin.command('ACL', 'SETUSER', `${tag}user`, '+eval', '+evalsha');
      expect(await lease.acquire('job.acl', { holder: 'A', ttlMs: 1000 })).toMatchObject({ key: 'job.acl' });
    } finally {
      client.disconnect();
    }
  });
});
