import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableContextManager, sumOf as sum, telemetry } from '@s3404/tooling/otel-kit';
import { CoreError, RecordingTraceSink, type TraceEvent } from '@s3404/core';
import {
  createOtelTraceSink,
  instrumentAuditStore,
  instrumentFunction,
  instrumentOperations,
  observeLotStates,
  OTEL_ATTRIBUTES,
  OTEL_METRICS,
} from '@s3404/core/otel';

const ROOT = new URL('../../../', import.meta.url).pathname;
/** A NIR (13 digits and its 2-digit key) or any run of 13 digits. */
const NIR = /[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}|\d{13}/;
const A_NIR = '185057800608436';

const actor = { personId: 'p-1', role: 'insured', terminalId: 'tablette-1' };
const event = (action: string, extra: Partial<TraceEvent> = {}): TraceEvent => ({
  action,
  at: '2026-03-20T10:00:00.000Z',
  actor,
  subject: { bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H' },
  outcome: 'success',
  ...extra,
});

let disableContext = (): void => {};
beforeAll(() => {
  disableContext = enableContextManager();
});
afterAll(() => disableContext());

describe('observeLotStates (SCOR-3, X-1)', () => {
  it('reports the lots per state as the store counts them at each collection, 0 for a state emptied, no new value when the count fails', async () => {
    const t = telemetry();
    let counts: Record<string, number> | Error = { sent: 3, retrying: 1 };
    const stop = observeLotStates({ meter: t.meter, read: async () => (counts instanceof Error ? Promise.reject(counts) : counts) });
    const gauge = async () =>
      Object.fromEntries((await t.points()).filter((p) => p.name === OTEL_METRICS.lots).map((p) => [p.attributes[OTEL_ATTRIBUTES.lotState], p.value]));
    expect(await gauge()).toEqual({ sent: 3, retrying: 1 });
    counts = { sent: 2, 'arl-positive': 1, [`LOT-${A_NIR}`]: 7 };
    expect(await gauge()).toEqual({ sent: 2, retrying: 0, 'arl-positive': 1, other: 7 });
    // A count that fails observes nothing: the collection goes on, the gauge keeps what it last read.
    counts = new Error('store down');
    expect(await gauge()).toEqual({ sent: 2, retrying: 0, 'arl-positive': 1, other: 7 });
    stop();
    counts = { sent: 9 };
    expect((await gauge())['sent']).not.toBe(9);
  });

  it('refuses a meter without observable gauges or a read that is no function (TypeError)', () => {
    const t = telemetry();
    const bare = {
      createCounter: t.meter.createCounter.bind(t.meter),
      createUpDownCounter: t.meter.createUpDownCounter.bind(t.meter),
      createHistogram: t.meter.createHistogram.bind(t.meter),
    };
    expect(() => observeLotStates({ meter: bare, read: async () => ({}) })).toThrow(TypeError);
    expect(() => observeLotStates({ meter: t.meter, read: 'store' as never })).toThrow(TypeError);
  });
});

describe('createOtelTraceSink (AUD-1, X-1)', () => {
  it('counts consumes, refusals by code and lot transitions, and passes every event on unchanged', async () => {
    const t = telemetry();
    const next = new RecordingTraceSink();
    const sink = createOtelTraceSink({ meter: t.meter, tracer: t.tracer, next });
    const sent = [
      event('signature.sealed'),
      event('signature.consumed'),
      event('signature.consumed', { actor: { ...actor, role: 'director' } }),
      event('signature.refused', { outcome: 'refused', code: 'ERR_RECORD_REPLAYED' }),
      event('signature.refused', { outcome: 'refused', code: 'ERR_RECORD_REPLAYED' }),
      event('signature.refused', { outcome: 'refused', code: 'ERR_WRONG_BORDEREAU' }),
      event('lot.built', { subject: { lotId: 'L1', finess: '750300360' }, reason: '∅ → built', count: 2 }),
      event('lot.sent', { subject: { lotId: 'L1', finess: '750300360' }, reason: 'built → sent, tentative 1 (msg-1)' }),
      event('lot.sent', { subject: { lotId: 'L1', finess: '750300360' }, outcome: 'failure', code: 'ERR_LOT_TRANSPORT', reason: 'sent → retrying' }),
    ];
    for (const e of sent) await sink.record(e);
    expect(next.events).toEqual(sent);
    const points = await t.points();
    expect(sum(points, OTEL_METRICS.events)).toBe(sent.length);
    expect(sum(points, OTEL_METRICS.consumes)).toBe(2);
    expect(sum(points, OTEL_METRICS.refusals, { [OTEL_ATTRIBUTES.errorCode]: 'ERR_RECORD_REPLAYED' })).toBe(2);
    expect(sum(points, OTEL_METRICS.refusals, { [OTEL_ATTRIBUTES.errorCode]: 'ERR_WRONG_BORDEREAU' })).toBe(1);
    expect(sum(points, OTEL_METRICS.failures, { [OTEL_ATTRIBUTES.errorCode]: 'ERR_LOT_TRANSPORT' })).toBe(1);
    expect(sum(points, OTEL_METRICS.lotTransitions)).toBe(3);
    expect(sum(points, OTEL_METRICS.lotTransitions, { [OTEL_ATTRIBUTES.lotFrom]: 'none', [OTEL_ATTRIBUTES.lotTo]: 'built' })).toBe(1);
    // One lot went built → sent → retrying: it is in `retrying` now, no longer in the others.
    expect(sum(points, OTEL_METRICS.lotState, { [OTEL_ATTRIBUTES.lotState]: 'retrying' })).toBe(1);
    expect(sum(points, OTEL_METRICS.lotState, { [OTEL_ATTRIBUTES.lotState]: 'built' })).toBe(0);
    expect(sum(points, OTEL_METRICS.lotState, { [OTEL_ATTRIBUTES.lotState]: 'sent' })).toBe(0);
    const spans = t.spans.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(sent.map((e) => `s3404.${e.action}`));
    expect(spans.filter((s) => s.status.code === 2).length).toBe(4);
  });

  it('puts no NIR, identifier, reason or message in any attribute or name, whatever the events carry', async () => {
    const t = telemetry();
    const sink = createOtelTraceSink({ meter: t.meter, tracer: t.tracer });
    const hostile: TraceEvent[] = [
      event('signature.refused', {
        actor: { personId: A_NIR, role: `insured ${A_NIR}`, terminalId: A_NIR },
        subject: { bordereauId: A_NIR, recordId: A_NIR, day: A_NIR, finess: A_NIR, lotId: A_NIR, contextNonce: A_NIR },
        outcome: 'refused',
        code: `ERR_X ${A_NIR}`,
        reason: `refusé pour ${A_NIR}`,
      }),
      event(`signature.${A_NIR}`, { outcome: 'failure', code: `ERR_${A_NIR}_X` }),
      event('signature.refused', { outcome: 'refused', code: `ERR_X${A_NIR}` }),
      event('lot.sent', { reason: `built → ${A_NIR}`, subject: { lotId: A_NIR } }),
      event('signature.consumed', { actor: { personId: '1 85 05 78 006 084 36', role: 'insured', terminalId: '1 85 05 78 006 084 36' } }),
      event('authorization.denied', { outcome: 'refused', reason: `NIR 2 55 08 14 168 025 38` }),
    ];
    for (const e of hostile) await sink.record(e);
    const points = await t.points();
    expect(points.length).toBeGreaterThan(3);
    const values = [
      ...points.flatMap((p) => [p.name, ...Object.values(p.attributes).map(String)]),
      ...t.spans.getFinishedSpans().flatMap((s) => [s.name, ...Object.values(s.attributes).map(String), ...s.events.map((e) => e.name)]),
    ];
    expect(values.length).toBeGreaterThan(20);
    for (const v of values) expect(v).not.toMatch(NIR);
    // What was not a token became `other`, not dropped silently.
    expect(sum(points, OTEL_METRICS.refusals, { [OTEL_ATTRIBUTES.errorCode]: 'other' })).toBe(2);
    expect(sum(points, OTEL_METRICS.failures, { [OTEL_ATTRIBUTES.errorCode]: 'other' })).toBe(1);
    expect(sum(points, OTEL_METRICS.events, { [OTEL_ATTRIBUTES.action]: 'other' })).toBe(1);
  });

  it('costs nothing when not configured: the next sink itself, or a sink that does nothing', async () => {
    const next = new RecordingTraceSink();
    expect(createOtelTraceSink({ next })).toBe(next);
    await expect(Promise.resolve(createOtelTraceSink().record(event('signature.sealed')))).resolves.toBeUndefined();
  });

  it('still fails the action when the next sink fails, and never fails it for telemetry', async () => {
    const t = telemetry();
    const failing = { record: async () => Promise.reject(new CoreError('ERR_LOCK_TIMEOUT', {})) };
    await expect(createOtelTraceSink({ meter: t.meter, next: failing }).record(event('signature.sealed'))).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    const broken = {
      createCounter: () => ({
        add: () => {
          throw new Error('exporter down');
        },
      }),
      createUpDownCounter: () => ({ add: () => undefined }),
      createHistogram: () => ({}),
    };
    const next = new RecordingTraceSink();
    await createOtelTraceSink({ meter: broken as any, next }).record(event('signature.sealed'));
    expect(next.events).toHaveLength(1);
  });

  it('refuses what is not a meter, a tracer or a sink (TypeError, programmer misuse)', () => {
    const bad = (o: any) => () => createOtelTraceSink(o);
    expect(bad({ meter: {} })).toThrow(TypeError);
    expect(bad({ tracer: 42 })).toThrow(TypeError);
    expect(bad({ meter: telemetry().meter, next: {} })).toThrow(TypeError);
    expect(bad(null)).toThrow(TypeError);
  });
});

describe('instrumentOperations / instrumentFunction (X-1)', () => {
  class Service {
    readonly #calls: string[] = [];
    constructor(private readonly trace: { record(e: TraceEvent): unknown }) {}
    async consume(id: string): Promise<{ status: string; id: string }> {
      await new Promise((r) => setTimeout(r, 5));
      await this.trace.record(event('signature.consumed'));
      this.#calls.push(id);
      if (this.#calls.filter((c) => c === id).length > 1) throw new CoreError('ERR_LOCK_TIMEOUT', {});
      return { status: 'consumed', id };
    }
    count(): number {
      return this.#calls.length;
    }
  }

  it('times each call, marks coded errors, and makes the trace spans children of the operation span', async () => {
    const t = telemetry();
    const service = new Service(createOtelTraceSink({ meter: t.meter, tracer: t.tracer }));
    const observed = instrumentOperations(service, { meter: t.meter, tracer: t.tracer, operations: { consume: 's3404.consume' } });
    await expect(observed.consume('a')).resolves.toEqual({ status: 'consumed', id: 'a' });
    await expect(observed.consume('a')).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    await observed.consume(A_NIR);
    expect(observed.count()).toBe(3); // private fields still work through the wrapper
    const points = await t.points();
    const durations = points.filter((p) => p.name === 's3404.consume.duration');
    expect(durations.every((p) => p.unit === 's')).toBe(true);
    expect(sum(points, 's3404.consume.duration', { [OTEL_ATTRIBUTES.status]: 'consumed' })).toBe(2);
    expect(sum(points, 's3404.consume.duration', { [OTEL_ATTRIBUTES.errorCode]: 'ERR_LOCK_TIMEOUT', [OTEL_ATTRIBUTES.outcome]: 'failure' })).toBe(1);
    const total = durations.reduce((s, p) => s + (p.value as { sum: number }).sum, 0);
    expect(total).toBeGreaterThan(0.012); // three calls of ≥ 5 ms, in seconds
    expect(total).toBeLessThan(5);
    const spans = t.spans.getFinishedSpans();
    const ops = spans.filter((s) => s.name === 's3404.consume');
    const children = spans.filter((s) => s.name === 's3404.signature.consumed');
    expect(ops).toHaveLength(3);
    expect(children).toHaveLength(3);
    for (const c of children) expect(ops.map((o) => o.spanContext().spanId)).toContain(c.parentSpanContext?.spanId);
    expect(ops.filter((o) => o.status.code === 2)).toHaveLength(1);
    for (const s of spans) for (const v of Object.values(s.attributes)) expect(String(v)).not.toMatch(NIR);
  });

  it('wraps sync and async functions alike, and returns them untouched when not configured', async () => {
    const t = telemetry();
    const add = (a: number, b: number): number => a + b;
    const fail = (): never => {
      throw new TypeError('bad');
    };
    expect(instrumentFunction(add, { name: 's3404.add' })).toBe(add);
    const svc = { go: () => 1 };
    expect(instrumentOperations(svc, { operations: { go: 's3404.go' } })).toBe(svc);
    const timed = instrumentFunction(add, { name: 's3404.add', meter: t.meter, tracer: t.tracer });
    expect(timed(2, 3)).toBe(5);
    expect(() => instrumentFunction(fail, { name: 's3404.fail', meter: t.meter })()).toThrow(TypeError);
    const later = instrumentFunction(async (x: number) => x * 2, { name: 's3404.lot.pack', meter: t.meter });
    await expect(later(21)).resolves.toBe(42);
    const points = await t.points();
    expect(sum(points, 's3404.add.duration')).toBe(1);
    expect(sum(points, 's3404.fail.duration', { [OTEL_ATTRIBUTES.errorType]: 'TypeError', [OTEL_ATTRIBUTES.outcome]: 'failure' })).toBe(1);
    expect(sum(points, 's3404.lot.pack.duration')).toBe(1);
  });

  it('wraps a frozen object, keeps `in` and property writes going to the object', async () => {
    const t = telemetry();
    const frozen = Object.freeze({ consume: async (n: number) => ({ status: 'consumed', n }), label: 'c' });
    const observed = instrumentOperations(frozen, { meter: t.meter, operations: { consume: 's3404.consume' } });
    await expect(observed.consume(2)).resolves.toEqual({ status: 'consumed', n: 2 });
    expect(observed.label).toBe('c');
    expect('consume' in observed && 'label' in observed).toBe(true);
    const open = { count: 0, go: () => 1 };
    const wrapped = instrumentOperations(open, { meter: t.meter, operations: { go: 's3404.go' } });
    wrapped.count = 5;
    expect(open.count).toBe(5);
    expect(sum(await t.points(), 's3404.consume.duration')).toBe(1);
  });

  it('refuses bad names, missing operations and missing methods (TypeError)', () => {
    const t = telemetry();
    const any = (v: unknown) => v as any;
    expect(() => instrumentFunction(() => 1, { name: 'consume', meter: t.meter })).toThrow(TypeError);
    expect(() => instrumentFunction(any(null), { name: 's3404.x', meter: t.meter })).toThrow(TypeError);
    expect(() => instrumentOperations({ a: () => 1 }, any({ meter: t.meter }))).toThrow(TypeError);
    expect(() => instrumentOperations({ a: () => 1 }, { meter: t.meter, operations: { b: 's3404.b' } })).toThrow(TypeError);
    expect(() => instrumentOperations({ a: () => 1 }, { meter: t.meter, operations: { a: `s3404.${A_NIR}` } })).toThrow(TypeError);
  });
});

describe('instrumentAuditStore (AUD-2, X-1)', () => {
  /** A store of the AuditStore shape: append(build) under a lock, with private state. */
  class Store {
    readonly #lines: string[] = [];
    async append(build: (head: number) => Promise<readonly string[]>): Promise<void> {
      const events = await build(this.#lines.length);
      if (events.includes('boom')) throw new CoreError('ERR_LOCK_TIMEOUT', {});
      this.#lines.push(...events);
    }
    appendBatch(lines: readonly string[]): void {
      this.#lines.push(...lines);
    }
    async head(): Promise<number> {
      return this.#lines.length;
    }
  }

  it('measures every append, counts the events written, and leaves the rest of the store alone', async () => {
    const t = telemetry();
    const store = new Store();
    const observed = instrumentAuditStore(store, { meter: t.meter, tracer: t.tracer });
    for (let i = 0; i < 10; i++) await observed.append(async (head) => [`e${head}`, `f${head}`]);
    observed.appendBatch(['a', 'b', 'c']);
    await expect(observed.append(async () => ['boom'])).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    expect(await observed.head()).toBe(23);
    expect(await store.head()).toBe(23);
    const points = await t.points();
    expect(sum(points, OTEL_METRICS.auditAppendDuration, { [OTEL_ATTRIBUTES.auditOperation]: 'append', [OTEL_ATTRIBUTES.outcome]: 'success' })).toBe(10);
    expect(sum(points, OTEL_METRICS.auditAppendDuration, { [OTEL_ATTRIBUTES.outcome]: 'failure' })).toBe(1);
    expect(sum(points, OTEL_METRICS.auditAppended, { [OTEL_ATTRIBUTES.auditOperation]: 'append' })).toBe(20);
    expect(sum(points, OTEL_METRICS.auditAppended, { [OTEL_ATTRIBUTES.auditOperation]: 'appendBatch' })).toBe(3);
    expect(points.find((p) => p.name === OTEL_METRICS.auditAppendDuration)?.unit).toBe('s');
    expect(t.spans.getFinishedSpans().filter((s) => s.name === 's3404.audit.append')).toHaveLength(12);
  });

  it('is the store itself when not configured', () => {
    const store = new Store();
    expect(instrumentAuditStore(store)).toBe(store);
    expect(instrumentAuditStore(store, { meter: undefined })).toBe(store);
    expect(() => instrumentAuditStore(null as any)).toThrow(TypeError);
  });
});

describe('@opentelemetry/api stays optional (X-1)', () => {
  /** Every built JavaScript file of every package. */
  function builtFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(c|m)?js$/.test(name)) out.push(path);
      }
    };
    for (const pkg of readdirSync(join(ROOT, 'packages'))) {
      const dist = join(ROOT, 'packages', pkg, 'dist');
      if (existsSync(dist)) walk(dist);
    }
    return out;
  }

  it('no built file of any package loads it, not even @s3404/core/otel', () => {
    expect(existsSync(join(ROOT, 'packages/core/dist/otel/index.js')), 'build @s3404/core first').toBe(true);
    const files = builtFiles();
    expect(files.length).toBeGreaterThan(20);
    const loads = /(from\s*|import\s*\(\s*|require\s*\(\s*)["']@opentelemetry\//;
    expect(files.filter((f) => loads.test(readFileSync(f, 'utf8'))).map((f) => f.slice(ROOT.length))).toEqual([]);
    // Not even its types: a vendor without it compiles @s3404/core/otel with skipLibCheck off.
    expect(readFileSync(join(ROOT, 'packages/core/dist/otel/index.d.ts'), 'utf8')).not.toMatch(/^\s*(import|export)\b[^\n]*["']@opentelemetry\//m);
    expect(readFileSync(join(ROOT, 'packages/core/dist/otel/index.d.ts'), 'utf8')).toContain('createOtelTraceSink');
  });

  it('the built core and its otel entry run where @opentelemetry/api cannot be found', () => {
    const dir = mkdtempSync(join(tmpdir(), 's3404-no-otel-'));
    try {
      cpSync(join(ROOT, 'packages/core/dist'), join(dir, 'dist'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(
        join(dir, 'run.mjs'),
        [
          "import { RecordingTraceSink } from './dist/index.js';",
          "import { createOtelTraceSink, instrumentAuditStore } from './dist/otel/index.js';",
          'let found = true; try { await import("@opentelemetry/api") } catch { found = false }',
          'const next = new RecordingTraceSink();',
          'const sink = createOtelTraceSink({ next });',
          "await sink.record({ action: 'signature.sealed', at: new Date().toISOString(), actor: { personId: 'p', role: 'insured', terminalId: 't' }, subject: {}, outcome: 'success' });",
          'const store = { append: async () => {} };',
          'console.log(JSON.stringify({ found, same: sink === next, events: next.events.length, store: instrumentAuditStore(store) === store }));',
        ].join('\n'),
      );
      const out = execFileSync(process.execPath, [join(dir, 'run.mjs')], { cwd: dir, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({ found: false, same: true, events: 1, store: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
