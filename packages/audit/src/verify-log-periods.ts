import { joinSegments, planSegments, scanBytes, idealCuts, traceStart, verifySegmentBytes } from './internal/verify-segments.js';
import { verifyLog, type VerifyLogOptions, type VerifyReport } from './verify-log.js';

/**
 * Options of {@link verifyLogInPeriods} (AUD-2): those of `verifyLog`, and
 * how many segments to cut the trace into.
 *
 * `import type { VerifyLogInPeriodsOptions } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const options: VerifyLogInPeriodsOptions = { verifier, segments: 8 }
 * ```
 * @public
 */
export interface VerifyLogInPeriodsOptions extends VerifyLogOptions {
  /** About how many segments (checkpointed periods, and slices of the unsealed tail). Default 4. */
  readonly segments?: number;
}

/**
 * Verifies a trace held in memory period by period (AUD-2), with the
 * verdicts, codes and report of {@link verifyLog}: the trace is cut at
 * checkpoint lines (and, after the last checkpoint, at any line), each
 * segment is verified alone, then the segments are joined (each continues
 * the one before, no event backdated across a seam) and the checkpoints'
 * signatures are checked in order. A damaged trace is verified again
 * serially, so the damage named is the serial verification's. This is the
 * runtime-neutral form, one segment after the other (browsers, Deno, Bun);
 * on Node, `verifyLogFile(path, { threads })` of `@s3404/audit/file` runs the
 * same segments in worker threads.
 *
 * `import { verifyLogInPeriods } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const report = await verifyLogInPeriods(bytes, { verifier, segments: 8 })
 * if (!report.ok) console.error(report.damage?.kind, report.issues[0]?.message)
 * ```
 * @throws TypeError for a `segments` that is not an integer ≥ 1, and as {@link verifyLog} for its options.
 * @public
 */
export async function verifyLogInPeriods(bytes: Uint8Array, options: VerifyLogInPeriodsOptions = {}): Promise<VerifyReport> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('verifyLogInPeriods: bytes must be a Uint8Array');
  const count = options.segments ?? 4;
  if (!Number.isInteger(count) || count < 1) throw new TypeError('verifyLogInPeriods: segments must be an integer ≥ 1');
  const { segments: _, ...o } = options;
  const nl = bytes.indexOf(10);
  const start = nl < 0 || count === 1 ? null : await traceStart(bytes.subarray(0, nl + 1), o);
  if (start === null) return verifyLog(bytes, o);
  const { checkpoints, lineStarts } = scanBytes(bytes, idealCuts(bytes.length, count));
  const tasks = planSegments(bytes.length, count, checkpoints, lineStarts);
  const parts = [];
  for (const task of tasks) {
    const part = await verifySegmentBytes(bytes, task, start, o);
    if (!part.ok) return verifyLog(bytes, o);
    parts.push(part);
  }
  return (await joinSegments(tasks, parts, o)) ?? verifyLog(bytes, o);
}
