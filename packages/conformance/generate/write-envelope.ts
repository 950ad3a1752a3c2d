/**
 * Writes one envelope-2.0 vector file from a table of hand-written cases (X-3): numbers the
 * cases (`tcId` from 1, in table order), groups them by handler type in the order given, and
 * prints the counts. Shared by the generators of `audit/retention.json`, `core/*.json`,
 * `scor/pluggable.json` and `form/layout-templates.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { vectorsRoot } from './vectors-output.js';

/** test-vectors/ of the repository, or `S3404_VECTORS_OUT` (generate/vectors-output.ts). */
export const VECTORS = vectorsRoot();

/** One case of a generator's table; `tcId` is given by its place. */
export interface Case {
  readonly type: string;
  readonly comment: string;
  readonly requirements: readonly string[];
  readonly flags: readonly string[];
  readonly input: unknown;
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly expected?: Record<string, unknown>;
}

/** Writes `test-vectors/<path>` and prints how many vectors, how many negative. */
export function writeEnvelope(options: {
  readonly path: string;
  readonly area: string;
  readonly title: string;
  readonly generator: string;
  readonly notes: Record<string, { readonly bugType: string; readonly description: string }>;
  readonly groups: readonly { readonly type: string; readonly comment: string }[];
  readonly cases: readonly Case[];
}): void {
  const numbered = options.cases.map((c, i) => ({ ...c, tcId: i + 1 }));
  for (const c of numbered) {
    if (!options.groups.some((g) => g.type === c.type)) throw new Error(`generator: case ${c.tcId} has no group ${c.type}`);
    for (const f of c.flags) if (options.notes[f] === undefined) throw new Error(`generator: flag ${f} undefined`);
  }
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: options.area,
    title: options.title,
    generator: options.generator,
    notes: options.notes,
    numberOfTests: numbered.length,
    testGroups: options.groups.map((g) => ({
      type: g.type,
      comment: g.comment,
      tests: numbered
        .filter((c) => c.type === g.type)
        .map(({ tcId, comment, requirements, flags, input, result, expected }) => ({
          tcId,
          comment,
          requirements,
          flags,
          input,
          result,
          ...(expected === undefined ? {} : { expected }),
        })),
    })),
  };
  const out = join(VECTORS, options.path);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  const negatives = numbered.filter((c) => c.result === 'invalid').length;
  process.stdout.write(`${options.path}: ${numbered.length} vectors, ${negatives} negative\n`);
}
