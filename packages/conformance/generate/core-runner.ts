/**
 * Writes `test-vectors/core/runner.json`: vectors that judge the conformance runner
 * itself. Each embeds a small envelope (JSON text) and describes the stub SDK it runs against
 * (what each identifier check answers); the runner must refuse a malformed envelope
 * (duplicate `tcId`, undefined flag, wrong `numberOfTests`, a requirement outside the SPEC,
 * another schema version) with `ERR_VECTORS_INVALID`, and must judge: a fixture whose SHA-256
 * differs is indeterminate, a vector the SDK answers wrongly (or with an uncoded exception)
 * is failed, a requirement with fewer than 3 passing vectors is not covered, a group without
 * a handler is indeterminate — never passed. Every expected report is written by hand.
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/core-runner.ts
 *
 * Deterministic: byte-identical on every run.
 */
import { createHash } from 'node:crypto';
import { writeEnvelope, type Case } from './write-envelope.js';

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'A well-formed envelope the stub SDK answers right: every requirement it names passes.' },
  MALFORMED: {
    bugType: 'MALFORMED_INPUT',
    description: 'An envelope the runner must refuse: duplicate tcId, undefined flag, wrong numberOfTests, unknown requirement, other schema.',
  },
  WRONG_ANSWER: { bugType: 'EDGE_CASE', description: 'The SDK accepts what it must refuse, refuses with another code, or throws uncoded: failed.' },
  UNJUDGEABLE: { bugType: 'DAMAGED', description: 'A fixture whose SHA-256 differs, a group no handler runs: indeterminate, never passed.' },
  THIN: { bugType: 'POLICY', description: 'Fewer than 3 passing vectors for a requirement: not covered.' },
} as const;
type Flag = keyof typeof NOTES;

interface MiniTest {
  tcId: number;
  requirements?: string[];
  flags?: string[];
  input: unknown;
  result: 'valid' | 'invalid' | 'acceptable';
  expected?: Record<string, unknown>;
  type?: string;
}

/** An embedded envelope: FINESS vectors (or another group `type`), with `numberOfTests` counted unless given. */
function mini(tests: MiniTest[], over: Record<string, unknown> = {}): string {
  const types = [...new Set(tests.map((t) => t.type ?? 'finess'))];
  const envelope = {
    schema: 's3404-test-vectors/2.0',
    area: 'form',
    title: 'embedded',
    generator: 'hand-written',
    notes: { OK: { bugType: 'BASIC', description: 'accepted' }, BAD: { bugType: 'MALFORMED_INPUT', description: 'refused' } },
    numberOfTests: tests.length,
    testGroups: types.map((type) => ({
      type,
      tests: tests
        .filter((t) => (t.type ?? 'finess') === type)
        .map(({ type: _t, requirements, flags, ...t }) => ({
          ...t,
          comment: '',
          requirements: requirements ?? [type === 'lot-verify' ? 'SCOR-2' : 'FORM-2'],
          flags: flags ?? [t.result === 'invalid' ? 'BAD' : 'OK'],
        })),
    })),
    ...over,
  };
  return JSON.stringify(envelope);
}

const ok = (tcId: number, finess: string): MiniTest => ({ tcId, input: { finess }, result: 'valid' });
const bad = (tcId: number, finess: string, code: string): MiniTest => ({ tcId, input: { finess }, result: 'invalid', expected: { code } });
const THREE = [ok(1, '750300360'), ok(2, '690008420'), bad(3, '750300361', 'ERR_FINESS_KEY')];
const RIGHT = { '750300360': 'ok', '690008420': 'ok', '750300361': 'ERR_FINESS_KEY' };

const R = ['X-3'];
function judged(comment: string, flags: Flag[], envelope: string, answers: Record<string, string>, report: string, fixtures?: Record<string, string>): Case {
  return {
    type: 'runner-judgement',
    comment,
    requirements: R,
    flags,
    input: { envelope, answers, ...(fixtures === undefined ? {} : { fixtures }) },
    result: report
      .split(' | ')[1]!
      .split(' ')
      .every((v) => v.endsWith(':passed'))
      ? 'valid'
      : 'invalid',
    expected: { report },
  };
}
function refused(comment: string, envelope: string): Case {
  return {
    type: 'runner-judgement',
    comment,
    requirements: R,
    flags: ['MALFORMED'],
    input: { envelope, answers: RIGHT },
    result: 'invalid',
    expected: { code: 'ERR_VECTORS_INVALID' },
  };
}

const PDF = '%PDF-1.7 (a container the stub accepts)\n';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const lot = (tcId: number, digest: string): MiniTest => ({
  tcId,
  type: 'lot-verify',
  input: { container: { file: 'fixtures/lot.bin', sha256: digest } },
  result: 'valid',
});

