import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { createBordereauId, fromBase64 } from '@s3404/core';
import {
  CAPTURE_MESSAGE_SCHEMA,
  CONTEXT_MESSAGE_SCHEMA,
  createCaptureMessage,
  ERROR_MESSAGE_SCHEMA,
  WIRE_MESSAGE_TYPES,
  WIRE_VERSION,
  type CaptureMessage,
  type ContextMessage,
  type ErrorMessage,
  type JsonSchema,
  type WireStroke,
} from '@s3404/core/wire';

// A seeded random source, so the bordereau identifier is the same every run.
const seeded = (b: Uint8Array): Uint8Array => b.fill(7);
const BORDEREAU_ID = createBordereauId({ random: seeded });
const HASH = 'ab'.repeat(32);

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validContext = ajv.compile(CONTEXT_MESSAGE_SCHEMA);
const validCapture = ajv.compile(CAPTURE_MESSAGE_SCHEMA);
const validError = ajv.compile(ERROR_MESSAGE_SCHEMA);

function contextMessage(): ContextMessage {
  return {
    type: 's3404.capture-context',
    version: '1',
    context: {
      token: { nonce: 'AbCdEfGhIjKlMnOpQrStUvWx', issuedAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-03-20T10:05:00.000Z' },
      scope: { kind: 'bordereau', bordereauId: BORDEREAU_ID, contentHash: HASH },
      role: 'insured',
      signer: { id: 'patient-1', name: 'Jeanne Martin' },
      terminal: { id: 'tablette-3' },
      display: {
        timestamp: '20/03/2026 11:00:00',
        bordereauId: BORDEREAU_ID,
        contentHash: HASH,
        role: 'Assuré(e)',
        signerName: 'Jeanne Martin',
        lines: ['Signature du 20/03/2026 11:00:00', `Bordereau ${BORDEREAU_ID}`, `Empreinte SHA-256 du contenu : ${HASH}`, 'Assuré(e) : Jeanne Martin'],
      },
    },
    image: { width: 1000, height: 400 },
    limits: { maxImageBytes: 524_288, minImageSide: 16, maxImageSide: 4096, maxPoints: 200_000, maxCaptureMs: 600_000 },
    locale: 'fr',
  };
}

const STROKES: WireStroke[] = [
  {
    pointerType: 'pen',
    points: [
      [10, 10, 0, 0.2],
      [50.5, 30.25, 16, 0.5],
    ],
  },
  { pointerType: 'mouse', points: [[60, 70, 400]] },
];
const PNG_BYTES = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3);

function captureMessage(): CaptureMessage {
  return createCaptureMessage(contextMessage(), { image: PNG_BYTES, strokes: STROKES, capturedAt: new Date('2026-03-20T10:00:05.000Z') });
}

function errorMessage(): ErrorMessage {
  return {
    type: 's3404.error',
    version: '1',
    code: 'ERR_RECORD_INVALID',
    kind: 'verdict',
    message: 'Enregistrement de signature invalide (context.display.lines[2]).',
    issues: [{ code: 'ERR_RECORD_INVALID', path: ['context', 'display', 'lines', 2], message: 'Enregistrement de signature invalide.' }],
  };
}

type Json = Record<string, unknown>;
/** A JSON copy of a message that a mutation may change freely. */
const copy = <T>(value: T): Json => JSON.parse(JSON.stringify(value)) as Json;
const get = (root: Json, path: string): Json => path.split('.').reduce((o, k) => o[k] as Json, root);

