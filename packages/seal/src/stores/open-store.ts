import { resolveLocale, truncateForMessage, type Locale, type LocalizedText } from '@s3404/core';
import type { ConsumptionStore } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';
import { onBackend } from '../internal/store-failure.js';
import { withoutUrlParam } from '@s3404/core/stores';

/** Options of {@link openConsumptionStore} (SIG-5, SIG-6). @public */
export interface OpenStoreOptions {
  /** Language of error messages, the store's included. Default French; anything but English is French. */
  readonly locale?: Locale;
  /**
   * Refuse a store that does not outlive the process (`memory:`, an SQLite
   * `:memory:` or temporary database) with `ERR_STORE_NOT_DURABLE`. Give
   * `true` wherever the promise is single use across processes and restarts
   * — a command line, a service: a record consumed in a memory store can be
   * consumed again by the next process. Default `false` (tests, demos, one
   * process that owns every use).
   */
  readonly durable?: boolean;
}

/**
 * Opens a consumption store from a URL, loading only the driver it needs
 * (SIG-5, SIG-6). For configuration files and the CLI's `--store`.
 *
 * - `sqlite:/var/lib/s3404/consumption.sqlite` (or a relative path) — embedded, one machine;
 * - `postgres://user@host:5432/db?tablePrefix=s3404_` (also `postgresql:`);
 * - `redis://host:6379?prefix=s3404:` (also `rediss:`);
 * - `memory:` — one process, nothing durable; refused with `durable: true`.
 *
 * The store keeps the store contract: `close()` always exists (call it on
 * shutdown), backend failures are `ERR_STORE_UNAVAILABLE`.
 *
 * `import { openConsumptionStore } from '@s3404/seal/stores'`
 *
 * @example
 * ```ts
 * const store = await openConsumptionStore(process.env.S3404_STORE ?? 'sqlite:./state/consumption.sqlite')
 * try { … } finally { await store.close() }
 * ```
 * @throws {@link SealError} `ERR_STORE_URL_INVALID` (kind `input`) when the URL or its parameters are not understood;
 * `ERR_STORE_NOT_DURABLE` (kind `input`) for `memory:`, `sqlite::memory:` or an empty SQLite path when `durable` is true;
 * `ERR_STORE_UNAVAILABLE` when the driver is not installed or the store cannot be opened.
 * @throws TypeError when `url` is not a string or `durable` is not a boolean.
 * @public
 */
export async function openConsumptionStore(url: string, options: OpenStoreOptions = {}): Promise<ConsumptionStore> {
  if (typeof url !== 'string') throw new TypeError('openConsumptionStore: url must be a string');
  const locale = resolveLocale(options?.locale);
  const durable = options?.durable ?? false;
  if (typeof durable !== 'boolean') throw new TypeError('openConsumptionStore: options.durable must be a boolean');
  /** A store that dies with the process where single use across processes was asked (issue 14 #6). */
  const notDurable = (): SealError => new SealError('ERR_STORE_NOT_DURABLE', { params: { received: truncateForMessage(url, 60) }, locale });
  const invalid = (detail?: LocalizedText | string, cause?: unknown): SealError =>
    new SealError('ERR_STORE_URL_INVALID', { params: { received: truncateForMessage(url, 60), detail }, locale, cause });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  /** The store's own options are checked by its `open`: a TypeError there is the URL parameter it refused. */
  const opening = async (param: string, open: () => Promise<ConsumptionStore>): Promise<ConsumptionStore> => {
    try {
      return await open();
    } catch (e) {
      if (e instanceof TypeError) throw invalid({ fr: `paramètre ${param} refusé`, en: `parameter ${param} refused` }, e);
      throw e;
    }
  };
  /** The URL without the store's own parameter `name`, and that parameter's value. */
  const withoutParam = (name: string): { readonly base: string; readonly value: string | undefined } => {
    const split = withoutUrlParam(url, name);
    if (split === null) throw invalid();
    return split;
  };
  /** Loading the optional peer driver: a missing one is a store that cannot be opened here. */
  const load = <M>(name: string, loader: () => Promise<M>): Promise<M> => onBackend(name, 'open', locale, loader);
  switch (scheme) {
    case 'memory': {
      if (durable) throw notDurable();
      const { MemoryConsumptionStore } = await import('../memory/memory-store.js');
      return MemoryConsumptionStore.open({ locale });
    }
    case 'sqlite': {
      const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
      if (path === '') throw invalid({ fr: 'chemin manquant', en: 'missing path' });
      // SQLite keeps ':memory:' and 'file::memory:' / 'mode=memory' databases in the process.
      if (durable && (path === ':memory:' || /^file::memory:|[?&]mode=memory\b/i.test(path))) throw notDurable();
      const { SqliteConsumptionStore } = await load('sqlite', () => import('../sqlite/sqlite-store.js'));
      return opening('path', () => SqliteConsumptionStore.open({ path, locale }));
    }
    case 'postgres':
    case 'postgresql': {
      const { base, value } = withoutParam('tablePrefix');
      const { PostgresConsumptionStore } = await load('postgres', () => import('../postgres/postgres-store.js'));
      return opening('tablePrefix', () =>
        PostgresConsumptionStore.open({ connectionString: base, locale, ...(value === undefined ? {} : { tablePrefix: value }) }),
      );
    }
    case 'redis':
    case 'rediss': {
      const { base, value } = withoutParam('prefix');
      const { RedisConsumptionStore } = await load('redis', () => import('../redis/redis-store.js'));
      return opening('prefix', () => RedisConsumptionStore.open({ url: base, locale, ...(value === undefined ? {} : { prefix: value }) }));
    }
    default:
      throw invalid();
  }
}
