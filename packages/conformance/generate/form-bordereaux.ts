/**
 * Writes `test-vectors/form/bordereaux.json` (FORM-1, FORM-2, FORM-3, X-3):
 * every example bordereau of `examples/data/` as valid, then targeted
 * mutations of them, each with the code the SPEC and docs/form.md ask for.
 * The expected codes are written here by hand, never computed by the SDK.
 * Deterministic: no clock, no randomness; run with
 * `cd packages/conformance && npx tsx --conditions=@s3404/source generate/form-bordereaux.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, writeVectorFile } from './vectors-output.js';

type Json = Record<string, unknown>;
type Req = 'FORM-1' | 'FORM-2' | 'FORM-3';

const examplesDir = join(REPO_ROOT, 'examples/data');

const names = readdirSync(examplesDir)
  .filter((n) => n.endsWith('.json'))
  .sort();
const examples = new Map<string, Json>(names.map((n) => [n.replace(/\.json$/, ''), JSON.parse(readFileSync(join(examplesDir, n), 'utf8')) as Json]));
const example = (name: string): Json => {
  const b = examples.get(name);
  if (b === undefined) throw new Error(`examples/data/${name}.json missing`);
  const copy = structuredClone(b);
  delete copy['$schema'];
  return copy;
};

/** The object at `path` in `b` (created on the way when missing never: a wrong path is a generator bug). */
function at(b: Json, path: readonly (string | number)[]): Json {
  let o: unknown = b;
  for (const p of path) {
    o = (o as Record<string | number, unknown>)[p];
    if (typeof o !== 'object' || o === null) throw new Error(`no object at ${path.join('.')}`);
  }
  return o as Json;
}
const set = (b: Json, path: readonly (string | number)[], value: unknown): Json => {
  at(b, path.slice(0, -1))[path[path.length - 1] as string] = value;
  return b;
};
const del = (b: Json, path: readonly (string | number)[]): Json => {
  delete at(b, path.slice(0, -1))[path[path.length - 1] as string];
  return b;
};
const get = (b: Json, path: readonly (string | number)[]): unknown => at(b, path.slice(0, -1))[path[path.length - 1] as string];
const add = (b: Json, path: readonly (string | number)[], delta: number): Json => set(b, path, (get(b, path) as number) + delta);

interface Case {
  readonly comment: string;
  readonly requirements: readonly Req[];
  readonly flags: readonly string[];
  readonly bordereau: unknown;
  readonly result: 'valid' | 'invalid';
  readonly expected?: { code: string } | { codes: string[] };
}
const cases: Case[] = [];
const valid = (comment: string, bordereau: unknown, flags: string[] = ['EXAMPLE']): void => {
  cases.push({ comment, requirements: ['FORM-1', 'FORM-2', 'FORM-3'], flags, bordereau, result: 'valid' });
};
const invalid = (comment: string, requirements: Req[], flags: string[], bordereau: unknown, expected: string | string[]): void => {
  cases.push({
    comment,
    requirements,
    flags,
    bordereau,
    result: 'invalid',
    expected: typeof expected === 'string' ? { code: expected } : { codes: [...expected].sort() },
  });
};

// ---- every example, valid ---------------------------------------------------
for (const name of examples.keys()) valid(`examples/data/${name}.json as published`, example(name));

const A = 'ambulatoire-cataracte';
const a = (): Json => example(A);

// ---- edge cases that must stay valid ------------------------------------------
valid('raison sociale of exactly 120 characters (the limit)', set(a(), ['establishment', 'name'], `Clinique ${'x'.repeat(111)}`), ['LIMIT']);
valid("insured's last name of exactly 80 characters (the limit)", set(a(), ['insured', 'lastName'], 'G'.repeat(80)), ['LIMIT']);
valid('exit on the day of entry, one minute later', set(a(), ['stay', 'exit', 'time'], '07:31'), ['DATES']);

