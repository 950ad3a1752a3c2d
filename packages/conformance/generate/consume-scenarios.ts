/**
 * Writes `test-vectors/consume/scenarios.json`, its fixtures and their manifest (SIG-4…SIG-10):
 * scenarios of deposits, uses and sweeps, each run by the conformance runner on a fresh store, over
 * records sealed by the SDK's sealer on a development PKI (fixed clock, seeded random); and the
 * signing policy at sealing (`seal-policy`: staff list, mandates, conventions de preuve as data, a
 * capture described). Every expected status and code is written by hand below from
 * docs/consumption.md and docs/seal.md, never computed by the consumer or the sealer.
 *
 * Run: `cd packages/conformance && npx tsx --conditions=@s3404/source generate/consume-scenarios.ts`.
 * Deterministic apart from signature values.
 */
import { greyPng } from '@s3404/tooling/png-kit';
import { createHash } from 'node:crypto';
import { createBordereauId } from '@s3404/core';
import {
  accountingDayScope,
  createCapture,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type Scope,
} from '@s3404/seal';
import type { DevelopmentPki } from '@s3404/seal/pki';

import { seeded, seededPki } from './seeded.js';
import { writeOwnFixtures, writeVectorFile } from './vectors-output.js';

/** The sealing clock (signing time of every record), in the development certificates' validity. */
const T0 = new Date('2026-03-20T10:00:00.000Z');
const iso = (seconds: number): string => new Date(T0.getTime() + seconds * 1000).toISOString();
/** The scenarios start one minute after sealing; the default TTL (1,800 s) ends at T0 + 30 min. */
const START = iso(60);
const AFTER_TTL = iso(2400);
const FINESS = '750300360';
const RPPS_A = '10003456786';
const DAY = '2026-03-20';
const H1 = `${'c0ffee'.repeat(10)}0a0b`;
const H2 = 'ab12'.repeat(16);
const H3 = '5e'.repeat(32);
const OTHER = 'deadbeef'.repeat(8);

/** A greyscale PNG with a stroke (a stand-in for a signature). */
function makePng(width = 300, height = 100, slope = 1): Uint8Array {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.abs((Math.round((x * height * slope) / width) % height) - y) < 2 ? 0 : 255;
  return greyPng(width, height, raw);
}

