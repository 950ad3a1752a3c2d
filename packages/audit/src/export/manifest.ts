import { z } from 'zod';
import { AUDIT_ACTIONS } from '../event-schema.js';

/**
 * The `type` of every export manifest (AUD-4).
 *
 * `import { EXPORT_MANIFEST_TYPE } from '@s3404/audit'`
 *
 * @public
 */
export const EXPORT_MANIFEST_TYPE = 's3404-audit-export';

/**
 * The export formats (AUD-4): JSON Lines (restorable), CSV (RFC 4180), OCSF 1.3 API Activity.
 *
 * `import { EXPORT_FORMATS } from '@s3404/audit'`
 *
 * @public
 */
export const EXPORT_FORMATS = ['jsonl', 'csv', 'ocsf'] as const;

/**
 * One export format (AUD-4).
 *
 * `import type { ExportFormat } from '@s3404/audit'`
 *
 * @public
 */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const instant = z.iso.datetime({ offset: false, precision: 3 });
const count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const seq = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * The signed description of an export (AUD-4). Its UTF-8 canonical JSON
 * (RFC 8785) is what the establishment seal signs (a detached CMS
 * SignedData, `<file>.manifest.p7s`).
 *
 * - `exportId`: unique id of the export (UUIDv7 by default); trace it with
 *   an `audit.export` event (`subject.exportId`).
 * - `origin`: who keeps the log, as in checkpoints (`finess:750300360`).
 * - `period`: `[from, to)`, ISO 8601 UTC; every exported event has
 *   `from ≤ time < to`.
 * - `files`: the data file (one in version 1): name, size in bytes, SHA-256 (hex).
 * - `counts`: events, per action (actions present only), per outcome.
 * - `chain`: `null` without events; else the sequence range covered, the
 *   `prev` of the first exported event and the `hash` of the last, and
 *   `outside`: the events of that range left out because their time is
 *   outside the period (back-dated events), by `seq`, `prev` and `hash`
 *   only, so the links can be checked across them.
 *
 * `import { ExportManifestSchema } from '@s3404/audit'`
 *
 * @public
 */
export const ExportManifestSchema = z.strictObject({
  type: z.literal(EXPORT_MANIFEST_TYPE),
  version: z.literal(1),
  exportId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/),
  origin: z.string().regex(/^[\x21-\x7e]{1,128}$/),
  format: z.enum(EXPORT_FORMATS),
  createdAt: instant,
  period: z.strictObject({ from: instant, to: instant }),
  files: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/),
        bytes: count,
        sha256: hex64,
      }),
    )
    .length(1),
  counts: z.strictObject({
    events: count,
    byAction: z.partialRecord(z.enum(AUDIT_ACTIONS), z.int().min(1).max(Number.MAX_SAFE_INTEGER)),
    byOutcome: z.strictObject({ success: count, refused: count, failure: count }),
  }),
  chain: z
    .strictObject({
      firstSeq: seq,
      lastSeq: seq,
      firstPrev: hex64,
      lastHash: hex64,
      outside: z.array(z.strictObject({ seq, prev: hex64, hash: hex64 })),
    })
    .nullable(),
});

/**
 * An export manifest (AUD-4); see {@link ExportManifestSchema}.
 *
 * `import type { ExportManifest } from '@s3404/audit'`
 *
 * @public
 */
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

/** What is inconsistent inside a schema-valid manifest, or null. */
export function manifestInconsistency(m: ExportManifest): string | null {
  if (m.period.from >= m.period.to) return 'period';
  const sum = (o: Readonly<Record<string, number | undefined>>): number => Object.values(o).reduce<number>((a, b) => a + (b ?? 0), 0);
  if (sum(m.counts.byAction) !== m.counts.events || sum(m.counts.byOutcome) !== m.counts.events) return 'counts';
  const c = m.chain;
  if (c === null) return m.counts.events === 0 ? null : 'chain';
  if (m.counts.events === 0 || c.lastSeq < c.firstSeq || c.lastSeq - c.firstSeq + 1 !== m.counts.events + c.outside.length) return 'chain';
  let last = c.firstSeq;
  for (const o of c.outside) {
    if (o.seq <= last || o.seq >= c.lastSeq) return 'chain.outside';
    last = o.seq;
  }
  return null;
}
