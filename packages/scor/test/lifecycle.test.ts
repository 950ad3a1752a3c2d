import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordingTraceSink } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import {
  createLotManager,
  frenchCalendar,
  jsonArlParser,
  packLot,
  type Arl,
  type LotManagerOptions,
  type LotRecord,
  type LotStore,
  type LotTransmission,
  type PackedLot,
  type ScorTraceAction,
  type Transport,
  ScorError,
} from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { lotFixture } from './fixtures/lot.js';

/** Monday 2 March 2026, 10:00 in Paris (CET). */
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;

class Clock {
  ms = T0;
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}

/** A transport that records every transmission and fails while `failing` is set. */
class ScriptedTransport implements Transport {
  readonly id = 'scripted';
  readonly sent: LotTransmission[] = [];
  failing = false;
  async send(lot: LotTransmission): Promise<{ reference: string }> {
    this.sent.push(lot);
    if (this.failing) throw new Error('connexion refusée par le frontal');
    return { reference: `msg-${this.sent.length}` };
  }
}

const arl = (lot: PackedLot, kind: 'b2' | 'pj', positive: boolean, at: Date, extra: Partial<Arl> = {}): Arl => ({
  kind,
  finess: lot.finess,
  b2LotNumber: lot.b2LotNumber,
  positive,
  receivedAt: at.toISOString(),
  ...extra,
});

let packed: PackedLot;
let other: PackedLot;
beforeAll(async () => {
  const fx = await lotFixture(2);
  packed = await packLot(fx.description, { files: fx.files, now: () => new Date(T0) });
  const fx2 = await lotFixture(1, { seed: 5, b2LotNumber: '043' });
  other = await packLot(fx2.description, { files: fx2.files, now: () => new Date(T0) });
});

/** A memory store whose updates matching `crashes` fail while `failing.on` is set: a process that dies before the write. */
function crashingStore(crashes: (r: LotRecord) => boolean) {
  const memory = new MemoryLotStore();
  const failing = { on: false };
  const flaky: LotStore = {
    create: (r, c) => memory.create(r, c),
    get: (id) => memory.get(id),
    container: (id) => memory.container(id),
    list: (q) => memory.list(q),
    update: async (r, o) => {
      if (failing.on && crashes(r)) throw Object.assign(new Error('down'), { code: 'ERR_LOT_STORE_UNAVAILABLE' });
      return memory.update(r, o);
    },
    close: () => memory.close(),
  };
  return { memory, flaky, failing };
}

function setup(o: Partial<LotManagerOptions> = {}) {
  const clock = new Clock();
  const store: LotStore = o.store ?? new MemoryLotStore();
  const transport = (o.transport as ScriptedTransport | undefined) ?? new ScriptedTransport();
  const trace = new RecordingTraceSink<ScorTraceAction>();
  const lots = createLotManager({ store, transport, trace, now: clock.now, ...o });
  return { clock, store, transport: transport as ScriptedTransport, trace, lots };
}

