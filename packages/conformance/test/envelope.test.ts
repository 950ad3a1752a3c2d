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
/** A fixture's name: `<area>-<requirement>-t<NN>-<pass|fail>-<variant>.<ext>` (test-vectors/README.md). */
const fixtureName = (area: string): RegExp =>
  new RegExp(`^${area}-(?:FORM-[1-7]|SIG-(?:10|[1-9])|AUD-[1-4]|SCOR-[1-3]|X-[1-4])-t\\d{2,3}-(?:pass|fail)-[a-z0-9]+(?:-[a-z0-9]+)*\\.[a-z0-9]+$`);

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

/**
 * Every problem of the fixture folder `dir` of `area` against its `manifest.json`: each file listed
 * once with `{ file, sha256, reason }` and its true SHA-256, each listed file present and each
 * present file listed, every name following the pattern; `[]` when it is sound.
 */
function manifestProblems(dir: string, area: string): string[] {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return ['manifest.json missing'];
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return ['manifest.json is not JSON'];
  }
  if (!Array.isArray(manifest)) return ['manifest.json is not a list'];
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const [i, entry] of manifest.entries()) {
    const e = entry as Record<string, unknown>;
    const keys = typeof entry === 'object' && entry !== null ? Object.keys(e).sort().join() : '';
    if (keys !== 'file,reason,sha256' || typeof e.file !== 'string' || typeof e.sha256 !== 'string' || typeof e.reason !== 'string' || e.reason === '') {
      problems.push(`entry ${i}: { file, sha256, reason } expected`);
      continue;
    }
    if (listed.has(e.file)) problems.push(`${e.file}: listed twice`);
    listed.add(e.file);
    if (!fixtureName(area).test(e.file)) problems.push(`${e.file}: name does not follow ${area}-<requirement>-t<NN>-<pass|fail>-<variant>.<ext>`);
    const file = join(dir, e.file);
    if (e.file.includes('/') || !existsSync(file)) problems.push(`${e.file}: listed but missing`);
    else if (createHash('sha256').update(readFileSync(file)).digest('hex') !== e.sha256) problems.push(`${e.file}: SHA-256 differs from the manifest`);
  }
  for (const name of readdirSync(dir)) if (name !== 'manifest.json' && !listed.has(name)) problems.push(`${name}: present but not in the manifest`);
  return problems;
}

/** The areas with a `fixtures/` folder. */
const fixtureAreas = readdirSync(VECTORS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(VECTORS, e.name, 'fixtures')))
  .map((e) => e.name)
  .sort();

const files = vectorFiles().sort();
const docs = new Map(files.map((f) => [f, JSON.parse(readFileSync(join(VECTORS, f), 'utf8')) as VectorFile]));
const v2Files = files.filter((f) => docs.get(f)?.schema === V2);

describe('X-3 vector envelope 2.0 (test-vectors/schema/test-vectors-2.0.schema.json)', () => {
  it('finds the vector files, every one in envelope 2.0', () => {
    expect(v2Files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !v2Files.includes(f))).toEqual([]);
  });

  it('finds the fixture folders of every area that has binary fixtures', () => {
    expect(fixtureAreas).toEqual(expect.arrayContaining(['audit', 'consume', 'form', 'pdf', 'scor', 'seal']));
  });

  it.each(fixtureAreas)(
    '%s/fixtures: manifest.json lists exactly the files of the folder, each with its SHA-256 and reason, each named by the pattern',
    (area) => {
      expect(manifestProblems(join(VECTORS, area, 'fixtures'), area)).toEqual([]);
    },
  );

  it.each(fixtureAreas)('%s/fixtures: every fixture is used by a vector of the area, and every fixture a vector uses is in the folder', (area) => {
    const used = new Set(
      files
        .filter((f) => f.startsWith(`${area}/`))
        .flatMap((f) => docs.get(f)!.testGroups.flatMap((g) => g.tests.flatMap((t) => fixturesOf(t.input))))
        .map((r) => r.file),
    );
    const present = readdirSync(join(VECTORS, area, 'fixtures'))
      .filter((n) => n !== 'manifest.json')
      .map((n) => `fixtures/${n}`);
    expect(present.filter((f) => !used.has(f))).toEqual([]);
    expect([...used].filter((f) => !f.startsWith('fixtures/'))).toEqual([]);
  });

  it.each(v2Files)('%s follows the schema, with unique tcIds, a true count, defined flags and sound fixtures', (file) => {
    expect(problemsOf(docs.get(file), dirname(join(VECTORS, file)))).toEqual([]);
  });

  it.each(v2Files)('%s: every test names at least one requirement', (file) => {
    for (const t of docs.get(file)!.testGroups.flatMap((g) => g.tests)) expect(t.requirements?.length, `tcId ${t.tcId}`).toBeGreaterThan(0);
  });
});

describe('X-3 fixture manifests: a broken folder is caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3404-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const name = 'scor-SCOR-1-t01-pass-sample.pdf';
  const bytes = Uint8Array.of(0x25, 0x50, 0x44, 0x46);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const folder = (files: Record<string, Uint8Array>, manifest: unknown): string => {
    const d = mkdtempSync(join(dir, 'f-'));
    for (const [n, b] of Object.entries(files)) writeFileSync(join(d, n), b);
    if (manifest !== undefined) writeFileSync(join(d, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    return d;
  };
  const entry = { file: name, sha256, reason: 'a sample' };

  it('accepts a sound folder (the control)', () => {
    expect(manifestProblems(folder({ [name]: bytes }, [entry]), 'scor')).toEqual([]);
  });

  it.each([
    ['no manifest', folder({ [name]: bytes }, undefined), /manifest\.json missing/],
    ['not JSON', folder({ [name]: bytes }, '{'), /not JSON/],
    ['a file not listed', folder({ [name]: bytes, 'scor-SCOR-1-t02-fail-other.pdf': bytes }, [entry]), /t02-fail-other\.pdf: present but not in the manifest/],
    ['a listed file missing', folder({}, [entry]), /sample\.pdf: listed but missing/],
    ['a wrong SHA-256', folder({ [name]: bytes }, [{ ...entry, sha256: '0'.repeat(64) }]), /SHA-256 differs/],
    ['no reason', folder({ [name]: bytes }, [{ file: name, sha256 }]), /entry 0: \{ file, sha256, reason \} expected/],
    ['listed twice', folder({ [name]: bytes }, [entry, entry]), /listed twice/],
    ['a name off the pattern', folder({ '07-a6.pdf': bytes }, [{ ...entry, file: '07-a6.pdf' }]), /07-a6\.pdf: name does not follow/],
    ['another area in the name', folder({ 'pdf-SIG-3-t01-pass-x.pdf': bytes }, [{ ...entry, file: 'pdf-SIG-3-t01-pass-x.pdf' }]), /name does not follow/],
    ['a path outside the folder', folder({}, [{ ...entry, file: '../scor-SCOR-1-t01-pass-sample.pdf' }]), /name does not follow|listed but missing/],
  ] as const)('%s', (_name, d, problem) => {
    const problems = manifestProblems(d, 'scor');
    expect(
      problems.some((p) => problem.test(p)),
      problems.join('\n'),
    ).toBe(true);
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
