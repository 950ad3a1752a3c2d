import { Redis } from 'ioredis';
import type { Locale } from '@s3404/core';
import { redisConnector } from '@s3404/core/stores';
import { onBackend } from '../internal/store-failure.js';

/** What a key prefix may hold: 1 to 64 of `A-Z a-z 0-9 : _ { } . -`. */
export const REDIS_PREFIX = /^[A-Za-z0-9:_{}.-]{1,64}$/;

/**
 * The ioredis client a Redis store or key holder makes from its `url`
 * (SIG-5, SIG-6): fail fast (no offline queue, one retry, `timeoutMs` to
 * connect and per command), errors reaching the caller through the rejected
 * operations, connected now unless `connect` is false. `owner` names the
 * caller in TypeErrors.
 */
export async function makeRedisClient(
  owner: string,
  options: { readonly url: unknown; readonly timeoutMs: number | undefined; readonly connect: boolean; readonly locale: Locale },
): Promise<Redis> {
  const url = options.url;
  if (typeof url !== 'string' || !URL.canParse(url) || !['redis:', 'rediss:'].includes(new URL(url).protocol)) {
    throw new TypeError(`${owner}: url must be a redis:// or rediss:// URL`);
  }
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`${owner}: timeoutMs must be a positive integer`);
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  // A refused login (WRONGPASS, NOAUTH) is thrown as the server's refusal, not ioredis's "Connection is closed" (issue 19).
  const connect = redisConnector(client);
  if (options.connect) {
    try {
      await onBackend('redis', 'open', options.locale, connect);
    } catch (e) {
      client.disconnect();
      throw e;
    }
  }
  return client;
}

/** Ends a client a store, holder or registry made itself (a given one stays open): `QUIT`, else the connection dropped. */
export async function closeOwnedClient(client: { quit(): Promise<unknown>; disconnect(): void }, owned: boolean): Promise<void> {
  if (!owned) return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
