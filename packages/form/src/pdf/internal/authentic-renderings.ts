import { DigestMemo } from './pdf-memo.js';

/**
 * First revisions known, in this process, to be the SDK's rendering of the
 * content they record (issue 19): those `renderBordereauPdf` produced, and
 * those `verifyBordereauPdf` rendered again byte for byte. Keyed by the
 * SHA-256 of the revision's exact bytes and the content hash: a PDF rendered
 * here and verified here (a day of bordereaux signed on one server) is not
 * rendered a second time, and any other byte string is still rendered again.
 * Only positive verdicts are kept; overlays (rendered on the vendor's form)
 * never are.
 */
const known = new DigestMemo<true>(16_384);

/** Records `bytes` (a whole first revision) as the SDK's rendering of `contentHash`. */
export function rememberRendering(bytes: Uint8Array, contentHash: string): void {
  known.set(DigestMemo.key(bytes, contentHash), true);
}

/** The key of a first revision; `isKnownRendering` and `rememberKnown` take it. */
export function renderingKey(first: Uint8Array, contentHash: string): string {
  return DigestMemo.key(first, contentHash);
}

/** Whether the first revision of this key is known to be the SDK's rendering. */
export function isKnownRendering(key: string): boolean {
  return known.get(key) === true;
}

/** Records the first revision of this key as the SDK's rendering (rendered again byte for byte). */
export function rememberKnown(key: string): void {
  known.set(key, true);
}
