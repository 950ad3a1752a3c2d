import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { uuidV7Of } from '@s3404/core';
import { clock, draft, memoryLog, seededRandom } from './helpers.js';

/**
 * A caller's event id (AUD-2): it lets a retry of the same action find the
 * event already traced, and nothing else. An id given again with another
 * action, actor, subject, outcome, code, reason or count is refused
 * `ERR_AUDIT_ID_REUSED` and writes nothing: a reused id never hides an
 * action from the trace. The time is not compared: the action was traced
 * when its id was first given, and a retry may be dated again.
 */
const id = (n: number): string => `0192f1a0-0000-7000-8000-${String(n).padStart(12, '0')}`;

async function setup() {
  const store = new MemoryAuditStore();
  const c = clock();
  const log = memoryLog({ store, now: c.now, random: seededRandom(41), pseudonymKey: new Uint8Array(32).fill(7) });
  const ids = async (): Promise<string[]> => {
    const out: string[] = [];
    for await (const e of store.read()) out.push(e.id);
    return out;
  };
  return { store, c, log, ids };
}

describe('an event id given by the caller (AUD-2)', () => {
  it('the same action again is answered with its event, dated again or not, a NIR in its reason included; nothing is written', async () => {
    const { c, log, ids } = await setup();
    const reason = 'assuré 1 85 05 78 006 084 36 absent';
    const first = await log.append({ ...draft(1), reason, id: id(1) });
    c.advance(60);
    expect(await log.append({ ...draft(1), reason, id: id(1) })).toEqual(first);
    const dated = await log.append({ ...draft(2), time: c.now().toISOString(), id: id(2) });
    c.advance(60);
    expect(await log.append({ ...draft(2), time: dated.time, id: id(2) })).toEqual(dated);
    expect(await log.append({ ...draft(2), time: c.now().toISOString(), id: id(2) })).toEqual(dated);
    expect(await log.append({ ...draft(2), id: id(2) })).toEqual(dated);
    expect(await ids()).toEqual([id(1), id(2)]);
  });

  it('another event under a traced id is refused ERR_AUDIT_ID_REUSED, in French and English, and nothing is written', async () => {
    const { log, ids } = await setup();
    const first = await log.append({ ...draft(1), id: id(1) });
    const others = [
      { ...draft(2), id: id(1) },
      { ...draft(1), outcome: 'failure' as const, id: id(1) },
      { ...draft(1), reason: 'autre', id: id(1) },
      { ...draft(1), count: 3, id: id(1) },
      { ...draft(1), actor: { ...draft(1).actor, terminalId: 'autre' }, id: id(1) },
      { ...draft(1), subject: { ...draft(1).subject, line: 9 }, id: id(1) },
      { ...draft(1), subject: { ...draft(1).subject, lotId: 'L-1' }, id: id(1) },
    ];
    for (const other of others) {
      const e = await log.append(other).catch((x: unknown) => x);
      expect(e, JSON.stringify(other)).toMatchObject({ code: 'ERR_AUDIT_ID_REUSED', kind: 'input', params: { id: id(1), seq: first.seq } });
    }
    expect(await ids()).toEqual([id(1)]);
  });

  it('appendMany: a clash with the trace or within the batch refuses the whole batch with its index; the same action twice is written once', async () => {
    const { log, ids } = await setup();
    await log.append({ ...draft(1), id: id(1) });
    await expect(log.appendMany([draft(5), { ...draft(6), id: id(1) }])).rejects.toMatchObject({
      code: 'ERR_AUDIT_ID_REUSED',
      params: { id: id(1), index: 1 },
    });
    await expect(log.appendMany([{ ...draft(5), id: id(5) }, draft(6), { ...draft(7), id: id(5) }])).rejects.toMatchObject({
      code: 'ERR_AUDIT_ID_REUSED',
      params: { id: id(5), index: 2 },
    });
    expect(await ids()).toEqual([id(1)]);
    const twice = await log.appendMany([{ ...draft(5), id: id(5) }, draft(6), { ...draft(5), id: id(5) }, { ...draft(1), id: id(1) }]);
    expect(twice[2]).toEqual(twice[0]);
    expect(twice[3]!.seq).toBe(1);
    expect((await ids()).length).toBe(3);
  });

  it('says what happened, in French by default and in English', async () => {
    const fr = await setup();
    await fr.log.append({ ...draft(1), id: id(1) });
    const e = (await fr.log.append({ ...draft(2), id: id(1) }).catch((x: unknown) => x)) as Error;
    expect(e.message).toBe(
      `Identifiant d'événement ${id(1)} déjà tracé pour un autre événement (séquence 1) : rien n'a été écrit ; un identifiant ne sert qu'à retracer la même action.`,
    );
    const store = new MemoryAuditStore();
    const en = memoryLog({ store, locale: 'en' });
    const held: AuditEvent = await en.append({ ...draft(1), id: id(1) });
    const x = (await en.append({ ...draft(2), id: id(1) }).catch((y: unknown) => y)) as Error;
    expect(x.message).toBe(
      `Event id ${id(1)} already traced for another event (sequence ${held.seq}): nothing was written; an id only serves to trace the same action again.`,
    );
  });

  it('every caller id is looked up, a first delivery’s too, the store told the earliest time the ids were made', async () => {
    const { store, log, ids } = await setup();
    // A store that records its lookups.
    const lookups: { ids: readonly string[]; since: number | undefined }[] = [];
    const counting = {
      ...store,
      append: (build: Parameters<typeof store.append>[0]) =>
        store.append((head, held) =>
          build(
            head,
            held &&
              ((wanted, hint) => {
                lookups.push({ ids: [...wanted], since: hint?.since });
                return held(wanted, hint);
              }),
          ),
        ),
      read: store.read.bind(store),
      lines: store.lines.bind(store),
      head: store.head.bind(store),
      purge: store.purge.bind(store),
      close: store.close.bind(store),
    };
    const c = clock();
    const counted = memoryLog({ store: counting, random: seededRandom(42), now: c.now });
    // Ids made when their actions were (a UUIDv7's time), as the SDK's emitters make them.
    const made = (n: number, ms = c.now().getTime()): string => uuidV7Of(ms, new Uint8Array(16).fill(n));
    const first = await counted.append({ ...draft(1), id: made(1), firstDelivery: true });
    expect(first.id).toBe(made(1));
    expect(lookups).toEqual([{ ids: [made(1)], since: c.now().getTime() }]);
    expect(await counted.append({ ...draft(1), id: made(1) })).toEqual(first);
    // A batch: its ids asked at once, `since` the earliest of their times; a draft without an id is not looked up.
    await counted.appendMany([{ ...draft(2), id: made(2) }, draft(3), { ...draft(4), id: made(4, c.now().getTime() - 5_000) }]);
    expect(lookups.at(-1)).toEqual({ ids: [made(2), made(4, c.now().getTime() - 5_000)], since: c.now().getTime() - 5_000 });
    expect(lookups).toHaveLength(3);
    expect((await ids()).length).toBe(4);
    await expect(log.append({ ...draft(4), firstDelivery: 'yes' as never })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
  });

  it('a first delivery whose id is dated after the log’s clock (a skewed or hostile emitter) is looked for, not trusted', async () => {
    const store = new MemoryAuditStore();
    const c = clock();
    const ahead = uuidV7Of(c.now().getTime() + 3_600_000, new Uint8Array(16).fill(6));
    const log = memoryLog({ store, random: seededRandom(45), now: c.now });
    const traced = await log.append({ ...draft(8), id: ahead });
    expect(await log.append({ ...draft(8), id: ahead, firstDelivery: true })).toEqual(traced);
    expect(store.size).toBe(1);
  });

  it('a first delivery made after another process delivered the same event (a paused process, a retried request) is answered with it, written once', async () => {
    const store = new MemoryAuditStore();
    const c = clock();
    const made = uuidV7Of(c.now().getTime(), new Uint8Array(16).fill(9));
    const soon = uuidV7Of(c.now().getTime(), new Uint8Array(16).fill(7));
    // The emitter's other process delivered both events: one a minute after it was made, one at once.
    const other = memoryLog({ store, random: seededRandom(43), now: c.now });
    const first = { ...draft(5), id: made };
    const tracedSoon = await other.append({ ...draft(7), id: soon });
    c.advance(60);
    const traced = await other.append(first);
    // The first delivery, late or not, in a single append and in a batch: answered with what the other wrote.
    const slow = memoryLog({ store, random: seededRandom(44), now: c.now });
    expect(await slow.append({ ...first, firstDelivery: true })).toEqual(traced);
    expect(await slow.appendMany([{ ...draft(7), id: soon, firstDelivery: true }])).toEqual([tracedSoon]);
    expect(store.size).toBe(2);
  });
});
