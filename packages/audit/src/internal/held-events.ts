import type { AuditEvent } from '../event-schema.js';

/** Where the top-level `id` member starts in a canonical line: no other key ends in a lowercase `id` (`personId`, `recordId`), and a string's quotes are escaped. */
const ID_MEMBER = '"id":"';

/** The `id` of a canonical event line, read without parsing it. */
export function lineId(line: string): string {
  const at = line.indexOf(ID_MEMBER);
  return at < 0 ? '' : line.slice(at + ID_MEMBER.length, at + ID_MEMBER.length + 36);
}

/**
 * The events among `lines` (canonical lines, in order) whose id is one of
 * `ids` (AUD-2): only their lines are parsed. What a store's `held` gives.
 */
export async function heldEvents(lines: AsyncIterable<string> | Iterable<string>, ids: readonly string[]): Promise<AuditEvent[]> {
  const wanted = new Set(ids);
  const out: AuditEvent[] = [];
  if (wanted.size === 0) return out;
  for await (const line of lines) if (wanted.has(lineId(line))) out.push(JSON.parse(line) as AuditEvent);
  return out;
}
