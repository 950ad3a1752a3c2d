/**
 * Writes `test-vectors/capture/messages.json` (SIG-1, SIG-2, X-2): for each vector, a context request
 * (scope, role, signer, terminal, fixed issue time) and the `s3404.capture` message a tablet sends
 * back for it — made with `createCaptureMessage` of `@s3404/core/wire` from the context message of
 * `@s3404/seal`'s sealer — as it is or tampered with, the authenticated terminal and the checking
 * time. Every expected verdict and code is written by hand in the table below from docs/capture.md
 * (« Errors », « How the token ties the capture to what was shown »), never computed by the SDK.
 * Inputs are inline JSON; PNG images travel inside the message as the wire format carries them.
 *
 * Run: `cd packages/conformance && npx tsx --conditions=@s3404/source generate/capture-messages.ts`.
 * Deterministic (fixed clock, seeded random): the runner replaces the token with the one its own
 * sealer issues when `useIssuedToken` is true.
 */
import { greyPng } from '@s3404/tooling/png-kit';
import { createBordereauId } from '@s3404/core';
import { createCaptureMessage, type ContextMessage, type WireStroke } from '@s3404/core/wire';
import {
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  toContextMessage,
  type CreateCaptureContextOptions,
} from '@s3404/seal';
import { seeded, seededPki } from './seeded.js';
import { writeVectorFile } from './vectors-output.js';

/** The issue time of every context (contexts live 5 minutes by default). */
const T0 = new Date('2026-03-20T10:00:00.000Z');
const at = (seconds: number): string => new Date(T0.getTime() + seconds * 1000).toISOString();
const FINESS = '750300360';
const RPPS_B = '10001234565';
const CONTENT_HASH = `${'c0ffee'.repeat(10)}0a0b`;
const OTHER_CONTENT_HASH = 'deadbeef'.repeat(8);
const TERMINAL = 'tablette-3';

/** The signing policy of every vector: a director, a mandate for one practitioner, the establishment. */
const POLICY = {
  staff: [{ id: 'dir-1', roles: ['director'] }],
  mandates: [{ reference: 'MDT-2026-001', mandatorRpps: RPPS_B, delegateId: 'dir-1', validFrom: '2026-01-01', validUntil: '2026-12-31' }],
  proofAgreements: [],
  establishment: { finess: FINESS },
};

/** A greyscale PNG with a diagonal stroke (a stand-in for a signature). */
function makePng(width = 300, height = 100): Uint8Array {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.abs(Math.round((x * height) / width) - y) < 2 ? 0 : 255;
  return greyPng(width, height, raw);
}

const STROKES: WireStroke[] = [
  {
    pointerType: 'pen',
    points: [
      [10, 10, 0, 0.2],
      [50, 30, 16, 0.5],
      [120, 40, 33, 0.7],
    ],
  },
  {
    pointerType: 'pen',
    points: [
      [130, 60, 400, 0.4],
      [200, 70, 420, 0.6],
    ],
  },
];

type Json = Record<string, unknown>;
type Request = Omit<CreateCaptureContextOptions, 'now' | 'random'>;
const BORDEREAU_ID = createBordereauId({ random: seeded(1) });

const REQUESTS: Record<string, Request> = {
  bordereau: {
    scope: { kind: 'bordereau', bordereauId: BORDEREAU_ID, contentHash: CONTENT_HASH },
    role: 'insured',
    signer: { id: 'patient-42', name: 'Jeanne Martin' },
    terminalId: TERMINAL,
  },
  director: {
    scope: { kind: 'bordereau', bordereauId: BORDEREAU_ID, contentHash: CONTENT_HASH },
    role: 'director',
    signer: { id: 'dir-1', name: 'Claire Directrice' },
    terminalId: TERMINAL,
  },
  mandate: {
    scope: { kind: 'line', bordereauId: BORDEREAU_ID, contentHash: CONTENT_HASH, line: 2, practitionerRpps: RPPS_B },
    role: 'director',
    signer: { id: 'dir-1', name: 'Claire Directrice' },
    terminalId: TERMINAL,
    mandate: { reference: 'MDT-2026-001' },
  },
  day: {
    scope: { kind: 'accounting-day', finess: FINESS, day: '2026-03-20', bordereaux: { count: 3, digest: 'ab'.repeat(32) } },
    role: 'director',
    signer: { id: 'dir-1', name: 'Claire Directrice' },
    terminalId: TERMINAL,
  },
  other: {
    scope: { kind: 'bordereau', bordereauId: BORDEREAU_ID, contentHash: CONTENT_HASH },
    role: 'insured',
    signer: { id: 'patient-42', name: 'Jeanne Martin' },
    terminalId: 'tablette-7',
  },
};

