import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Bordereau } from './model/bordereau.js';
import { canonicalJson } from '@s3404/core';

/**
 * SHA-256 (hex) of the bordereau's content: its canonical JSON (RFC 8785)
 * without the editor-only `$schema` key. Printed on every page of the PDF and
 * written in its metadata, so a page can be matched to its data and any
 * change to the data shows (FORM-4, FORM-7).
 *
 * Synchronous and runtime-agnostic (pure JS SHA-256).
 *
 * `import { contentHash } from '@s3404/form'`
 *
 * @public
 */
export function contentHash(bordereau: Bordereau): string {
  return bytesToHex(sha256(new TextEncoder().encode(canonicalContent(bordereau))));
}

/** The canonical JSON (RFC 8785) whose SHA-256 is {@link contentHash}: the bordereau without `$schema`. @internal */
export function canonicalContent(bordereau: Bordereau): string {
  const { $schema: _ignored, ...content } = bordereau;
  return canonicalJson(content);
}