// ---- FORM-1 structure ----------------------------------------------------------
invalid('stay block missing', ['FORM-1'], ['STRUCTURE'], del(a(), ['stay']), 'ERR_REQUIRED');
invalid('totals block missing', ['FORM-1'], ['STRUCTURE'], del(a(), ['totals']), 'ERR_REQUIRED');
invalid('establishment without its FINESS', ['FORM-1', 'FORM-2'], ['STRUCTURE'], del(a(), ['establishment', 'finess']), 'ERR_REQUIRED');
invalid('insured without the NIR key', ['FORM-1', 'FORM-2'], ['STRUCTURE'], del(a(), ['insured', 'nirKey']), 'ERR_REQUIRED');
invalid('unknown top-level field "remarks"', ['FORM-1'], ['STRUCTURE'], set(a(), ['remarks'], 'urgent'), 'ERR_UNKNOWN_KEY');
invalid('misspelt field "nirkey" in insured (a typo)', ['FORM-1'], ['STRUCTURE'], set(a(), ['insured', 'nirkey'], '75'), 'ERR_UNKNOWN_KEY');
invalid('unknown field in a fee line', ['FORM-1'], ['STRUCTURE'], set(a(), ['fees', 1, 'discount'], 0), 'ERR_UNKNOWN_KEY');
invalid('the bordereau is null', ['FORM-1'], ['TYPES'], null, 'ERR_TYPE');
invalid('the bordereau is an array', ['FORM-1'], ['TYPES'], [a()], 'ERR_TYPE');
invalid('services is an object, not an array', ['FORM-1'], ['TYPES'], set(a(), ['services'], {}), 'ERR_TYPE');
invalid('entry date given as the number 20260408', ['FORM-1', 'FORM-2'], ['TYPES'], set(a(), ['stay', 'entry', 'date'], 20260408), 'ERR_TYPE');
invalid('fee quantity given as the string "1"', ['FORM-1'], ['TYPES'], set(a(), ['fees', 1, 'quantity'], '1'), 'ERR_TYPE');
invalid('insured first name given as a number', ['FORM-1'], ['TYPES'], set(a(), ['insured', 'firstName'], 42), 'ERR_TYPE');
invalid('unknown insurance nature "99"', ['FORM-1'], ['STRUCTURE'], set(a(), ['coverage', 'insuranceNature'], '99'), 'ERR_VALUE_NOT_ALLOWED');

// ---- FORM-1 text -----------------------------------------------------------------
invalid(
  "insured's last name with a right-to-left override U+202E (reads reversed, prints wrong)",
  ['FORM-1'],
  ['BIDI'],
  set(a(), ['insured', 'lastName'], 'Gu\u202enireé'),
  'ERR_TEXT_UNSUPPORTED_CHAR',
);
invalid(
  'raison sociale with a left-to-right embedding U+202A',
  ['FORM-1'],
  ['BIDI'],
  set(a(), ['establishment', 'name'], '\u202aClinique du Parc'),
  'ERR_TEXT_UNSUPPORTED_CHAR',
);
invalid('practitioner name with a tab', ['FORM-1'], ['TEXT'], set(a(), ['fees', 1, 'practitioner', 'name'], 'Dr Hélène\tMorvan'), 'ERR_TEXT_CONTROL_CHAR');
invalid(
  'city with a U+FFFD replacement character (bad decoding)',
  ['FORM-1'],
  ['TEXT'],
  set(a(), ['insured', 'address', 'city'], 'Nantes \ufffd'),
  'ERR_TEXT_REPLACEMENT_CHAR',
);
invalid('first name of white space only', ['FORM-1'], ['TEXT'], set(a(), ['insured', 'firstName'], '   '), 'ERR_TEXT_EMPTY');
invalid("insured's last name of 81 characters", ['FORM-1'], ['LIMIT'], set(a(), ['insured', 'lastName'], 'G'.repeat(81)), 'ERR_TEXT_TOO_LONG');
invalid('raison sociale of 121 characters', ['FORM-1'], ['LIMIT'], set(a(), ['establishment', 'name'], `Clinique ${'x'.repeat(112)}`), 'ERR_TEXT_TOO_LONG');
invalid('service label of 1 000 characters', ['FORM-1'], ['LIMIT'], set(a(), ['services', 0, 'label'], 'G'.repeat(1000)), 'ERR_TEXT_TOO_LONG');

