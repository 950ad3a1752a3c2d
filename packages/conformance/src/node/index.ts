/**
 * `@s3404/conformance/node` — the Node-only part of the contract suites
 * (X-3, SIG-5): a vendor's adapter module loaded by path or package name,
 * the race over several processes and the crash trials
 * (`s3404 conformance --adapter MODULE`); and where the vectors published
 * with the package are (`packagedVectorsDir`, `defaultVectorsDir`).
 *
 * @packageDocumentation
 */
export { runAdapterConformance, type RunAdapterConformanceOptions } from './run-adapter-conformance.js';
export { loadAdapterModule } from './load-adapter-module.js';
export { defaultVectorsDir, packagedVectorsDir } from './vectors-dir.js';
