import type { ConformanceTest } from '../report.js';
import type { ConformanceAdapter } from './adapter.js';
import { runAuditStoreContract } from './audit-store.js';
import { runKeyHolderContract } from './key-holder.js';
import type { ContractContext } from './contract-case.js';
import { runSignerContract } from './signer.js';
import { runTransportContract } from './transport.js';

type Factory<S extends (factory: never, context: never) => unknown> = Parameters<S>[0];

/**
 * The suites of the other interfaces an adapter may provide, by the
 * adapter's factory that feeds them, with what the adapter gives each
 * besides (`signerContext`, `transportContext`). Each suite's factory opens
 * the same data at every call (one namespace per suite).
 */
export const wiredSuites: readonly {
  readonly factory: 'auditStore' | 'transport' | 'signer' | 'keyHolder';
  readonly run: (factory: () => Promise<unknown>, context: ContractContext, adapter: ConformanceAdapter) => Promise<ConformanceTest[]>;
}[] = [
  { factory: 'auditStore', run: (factory, context) => runAuditStoreContract(factory as Factory<typeof runAuditStoreContract>, context) },
  {
    factory: 'transport',
    run: (factory, context, adapter) => runTransportContract(factory as Factory<typeof runTransportContract>, { ...context, ...adapter.transportContext }),
  },
  {
    factory: 'signer',
    run: (factory, context, adapter) => runSignerContract(factory as Factory<typeof runSignerContract>, { ...context, ...adapter.signerContext }),
  },
  { factory: 'keyHolder', run: (factory, context) => runKeyHolderContract(factory as Factory<typeof runKeyHolderContract>, context) },
];
