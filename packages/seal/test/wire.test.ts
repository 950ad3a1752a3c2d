import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { CoreError, isS3404Error, toBase64, type Locale } from '@s3404/core';
import {
  CAPTURE_MESSAGE_SCHEMA,
  CONTEXT_MESSAGE_SCHEMA,
  createCaptureMessage,
  ERROR_MESSAGE_SCHEMA,
  type CaptureMessage,
  type ContextMessage,
  type WireContext,
  type WireDisplay,
  type WireScope,
  type WireStroke,
} from '@s3404/core/wire';
import { SIGNATURE_IMAGE_LIMITS } from '@s3404/form';
import {
  CAPTURE_LIMITS,
  ContextTokenSchema,
  createCapture,
  readCaptureMessage,
  StrokeSchema,
  toContextMessage,
  toErrorMessage,
  verifyRecord,
  type CaptureContext,
  type CaptureDisplay,
  type Scope,
  type SignatureCapture,
  type Stroke,
} from '@s3404/seal';
import { SEAL_ERRORS, SealError } from '@s3404/seal/errors';
import { at, FINESS, fixture, makePng, prng, RPPS_B, strokes as STROKES, T0, type Fixture } from './helpers.js';

const ajv = new Ajv2020({ strict: true, allErrors: false });
const validContext = ajv.compile(CONTEXT_MESSAGE_SCHEMA);
const validCapture = ajv.compile(CAPTURE_MESSAGE_SCHEMA);
const validError = ajv.compile(ERROR_MESSAGE_SCHEMA);

type Json = Record<string, unknown>;
/** Through JSON text, as the message travels. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function open(f: Fixture, options: { terminalId?: string; signerName?: string; ttlSeconds?: number } = {}): Promise<CaptureContext> {
  return f.sealer.openContext({
    scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash },
    role: 'insured',
    signer: { id: 'patient-1', name: options.signerName ?? 'Jeanne Martin' },
    terminalId: options.terminalId ?? 'tablette-3',
    ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
  });
}

/** What the tablet sends for a context message it received: PNG, strokes, end of the capture 5 s after T0. */
function tablet(message: ContextMessage, captured: { image?: Uint8Array; strokes?: readonly WireStroke[] | null; capturedAt?: Date } = {}): Json {
  const received = wire(message);
  const strokes = captured.strokes === null ? undefined : (captured.strokes ?? STROKES);
  return wire(
    createCaptureMessage(received, {
      image: captured.image ?? makePng(),
      capturedAt: captured.capturedAt ?? at(5),
      ...(strokes === undefined ? {} : { strokes }),
    }),
  ) as unknown as Json;
}

/** The coded error a call throws (it must throw one: a SealError of the catalogue). */
async function refusal(fn: () => unknown): Promise<SealError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SealError);
    expect(SEAL_ERRORS.has((e as SealError).code)).toBe(true);
    return e as SealError;
  }
  throw new Error('expected a refusal');
}

