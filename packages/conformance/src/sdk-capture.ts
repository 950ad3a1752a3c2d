import type { ConformanceSealVerdict } from './sdk-seal.js';

/**
 * One fresh sealer of the SDK under test, on the runner's clock (SIG-1, SIG-2, X-2): it opens
 * contexts as the server does (`openContext`, then `toContextMessage`) and seals what a tablet
 * sends back (`readCaptureMessage` for the authenticated terminal, then `seal`).
 *
 * `import type { ConformanceCaptureSession } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceCaptureSession {
  /** Opens and registers a context (`scope`, `role`, `signer`, `terminalId`, `mandate`?) and returns its `s3404.capture-context` message, as JSON. */
  readonly openContext: (request: unknown) => Promise<unknown>;
  /** Reads an `s3404.capture` message received from `terminalId` and seals it: accepted, or refused with its stable code. */
  readonly seal: (message: unknown, options: { readonly terminalId: string }) => Promise<ConformanceSealVerdict>;
}

/**
 * The capture service under test (SIG-1, SIG-2, X-2): `createSealer` of `@s3404/seal` on a
 * `MemoryContextRegistry`, with `toContextMessage` and `readCaptureMessage`, or a vendor's own.
 * `now` is the runner's clock (the vector's issue time, then its checking time); `limits` the
 * capture limits of the vector (`maxImageBytes`…), `policy` its signing policy as JSON (`staff`,
 * `mandates`, `proofAgreements`, `establishment`, in `@s3404/seal`'s shapes).
 *
 * `import type { ConformanceCaptureSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceCaptureSdk {
  readonly openSession: (options: {
    readonly now: () => Date;
    readonly limits?: Readonly<Record<string, number>>;
    readonly policy?: unknown;
  }) => Promise<ConformanceCaptureSession>;
}