interface Case {
  readonly comment: string;
  readonly requirements: readonly string[];
  readonly flags: readonly string[];
  readonly request?: keyof typeof REQUESTS;
  /** What the tablet captured (default: a 300 × 100 PNG, the two strokes, 5 s after issue). */
  readonly image?: Uint8Array;
  readonly strokes?: WireStroke[] | null;
  readonly capturedAt?: string;
  /** The message tampered with after the tablet built it. */
  readonly tamper?: (m: Json) => void;
  readonly useIssuedToken?: boolean;
  readonly terminalId?: string;
  readonly at?: string;
  readonly replay?: boolean;
  readonly limits?: Record<string, number>;
  readonly result: 'valid' | 'invalid';
  readonly code?: string;
}

const ctx = (m: Json): Json => m['context'] as Json;
const display = (m: Json): Json => ctx(m)['display'] as Json;
const lines = (m: Json): string[] => display(m)['lines'] as string[];
const image = (m: Json): Json => m['image'] as Json;
const NOT_PNG = new TextEncoder().encode('GIF89a, not a PNG at all');
const PNG = makePng();
const MISMATCH = 'ERR_CONTEXT_MISMATCH';
const INVALID = 'ERR_RECORD_INVALID';
const STROKES_INVALID = 'ERR_STROKES_INVALID';

