/**
 * Calls a vendor's notification callback (a reporter, a logger) with `value`
 * and drops its failure (issue 19; X-2): what it throws, and the rejection of
 * a promise it returns. A logger that is down must not end a maintenance loop,
 * leave a request unanswered, nor end the process through an unhandled
 * rejection. `undefined` callbacks are skipped.
 *
 * `import { notifyQuietly } from '@s3404/core'`
 *
 * @example
 * ```ts
 * notifyQuietly(options.onReport, report) // never throws, never leaves a rejection unhandled
 * ```
 * @public
 */
export function notifyQuietly<T>(callback: ((value: T) => unknown) | undefined, value: T): void {
  try {
    const answer: unknown = callback?.(value);
    if (answer !== null && typeof answer === 'object' && typeof (answer as PromiseLike<unknown>).then === 'function') {
      (answer as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // dropped: see above
  }
}
