import { z } from 'zod';
import { lotIdSchema } from './lot-id.js';

/** The `format` and `version` of `manifest.json` (SCOR-2). @public */
export const LOT_MANIFEST_FORMAT = 's3404-scor-lot';
/** Current manifest version; readers refuse a version they do not know (SCOR-2). @public */
export const LOT_MANIFEST_VERSION = 1;

/** Where the manifest, its checksum list and its optional signature sit in the container (SCOR-2). @public */
export const LOT_ENTRIES = { manifest: 'manifest.json', checksums: 'SHA256SUMS', signature: 'manifest.json.p7s' } as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const fileName = z.string().regex(/^pj\/[0-9A-Za-z][0-9A-Za-z_-]{0,31}\/\d{2}-(s3404|annexe)\.pdf$/);

/** One file of a lot, as the manifest lists it (SCOR-2). @public */
export const ManifestFileSchema = z.strictObject({
  /** Its path in the container: `pj/<invoice>/<nn>-s3404.pdf` or `…-annexe.pdf`. */
  name: fileName,
  kind: z.enum(['s3404', 'annex']),
  label: z.string().min(1).max(80).optional(),
  sha256: hex64,
  bytes: z.int().min(1),
  pages: z.int().min(1),
});

/**
 * `manifest.json`, at the root of every lot container (SCOR-2): the lot's
 * identity, the PJ policy it was checked with, and every invoice with its
 * files (SHA-256 and size). Version 1; documented in `docs/scor.md`. It
 * names no patient: invoice numbers and bordereau identifiers only.
 *
 * @public
 */
export const LotManifestSchema = z.strictObject({
  format: z.literal(LOT_MANIFEST_FORMAT),
  version: z.literal(LOT_MANIFEST_VERSION),
  lotId: lotIdSchema,
  createdAt: z.iso.datetime({ offset: false, precision: 3 }),
  producer: z.string().min(1).max(128),
  establishment: z.strictObject({ finess: z.string().regex(/^[0-9AB]{9}$/) }),
  b2: z.strictObject({ lotNumber: z.string().regex(/^[0-9]{1,9}$/) }),
  policy: z.strictObject({
    minDpi: z.number(),
    colour: z.enum(['colour', 'grey']),
    allowBilevel: z.boolean(),
    maxPages: z.int(),
    maxBytes: z.int(),
    scanCoverage: z.number(),
    strict: z.boolean(),
  }),
  invoices: z
    .array(
      z.strictObject({
        invoiceNumber: z.string().min(1).max(32),
        bordereauId: z.string().min(1).max(64),
        files: z.array(ManifestFileSchema).min(1),
      }),
    )
    .min(1),
  totals: z.strictObject({ invoices: z.int().min(1), files: z.int().min(1), bytes: z.int().min(1) }),
});

/** The lot manifest (SCOR-2). @public */
export type LotManifest = z.infer<typeof LotManifestSchema>;
/** One file of the manifest (SCOR-2). @public */
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/** The manifest's bytes: JSON, two-space indented, keys in a fixed order, LF, UTF-8 (deterministic). */
export function manifestBytes(manifest: LotManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** `SHA256SUMS` in the format of GNU `sha256sum` (`sha256sum -c SHA256SUMS` checks an extracted lot). */
export function checksumList(entries: readonly { readonly name: string; readonly sha256: string }[]): Uint8Array {
  return new TextEncoder().encode(entries.map((e) => `${e.sha256}  ${e.name}\n`).join(''));
}
