import { isS3404Error } from '@s3404/core';
import {
  buildCaptureMessage,
  CAPTURE_ERRORS,
  CaptureError,
  defineSignaturePad,
  SignaturePadElement,
  strokesToInkML,
  toWireStrokes,
  type CapturedStroke,
} from '@s3404/capture';
import { CAPTURE_ERRORS as FROM_ERRORS_ENTRY, CaptureError as ErrorFromEntry } from '@s3404/capture/errors';
import { readCaptureMessage, StrokeSchema } from '@s3404/seal';
import { prng, whitePng } from '@s3404/tooling/test-kit';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { at, contextMessage, randomStrokes, T0 } from './helpers.js';

const IMAGE = { width: 1000, height: 400 };
const png = (w = IMAGE.width, h = IMAGE.height) => new Uint8Array(whitePng(w, h));
const point = (x: number, y: number, t: number, extra: Partial<CapturedStroke['points'][number]> = {}) => ({
  x,
  y,
  t,
  pressure: 0.5,
  tiltX: 0,
  tiltY: 0,
  twist: 0,
  ...extra,
});

/** The code of what `fn` throws; fails the test if it throws anything but a CaptureError. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return (e as CaptureError).code;
  }
  throw new Error('expected a CaptureError');
}

describe('the package imports without a DOM (SSR, Node)', () => {
  it('exports the element class and a define that does nothing without custom elements', () => {
    expect(typeof SignaturePadElement).toBe('function');
    expect(() => defineSignaturePad()).not.toThrow();
    expect(() => defineSignaturePad({ tagName: 'NoHyphen' })).toThrow(TypeError);
    expect(FROM_ERRORS_ENTRY).toBe(CAPTURE_ERRORS);
    expect(ErrorFromEntry).toBe(CaptureError);
  });
});

describe('toWireStrokes: raw strokes to the record schema of @s3404/seal (SIG-2)', () => {
  it('keeps every point, t from the first point, pressure for the pen only, values rounded', () => {
    const strokes: CapturedStroke[] = [
      { pointerType: 'pen', points: [point(10.123456, 20.987654, 5000, { pressure: 0.123456 }), point(11, 21, 5008.25)] },
      { pointerType: 'touch', points: [point(500, 200, 5300.1234567)] },
      { pointerType: 'mouse', points: [point(600, 300, 5400), point(601, 301, 5400)] },
    ];
    expect(toWireStrokes(strokes, { image: IMAGE })).toEqual([
      {
        pointerType: 'pen',
        points: [
          [10.12, 20.99, 0, 0.1235],
          [11, 21, 8.25, 0.5],
        ],
      },
      { pointerType: 'touch', points: [[500, 200, 300.123]] },
      {
        pointerType: 'mouse',
        points: [
          [600, 300, 400],
          [601, 301, 400],
        ],
      },
    ]);
  });

  it('brings points drawn past the edge (pointer captured) back onto the image', () => {
    const strokes: CapturedStroke[] = [{ pointerType: 'mouse', points: [point(-30, 10, 1), point(1200, -4, 2), point(500, 999, 3)] }];
    expect(toWireStrokes(strokes, { image: IMAGE })[0]!.points).toEqual([
      [0, 10, 0],
      [1000, 0, 1],
      [500, 400, 2],
    ]);
  });

  it('refuses strokes the pad cannot have produced with ERR_CAPTURE_STROKES_INVALID', () => {
    const bad: unknown[] = [
      null,
      'strokes',
      [{ pointerType: 'stylus', points: [point(1, 1, 1)] }],
      [{ pointerType: 'pen', points: [] }],
      [{ pointerType: 'pen', points: [point(Number.NaN, 1, 1)] }],
      [{ pointerType: 'pen', points: [point(1, 1, 1, { pressure: 2 })] }],
      [{ pointerType: 'pen', points: [point(1, 1, 1, { tiltX: 91 })] }],
      [{ pointerType: 'pen', points: [point(1, 1, 1, { twist: 360 })] }],
      [{ pointerType: 'pen', points: [point(1, 1, 10), point(2, 2, 9)] }],
      [
        { pointerType: 'pen', points: [point(1, 1, 10)] },
        { pointerType: 'pen', points: [point(1, 1, 9)] },
      ],
      [{ pointerType: 'pen', points: [point(1e7, 1, 1)] }],
    ];
    for (const strokes of bad) expect(codeOf(() => toWireStrokes(strokes as CapturedStroke[], { image: IMAGE }))).toBe('ERR_CAPTURE_STROKES_INVALID');
    expect(() => toWireStrokes([], { image: { width: 0, height: 1 } })).toThrow(TypeError);
  });
});

describe('buildCaptureMessage: what @s3404/seal accepts, or a coded refusal on the tablet', () => {
  const message = contextMessage();
  const strokes = randomStrokes(1);

  it('builds a capture that readCaptureMessage of @s3404/seal accepts, context echoed unchanged', () => {
    const capture = buildCaptureMessage(message, { strokes, image: png() }, { now: () => at(5) });
    expect(capture.type).toBe('s3404.capture');
    expect(capture.context).toEqual(message.context);
    expect(capture.context).not.toBe(message.context);
    expect(capture.capturedAt).toBe(at(5).toISOString());
    const read = readCaptureMessage(JSON.parse(JSON.stringify(capture)), { terminalId: 'tablette-3' });
    expect(read.strokes).toEqual(toWireStrokes(strokes, { image: IMAGE }));
    expect(read.strokes!.reduce((n, s) => n + s.points.length, 0)).toBe(strokes.reduce((n, s) => n + s.points.length, 0));
    expect(Buffer.from(read.image).equals(Buffer.from(png()))).toBe(true);
  });

  it('refuses, with the code the signer can act on', () => {
    const build =
      (m = message, s: readonly CapturedStroke[] = strokes, image = png(), now = at(5)) =>
      () =>
        buildCaptureMessage(m, { strokes: s, image }, { now: () => now });
    const limited = (limits: Partial<ReturnType<typeof contextMessage>['limits']>) => ({ ...message, limits: { ...message.limits, ...limits } });
    expect(codeOf(build(message, []))).toBe('ERR_CAPTURE_EMPTY');
    expect(codeOf(build(limited({ maxPoints: 59 })))).toBe('ERR_CAPTURE_TOO_MANY_POINTS');
    expect(() => build(limited({ maxPoints: 60 }))()).not.toThrow();
    expect(codeOf(build(message, randomStrokes(2, { strokes: 1001, points: 1 })))).toBe('ERR_CAPTURE_TOO_MANY_STROKES');
    expect(codeOf(build(message, randomStrokes(3, { strokes: 1, points: 100_001 })))).toBe('ERR_CAPTURE_TOO_MANY_POINTS');
    const span = strokes.at(-1)!.points.at(-1)!.t - strokes[0]!.points[0]!.t;
    expect(codeOf(build(limited({ maxCaptureMs: Math.floor(span) - 1 })))).toBe('ERR_CAPTURE_TOO_LONG');
    expect(codeOf(build(limited({ maxImageBytes: png().length - 1 })))).toBe('ERR_CAPTURE_IMAGE_TOO_LARGE');
    expect(codeOf(build(message, strokes, png(999, 400)))).toBe('ERR_CAPTURE_IMAGE_INVALID');
    expect(codeOf(build(message, strokes, new Uint8Array(100)))).toBe('ERR_CAPTURE_IMAGE_INVALID');
    expect(codeOf(build(message, strokes, png(), new Date(Date.parse(message.context.token.expiresAt) + 1)))).toBe('ERR_CAPTURE_CONTEXT_EXPIRED');
    expect(() => build(message, strokes, png(), new Date(message.context.token.expiresAt))()).not.toThrow();
    expect(codeOf(build(message, strokes, png(), new Date(T0.getTime() - 1)))).toBe('ERR_CAPTURE_CLOCK_BEHIND');
    const broken = [
      null,
      { ...message, type: 's3404.capture' },
      { ...message, version: '2' },
      { ...message, image: { width: 4097, height: 400 } },
      { ...message, image: { width: 1000.5, height: 400 } },
      { ...message, limits: { ...message.limits, maxPoints: 0 } },
      { ...message, context: { ...message.context, display: { ...message.context.display, timestamp: '' } } },
      { ...message, context: { ...message.context, display: { ...message.context.display, bordereauId: undefined } } },
      { ...message, context: { ...message.context, token: { ...message.context.token, expiresAt: 'demain' } } },
      // Instants of the right shape that are no instant (Date.parse rolls 30 February over to 2 March).
      ...['2026-02-30T10:00:00.000Z', '2026-04-31T10:00:00.000Z', '2026-03-20T24:00:00.000Z', '2026-03-20T10:60:00.000Z'].flatMap((bad) => [
        { ...message, context: { ...message.context, token: { ...message.context.token, issuedAt: bad } } },
        { ...message, context: { ...message.context, token: { ...message.context.token, expiresAt: bad } } },
      ]),
    ];
    for (const m of broken) expect(codeOf(build(m as typeof message))).toBe('ERR_CAPTURE_CONTEXT_INVALID');
    expect(() => buildCaptureMessage(message, { strokes, image: png() }, { now: new Date() as never })).toThrow(TypeError);
  });

  it('words each refusal in French by default and in English on request', () => {
    const empty = () => buildCaptureMessage(message, { strokes: [], image: png() }, { now: () => at(5), locale: 'en' });
    expect(() => empty()).toThrow('Nothing signed: sign inside the frame before confirming.');
    try {
      buildCaptureMessage({ ...message, limits: { ...message.limits, maxPoints: 5 } }, { strokes, image: png() }, { now: () => at(5) });
    } catch (e) {
      expect(isS3404Error(e) && e.kind).toBe('verdict');
      expect((e as CaptureError).message).toBe('Signature trop détaillée : 60 points, au plus 5. Effacez et signez de nouveau.');
      expect((e as CaptureError).messageIn('en')).toBe('Signature too detailed: 60 points, at most 5. Clear and sign again.');
    }
  });
});

describe('CAPTURE_ERRORS: every code in both languages (X-2)', () => {
  it('has a French and an English message for every code, English without French typography', () => {
    const params = { detail: { fr: 'détail', en: 'detail' }, received: 3, limit: 2, expected: '1000×400', expiresAt: 'x', now: 'y', issuedAt: 'z' };
    for (const code of CAPTURE_ERRORS.codes) {
      const fr = CAPTURE_ERRORS.message(code, params, 'fr');
      const en = CAPTURE_ERRORS.message(code, params, 'en');
      expect(fr).not.toBe(en);
      expect(CAPTURE_ERRORS.message(code, params, 'de')).toBe(fr);
      expect(en).not.toMatch(/ [:;!?]|«|»|détail/);
      expect(new CaptureError(code, { params, locale: 'en' }).message).toBe(en);
      expect(['input', 'verdict', 'unavailable', 'internal']).toContain(CAPTURE_ERRORS.kind(code));
    }
  });
});

describe('strokesToInkML: W3C InkML, well-formed, lossless (SIG-2)', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['trace', 'inkSource', 'channel', 'context'].includes(name),
  });

  it('parses back to the same points, channels X Y T F OTx OTy OR', () => {
    const strokes = randomStrokes(5, { strokes: 4, points: 30 });
    const xml = strokesToInkML(strokes, { image: IMAGE, startedAt: T0 });
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.ink['@xmlns']).toBe('http://www.w3.org/2003/InkML');
    const sources = doc.ink.definitions.inkSource;
    const kinds = [...new Set(strokes.map((s) => s.pointerType))];
    expect(sources.map((s: any) => s.srcProperty['@value']).sort()).toEqual(kinds.sort());
    for (const s of sources) {
      expect(s.traceFormat.channel.map((c: any) => c['@name'])).toEqual(['X', 'Y', 'T', 'F', 'OTx', 'OTy', 'OR']);
      expect(s.activeArea).toMatchObject({ '@width': '1000', '@height': '400', '@units': 'px' });
    }
    expect(doc.ink.definitions.timestamp['@timeString']).toBe(T0.toISOString());
    const traces = doc.ink.trace;
    expect(traces).toHaveLength(strokes.length);
    const t0 = strokes[0]!.points[0]!.t;
    traces.forEach((trace: any, i: number) => {
      const stroke = strokes[i]!;
      expect(trace['@contextRef']).toBe(`#ctx-${stroke.pointerType}`);
      const rows = String(trace['#text'])
        .split(',')
        .map((r) => r.trim().split(' ').map(Number));
      expect(rows).toHaveLength(stroke.points.length);
      rows.forEach((row, j) => {
        const p = stroke.points[j]!;
        const expected = [p.x, p.y, p.t - t0, p.pressure, p.tiltX, p.tiltY, p.twist];
        row.forEach((v, k) => {
          expect(Math.abs(v - expected[k]!)).toBeLessThanOrEqual(k === 3 ? 5e-5 : 5e-3);
        });
      });
    });
  });

  it('is well-formed for no strokes, and in English', () => {
    const xml = strokesToInkML([], { image: IMAGE, locale: 'en' });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).ink.trace).toBeUndefined();
    const en = strokesToInkML(randomStrokes(9, { strokes: 1 }), { image: IMAGE, locale: 'en' });
    expect(en).toMatch(/description="(stylus|finger|mouse) \(PointerEvent/);
  });
});

describe('fuzz: seeded random input never throws anything but a CaptureError', () => {
  const message = contextMessage();
  const junk = (r: () => number): unknown => {
    const pick = Math.floor(r() * 12);
    const values = [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1, 1e300, -1e-300, '1', null, undefined, {}, []];
    return values[pick];
  };

  it('valid random strokes are accepted by @s3404/seal; corrupted ones get ERR_CAPTURE_STROKES_INVALID', () => {
    const r = prng(2026);
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const strokes = randomStrokes(round, { strokes: 1 + Math.floor(r() * 4), points: 1 + Math.floor(r() * 40) }) as unknown as Record<string, any>[];
      const corrupt = r() < 0.6;
      if (corrupt) {
        const s = strokes[Math.floor(r() * strokes.length)]!;
        const target = r();
        if (target < 0.2) s['pointerType'] = junk(r);
        else if (target < 0.3) s['points'] = junk(r);
        else {
          const p = s['points'][Math.floor(r() * s['points'].length)];
          const key = ['x', 'y', 't', 'pressure', 'tiltX', 'tiltY', 'twist'][Math.floor(r() * 7)]!;
          p[key] = r() < 0.5 ? junk(r) : p[key] * (r() * 4 - 2);
        }
      }
      for (const op of [
        () => toWireStrokes(strokes as never, { image: IMAGE }),
        () => strokesToInkML(strokes as never, { image: IMAGE }),
        () => buildCaptureMessage(message, { strokes: strokes as never, image: png() }, { now: () => at(5) }),
      ]) {
        let out: unknown;
        try {
          out = op();
        } catch (e) {
          expect(e).toBeInstanceOf(CaptureError);
          refused++;
          continue;
        }
        accepted++;
        if (typeof out === 'string') expect(XMLValidator.validate(out)).toBe(true);
        else if (Array.isArray(out)) for (const s of out) expect(StrokeSchema.safeParse(s).success).toBe(true);
        else expect(() => readCaptureMessage(JSON.parse(JSON.stringify(out)))).not.toThrow();
      }
    }
    // Both paths were taken, many times.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });
});
