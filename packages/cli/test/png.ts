/** A white grey-level PNG, written independently of the SDK (test oracle). */
export { whitePng as png } from '@s3404/tooling/test-kit';
