/**
 * `@s3404/conformance/sdk` — the SDK's own packages wired into the
 * conformance runner's interface: what `s3404 conformance` judges,
 * and what the same vectors judge in a browser, Deno and Bun.
 * Runtime-neutral (Web Crypto, Uint8Array).
 *
 * @packageDocumentation
 */
export { createPackagesSdk, type CreatePackagesSdkOptions } from './packages-sdk.js';