describe('the JSON Schemas of the wire format', () => {
  it('are 2020-12 schemas with an $id, bilingual titles, closed objects and bounded strings and arrays', () => {
    for (const [schema, id] of [
      [CONTEXT_MESSAGE_SCHEMA, 'urn:s3404:wire:1:capture-context'],
      [CAPTURE_MESSAGE_SCHEMA, 'urn:s3404:wire:1:capture'],
      [ERROR_MESSAGE_SCHEMA, 'urn:s3404:wire:1:error'],
    ] as const) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(id);
      expect(schema.title).toMatch(/.+ \/ .+/);
      expect(schema.description).toMatch(/.+ \/ .+/);
      const problems: string[] = [];
      const walk = (node: unknown, path: string): void => {
        if (node === null || typeof node !== 'object') return;
        if (Array.isArray(node)) {
          node.forEach((n, i) => {
            walk(n, `${path}/${i}`);
          });
          return;
        }
        const n = node as JsonSchema;
        if (!Object.isFrozen(n)) problems.push(`${path}: not frozen`);
        if (n.type === 'object' && n.additionalProperties !== false) problems.push(`${path}: open object`);
        if (n.type === 'object' && typeof n.title !== 'string') problems.push(`${path}: object without title`);
        if (n.type === 'string' && typeof n.maxLength !== 'number') problems.push(`${path}: unbounded string`);
        if (n.type === 'array' && typeof n.maxItems !== 'number') problems.push(`${path}: unbounded array`);
        for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
      };
      walk(schema, '#');
      expect(problems).toEqual([]);
    }
  });

  it('carry the wire version and the message types', () => {
    expect(WIRE_VERSION).toBe('1');
    const props = (s: JsonSchema) => s.properties as Record<'type' | 'version', { const: string }>;
    expect(props(CONTEXT_MESSAGE_SCHEMA).type.const).toBe(WIRE_MESSAGE_TYPES.context);
    expect(props(CAPTURE_MESSAGE_SCHEMA).type.const).toBe(WIRE_MESSAGE_TYPES.capture);
    expect(props(ERROR_MESSAGE_SCHEMA).type.const).toBe(WIRE_MESSAGE_TYPES.error);
    for (const s of [CONTEXT_MESSAGE_SCHEMA, CAPTURE_MESSAGE_SCHEMA, ERROR_MESSAGE_SCHEMA]) expect(props(s).version.const).toBe(WIRE_VERSION);
  });

  it('cannot be changed by a caller', () => {
    expect(() => {
      (CAPTURE_MESSAGE_SCHEMA as Record<string, unknown>).additionalProperties = true;
    }).toThrow(TypeError);
    expect(CAPTURE_MESSAGE_SCHEMA.additionalProperties).toBe(false);
  });
});

describe('valid messages', () => {
  it('a context message for a bordereau, a line under a mandate and an accounting day', () => {
    expect(validContext(contextMessage()), JSON.stringify(validContext.errors)).toBe(true);
    const line = copy(contextMessage());
    const ctx = line.context as Json;
    ctx.scope = { kind: 'line', bordereauId: BORDEREAU_ID, contentHash: HASH, line: 2, practitionerRpps: '10001234565' };
    ctx.role = 'delegate';
    ctx.mandate = { reference: 'MDT-2026-001' };
    Object.assign(ctx.display as Json, { line: 2, mandate: 'Mandat' });
    expect(validContext(line), JSON.stringify(validContext.errors)).toBe(true);
    const day = copy(contextMessage());
    const dctx = day.context as Json;
    dctx.scope = { kind: 'accounting-day', finess: '750300360', day: '2026-03-20', bordereaux: { count: 3, digest: HASH } };
    dctx.role = 'director';
    dctx.display = { timestamp: '20/03/2026 11:00:00', accountingDay: '20/03/2026 journée comptable', role: 'Directeur', signerName: 'Dr A', lines: ['x'] };
    expect(validContext(day), JSON.stringify(validContext.errors)).toBe(true);
    // A character outside the BMP (a surrogate pair) is text, not a lone surrogate.
    const astral = copy(contextMessage());
    get(astral, 'context.display').signerName = 'Jeanne 𝒥';
    expect(validContext(astral)).toBe(true);
  });

  it('a capture message, with and without strokes, and an error message with and without issues', () => {
    expect(validCapture(captureMessage()), JSON.stringify(validCapture.errors)).toBe(true);
    const bare = createCaptureMessage(contextMessage(), { image: PNG_BYTES, capturedAt: new Date('2026-03-20T10:00:05Z') });
    expect('strokes' in bare).toBe(false);
    expect(validCapture(bare), JSON.stringify(validCapture.errors)).toBe(true);
    expect(validError(errorMessage()), JSON.stringify(validError.errors)).toBe(true);
    const { issues: _, ...plain } = errorMessage();
    expect(validError(plain)).toBe(true);
  });

  it('base64 of every length and the largest image the SDK accepts (2 MiB)', () => {
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const m = createCaptureMessage(contextMessage(), { image: new Uint8Array(n).fill(0xfb), capturedAt: new Date(0) });
      expect(validCapture(m), `${n} bytes`).toBe(true);
    }
    const big = createCaptureMessage(contextMessage(), { image: new Uint8Array(2 * 1024 * 1024).fill(0xff), capturedAt: new Date(0) });
    expect(big.image.data.length).toBe(2_796_204);
    expect(validCapture(big)).toBe(true);
  });
});

