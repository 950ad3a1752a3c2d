/**
 * `text` with every control character (C0, DEL, C1) shown as U+FFFD (X-2):
 * what comes from a store, a file or a request never drives a terminal or
 * forges a line of a log. Messages' parameters and received values go
 * through it; so does what a command line prints of such data.
 *
 * `import { visibleText } from '@s3404/core'`
 *
 * @example
 * ```ts
 * visibleText('L1\u001b[2J\nERR') // 'L1\uFFFD[2J\uFFFDERR'
 * ```
 * @public
 */
export function visibleText(text: string): string {
  // Tested first: most texts have none, and a test allocates nothing (every trace event's reason comes here).
  return HAS_CONTROL.test(text) ? text.replace(CONTROL, '\uFFFD') : text;
}

const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
