import type { LotManifest } from './manifest.js';

/** What a codec turns into a container: the manifest and every file, in order (SCOR-2). @public */
export interface LotContent {
  readonly lotId: string;
  readonly manifest: LotManifest;
  /** `manifest.json` exactly as listed and, when the lot is signed, signed. */
  readonly manifestBytes: Uint8Array;
  /** `SHA256SUMS` (GNU sha256sum format) over the PJ files. */
  readonly checksums: Uint8Array;
  /** A detached CMS over `manifestBytes` (a `ContentSigner`'s), when the lot was signed. */
  readonly signature: Uint8Array | undefined;
  /** The PJ files, named as in the manifest, in its order. */
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

/**
 * Writes a lot's content as one container (SCOR-2, X-4). The SDK's own is
 * {@link sdkZipCodec}; the official SCOR-CP format belongs to the GIE
 * SESAM-Vitale specifications, which are not public, so a vendor whose
 * approved transmission module needs another layout implements this
 * interface and passes it to `packLot`.
 *
 * @example
 * ```ts
 * const vendorCodec: LotCodec = { id: 'acme-scor-cp/3', mediaType: 'application/octet-stream', extension: '.scor', encode: (c) => acme.build(c) }
 * const lot = await packLot(description, { files, codec: vendorCodec })
 * ```
 * @public
 */
export interface LotCodec {
  /** A stable name and version, kept with the lot (`s3404-zip/1`). */
  readonly id: string;
  readonly mediaType: string;
  /** File-name extension of the container, with its dot. */
  readonly extension: string;
  encode(content: LotContent): Uint8Array | Promise<Uint8Array>;
}