describe('the wire format, end to end: context → tablet → capture → sealed record', () => {
  it('seals what the tablet sends back, and the record verifies', async () => {
    const f = await fixture();
    const ctx = await open(f);
    const contextMessage = wire(toContextMessage(ctx));
    expect(validContext(contextMessage), JSON.stringify(validContext.errors)).toBe(true);
    expect(contextMessage.context.display).toEqual(ctx.display);
    const png = makePng(1000, 400);
    const body = JSON.stringify(createCaptureMessage(contextMessage, { image: png, strokes: STROKES, capturedAt: at(5) }));
    const message = JSON.parse(body) as unknown;
    expect(validCapture(message), JSON.stringify(validCapture.errors)).toBe(true);
    const capture = readCaptureMessage(message, { terminalId: 'tablette-3' });
    expect(capture.display).toEqual(ctx.display);
    expect(capture.image).toEqual(png);
    const sealed = await f.sealer.seal(capture);
    expect(sealed.record.terminal).toEqual({ id: 'tablette-3' });
    expect(sealed.record.context).toEqual(ctx.token);
    expect(sealed.record.image).toMatchObject({ width: 1000, height: 400, data: toBase64(png) });
    expect(sealed.record.strokes).toEqual(STROKES);
    const verdict = await verifyRecord(sealed.bytes, { trustAnchors: [f.pki.ca.certificate], now: () => at(60), expect: { bordereauId: f.bordereauId } });
    expect(verdict).toMatchObject({ ok: true, issues: [] });
  });

  it('carries every kind of context within the schema: a line under a mandate, an accounting day, a 200-character name', async () => {
    const f = await fixture();
    const line = await f.sealer.openContext({
      scope: { kind: 'line', bordereauId: f.bordereauId, contentHash: f.contentHash, line: 2, practitionerRpps: RPPS_B },
      role: 'director',
      signer: { id: 'dir-1', name: 'Directrice' },
      terminalId: 'tablette-3',
      mandate: { reference: 'MDT-2026-001' },
    });
    const day = await f.sealer.openContext({
      scope: { kind: 'accounting-day', finess: FINESS, day: '2026-03-20', bordereaux: { count: 3, digest: 'ab'.repeat(32) } },
      role: 'director',
      signer: { id: 'dir-1', name: 'Directrice' },
      terminalId: 'tablette-3',
    });
    const long = await open(f, { signerName: `${'Jeanne-Marie '.repeat(15)}Martin`.slice(0, 200) });
    expect(long.signer.name).toHaveLength(200);
    for (const ctx of [line, day, long]) {
      const m = wire(toContextMessage(ctx, { locale: 'en' }));
      expect(validContext(m), JSON.stringify(validContext.errors)).toBe(true);
      const capture = readCaptureMessage(tablet(m), { terminalId: 'tablette-3' });
      expect(capture.display).toEqual(ctx.display);
      expect(capture.mandate).toEqual(ctx.mandate);
    }
    expect((await f.sealer.seal(readCaptureMessage(tablet(toContextMessage(line))))).record.mandate).toEqual({ reference: 'MDT-2026-001' });
  });

  it('sends the sealer limits, the image size asked for and the locale', async () => {
    const f = await fixture();
    const ctx = await open(f);
    const m = toContextMessage(ctx);
    expect(m.image).toEqual({ width: 1000, height: 400 });
    expect(m.locale).toBe('fr');
    expect(m.limits).toEqual({
      maxImageBytes: CAPTURE_LIMITS.maxImageBytes,
      minImageSide: CAPTURE_LIMITS.minImageSide,
      maxImageSide: CAPTURE_LIMITS.maxImageSide,
      maxPoints: CAPTURE_LIMITS.maxPoints,
      maxCaptureMs: CAPTURE_LIMITS.maxCaptureMs,
    });
    const custom = toContextMessage(ctx, {
      limits: { maxImageBytes: 65_536, maxImageSide: 800 },
      image: { width: 800, height: 300 },
      locale: 'en-GB' as Locale,
    });
    expect(custom).toMatchObject({ image: { width: 800, height: 300 }, limits: { maxImageBytes: 65_536, maxImageSide: 800 }, locale: 'en' });
    expect(toContextMessage(ctx, { limits: { maxImageSide: 600 } }).image).toEqual({ width: 600, height: 400 });
    expect(toContextMessage(ctx, { locale: 'de' as Locale }).locale).toBe('fr');
    // A copy: changing the message changes nothing of the context the sealer keeps.
    (custom.context.display.lines as string[])[0] = 'x';
    expect(ctx.display.lines[0]).not.toBe('x');
    // Programmer misuse.
    expect(() => toContextMessage(null as unknown as CaptureContext)).toThrow(TypeError);
    expect(() => toContextMessage(ctx, { image: { width: 5000, height: 400 } })).toThrow(TypeError);
    expect(() => toContextMessage(ctx, { image: { width: 1000.5, height: 400 } })).toThrow(TypeError);
    expect(() => toContextMessage(ctx, { limits: { maxImageBytes: 3 * 1024 * 1024 } })).toThrow(TypeError);
  });
});

