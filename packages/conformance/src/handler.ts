import type { VectorTest } from './envelope.js';
import type { TestOutcome } from './report.js';
import type { ConformanceSdk } from './sdk.js';

/**
 * What a handler concluded on one vector: its outcome, the code the SDK
 * answered, and what it answered when that differs from what was expected.
 *
 * `import type { HandlerAnswer } from '@s3404/conformance'`
 *
 * @public
 */
export interface HandlerAnswer {
  readonly outcome: TestOutcome;
  readonly code?: string;
  readonly detail?: string;
  /** What the SDK answered, for the report: `accepted`, `refused`, a code or a value. Default: the code, or `accepted` for a passed `valid` vector. */
  readonly answer?: string;
}

/**
 * What a handler receives besides the vector: the SDK under test, the
 * vector file's path, and the bytes of an input value (`{ "base64": … }`, or
 * a fixture `{ "file", "sha256" }` read through `readFixture` and checked
 * against its SHA-256; a fixture that cannot be read makes the vector
 * `indeterminate`).
 *
 * `import type { HandlerContext } from '@s3404/conformance'`
 *
 * @public
 */
export interface HandlerContext {
  readonly sdk: ConformanceSdk;
  readonly file: string;
  readonly bytes: (value: unknown) => Promise<Uint8Array>;
}

/**
 * Runs the vectors of one group `type` against the SDK. It returns
 * its answer; a coded error it throws is the SDK's refusal with that code;
 * an uncoded one fails the vector with its message.
 *
 * `import type { VectorHandler } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * const handler: VectorHandler = (test, { sdk }) => ({ outcome: sdk.form === undefined ? 'indeterminate' : 'passed' })
 * ```
 * @public
 */
export type VectorHandler = (test: VectorTest, context: HandlerContext) => HandlerAnswer | Promise<HandlerAnswer>;