/** One mutation per field and bound; each must make the message invalid. */
const CONTEXT_FIELDS: [string, (m: Json) => void][] = [
  ['type', (m) => (m.type = 's3404.capture')],
  ['version', (m) => (m.version = '2')],
  ['extra field', (m) => (m.extra = 1)],
  ['missing locale', (m) => delete m.locale],
  ['locale', (m) => (m.locale = 'de')],
  ['missing context', (m) => delete m.context],
  ['nonce too short', (m) => (get(m, 'context.token').nonce = 'abc')],
  ['nonce alphabet', (m) => (get(m, 'context.token').nonce = 'AbCdEfGhIjKlMnOpQrStUv+/')],
  ['nonce too long', (m) => (get(m, 'context.token').nonce = 'a'.repeat(65))],
  ['issuedAt without ms', (m) => (get(m, 'context.token').issuedAt = '2026-03-20T10:00:00Z')],
  ['expiresAt with offset', (m) => (get(m, 'context.token').expiresAt = '2026-03-20T10:00:00.000+01:00')],
  ['token extra', (m) => (get(m, 'context.token').x = 1)],
  ['scope kind', (m) => (get(m, 'context.scope').kind = 'page')],
  ['scope extra', (m) => (get(m, 'context.scope').line = 2)],
  ['bordereauId', (m) => (get(m, 'context.scope').bordereauId = 'ABC')],
  ['contentHash upper case', (m) => (get(m, 'context.scope').contentHash = HASH.toUpperCase())],
  ['contentHash short', (m) => (get(m, 'context.scope').contentHash = HASH.slice(1))],
  ['line 0', (m) => (get(m, 'context').scope = { kind: 'line', bordereauId: BORDEREAU_ID, contentHash: HASH, line: 0, practitionerRpps: '10001234565' })],
  [
    'line 10000',
    (m) => (get(m, 'context').scope = { kind: 'line', bordereauId: BORDEREAU_ID, contentHash: HASH, line: 10000, practitionerRpps: '10001234565' }),
  ],
  ['line 1.5', (m) => (get(m, 'context').scope = { kind: 'line', bordereauId: BORDEREAU_ID, contentHash: HASH, line: 1.5, practitionerRpps: '10001234565' })],
  ['rpps length', (m) => (get(m, 'context').scope = { kind: 'line', bordereauId: BORDEREAU_ID, contentHash: HASH, line: 1, practitionerRpps: '1000123456' })],
  ['finess', (m) => (get(m, 'context').scope = { kind: 'accounting-day', finess: '7503003X0', day: '2026-03-20', bordereaux: { count: 1, digest: HASH } })],
  ['day', (m) => (get(m, 'context').scope = { kind: 'accounting-day', finess: '750300360', day: '20/03/2026', bordereaux: { count: 1, digest: HASH } })],
  [
    'bordereaux count',
    (m) => (get(m, 'context').scope = { kind: 'accounting-day', finess: '750300360', day: '2026-03-20', bordereaux: { count: 0, digest: HASH } }),
  ],
  ['role', (m) => (get(m, 'context').role = 'admin')],
  ['signer id empty', (m) => (get(m, 'context.signer').id = '')],
  ['signer id 129', (m) => (get(m, 'context.signer').id = 'x'.repeat(129))],
  ['signer id control', (m) => (get(m, 'context.signer').id = 'a\u0007b')],
  ['signer name 201', (m) => (get(m, 'context.signer').name = 'x'.repeat(201))],
  ['signer name lone surrogate', (m) => (get(m, 'context.signer').name = 'Jeanne \ud800')],
  ['signer rpps', (m) => (get(m, 'context.signer').rpps = 'ABCDEFGHIJK')],
  ['signer extra', (m) => (get(m, 'context.signer').nir = '1')],
  ['terminal missing', (m) => delete get(m, 'context').terminal],
  ['terminal id 129', (m) => (get(m, 'context.terminal').id = 'x'.repeat(129))],
  ['mandate reference 65', (m) => (get(m, 'context').mandate = { reference: 'x'.repeat(65) })],
  ['display missing', (m) => delete get(m, 'context').display],
  ['display timestamp', (m) => (get(m, 'context.display').timestamp = '2026-03-20 11:00:00')],
  ['display signerName missing', (m) => delete get(m, 'context.display').signerName],
  ['display extra', (m) => (get(m, 'context.display').note = 'x')],
  ['display role 65', (m) => (get(m, 'context.display').role = 'x'.repeat(65))],
  ['display line 0', (m) => (get(m, 'context.display').line = 0)],
  ['display no lines', (m) => (get(m, 'context.display').lines = [])],
  ['display 17 lines', (m) => (get(m, 'context.display').lines = Array.from({ length: 17 }, () => 'x'))],
  ['display line 513', (m) => (get(m, 'context.display').lines = ['x'.repeat(513)])],
  ['display line control', (m) => (get(m, 'context.display').lines = ['a\u001bb'])],
  ['display line separator', (m) => (get(m, 'context.display').lines = ['a\u2028b'])],
  ['display line not a string', (m) => (get(m, 'context.display').lines = [1])],
];

