import { afterAll, describe, expect, it } from 'vitest';
import { MemoryNonceCache, openNonceCache, type NonceCache } from '@s3404/cli/serve';
import { lostAnswerProxy } from '@s3404/tooling/test-kit';
import { dropTestState } from './backend-cleanup.js';
import { httpStatusOf } from '../src/serve/http-status.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const tag = `nc${process.pid}`;
const opened: NonceCache[] = [];

afterAll(async () => {
  for (const c of opened) await c.close();
  await dropTestState({ postgres: PG, tables: [`${tag}_serve_nonces`], redis: REDIS, keys: `${tag}:*` });
});

const open = async (url: string): Promise<NonceCache> => {
  const c = await openNonceCache(url);
  opened.push(c);
  return c;
};

describe.each([
  ['PostgreSQL', `${PG}?tablePrefix=${tag}_`],
  ['Redis', `${REDIS}?prefix=${tag}:`],
])('openNonceCache on %s: the request nonces of a fleet (SIG-7)', (_, url) => {
  it('refuses a nonce seen by another process within its window, once out of it takes it again', async () => {
    const [a, b] = [await open(url), await open(url)];
    const now = Date.now();
    const key = `tablette-1\n${tag}-${Math.random().toString(36).slice(2)}`;
    expect(await a.remember(key, now + 60_000, now)).toBe(true);
    expect(await b.remember(key, now + 60_000, now)).toBe(false);
    expect(await a.remember(key, now + 60_000, now + 1)).toBe(false);
    // Of 16 processes seeing one new nonce at once, one takes it.
    const fresh = `${key}-race`;
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).remember(fresh, now + 60_000, now)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    // A window that has passed: the nonce is no longer held (the request's timestamp is refused before, anyway).
    const short = `${key}-short`;
    expect(await a.remember(short, now + 50, now)).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(await b.remember(short, Date.now() + 60_000, Date.now())).toBe(true);
  });
});

describe('openNonceCache on Redis after a cut (SIG-7)', () => {
  it('a nonce whose SET the driver sent again after the network lost its answer is no replay; the request replayed later is', async () => {
    const { hostname, port } = new URL(REDIS);
    const proxy = await lostAnswerProxy({ host: hostname, port: Number(port || 6379), cut: (r) => /\bSET\b/i.test(r) && r.includes(`${tag}:nonce:`) });
    try {
      const cache = await open(`redis://127.0.0.1:${proxy.port}?prefix=${tag}:`);
      const now = Date.now();
      expect(await cache.remember('tablette-9\ncut', now + 60_000, now)).toBe(true);
      expect(proxy.cuts()).toBe(1);
      expect(await cache.remember('tablette-9\ncut', now + 60_000, now)).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});

describe('openNonceCache on Redis: a key it never writes (issue 19)', () => {
  it('a hash at a nonce key (edited behind its back) refuses the request as ERR_STORE_CORRUPT (kind internal, 500), never as a store to retry (503)', async () => {
    const cache = await open(`${REDIS}?prefix=${tag}:`);
    const key = 'tablette-7\nwrong-kind';
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS);
    try {
      await redis.hset(`${tag}:nonce:${key}`, 'edited', 'by hand');
    } finally {
      redis.disconnect();
    }
    const now = Date.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      const e = await cache.remember(key, now + 60_000, now).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
      expect(String((e as Error).cause)).toMatch(/WRONGTYPE/);
      expect(httpStatusOf(e)).toBe(500);
    }
  });
});

describe('openNonceCache: what it refuses', () => {
  it('a Redis the cache may not use (an ACL without SET, a wrong password) is ERR_STORE_MISCONFIGURED, 500: no retry changes it (issue 19)', async () => {
    const { Redis } = await import('ioredis');
    const admin = new Redis(REDIS);
    const user = `${tag}acl`;
    try {
      await admin.call('ACL', 'SETUSER', user, 'on', '>nc-secret', '~*', '&*', '+@all', '-set');
      const u = new URL(REDIS);
      u.username = user;
      u.password = 'nc-secret';
      const cache = await open(`${u.toString().replace(/\/$/, '')}?prefix=${tag}:`);
      const e = await cache.remember(`acl-${tag}`, Date.now() + 60_000, Date.now()).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal', params: { detail: 'nonce cache redis remember: NOPERM' } });
      expect(httpStatusOf(e)).toBe(500);
      u.password = 'not-it';
      const wrong = await openNonceCache(`${u.toString().replace(/\/$/, '')}?prefix=${tag}:`).catch((x: unknown) => x);
      expect(wrong).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', params: { detail: 'nonce cache redis open: WRONGPASS' } });
    } finally {
      await admin.call('ACL', 'DELUSER', user);
      await admin.quit();
    }
  });

  it('an unreachable server refuses (ERR_STORE_UNAVAILABLE, 503), a bad prefix is a bad URL; sqlite: and memory: stay in this process', async () => {
    await expect(openNonceCache('postgres://postgres@127.0.0.1:1/test')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    await expect(openNonceCache('redis://127.0.0.1:1')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    await expect(openNonceCache(`${PG}?tablePrefix=Bad-Prefix`)).rejects.toMatchObject({ code: 'ERR_STORE_URL_INVALID' });
    await expect(openNonceCache(`${REDIS}?prefix=bad prefix`)).rejects.toMatchObject({ code: 'ERR_STORE_URL_INVALID' });
    for (const url of ['sqlite:/tmp/x.sqlite', 'memory:']) expect(await openNonceCache(url)).toBeInstanceOf(MemoryNonceCache);
    // A cache whose server went away after opening refuses the request rather than letting it through unchecked.
    const gone = await openNonceCache(`${REDIS}?prefix=${tag}:`);
    await gone.close();
    await expect(gone.remember('k', Date.now() + 1000, Date.now())).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });

  it('MemoryNonceCache: a replay within the window is refused, after it accepted', async () => {
    const c = new MemoryNonceCache();
    expect(await c.remember('t\nn', 1_000, 0)).toBe(true);
    expect(await c.remember('t\nn', 5_000, 999)).toBe(false);
    expect(await c.remember('t\nn', 5_000, 1_001)).toBe(true);
  });
});
