import type { ConsumptionStore, RecordKeyHolder } from '@s3404/seal';
import type { SignerContractContext } from './signer.js';
import type { TransportContractContext } from './transport.js';
import { ConformanceError } from '../errors/conformance-error.js';
import { boundedBody } from '../internal/bounded-body.js';

/**
 * What an adapter's factories receive: the namespace of the data they
 * open. Stores made with the same namespace share their data — the race over
 * processes opens one per process with the same namespace — and each case of
 * a suite gets a fresh one. Map it to a table prefix, a key prefix or a file
 * name; it matches `/^s3404c_[a-z0-9_]{1,40}$/`.
 *
 * `import type { AdapterContext } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export interface AdapterContext {
  readonly namespace: string;
}

/**
 * A vendor's implementations of the SDK's interfaces, as a module exports them
 * for `s3404 conformance --adapter MODULE` (X-3, SIG-5): a name, and a factory
 * for each implementation it provides. Only the suites of the factories given
 * run. Write it with {@link defineAdapter} and export it as the module's
 * default export (or as `adapter`).
 *
 * `import type { ConformanceAdapter } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export interface ConformanceAdapter {
  /** Shown in the report, e.g. `oracle-consumption-store`. */
  readonly name: string;
  /** A `ConsumptionStore` on the vendor's database, empty for a new namespace (SIG-5, SIG-6). */
  readonly consumptionStore?: (context: AdapterContext) => ConsumptionStore | Promise<ConsumptionStore>;
  /** An `AuditStore` of `@s3404/audit` (AUD-2). */
  readonly auditStore?: (context: AdapterContext) => unknown;
  /** A SCOR `Transport` of `@s3404/scor` (SCOR-3). */
  readonly transport?: (context: AdapterContext) => unknown;
  /** A `ContentSigner` on the vendor's HSM (SIG-2). */
  readonly signer?: (context: AdapterContext) => unknown;
  /** A `RecordKeyHolder` of `@s3404/seal` where pending records' keys live, e.g. a cache that keeps nothing on disk (SIG-6). */
  readonly keyHolder?: (context: AdapterContext) => RecordKeyHolder | Promise<RecordKeyHolder>;
  /** What the transport suite needs besides the transport: a packed lot, how to read what arrived. */
  readonly transportContext?: Pick<TransportContractContext, 'lot' | 'received'>;
  /** What the signer suite needs besides the signer: the trust anchors its certificate chains to. */
  readonly signerContext?: Pick<SignerContractContext, 'trustAnchors'>;
  /**
   * How many processes may share one namespace: 1 for a store in memory
   * (then the race runs in one process and there are no crash trials), more
   * for a database. Default 1; at most 16.
   */
  readonly processes?: number;
  /** Removes what the stores of a namespace left (tables, keys, files), after the run. */
  readonly cleanup?: (context: AdapterContext) => Promise<void>;
  /** Releases what the module itself opened (a pool), after the run. */
  readonly close?: () => Promise<void>;
}

/** Longest time a factory may take to open its implementation. */
const FACTORY_TIMEOUT_MS = 60_000;
const FACTORIES = ['consumptionStore', 'auditStore', 'transport', 'signer', 'keyHolder'] as const;
const KEY_HOLDER_METHODS = ['put', 'get', 'delete', 'sweep', 'close'] as const;
const STORE_METHODS = ['putPending', 'getPending', 'sweep', 'countPending', 'claim', 'complete', 'findTombstone', 'purgeTombstones', 'close'] as const;

/**
 * Checks and returns an adapter: what a vendor's adapter module exports
 * by default. A malformed one is refused when it is defined, not in the
 * middle of a run.
 *
 * `import { defineAdapter } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * import { defineAdapter } from '@s3404/conformance/contracts'
 * import { PostgresConsumptionStore } from '@s3404/seal/postgres'
 *
 * export default defineAdapter({
 *   name: 'postgres',
 *   processes: 4,
 *   consumptionStore: ({ namespace }) =>
 *     PostgresConsumptionStore.open({ connectionString: process.env.DATABASE_URL!, tablePrefix: `${namespace}_` }),
 * })
 * ```
 * @throws {@link ConformanceError} `ERR_ADAPTER_INVALID` for a value that is not an adapter.
 * @public
 */
