import { visibleText } from './visible-text.js';

/**
 * Shows a received value in a message, short and safe (X-2): strings quoted
 * as JSON, numbers and booleans as they are, arrays as `Array(n)`, other
 * objects by their type; control characters replaced by U+FFFD; cut to
 * `max` characters with `…`. A message never echoes a 10 MB string, and the
 * result is the same in every language.
 *
 * `import { truncateForMessage } from '@s3404/core'`
 *
 * @example
 * ```ts
 * truncateForMessage('x'.repeat(100)) // '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
 * truncateForMessage([1, 2, 3])       // 'Array(3)'
 * ```
 * @public
 */
export function truncateForMessage(value: unknown, max = 40): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value.length > max * 2 ? value.slice(0, max * 2) : value);
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) text = String(value);
  else if (Array.isArray(value)) text = `Array(${value.length})`;
  else text = typeof value;
  text = visibleText(text);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