const CONTEXT_ONLY: [string, (m: Json) => void][] = [
  ['image width 7', (m) => (get(m, 'image').width = 7)],
  ['image height 4097', (m) => (get(m, 'image').height = 4097)],
  ['image width 1000.5', (m) => (get(m, 'image').width = 1000.5)],
  ['image extra', (m) => (get(m, 'image').dpi = 2)],
  ['maxImageBytes over 2 MiB', (m) => (get(m, 'limits').maxImageBytes = 2 * 1024 * 1024 + 1)],
  ['minImageSide 0', (m) => (get(m, 'limits').minImageSide = 0)],
  ['maxPoints 0', (m) => (get(m, 'limits').maxPoints = 0)],
  ['maxCaptureMs 1.5', (m) => (get(m, 'limits').maxCaptureMs = 1.5)],
  ['limits missing one', (m) => delete get(m, 'limits').maxPoints],
  ['limits extra', (m) => (get(m, 'limits').maxSealedBytes = 1)],
];

const CAPTURE_ONLY: [string, (m: Json) => void][] = [
  ['missing capturedAt', (m) => delete m.capturedAt],
  ['capturedAt without ms', (m) => (m.capturedAt = '2026-03-20T10:00:05Z')],
  ['mediaType', (m) => (get(m, 'image').mediaType = 'image/jpeg')],
  ['image extra', (m) => (get(m, 'image').width = 300)],
  ['data empty', (m) => (get(m, 'image').data = '')],
  ['data white space', (m) => (get(m, 'image').data = 'iVBO Rw0K')],
  ['data line break', (m) => (get(m, 'image').data = 'iVBO\nRw0K')],
  ['data without padding', (m) => (get(m, 'image').data = 'AAE')],
  ['data extra padding', (m) => (get(m, 'image').data = 'AAE==')],
  ['data non-zero unused bits', (m) => (get(m, 'image').data = 'AB==')],
  ['data url alphabet', (m) => (get(m, 'image').data = 'ab-_')],
  ['data over 2 MiB', (m) => (get(m, 'image').data = 'A'.repeat(2_796_208))],
  ['strokes empty', (m) => (m.strokes = [])],
  ['1001 strokes', (m) => (m.strokes = Array.from({ length: 1001 }, () => ({ pointerType: 'pen', points: [[1, 1, 0]] })))],
  ['stroke no points', (m) => (m.strokes = [{ pointerType: 'pen', points: [] }])],
  ['100001 points', (m) => (m.strokes = [{ pointerType: 'pen', points: Array.from({ length: 100_001 }, (_, i) => [1, 1, i]) }])],
  ['point of 2 numbers', (m) => (m.strokes = [{ pointerType: 'pen', points: [[1, 1]] }])],
  ['point of 5 numbers', (m) => (m.strokes = [{ pointerType: 'pen', points: [[1, 1, 0, 0.5, 1]] }])],
  ['point as string', (m) => (m.strokes = [{ pointerType: 'pen', points: [['1', 1, 0]] }])],
  ['pressure 1.5', (m) => (m.strokes = [{ pointerType: 'pen', points: [[1, 1, 0, 1.5]] }])],
  ['x -2', (m) => (m.strokes = [{ pointerType: 'pen', points: [[-2, 1, 0]] }])],
  ['y 4098', (m) => (m.strokes = [{ pointerType: 'pen', points: [[1, 4098, 0]] }])],
  ['t -1', (m) => (m.strokes = [{ pointerType: 'pen', points: [[1, 1, -1]] }])],
  ['pointerType', (m) => (m.strokes = [{ pointerType: 'stylus', points: [[1, 1, 0]] }])],
  ['stroke extra', (m) => (m.strokes = [{ pointerType: 'pen', points: [[1, 1, 0]], tilt: 3 }])],
];

