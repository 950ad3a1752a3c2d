/**
 * What a consumption is applied to (SIG-4, SIG-10): a bordereau with the hash
 * of its exact content (and the line), or an accounting day with its exact
 * set of bordereaux and their content hashes.
 *
 * `import type { ConformanceConsumeTarget } from '@s3404/conformance'`
 *
 * @public
 */
export type ConformanceConsumeTarget =
  | { readonly bordereauId: string; readonly contentHash: string; readonly line?: number }
  | {
      readonly day: string;
      readonly finess?: string;
      readonly dayBordereaux: readonly { readonly bordereauId: string; readonly contentHash: string }[];
    };

/**
 * The consumer under test (SIG-4, SIG-5, SIG-6, SIG-10): what `createConsumer`
 * of `@s3404/seal` returns, or a vendor's own. A refusal throws a coded error
 * (`code`, e.g. `ERR_RECORD_REPLAYED`).
 *
 * `import type { ConformanceConsumer } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceConsumer {
  /** Puts sealed bytes in the pending store; the handle opens them once. */
  deposit(input: { readonly bytes: Uint8Array }): Promise<{ readonly handle: string }>;
  /** Uses a record once for `target`; `status` is `consumed` or `already-consumed`. */
  consume(
    input: { readonly bytes: Uint8Array } | { readonly handle: string },
    options: { readonly target: ConformanceConsumeTarget; readonly requestId: string },
  ): Promise<{ readonly status: string }>;
  /** Deletes expired and abandoned pending records. */
  sweep(): Promise<unknown>;
}

/**
 * The policy of a sealer under test (SIG-7, SIG-8, SIG-9): who may sign what
 * (`createRoleAuthorizer` of `@s3404/seal`), the mandates and the practitioners'
 * conventions de preuve, as plain data.
 *
 * `import type { ConformanceSealerPolicy } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceSealerPolicy {
  readonly staff: readonly {
    readonly id: string;
    readonly roles: readonly string[];
    readonly rpps?: string;
    readonly terminals?: readonly string[];
  }[];
  readonly insuredTerminals?: readonly string[];
  readonly mandates: readonly {
    readonly reference: string;
    readonly mandatorRpps: string;
    readonly delegateId: string;
    readonly validFrom: string;
    readonly validUntil?: string;
    readonly revokedOn?: string;
  }[];
  readonly proofAgreements: readonly {
    readonly reference: string;
    readonly rpps: string;
    readonly finess: string;
    readonly validFrom: string;
    readonly validUntil?: string;
    readonly terminatedOn?: string;
  }[];
  readonly establishment: { readonly finess: string };
  readonly now: () => Date;
}

/**
 * A sealer under test (SIG-7, SIG-8, SIG-9): `createSealer` of `@s3404/seal`
 * (its `openContext`, then `seal` of `createCapture(context, capture)`), or a
 * vendor's own. A refusal throws a coded error (`ERR_AUTH_DENIED`…).
 *
 * `import type { ConformancePolicySealer } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformancePolicySealer {
  openContext(request: {
    readonly scope: Readonly<Record<string, unknown>>;
    readonly role: string;
    readonly signer: { readonly id: string; readonly name: string; readonly rpps?: string };
    readonly terminalId: string;
    readonly mandate?: { readonly reference: string };
  }): Promise<object>;
  seal(context: object, capture: { readonly image: Uint8Array; readonly capturedAt: Date }): Promise<unknown>;
}

/**
 * The single-use primitives under test (SIG-4, SIG-5, SIG-6, SIG-10, X-3): a
 * factory of fresh, empty consumption stores (`MemoryConsumptionStore` of
 * `@s3404/seal/memory`, or a vendor's store on a fresh schema) and the
 * consumer factory (`createConsumer` of `@s3404/seal`). Each scenario runs on
 * a new store, the consumer's clock moved by the scenario's steps. The
 * sealer factory judges the signing policy (SIG-7, SIG-8, SIG-9).
 *
 * `import type { ConformanceConsumeSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceConsumeSdk {
  readonly createStore: () => object | Promise<object>;
  readonly createConsumer: (options: {
    readonly store: object;
    readonly trustAnchors: readonly Uint8Array[];
    readonly now: () => Date;
    readonly ttlSeconds?: number;
  }) => ConformanceConsumer;
  /**
   * A sealer with the given policy, on the SDK's own seal key (for example a
   * development PKI): the `seal-policy` vectors. Without it they are
   * indeterminate.
   */
  readonly createSealer?: (policy: ConformanceSealerPolicy) => Promise<ConformancePolicySealer>;
}