describe('the lot lifecycle (SCOR-3)', () => {
  it('waits for the positive B2 ARL, sends, takes the positive ARL PJ, keeps the lot 90 days, then purges it', async () => {
    const { clock, store, transport, trace, lots } = setup();
    expect((await lots.register(packed)).state).toBe('awaiting-b2-arl');
    await expect(lots.send(packed.lotId)).rejects.toMatchObject({
      code: 'ERR_LOT_B2_ARL_MISSING',
      message: `Lot ${packed.lotId} : envoi refusé tant que l'ARL positif du lot B2 n° 042 n'est pas reçu.`,
    });
    expect(transport.sent).toHaveLength(0);
    clock.advance(H);
    const [sent] = await lots.recordArl(arl(packed, 'b2', true, clock.now()));
    expect(sent).toMatchObject({ state: 'sent', attempts: 1, transmittedAt: clock.now().toISOString(), transmissionRef: 'msg-1', b2Arl: { positive: true } });
    expect(transport.sent[0]).toMatchObject({ lotId: packed.lotId, attempt: 1, fileName: packed.container.fileName, mediaType: 'application/zip' });
    expect(Buffer.from(transport.sent[0]!.bytes).equals(Buffer.from(packed.container.bytes))).toBe(true);
    clock.advance(2 * H);
    const [positive] = await lots.recordArl(arl(packed, 'pj', true, clock.now(), { code: 'OK', reference: 'ARL-77' }));
    expect(positive).toMatchObject({
      state: 'arl-positive',
      pjArl: { positive: true, code: 'OK', reference: 'ARL-77' },
      purgeAfter: new Date(T0 + H + 90 * D).toISOString(),
    });
    // a repeated positive ARL changes nothing
    expect((await lots.recordArl(arl(packed, 'pj', true, clock.now())))[0]!.version).toBe(positive!.version);
    clock.set(new Date(T0 + H + 89 * D).toISOString());
    expect(await lots.tick()).toEqual({ sent: [], failed: [], paperFallback: [], purged: [], traced: [], errors: [], more: false });
    await expect(lots.purge(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_RETENTION' });
    expect(await store.container(packed.lotId)).toBeInstanceOf(Uint8Array);
    clock.advance(D);
    expect((await lots.tick()).purged).toEqual([packed.lotId]);
    const purged = await lots.get(packed.lotId);
    expect(purged).toMatchObject({ state: 'purged', purgedAt: clock.now().toISOString(), dueAt: null });
    expect(await store.container(packed.lotId)).toBeNull();
    expect(purged.history.map((h) => `${h.from ?? '∅'} → ${h.to}`)).toEqual([
      '∅ → built',
      'built → awaiting-b2-arl',
      'awaiting-b2-arl → ready',
      'ready → sent',
      'sent → arl-positive',
      'arl-positive → purged',
    ]);
    expect(trace.events.map((e) => [e.action, e.outcome, e.code ?? '', e.reason ?? ''])).toEqual([
      ['lot.built', 'success', '', '∅ → built'],
      ['lot.built', 'success', '', 'built → awaiting-b2-arl'],
      ['lot.sent', 'refused', 'ERR_LOT_B2_ARL_MISSING', ''],
      ['lot.arl-received', 'success', '', 'awaiting-b2-arl → ready'],
      ['lot.sent', 'success', '', 'ready → sent, tentative 1 (msg-1)'],
      ['lot.arl-received', 'success', '', 'sent → arl-positive'],
      ['lot.purged', 'refused', 'ERR_LOT_RETENTION', ''],
      ['lot.purged', 'success', '', 'arl-positive → purged'],
    ]);
    for (const e of trace.events)
      expect(e).toMatchObject({
        actor: { personId: 'service', role: 'service', terminalId: 's3404-scor' },
        subject: { finess: packed.finess, lotId: packed.lotId },
      });
  });

  it('ticks from a detached function, as setInterval(lots.tick, …) calls it, and purges the lot past day 90', async () => {
    const { clock, store, lots } = setup();
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    await lots.recordArl(arl(packed, 'pj', true, clock.now()));
    const { tick } = lots;
    expect((await tick()).purged).toEqual([]);
    clock.advance(90 * D);
    expect(await tick()).toEqual({ sent: [], failed: [], paperFallback: [], purged: [packed.lotId], traced: [], errors: [], more: false });
    expect((await lots.get(packed.lotId)).state).toBe('purged');
    expect(await store.container(packed.lotId)).toBeNull();
  });

  it('sends at once when the B2 ARL is given at registration, and only on request without autoSend', async () => {
    const a = setup();
    expect((await a.lots.register(packed, { b2Arl: arl(packed, 'b2', true, a.clock.now()) })).state).toBe('sent');
    await expect(a.lots.register(packed)).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
    await expect(a.lots.register(other, { b2Arl: arl(packed, 'b2', true, a.clock.now()) })).rejects.toMatchObject({ code: 'ERR_LOT_ARL_UNMATCHED' });
    const b = setup({ autoSend: false });
    expect((await b.lots.register(packed, { b2Arl: arl(packed, 'b2', true, b.clock.now()) })).state).toBe('ready');
    expect((await b.lots.tick()).sent).toEqual([]);
    expect((await b.lots.send(packed.lotId)).state).toBe('sent');
    await expect(b.lots.send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_STATE' });
  });

  it('keeps a lot whose B2 lot was rejected until the B2 lot is accepted', async () => {
    const { clock, lots, transport } = setup();
    await lots.register(packed);
    await lots.register(other);
    expect(await lots.recordArl(arl(packed, 'b2', true, clock.now(), { b2LotNumber: '999' }))).toEqual([]); // no lot waits for it: not an error
    const [rejected] = await lots.recordArl(arl(packed, 'b2', false, clock.now(), { code: 'R12', reason: 'lot B2 non conforme' }));
    expect(rejected).toMatchObject({ state: 'b2-rejected', b2Arl: { positive: false, code: 'R12' } });
    expect((await lots.get(other.lotId)).state).toBe('awaiting-b2-arl');
    await expect(lots.send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_B2_ARL_MISSING' });
    clock.advance(D);
    expect((await lots.recordArl(arl(packed, 'b2', true, clock.now())))[0]!.state).toBe('sent');
    expect(transport.sent.map((t) => t.lotId)).toEqual([packed.lotId]);
  });

  it('retries a failing transmission every 2 hours until the end of the 5th working day, then flags the paper fallback', async () => {
    const { clock, lots, transport, trace } = setup();
    transport.failing = true;
    await lots.register(packed);
    const first = (await lots.recordArl(arl(packed, 'b2', true, clock.now())))[0]!;
    expect(first).toMatchObject({ state: 'retrying', attempts: 1, firstAttemptAt: new Date(T0).toISOString(), dueAt: new Date(T0 + 2 * H).toISOString() });
    // Monday 2 March 10:00 Paris: the window ends at the end of Monday 9 March (Tue…Mon = 5 working days).
    expect(first.retryDeadline).toBe('2026-03-09T23:00:00.000Z');
    let fallback: string | undefined;
    for (let i = 0; i < 24 * 9 && fallback === undefined; i++) {
      clock.advance(H);
      const r = await lots.tick();
      if (r.paperFallback.length > 0) fallback = clock.now().toISOString();
    }
    const end = await lots.get(packed.lotId);
    expect(end.state).toBe('paper-fallback');
    // attempts at T0, T0 + 2 h, … strictly before the deadline (182 h after T0): 91
    const expectedAttempts = Math.ceil((Date.parse('2026-03-09T23:00:00.000Z') - T0) / (2 * H));
    expect(expectedAttempts).toBe(91);
    expect(end.attempts).toBe(expectedAttempts);
    expect(transport.sent).toHaveLength(expectedAttempts);
    expect(end.paperFallbackAt).toBe(fallback);
    expect(Date.parse(end.purgeAfter!)).toBe(Date.parse(fallback!) + 90 * D);
    expect(trace.events.filter((e) => e.action === 'lot.sent' && e.outcome === 'failure')).toHaveLength(expectedAttempts);
    expect(trace.events.filter((e) => e.action === 'lot.retried')).toHaveLength(expectedAttempts - 1);
    expect(trace.events.at(-1)).toMatchObject({ action: 'lot.paper-fallback', outcome: 'failure', code: 'ERR_LOT_PAPER_FALLBACK' });
    // too late now for an ARL PJ: refused and traced
    await expect(lots.recordArl(arl(packed, 'pj', true, clock.now()))).rejects.toMatchObject({ code: 'ERR_LOT_STATE' });
    expect(trace.events.at(-1)).toMatchObject({ action: 'lot.arl-received', outcome: 'refused' });
  });

  it('counts working days on the French calendar, Alsace-Moselle included', async () => {
    // Thursday 2 April 2026: Good Friday 3 April (Alsace-Moselle only), Easter Monday 6 April.
    for (const [calendar, deadline] of [
      [frenchCalendar(), '2026-04-10T22:00:00.000Z'],
      [frenchCalendar({ alsaceMoselle: true }), '2026-04-13T22:00:00.000Z'],
    ] as const) {
      const { clock, lots, transport } = setup({ calendar });
      clock.set('2026-04-02T08:00:00.000Z');
      transport.failing = true;
      await lots.register(packed);
      expect((await lots.recordArl(arl(packed, 'b2', true, clock.now())))[0]!.retryDeadline).toBe(deadline);
    }
    // Thursday 7 May 2026: 8 May, Ascension 14 May, Whit Monday 25 May are holidays.
    const { clock, lots, transport } = setup();
    clock.set('2026-05-07T08:00:00.000Z');
    transport.failing = true;
    await lots.register(packed);
    expect((await lots.recordArl(arl(packed, 'b2', true, clock.now())))[0]!.retryDeadline).toBe('2026-05-18T22:00:00.000Z'); // Mon 11, Tue 12, Wed 13, Fri 15, Mon 18
  });

  it('sends again after a negative ARL PJ, and after an ARL PJ that does not come', async () => {
    const { clock, lots, transport } = setup();
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    clock.advance(H);
    const [retrying] = await lots.recordArl(
      jsonArlParser.parse(
        new TextEncoder().encode(
          JSON.stringify({
            format: 's3404-arl-json/1',
            kind: 'pj',
            finess: packed.finess,
            b2LotNumber: packed.b2LotNumber,
            lotId: packed.lotId,
            status: 'negative',
            receivedAt: clock.now().toISOString(),
            code: 'PJ05',
            reason: 'PDF illisible',
          }),
        ),
      ),
    );
    expect(retrying).toMatchObject({
      state: 'retrying',
      pjArl: { positive: false, code: 'PJ05', reason: 'PDF illisible' },
      dueAt: new Date(clock.ms + 2 * H).toISOString(),
    });
    expect(retrying!.history.slice(-2).map((h) => h.to)).toEqual(['arl-negative', 'retrying']);
    clock.advance(2 * H);
    expect((await lots.tick()).sent).toEqual([packed.lotId]);
    expect(transport.sent.map((t) => t.attempt)).toEqual([1, 2]);
    // no ARL for 24 hours: sent again
    clock.advance(23 * H);
    expect((await lots.tick()).sent).toEqual([]);
    clock.advance(H);
    expect((await lots.tick()).sent).toEqual([packed.lotId]);
    const lot = await lots.get(packed.lotId);
    expect(lot.history.slice(-2).map((h) => [h.from, h.to])).toEqual([
      ['sent', 'retrying'],
      ['retrying', 'sent'],
    ]);
    expect(transport.sent.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect((await lots.recordArl(arl(packed, 'pj', true, clock.now())))[0]!.state).toBe('arl-positive');
    await expect(lots.recordArl(arl(other, 'pj', true, clock.now()))).rejects.toMatchObject({ code: 'ERR_LOT_ARL_UNMATCHED' });
  });

  it('recovers a lot whose transmission was never recorded (a crash between the transport and the store)', async () => {
    const { memory, flaky, failing } = crashingStore((r) => r.transmittedAt !== null && r.state === 'sent');
    const { clock, lots, transport } = setup({ store: flaky });
    await lots.register(packed);
    failing.on = true;
    await expect(lots.recordArl(arl(packed, 'b2', true, clock.now()))).rejects.toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE' });
    failing.on = false;
    expect(await memory.get(packed.lotId)).toMatchObject({ state: 'sent', attempts: 1, transmittedAt: null });
    clock.advance(24 * H);
    expect((await lots.tick()).sent).toEqual([packed.lotId]);
    expect(transport.sent.map((t) => t.attempt)).toEqual([1, 2]);
  });

  it('retries a lot left arl-negative by a crash between the negative ARL PJ and its retry', async () => {
    const { flaky, failing } = crashingStore((r) => r.state === 'retrying');
    const { clock, lots, transport } = setup({ store: flaky });
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    clock.advance(H);
    failing.on = true;
    await expect(lots.recordArl(arl(packed, 'pj', false, clock.now()))).rejects.toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE' });
    failing.on = false;
    expect((await lots.get(packed.lotId)).state).toBe('arl-negative');
    clock.advance(H);
    expect(await lots.tick()).toMatchObject({ sent: [], errors: [] });
    expect((await lots.get(packed.lotId)).state).toBe('retrying');
    clock.advance(2 * H);
    expect((await lots.tick()).sent).toEqual([packed.lotId]);
    expect(transport.sent.map((t) => t.attempt)).toEqual([1, 2]);
  });

  it("keeps a transport's error and reference free of control characters in the history, the record and the trace", async () => {
    const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
    const answers = [
      () => Promise.reject(new Error('HTTP 503\r\n<html>\u001b[31mfrontal indisponible\u0007</html>')),
      () => Promise.resolve({ reference: 'msg-1\n\u001b[2JERR_FORGED' }),
    ];
    const transport: Transport = { id: 'remote', send: () => answers.shift()!() };
    const { clock, trace, lots } = setup({ transport });
    const failed = await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    expect(failed).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(failed.history.at(-1)!.reason).toContain('HTTP 503\uFFFD\uFFFD<html>\uFFFD[31mfrontal indisponible\uFFFD</html>');
    clock.advance(2 * H);
    const [sent] = (await lots.tick()).sent;
    const record = await lots.get(sent!);
    expect(record).toMatchObject({ state: 'sent', transmissionRef: 'msg-1\uFFFD\uFFFD[2JERR_FORGED' });
    // An ARL PJ as a vendor's parser read it from the frontal's file: its words kept, without their control characters.
    const [retried] = await lots.recordArl(
      arl(packed, 'pj', false, clock.now(), { lotId: packed.lotId, code: 'R\t12', reason: 'PJ illisible\r\npage 2\u001b[0m', reference: 'ARL\u00851' }),
    );
    expect(retried!.pjArl).toMatchObject({ code: 'R\uFFFD12', reason: 'PJ illisible\uFFFD\uFFFDpage 2\uFFFD[0m', reference: 'ARL\uFFFD1' });
    const kept = JSON.stringify(await lots.get(sent!));
    expect(kept.match(/\\u00[01][0-9a-f]|\\u007f|\\r|\\n|\\t|[\u0080-\u009f]/)).toBeNull();
    for (const e of trace.events) expect(e.reason ?? '', e.action).not.toMatch(CONTROL);
  });

  it('takes up a registration cut short after its lot was stored (the trace or the store failing, a crash): registered again, it goes on', async () => {
    const recorded = new RecordingTraceSink<ScorTraceAction>();
    const down = { trace: true };
    const trace = {
      record: async (e: Parameters<typeof recorded.record>[0]) => {
        // As the audit log's store answers while it is unreachable.
        if (down.trace) throw Object.assign(new Error('audit store unavailable'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
        await recorded.record(e);
      },
    };
    const { clock, store, transport, lots } = setup({ trace });
    await expect(lots.register(packed)).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    expect(await store.get(packed.lotId)).toMatchObject({ state: 'built' });
    down.trace = false;
    // The same lot again, its B2 ARL now at hand: registered and sent, traced from its creation.
    const sent = await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    expect(sent).toMatchObject({ state: 'sent', attempts: 1 });
    expect(transport.sent).toHaveLength(1);
    expect(recorded.events.map((e) => [e.action, e.reason])).toEqual([
      ['lot.built', '∅ → built'],
      ['lot.built', 'built → awaiting-b2-arl'],
      ['lot.arl-received', 'awaiting-b2-arl → ready'],
      ['lot.sent', 'ready → sent, tentative 1 (msg-1)'],
    ]);
    // Another lot under the same id, or the same lot once under way, is still refused.
    await expect(lots.register({ ...other, lotId: packed.lotId })).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
    await expect(lots.register(packed)).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
  });

  it("writes history and trace reasons in the manager's locale", async () => {
    const { clock, lots, transport, trace } = setup({ locale: 'en' });
    transport.failing = true;
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now(), { reason: 'conforme' }) });
    const lot = await lots.get(packed.lotId);
    expect(lot.history.map((h) => h.reason ?? '')).toEqual(['', '', 'positive B2 ARL: conforme', '', 'transmission failed: connexion refusée par le frontal']);
    expect(trace.events.find((e) => e.action === 'lot.sent')?.reason).toBe('ready → sent, attempt 1: connexion refusée par le frontal');
    await expect(lots.purge(packed.lotId)).rejects.toThrow('Lot 690008420-042-');
    await expect(lots.purge(packed.lotId)).rejects.toThrow(/is "retrying": action "purge" is not possible\.$/);
  });

  it('runs every method detached from the manager', async () => {
    const { clock, lots } = setup();
    const { register, recordArl, send, tick, purge, get, list } = lots;
    await register(packed);
    expect((await recordArl(arl(packed, 'b2', true, clock.now())))[0]!.state).toBe('sent');
    await expect(send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_STATE' });
    await expect(purge(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_STATE' });
    expect((await get(packed.lotId)).state).toBe('sent');
    expect((await list()).map((r) => r.lotId)).toEqual([packed.lotId]);
    expect((await tick()).errors).toEqual([]);
  });

  it('sends a lot once when two managers tick the same store at the same time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3404-lifecycle-'));
    try {
      const path = join(dir, 'lots.sqlite');
      const transport = new ScriptedTransport();
      const a = setup({ store: await SqliteLotStore.open({ path }), transport, autoSend: false });
      const b = setup({ store: await SqliteLotStore.open({ path }), transport, autoSend: false });
      await a.lots.register(packed, { b2Arl: arl(packed, 'b2', true, a.clock.now()) });
      await a.lots.register(other, { b2Arl: arl(other, 'b2', true, a.clock.now()) });
      for (const lot of [packed.lotId, other.lotId]) {
        const r = await a.store.get(lot);
        await a.store.update({ ...r!, version: r!.version + 1, dueAt: r!.updatedAt }); // make them due for the ticks
      }
      const [ra, rb] = await Promise.all([a.lots.tick(), b.lots.tick()]);
      expect([...ra.sent, ...rb.sent].sort()).toEqual([packed.lotId, other.lotId].sort());
      expect(transport.sent.map((t) => t.lotId).sort()).toEqual([packed.lotId, other.lotId].sort());
      await a.store.close();
      await b.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates its options and inputs', async () => {
    const store = new MemoryLotStore();
    const transport = new ScriptedTransport();
    expect(() => createLotManager({ store, transport, policy: { retryWorkingDays: 0 } })).toThrow(
      expect.objectContaining({ code: 'ERR_SCOR_OPTIONS_INVALID' }),
    );
    expect(() => createLotManager({ store, transport, policy: { retentionDays: 30 } })).toThrow(expect.objectContaining({ code: 'ERR_SCOR_OPTIONS_INVALID' }));
    expect(() => createLotManager({ store, transport, policy: { retryIntervalMinutes: 1 } })).toThrow(
      expect.objectContaining({ code: 'ERR_SCOR_OPTIONS_INVALID' }),
    );
    expect(() => createLotManager({ store } as never)).toThrow(TypeError);
    // The actor is kept with undelivered trace events: held to what the record keeps, and to what a trace sink
    // takes (the audit log: 128 characters), else every event of every lot would be refused for good.
    for (const actor of [
      { personId: '', role: 'service', terminalId: 't' },
      { personId: 'p'.repeat(129), role: 'service', terminalId: 't' },
      { personId: 'p', role: 'service', terminalId: 't'.repeat(129) },
      { personId: 'p', role: 'r'.repeat(65), terminalId: 't' },
      { personId: 'p\u001b[2J', role: 'service', terminalId: 't' },
      { personId: 'p', role: 'service' },
    ])
      expect(() => createLotManager({ store, transport, actor: actor as never })).toThrow(TypeError);
    expect(() => createLotManager({ store, transport, actor: { personId: 'p'.repeat(128), role: 'service', terminalId: 't'.repeat(128) } })).not.toThrow();
    const lots = createLotManager({ store, transport });
    await expect(lots.get('nope')).rejects.toMatchObject({ code: 'ERR_LOT_NOT_FOUND' });
    await expect(lots.recordArl({ kind: 'x' } as never)).rejects.toThrow(TypeError);
    await expect(lots.register({} as never)).rejects.toThrow(TypeError);
  });

  it('refuses to register a lot whose id is not 1 to 64 letters, digits, - or _ (a hand-made PackedLot), storing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3404-lot-id-'));
    try {
      for (const store of [new MemoryLotStore(), await SqliteLotStore.open({ path: join(dir, 'lots.sqlite') })]) {
        const lots = createLotManager({ store, transport: new ScriptedTransport(), now: () => new Date(T0) });
        for (const lotId of ['L1\u001b[2J\nforged line', '../../etc', 'lot.zip', ' L1', 'é', 'x'.repeat(65), '']) {
          await expect(lots.register({ ...packed, lotId })).rejects.toThrow(TypeError);
          expect(await store.list({})).toEqual([]);
        }
        // The id packLot gives is accepted.
        await expect(lots.register(packed)).resolves.toMatchObject({ lotId: packed.lotId, state: 'awaiting-b2-arl' });
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never puts a control character of an id it was given into a message (X-2)', async () => {
    const lots = createLotManager({ store: new MemoryLotStore(), transport: new ScriptedTransport() });
    for (const locale of ['fr', 'en'] as const) {
      const e = await createLotManager({ store: new MemoryLotStore(), transport: new ScriptedTransport(), locale })
        .get('L1\u001b[2J\r\nERR_FORGED\u009b')
        .catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_LOT_NOT_FOUND' });
      expect((e as Error).message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect((e as Error).message).toContain('L1\uFFFD[2J\uFFFD\uFFFDERR_FORGED\uFFFD');
    }
    await expect(lots.get('L1')).rejects.toMatchObject({ code: 'ERR_LOT_NOT_FOUND' });
  });
});

/** A memory store whose containers an attacker (or bit rot) rewrites while `alter` is set: what `container` then gives. */
function tamperingStore() {
  const memory = new MemoryLotStore();
  const state: { alter?: (bytes: Uint8Array, lotId: string) => Uint8Array | null; throws?: boolean } = {};
  const store: LotStore = {
    create: (r, c) => memory.create(r, c),
    get: (id) => memory.get(id),
    container: async (id) => {
      if (state.throws) throw new ScorError('ERR_LOT_STORE_CORRUPT', { params: { detail: 'container is not bytea' } });
      const bytes = await memory.container(id);
      return bytes === null || state.alter === undefined ? bytes : state.alter(bytes, id);
    },
    list: (q) => memory.list(q),
    update: (r, o) => memory.update(r, o),
    close: () => memory.close(),
  };
  return { store, state };
}

/** A trace sink that refuses, as the audit log does while its store is unreachable, the events `down` picks. */
function downableSink() {
  const recorded = new RecordingTraceSink<ScorTraceAction>();
  const state = { down: (_e: { action: ScorTraceAction }): boolean => false };
  const trace = {
    record: async (e: Parameters<typeof recorded.record>[0]) => {
      if (state.down(e)) throw Object.assign(new Error('audit store unavailable'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
      await recorded.record(e);
    },
  };
  return { recorded, state, trace };
}

const SINKS = [
  { name: 'memory', open: async (): Promise<LotStore> => new MemoryLotStore() },
  {
    name: 'SQLite',
    open: async (): Promise<LotStore> => SqliteLotStore.open({ path: join(mkdtempSync(join(tmpdir(), 's3404-outbox-')), 'lots.sqlite') }),
  },
];

describe.each(SINKS)('a transition whose trace cannot be written is traced later, in order ($name store; SCOR-3, AUD-1)', ({ open }) => {
  it('a purge whose trace fails stands, keeps its event with the lot, and a later tick delivers it once', async () => {
    const { recorded, state, trace } = downableSink();
    const store = await open();
    const { clock, lots } = setup({ store, trace });
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    clock.advance(H);
    await lots.recordArl(arl(packed, 'pj', true, clock.now()));
    clock.set(new Date(T0 + H + 91 * D).toISOString());
    const purgedAt = clock.now().toISOString();
    state.down = () => true;
    expect(await lots.tick()).toMatchObject({ errors: [{ lotId: packed.lotId, code: 'ERR_AUDIT_STORE_UNAVAILABLE' }] });
    // The purge stands (the container is gone), and its event waits with the lot.
    expect(await store.container(packed.lotId)).toBeNull();
    const kept = await lots.get(packed.lotId);
    expect(kept).toMatchObject({ state: 'purged', untraced: [{ action: 'lot.purged', outcome: 'success', at: purgedAt, reason: 'arl-positive → purged' }] });
    expect(recorded.events.map((e) => e.action)).not.toContain('lot.purged');
    // Still down: nothing lost, nothing delivered twice.
    clock.advance(10 * 60_000);
    expect((await lots.tick()).errors).toEqual([{ lotId: packed.lotId, code: 'ERR_AUDIT_STORE_UNAVAILABLE' }]);
    state.down = () => false;
    clock.advance(10 * 60_000);
    expect(await lots.tick()).toMatchObject({ traced: [packed.lotId], errors: [] });
    expect(recorded.events.at(-1)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      action: 'lot.purged',
      outcome: 'success',
      at: purgedAt,
      reason: 'arl-positive → purged',
      actor: { personId: 'service', role: 'service', terminalId: 's3404-scor' },
      subject: { finess: packed.finess, lotId: packed.lotId },
    });
    expect((await lots.get(packed.lotId)).untraced).toBeUndefined();
    expect(await lots.tick()).toMatchObject({ traced: [], errors: [] });
    expect(recorded.events.filter((e) => e.action === 'lot.purged')).toHaveLength(1);
    await store.close();
  });

  it('an event delivered again (the sink wrote it but failed to answer) carries the same id; each event its own (AUD-2)', async () => {
    const recorded = new RecordingTraceSink<ScorTraceAction>();
    let lose = 0;
    // Writes, then fails: as an audit store whose COMMIT answer was lost and could not be read back.
    const trace = {
      record: async (e: Parameters<typeof recorded.record>[0]) => {
        await recorded.record(e);
        if (lose > 0) {
          lose--;
          throw Object.assign(new Error('connection lost'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
        }
      },
    };
    const store = await open();
    const { clock, lots } = setup({ store, trace });
    lose = 1;
    await expect(lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) })).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    clock.advance(10 * 60_000);
    await lots.tick();
    const built = recorded.events.filter((e) => e.action === 'lot.built');
    expect(built).toHaveLength(2);
    expect(built[1]!.id).toBe(built[0]!.id);
    // No delivery claims to be the first (another process may have made it): the trace looks every id up.
    expect([built[0]!.firstDelivery, built[1]!.firstDelivery]).toEqual([undefined, undefined]);
    const ids = recorded.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length - 1);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The id's time is the event's.
    const hex = built[0]!.id!.replace(/-/g, '').slice(0, 12);
    expect(new Date(Number.parseInt(hex, 16)).toISOString()).toBe(built[0]!.at);
    await store.close();
  });

  it('a sink down during a tick is called once, not once per lot: every lot still moves, and a later tick delivers all their events', async () => {
    const { recorded, state, trace } = downableSink();
    let calls = 0;
    const counting = {
      record: (e: Parameters<typeof trace.record>[0]) => {
        calls++;
        return trace.record(e);
      },
    };
    const store = await open();
    const { clock, lots } = setup({ store, trace: counting });
    for (const lot of [packed, other]) {
      await lots.register(lot, { b2Arl: arl(lot, 'b2', true, clock.now()) });
      await lots.recordArl(arl(lot, 'pj', true, clock.now()));
    }
    clock.advance(91 * D);
    state.down = () => true;
    calls = 0;
    const report = await lots.tick();
    // A sink that is down (or answers only at its timeout) is not waited for once per lot.
    expect(calls).toBe(1);
    expect(report.errors).toEqual([{ lotId: expect.any(String), code: 'ERR_AUDIT_STORE_UNAVAILABLE' }]);
    expect(report.purged).toHaveLength(1);
    for (const lot of [packed, other]) expect(await lots.get(lot.lotId)).toMatchObject({ state: 'purged', untraced: [{ action: 'lot.purged' }] });
    state.down = () => false;
    clock.advance(2 * 60_000);
    expect((await lots.tick()).traced.toSorted()).toEqual([packed.lotId, other.lotId].toSorted());
    expect(
      recorded.events
        .filter((e) => e.action === 'lot.purged')
        .map((e) => e.subject.lotId)
        .toSorted(),
    ).toEqual([packed.lotId, other.lotId].toSorted());
    await store.close();
  });

  it("a failed attempt whose trace fails is still recorded (retrying), and the lot's next action delivers its events first, in order", async () => {
    const { recorded, state, trace } = downableSink();
    const store = await open();
    const { clock, lots, transport } = setup({ store, trace });
    await lots.register(packed);
    transport.failing = true;
    state.down = (e) => e.action === 'lot.sent' || e.action === 'lot.retried';
    await expect(lots.recordArl(arl(packed, 'b2', true, clock.now()))).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    // Before, the failed attempt was traced before it was recorded: the refused trace left the lot `sent`, its failure unrecorded.
    const waiting = await lots.get(packed.lotId);
    expect(waiting).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(waiting.untraced?.map((u) => [u.action, u.outcome])).toEqual([
      ['lot.sent', 'failure'],
      ['lot.retried', 'success'],
    ]);
    // The sink still down: the next attempt is not stopped between its claim and the transport; it is recorded, its event kept.
    transport.failing = false;
    clock.advance(2 * H);
    await expect(lots.send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    expect(transport.sent).toHaveLength(2);
    expect(await lots.get(packed.lotId)).toMatchObject({ state: 'sent', attempts: 2, transmissionRef: 'msg-2' });
    state.down = () => false;
    clock.advance(2 * H);
    expect(await lots.recordArl(arl(packed, 'pj', true, clock.now()))).toMatchObject([{ state: 'arl-positive' }]);
    expect(recorded.events.map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ['lot.built', 'success', '∅ → built'],
      ['lot.built', 'success', 'built → awaiting-b2-arl'],
      ['lot.arl-received', 'success', 'awaiting-b2-arl → ready'],
      ['lot.sent', 'failure', 'ready → sent, tentative 1 : connexion refusée par le frontal'],
      ['lot.retried', 'success', expect.stringMatching(/^sent → retrying/)],
      ['lot.sent', 'success', 'retrying → sent, tentative 2 (msg-2)'],
      ['lot.arl-received', 'success', 'sent → arl-positive'],
    ]);
    expect((await lots.get(packed.lotId)).untraced).toBeUndefined();
    await store.close();
  });

  it('a registration whose first trace fails is taken up without tracing its creation twice', async () => {
    const { recorded, state, trace } = downableSink();
    const store = await open();
    const { clock, lots } = setup({ store, trace });
    state.down = () => true;
    await expect(lots.register(packed)).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    state.down = () => false;
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    state.down = () => true;
    // Stored and traced: registering again is refused, and traces nothing more.
    await expect(lots.register(packed)).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
    expect(recorded.events.filter((e) => e.reason === '∅ → built')).toHaveLength(1);
    await store.close();
  });
});

describe('the container sent is the one registered (SCOR-2, SCOR-3)', () => {
  const flipped = (b: Uint8Array): Uint8Array => {
    const c = b.slice();
    const at = c.length >> 1;
    c[at] = c[at]! ^ 0x01;
    return c;
  };
  const alterations: [string, (b: Uint8Array) => Uint8Array | null][] = [
    ['one bit flipped', flipped],
    ['truncated', (b) => b.slice(0, b.length - 1)],
    ['extended', (b) => Uint8Array.from([...b, 0])],
    ['missing', () => null],
    ['another lot', () => other.container.bytes.slice()],
  ];
  for (const [what, alter] of alterations) {
    it(`never hands the transport a container ${what} in the store: ERR_LOT_STORE_CORRUPT, the attempt recorded and traced`, async () => {
      const { store, state } = tamperingStore();
      const { clock, transport, trace, lots } = setup({ store, autoSend: false });
      await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
      state.alter = (b, id) => (id === packed.lotId ? alter(b) : b);
      const error = await lots.send(packed.lotId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScorError);
      expect(error).toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
      expect((error as ScorError).message).toMatch(/^Enregistrement de lot illisible dans le stockage \(.+\)\.$/);
      expect(transport.sent).toHaveLength(0);
      // Not left « sent » without a transmission: a failed attempt, the next one scheduled.
      expect(await lots.get(packed.lotId)).toMatchObject({ state: 'retrying', attempts: 1, dueAt: new Date(clock.now().getTime() + 2 * H).toISOString() });
      expect(trace.events.at(-2)).toMatchObject({ action: 'lot.sent', outcome: 'failure', code: 'ERR_LOT_STORE_CORRUPT' });
      // tick lists it with its code and goes on with the other lots
      await lots.register(other, { b2Arl: arl(other, 'b2', true, clock.now()) });
      clock.advance(2 * H);
      const report = await lots.tick();
      expect(report.errors).toEqual([{ lotId: packed.lotId, code: 'ERR_LOT_STORE_CORRUPT' }]);
      expect(report.failed).toEqual([]);
      expect((await lots.send(other.lotId)).state).toBe('sent');
      // Restored (from a backup): the next attempt sends the registered bytes.
      delete state.alter;
      clock.advance(2 * H);
      expect((await lots.tick()).sent).toContain(packed.lotId);
      const sent = transport.sent.filter((t) => t.lotId === packed.lotId);
      expect(sent).toHaveLength(1);
      expect(Buffer.from(sent[0]!.bytes).equals(Buffer.from(packed.container.bytes))).toBe(true);
    });
  }

  it('records a store that cannot read the container as a failed attempt, not a lot left sent without a transmission', async () => {
    const { store, state } = tamperingStore();
    const { clock, transport, trace, lots } = setup({ store, autoSend: false, locale: 'en' });
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    state.throws = true;
    await expect(lots.send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
    expect(transport.sent).toHaveLength(0);
    expect(await lots.get(packed.lotId)).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(trace.events.at(-2)).toMatchObject({ action: 'lot.sent', outcome: 'failure', code: 'ERR_LOT_STORE_CORRUPT' });
    expect(trace.events.at(-2)!.reason).toContain('Unreadable lot record in the store');
  });

  it('checks a container sent whole with the SHA-256 given (sha256 option), Web Crypto by default', async () => {
    const hashed: number[] = [];
    const counting = (data: Uint8Array): Uint8Array => {
      hashed.push(data.length);
      return nodeSha256(data);
    };
    const { clock, transport, lots } = setup({ sha256: counting, autoSend: false });
    await lots.register(packed, { b2Arl: arl(packed, 'b2', true, clock.now()) });
    expect((await lots.send(packed.lotId)).state).toBe('sent');
    expect(hashed).toEqual([packed.container.bytes.length]);
    expect(transport.sent).toHaveLength(1);
    // A SHA-256 that disagrees with the registered one is believed: nothing is sent.
    const wrong = setup({ sha256: () => new Uint8Array(32), autoSend: false });
    await wrong.lots.register(packed, { b2Arl: arl(packed, 'b2', true, wrong.clock.now()) });
    await expect(wrong.lots.send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
    expect(wrong.transport.sent).toHaveLength(0);
    expect(() => setup({ sha256: 'sha256' as never })).toThrow(TypeError);
  });

  it("keeps making the B2 lot's lots ready when one container is altered: that lot waits for its next attempt", async () => {
    const { store, state } = tamperingStore();
    const { clock, transport, lots } = setup({ store });
    await lots.register(packed);
    state.alter = flipped;
    const [record] = await lots.recordArl(arl(packed, 'b2', true, clock.now()));
    expect(record).toMatchObject({ lotId: packed.lotId, state: 'retrying', attempts: 1 });
    expect(transport.sent).toHaveLength(0);
  });
});

describe('jsonArlParser (SCOR-3, X-2)', () => {
  const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
  const good = { format: 's3404-arl-json/1', kind: 'pj', finess: '690008420', b2LotNumber: '042', status: 'positive', receivedAt: '2026-03-02T11:00:00+01:00' };
  it('reads the documented JSON form, times normalised to UTC', () => {
    expect(jsonArlParser.parse(enc(good))).toEqual({
      kind: 'pj',
      finess: '690008420',
      b2LotNumber: '042',
      positive: true,
      receivedAt: '2026-03-02T10:00:00.000Z',
    });
  });
  it('refuses anything else with ERR_ARL_INVALID', () => {
    const bad = [
      '',
      'not json',
      '[]',
      { ...good, format: 'x' },
      { ...good, status: 'maybe' },
      { ...good, finess: '12' },
      { ...good, receivedAt: 'hier' },
      { ...good, extra: true },
      { ...good, reason: 'a\u0000b' },
      new Uint8Array([0xff, 0xfe, 0x7b]),
      'x'.repeat(70_000),
    ];
    for (const b of bad) expect(() => jsonArlParser.parse(b instanceof Uint8Array ? b : enc(b))).toThrow(expect.objectContaining({ code: 'ERR_ARL_INVALID' }));
    expect(() => jsonArlParser.parse('{}' as never)).toThrow(TypeError);
  });
});