const ERROR_FIELDS: [string, (m: Json) => void][] = [
  ['type', (m) => (m.type = 's3404.capture')],
  ['version', (m) => (m.version = 1)],
  ['extra', (m) => (m.stack = 'at …')],
  ['code lower case', (m) => (m.code = 'err_x')],
  ['code 65', (m) => (m.code = `ERR_${'X'.repeat(61)}`)],
  ['kind', (m) => (m.kind = 'fatal')],
  ['message empty', (m) => (m.message = '')],
  ['message 2001', (m) => (m.message = 'x'.repeat(2001))],
  ['101 issues', (m) => (m.issues = Array.from({ length: 101 }, () => ({ code: 'ERR_X', path: [], message: 'x' })))],
  ['issue path -1', (m) => (m.issues = [{ code: 'ERR_X', path: [-1], message: 'x' }])],
  ['issue path object', (m) => (m.issues = [{ code: 'ERR_X', path: [{}], message: 'x' }])],
  ['issue extra', (m) => (m.issues = [{ code: 'ERR_X', path: [], message: 'x', params: {} }])],
  ['issue missing message', (m) => (m.issues = [{ code: 'ERR_X', path: [] }])],
];

describe('invalid messages: one per field and bound', () => {
  it.each(CONTEXT_FIELDS.concat(CONTEXT_ONLY))('context message: %s', (_, mutate) => {
    const m = copy(contextMessage());
    mutate(m);
    expect(validContext(m)).toBe(false);
  });

  it.each(CONTEXT_FIELDS.filter(([name]) => !/^(type|version|missing locale|locale)$/.test(name)).concat(CAPTURE_ONLY))('capture message: %s', (_, mutate) => {
    const m = copy(captureMessage());
    mutate(m);
    expect(validCapture(m)).toBe(false);
  });

  it.each(ERROR_FIELDS)('error message: %s', (_, mutate) => {
    const m = copy(errorMessage());
    mutate(m);
    expect(validError(m)).toBe(false);
  });

  it('a capture message of the wrong type or version, or a context message for a capture', () => {
    expect(validCapture({ ...copy(captureMessage()), type: 's3404.capture-context' })).toBe(false);
    expect(validCapture({ ...copy(captureMessage()), version: '2' })).toBe(false);
    expect(validCapture(copy(contextMessage()))).toBe(false);
    expect(validContext(copy(captureMessage()))).toBe(false);
  });

  it('checks the largest base64 text in linear time', () => {
    const m = copy(captureMessage());
    get(m, 'image').data = `${'A'.repeat(2_796_200)}AB=!`;
    const start = performance.now();
    expect(validCapture(m)).toBe(false);
    expectWithinBound(performance.now() - start, 2000, 'the largest base64 text', { clock: 'wall' });
  });
});

