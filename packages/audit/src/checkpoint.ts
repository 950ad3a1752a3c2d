/**
 * Checkpoints (AUD-2): at least daily and on demand, a signed text over an
 * RFC 9162 Merkle root of the period's events, chained to the previous
 * checkpoint (as NF Z42-013 asks of daily logs and CloudTrail does with its
 * digest files). The text follows the spirit of C2SP tlog-checkpoint.
 */

/**
 * The first line of every checkpoint body (AUD-2).
 *
 * `import { CHECKPOINT_HEADER } from '@s3404/audit'`
 *
 * @public
 */
export const CHECKPOINT_HEADER = 's3404-audit-checkpoint/1';

/**
 * What a checkpoint states (AUD-2).
 *
 * `import type { CheckpointBody } from '@s3404/audit'`
 *
 * @public
 */
export interface CheckpointBody {
  /** Who keeps the log, e.g. `finess:750300360`. */
  readonly origin: string;
  /** First and last sequence numbers of the period (inclusive). */
  readonly first: number;
  readonly last: number;
  /** RFC 9162 root over the period's event hashes, base64. */
  readonly root: string;
  /** Hash of event `last`, hex: the chain head the checkpoint seals. */
  readonly head: string;
  /** SHA-256 of the previous checkpoint's body, hex, or `none` for the first. */
  readonly previous: string;
  /** Times of the first and last events of the period. */
  readonly from: string;
  readonly to: string;
}

/**
 * The signed text of a checkpoint: one `key value` per line, LF-terminated
 * (AUD-2). The log signs its UTF-8 bytes with a `ContentSigner` of
 * `@s3404/core` (a detached CMS SignedData).
 *
 * `import { formatCheckpointBody } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * formatCheckpointBody({ origin: 'finess:750300360', first: 1, last: 10, root, head, previous: 'none', from, to })
 * // 's3404-audit-checkpoint/1\norigin finess:750300360\nfirst 1\nlast 10\nsize 10\n…'
 * ```
 * @public
 */
export function formatCheckpointBody(b: CheckpointBody): string {
  return [
    CHECKPOINT_HEADER,
    `origin ${b.origin}`,
    `first ${b.first}`,
    `last ${b.last}`,
    `size ${b.last - b.first + 1}`,
    `root ${b.root}`,
    `head ${b.head}`,
    `previous ${b.previous}`,
    `from ${b.from}`,
    `to ${b.to}`,
    '',
  ].join('\n');
}

/**
 * Reads a checkpoint text, or returns `null` when it is not exactly in the
 * format of {@link formatCheckpointBody} (AUD-2).
 *
 * `import { parseCheckpointBody } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const body = parseCheckpointBody(event.checkpoint!.body) // { origin, first, last, root, head, previous, from, to } or null
 * ```
 * @public
 */
export function parseCheckpointBody(text: string): CheckpointBody | null {
  if (typeof text !== 'string' || text.length > 4096) return null;
  const lines = text.split('\n');
  if (lines.length !== 11 || lines[0] !== CHECKPOINT_HEADER || lines[10] !== '') return null;
  const values = new Map<string, string>();
  for (const line of lines.slice(1, 10)) {
    const space = line.indexOf(' ');
    if (space <= 0) return null;
    values.set(line.slice(0, space), line.slice(space + 1));
  }
  const int = (k: string): number | null => {
    const v = values.get(k);
    return v !== undefined && /^[1-9]\d{0,15}$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : null;
  };
  const first = int('first');
  const last = int('last');
  const size = int('size');
  const origin = values.get('origin');
  const root = values.get('root');
  const head = values.get('head');
  const previous = values.get('previous');
  const from = values.get('from');
  const to = values.get('to');
  if (first === null || last === null || size === null || last < first || size !== last - first + 1) return null;
  if (origin === undefined || !/^[\x21-\x7e]{1,128}$/.test(origin)) return null;
  if (root === undefined || !/^[A-Za-z0-9+/]{43}=$/.test(root)) return null;
  if (head === undefined || !/^[0-9a-f]{64}$/.test(head)) return null;
  if (previous === undefined || !/^([0-9a-f]{64}|none)$/.test(previous)) return null;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  if (from === undefined || to === undefined || !iso.test(from) || !iso.test(to)) return null;
  const body: CheckpointBody = { origin, first, last, root, head, previous, from, to };
  return formatCheckpointBody(body) === text ? body : null;
}
