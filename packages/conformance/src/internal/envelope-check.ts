import { VECTOR_AREAS, VECTOR_SCHEMA, type VectorFile } from '../envelope.js';
import { ConformanceError } from '../errors/conformance-error.js';
import { SPEC_REQUIREMENTS } from '../requirements.js';

const RESULTS = new Set(['valid', 'invalid', 'acceptable']);
const BUG_TYPES = new Set([
  'BASIC',
  'REAL_DATA',
  'EDGE_CASE',
  'MALFORMED_INPUT',
  'WRONG_BINDING',
  'REPLAY',
  'FORGERY',
  'MODIFIED_AFTER_SEAL',
  'POLICY',
  'DAMAGED',
  'HOSTILE',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks that a parsed file is a vector envelope version 2: the fields
 * the runner relies on, unique `tcId`s, flags defined in `notes`, at least one
 * requirement per test, each of the SPEC's list (as the JSON Schema's pattern), `numberOfTests` right.
 * @throws ConformanceError `ERR_VECTORS_INVALID` naming the first problem.
 */
export function checkEnvelope(path: string, json: unknown): VectorFile {
  const fail = (detail: string): never => {
    throw new ConformanceError('ERR_VECTORS_INVALID', { params: { path: path.slice(0, 200), detail: detail.slice(0, 200) } });
  };
  if (!isObject(json)) return fail('not a JSON object');
  if (json['schema'] !== VECTOR_SCHEMA) return fail(`schema ${JSON.stringify(json['schema'])}`.slice(0, 80));
  if (!(VECTOR_AREAS as readonly unknown[]).includes(json['area'])) fail(`area ${JSON.stringify(json['area'])}`.slice(0, 80));
  for (const key of ['title', 'generator'] as const) if (typeof json[key] !== 'string') fail(`${key} missing`);
  const notes = json['notes'];
  if (!isObject(notes)) return fail('notes missing');
  for (const [flag, note] of Object.entries(notes))
    if (!isObject(note) || !BUG_TYPES.has(note['bugType'] as string) || typeof note['description'] !== 'string')
      fail(`notes.${flag}: bugType and description expected`);
  const groups = json['testGroups'];
  if (!Array.isArray(groups)) return fail('testGroups missing');
  const ids = new Set<number>();
  let count = 0;
  for (const [g, group] of (groups as unknown[]).entries()) {
    if (!isObject(group) || typeof group['type'] !== 'string' || !Array.isArray(group['tests'])) return fail(`testGroups[${g}]: type and tests expected`);
    for (const test of group['tests'] as unknown[]) {
      const where = `testGroups[${g}] test ${count}`;
      if (!isObject(test)) return fail(`${where}: not an object`);
      const tcId = test['tcId'];
      if (!Number.isSafeInteger(tcId)) return fail(`${where}: tcId missing`);
      if (ids.has(tcId as number)) fail(`tcId ${tcId} appears twice`);
      ids.add(tcId as number);
      const reqs = test['requirements'];
      if (!Array.isArray(reqs) || reqs.length === 0 || !reqs.every((r) => typeof r === 'string')) fail(`tcId ${tcId}: requirements expected`);
      const unknown = (reqs as unknown[]).find((r) => !SPEC_REQUIREMENTS.includes(r as string));
      if (unknown !== undefined) fail(`tcId ${tcId}: requirement ${String(unknown).slice(0, 20)} is not in the SPEC's list`);
      const flags = test['flags'];
      if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string' && Object.hasOwn(notes, f)))
        fail(`tcId ${tcId}: every flag must be defined in notes`);
      if (!RESULTS.has(test['result'] as string)) fail(`tcId ${tcId}: result valid | invalid | acceptable expected`);
      if (test['expected'] !== undefined && !isObject(test['expected'])) fail(`tcId ${tcId}: expected must be an object`);
      if (!('input' in test)) fail(`tcId ${tcId}: input missing`);
      count++;
    }
  }
  if (json['numberOfTests'] !== count) fail(`numberOfTests ${String(json['numberOfTests']).slice(0, 12)}, ${count} tests found`);
  return json as unknown as VectorFile;
}
