import { resolveLocale, truncateForMessage, type Clock, type Locale } from '@s3404/core';
import { MemoryContextRegistry, type ContextRegistry } from '../capture-context.js';
import { SealError } from '../errors/seal-error.js';
import { onBackend } from '../internal/store-failure.js';
import { withoutUrlParam } from '@s3404/core/stores';

/** Options of {@link openContextRegistry} (SIG-1). @public */
export interface OpenContextRegistryOptions {
  /** The clock the contexts' lifetimes are counted from (the sealer's). Default: the system clock. */
  readonly now?: Clock;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Opens the registry of capture contexts that goes with a consumption
 * store's URL (SIG-1, issue 19), so that the servers sharing a ledger also
 * share the contexts they show — a tablet's capture may reach any of them:
 *
 * - `postgres://…?tablePrefix=P` — `PostgresContextRegistry`, table `<P>capture_contexts` (default `s3404_`);
 * - `redis://…?prefix=P` — `RedisContextRegistry`, keys `<P>ctx:<nonce>` (default `s3404:ctx:`);
 * - `sqlite:…` and `memory:` — a `MemoryContextRegistry`: the contexts stay in
 *   this process (an SQLite ledger is one machine's; its processes each show and take their own).
 *
 * `close()` ends what it opened (nothing for the memory registry).
 *
 * `import { openContextRegistry } from '@s3404/seal/stores'`
 *
 * @example
 * ```ts
 * const contexts = await openContextRegistry(process.env.S3404_STORE ?? 'sqlite:./state/consumption.sqlite')
 * const sealer = await createSealer({ …, contexts })
 * ```
 * @throws {@link SealError} `ERR_STORE_URL_INVALID` (kind `input`) when the URL or its parameters are not understood;
 * `ERR_STORE_UNAVAILABLE` when the driver is not installed or the backend cannot be reached.
 * @throws TypeError when `url` is not a string.
 * @public
 */
export async function openContextRegistry(url: string, options: OpenContextRegistryOptions = {}): Promise<ContextRegistry & { close(): Promise<void> }> {
  if (typeof url !== 'string') throw new TypeError('openContextRegistry: url must be a string');
  const locale = resolveLocale(options?.locale);
  const now = options?.now;
  const invalid = (cause?: unknown): SealError =>
    new SealError('ERR_STORE_URL_INVALID', { params: { received: truncateForMessage(url, 60) }, locale, ...(cause === undefined ? {} : { cause }) });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const param = (name: string): { readonly base: string; readonly value: string | undefined } => {
    const split = withoutUrlParam(url, name);
    if (split === null) throw invalid();
    return split;
  };
  const opening = async <R>(open: () => Promise<R>): Promise<R> => {
    try {
      return await open();
    } catch (e) {
      if (e instanceof TypeError) throw invalid(e);
      throw e;
    }
  };
  const load = <M>(name: string, loader: () => Promise<M>): Promise<M> => onBackend(name, 'open', locale, loader);
  switch (scheme) {
    case 'memory':
    case 'sqlite': {
      const registry = new MemoryContextRegistry({ locale, ...(now === undefined ? {} : { now }) });
      return Object.assign(registry, { close: async () => {} });
    }
    case 'postgres':
    case 'postgresql': {
      const { base, value } = param('tablePrefix');
      const { PostgresContextRegistry } = await load('postgres', () => import('../postgres/postgres-context-registry.js'));
      return opening(() =>
        PostgresContextRegistry.open({
          connectionString: base,
          locale,
          ...(value === undefined ? {} : { tablePrefix: value }),
          ...(now === undefined ? {} : { now }),
        }),
      );
    }
    case 'redis':
    case 'rediss': {
      const { base, value } = param('prefix');
      const { RedisContextRegistry } = await load('redis', () => import('../redis/redis-context-registry.js'));
      return opening(() => RedisContextRegistry.open({ url: base, locale, prefix: `${value ?? 's3404:'}ctx:`, ...(now === undefined ? {} : { now }) }));
    }
    default:
      throw invalid();
  }
}
