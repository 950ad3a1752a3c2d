import { canonicalJson, type Sha256 } from '@s3404/core';
import type { VectorSource } from '../envelope.js';
import { ConformanceError } from '../errors/conformance-error.js';
import type { ConformanceFile, ConformanceSummary, ConformanceTest } from '../report.js';
import { sha256Hex, utf8 } from './digest.js';

/** A decoder that refuses malformed UTF-8 (TextDecoder exists in every runtime the runner targets; ES2023 types do not name it). */
function decodeUtf8(bytes: Uint8Array): string {
  const Decoder = (globalThis as unknown as { TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(b: Uint8Array): string } }).TextDecoder;
  return new Decoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * The "recette dossier" entry of each vector file with a test run: its
 * SHA-256 and its number of tests. The file's bytes are hashed when the
 * caller gave them — after checking that they parse to the JSON it gave, so
 * the hash is the evidence of what was run — else its canonical JSON.
 * @throws {@link ConformanceError} `ERR_VECTORS_INVALID` for bytes that are not the file given.
 */
export async function fileEvidence(
  sources: readonly VectorSource[],
  tests: readonly ConformanceTest[],
  sha256: Sha256 | undefined,
): Promise<ConformanceFile[]> {
  const out: ConformanceFile[] = [];
  for (const source of sources) {
    const count = tests.filter((t) => t.file === source.path).length;
    if (count === 0) continue;
    if (source.bytes === undefined) {
      out.push({ path: source.path, sha256: await sha256Hex(utf8(canonicalJson(source.json)), sha256), hashed: 'canonical-json', tests: count });
      continue;
    }
    let cause: unknown;
    let same = false;
    try {
      same = canonicalJson(JSON.parse(decodeUtf8(source.bytes))) === canonicalJson(source.json);
    } catch (e) {
      cause = e;
    }
    if (!same)
      throw new ConformanceError('ERR_VECTORS_INVALID', {
        params: { path: source.path, detail: { fr: 'ses octets ne sont pas le JSON donné', en: 'its bytes are not the JSON given' } },
        ...(cause === undefined ? {} : { cause }),
      });
    out.push({ path: source.path, sha256: await sha256Hex(source.bytes, sha256), hashed: 'bytes', tests: count });
  }
  return out;
}

/** The totals of a run. */
export function summarize(tests: readonly ConformanceTest[]): ConformanceSummary {
  const count = (o: string): number => tests.filter((t) => t.outcome === o).length;
  return {
    tests: tests.length,
    passed: count('passed'),
    failed: count('failed'),
    indeterminate: count('indeterminate'),
    negatives: tests.filter((t) => t.result === 'invalid').length,
  };
}
