/**
 * `text` with every control character (C0, DEL, C1), and every half of a
 * surrogate pair without its other half, shown as U+FFFD (X-2): what comes
 * from a store, a file or a request never drives a terminal or forges a
 * line of a log, and text cut to a bound (`visibleText(s.slice(0, n))`)
 * never ends with half an emoji, which PostgreSQL's `jsonb` and `text`
 * refuse and UTF-8 cannot encode. Its length is the text's. Messages'
 * parameters and received values go through it; so does what a command
 * line prints of such data.
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
  if (!SUSPECT.test(text)) return text;
  const shown = HAS_CONTROL.test(text) ? text.replace(CONTROL, '\uFFFD') : text;
  return HAS_SURROGATE.test(shown) ? shown.replace(LONE_SURROGATE, '\uFFFD') : shown;
}

const SUSPECT = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const HAS_SURROGATE = /[\ud800-\udfff]/;
/** A high half not followed by a low one, or a low half not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
