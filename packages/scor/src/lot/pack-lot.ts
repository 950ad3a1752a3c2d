import { resolveLocale, toHex } from '@s3404/core';
import { ScorError, scorIssue, type ScorIssue } from '../errors/scor-error.js';
import { prepareLot, resolvePackOptions, lotContent } from '../internal/prepare-lot.js';
import type { LotContent } from './lot-codec.js';
import type { LotManifest } from './manifest.js';
import type { PackLotOptions } from './pack-lot-options.js';

export type { LotFiles, PackLotOptions } from './pack-lot-options.js';

/** A packed SCOR lot (SCOR-2): its container and what the lifecycle keeps of it. @public */
export interface PackedLot {
  readonly lotId: string;
  readonly finess: string;
  readonly b2LotNumber: string;
  readonly createdAt: string;
  readonly manifest: LotManifest;
  readonly manifestBytes: Uint8Array;
  readonly manifestSha256: string;
  /** The manifest's detached CMS, when signed. */
  readonly signature: Uint8Array | undefined;
  readonly container: {
    readonly codec: string;
    readonly fileName: string;
    readonly mediaType: string;
    readonly bytes: Uint8Array;
    readonly sha256: string;
  };
  /** What the PJ checks repaired (warnings): the lot was accepted with them. */
  readonly warnings: readonly ScorIssue[];
}

/**
 * A lot packed to a file (SCOR-2): what `packLot` gives, with the container
 * on disk (its path, SHA-256 and length) instead of its bytes; what
 * `packLotFile` of `@s3404/scor/file` gives and `LotManager.register` takes.
 *
 * `import type { PackedLotFile } from '@s3404/scor/file'` (or `'@s3404/scor'`)
 *
 * @public
 */
export interface PackedLotFile extends Omit<PackedLot, 'container'> {
  readonly container: {
    readonly codec: string;
    readonly fileName: string;
    readonly mediaType: string;
    /** The absolute path written. */
    readonly path: string;
    readonly sha256: string;
    readonly length: number;
  };
}

/**
 * The result of {@link safePackLot} (SCOR-2, `docs/conventions.md` §5): the
 * packed lot with the warnings of its PJ checks as `issues` (none is an
 * error), or every problem that refuses it.
 *
 * `import type { PackLotResult } from '@s3404/scor'`
 *
 * @public
 */
export type PackLotResult =
  | {
      readonly ok: true;
      readonly lot: PackedLot;
      /** The lot's warnings (`lot.warnings`): what the PJ checks repaired. */
      readonly issues: readonly ScorIssue[];
    }
  | { readonly ok: false; readonly issues: readonly ScorIssue[] };

/**
 * Packs a SCOR lot (SCOR-2): checks the description (FINESS, B2 lot
 * number, each invoice once, each bordereau once, at least one PJ per
 * invoice, the signed S3404 first), checks every PJ (SCOR-1), checks that
 * each S3404 carries its invoice's bordereau and is fully signed, hashes
 * every file (SHA-256), writes `manifest.json` and `SHA256SUMS`, signs
 * the manifest when a signer is given, and encodes the container (a ZIP
 * by default). In memory and runtime-agnostic; `@s3404/scor/file` writes
 * it to disk atomically (`writeLotFile`), or packs it straight to a file
 * holding one PJ at a time (`packLotFile`, the same bytes). Same
 * description, files and clock: same bytes (apart from a signature value).
 *
 * `import { packLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const lot = await packLot(JSON.parse(text), { files: { '260004512-s3404.pdf': s3404, '260004512-prescription.pdf': scan }, signer })
 * await writeLotFile(`out/${lot.container.fileName}`, lot.container.bytes) // @s3404/scor/file
 * ```
 * @throws {@link ScorError} `ERR_LOT_REFUSED` (kind `verdict`) with every problem in `issues` (codes `ERR_LOT_…` and `ERR_PJ_…`,
 *   paths such as `['invoices', 2, 'pj', 0, 'pages', 1]`); `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID` (kind `input`) for bad options.
 * @throws TypeError for options of the wrong type (`files` returning no bytes, a `now`, `sha256` or `signer` that is no function).
 * @public
 */
export async function packLot(description: unknown, options: PackLotOptions): Promise<PackedLot> {
  const result = await safePackLot(description, options);
  if (result.ok) return result.lot;
  const locale = resolveLocale(options.locale);
  throw new ScorError('ERR_LOT_REFUSED', { params: { count: result.issues.filter((i) => i.severity === 'error').length }, issues: result.issues, locale });
}

/**
 * {@link packLot} that returns the issues instead of throwing them (SCOR-2,
 * `docs/conventions.md` §5): `{ ok: true, lot, issues }` (the warnings) or
 * `{ ok: false, issues }`.
 *
 * `import { safePackLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const r = await safePackLot(description, { files })
 * if (!r.ok) for (const i of r.issues) console.error(i.code, i.path.join('.'), i.message)
 * ```
 * @throws {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID` (kind `input`) for bad options; TypeError for options of the wrong type.
 * @public
 */
export async function safePackLot(description: unknown, options: PackLotOptions): Promise<PackLotResult> {
  const resolved = resolvePackOptions(options, 'packLot');
  const { codec, locale, maxLotBytes, sha256 } = resolved;
  const prepared = await prepareLot(description, options, resolved, { retainBytes: true });
  if (!prepared.ok) return prepared;
  const lot = prepared.lot;
  const content: LotContent = lotContent(lot);
  const container = await codec.encode(content);
  if (!(container instanceof Uint8Array)) throw new TypeError(`packLot: codec ${codec.id} must return a Uint8Array`);
  if (container.length > maxLotBytes + 64 * 1024 * 1024)
    return { ok: false, issues: [scorIssue('ERR_LOT_TOO_LARGE', [], { params: { bytes: container.length, limit: maxLotBytes }, locale })] };
  return {
    ok: true,
    issues: lot.warnings,
    lot: {
      lotId: lot.lotId,
      finess: lot.finess,
      b2LotNumber: lot.b2LotNumber,
      createdAt: lot.createdAt,
      manifest: lot.manifest,
      manifestBytes: lot.manifestBytes,
      manifestSha256: lot.manifestSha256,
      signature: lot.signature,
      container: {
        codec: codec.id,
        fileName: `${lot.lotId}${codec.extension}`,
        mediaType: codec.mediaType,
        bytes: container,
        sha256: toHex(await sha256(container)),
      },
      warnings: lot.warnings,
    },
  };
}
