/**
 * What a retention purge of the SDK answers (AUD-3, X-3): the times of the
 * events still in the trace afterwards (ISO 8601 UTC), or the code of its
 * refusal.
 *
 * `import type { ConformancePurgeAnswer } from '@s3404/conformance'`
 *
 * @public
 */
export type ConformancePurgeAnswer = { readonly ok: true; readonly kept: readonly string[] } | { readonly ok: false; readonly code: string };

/**
 * The trace retention under test (AUD-3, X-3): `resolveRetentionMonths`,
 * `retentionCutoff` and `AuditLog.purge` of `@s3404/audit`, or a vendor's
 * own. `retentionMonths` answers the retention a setting gives (24 months
 * when `undefined`) and throws a coded error for a setting refused (below
 * 12 months, not an integer); `retentionCutoff` the oldest instant that must
 * still be kept at `at`; `purge` writes one event at each of `events`
 * (ascending) into a fresh trace kept `retentionMonths`, then asks, at the
 * instant `at`, to delete the events before `before`.
 *
 * `import type { ConformanceAuditRetentionSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { resolveRetentionMonths, retentionCutoff } from '@s3404/audit'
 * const part: Pick<ConformanceAuditRetentionSdk, 'retentionMonths' | 'retentionCutoff'> = {
 *   retentionMonths: (setting) => resolveRetentionMonths(setting as number | undefined),
 *   retentionCutoff,
 * }
 * ```
 * @public
 */
export interface ConformanceAuditRetentionSdk {
  readonly retentionMonths: (setting: unknown) => number;
  readonly retentionCutoff: (at: Date, months: number) => Date;
  readonly purge: (input: {
    readonly events: readonly Date[];
    readonly retentionMonths: number;
    readonly at: Date;
    readonly before: Date;
  }) => Promise<ConformancePurgeAnswer>;
}