const pem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END CERTIFICATE-----\n`;

interface Who {
  readonly role: 'insured' | 'director' | 'practitioner';
  readonly signer: { readonly id: string; readonly name: string; readonly rpps?: string };
}
const INSURED: Who = { role: 'insured', signer: { id: 'patient-1', name: 'Jeanne Martin' } };
const DIRECTOR: Who = { role: 'director', signer: { id: 'dir-1', name: 'M. Durand' } };
const DR_A: Who = { role: 'practitioner', signer: { id: 'dr-a', name: 'Dr A', rpps: RPPS_A } };

/** Seals one record of `scope` signed by `who` at {@link T0}, on a sealer with staff and a proof agreement for RPPS_A. */
async function seal(p: DevelopmentPki, scope: Scope, who: Who, seed: number): Promise<Uint8Array> {
  const now = (): Date => T0;
  const sealer = await createSealer({
    key: p.seal.privateKey,
    certificate: p.seal.certificate,
    contexts: new MemoryContextRegistry({ now }),
    authorizer: createRoleAuthorizer({
      staff: [
        { id: 'dir-1', roles: ['director'] },
        { id: 'dr-a', roles: ['practitioner'], rpps: RPPS_A },
      ],
    }),
    mandates: new MemoryMandateRegistry([]),
    proofAgreements: new MemoryProofAgreementRegistry([{ reference: 'CDP-2026-003', rpps: RPPS_A, finess: FINESS, validFrom: '2026-01-01' }]),
    establishment: { finess: FINESS },
    now,
    random: seeded(seed),
  });
  const ctx = await sealer.openContext({ scope, role: who.role, signer: who.signer, terminalId: 'tablette-3' });
  const sealed = await sealer.seal(createCapture(ctx, { image: makePng(300, 100, 1 + (seed % 3)), capturedAt: new Date(T0.getTime() + 5000) }));
  return sealed.bytes;
}

type Requirement = 'SIG-3' | 'SIG-4' | 'SIG-5' | 'SIG-6' | 'SIG-10';
type Target =
  | { bordereauId: string; contentHash: string; line?: number }
  | { day: string; finess?: string; dayBordereaux: { bordereauId: string; contentHash: string }[] };
type Step =
  | { op: 'deposit'; record: string; at?: string; expect: Outcome }
  | { op: 'consume'; record: string; by: 'handle' | 'bytes'; target: Target; requestId: string; at?: string; expect: Outcome }
  | { op: 'sweep'; at?: string; expect: Outcome };
type Outcome = { status: 'deposited' | 'consumed' | 'already-consumed' | 'swept' } | { code: string };

interface Scenario {
  readonly requirements: readonly [Requirement, ...Requirement[]];
  readonly variant: string;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly records: readonly string[];
  readonly anchor?: 'ca' | 'rogue';
  readonly ttlSeconds?: number;
  readonly steps: readonly Step[];
}

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'A record used once, for what it names: it must be used.' },
  REPLAY: {
    bugType: 'REPLAY',
    description: 'A record (or a byte-for-byte copy of it, or its handle) used again after its use, by another request: ERR_RECORD_REPLAYED.',
  },
  IDEMPOTENT_RETRY: {
    bugType: 'REPLAY',
    description: 'The same request retried after its use completed: the same outcome again (already-consumed), never a second use.',
  },
  DUPLICATE: { bugType: 'REPLAY', description: 'A record deposited again after its use: ERR_RECORD_DUPLICATE.' },
  DUPLICATE_PENDING: { bugType: 'EDGE_CASE', description: 'A record deposited again while it is pending: ERR_RECORD_DUPLICATE.' },
  WRONG_BORDEREAU: { bugType: 'WRONG_BINDING', description: 'A record applied to another bordereau than the one it names.' },
  WRONG_CONTENT: { bugType: 'WRONG_BINDING', description: 'A record applied to its bordereau with other content than the one signed.' },
  WRONG_LINE: { bugType: 'WRONG_BINDING', description: 'A line record applied to another line, or a record applied with a scope it does not have.' },
  WRONG_DAY: { bugType: 'WRONG_BINDING', description: 'An accounting-day record applied to another day or establishment.' },
  DAY_SET: { bugType: 'WRONG_BINDING', description: 'An accounting-day record applied to a set of bordereaux other than the exact signed set.' },
  BINDING_KEEPS_RECORD: {
    bugType: 'EDGE_CASE',
    description: 'A refused binding consumes nothing: the record stays usable for its own target (docs/consumption.md, step 2).',
  },
  EXPIRED: { bugType: 'EDGE_CASE', description: 'A pending record past its expiry (signing time + TTL): refused, then deleted by the sweeper.' },
  UNTRUSTED: { bugType: 'FORGERY', description: 'A record sealed under a CA that is not the consumer’s trust anchor.' },
  POLICY_OK: { bugType: 'BASIC', description: 'A capture the sealer’s policy allows: it must be sealed.' },
  UNAUTHORISED: {
    bugType: 'POLICY',
    description: 'A signer the authorizer does not allow: unknown person, role not granted, RPPS or terminal not allowed (ERR_AUTH_DENIED).',
  },
  MANDATE: { bugType: 'POLICY', description: 'A line signed for a practitioner without a mandate, or under a mandate that does not apply that day.' },
  PROOF_AGREEMENT: {
    bugType: 'POLICY',
    description: 'A practitioner without a convention de preuve valid that day at this establishment (ERR_PROOF_AGREEMENT_MISSING).',
  },
} as const;

const RPPS_B = '10001234565';
/** The sealer's policy of every seal-policy vector but where a case changes it (docs/seal.md, « Policy »). */
const POLICY = {
  staff: [
    { id: 'dir-1', roles: ['director'] },
    { id: 'del-1', roles: ['delegate'] },
    { id: 'dr-a', roles: ['practitioner'], rpps: RPPS_A },
    { id: 'dr-b', roles: ['practitioner'], rpps: RPPS_B },
  ],
  mandates: [{ reference: 'MDT-2026-001', mandatorRpps: RPPS_B, delegateId: 'dir-1', validFrom: '2026-01-01', validUntil: '2026-12-31' }],
  proofAgreements: [
    { reference: 'CDP-2026-003', rpps: RPPS_A, finess: FINESS, validFrom: '2026-01-01' },
    { reference: 'CDP-2026-004', rpps: RPPS_B, finess: FINESS, validFrom: '2026-01-01' },
  ],
  establishment: { finess: FINESS },
};
type Policy = typeof POLICY & { insuredTerminals?: string[] };
interface PolicyCase {
  readonly requirements: readonly ['SIG-7' | 'SIG-8' | 'SIG-9', ...string[]];
  readonly variant: string;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly policy?: Policy;
  readonly request: Record<string, unknown>;
  readonly code?: string;
}

async function main(): Promise<void> {
  const pki = await seededPki(21, { algorithm: 'ecdsa-p256', now: () => T0 });
  const rogue = await seededPki(22, { algorithm: 'ecdsa-p256', now: () => T0 });
  const B1 = createBordereauId({ random: seeded(31) });
  const B2 = createBordereauId({ random: seeded(32) });
  const B3 = createBordereauId({ random: seeded(33) });
  const day = accountingDayScope({
    finess: FINESS,
    day: DAY,
    bordereaux: [
      { bordereauId: B1, contentHash: H1 },
      { bordereauId: B2, contentHash: H2 },
    ],
  });
  const records: Record<string, { requirement: Requirement; bytes: Uint8Array; reason: string }> = {
    insured: {
      requirement: 'SIG-5',
      bytes: await seal(pki, { kind: 'bordereau', bordereauId: B1, contentHash: H1 }, INSURED, 41),
      reason: `the insured person's record for bordereau ${B1}, content ${H1}`,
    },
    insured2: {
      requirement: 'SIG-5',
      bytes: await seal(pki, { kind: 'bordereau', bordereauId: B1, contentHash: H1 }, INSURED, 42),
      reason: `a second, distinct record of the insured person for bordereau ${B1}, content ${H1}`,
    },
    line: {
      requirement: 'SIG-4',
      bytes: await seal(pki, { kind: 'line', bordereauId: B1, contentHash: H1, line: 2, practitionerRpps: RPPS_A }, DR_A, 43),
      reason: `practitioner ${RPPS_A}'s record for line 2 of bordereau ${B1}, content ${H1}`,
    },
    day: {
      requirement: 'SIG-10',
      bytes: await seal(pki, day, DIRECTOR, 44),
      reason: `the director's accounting-day record for ${FINESS} on ${DAY}, over ${B1} (${H1}) and ${B2} (${H2})`,
    },
    rogue: {
      requirement: 'SIG-3',
      bytes: await seal(rogue, { kind: 'bordereau', bordereauId: B1, contentHash: H1 }, INSURED, 45),
      reason: `a record for bordereau ${B1} sealed under another CA than the trust anchor`,
    },
  };

  const own = { bordereauId: B1, contentHash: H1 };
  const lineTarget = { ...own, line: 2 };
  const daySet = [
    { bordereauId: B1, contentHash: H1 },
    { bordereauId: B2, contentHash: H2 },
  ];
  const dayTarget = { day: DAY, finess: FINESS, dayBordereaux: daySet };
  const ok = (status: 'deposited' | 'consumed' | 'already-consumed' | 'swept'): Outcome => ({ status });
  const err = (code: string): Outcome => ({ code });
  const dep = (record = 'insured', at?: string, expect: Outcome = ok('deposited')): Step => ({
    op: 'deposit',
    record,
    ...(at === undefined ? {} : { at }),
    expect,
  });
  const use = (o: { record?: string; by?: 'handle' | 'bytes'; target?: Target; requestId?: string; at?: string }, expect: Outcome): Step => ({
    op: 'consume',
    record: o.record ?? 'insured',
    by: o.by ?? 'bytes',
    target: o.target ?? own,
    requestId: o.requestId ?? 'req-1',
    ...(o.at === undefined ? {} : { at: o.at }),
    expect,
  });
  const sweep = (at: string): Step => ({ op: 'sweep', at, expect: ok('swept') });

  const S: Scenario[] = [
    // SIG-5: used once.
    {
      requirements: ['SIG-5', 'SIG-6'],
      variant: 'deposit-consume-handle',
      comment: 'deposited, then used once by its handle for its own bordereau and content',
      flags: ['BASIC'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle' }, ok('consumed'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'consume-bytes',
      comment: 'the sealed bytes used once for their own bordereau and content',
      flags: ['BASIC'],
      records: ['insured'],
      steps: [use({}, ok('consumed'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'two-records',
      comment: 'two distinct records of the same bordereau, each used once',
      flags: ['BASIC'],
      records: ['insured', 'insured2'],
      steps: [use({}, ok('consumed')), use({ record: 'insured2', requestId: 'req-2' }, ok('consumed'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'retry-same-request',
      comment: 'used, then the same request retried with the same request id: already-consumed, not a second use',
      flags: ['IDEMPOTENT_RETRY'],
      records: ['insured'],
      steps: [use({}, ok('consumed')), use({}, ok('already-consumed'))],
    },
    {
      requirements: ['SIG-5', 'SIG-6'],
      variant: 'retry-same-request-handle',
      comment: 'used by its handle, the pending bytes deleted, then the same request retried by the handle: already-consumed',
      flags: ['IDEMPOTENT_RETRY'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle' }, ok('consumed')), use({ by: 'handle' }, ok('already-consumed'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'replay-bytes',
      comment: 'used, then the same bytes used again by another request',
      flags: ['REPLAY'],
      records: ['insured'],
      steps: [use({}, ok('consumed')), use({ requestId: 'req-2' }, err('ERR_RECORD_REPLAYED'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'replay-handle',
      comment: 'used by its handle, then the handle used again by another request',
      flags: ['REPLAY'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle' }, ok('consumed')), use({ by: 'handle', requestId: 'req-2' }, err('ERR_RECORD_REPLAYED'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'replay-copy',
      comment: 'used by its handle, then a byte-for-byte copy of the sealed record (kept elsewhere) used by another request',
      flags: ['REPLAY'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle' }, ok('consumed')), use({ requestId: 'req-2' }, err('ERR_RECORD_REPLAYED'))],
    },
    {
      requirements: ['SIG-5'],
      variant: 'two-consumes-one-wins',
      comment: 'deposited, then two requests use it one after the other: exactly one wins',
      flags: ['REPLAY'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle', requestId: 'req-a' }, ok('consumed')), use({ by: 'handle', requestId: 'req-b' }, err('ERR_RECORD_REPLAYED'))],
    },
    {
      requirements: ['SIG-5', 'SIG-6'],
      variant: 'replay-after-sweep',
      comment: 'used, the sweeper run 20 minutes later, then the bytes used again: the tombstone outlives the sweep',
      flags: ['REPLAY'],
      records: ['insured'],
      steps: [use({}, ok('consumed')), sweep(iso(1260)), use({ requestId: 'req-2', at: iso(1270) }, err('ERR_RECORD_REPLAYED'))],
    },
    {
      requirements: ['SIG-5', 'SIG-10'],
      variant: 'day-replay',
      comment: 'the accounting-day record used for its exact set, then again for the same set by another request',
      flags: ['REPLAY'],
      records: ['day'],
      steps: [
        use({ record: 'day', target: dayTarget }, ok('consumed')),
        use({ record: 'day', target: dayTarget, requestId: 'req-2' }, err('ERR_RECORD_REPLAYED')),
      ],
    },
    {
      requirements: ['SIG-5', 'SIG-4'],
      variant: 'line-replay',
      comment: 'the line record used for its line, then again for the same line by another request',
      flags: ['REPLAY'],
      records: ['line'],
      steps: [
        use({ record: 'line', target: lineTarget }, ok('consumed')),
        use({ record: 'line', target: lineTarget, requestId: 'req-2' }, err('ERR_RECORD_REPLAYED')),
      ],
    },
    {
      requirements: ['SIG-5'],
      variant: 'deposit-after-use',
      comment: 'used, then the same record deposited again',
      flags: ['DUPLICATE'],
      records: ['insured'],
      steps: [use({}, ok('consumed')), dep('insured', undefined, err('ERR_RECORD_DUPLICATE'))],
    },
    {
      requirements: ['SIG-5', 'SIG-6'],
      variant: 'deposit-twice',
      comment: 'the same record deposited twice while pending',
      flags: ['DUPLICATE_PENDING'],
      records: ['insured'],
      steps: [dep(), dep('insured', undefined, err('ERR_RECORD_DUPLICATE'))],
    },
    // SIG-4: for what it names only.
    {
      requirements: ['SIG-4'],
      variant: 'other-bordereau',
      comment: 'the record applied to another bordereau (its content hash)',
      flags: ['WRONG_BORDEREAU'],
      records: ['insured'],
      steps: [use({ target: { bordereauId: B2, contentHash: H1 } }, err('ERR_RECORD_WRONG_BORDEREAU'))],
    },
    {
      requirements: ['SIG-4', 'SIG-6'],
      variant: 'other-bordereau-handle',
      comment: 'deposited, then its handle applied to another bordereau',
      flags: ['WRONG_BORDEREAU'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle', target: { bordereauId: B2, contentHash: H2 } }, err('ERR_RECORD_WRONG_BORDEREAU'))],
    },
    {
      requirements: ['SIG-4'],
      variant: 'other-content',
      comment: 'the record applied to its bordereau whose content changed since it was signed',
      flags: ['WRONG_CONTENT'],
      records: ['insured'],
      steps: [use({ target: { bordereauId: B1, contentHash: OTHER } }, err('ERR_RECORD_WRONG_CONTENT'))],
    },
    {
      requirements: ['SIG-4'],
      variant: 'other-line',
      comment: 'the practitioner’s record for line 2 applied to line 3',
      flags: ['WRONG_LINE'],
      records: ['line'],
      steps: [use({ record: 'line', target: { ...own, line: 3 } }, err('ERR_RECORD_WRONG_LINE'))],
    },
    {
      requirements: ['SIG-4'],
      variant: 'line-other-content',
      comment: 'the practitioner’s record for line 2 applied to line 2 of the bordereau with other content',
      flags: ['WRONG_CONTENT'],
      records: ['line'],
      steps: [use({ record: 'line', target: { bordereauId: B1, contentHash: OTHER, line: 2 } }, err('ERR_RECORD_WRONG_CONTENT'))],
    },
    {
      requirements: ['SIG-4'],
      variant: 'line-for-own-line',
      comment: 'the practitioner’s record applied to its own line 2',
      flags: ['BASIC'],
      records: ['line'],
      steps: [use({ record: 'line', target: lineTarget }, ok('consumed'))],
    },
    {
      requirements: ['SIG-4', 'SIG-5'],
      variant: 'wrong-then-right',
      comment: 'refused for another bordereau, then used for its own: a refused binding consumes nothing',
      flags: ['WRONG_BORDEREAU', 'BINDING_KEEPS_RECORD'],
      records: ['insured'],
      steps: [
        dep(),
        use({ by: 'handle', target: { bordereauId: B2, contentHash: H1 } }, err('ERR_RECORD_WRONG_BORDEREAU')),
        use({ by: 'handle', requestId: 'req-2' }, ok('consumed')),
      ],
    },
    {
      requirements: ['SIG-4', 'SIG-5'],
      variant: 'used-then-other-bordereau',
      comment: 'used for its own bordereau, then presented for another: the binding is refused first',
      flags: ['WRONG_BORDEREAU'],
      records: ['insured'],
      steps: [use({}, ok('consumed')), use({ target: { bordereauId: B2, contentHash: H2 }, requestId: 'req-2' }, err('ERR_RECORD_WRONG_BORDEREAU'))],
    },
    {
      requirements: ['SIG-3', 'SIG-4'],
      variant: 'untrusted-ca',
      comment: 'a record sealed under another CA than the consumer’s trust anchor',
      flags: ['UNTRUSTED'],
      records: ['rogue'],
      steps: [use({ record: 'rogue' }, err('ERR_CERT_UNTRUSTED'))],
    },
    // SIG-10: journée comptable.
    {
      requirements: ['SIG-10'],
      variant: 'day-exact-set',
      comment: 'the accounting-day record applied to its exact set of bordereaux and content hashes',
      flags: ['BASIC'],
      records: ['day'],
      steps: [use({ record: 'day', target: dayTarget }, ok('consumed'))],
    },
    {
      requirements: ['SIG-10', 'SIG-6'],
      variant: 'day-exact-set-reordered',
      comment: 'deposited, then applied by its handle to its exact set given in another order',
      flags: ['BASIC'],
      records: ['day'],
      steps: [dep('day'), use({ record: 'day', by: 'handle', target: { ...dayTarget, dayBordereaux: [...daySet].reverse() } }, ok('consumed'))],
    },
    {
      requirements: ['SIG-10'],
      variant: 'day-set-missing',
      comment: 'the accounting-day record applied to its set without one bordereau',
      flags: ['DAY_SET'],
      records: ['day'],
      steps: [use({ record: 'day', target: { ...dayTarget, dayBordereaux: [daySet[0] as (typeof daySet)[0]] } }, err('ERR_RECORD_DAY_SET_MISMATCH'))],
    },
    {
      requirements: ['SIG-10'],
      variant: 'day-set-added',
      comment: 'the accounting-day record applied to its set plus a bordereau added later',
      flags: ['DAY_SET'],
      records: ['day'],
      steps: [
        use({ record: 'day', target: { ...dayTarget, dayBordereaux: [...daySet, { bordereauId: B3, contentHash: H3 }] } }, err('ERR_RECORD_DAY_SET_MISMATCH')),
      ],
    },
    {
      requirements: ['SIG-10'],
      variant: 'day-set-altered',
      comment: 'the accounting-day record applied to its set with one bordereau altered since (another content hash)',
      flags: ['DAY_SET'],
      records: ['day'],
      steps: [
        use(
          { record: 'day', target: { ...dayTarget, dayBordereaux: [daySet[0] as (typeof daySet)[0], { bordereauId: B2, contentHash: OTHER }] } },
          err('ERR_RECORD_DAY_SET_MISMATCH'),
        ),
      ],
    },
    {
      requirements: ['SIG-10'],
      variant: 'day-set-swapped',
      comment: 'the accounting-day record applied to a set where one bordereau is replaced by another',
      flags: ['DAY_SET'],
      records: ['day'],
      steps: [
        use(
          { record: 'day', target: { ...dayTarget, dayBordereaux: [daySet[0] as (typeof daySet)[0], { bordereauId: B3, contentHash: H2 }] } },
          err('ERR_RECORD_DAY_SET_MISMATCH'),
        ),
      ],
    },
    {
      requirements: ['SIG-10', 'SIG-4'],
      variant: 'day-other-day',
      comment: 'the accounting-day record applied to the next day, same set',
      flags: ['WRONG_DAY'],
      records: ['day'],
      steps: [use({ record: 'day', target: { ...dayTarget, day: '2026-03-21' } }, err('ERR_RECORD_WRONG_DAY'))],
    },
    {
      requirements: ['SIG-10', 'SIG-4'],
      variant: 'day-other-finess',
      comment: 'the accounting-day record applied to another establishment (FINESS), same day and set',
      flags: ['WRONG_DAY'],
      records: ['day'],
      steps: [use({ record: 'day', target: { ...dayTarget, finess: '310000021' } }, err('ERR_RECORD_WRONG_DAY'))],
    },
    {
      requirements: ['SIG-10', 'SIG-5'],
      variant: 'day-mismatch-then-exact',
      comment: 'refused for a set with a bordereau added, then used for its exact set: the refusal consumed nothing',
      flags: ['DAY_SET', 'BINDING_KEEPS_RECORD'],
      records: ['day'],
      steps: [
        dep('day'),
        use(
          { record: 'day', by: 'handle', target: { ...dayTarget, dayBordereaux: [...daySet, { bordereauId: B3, contentHash: H3 }] } },
          err('ERR_RECORD_DAY_SET_MISMATCH'),
        ),
        use({ record: 'day', by: 'handle', target: dayTarget, requestId: 'req-2' }, ok('consumed')),
      ],
    },
    // SIG-6: pending, expiry, sweep.
    {
      requirements: ['SIG-6'],
      variant: 'sweep-before-expiry',
      comment: 'deposited, the sweeper run before its expiry, then used by its handle: the sweep kept it',
      flags: ['BASIC'],
      records: ['insured'],
      steps: [dep(), sweep(iso(600)), use({ by: 'handle', at: iso(610) }, ok('consumed'))],
    },
    {
      requirements: ['SIG-6'],
      variant: 'pending-expired',
      comment: 'deposited, then used by its handle 40 minutes after sealing, past its expiry (TTL 30 min)',
      flags: ['EXPIRED'],
      records: ['insured'],
      steps: [dep(), use({ by: 'handle', at: AFTER_TTL }, err('ERR_RECORD_EXPIRED'))],
    },
    {
      requirements: ['SIG-6'],
      variant: 'bytes-expired',
      comment: 'the sealed bytes used 40 minutes after sealing, past the TTL',
      flags: ['EXPIRED'],
      records: ['insured'],
      steps: [use({ at: AFTER_TTL }, err('ERR_RECORD_EXPIRED'))],
    },
    {
      requirements: ['SIG-6'],
      variant: 'deposit-expired',
      comment: 'deposited 40 minutes after sealing, past the TTL',
      flags: ['EXPIRED'],
      records: ['insured'],
      steps: [dep('insured', AFTER_TTL, err('ERR_RECORD_EXPIRED'))],
    },
    {
      requirements: ['SIG-6'],
      variant: 'short-ttl-expired',
      comment: 'a consumer with a 600 s TTL: deposited at once, used 11 minutes after sealing',
      flags: ['EXPIRED'],
      records: ['insured'],
      ttlSeconds: 600,
      steps: [dep('insured', iso(30)), use({ by: 'handle', at: iso(660) }, err('ERR_RECORD_EXPIRED'))],
    },
  ];

  const bordereau = { kind: 'bordereau', bordereauId: B1, contentHash: H1 };
  const lineOf = (rpps: string, line = 2) => ({ kind: 'line', bordereauId: B1, contentHash: H1, line, practitionerRpps: rpps });
  const who = (role: string, id: string, name: string, rpps?: string) => ({ role, signer: { id, name, ...(rpps === undefined ? {} : { rpps }) } });
  const director = who('director', 'dir-1', 'M. Durand');
  const drA = who('practitioner', 'dr-a', 'Dr A', RPPS_A);
  const forB = (reference: string) => ({ ...director, scope: lineOf(RPPS_B), mandate: { reference } });
  const withMandate = (m: Record<string, string>): Policy => ({
    ...POLICY,
    mandates: [{ ...(POLICY.mandates[0] as (typeof POLICY.mandates)[0]), ...m }],
  });
  const withAgreementA = (a: Record<string, string> | null): Policy => ({
    ...POLICY,
    proofAgreements: [
      ...(a === null ? [] : [{ reference: 'CDP-2026-003', rpps: RPPS_A, finess: FINESS, validFrom: '2026-01-01', ...a }]),
      POLICY.proofAgreements[1] as (typeof POLICY.proofAgreements)[0],
    ],
  });
  const P: PolicyCase[] = [
    // SIG-7: who may sign what.
    {
      requirements: ['SIG-7'],
      variant: 'insured',
      comment: 'the insured person signs the bordereau',
      flags: ['POLICY_OK'],
      request: { ...who('insured', 'patient-1', 'Jeanne Martin'), scope: bordereau },
    },
    {
      requirements: ['SIG-7'],
      variant: 'director',
      comment: 'the director (staff, role director) signs the bordereau',
      flags: ['POLICY_OK'],
      request: { ...director, scope: bordereau },
    },
    {
      requirements: ['SIG-7'],
      variant: 'delegate',
      comment: 'the director’s delegate (staff, role delegate) signs the bordereau',
      flags: ['POLICY_OK'],
      request: { ...who('delegate', 'del-1', 'Mme Petit'), scope: bordereau },
    },
    {
      requirements: ['SIG-7', 'SIG-10'],
      variant: 'director-day',
      comment: 'the director signs the accounting day',
      flags: ['POLICY_OK'],
      request: { ...director, scope: day },
    },
    {
      requirements: ['SIG-7'],
      variant: 'unknown-director',
      comment: 'a person not on the staff list signs as director',
      flags: ['UNAUTHORISED'],
      request: { ...who('director', 'intrus-1', 'M. Intrus'), scope: bordereau },
      code: 'ERR_AUTH_DENIED',
    },
    {
      requirements: ['SIG-7'],
      variant: 'role-not-granted',
      comment: 'a practitioner of the staff signs the bordereau as director',
      flags: ['UNAUTHORISED'],
      request: { ...who('director', 'dr-a', 'Dr A'), scope: bordereau },
      code: 'ERR_AUTH_DENIED',
    },
    {
      requirements: ['SIG-7'],
      variant: 'delegate-as-director',
      comment: 'the delegate signs as director, a role not granted',
      flags: ['UNAUTHORISED'],
      request: { ...who('director', 'del-1', 'Mme Petit'), scope: bordereau },
      code: 'ERR_AUTH_DENIED',
    },
    {
      requirements: ['SIG-7', 'SIG-9'],
      variant: 'rpps-mismatch',
      comment: 'practitioner dr-a signs the line of practitioner B giving B’s RPPS',
      flags: ['UNAUTHORISED'],
      request: { ...who('practitioner', 'dr-a', 'Dr A', RPPS_B), scope: lineOf(RPPS_B) },
      code: 'ERR_AUTH_DENIED',
    },
    {
      requirements: ['SIG-7'],
      variant: 'insured-terminal',
      comment: 'the insured person signs on a terminal outside the insured terminals allowed',
      flags: ['UNAUTHORISED'],
      policy: { ...POLICY, insuredTerminals: ['tablette-1'] },
      request: { ...who('insured', 'patient-1', 'Jeanne Martin'), scope: bordereau },
      code: 'ERR_AUTH_DENIED',
    },
    {
      requirements: ['SIG-7'],
      variant: 'insured-terminal-allowed',
      comment: 'the insured person signs on an allowed insured terminal',
      flags: ['POLICY_OK'],
      policy: { ...POLICY, insuredTerminals: ['tablette-3'] },
      request: { ...who('insured', 'patient-1', 'Jeanne Martin'), scope: bordereau },
    },
    // SIG-8: mandates.
    {
      requirements: ['SIG-8'],
      variant: 'mandate',
      comment: 'the director signs practitioner B’s line under B’s valid mandate',
      flags: ['POLICY_OK'],
      request: forB('MDT-2026-001'),
    },
    {
      requirements: ['SIG-8'],
      variant: 'no-mandate',
      comment: 'the director signs practitioner B’s line without a mandate',
      flags: ['MANDATE'],
      request: { ...director, scope: lineOf(RPPS_B) },
      code: 'ERR_MANDATE_REQUIRED',
    },
    {
      requirements: ['SIG-8'],
      variant: 'unknown-mandate',
      comment: 'the director signs B’s line under a mandate reference the registry does not know',
      flags: ['MANDATE'],
      request: forB('MDT-2026-999'),
      code: 'ERR_MANDATE_INVALID',
    },
    {
      requirements: ['SIG-8'],
      variant: 'mandate-expired',
      comment: 'the mandate ended the day before the capture',
      flags: ['MANDATE'],
      policy: withMandate({ validUntil: '2026-03-19' }),
      request: forB('MDT-2026-001'),
      code: 'ERR_MANDATE_INVALID',
    },
    {
      requirements: ['SIG-8'],
      variant: 'mandate-not-yet',
      comment: 'the mandate starts the day after the capture',
      flags: ['MANDATE'],
      policy: withMandate({ validFrom: '2026-03-21' }),
      request: forB('MDT-2026-001'),
      code: 'ERR_MANDATE_INVALID',
    },
    {
      requirements: ['SIG-8'],
      variant: 'mandate-revoked',
      comment: 'the mandate was revoked before the capture day',
      flags: ['MANDATE'],
      policy: withMandate({ revokedOn: '2026-03-01' }),
      request: forB('MDT-2026-001'),
      code: 'ERR_MANDATE_INVALID',
    },
    {
      requirements: ['SIG-8'],
      variant: 'mandate-other-practitioner',
      comment: 'the mandate was given by practitioner A, the line is practitioner B’s',
      flags: ['MANDATE'],
      policy: withMandate({ mandatorRpps: RPPS_A }),
      request: forB('MDT-2026-001'),
      code: 'ERR_MANDATE_INVALID',
    },
    {
      requirements: ['SIG-8'],
      variant: 'mandate-other-delegate',
      comment: 'the mandate names the delegate del-1, the director signs',
      flags: ['MANDATE'],
      policy: withMandate({ delegateId: 'del-1' }),
      request: forB('MDT-2026-001'),
      code: 'ERR_MANDATE_INVALID',
    },
    // SIG-9: conventions de preuve.
    {
      requirements: ['SIG-9'],
      variant: 'agreement',
      comment: 'practitioner A signs their own line with a convention de preuve valid that day',
      flags: ['POLICY_OK'],
      request: { ...drA, scope: lineOf(RPPS_A) },
    },
    {
      requirements: ['SIG-9'],
      variant: 'agreement-ending-today',
      comment: 'practitioner A’s convention de preuve ends on the capture day',
      flags: ['POLICY_OK'],
      policy: withAgreementA({ validUntil: '2026-03-20' }),
      request: { ...drA, scope: lineOf(RPPS_A) },
    },
    {
      requirements: ['SIG-9'],
      variant: 'no-agreement',
      comment: 'practitioner A signs their line without any convention de preuve',
      flags: ['PROOF_AGREEMENT'],
      policy: withAgreementA(null),
      request: { ...drA, scope: lineOf(RPPS_A) },
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    },
    {
      requirements: ['SIG-9'],
      variant: 'agreement-other-finess',
      comment: 'practitioner A’s convention de preuve is with another establishment',
      flags: ['PROOF_AGREEMENT'],
      policy: withAgreementA({ finess: '310000021' }),
      request: { ...drA, scope: lineOf(RPPS_A) },
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    },
    {
      requirements: ['SIG-9'],
      variant: 'agreement-expired',
      comment: 'practitioner A’s convention de preuve ended the day before',
      flags: ['PROOF_AGREEMENT'],
      policy: withAgreementA({ validUntil: '2026-03-19' }),
      request: { ...drA, scope: lineOf(RPPS_A) },
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    },
    {
      requirements: ['SIG-9'],
      variant: 'agreement-not-yet',
      comment: 'practitioner A’s convention de preuve starts the day after',
      flags: ['PROOF_AGREEMENT'],
      policy: withAgreementA({ validFrom: '2026-03-21' }),
      request: { ...drA, scope: lineOf(RPPS_A) },
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    },
    {
      requirements: ['SIG-9'],
      variant: 'agreement-terminated',
      comment: 'practitioner A’s convention de preuve was terminated before the capture day',
      flags: ['PROOF_AGREEMENT'],
      policy: withAgreementA({ terminatedOn: '2026-03-01' }),
      request: { ...drA, scope: lineOf(RPPS_A) },
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    },
  ];

  // Files.
  const pending = new Map<string, Uint8Array | string>();
  const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
  const manifest: { file: string; sha256: string; reason: string }[] = [];
  const refs = new Map<string, { file: string; sha256: string }>();
  const fixture = (key: string, tcId: number, requirement: string, pass: boolean, variant: string, ext: string, bytes: Uint8Array | string, reason: string) => {
    let ref = refs.get(key);
    if (ref === undefined) {
      const name = `consume-${requirement}-t${String(tcId).padStart(2, '0')}-${pass ? 'pass' : 'fail'}-${variant}.${ext}`;
      pending.set(name, bytes);
      ref = { file: `fixtures/${name}`, sha256: sha(bytes) };
      manifest.push({ file: name, sha256: ref.sha256, reason: `${reason}; first used by tcId ${tcId}` });
      refs.set(key, ref);
    }
    return ref;
  };
  const groups = new Map<string, unknown[]>();
  S.forEach((s, i) => {
    const tcId = i + 1;
    const codes = s.steps.flatMap((st) => ('code' in st.expect ? [st.expect.code] : []));
    const pass = codes.length === 0;
    const anchor = s.anchor ?? 'ca';
    const input = {
      records: Object.fromEntries(
        s.records.map((r) => {
          const rec = records[r];
          if (rec === undefined) throw new Error(`unknown record ${r}`);
          return [r, fixture(`record:${r}`, tcId, rec.requirement, r !== 'rogue', `record-${r}`, 'p7m', rec.bytes, rec.reason)];
        }),
      ),
      trustAnchors: [
        fixture(`anchor:${anchor}`, tcId, 'SIG-3', true, `anchor-${anchor}`, 'pem', pem(pki.ca.certificate), 'trust anchor: the development CA (PEM)'),
      ],
      start: START,
      ...(s.ttlSeconds === undefined ? {} : { ttlSeconds: s.ttlSeconds }),
      steps: s.steps.map(({ expect: _e, ...st }) => st),
    };
    const test = {
      tcId,
      comment: s.comment,
      requirements: [...s.requirements],
      flags: [...s.flags],
      input,
      result: pass ? 'valid' : 'invalid',
      expected: { ...(pass ? {} : { code: codes[codes.length - 1] }), steps: s.steps.map((st) => st.expect) },
    };
    const group =
      s.requirements[0] === 'SIG-10'
        ? 'day'
        : s.flags.includes('EXPIRED') || s.requirements[0] === 'SIG-6'
          ? 'pending'
          : s.requirements[0] === 'SIG-5'
            ? 'single-use'
            : 'binding';
    const list = groups.get(group) ?? [];
    list.push(test);
    groups.set(group, list);
  });
  const png = makePng();
  P.forEach((c, j) => {
    const tcId = S.length + j + 1;
    const test = {
      tcId,
      comment: c.comment,
      requirements: [...c.requirements],
      flags: [...c.flags],
      input: {
        policy: c.policy ?? POLICY,
        request: { terminalId: 'tablette-3', ...c.request },
        image: fixture(
          'png',
          tcId,
          c.requirements[0],
          true,
          'signature-image',
          'png',
          png,
          'the signature image (PNG, 300 × 100) of every seal-policy capture',
        ),
        at: iso(0),
        capturedAt: iso(5),
      },
      result: c.code === undefined ? 'valid' : 'invalid',
      ...(c.code === undefined ? {} : { expected: { code: c.code } }),
    };
    const list = groups.get('policy') ?? [];
    list.push(test);
    groups.set('policy', list);
  });
  const comments: Record<string, string> = {
    'single-use': 'Single use (SIG-5): used once, replays of the record, its copy or its handle refused, retries idempotent, duplicates refused.',
    binding: 'For what it names only (SIG-4): another bordereau, content or line refused before anything is claimed.',
    day: 'Journée comptable (SIG-10): the exact set of bordereaux and their content hashes, the day and the establishment.',
    pending: 'Pending records (SIG-6): expiry, the sweeper.',
    policy:
      'The signing policy at sealing time (SIG-7, SIG-8, SIG-9): a sealer with input.policy opens a context for input.request at input.at and seals the capture of input.image at input.capturedAt; accepted, or refused with the code.',
  };
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: 'consume',
    title: 'Single use of sealed signature records on a fresh store, and the signing policy at sealing (SIG-4 to SIG-10)',
    generator: 'packages/conformance/generate/consume-scenarios.ts',
    notes: NOTES,
    sources: {
      CONSUMPTION: 'docs/consumption.md (the protocol, step by step; the CLI)',
      SEAL: 'docs/seal.md (Verification: the binding table; Journée comptable)',
      STEPS:
        'Each test is a scenario run on a fresh, empty store: input.steps in order (deposit the record, consume it by its handle or its bytes for a target and a request id, sweep), the consumer clock at the step’s `at` (else input.start); expected.steps gives each step’s status (deposited, consumed, already-consumed, swept) or refusal code. result is invalid when a step must be refused; expected.code is the last such code.',
    },
    numberOfTests: S.length + P.length,
    testGroups: ['single-use', 'binding', 'day', 'pending', 'policy']
      .filter((g) => groups.has(g))
      .map((g) => ({ type: g === 'policy' ? 'seal-policy' : 'consume-scenario', comment: comments[g], tests: groups.get(g) })),
  };
  // tcIds follow the scenario order; groups keep them in order within each group.
  writeOwnFixtures(
    'consume',
    'scenarios.json',
    manifest.map((m) => ({ name: m.file, bytes: pending.get(m.file)!, reason: m.reason })),
  );
  writeVectorFile('consume', 'scenarios.json', file);
  const negatives = S.filter((s) => s.steps.some((st) => 'code' in st.expect)).length + P.filter((c) => c.code !== undefined).length;
  process.stdout.write(`consume/scenarios.json: ${S.length + P.length} vectors, ${negatives} negative\n`);
}

await main();