describe('refusals, with their codes', () => {
  it('no points: an empty strokes list, a stroke without points', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const empty = tablet(m, { strokes: [] });
    expect(validCapture(empty)).toBe(false);
    expect(await refusal(() => readCaptureMessage(empty))).toMatchObject({ code: 'ERR_STROKES_INVALID', kind: 'verdict' });
    const noPoints = tablet(m, { strokes: [{ pointerType: 'pen', points: [] }] });
    expect(validCapture(noPoints)).toBe(false);
    const e = await refusal(() => readCaptureMessage(noPoints, { locale: 'en' }));
    expect(e).toMatchObject({ code: 'ERR_STROKES_INVALID', message: 'Invalid pen strokes (strokes[0]: no points).' });
  });

  it('an image over maxImageBytes, over or under the side limits, or not a PNG', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const png = makePng();
    const big = await refusal(() => readCaptureMessage(tablet(m, { image: png }), { limits: { maxImageBytes: png.length - 1 }, locale: 'en' }));
    expect(big).toMatchObject({ code: 'ERR_IMAGE_TOO_LARGE', params: { limit: png.length - 1 } });
    // Over the widest limit (2 MiB): refused by size before any decoding, and by the schema.
    const huge = tablet(m);
    (huge.image as Json).data = 'A'.repeat(2_796_208);
    expect(validCapture(huge)).toBe(false);
    expect(await refusal(() => readCaptureMessage(huge))).toMatchObject({ code: 'ERR_IMAGE_TOO_LARGE' });
    expect(await refusal(() => readCaptureMessage(tablet(m, { image: makePng(4100, 20) })))).toMatchObject({ code: 'ERR_IMAGE_DIMENSIONS' });
    expect(await refusal(() => readCaptureMessage(tablet(m, { image: makePng(10, 10), strokes: null })))).toMatchObject({ code: 'ERR_IMAGE_DIMENSIONS' });
    const notPng = tablet(m, { image: new TextEncoder().encode('GIF89a, not a PNG at all'), strokes: null });
    expect(validCapture(notPng)).toBe(true); // a JSON Schema cannot see inside the bytes
    expect(await refusal(() => readCaptureMessage(notPng))).toMatchObject({ code: 'ERR_IMAGE_NOT_PNG' });
  });

  it('strokes outside the image or with time going backwards', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const outside = tablet(m, { image: makePng(300, 100), strokes: [{ pointerType: 'pen', points: [[302, 10, 0]] }] });
    expect(validCapture(outside)).toBe(true); // inside the widest image: only the PNG's size says it is outside
    const e = await refusal(() => readCaptureMessage(outside));
    expect(e.code).toBe('ERR_STROKES_INVALID');
    expect(e.message).toContain("hors de l'image");
    const backwards = tablet(m, {
      strokes: [
        {
          pointerType: 'touch',
          points: [
            [10, 10, 0],
            [20, 20, 50],
          ],
        },
        { pointerType: 'touch', points: [[30, 30, 40]] },
      ],
    });
    expect(await refusal(() => readCaptureMessage(backwards, { locale: 'en' }))).toMatchObject({
      code: 'ERR_STROKES_INVALID',
      message: 'Invalid pen strokes (strokes[1].points[0]: time goes backwards).',
    });
    const tooLong = tablet(m, {
      strokes: [
        {
          pointerType: 'pen',
          points: [
            [1, 1, 0],
            [2, 2, CAPTURE_LIMITS.maxCaptureMs + 1],
          ],
        },
      ],
    });
    expect(await refusal(() => readCaptureMessage(tooLong))).toMatchObject({ code: 'ERR_STROKES_INVALID' });
    const many = tablet(m, { strokes: [{ pointerType: 'pen', points: Array.from({ length: 11 }, (_, i) => [1, 1, i] as const) }] });
    expect(await refusal(() => readCaptureMessage(many, { limits: { maxPoints: 10 }, locale: 'en' }))).toMatchObject({
      code: 'ERR_STROKES_INVALID',
      message: 'Invalid pen strokes (more than 10 points).',
    });
  });

  it('a context the server never issued, an expired one, a replayed capture', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const forged = tablet(m);
    ((forged.context as Json).token as Json).nonce = 'NeverIssuedNonce0123456';
    expect(validCapture(forged)).toBe(true);
    expect(await refusal(() => f.sealer.seal(readCaptureMessage(forged)))).toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });

    const body = JSON.stringify(tablet(m));
    await f.sealer.seal(readCaptureMessage(JSON.parse(body), { terminalId: 'tablette-3' }));
    const replay = await refusal(() => f.sealer.seal(readCaptureMessage(JSON.parse(body), { terminalId: 'tablette-3' })));
    expect(replay.code).toBe('ERR_CONTEXT_UNKNOWN');

    const late = toContextMessage(await open(f, { ttlSeconds: 60 }));
    f.clock.now = at(61);
    expect(await refusal(() => f.sealer.seal(readCaptureMessage(tablet(late, { capturedAt: at(30) }))))).toMatchObject({ code: 'ERR_CONTEXT_EXPIRED' });
    f.clock.now = T0;
  });

  it('a display altered on the way: one line changed, the name changed, a line removed', async () => {
    const f = await fixture();
    for (const alter of [
      (d: Json) => ((d.lines as string[])[0] = 'Signature du 01/01/2020 00:00:00'),
      (d: Json) => (d.signerName = 'Jean Martin'),
      (d: Json) => (d.lines as string[]).pop(),
      (d: Json) => delete d.contentHash,
    ]) {
      const m = tablet(toContextMessage(await open(f)));
      alter((m.context as Json).display as Json);
      expect(validCapture(m)).toBe(true);
      const capture = readCaptureMessage(m, { terminalId: 'tablette-3' });
      const e = await refusal(() => f.sealer.seal(capture));
      expect(e).toMatchObject({ code: 'ERR_CONTEXT_MISMATCH', params: { field: 'display' } });
    }
    // The context is single use: the altered capture consumed it; nothing was sealed.
    expect(f.trace.events.filter((e) => e.action === 'signature.sealed')).toEqual([]);
  });

  it('a capture of a context opened for another terminal', async () => {
    const f = await fixture();
    const m = tablet(toContextMessage(await open(f, { terminalId: 'tablette-9' })));
    // Sent by tablette-3 (authenticated as such): refused, whatever terminal the message names.
    expect(await refusal(() => f.sealer.seal(readCaptureMessage(m, { terminalId: 'tablette-3' })))).toMatchObject({
      code: 'ERR_CONTEXT_MISMATCH',
      params: { field: 'terminal' },
    });
    const claimed = tablet(toContextMessage(await open(f, { terminalId: 'tablette-9' })));
    ((claimed.context as Json).terminal as Json).id = 'tablette-3';
    expect(await refusal(() => f.sealer.seal(readCaptureMessage(claimed, { terminalId: 'tablette-3' })))).toMatchObject({
      code: 'ERR_CONTEXT_MISMATCH',
      params: { field: 'terminal' },
    });
  });

  it('malformed messages: wrong type or version, extra or missing field, not an object, loose base64', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const cases: [string, (x: Json) => unknown, string][] = [
      ['type', (x) => (x.type = 's3404.capture-context'), 'type'],
      ['version', (x) => (x.version = '2'), 'version'],
      ['numeric version', (x) => (x.version = 1), 'version'],
      ['extra field', (x) => (x.signature = 'x'), 'signature'],
      ['extra display field', (x) => (((x.context as Json).display as Json).colour = 'red'), 'context.display.colour'],
      ['missing capturedAt', (x) => delete x.capturedAt, 'capturedAt'],
      ['missing display', (x) => delete (x.context as Json).display, 'context.display'],
      ['capturedAt without ms', (x) => (x.capturedAt = '2026-03-20T10:00:05Z'), 'capturedAt'],
      [
        'white space in base64',
        (x) => ((x.image as Json).data = `${((x.image as Json).data as string).slice(0, 8)}\n${((x.image as Json).data as string).slice(8)}`),
        'image.data',
      ],
      ['base64 padding', (x) => ((x.image as Json).data = `${(x.image as Json).data as string}=`), 'image.data'],
      ['media type', (x) => ((x.image as Json).mediaType = 'image/svg+xml'), 'image.mediaType'],
      ['point as text', (x) => (x.strokes = [{ pointerType: 'pen', points: [['1', 2, 3]] }]), 'strokes[0].points[0]'],
    ];
    for (const [name, mutate, path] of cases) {
      const x = tablet(m);
      mutate(x);
      const message = wire(x);
      expect(validCapture(message), name).toBe(false);
      const e = await refusal(() => readCaptureMessage(message));
      expect(e.code, name).toBe('ERR_RECORD_INVALID');
      expect(e.message, name).toContain(path);
      expect(e.issues.map((i) => i.code)).toContain('ERR_RECORD_INVALID');
    }
    for (const value of [null, [], 'capture', 42, true, { type: 's3404.capture' }]) {
      expect((await refusal(() => readCaptureMessage(value))).code).toBe('ERR_RECORD_INVALID');
    }
  });

  it('misuse of readCaptureMessage is a TypeError', async () => {
    const m = tablet(toContextMessage(await open(await fixture())));
    expect(() => readCaptureMessage(m, { terminalId: '' })).toThrow(TypeError);
    expect(() => readCaptureMessage(m, { terminalId: 'x'.repeat(129) })).toThrow(TypeError);
    expect(() => readCaptureMessage(m, { terminalId: 42 as unknown as string })).toThrow(TypeError);
    expect(() => readCaptureMessage(m, { limits: { maxPoints: 0 } })).toThrow(TypeError);
  });
});