export function defineAdapter<A extends ConformanceAdapter>(adapter: A): A {
  return checkAdapter(adapter, 'defineAdapter') as A;
}

/** The adapter a loaded module exports (`default`, else `adapter`), checked. */
export function adapterOf(moduleExports: unknown, module: string): ConformanceAdapter {
  const m = moduleExports as { default?: unknown; adapter?: unknown } | null;
  const candidate = m?.default !== undefined && m.default !== null && typeof m.default === 'object' ? m.default : m?.adapter;
  if (candidate === undefined) throw invalid(module, { fr: 'ni export par défaut ni export « adapter »', en: 'no default export and no "adapter" export' });
  return checkAdapter(candidate, module);
}

function invalid(module: string, detail: { fr: string; en: string }): ConformanceError {
  return new ConformanceError('ERR_ADAPTER_INVALID', { params: { module, detail } });
}

function checkAdapter(value: unknown, module: string): ConformanceAdapter {
  if (value === null || typeof value !== 'object') throw invalid(module, { fr: 'ce n’est pas un objet', en: 'not an object' });
  const a = value as Record<string, unknown>;
  if (typeof a['name'] !== 'string' || !/^[\x20-\x7e]{1,100}$/.test(a['name']))
    throw invalid(module, { fr: 'name doit être un texte ASCII de 1 à 100 caractères', en: 'name must be 1 to 100 ASCII characters' });
  for (const key of ['transportContext', 'signerContext'])
    if (a[key] !== undefined && (a[key] === null || typeof a[key] !== 'object'))
      throw invalid(module, { fr: `${key} n’est pas un objet`, en: `${key} is not an object` });
  for (const key of [...FACTORIES, 'cleanup', 'close'])
    if (a[key] !== undefined && typeof a[key] !== 'function') throw invalid(module, { fr: `${key} n’est pas une fonction`, en: `${key} is not a function` });
  if (!FACTORIES.some((k) => a[k] !== undefined))
    throw invalid(module, { fr: `aucune fabrique (${FACTORIES.join(', ')})`, en: `no factory (${FACTORIES.join(', ')})` });
  const p = a['processes'];
  if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 16))
    throw invalid(module, { fr: 'processes doit être un entier de 1 à 16', en: 'processes must be an integer from 1 to 16' });
  return value as ConformanceAdapter;
}

/**
 * Calls one of the adapter's factories: a factory that throws, or
 * returns something without the methods of its interface, is a coded error.
 */
export async function callFactory<T>(adapter: ConformanceAdapter, factory: (typeof FACTORIES)[number], context: AdapterContext, module: string): Promise<T> {
  const make = adapter[factory] as ((c: AdapterContext) => unknown) | undefined;
  if (make === undefined) throw invalid(module, { fr: `pas de fabrique ${factory}`, en: `no ${factory} factory` });
  let made: unknown;
  try {
    made = await boundedBody(FACTORY_TIMEOUT_MS, async () => make(context))();
  } catch (e) {
    const detail = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
    throw new ConformanceError('ERR_ADAPTER_FACTORY', { params: { module, factory, detail }, cause: e });
  }
  if (made === null || typeof made !== 'object')
    throw invalid(module, { fr: `${factory}() n’a pas rendu d’objet`, en: `${factory}() did not return an object` });
  const methods = factory === 'consumptionStore' ? STORE_METHODS : factory === 'keyHolder' ? KEY_HOLDER_METHODS : undefined;
  if (methods !== undefined) {
    const missing = methods.filter((k) => typeof (made as Record<string, unknown>)[k] !== 'function');
    if (missing.length > 0) {
      try {
        await (made as { close?: () => unknown }).close?.call(made);
      } catch {
        // Its close is what is wrong with it, already reported.
      }
      throw invalid(module, { fr: `${factory}() sans ${missing.join(', ')}`, en: `${factory}() lacks ${missing.join(', ')}` });
    }
  }
  return made as T;
}