// ---- FORM-2 identifiers inside the model ------------------------------------------
invalid('insured NIR key 76 instead of 75', ['FORM-2'], ['KEY'], set(a(), ['insured', 'nirKey'], '76'), 'ERR_NIR_KEY');
invalid('insured NIR with a letter O for a zero', ['FORM-2'], ['KEY'], set(a(), ['insured', 'nir'], '2531144109O27'), 'ERR_NIR_FORMAT');
invalid('establishment FINESS with a wrong key digit', ['FORM-2'], ['KEY'], set(a(), ['establishment', 'finess'], '440005123'), 'ERR_FINESS_KEY');
invalid('establishment FINESS of 8 characters', ['FORM-2'], ['KEY'], set(a(), ['establishment', 'finess'], '44000512'), 'ERR_FINESS_FORMAT');
invalid('practitioner RPPS with a wrong Luhn key', ['FORM-2'], ['KEY'], set(a(), ['fees', 1, 'practitioner', 'rpps'], '10007654320'), 'ERR_RPPS_KEY');
invalid('practitioner RPPS of 10 digits', ['FORM-2'], ['KEY'], set(a(), ['fees', 1, 'practitioner', 'rpps'], '1000765432'), 'ERR_RPPS_FORMAT');
invalid('CCAM code of 3 letters', ['FORM-2'], ['KEY'], set(a(), ['fees', 1, 'act', 'code'], 'BFG004'), 'ERR_CCAM_FORMAT');

// ---- FORM-2 dates ---------------------------------------------------------------------
invalid('exit the day before entry', ['FORM-2'], ['DATES'], set(a(), ['stay', 'exit', 'date'], '2026-04-07'), 'ERR_DATE_ORDER');
invalid('exit on the day of entry but at 07:00, before the 07:30 entry', ['FORM-2'], ['DATES'], set(a(), ['stay', 'exit', 'time'], '07:00'), 'ERR_DATE_ORDER');
invalid('bordereau issued before the entry', ['FORM-2'], ['DATES'], set(a(), ['issuedOn'], '2026-04-07'), 'ERR_DATE_ORDER');
invalid('a CCAM act two days after the exit', ['FORM-2'], ['DATES'], set(a(), ['fees', 1, 'date'], '2026-04-10'), 'ERR_DATE_OUTSIDE_STAY');
invalid(
  'a pre-admission consultation before the entry without its outsideStay flag',
  ['FORM-2'],
  ['DATES'],
  del(a(), ['fees', 0, 'outsideStay']),
  'ERR_DATE_OUTSIDE_STAY',
);
invalid(
  'the pre-admission consultation (outsideStay: pre-admission) dated the day after the exit',
  ['FORM-2'],
  ['DATES'],
  set(a(), ['fees', 0, 'date'], '2026-04-09'),
  'ERR_DATE_OUTSIDE_STAY',
);
invalid('issue date 2026-02-30, which does not exist', ['FORM-2'], ['DATES'], set(a(), ['issuedOn'], '2026-02-30'), 'ERR_DATE_INVALID');
invalid('exit time 24:00', ['FORM-2'], ['DATES'], set(a(), ['stay', 'exit', 'time'], '24:00'), 'ERR_TIME_INVALID');

// ---- FORM-2 amounts -------------------------------------------------------------------
invalid('fee amount 421.56 in euros, not integer cents', ['FORM-2'], ['AMOUNTS'], set(a(), ['fees', 1, 'amount'], 421.56), 'ERR_AMOUNT_NOT_CENTS');
invalid('grand total 1502.39 in euros, not integer cents', ['FORM-2'], ['AMOUNTS'], set(a(), ['totals', 'total'], 1502.39), 'ERR_AMOUNT_NOT_CENTS');
invalid('service unit price given as the string "954.30"', ['FORM-2'], ['AMOUNTS'], set(a(), ['services', 0, 'unitPrice'], '954.30'), 'ERR_AMOUNT_NOT_CENTS');
invalid('negative overrun on a fee', ['FORM-2'], ['AMOUNTS'], set(a(), ['fees', 2, 'overrun'], -100), 'ERR_NUMBER_RANGE');
invalid('negative quantity on a fee', ['FORM-2'], ['AMOUNTS'], set(a(), ['fees', 1, 'quantity'], -1), 'ERR_NUMBER_RANGE');
invalid('zero quantity on a service', ['FORM-2'], ['AMOUNTS'], set(a(), ['services', 0, 'quantity'], 0), 'ERR_NUMBER_RANGE');
invalid('reimbursement rate 101 %', ['FORM-2'], ['AMOUNTS'], set(a(), ['fees', 1, 'rate'], 101), 'ERR_NUMBER_RANGE');
invalid('a fee line 1 € higher than counted in totals.fees', ['FORM-2'], ['TOTALS'], add(a(), ['fees', 1, 'amount'], 100), 'ERR_TOTAL_MISMATCH');
invalid('totals.fees one cent off (and so the grand total too)', ['FORM-2'], ['TOTALS'], add(a(), ['totals', 'fees'], 1), 'ERR_TOTAL_MISMATCH');
{
  const b = add(add(a(), ['totals', 'total'], 100), ['totals', 'amo'], 100);
  invalid('grand total 1 € above the sum of the tables, parts adjusted to it', ['FORM-2'], ['TOTALS'], b, 'ERR_TOTAL_MISMATCH');
}
{
  const b = add(add(add(add(a(), ['services', 0, 'amount'], 1), ['totals', 'services'], 1), ['totals', 'total'], 1), ['totals', 'amo'], 1);
  invalid('service amount one cent above unitPrice × quantity × coefficient, totals carried', ['FORM-2'], ['TOTALS'], b, 'ERR_LINE_AMOUNT');
}
invalid(
  'service amount one cent above unitPrice × quantity × coefficient, totals not carried: both issues',
  ['FORM-2'],
  ['TOTALS', 'MULTI'],
  add(a(), ['services', 0, 'amount'], 1),
  ['ERR_LINE_AMOUNT', 'ERR_TOTAL_MISMATCH'],
);
invalid('part AMO one cent short', ['FORM-2'], ['PARTS'], add(a(), ['totals', 'amo'], -1), 'ERR_PARTS_MISMATCH');
invalid('part assuré one cent over', ['FORM-2'], ['PARTS'], add(a(), ['totals', 'patient'], 1), 'ERR_PARTS_MISMATCH');
{
  const b = set(set(a(), ['totals', 'amc'], 0), ['totals', 'patient'], 2400);
  invalid('part AMC dropped without moving it elsewhere', ['FORM-2'], ['PARTS'], b, 'ERR_PARTS_MISMATCH');
}
invalid('a part AMC without a complementary insurer', ['FORM-2'], ['PARTS'], del(a(), ['coverage', 'complementary']), 'ERR_AMC_WITHOUT_COMPLEMENTARY');