describe('the sealer and the display', () => {
  it('createCapture carries the display; a capture without one still seals; a malformed one is refused', async () => {
    const f = await fixture();
    const ctx = await open(f);
    expect(createCapture(ctx, { image: makePng(), capturedAt: at(5) }).display).toBe(ctx.display);
    const { display: _, ...withoutDisplay } = createCapture(ctx, { image: makePng(), capturedAt: at(5) });
    expect((await f.sealer.seal(withoutDisplay)).record.scope.kind).toBe('bordereau');
    const other = await open(f);
    const malformed = {
      ...createCapture(other, { image: makePng(), capturedAt: at(5) }),
      display: { ...other.display, lines: 'x' },
    } as unknown as SignatureCapture;
    expect(await refusal(() => f.sealer.seal(malformed))).toMatchObject({ code: 'ERR_RECORD_INVALID' });
    // Display is compared last: a capture that differs in its terminal AND its display is named by its terminal.
    const both = await open(f);
    const capture = createCapture(both, { image: makePng(), capturedAt: at(5) });
    const altered: SignatureCapture = { ...capture, terminal: { id: 'tablette-9' }, display: { ...both.display, signerName: 'X' } };
    expect(await refusal(() => f.sealer.seal(altered))).toMatchObject({ code: 'ERR_CONTEXT_MISMATCH', params: { field: 'terminal' } });
  });
});

