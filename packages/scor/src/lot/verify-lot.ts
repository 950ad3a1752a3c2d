import { unzipSync } from 'fflate';
import { toHex } from '@s3404/core';
import { judgeLot, resolveVerifyOptions, SAFE_NAME, type OpenedEntry, type OpenedLot } from '../internal/judge-lot.js';
import { resolveDigest, type Digest } from '../internal/sha256.js';
import type { LotVerification, VerifyLotOptions } from './lot-verification.js';

export type { LotVerification, VerifyLotOptions } from './lot-verification.js';

/**
 * Checks a lot container written by {@link sdkZipCodec} (SCOR-2): it
 * opens, its entry names are safe, `manifest.json` is a valid version-1
 * manifest, every file it lists is there with the same SHA-256 and size,
 * `SHA256SUMS` agrees, no file is unlisted, and — when a verifier is given —
 * the manifest's signature verifies. It never throws for a bad container:
 * the issues say what is wrong. Runtime-agnostic; for a container on disk,
 * `verifyLotFile` of `@s3404/scor/file` gives the same verdict in bounded
 * memory.
 *
 * `import { verifyLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const v = await verifyLot(zipBytes, { verifier: createContentVerifier({ trustAnchors: [caDer] }) })
 * if (!v.ok) for (const i of v.issues) console.error(i.code, i.message)
 * v.signature.status // 'valid', 'invalid', 'unchecked' or 'none'
 * ```
 * @throws TypeError when `container` is not a Uint8Array, or an option has the wrong type.
 * @public
 */
export async function verifyLot(container: Uint8Array, options: VerifyLotOptions = {}): Promise<LotVerification> {
  if (!(container instanceof Uint8Array)) throw new TypeError('verifyLot: expected the container as a Uint8Array');
  const resolved = resolveVerifyOptions(options, 'verifyLot');
  const sha256 = resolveDigest(options.sha256, 'verifyLot');
  return judgeLot(openInMemory(container, resolved.maxBytes, sha256), resolved);
}

/** Unzips the whole container with fflate (the entries within `maxBytes` and with safe names). */
function openInMemory(container: Uint8Array, maxBytes: number, sha256: Digest): OpenedLot {
  let files: Record<string, Uint8Array>;
  let total = 0;
  let unsafe: string | undefined;
  try {
    files = unzipSync(container, {
      filter: (f) => {
        total += f.originalSize;
        if (!SAFE_NAME.test(f.name)) unsafe ??= f.name;
        return total <= maxBytes && SAFE_NAME.test(f.name);
      },
    });
  } catch (e) {
    // fflate's message (English, data about the bytes) is kept as it is.
    return { ok: false, detail: e instanceof Error ? e.message.slice(0, 120) : 'zip' };
  }
  const entries: Record<string, OpenedEntry> = {};
  for (const [name, bytes] of Object.entries(files)) entries[name] = { length: bytes.length, bytes, sha256: async () => toHex(await sha256(bytes)) };
  return { ok: true, entries, total, unsafe };
}
