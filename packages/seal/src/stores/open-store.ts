import type { ConsumptionStore } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';

/** Options of {@link openConsumptionStore} (SIG-5, SIG-6). @public */
export interface OpenStoreOptions {
  /** Language of error messages. Default `fr`. */
  readonly locale?: 'fr' | 'en';
}

/**
 * Opens a consumption store from a URL, loading only the driver it needs
 * (SIG-5, SIG-6). For configuration files and the CLI's `--store`.
 *
 * - `sqlite:/var/lib/s3404/consumption.sqlite` (or a relative path) — embedded, one machine;
 * - `postgres://user@host:5432/db?tablePrefix=s3404_` (also `postgresql:`);
 * - `redis://host:6379?prefix=s3404:` (also `rediss:`);
 * - `memory:` — one process, nothing durable.
 *
 * `import { openConsumptionStore } from '@s3404/seal/stores'`
 *
 * @example
 * ```ts
 * const store = await openConsumptionStore(process.env.S3404_STORE ?? 'sqlite:./state/consumption.sqlite')
 * ```
 * @throws {@link SealError} `ERR_STORE_UNAVAILABLE` when the URL is not understood or the store cannot be opened.
 * @public
 */
export async function openConsumptionStore(url: string, options: OpenStoreOptions = {}): Promise<ConsumptionStore> {
  if (typeof url !== 'string') throw new TypeError('openConsumptionStore: url must be a string');
  const locale = options.locale ?? 'fr';
  const fail = (detail: string, cause?: unknown): never => {
    throw new SealError('ERR_STORE_UNAVAILABLE', { locale, params: { detail }, cause });
  };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  try {
    switch (scheme) {
      case 'memory': {
        const { MemoryConsumptionStore } = await import('../memory/memory-store.js');
        return new MemoryConsumptionStore();
      }
      case 'sqlite': {
        const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
        if (path === '') return fail('sqlite: chemin manquant / missing path');
        const { SqliteConsumptionStore } = await import('../sqlite/sqlite-store.js');
        return SqliteConsumptionStore.open({ path });
      }
      case 'postgres':
      case 'postgresql': {
        const u = new URL(url);
        const tablePrefix = u.searchParams.get('tablePrefix') ?? undefined;
        u.searchParams.delete('tablePrefix');
        const { PostgresConsumptionStore } = await import('../postgres/postgres-store.js');
        return await PostgresConsumptionStore.open({ connectionString: u.toString(), ...(tablePrefix === undefined ? {} : { tablePrefix }) });
      }
      case 'redis':
      case 'rediss': {
        const u = new URL(url);
        const prefix = u.searchParams.get('prefix') ?? undefined;
        u.searchParams.delete('prefix');
        const { RedisConsumptionStore } = await import('../redis/redis-store.js');
        return await RedisConsumptionStore.open({ url: u.toString(), ...(prefix === undefined ? {} : { prefix }) });
      }
      default:
        return fail(`URL « ${url.slice(0, 40)} » : sqlite:, postgres://, redis:// ou memory: attendu`);
    }
  } catch (e) {
    if (e instanceof SealError) throw e;
    return fail(`${scheme}: ${e instanceof Error ? e.message.slice(0, 120) : 'erreur'}`, e);
  }
}
