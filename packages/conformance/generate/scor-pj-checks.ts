/**
 * Writes `test-vectors/scor/pj-checks.json` and its PDFs `scor/fixtures/scor-SCOR-1-*.pdf` with
 * their manifest entries (SCOR-1, X-3): the PJ checks of `checkPj` — page sizes around A5,
 * resolutions around 200 and 150 dpi (direct, form XObject, inline, scaled, stamps), colour
 * policies, bilevel, encryption, JavaScript and every other kind of active content, embedded
 * files, page and byte limits, damaged files.
 *
 * The cases (PDF builder, policy, verdict and codes written by hand, never computed by the
 * checker; the page sizes and resolutions poppler confirms) are the table of
 * `packages/tooling/pj-vector-table.ts` (`@s3404/tooling/pj-vector-table`), which scor's own tests cross-check with qpdf and
 * poppler. A PDF several cases share is one fixture, named after the first case using it.
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/scor-pj-checks.ts
 *
 * Deterministic (no clock, no randomness): byte for byte on every run.
 */
import { PJ_SOURCES, PJ_VECTOR_GROUPS, type PjVectorCase } from '@s3404/tooling/pj-vector-table';
import { writeOwnFixtures, writeVectorFile, type FixtureOut } from './vectors-output.js';

const NOTES = {
  RULE: { bugType: 'BASIC', description: 'The verdict follows from a published rule (A5 pages, 200 dpi, the SPEC).' },
  SDK: { bugType: 'EDGE_CASE', description: "The verdict follows from one of the SDK's documented tolerances or defaults (docs/scor.md)." },
  POLICY: { bugType: 'POLICY', description: 'The case sets a non-default policy (minDpi, colour, allowBilevel, maxPages, maxBytes, strict).' },
  HOSTILE: {
    bugType: 'HOSTILE',
    description: 'Active or hidden content a PJ must not carry (encryption, JavaScript, launch, embedded files, remote actions, multimedia, XFA).',
  },
  DAMAGED: { bugType: 'DAMAGED', description: 'A damaged or malformed file: empty, not a PDF, truncated, a wrong startxref, a page-tree loop.' },
  PAINTING: { bugType: 'EDGE_CASE', description: 'The resolution depends on how the image is painted (form XObject, inline image, scaling).' },
} as const;

const GROUP_COMMENTS: Record<string, string> = {
  'page-size': 'page sizes around A5, portrait and landscape, on every page',
  resolution: 'effective resolution of the scans as painted, around 200 dpi and the 150 dpi a clinic may set',
  colour: 'colour policies: colour, grey levels only, bilevel',
  hostile: 'encryption, JavaScript, launch actions, embedded files',
  'active-content': 'every other kind of active content (docs/scor.md, "Active content")',
  limits: 'page and byte limits, empty and non-PDF files',
  structure: 'damaged structures: the reader repairs and warns, or refuses',
};

const pad = (n: number): string => String(n).padStart(2, '0');
const fixtures: FixtureOut[] = [];
/** The fixture of each PDF, by the table's stem, named after the first case using it. */
const fixtureOf = new Map<string, { name: string; bytes: Uint8Array }>();
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function fixtureFor(c: PjVectorCase): string {
  const bytes = c.pdf();
  const known = fixtureOf.get(c.name);
  if (known !== undefined) {
    if (!sameBytes(known.bytes, bytes)) throw new Error(`two cases name ${c.name} with different bytes`);
    return known.name;
  }
  const variant = c.name.replace(/^\d+-/, '');
  const name = `scor-SCOR-1-t${pad(c.tcId)}-${c.result === 'valid' ? 'pass' : 'fail'}-${variant}.pdf`;
  fixtureOf.set(c.name, { name, bytes });
  fixtures.push({ name, bytes, reason: `${c.comment}; first used by tcId ${c.tcId}` });
  return name;
}

const names = PJ_VECTOR_GROUPS.map((g) => g.cases.map(fixtureFor));
const refs = writeOwnFixtures('scor', 'pj-checks.json', fixtures);

const testOf = (c: PjVectorCase, fixture: string): object => ({
  tcId: c.tcId,
  comment: `${c.comment} (source : ${c.source})`,
  requirements: ['SCOR-1'],
  flags: c.flags,
  input: { pdf: refs.get(fixture), ...(c.policy === undefined ? {} : { policy: c.policy }) },
  result: c.result,
  expected: {
    errors: [...c.expectedErrors].sort(),
    warnings: [...(c.expectedWarnings ?? [])].sort(),
    ...(c.facts === undefined ? {} : { pages: c.facts }),
  },
});

const tests = PJ_VECTOR_GROUPS.flatMap((g) => g.cases);
writeVectorFile('scor', 'pj-checks.json', {
  schema: 's3404-test-vectors/2.0',
  area: 'scor',
  title: 'PJ checks: page size, scan resolution, colour policy, hostile and active content, limits and damaged files (SCOR-1)',
  generator: 'packages/conformance/generate/scor-pj-checks.ts',
  notes: NOTES,
  sources: PJ_SOURCES,
  numberOfTests: tests.length,
  testGroups: PJ_VECTOR_GROUPS.map((g, i) => ({
    type: 'pj-check',
    comment: `${g.kind}: ${GROUP_COMMENTS[g.kind] ?? g.kind}. checkPj(input.pdf, input.policy, absent: the defaults); expected.errors and expected.warnings are the sets of codes reported; expected.pages, when given, the page sizes (mm, ±1) and the resolution of each image (dpi, rounded) as pdfinfo and pdfimages -list read them.`,
    tests: g.cases.map((c, j) => testOf(c, names[i]![j]!)),
  })),
});
const negatives = tests.filter((c) => c.result === 'invalid').length;
process.stdout.write(`scor/pj-checks.json: ${tests.length} vectors, ${negatives} negative, ${fixtures.length} PDFs\n`);
