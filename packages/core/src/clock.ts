/**
 * The SDK's clock: a function that returns the current instant (X-1,
 * determinism). Every option that reads the time is a `Clock` named `now`;
 * tests inject a fixed or stepping one and get the same bytes every run.
 *
 * `import type { Clock } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const now: Clock = () => new Date('2026-04-08T09:30:00Z')
 * ```
 * @public
 */
export type Clock = () => Date;

/** The system clock: `new Date()` at every call. @public */
export const systemClock: Clock = () => new Date();

/**
 * A clock that always gives the same instant (X-1, determinism): tests,
 * reproducible documents.
 *
 * `import { fixedClock } from '@s3404/core'`
 *
 * @example
 * ```ts
 * renderBordereauPdf(b, { now: fixedClock('2026-04-08T09:30:00Z') })
 * ```
 * @throws TypeError when `at` is not a valid instant.
 * @public
 */
export function fixedClock(at: Date | string | number): Clock {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) throw new TypeError('fixedClock: a valid instant is expected');
  return () => new Date(ms);
}

/**
 * Reads a clock and checks what it gave: a valid `Date`. A clock that
 * returns anything else is a programming error.
 *
 * `import { readClock } from '@s3404/core'`
 *
 * @throws TypeError naming `who` when the clock is not a function or gives no valid `Date`.
 * @public
 */
export function readClock(clock: Clock, who: string): Date {
  const d = typeof clock === 'function' ? clock() : undefined;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${who}: now() must return a valid Date`);
  return d;
}

/**
 * Checks a clock option: `undefined` gives the {@link systemClock}; a
 * function is returned as is; anything else — a `Date` in particular — is a
 * programming error, since every `now` option of the SDK is a {@link Clock}.
 *
 * `import { resolveClock } from '@s3404/core'`
 *
 * @throws TypeError naming `who` when `now` is not a function.
 * @public
 */
export function resolveClock(now: Clock | undefined, who: string): Clock {
  if (now === undefined) return systemClock;
  if (typeof now !== 'function')
    throw new TypeError(`${who}: options.now must be a Clock, a function returning a Date (e.g. () => new Date('2026-04-08T09:30:00Z'))`);
  return now;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether `v` is an instant written as `Date#toISOString` writes it:
 * UTC to the millisecond, a real date and time of day — written back the
 * same through a `Date`, so no `24:00`, no second 60, no 30 February. The
 * form of every time the SDK writes (records, trace events).
 *
 * `import { isIsoInstant } from '@s3404/core'`
 *
 * @example
 * ```ts
 * isIsoInstant('2026-03-20T10:00:00.000Z') // true
 * isIsoInstant('2026-02-30T10:00:00.000Z') // false
 * ```
 * @public
 */
export function isIsoInstant(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_INSTANT.test(v)) return false;
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === v;
}
