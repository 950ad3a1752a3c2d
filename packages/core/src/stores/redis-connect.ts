import { misconfigurationOf } from './store-failure.js';

/** What {@link redisConnector} needs of an ioredis client made with `lazyConnect`. @internal */
export interface LazyRedisClient {
  on(event: 'error', listener: (e: Error) => void): unknown;
  connect(): Promise<unknown>;
}

/**
 * Takes over the error events of a lazily connected ioredis client (they
 * would otherwise be unhandled: the SDK's callers get errors through the
 * rejected commands) and returns its `connect`, which throws the server's
 * refusal — `WRONGPASS`, `NOAUTH` — where ioredis rejects only with
 * "Connection is closed" and gives the refusal to the error event alone
 * (issue 19: a refused login is no outage to retry, see
 * {@link misconfigurationOf}), and the refusal of the URL's database
 * (`/N` beyond the server's `databases`), after which ioredis connects all
 * the same and sends every command to database 0: another deployment's
 * keys, perhaps. Call it once, right after making the client.
 *
 * `import { redisConnector } from '@s3404/core/stores'`
 *
 * @internal Shared plumbing of the SDK's Redis clients; not a stable API.
 */
export function redisConnector(client: LazyRedisClient): () => Promise<void> {
  let refused: Error | undefined;
  client.on('error', (e: Error) => {
    if (misconfigurationOf(e) !== undefined) refused = e;
  });
  return async () => {
    try {
      await client.connect();
    } catch (e) {
      throw refused ?? e;
    }
    // A refusal during the handshake that ioredis does not fail the connection for (a SELECT refused).
    if (refused !== undefined) throw refused;
  };
}