describe('core and seal share one shape', () => {
  it('CaptureDisplay is WireDisplay; Scope, strokes and the context fit the wire types', () => {
    expectTypeOf<CaptureDisplay>().toEqualTypeOf<WireDisplay>();
    expectTypeOf<Scope>().toExtend<WireScope>();
    expectTypeOf<WireScope>().toExtend<Scope>();
    expectTypeOf<Stroke>().toExtend<WireStroke>();
    expectTypeOf<CaptureContext>().toExtend<WireContext>();
    // And at run time, the keys a context's display has are the wire's.
    const keys: (keyof WireDisplay)[] = ['timestamp', 'bordereauId', 'contentHash', 'line', 'accountingDay', 'role', 'signerName', 'mandate', 'lines'];
    const sealKeys: (keyof CaptureDisplay)[] = keys;
    expect(sealKeys).toHaveLength(9);
  });

  it('the JSON Schema bounds are the SDK limits: image, strokes, points, nonce', async () => {
    const props = (s: unknown, path: string): Json => path.split('.').reduce((o, k) => (o as Json)[k] as Json, s as Json);
    expect(props(CAPTURE_MESSAGE_SCHEMA, 'properties.image.properties.data').maxLength).toBe(4 * Math.ceil(SIGNATURE_IMAGE_LIMITS.maxBytes / 3));
    expect(props(CONTEXT_MESSAGE_SCHEMA, 'properties.limits.properties.maxImageBytes').maximum).toBe(SIGNATURE_IMAGE_LIMITS.maxBytes);
    expect(props(CONTEXT_MESSAGE_SCHEMA, 'properties.image.properties.width')).toMatchObject({
      minimum: SIGNATURE_IMAGE_LIMITS.minSide,
      maximum: SIGNATURE_IMAGE_LIMITS.maxSide,
    });
    // At each bound, the record schema of seal and the JSON Schema agree.
    const stroke = (n: number) => ({ pointerType: 'pen', points: Array.from({ length: n }, (_, i) => [1, 1, i]) });
    const pointsSchema = props(CAPTURE_MESSAGE_SCHEMA, 'properties.strokes.items.properties.points');
    expect(pointsSchema.maxItems).toBe(100_000);
    expect(StrokeSchema.safeParse(stroke(100_000)).success).toBe(true);
    expect(StrokeSchema.safeParse(stroke(100_001)).success).toBe(false);
    expect(props(CAPTURE_MESSAGE_SCHEMA, 'properties.strokes').maxItems).toBe(1000);
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const tooMany = tablet(m, { strokes: Array.from({ length: 1001 }, () => ({ pointerType: 'pen', points: [[1, 1, 0]] })) });
    expect(validCapture(tooMany)).toBe(false);
    expect((await refusal(() => readCaptureMessage(tooMany))).code).toBe('ERR_RECORD_INVALID');
    const token = { nonce: '', issuedAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-03-20T10:05:00.000Z' };
    const validToken = ajv.compile({ ...props(CAPTURE_MESSAGE_SCHEMA, 'properties.context.properties.token') });
    for (const n of [21, 22, 64, 65]) {
      const t = { ...token, nonce: 'a'.repeat(n) };
      expect(validToken(t), `nonce of ${n}`).toBe(ContextTokenSchema.safeParse(t).success);
    }
  });
});

describe('readCaptureMessage on hostile input: only SealError, in linear time, never more lenient than the JSON Schema', () => {
  /** Values a mutation puts in place of another. */
  const deep = (depth: number): unknown => {
    let v: unknown = [];
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  const VALUES: (() => unknown)[] = [
    () => null,
    () => true,
    () => 0,
    () => -0,
    () => 1e308,
    () => -1e308,
    () => 0.5,
    () => 2 ** 53 + 2,
    () => -1,
    () => 4097,
    () => 1.0000001,
    () => '',
    () => ' ',
    () => 'x'.repeat(100_000),
    () => 'a\u0000b',
    () => '\ud800',
    () => 'é😀',
    () => '__proto__',
    () => [],
    () => ({}),
    () => [1, 2, 3],
    () => [1, 2, 3, 4, 5],
    () => deep(2000),
    () => JSON.parse('{"__proto__":{"polluted":true}}'),
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => '2026-03-20T10:00:05.000Z',
    () => '2026-13-20T10:00:05.000Z',
    () => 'AbCdEfGhIjKlMnOpQrStUvWx',
    () => 'pen',
    () => 'image/png',
  ];
  const KEYS = ['__proto__', 'constructor', 'prototype', 'extra', 'toString', ''];

  /** Every path of a JSON value, to pick one to mutate. */
  function paths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    out.push(path);
    if (Array.isArray(value)) {
      // Strokes are long: sample their points rather than list them all.
      for (const [i, v] of value.slice(0, 4).entries()) paths(v, [...path, i], out);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) paths(v, [...path, k], out);
    }
    return out;
  }

  function mutate(base: Json, random: () => number): Json {
    const m = wire(base);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const count = 1 + Math.floor(random() * 3);
    for (let n = 0; n < count; n++) {
      const all = paths(m);
      const path = pick(all.slice(1));
      const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Json)[k as string], m) as Json | unknown[];
      const key = path[path.length - 1]!;
      const current = (parent as Json)[key as string];
      const op = random();
      const set = (v: unknown) => Object.defineProperty(parent, key, { value: v, enumerable: true, writable: true, configurable: true });
      if (op < 0.25) set(pick(VALUES)());
      else if (op < 0.35) {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Json)[key as string];
      } else if (op < 0.45 && current !== null && typeof current === 'object' && !Array.isArray(current)) {
        Object.defineProperty(current, pick(KEYS), { value: pick(VALUES)(), enumerable: true, writable: true, configurable: true });
      } else if (op < 0.6 && typeof current === 'number') {
        set(pick([current + 0.5, -current, current * 1e6, current - 1e-9, Math.round(current) + 1, 0, -0]));
      } else if (op < 0.75 && typeof current === 'string') {
        const i = Math.floor(random() * (current.length + 1));
        const edits = [
          current.slice(0, i) + pick(['A', ' ', '=', '\n', '-', '_', 'é', '\u202e', '\u0007', '😀']) + current.slice(i + 1),
          current.slice(0, i),
          current + current.slice(0, 1 + Math.floor(random() * 8)),
          current.toUpperCase(),
        ];
        set(pick(edits));
      } else if (op < 0.85 && Array.isArray(current)) {
        const copyOf = current.length > 0 ? wire(current[Math.floor(random() * current.length)]) : 1;
        set(pick([[...current, copyOf], current.slice(1), [copyOf, ...current], current.slice().reverse()]));
      } else if (op < 0.9) {
        const data = (m.image as Json | null)?.data;
        if (typeof data === 'string' && m.image !== null && typeof m.image === 'object') {
          const i = Math.floor(random() * data.length);
          (m.image as Json).data = data.slice(0, i) + pick(['A', 'B', '/', '+', 'a']) + data.slice(i + 1);
        }
      } else {
        const s = (m.strokes as Json[] | undefined)?.[0] as Json | undefined;
        const points = s?.points as number[][] | undefined;
        if (Array.isArray(points) && Array.isArray(points[0])) {
          points[0] = pick([
            [301, 10, 0],
            [10, 10, -1],
            [10, 10, 999_999_999],
            [10, 10, 0, 1.5],
            [-1, -1, 0, 0],
            [10, 10, 0, -0],
            [1e308, 1, 0],
          ]);
        }
      }
    }
    return wire(m);
  }

  it('2,400 seeded mutations of a valid capture: SealError or a capture, and every message ajv rejects is refused', async () => {
    const f = await fixture();
    const ctx = await open(f);
    const base = tablet(toContextMessage(ctx), { image: makePng(300, 100) });
    expect(validCapture(base)).toBe(true);
    expect(() => readCaptureMessage(base)).not.toThrow();
    const random = prng(17);
    const codes = new Map<string, number>();
    const beyondSchema = new Map<string, number>();
    let slowest = 0;
    let accepted = 0;
    for (let i = 0; i < 2400; i++) {
      const message = mutate(base, random);
      const schemaOk = validCapture(message);
      const start = performance.now();
      let code = 'accepted';
      try {
        readCaptureMessage(message);
        accepted++;
      } catch (e) {
        if (!(e instanceof SealError) || !SEAL_ERRORS.has(e.code)) throw new Error(`mutation ${i}: ${String(e)} for ${JSON.stringify(message).slice(0, 300)}`);
        code = e.code;
        if (schemaOk) {
          // Refused although the JSON Schema accepts it: only what a JSON Schema cannot say.
          const key = e.code === 'ERR_RECORD_INVALID' ? `${e.code} ${e.issues.map((x) => x.path.join('.')).join(',')}` : e.code;
          beyondSchema.set(key, (beyondSchema.get(key) ?? 0) + 1);
        }
      }
      slowest = Math.max(slowest, performance.now() - start);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (!schemaOk) expect(code, `mutation ${i}: ajv rejects it, readCaptureMessage must too`).not.toBe('accepted');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The corpus is varied: accepted messages and several refusal codes.
    expect(accepted).toBeGreaterThan(20);
    for (const code of ['ERR_RECORD_INVALID', 'ERR_IMAGE_NOT_PNG', 'ERR_STROKES_INVALID']) expect(codes.get(code) ?? 0, code).toBeGreaterThan(10);
    // Intentional differences: PNG content, strokes against the PNG's size and the capture's time, check digits,
    // calendar dates, the printed-name policy — documented on CAPTURE_MESSAGE_SCHEMA.
    const allowed =
      /^(ERR_IMAGE_\w+|ERR_STROKES_INVALID|ERR_RECORD_INVALID (context\.(scope\.(bordereauId|practitionerRpps|finess|day)|signer\.(id|name)|token\.(issuedAt|expiresAt)|terminal\.id|mandate\.reference)|capturedAt)(,.*)?)$/;
    for (const key of beyondSchema.keys()) expect(key).toMatch(allowed);
    if (process.env.WIRE_FUZZ_REPORT) console.log({ accepted, codes, beyondSchema, slowest });
    expectWithinBound(slowest, 500, 'the slowest mutated capture', { clock: 'wall' });
  });

  it('deep nesting, huge strings, prototype keys and odd numbers get a SealError quickly', async () => {
    const f = await fixture();
    const base = tablet(toContextMessage(await open(f)));
    const variants: Json[] = [
      { ...base, context: deep(100_000) },
      { ...base, strokes: [{ pointerType: 'pen', points: [deep(100_000)] }] },
      { ...base, extra: deep(100_000) },
      { ...base, capturedAt: 'x'.repeat(20_000_000) },
      { ...base, context: { ...(base.context as Json), signer: { id: 'p', name: 'é'.repeat(10_000_000) } } },
      { ...base, context: { ...(base.context as Json), signer: { id: 'p'.repeat(60_000_000), name: 'P' } } },
      { ...base, context: { ...(base.context as Json), signer: { id: `${'😀'.repeat(15_000_000)}\u0007`, name: 'P' } } },
      { ...base, context: { ...(base.context as Json), terminal: { id: `${'😀'.repeat(15_000_000)}\u0007` } } },
      {
        ...base,
        context: { ...(base.context as Json), display: { ...((base.context as Json).display as Json), lines: Array.from({ length: 2_000_000 }, () => 'x') } },
      },
      // A display line of 15 million surrogate pairs: the length is checked first, the pattern never runs on it
      // (its alternation would fill V8's backtracking stack: a RangeError).
      {
        ...base,
        context: { ...(base.context as Json), display: { ...((base.context as Json).display as Json), lines: [`${'😀'.repeat(15_000_000)}\u0007`] } },
      },
      { ...base, image: { mediaType: 'image/png', data: 'A'.repeat(50_000_000) } },
      JSON.parse(JSON.stringify(base).replace('"type":', '"__proto__":{"type":"x"},"type":')) as Json,
      JSON.parse(JSON.stringify(base).replace('"signer":', '"__proto__":null,"signer":')) as Json,
      {
        ...base,
        strokes: [
          {
            pointerType: 'pen',
            points: [
              [1, 1, 0, -0],
              [1e308, 1, 1],
            ],
          },
        ],
      },
      {
        ...base,
        strokes: [
          {
            pointerType: 'pen',
            points: [
              [1, 1, 0.5],
              [2, 2, 0.25],
            ],
          },
        ],
      }, // time backwards: beyond a JSON Schema
      { ...base, strokes: Array.from({ length: 1_000_000 }, () => ({ pointerType: 'pen', points: [[1, 1, 0]] })) },
      { ...base, strokes: [{ pointerType: 'pen', points: Array.from({ length: 3_000_000 }, () => [1, 1, 0]) }] },
    ];
    for (const [i, v] of variants.entries()) {
      const start = performance.now();
      const e = await refusal(() => readCaptureMessage(v));
      expect(validCapture(v), `variant ${i}`).toBe(i === 14);
      expectWithinBound(performance.now() - start, 1500, `variant ${i} (${e.code})`, { clock: 'wall' });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads the largest capture the limits allow within 2.5 s, the best of three reads', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const strokes: WireStroke[] = Array.from({ length: 1000 }, (_, s) => ({
      pointerType: 'pen' as const,
      points: Array.from({ length: 200 }, (_, i) => [(i % 300) + 0.5, (s % 100) + 0.25, s * 200 + i, 0.5] as const),
    }));
    const message = tablet(m, { image: makePng(300, 100), strokes });
    // The best of three: a loaded machine (the other test files run beside this one) slows one read, not the parse's order.
    let ms = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      const capture = readCaptureMessage(message);
      ms = Math.min(ms, performance.now() - start);
      expect(capture.strokes).toHaveLength(1000);
    }
    expectWithinBound(ms, 2500, 'the largest capture', { clock: 'wall' });
  });
});