const cases: Case[] = [
  judged('Three FINESS vectors the stub answers right: FORM-2 passes.', ['BASIC'], mini(THREE), RIGHT, '1:passed 2:passed 3:passed | FORM-2:passed'),
  judged(
    'An acceptable vector passes whichever way the SDK answers.',
    ['BASIC'],
    mini([...THREE, { tcId: 4, input: { finess: '2A0000154' }, result: 'acceptable' }]),
    { ...RIGHT, '2A0000154': 'ERR_FINESS_KEY' },
    '1:passed 2:passed 3:passed 4:passed | FORM-2:passed',
  ),
  judged(
    'Three lot checks over a fixture whose SHA-256 is right: SCOR-2 passes.',
    ['BASIC'],
    mini([lot(1, sha(PDF)), lot(2, sha(PDF)), lot(3, sha(PDF))]),
    {},
    '1:passed 2:passed 3:passed | SCOR-2:passed',
    { 'fixtures/lot.bin': PDF },
  ),
  refused('The same tcId twice.', mini([ok(1, '750300360'), ok(2, '690008420'), bad(2, '750300361', 'ERR_FINESS_KEY')])),
  refused('A flag not defined in notes.', mini([ok(1, '750300360'), { ...ok(2, '690008420'), flags: ['REAL'] }, bad(3, '750300361', 'ERR_FINESS_KEY')])),
  refused('numberOfTests says 4, the file holds 3.', mini(THREE, { numberOfTests: 4 })),
  refused(
    'A requirement outside the SPEC’s list (FORM-8).',
    mini([ok(1, '750300360'), { ...ok(2, '690008420'), requirements: ['FORM-8'] }, bad(3, '750300361', 'ERR_FINESS_KEY')]),
  ),
  refused('Another schema version.', mini(THREE, { schema: 's3404-test-vectors/1.0' })),
  refused('A vector without requirements.', mini([ok(1, '750300360'), { ...ok(2, '690008420'), requirements: [] }, bad(3, '750300361', 'ERR_FINESS_KEY')])),
  judged(
    'The SDK accepts a FINESS it must refuse: that vector fails, and FORM-2.',
    ['WRONG_ANSWER'],
    mini(THREE),
    { ...RIGHT, '750300361': 'ok' },
    '1:passed 2:passed 3:failed | FORM-2:failed',
  ),
  judged(
    'The SDK refuses with another code than the vector’s: failed.',
    ['WRONG_ANSWER'],
    mini(THREE),
    { ...RIGHT, '750300361': 'ERR_FINESS_FORMAT' },
    '1:passed 2:passed 3:failed | FORM-2:failed',
  ),
  judged(
    'The SDK refuses a valid FINESS: failed.',
    ['WRONG_ANSWER'],
    mini(THREE),
    { ...RIGHT, '690008420': 'ERR_FINESS_KEY' },
    '1:passed 2:failed 3:passed | FORM-2:failed',
  ),
  judged(
    'The SDK throws an uncoded exception: failed, not indeterminate.',
    ['WRONG_ANSWER'],
    mini(THREE),
    { ...RIGHT, '690008420': 'throw' },
    '1:passed 2:failed 3:passed | FORM-2:failed',
  ),
  judged(
    'A fixture whose SHA-256 differs from the vector’s: indeterminate, and SCOR-2.',
    ['UNJUDGEABLE'],
    mini([lot(1, sha(PDF)), lot(2, sha(PDF)), lot(3, sha(`${PDF} `))]),
    {},
    '1:passed 2:passed 3:indeterminate | SCOR-2:indeterminate',
    { 'fixtures/lot.bin': PDF },
  ),
  judged(
    'A fixture that is missing: indeterminate.',
    ['UNJUDGEABLE'],
    mini([lot(1, sha(PDF)), lot(2, sha(PDF)), lot(3, sha(PDF))]),
    {},
    '1:indeterminate 2:indeterminate 3:indeterminate | SCOR-2:indeterminate',
  ),
  judged(
    'A group type no handler runs: indeterminate, never passed.',
    ['UNJUDGEABLE'],
    mini([...THREE, { tcId: 4, type: 'finess-v9', input: { finess: '750300360' }, result: 'valid' }]),
    RIGHT,
    '1:passed 2:passed 3:passed 4:indeterminate | FORM-2:indeterminate',
  ),
  judged('Two passing vectors only: FORM-2 not covered.', ['THIN'], mini(THREE.slice(0, 2)), RIGHT, '1:passed 2:passed | FORM-2:not-covered'),
  judged(
    'Three vectors, one naming FORM-3 too: FORM-3 with one passing vector is not covered.',
    ['THIN'],
    mini([ok(1, '750300360'), { ...ok(2, '690008420'), requirements: ['FORM-2', 'FORM-3'] }, bad(3, '750300361', 'ERR_FINESS_KEY')]),
    RIGHT,
    '1:passed 2:passed 3:passed | FORM-2:passed FORM-3:not-covered',
  ),
];

writeEnvelope({
  path: 'core/runner.json',
  area: 'core',
  title: 'The conformance runner judged: envelope checks and verdicts (X-3)',
  generator: 'packages/conformance/generate/core-runner.ts',
  notes: NOTES,
  groups: [
    {
      type: 'runner-judgement',
      comment:
        'The runner runs the embedded envelope `input.envelope` (JSON text, at `mini/vectors.json`) against a stub SDK whose identifier checks answer `input.answers` (`ok`, a code, or `throw`) and whose SCOR lot functions accept everything, with fixtures `input.fixtures` (UTF-8 text under `mini/`). `expected.report`: `tcId:outcome …` then `requirement:verdict …` of the requirements the envelope names; `expected.code`: the run refused. Valid when every requirement named passes.',
    },
  ],
  cases,
});