// ---- FORM-3 the identifier -------------------------------------------------------------
invalid('bordereau identifier missing', ['FORM-1', 'FORM-3'], ['ID'], del(a(), ['id']), 'ERR_REQUIRED');
invalid('bordereau identifier with a wrong check character', ['FORM-3'], ['ID'], set(a(), ['id'], 'XYG57-8ACR1-FJYGB-VFZ6A-7ZVSR-H'), 'ERR_BORDEREAU_ID_CHECK');
invalid('bordereau identifier in lower case', ['FORM-3'], ['ID'], set(a(), ['id'], 'xyg57-8acr1-fjygb-vfz6a-7zvsr-g'), 'ERR_BORDEREAU_ID_FORMAT');
invalid(
  'bordereau identifier with a letter I (not in the alphabet)',
  ['FORM-3'],
  ['ID'],
  set(a(), ['id'], 'XYG57-8ACR1-FJYGB-VFZ6A-7ZVSI-G'),
  'ERR_BORDEREAU_ID_FORMAT',
);
invalid('bordereau identifier given as a number', ['FORM-1', 'FORM-3'], ['ID', 'TYPES'], set(a(), ['id'], 260008841), 'ERR_TYPE');

// ---- several issues: every one must be reported ------------------------------------------
{
  const b = set(set(a(), ['insured', 'nirKey'], '76'), ['fees', 1, 'practitioner', 'rpps'], '10007654320');
  invalid('a wrong NIR key and a wrong RPPS key in two blocks: both reported', ['FORM-2'], ['KEY', 'MULTI'], b, ['ERR_NIR_KEY', 'ERR_RPPS_KEY']);
}
{
  const b = add(set(a(), ['fees', 1, 'date'], '2026-04-10'), ['totals', 'patient'], 1);
  invalid('an act after the exit and parts not adding up: both reported', ['FORM-2'], ['DATES', 'PARTS', 'MULTI'], b, [
    'ERR_DATE_OUTSIDE_STAY',
    'ERR_PARTS_MISMATCH',
  ]);
}

// ---- the other examples, mutated ------------------------------------------------------------
for (const name of [...examples.keys()].filter((n) => n !== A)) {
  const b = example(name);
  const totals = at(b, ['totals']);
  totals['total'] = (totals['total'] as number) + 1;
  totals['patient'] = (totals['patient'] as number) + 1;
  invalid(`${name}: grand total one cent above the sum of the tables`, ['FORM-2'], ['TOTALS'], b, 'ERR_TOTAL_MISMATCH');
  const e = example(name);
  const stay = at(e, ['stay']);
  const entry = stay['entry'] as Json;
  if (stay['exit'] !== undefined) {
    set(e, ['stay', 'exit'], { date: entry['date'], time: '00:00' });
    if (entry['time'] !== '00:00') invalid(`${name}: exit at 00:00 on the day of entry, before the entry time`, ['FORM-2'], ['DATES'], e, 'ERR_DATE_ORDER');
  }
}

