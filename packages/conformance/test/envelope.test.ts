import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * every vector file of `test-vectors/` in envelope 2.0 follows its JSON Schema
 * (`test-vectors/schema/test-vectors-2.0.schema.json`) and the rules a schema cannot say:
 * tcIds unique in the file, `numberOfTests` true, every flag defined in `notes`, every fixture
 * present next to the file with its SHA-256.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VECTORS = join(ROOT, 'test-vectors');
const SCHEMA_FILE = join(VECTORS, 'schema/test-vectors-2.0.schema.json');
const V2 = 's3404-test-vectors/2.0';
/** Files still in envelope 1.0, to be migrated by a later session. */
const STILL_V1 = ['scor/pj-checks.json'];

interface Test {
  tcId: number;
  flags: string[];
  input: unknown;
  requirements?: string[];
}
interface VectorFile {
  schema?: string;
  generator: string;
  notes: Record<string, unknown>;
  numberOfTests: number;
  testGroups: { type: string; tests: Test[] }[];
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);

/** The vector files: every `.json` under test-vectors/, but the schemas and the fixture manifests. */
function vectorFiles(dir = VECTORS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(VECTORS, 'schema') ? [] : vectorFiles(path);
    if (!e.name.endsWith('.json')) return [];
    if (e.name === 'manifest.json' && dirname(path).endsWith('/fixtures')) return [];
    return [relative(VECTORS, path)];
  });
}

/** Every `{ file, sha256 }` fixture reference inside a test input, at any depth. */
function fixturesOf(value: unknown): { file: string; sha256: string }[] {
  if (Array.isArray(value)) return value.flatMap(fixturesOf);
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if (typeof o.file === 'string' && typeof o.sha256 === 'string') return [{ file: o.file, sha256: o.sha256 }];
  return Object.values(o).flatMap(fixturesOf);
}

