/**
 * OpenTelemetry on a real flow (issue 19, AUD-1, X-1): a sealer, a consumer,
 * a SCOR lot manager and an audit log wired to `@s3404/core/otel` the way a
 * vendor would, with the real OpenTelemetry SDK and in-memory exporters.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableContextManager, sumOf, telemetry } from '@s3404/tooling/otel-kit';
import { auditTraceSink, createAuditLog, verifyLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { isS3404Error } from '@s3404/core';
import {
  createOtelTraceSink,
  instrumentAuditStore,
  instrumentFunction,
  instrumentOperations,
  observeLotStates,
  OTEL_ATTRIBUTES,
  OTEL_METRICS,
} from '@s3404/core/otel';
import { readJson, validateBordereau } from '@s3404/form';
import { createLotManager, packLot, type Arl } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { accountingDayScope, createCapture, createDevelopmentTsa } from '@s3404/seal';
import { createPdfSealer, verifyPdfSeal } from '@s3404/seal/pdf';
import { applyAccountingDay } from '@s3404/seal/apply';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { demoSigning, signBordereau, strokePng } from '../src/commands/demo-signing.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const NIR = /[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}|\d{13}/;
const T0 = Date.parse('2026-03-20T10:00:00.000Z');
let ms = T0;
const now = (): Date => new Date(ms);

let disableContext = (): void => {};
beforeAll(() => {
  disableContext = enableContextManager();
});
afterAll(() => disableContext());

describe('OpenTelemetry on seal → consume → refusal → lot → audit (issue 19)', () => {
  it('exports the consumes, the refusal by code, the lot states, the append latency and the spans, with no NIR', async () => {
    const { meter, tracer, spans, points: collect } = telemetry();

    // The vendor's wiring: the audit store measured, the trace sink observed, the operations wrapped.
    const store = instrumentAuditStore(new MemoryAuditStore(), { meter, tracer });
    const log = createAuditLog({ store, now });
    const trace = createOtelTraceSink({ meter, tracer, next: auditTraceSink(log) });

    const b = validateBordereau(readJson(readFileSync(`${ROOT}examples/data/mco-chirurgie-pth.json`)));
    if (!b.ok) throw new Error('example invalid');
    const bordereau = b.data;
    const finess = bordereau.establishment.finess;
    const pki = await createDevelopmentPki({ now: () => new Date(T0 - 86_400_000) });
    // The clinic's signing side (the demo's policy), its sealer and consumer wrapped.
    const plain = await demoSigning({
      bordereaux: [bordereau],
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      trustAnchor: pki.ca.certificate,
      store: new MemoryConsumptionStore(),
      trace,
      now,
    });
    const signing = {
      ...plain,
      sealer: instrumentOperations(plain.sealer, { meter, tracer, operations: { seal: 's3404.seal' } }),
      consumer: instrumentOperations(plain.consumer, { meter, tracer, operations: { consume: 's3404.consume' } }),
    };
    const tick = (): void => {
      ms += 2_000;
    };

    // Every signer of the bordereau: sealed, consumed once, drawn; then the director's accounting day.
    const signed = await signBordereau(signing, bordereau, { now, tick, index: 0 });
    const day = now().toISOString().slice(0, 10);
    const dayContext = await signing.sealer.openContext({
      scope: accountingDayScope({ finess, day, bordereaux: [{ bordereauId: bordereau.id, contentHash: signed.contentHash }] }),
      role: 'director',
      signer: signing.director,
      terminalId: 'poste-direction',
    });
    tick();
    const daySealed = await signing.sealer.seal(createCapture(dayContext, { image: strokePng(99), capturedAt: now() }));
    await signing.consumer.deposit(daySealed);
    const dayApplied = await applyAccountingDay(signing.consumer, {
      input: { recordId: daySealed.recordId },
      pdfs: [signed.pdf],
      day,
      finess,
      requestId: 'day',
    });
    if (dayApplied.status !== 'applied') throw new Error('accounting day not applied');
    // The establishment's PAdES B-T seal of the finished bordereau (SIG-3): a span and a duration of its own.
    const tsa = await createDevelopmentTsa({ certificate: pki.tsa.certificate, key: pki.tsa.privateKey, now });
    const pades = instrumentOperations(await createPdfSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, timestamper: tsa.stamper, now }), {
      meter,
      tracer,
      operations: { seal: 's3404.pades.seal' },
    });
    const pdf = (await pades.seal(dayApplied.pdfs[0]!)).pdf;
    expect((await verifyPdfSeal(pdf, { trustAnchors: [pki.ca.certificate], now })).ok).toBe(true);

    // A replay of a used record from another request: refused with a code.
    const replay = await signing.consumer
      .consume(
        { bytes: daySealed.bytes },
        { target: { day, finess, dayBordereaux: [{ bordereauId: bordereau.id, contentHash: signed.contentHash }] }, requestId: 'replay' },
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isS3404Error(replay)).toBe(true);
    const refusedCode = (replay as { code: string }).code;
    expect(refusedCode).toBe('ERR_RECORD_REPLAYED');
    const sealedCount = signed.signatures + 1;

    // A SCOR lot: packed (a span), registered after its positive B2 ARL, sent, acknowledged.
    const pack = instrumentFunction(packLot, { name: 's3404.lot.pack', meter, tracer });
    const lot = await pack(
      { finess, b2LotNumber: '007', invoices: [{ invoiceNumber: bordereau.invoiceNumber, bordereauId: bordereau.id, pj: [{ file: 'b.pdf', kind: 's3404' }] }] },
      { files: new Map([['b.pdf', pdf]]), now },
    );
    const sent: number[] = [];
    const lotStore = new MemoryLotStore();
    // The lots per state, as the store counts them at each collection.
    observeLotStates({ meter, read: () => lotStore.countByState() });
    const lots = createLotManager({
      store: lotStore,
      transport: {
        id: 'test',
        send: async (t) => {
          sent.push(t.bytes.length);
          return { reference: `m-${sent.length}` };
        },
      },
      trace,
      now,
    });
    const arl = (kind: 'b2' | 'pj'): Arl => ({ kind, finess, b2LotNumber: '007', positive: true, receivedAt: now().toISOString() });
    const registered = await lots.register(lot, { b2Arl: arl('b2') });
    ms += 60_000;
    const [acknowledged] = await lots.recordArl(arl('pj'));
    expect(sent).toHaveLength(1);
    const finalState = acknowledged!.state;
    expect(finalState).toBe('arl-positive');

    const all = await collect();
    const points = (name: string) => all.filter((p) => p.name === name);
    const total = (name: string, where: Record<string, string> = {}) => sumOf(all, name, where);

    // Consumes: the count from the trace, the latency from the wrapper.
    expect(total(OTEL_METRICS.consumes)).toBe(sealedCount);
    expect(total('s3404.consume.duration', { [OTEL_ATTRIBUTES.outcome]: 'success' })).toBe(sealedCount);
    expect(total('s3404.consume.duration', { [OTEL_ATTRIBUTES.outcome]: 'refused', [OTEL_ATTRIBUTES.errorCode]: refusedCode })).toBe(1);
    expect(total('s3404.seal.duration')).toBe(sealedCount);
    expect(total('s3404.pades.seal.duration', { [OTEL_ATTRIBUTES.outcome]: 'success' })).toBe(1);
    // Refusals by code.
    expect(total(OTEL_METRICS.refusals, { [OTEL_ATTRIBUTES.errorCode]: refusedCode })).toBe(1);
    const events = [];
    for await (const e of log.read()) events.push(e);
    // Lot states: the lot ends in its final state and in no other.
    const transitions = total(OTEL_METRICS.lotTransitions);
    // One transition per lot event that moved the lot (every one here), including `ready → sent, tentative 1 (…)`.
    expect(transitions).toBe(events.filter((e) => String(e.action).startsWith('lot.')).length);
    expect(transitions).toBeGreaterThanOrEqual(4);
    expect(total(OTEL_METRICS.lotTransitions, { [OTEL_ATTRIBUTES.lotFrom]: 'none', [OTEL_ATTRIBUTES.lotTo]: 'built' })).toBe(1);
    const states = points(OTEL_METRICS.lotState).map((p) => [p.attributes[OTEL_ATTRIBUTES.lotState], p.value]);
    expect(states.filter(([, v]) => v !== 0)).toEqual([[finalState, 1]]);
    expect(points(OTEL_METRICS.lots).map((p) => [p.attributes[OTEL_ATTRIBUTES.lotState], p.value])).toEqual([[finalState, 1]]);
    expect(registered.state).not.toBe(finalState);
    // Audit appends: every traced event went through the measured store.
    expect(total(OTEL_METRICS.auditAppended)).toBe(events.length);
    expect(total(OTEL_METRICS.events)).toBeLessThanOrEqual(events.length);
    expect(total(OTEL_METRICS.auditAppendDuration, { [OTEL_ATTRIBUTES.outcome]: 'success' })).toBeGreaterThan(0);
    expect((await verifyLog(store.lines())).ok).toBe(true);

    // Spans: the operations, each trace event a child of the operation that emitted it.
    const finished = spans.getFinishedSpans();
    const byId = new Map(finished.map((s) => [s.spanContext().spanId, s]));
    const names = new Set(finished.map((s) => s.name));
    for (const n of [
      's3404.seal',
      's3404.consume',
      's3404.lot.pack',
      's3404.pades.seal',
      's3404.signature.sealed',
      's3404.signature.consumed',
      's3404.signature.refused',
      's3404.audit.append',
    ])
      expect(names).toContain(n);
    const refusedSpan = finished.find((s) => s.name === 's3404.signature.refused')!;
    expect(refusedSpan.status.code).toBe(2);
    expect(refusedSpan.attributes[OTEL_ATTRIBUTES.errorCode]).toBe(refusedCode);
    expect(byId.get(refusedSpan.parentSpanContext!.spanId)?.name).toBe('s3404.consume');
    for (const s of finished.filter((x) => x.name === 's3404.signature.sealed')) expect(byId.get(s.parentSpanContext!.spanId)?.name).toBe('s3404.seal');

    // No NIR, no name of a person, anywhere.
    const nir = bordereau.insured.nir;
    expect(nir).toMatch(/^\d/);
    const values = [
      ...all.flatMap((p) => [p.name, ...Object.values(p.attributes).map(String)]),
      ...finished.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]),
    ];
    for (const v of values) {
      expect(v).not.toMatch(NIR);
      expect(v).not.toContain(bordereau.insured.lastName);
      expect(v).not.toContain(bordereau.id);
    }
    await log.close();
  }, 30_000);
});
