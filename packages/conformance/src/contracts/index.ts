/**
 * `@s3404/conformance/contracts` — the contract suites: they judge a
 * vendor's own implementations of the SDK's interfaces, each case through
 * the SDK's real API, as lines of a conformance report. A `ConsumptionStore`
 * (SIG-5, SIG-6, SIG-10), an `AuditStore` (AUD-2), a SCOR `Transport`
 * (SCOR-3), a `ContentSigner` (SIG-3), a `RecordKeyHolder` (SIG-6); an adapter module gathers
 * a vendor's implementations ({@link defineAdapter}). Any runtime; the race
 * over processes and the crash trials are in `@s3404/conformance/node`.
 *
 * @packageDocumentation
 */
export { defineAdapter, type AdapterContext, type ConformanceAdapter } from './adapter.js';
export { ContractViolation, type ContractContext } from './contract-case.js';
export { runConsumptionStoreContract, type ConsumptionStoreContractContext, type ConsumptionStoreFactory } from './consumption-store.js';
export { runAdapterContracts, type RunAdapterContractsOptions } from './run-adapter.js';
export { runAuditStoreContract, type AuditStoreContractContext } from './audit-store.js';
export { runTransportContract, type TransportContractContext } from './transport.js';
export { runSignerContract, type SignerContractContext } from './signer.js';
export { runKeyHolderContract, type KeyHolderContractContext } from './key-holder.js';