describe('createCaptureMessage', () => {
  it('echoes the context, encodes the PNG in base64, copies the strokes, and round-trips through JSON', () => {
    const ctx = contextMessage();
    const strokes = JSON.parse(JSON.stringify(STROKES)) as WireStroke[];
    const m = createCaptureMessage(ctx, { image: PNG_BYTES, strokes, capturedAt: new Date('2026-03-20T10:00:05.123Z') });
    expect(m.type).toBe('s3404.capture');
    expect(m.version).toBe(WIRE_VERSION);
    expect(m.context).toEqual(ctx.context);
    expect(m.context).not.toBe(ctx.context);
    expect(m.context.display.lines).not.toBe(ctx.context.display.lines);
    expect(m.capturedAt).toBe('2026-03-20T10:00:05.123Z');
    expect(m.image.mediaType).toBe('image/png');
    expect(fromBase64(m.image.data)).toEqual(PNG_BYTES);
    expect(m.strokes).toEqual(STROKES);
    // A copy: what the pad does with its strokes afterwards does not change the message.
    (strokes[0]!.points[0] as unknown as number[])[0] = 999;
    expect(m.strokes![0]!.points[0]![0]).toBe(10);
    const back = JSON.parse(JSON.stringify(m)) as CaptureMessage;
    expect(back).toEqual(m);
    expect(validCapture(back)).toBe(true);
  });

  it('copies a context read from JSON key by key, `__proto__` included, without touching any prototype', () => {
    const ctx = JSON.parse(JSON.stringify(contextMessage()).replace('"token":', '"__proto__":{"polluted":true},"token":')) as ContextMessage;
    const m = createCaptureMessage(ctx, { image: PNG_BYTES, capturedAt: new Date(0) });
    expect(Object.hasOwn(m.context, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(m.context)).toBe(Object.prototype);
    expect(validCapture(JSON.parse(JSON.stringify(m)))).toBe(false); // an extra key: the server refuses it
  });

  it('throws TypeError only for programmer misuse', () => {
    const ctx = contextMessage();
    const at = new Date(0);
    const call = (c: unknown, captured: unknown) => () => createCaptureMessage(c as ContextMessage, captured as Parameters<typeof createCaptureMessage>[1]);
    expect(call(null, { image: PNG_BYTES, capturedAt: at })).toThrow(TypeError);
    expect(call(captureMessage(), { image: PNG_BYTES, capturedAt: at })).toThrow(TypeError);
    expect(call(ctx, null)).toThrow(TypeError);
    expect(call(ctx, { image: [1, 2, 3], capturedAt: at })).toThrow(TypeError);
    expect(call(ctx, { image: PNG_BYTES, capturedAt: '2026-03-20T10:00:05Z' })).toThrow(TypeError);
    expect(call(ctx, { image: PNG_BYTES, capturedAt: new Date(Number.NaN) })).toThrow(TypeError);
    expect(call(ctx, { image: PNG_BYTES, capturedAt: at, strokes: 'x' })).toThrow(TypeError);
    expect(call(ctx, { image: PNG_BYTES, capturedAt: at, strokes: [{ pointerType: 'pen' }] })).toThrow(TypeError);
    expect(call(ctx, { image: PNG_BYTES, capturedAt: at, strokes: [{ pointerType: 'pen', points: [7] }] })).toThrow(TypeError);
    // Data the server judges is not misuse: no points, an empty image — built as given.
    expect(createCaptureMessage(ctx, { image: new Uint8Array(0), capturedAt: at, strokes: [] }).strokes).toEqual([]);
  });
});
