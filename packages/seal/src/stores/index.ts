/**
 * `@s3404/seal/stores` — open a consumption store from a URL (`sqlite:`,
 * `postgres://`, `redis://`, `memory:`), loading only the driver it needs
 * (SIG-5, SIG-6), and the registry of capture contexts that goes with it
 * (SIG-1). Node only.
 *
 * @packageDocumentation
 */
export { openConsumptionStore, type OpenStoreOptions } from './open-store.js';
export { openContextRegistry, type OpenContextRegistryOptions } from './open-context-registry.js';