describe('toErrorMessage', () => {
  it('gives a SealError its code, kind, message (French by default, English on request) and issues', async () => {
    const e = new SealError('ERR_CONTEXT_MISMATCH', { params: { field: 'display' }, locale: 'en' });
    const fr = toErrorMessage(e);
    expect(fr).toEqual({
      type: 's3404.error',
      version: '1',
      code: 'ERR_CONTEXT_MISMATCH',
      kind: 'verdict',
      message: 'La signature ne correspond pas au contexte affiché : champ display différent.',
    });
    expect(toErrorMessage(e, { locale: 'en' }).message).toBe('The signature does not match the context shown: field display differs.');
    expect(validError(wire(fr))).toBe(true);
    const f = await fixture();
    const m = tablet(toContextMessage(await open(f)));
    delete m.capturedAt;
    (m as Json).extra = 1;
    const invalid = await refusal(() => readCaptureMessage(m, { locale: 'en' }));
    const answer = wire(toErrorMessage(invalid, { locale: 'en' }));
    expect(validError(answer)).toBe(true);
    expect(answer).toMatchObject({ code: 'ERR_RECORD_INVALID', kind: 'verdict', message: expect.stringContaining('capturedAt') });
    expect(answer.issues!.map((i) => i.path)).toEqual(expect.arrayContaining([['capturedAt'], ['extra']]));
    expect(answer.issues).toContainEqual({ code: 'ERR_RECORD_INVALID', path: ['extra'], message: 'Invalid signature record (extra).' });
    // The issues follow the language asked for, whatever the language of the error.
    expect(toErrorMessage(invalid).issues).toContainEqual({
      code: 'ERR_RECORD_INVALID',
      path: ['extra'],
      message: 'Enregistrement de signature invalide (extra).',
    });
  });

  it('leaks nothing of an error that is not coded', () => {
    for (const thrown of [
      new Error('ENOENT /var/lib/s3404/keys/seal.key: secret'),
      new TypeError('x is undefined at line 42'),
      'a string',
      undefined,
      { code: 'ERR_FAKE' },
    ]) {
      for (const locale of ['fr', 'en'] as const) {
        const answer = toErrorMessage(thrown, { locale });
        expect(validError(wire(answer))).toBe(true);
        expect(answer).toMatchObject({ code: 'ERR_INTERNAL', kind: 'internal' });
        expect(answer.message).toBe(SEAL_ERRORS.message('ERR_INTERNAL', {}, locale));
        expect(JSON.stringify(answer)).not.toMatch(/secret|ENOENT|line 42|ERR_FAKE/);
        expect(answer.issues).toBeUndefined();
      }
    }
    expect(toErrorMessage(new Error('x')).message).toMatch(/^Erreur interne/);
    expect(toErrorMessage(new Error('x'), { locale: 'en' }).message).toMatch(/^Internal error/);
  });

  it('answers any coded error of the SDK within the schema, long messages cut', () => {
    const core = new CoreError('ERR_CANONICAL_JSON', { params: { detail: 'x'.repeat(5000) } });
    const answer = toErrorMessage(core, { locale: 'en' });
    expect(isS3404Error(core)).toBe(true);
    expect(answer).toMatchObject({ code: 'ERR_CANONICAL_JSON', kind: core.kind });
    expect(answer.message.length).toBeLessThanOrEqual(2000);
    expect(validError(wire(answer))).toBe(true);
    const many = new SealError('ERR_RECORD_INVALID', {
      issues: Array.from({ length: 150 }, (_, i) => ({ code: 'ERR_RECORD_INVALID', path: ['strokes', i, -1], message: `n°${i}` })),
    });
    const cut = toErrorMessage(many);
    expect(cut.issues).toHaveLength(100);
    expect(cut.issues![0]!.path).toEqual(['strokes', 0, '-1']);
    expect(validError(wire(cut))).toBe(true);
  });
});

describe('messages are French by default and English on request', () => {
  it('for every refusal of readCaptureMessage', async () => {
    const m = tablet(toContextMessage(await open(await fixture())));
    m.version = '9';
    expect((await refusal(() => readCaptureMessage(m))).message).toBe('Enregistrement de signature invalide (version).');
    expect((await refusal(() => readCaptureMessage(m, { locale: 'en' }))).message).toBe('Invalid signature record (version).');
    const unknownLocale = await refusal(() => readCaptureMessage(m, { locale: 'de' as Locale }));
    expect(unknownLocale.message).toMatch(/^Enregistrement/);
    expect(unknownLocale.messageIn('en')).toBe('Invalid signature record (version).');
  });

  it('CAPTURE_MESSAGE_SCHEMA is what the tablet gets told: the capture it builds from a context passes both checks', async () => {
    const f = await fixture();
    const m = toContextMessage(await open(f));
    const message: CaptureMessage = createCaptureMessage(wire(m), { image: makePng(m.image.width, m.image.height), strokes: STROKES, capturedAt: at(5) });
    expect(validCapture(wire(message))).toBe(true);
    expect(readCaptureMessage(wire(message)).image.length).toBeGreaterThan(0);
  });
});