// ---- more hostile text and flags (appended: tcIds above stay as they are) ---------------------
invalid('first name with a zero-width space U+200B', ['FORM-1'], ['BIDI'], set(a(), ['insured', 'firstName'], 'Ma\u200bëlle'), 'ERR_TEXT_UNSUPPORTED_CHAR');
invalid(
  'city with a right-to-left isolate U+2067',
  ['FORM-1'],
  ['BIDI'],
  set(a(), ['insured', 'address', 'city'], '\u2067Nantes'),
  'ERR_TEXT_UNSUPPORTED_CHAR',
);
invalid(
  'a consultation before the entry flagged post-discharge (the wrong side of the stay)',
  ['FORM-2'],
  ['DATES'],
  set(a(), ['fees', 0, 'outsideStay'], 'post-discharge'),
  'ERR_DATE_OUTSIDE_STAY',
);

// ---- the file --------------------------------------------------------------------------------
const flagNotes: Record<string, { bugType: string; description: string }> = {
  EXAMPLE: { bugType: 'BASIC', description: 'A published example bordereau of examples/data, coherent and complete.' },
  LIMIT: { bugType: 'EDGE_CASE', description: 'A text at, or one past, its documented length limit.' },
  STRUCTURE: { bugType: 'MALFORMED_INPUT', description: 'A required block or field missing, an unknown field (a typo), a value outside its list.' },
  TYPES: { bugType: 'MALFORMED_INPUT', description: 'A value of the wrong JSON type.' },
  TEXT: { bugType: 'MALFORMED_INPUT', description: 'A text with a control character, a replacement character or nothing but white space.' },
  BIDI: { bugType: 'HOSTILE', description: 'A text with an invisible bidirectional control that makes it read otherwise than it is stored.' },
  KEY: { bugType: 'MALFORMED_INPUT', description: 'An identifier of the model (NIR, FINESS, RPPS, CCAM) malformed or with a wrong key.' },
  DATES: { bugType: 'MALFORMED_INPUT', description: 'Incoherent dates: exit before entry, a line outside the stay, an impossible date or time.' },
  AMOUNTS: { bugType: 'MALFORMED_INPUT', description: 'An amount not in integer cents, a negative amount or quantity, a rate out of range.' },
  TOTALS: { bugType: 'MALFORMED_INPUT', description: 'A line amount or total that is not the sum or product it must be.' },
  PARTS: {
    bugType: 'MALFORMED_INPUT',
    description: 'The parts AMO + AMC + assuré not adding up to the total, or an AMC part without a complementary insurer.',
  },
  ID: { bugType: 'MALFORMED_INPUT', description: 'The unique bordereau identifier missing, malformed or with a wrong check character.' },
  MULTI: { bugType: 'EDGE_CASE', description: 'Several independent defects: every one must be reported (expected.codes, compared as a set).' },
};
const used = new Set(cases.flatMap((c) => c.flags));
const notes = Object.fromEntries(Object.entries(flagNotes).filter(([k]) => used.has(k)));

const file = {
  schema: 's3404-test-vectors/2.0',
  area: 'form',
  title: 'Bordereau model and coherence: validateBordereau on whole bordereaux (FORM-1, FORM-2, FORM-3)',
  generator: 'packages/conformance/generate/form-bordereaux.ts',
  notes,
  numberOfTests: cases.length,
  testGroups: [
    {
      type: 'bordereau-validate',
      comment:
        'input.bordereau is validated whole; a valid case must be accepted; an invalid one refused with expected.code as the first issue, or with exactly the set of distinct codes expected.codes.',
      tests: cases.map((c, i) => ({
        tcId: i + 1,
        comment: c.comment,
        requirements: c.requirements,
        flags: c.flags,
        input: { bordereau: c.bordereau },
        result: c.result,
        ...(c.expected === undefined ? {} : { expected: c.expected }),
      })),
    },
  ],
};
writeVectorFile('form', 'bordereaux.json', file);
const negatives = cases.filter((c) => c.result === 'invalid').length;
console.log(`form/bordereaux.json: ${cases.length} tests, ${negatives} negative`);
