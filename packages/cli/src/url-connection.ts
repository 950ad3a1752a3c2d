import type { Redis } from 'ioredis';
import { redisConnector, withoutUrlParam } from '@s3404/core/stores';

/** A store URL without its own parameter `name` (`?tablePrefix=`, `?prefix=`) and that parameter's value; `null` when it does not parse. */
export function splitUrlParam(url: string, name: string): { readonly connection: string; readonly prefix: string | undefined } | null {
  const split = withoutUrlParam(url, name);
  return split === null ? null : { connection: split.base, prefix: split.value };
}

/**
 * An ioredis client for a command's `redis://` URL, connected: fail fast (no
 * offline queue, one retry, 2 s to connect and per command), its errors
 * reaching the caller through the rejected commands. A connection that fails
 * is dropped and its error thrown, for the caller to code.
 */
export async function connectRedis(connection: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(connection, { enableOfflineQueue: false, commandTimeout: 2000, connectTimeout: 2000, maxRetriesPerRequest: 1, lazyConnect: true });
  // A refused login (WRONGPASS, NOAUTH) is what the caller gets, not ioredis's "Connection is closed" (issue 19).
  const connect = redisConnector(client);
  try {
    await connect();
  } catch (e) {
    client.disconnect();
    throw e;
  }
  return client;
}
