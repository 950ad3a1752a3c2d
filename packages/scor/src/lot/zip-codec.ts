import { zipSync, type Zippable } from 'fflate';
import { ENTRY_ATTRS as ATTRS, entryTime } from '../internal/zip-store.js';
import { LOT_ENTRIES } from './manifest.js';
import type { LotCodec, LotContent } from './lot-codec.js';

/**
 * The SDK's own container (SCOR-2): a ZIP (PKWARE APPNOTE) written by
 * fflate, entries stored uncompressed — PDFs are compressed already, and
 * any unzip tool can list and test it — in a fixed order: `manifest.json`,
 * `SHA256SUMS`, `manifest.json.p7s` when signed, then the PJ in manifest
 * order. Same content, same bytes. Without ZIP64: a lot stays below 4 GiB
 * and 65,535 entries (`packLot` enforces it).
 *
 * `import { sdkZipCodec } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const lot = await packLot(description, { files, codec: sdkZipCodec }) // the default
 * ```
 * @public
 */
export const sdkZipCodec: LotCodec = Object.freeze({
  id: 's3404-zip/1',
  mediaType: 'application/zip',
  extension: '.zip',
  encode(content: LotContent): Uint8Array {
    const mtime = entryTime();
    const entry = (bytes: Uint8Array): [Uint8Array, { level: 0; mtime: Date; os: number; attrs: number }] => [bytes, { level: 0, mtime, os: 3, attrs: ATTRS }];
    const files: Zippable = {};
    files[LOT_ENTRIES.manifest] = entry(content.manifestBytes);
    files[LOT_ENTRIES.checksums] = entry(content.checksums);
    if (content.signature !== undefined) files[LOT_ENTRIES.signature] = entry(content.signature);
    for (const f of content.files) files[f.name] = entry(f.bytes);
    return zipSync(files, { level: 0 });
  },
});
