import type { Clock, ContentSigner, Locale, Sha256 } from '@s3404/core';
import type { PjReport } from '../pj/check-pj.js';
import type { PjPolicy } from '../pj/pj-policy.js';
import type { LotCodec } from './lot-codec.js';

/**
 * The PJ files of a lot, by the names its description uses: a `Map`, a
 * plain object, or a function (sync or async) that reads one (SCOR-2).
 *
 * @public
 */
export type LotFiles =
  | ReadonlyMap<string, Uint8Array>
  | Readonly<Record<string, Uint8Array>>
  | ((file: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>);

/** Options of {@link packLot} (SCOR-2). @public */
export interface PackLotOptions {
  /** The PJ files named by the description. */
  readonly files: LotFiles;
  /** The PJ policy every file is checked with (SCOR-1). Default {@link DEFAULT_PJ_POLICY}. */
  readonly policy?: PjPolicy;
  /** The clock of the lot's creation time (determinism). Default: the system clock. */
  readonly now?: Clock;
  /** The container format. Default {@link sdkZipCodec}. */
  readonly codec?: LotCodec;
  /**
   * Signs the manifest: a detached CMS over `manifest.json`, stored as
   * `manifest.json.p7s` — `@s3404/seal`'s `createContentSigner` gives one.
   * Default: not signed.
   */
  readonly signer?: ContentSigner;
  /**
   * Reads the bordereau identifier of an S3404 PDF not produced by
   * `@s3404/form` (whose identifier the SDK reads itself). Return
   * `undefined` when it has none.
   */
  readonly readBordereauId?: (pdf: Uint8Array, report: PjReport) => string | undefined;
  /**
   * Judges each S3404 PJ beyond what the file says of itself (SIG-5): that
   * its revisions follow the pattern rendering, then the SDK's signature
   * revisions, then seals — nothing painted over the totals, no slot data
   * rewritten. It answers the problems found, each reported as
   * `ERR_LOT_S3404_MODIFIED` (an empty list when the PDF follows the
   * pattern). `scor` cannot judge this alone (it does not draw signatures):
   * the CLI passes one built on `verifyBordereauPdf` of `@s3404/form/pdf`
   * and `describePdfRevisions` of `@s3404/seal/pdf`. Default: none.
   */
  readonly inspectS3404?: (pdf: Uint8Array) => Promise<readonly { readonly code: string; readonly message: string }[]>;
  /** Largest container, in bytes. Default 1 GiB; at most 4 GiB − 64 MiB (ZIP without ZIP64). */
  readonly maxLotBytes?: number;
  /**
   * SHA-256, e.g. `nodeSha256` of `@s3404/core/node`. Default: Web Crypto
   * (`crypto.subtle`), which hashes on another thread while the next file is
   * checked.
   */
  readonly sha256?: Sha256;
  /** Language of issues and errors. Default `'fr'`; anything but English is French. */
  readonly locale?: Locale;
}