const CASES: Case[] = [
  // Accepted captures.
  { comment: 'Assuré(e) sur un bordereau : la capture telle que la tablette la renvoie', requirements: ['SIG-1', 'SIG-2'], flags: ['BASIC'], result: 'valid' },
  { comment: 'Directeur sur un bordereau', requirements: ['SIG-1', 'SIG-2'], flags: ['BASIC'], request: 'director', result: 'valid' },
  {
    comment: 'Ligne de praticien signée sous « Mandat » par la directrice',
    requirements: ['SIG-1', 'SIG-2'],
    flags: ['MANDATE'],
    request: 'mandate',
    result: 'valid',
  },
  { comment: 'Journée comptable validée par la directrice', requirements: ['SIG-1', 'SIG-2'], flags: ['ACCOUNTING_DAY'], request: 'day', result: 'valid' },
  { comment: 'Capture sans tracés (image seule : strokes est facultatif)', requirements: ['SIG-2'], flags: ['BASIC'], strokes: null, result: 'valid' },
  {
    comment: 'Un seul point, sans pression, au coin (0, 0) de l’image',
    requirements: ['SIG-2'],
    flags: ['EDGE'],
    strokes: [{ pointerType: 'touch', points: [[0, 0, 0]] }],
    result: 'valid',
  },
  {
    comment: 'Image de 16 × 16 px, le plus petit côté permis',
    requirements: ['SIG-2'],
    flags: ['EDGE'],
    image: makePng(16, 16),
    strokes: [
      {
        pointerType: 'pen',
        points: [
          [1, 1, 0],
          [15, 15, 10],
        ],
      },
    ],
    result: 'valid',
  },
  { comment: 'PNG de exactement maxImageBytes octets', requirements: ['SIG-2'], flags: ['EDGE'], limits: { maxImageBytes: PNG.length }, result: 'valid' },
  {
    comment: 'Capture terminée 4 min 59 s après l’émission, scellée juste avant l’expiration',
    requirements: ['SIG-1'],
    flags: ['EDGE'],
    capturedAt: at(299),
    at: at(299),
    result: 'valid',
  },
  {
    comment: 'Tracés de souris et de doigt mêlés, temps égaux d’un tracé au suivant',
    requirements: ['SIG-2'],
    flags: ['EDGE'],
    strokes: [
      {
        pointerType: 'mouse',
        points: [
          [5, 5, 0],
          [6, 6, 7],
        ],
      },
      {
        pointerType: 'touch',
        points: [
          [7, 7, 7, 1],
          [8, 8, 9, 0],
        ],
      },
    ],
    result: 'valid',
  },
  // What was shown: the display echoed back must be the display issued (SIG-1).
  {
    comment: 'Une ligne de l’écran changée (signataire)',
    requirements: ['SIG-1'],
    flags: ['DISPLAY'],
    tamper: (m) => {
      lines(m)[3] = 'Assuré(e) : Jean Dupont';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Horodatage affiché changé',
    requirements: ['SIG-1'],
    flags: ['DISPLAY'],
    tamper: (m) => {
      display(m)['timestamp'] = '20/03/2026 11:30:00';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Identifiant de bordereau affiché changé (la portée, elle, est intacte)',
    requirements: ['SIG-1'],
    flags: ['DISPLAY'],
    tamper: (m) => {
      display(m)['bordereauId'] = 'M008F-YZQ8Y-EBGVF-YEHYJ-6SSZ4-D';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Empreinte affichée changée',
    requirements: ['SIG-1'],
    flags: ['DISPLAY'],
    tamper: (m) => {
      display(m)['contentHash'] = OTHER_CONTENT_HASH;
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Une ligne ajoutée à l’écran',
    requirements: ['SIG-1'],
    flags: ['DISPLAY'],
    tamper: (m) => {
      lines(m).push('Montant : 0,00 €');
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: '« Mandat » retiré de l’écran d’une signature sous mandat',
    requirements: ['SIG-1'],
    flags: ['DISPLAY', 'MANDATE'],
    request: 'mandate',
    tamper: (m) => {
      delete display(m)['mandate'];
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Journée comptable affichée changée',
    requirements: ['SIG-1'],
    flags: ['DISPLAY', 'ACCOUNTING_DAY'],
    request: 'day',
    tamper: (m) => {
      display(m)['accountingDay'] = '19/03/2026 journée comptable';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Rôle affiché changé',
    requirements: ['SIG-1'],
    flags: ['DISPLAY'],
    tamper: (m) => {
      display(m)['role'] = 'Directeur';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  // The token: which context, for which terminal, when, how many times (SIG-1).
  {
    comment: 'Contexte émis pour un autre poste (tablette-7), renvoyé par tablette-3',
    requirements: ['SIG-1'],
    flags: ['OTHER_TERMINAL'],
    request: 'other',
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Contexte jamais émis (nonce inconnu du serveur)',
    requirements: ['SIG-1'],
    flags: ['UNKNOWN_CONTEXT'],
    useIssuedToken: false,
    result: 'invalid',
    code: 'ERR_CONTEXT_UNKNOWN',
  },
  {
    comment: 'Contexte expiré : scellé 10 min après l’émission',
    requirements: ['SIG-1'],
    flags: ['EXPIRED'],
    at: at(600),
    result: 'invalid',
    code: 'ERR_CONTEXT_EXPIRED',
  },
  {
    comment: 'Capture rejouée : le même message scellé deux fois',
    requirements: ['SIG-1'],
    flags: ['REPLAYED'],
    replay: true,
    result: 'invalid',
    code: 'ERR_CONTEXT_UNKNOWN',
  },
  {
    comment: 'capturedAt 10 min avant l’émission du contexte',
    requirements: ['SIG-1'],
    flags: ['CAPTURED_AT'],
    capturedAt: at(-600),
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'capturedAt après l’expiration du contexte',
    requirements: ['SIG-1'],
    flags: ['CAPTURED_AT'],
    capturedAt: at(301),
    at: at(299),
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Portée changée : autre empreinte du contenu',
    requirements: ['SIG-1'],
    flags: ['SCOPE'],
    tamper: (m) => {
      (ctx(m)['scope'] as Json)['contentHash'] = OTHER_CONTENT_HASH;
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Portée changée : autre ligne',
    requirements: ['SIG-1'],
    flags: ['SCOPE', 'MANDATE'],
    request: 'mandate',
    tamper: (m) => {
      (ctx(m)['scope'] as Json)['line'] = 3;
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Signataire changé (identifiant)',
    requirements: ['SIG-1'],
    flags: ['SIGNER'],
    tamper: (m) => {
      (ctx(m)['signer'] as Json)['id'] = 'patient-43';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Signataire changé (nom)',
    requirements: ['SIG-1'],
    flags: ['SIGNER'],
    tamper: (m) => {
      (ctx(m)['signer'] as Json)['name'] = 'Jean Dupont';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Rôle changé (insured → director)',
    requirements: ['SIG-1'],
    flags: ['SIGNER'],
    tamper: (m) => {
      ctx(m)['role'] = 'director';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  {
    comment: 'Référence du mandat changée',
    requirements: ['SIG-1'],
    flags: ['MANDATE'],
    request: 'mandate',
    tamper: (m) => {
      (ctx(m)['mandate'] as Json)['reference'] = 'MDT-2026-002';
    },
    result: 'invalid',
    code: MISMATCH,
  },
  // The ink (SIG-2).
  { comment: 'Aucun tracé (strokes vide)', requirements: ['SIG-2'], flags: ['STROKES'], strokes: [], result: 'invalid', code: STROKES_INVALID },
  {
    comment: 'Un tracé sans point',
    requirements: ['SIG-2'],
    flags: ['STROKES'],
    strokes: [{ pointerType: 'pen', points: [] }],
    result: 'invalid',
    code: STROKES_INVALID,
  },
  {
    comment: 'Point hors de l’image (x = 302 sur 300 px)',
    requirements: ['SIG-2'],
    flags: ['STROKES'],
    strokes: [{ pointerType: 'pen', points: [[302, 10, 0]] }],
    result: 'invalid',
    code: STROKES_INVALID,
  },
  {
    comment: 'Le temps recule dans un tracé',
    requirements: ['SIG-2'],
    flags: ['STROKES'],
    strokes: [
      {
        pointerType: 'pen',
        points: [
          [10, 10, 50],
          [20, 20, 40],
        ],
      },
    ],
    result: 'invalid',
    code: STROKES_INVALID,
  },
  {
    comment: 'Le temps recule d’un tracé au suivant',
    requirements: ['SIG-2'],
    flags: ['STROKES'],
    strokes: [
      {
        pointerType: 'pen',
        points: [
          [10, 10, 0],
          [20, 20, 100],
        ],
      },
      { pointerType: 'pen', points: [[30, 30, 90]] },
    ],
    result: 'invalid',
    code: STROKES_INVALID,
  },
  // The image (SIG-2).
  {
    comment: 'PNG d’un octet au-delà de maxImageBytes',
    requirements: ['SIG-2'],
    flags: ['IMAGE'],
    limits: { maxImageBytes: PNG.length - 1 },
    result: 'invalid',
    code: 'ERR_IMAGE_TOO_LARGE',
  },
  { comment: 'Pas un PNG (GIF)', requirements: ['SIG-2'], flags: ['IMAGE'], image: NOT_PNG, strokes: null, result: 'invalid', code: 'ERR_IMAGE_NOT_PNG' },
  {
    comment: 'Image de 10 × 10 px, sous le plus petit côté',
    requirements: ['SIG-2'],
    flags: ['IMAGE'],
    image: makePng(10, 10),
    strokes: null,
    result: 'invalid',
    code: 'ERR_IMAGE_DIMENSIONS',
  },
  {
    comment: 'Image de 4 100 px de large, au-delà du plus grand côté',
    requirements: ['SIG-2'],
    flags: ['IMAGE'],
    image: makePng(4100, 20),
    strokes: null,
    result: 'invalid',
    code: 'ERR_IMAGE_DIMENSIONS',
  },
  // Malformed messages.
  {
    comment: 'base64 non strict : retour à la ligne dans image.data',
    requirements: ['X-2', 'SIG-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      const d = image(m)['data'] as string;
      image(m)['data'] = `${d.slice(0, 40)}\n${d.slice(40)}`;
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'base64 non strict : alphabet base64url',
    requirements: ['X-2', 'SIG-2'],
    flags: ['MALFORMED'],
    image: Uint8Array.of(...PNG, 0xfb, 0xff),
    tamper: (m) => {
      image(m)['data'] = (image(m)['data'] as string).replaceAll('+', '-').replaceAll('/', '_');
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'Champ en trop à la racine du message',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      m['extra'] = true;
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'Champ en trop dans le contexte',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      ctx(m)['extra'] = 'x';
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'Mauvais type de message',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      m['type'] = 's3404.capture-context';
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'Mauvaise version du format',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      m['version'] = '2';
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'capturedAt manquant',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      delete m['capturedAt'];
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'capturedAt sans millisecondes ni Z',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      m['capturedAt'] = '2026-03-20T10:00:05';
    },
    result: 'invalid',
    code: INVALID,
  },
  {
    comment: 'image.mediaType autre que image/png',
    requirements: ['X-2'],
    flags: ['MALFORMED'],
    tamper: (m) => {
      image(m)['mediaType'] = 'image/jpeg';
    },
    result: 'invalid',
    code: INVALID,
  },
];

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'A capture as the tablet sends it for the context it was shown: it must be sealed.' },
  MANDATE: { bugType: 'BASIC', description: 'A line signed by the director on a practitioner’s behalf under a mandate (« Mandat » on the screen, SIG-8).' },
  ACCOUNTING_DAY: { bugType: 'BASIC', description: 'An accounting day validated by the director (SIG-10).' },
  EDGE: { bugType: 'EDGE_CASE', description: 'At a limit that is still allowed: smallest image, exact size limit, just before expiry, a single point.' },
  DISPLAY: { bugType: 'WRONG_BINDING', description: 'The display echoed back differs from the display issued: what was signed is not what was shown.' },
  OTHER_TERMINAL: { bugType: 'WRONG_BINDING', description: 'A terminal sends back the context issued to another terminal.' },
  UNKNOWN_CONTEXT: { bugType: 'FORGERY', description: 'A context the server never issued.' },
  EXPIRED: { bugType: 'POLICY', description: 'A context sealed after its expiry.' },
  REPLAYED: { bugType: 'REPLAY', description: 'A capture sealed a second time: one context yields at most one signature.' },
  CAPTURED_AT: { bugType: 'WRONG_BINDING', description: 'capturedAt outside the window between the context’s issue and expiry.' },
  SCOPE: { bugType: 'WRONG_BINDING', description: 'The scope echoed back differs from the one issued (content, line).' },
  SIGNER: { bugType: 'WRONG_BINDING', description: 'The signer or role echoed back differs from the one issued.' },
  STROKES: { bugType: 'MALFORMED_INPUT', description: 'Pen strokes the server must refuse: none, empty, outside the image, time going backwards.' },
  IMAGE: { bugType: 'MALFORMED_INPUT', description: 'An image the server must refuse: too large, not a PNG, sides out of bounds.' },
  MALFORMED: {
    bugType: 'MALFORMED_INPUT',
    description: 'A message the wire schema refuses: wrong type or version, missing or extra field, non-strict base64.',
  },
};

async function main(): Promise<void> {
  const pki = await seededPki(7, { algorithm: 'ecdsa-p256', now: () => T0 });
  const sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts: new MemoryContextRegistry({ now: () => T0 }),
    authorizer: createRoleAuthorizer({ staff: POLICY.staff as never }),
    mandates: new MemoryMandateRegistry(POLICY.mandates),
    proofAgreements: new MemoryProofAgreementRegistry([]),
    establishment: POLICY.establishment,
    now: () => T0,
    random: seeded(42),
  });
  const groups = new Map<string, Json[]>();
  let tcId = 0;
  for (const c of CASES) {
    tcId++;
    const name = c.request ?? 'bordereau';
    const request = REQUESTS[name] as Request;
    const contextMessage = JSON.parse(JSON.stringify(toContextMessage(await sealer.openContext(request)))) as ContextMessage;
    const strokes = c.strokes === null ? undefined : (c.strokes ?? STROKES);
    const message = JSON.parse(
      JSON.stringify(
        createCaptureMessage(contextMessage, {
          image: c.image ?? PNG,
          capturedAt: new Date(c.capturedAt ?? at(5)),
          ...(strokes === undefined ? {} : { strokes }),
        }),
      ),
    ) as Json;
    c.tamper?.(message);
    const group = c.requirements.includes('X-2')
      ? 'malformed'
      : c.flags.includes('STROKES') || c.flags.includes('IMAGE')
        ? 'ink'
        : c.result === 'valid'
          ? 'valid'
          : 'binding';
    const test = {
      tcId,
      comment: c.comment,
      requirements: c.requirements,
      flags: c.flags,
      input: {
        context: { ...JSON.parse(JSON.stringify(request)), issuedAt: T0.toISOString() },
        policy: POLICY,
        ...(c.limits === undefined ? {} : { limits: c.limits }),
        message,
        useIssuedToken: c.useIssuedToken ?? true,
        terminalId: c.terminalId ?? TERMINAL,
        at: c.at ?? at(10),
        ...(c.replay === undefined ? {} : { replay: c.replay }),
      },
      result: c.result,
      ...(c.code === undefined ? {} : { expected: { code: c.code } }),
    };
    groups.set(group, [...(groups.get(group) ?? []), test]);
  }
  const comments: Record<string, string> = {
    valid: 'Captures a tablet sends back for the context it was shown: sealed.',
    binding: 'Captures that do not match the context issued (display, scope, signer, terminal, token, time) or reuse it: refused.',
    ink: 'Captures whose image or pen strokes the server must refuse.',
    malformed: 'Messages the wire format refuses (closed JSON Schema, strict base64).',
  };
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: 'capture',
    title: 'The capture context and the capture message: what was shown, what comes back (SIG-1, SIG-2, X-2)',
    generator: 'packages/conformance/generate/capture-messages.ts',
    notes: NOTES,
    sources: { 'DOCS-CAPTURE': 'docs/capture.md: the wire format, « How the token ties the capture to what was shown » and the table of error codes.' },
    numberOfTests: tcId,
    testGroups: [...groups].map(([g, tests]) => ({ type: 'capture-seal', comment: comments[g], tests })),
  };
  writeVectorFile('capture', 'messages.json', file);
  const negatives = CASES.filter((c) => c.result === 'invalid').length;
  process.stdout.write(`capture/messages.json: ${CASES.length} vectors, ${negatives} negative\n`);
}

await main();