/** Every problem of one envelope 2.0 document whose fixtures sit under `dir`; `[]` when it is sound. */
function problemsOf(doc: unknown, dir: string): string[] {
  const problems: string[] = [];
  if (!validate(doc)) problems.push(...(validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''}`));
  const d = doc as VectorFile;
  const tests = (Array.isArray(d.testGroups) ? d.testGroups : []).flatMap((g) => (Array.isArray(g.tests) ? g.tests : []));
  const seen = new Set<number>();
  for (const t of tests) {
    if (seen.has(t.tcId)) problems.push(`tcId ${t.tcId}: duplicate`);
    seen.add(t.tcId);
    for (const flag of Array.isArray(t.flags) ? t.flags : []) {
      if (!Object.hasOwn(d.notes ?? {}, flag)) problems.push(`tcId ${t.tcId}: flag ${flag} not defined in notes`);
    }
    for (const f of fixturesOf(t.input)) {
      const path = join(dir, f.file);
      if (!existsSync(path)) problems.push(`tcId ${t.tcId}: fixture ${f.file} missing`);
      else if (createHash('sha256').update(readFileSync(path)).digest('hex') !== f.sha256) problems.push(`tcId ${t.tcId}: fixture ${f.file} SHA-256 differs`);
    }
  }
  if (d.numberOfTests !== tests.length) problems.push(`numberOfTests ${d.numberOfTests} but ${tests.length} tests`);
  if (typeof d.generator === 'string' && !d.generator.startsWith('hand-written: ') && !existsSync(join(ROOT, d.generator))) {
    problems.push(`generator ${d.generator} missing`);
  }
  return problems;
}

const files = vectorFiles().sort();
const docs = new Map(files.map((f) => [f, JSON.parse(readFileSync(join(VECTORS, f), 'utf8')) as VectorFile]));
const v2Files = files.filter((f) => docs.get(f)?.schema === V2);

describe('X-3 vector envelope 2.0 (test-vectors/schema/test-vectors-2.0.schema.json)', () => {
  it('finds the vector files, and only the announced ones are not yet in envelope 2.0', () => {
    expect(v2Files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !v2Files.includes(f))).toEqual(STILL_V1);
  });

  it.each(v2Files)('%s follows the schema, with unique tcIds, a true count, defined flags and sound fixtures', (file) => {
    expect(problemsOf(docs.get(file), dirname(join(VECTORS, file)))).toEqual([]);
  });

  it.each(v2Files)('%s: every test names at least one requirement', (file) => {
    for (const t of docs.get(file)!.testGroups.flatMap((g) => g.tests)) expect(t.requirements?.length, `tcId ${t.tcId}`).toBeGreaterThan(0);
  });
});

describe('X-3 vector envelope 2.0: a broken file is caught', () => {
  const base = docs.get('form/identifiers.json')!;
  const dir = mkdtempSync(join(tmpdir(), 's3404-envelope-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fixture = Uint8Array.of(0x25, 0x50, 0x44, 0x46, 0x2d);
  mkdirSync(join(dir, 'fixtures'));
  writeFileSync(join(dir, 'fixtures/form-FORM-2-t01-pass-sample.bin'), fixture);
  const sha256 = createHash('sha256').update(fixture).digest('hex');

  /** A deep copy of the identifiers file, with one change. */
  const mutated = (change: (d: VectorFile, first: Test, second: Test) => void): VectorFile => {
    const d = structuredClone(base);
    const [first, second] = d.testGroups[0]!.tests;
    change(d, first!, second!);
    return d;
  };
  const withFixture = (hash: string, file = 'fixtures/form-FORM-2-t01-pass-sample.bin'): VectorFile =>
    mutated((_d, first) => {
      first.input = { ...(first.input as object), scan: { pages: [{ file, sha256: hash }] } };
    });

  it('accepts the unchanged file and a file with a sound fixture (the controls)', () => {
    expect(problemsOf(structuredClone(base), dir)).toEqual([]);
    expect(problemsOf(withFixture(sha256), dir)).toEqual([]);
  });

  it.each([
    ['missing requirements', mutated((_d, t) => delete t.requirements), /schema: \/testGroups\/0\/tests\/0 must have required property 'requirements'/],
    ['empty requirements', mutated((_d, t) => (t.requirements = [])), /schema: \/testGroups\/0\/tests\/0\/requirements must NOT have fewer than 1 items/],
    ['unknown requirement id', mutated((_d, t) => (t.requirements = ['FORM-8'])), /schema: \/testGroups\/0\/tests\/0\/requirements\/0 must match pattern/],
    ['requirement SIG-11', mutated((_d, t) => (t.requirements = ['SIG-11'])), /requirements\/0 must match pattern/],
    ['unknown flag', mutated((_d, t) => t.flags.push('UNDEFINED_FLAG')), /tcId 1: flag UNDEFINED_FLAG not defined in notes/],
    ['duplicate tcId', mutated((_d, first, second) => (second.tcId = first.tcId)), /tcId 1: duplicate/],
    ['wrong numberOfTests', mutated((d) => (d.numberOfTests += 1)), /numberOfTests 57 but 56 tests/],
    ['unknown top-level field', mutated((d) => Object.assign(d, { requirements: ['FORM-2'] })), /must NOT have additional properties/],
    ['version 1 field in a test', mutated((_d, t) => Object.assign(t, { expectedCode: 'ERR_X' })), /must NOT have additional properties/],
    ['note without bugType', mutated((d) => (d.notes.REAL = { description: 'x' })), /notes\/REAL must have required property 'bugType'/],
    ['bytes not in base64', mutated((_d, t) => (t.input = { data: { base64: 'not base64!' } })), /must match pattern/],
    ['wrong fixture SHA-256', withFixture('0'.repeat(64)), /tcId 1: fixture fixtures\/form-FORM-2-t01-pass-sample\.bin SHA-256 differs/],
    ['missing fixture', withFixture(sha256, 'fixtures/absent.bin'), /tcId 1: fixture fixtures\/absent\.bin missing/],
    ['fixture outside the folder', withFixture(sha256, '../fixtures/form-FORM-2-t01-pass-sample.bin'), /must match pattern/],
    [
      'missing generator file',
      mutated((d) => (d.generator = 'packages/conformance/generate/absent.ts')),
      /generator packages\/conformance\/generate\/absent\.ts missing/,
    ],
  ] as const)('%s', (_name, doc, problem) => {
    const problems = problemsOf(doc, dir);
    expect(
      problems.some((p) => problem.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });
});
