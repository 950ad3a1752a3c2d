import { describe, expect, it } from 'vitest';
import { AuditEventDraftSchema, type AuditEventDraft } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { checkDraft } from '../src/internal/check-draft.js';
import { collect, draft, memoryLog, prng } from './helpers.js';

/**
 * The append path of issue 19 (AUD-1, AUD-2): the draft checks written out
 * for speed accept exactly what `AuditEventDraftSchema` accepts, NIRs are
 * still pseudonymised, and the memory store, which keeps each append's
 * lines as UTF-8 bytes in pages, reads, purges and verifies as before.
 */

const base = (): Record<string, unknown> => ({
  action: 'signature.sealed',
  actor: { personId: 'prat-1', role: 'practitioner', terminalId: 'tablette-1' },
  subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 2, recordId: 'r-1' },
  outcome: 'success',
});

/** One change to a valid draft: a path and the value put there (`DELETE` removes the key). */
const DELETE = Symbol('delete');
const CHANGES: [string[], unknown][] = [
  [['action'], 'signature.unknown'],
  [['action'], 7],
  [['action'], DELETE],
  [['outcome'], 'maybe'],
  [['outcome'], DELETE],
  [['extra'], 1],
  [['extra'], undefined],
  [['actor'], null],
  [['actor'], []],
  [['actor'], 'prat-1'],
  [['actor', 'personId'], ''],
  [['actor', 'personId'], 'x'.repeat(128)],
  [['actor', 'personId'], 'x'.repeat(129)],
  [['actor', 'personId'], 'a\u0000b'],
  [['actor', 'personId'], 'a\u007fb'],
  [['actor', 'personId'], 'a\nb'],
  [['actor', 'personId'], 'é€😀'],
  [['actor', 'personId'], 12],
  [['actor', 'role'], 'admin'],
  [['actor', 'role'], 'service'],
  [['actor', 'terminalId'], DELETE],
  [['actor', 'extra'], 'x'],
  [['subject'], DELETE],
  [['subject'], undefined],
  [['subject'], null],
  [['subject'], []],
  [['subject'], {}],
  [['subject', 'extra'], 1],
  [['subject', 'line'], 0],
  [['subject', 'line'], 9999],
  [['subject', 'line'], 10000],
  [['subject', 'line'], 1.5],
  [['subject', 'line'], Number.NaN],
  [['subject', 'line'], '2'],
  [['subject', 'line'], undefined],
  [['subject', 'bordereauId'], 'x'.repeat(64)],
  [['subject', 'bordereauId'], 'x'.repeat(65)],
  [['subject', 'contextNonce'], 'x'.repeat(128)],
  [['subject', 'contextNonce'], 'x'.repeat(129)],
  [['subject', 'day'], '2026-03-20'],
  [['subject', 'day'], '2026-3-20'],
  [['subject', 'day'], '2026-03-20\n'],
  [['subject', 'finess'], '750300360'],
  [['subject', 'finess'], '2A0300360'],
  [['subject', 'finess'], '75030036'],
  [['subject', 'firstSeq'], 1],
  [['subject', 'firstSeq'], 0],
  [['subject', 'lastSeq'], Number.MAX_SAFE_INTEGER],
  [['subject', 'lastSeq'], Number.MAX_SAFE_INTEGER + 1],
  [['subject', 'lastSeq'], Number.POSITIVE_INFINITY],
  [['subject', 'exportId'], ''],
  [['subject', 'lotId'], 'lot\u001f'],
  [['subject', 'invoiceNumber'], 'F-1'],
  [['code'], 'ERR_RECORD_REPLAYED'],
  [['code'], 'err_lower'],
  [['code'], 'E'],
  [['code'], `E${'R'.repeat(63)}`],
  [['code'], `E${'R'.repeat(64)}`],
  [['code'], undefined],
  [['reason'], 'x'.repeat(500)],
  [['reason'], 'x'.repeat(501)],
  [['reason'], ''],
  [['reason'], 'tab\there'],
  [['id'], '0192f1a0-0000-7000-8000-000000000001'],
  [['id'], '0192f1a0-0000-4000-8000-000000000001'],
  [['id'], '0192F1A0-0000-7000-8000-000000000001'],
  [['id'], '0192f1a0-0000-7000-c000-000000000001'],
  [['id'], ''],
  [['id'], 7],
  [['id'], undefined],
  [['firstDelivery'], true],
  [['firstDelivery'], false],
  [['firstDelivery'], 'true'],
  [['firstDelivery'], 1],
  [['count'], 0],
  [['count'], -1],
  [['count'], 2.5],
  [['count'], Number.MAX_SAFE_INTEGER],
  [['count'], Number.MAX_SAFE_INTEGER + 2],
  [['count'], 10n],
  [['time'], '2026-03-20T09:59:00.000Z'],
  [['time'], '2026-03-20T09:59:00Z'],
  [['time'], '2026-03-20T09:59:00.000+01:00'],
  [['time'], 'yesterday'],
  [['time'], '2024-02-29T23:59:59.999Z'],
  [['time'], '2023-02-29T12:00:00.000Z'],
  [['time'], '2026-02-30T12:00:00.000Z'],
  [['time'], '2026-03-20T24:00:00.000Z'],
  [['time'], '2026-03-19T23:59:60.000Z'],
  [['time'], '2026-03-20T09:59:00.000z'],
  [['time'], '0000-01-01T00:00:00.000Z'],
  [['time'], '+002026-03-20T09:59:00.000Z'],
  [['time'], ' 2026-03-20T09:59:00.000Z'],
  [['time'], new Date('2026-03-20T09:59:00.000Z')],
];

function changed(path: string[], value: unknown): Record<string, unknown> {
  const d = base();
  let at: Record<string, unknown> = d;
  for (const k of path.slice(0, -1)) {
    const next = at[k];
    at[k] = typeof next === 'object' && next !== null ? { ...(next as Record<string, unknown>) } : {};
    at = at[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === DELETE) delete at[last];
  else at[last] = value;
  return d;
}

/** What the log does with a draft: the error code, or `ok`. */
async function outcome(d: unknown, many: boolean): Promise<string> {
  const log = memoryLog();
  try {
    // The draft first: a draft dated more than the skew before an earlier one of its batch is refused for its time (row 62).
    if (many) await log.appendMany([d as AuditEventDraft, draft(0)]);
    else await log.append(d as AuditEventDraft);
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('the append path of issue 19 (AUD-1, AUD-2)', () => {
  it('accepts exactly the drafts the schema accepts, alone and in a batch, and refuses the others with ERR_AUDIT_EVENT_INVALID', async () => {
    const cases: unknown[] = [base(), ...CHANGES.map(([path, value]) => changed(path, value))];
    // Strict objects see inherited enumerable keys, and a `__proto__` key read from JSON.
    cases.push(Object.assign(Object.create({ inherited: 1 }) as object, base()));
    cases.push(JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(base()).slice(1)}`));
    cases.push(null, [], 'draft', 42);
    // Random drops, swaps and foreign values.
    const next = prng(19);
    const pool: unknown[] = [undefined, null, '', 'x', 'x'.repeat(200), 0, -1, 1.5, 1e21, true, {}, [], 'service', 'success', '750300360', '2026-03-20'];
    for (let i = 0; i < 150; i++) {
      const [path] = CHANGES[Math.floor(next() * CHANGES.length)]!;
      cases.push(changed(path, pool[Math.floor(next() * pool.length)]));
    }
    let accepted = 0;
    for (const d of cases) {
      const expected = AuditEventDraftSchema.safeParse(d).success ? 'ok' : 'ERR_AUDIT_EVENT_INVALID';
      if (expected === 'ok') accepted++;
      expect(
        await outcome(d, false),
        JSON.stringify(d, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)),
      ).toBe(expected);
      if (d !== null && typeof d === 'object' && !Array.isArray(d)) expect(await outcome(d, true)).toBe(expected);
    }
    expect(accepted).toBeGreaterThan(20);
    expect(accepted).toBeLessThan(cases.length - 40);
  });

  it('takes the written-out checks for a time as the SDK’s emitters write it, and only for times the schema accepts', () => {
    // Times of the right shape, with any digits: out-of-range months, days, hours, leap days of any century.
    const next = prng(7);
    const digits = (n: number, max: number): string => String(Math.floor(next() * max)).padStart(n, '0');
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const day = i % 3 === 0 ? `${digits(2, 100)}${digits(2, 100)}-02-29` : `${digits(4, 10_000)}-${digits(2, 14)}-${digits(2, 33)}`;
      const time = `${day}T${digits(2, 26)}:${digits(2, 61)}:${digits(2, 62)}.${digits(3, 1000)}Z`;
      const d = { ...base(), time };
      const schema = AuditEventDraftSchema.safeParse(d);
      const checked = checkDraft(d);
      expect(checked !== null, time).toBe(schema.success);
      if (checked !== null) {
        expect(checked).toEqual(schema.data);
        fast++;
      }
    }
    expect(fast).toBeGreaterThan(300);
    // The times of the SDK's emitters (`Date#toISOString`) take the written-out checks.
    expect(checkDraft({ ...base(), time: new Date(Date.UTC(2026, 11, 7, 7, 30, 5, 9)).toISOString() })).not.toBeNull();
  });

  it('gives the event the schema gives: only the known keys, the subject default, NIRs pseudonymised', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, pseudonymKey: new Uint8Array(32).fill(7) });
    const nir = '2 55 08 14 168 025 38';
    const [e1, e2] = await log.appendMany([
      {
        action: 'signature.refused',
        actor: { personId: `patient ${nir}`, role: 'insured', terminalId: 'tablette-1' },
        outcome: 'refused',
        code: 'ERR_X',
        reason: nir,
      },
      { ...(base() as AuditEventDraft), subject: { recordId: nir, line: 3 }, count: 2 },
    ]);
    expect(e1!.subject).toEqual({});
    expect(e1!.actor.personId).toMatch(/^patient nir~[0-9a-f]{16}$/);
    expect(e1!.reason).toMatch(/^nir~[0-9a-f]{16}$/);
    expect(e2!.subject).toEqual({ recordId: e1!.reason, line: 3 });
    expect(e2!.count).toBe(2);
    expect(Object.keys(e2!)).toEqual(['v', 'id', 'seq', 'time', 'action', 'actor', 'subject', 'outcome', 'count', 'prev', 'hash']);
    const text = new TextDecoder().decode(await collect(store.lines()));
    expect(text).not.toContain('168 025');
    expect((await log.verify()).ok).toBe(true);
  });

  it('the memory store reads, purges inside an append and verifies from its stored lines', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store });
    const events = [...(await log.appendMany(Array.from({ length: 6 }, (_, i) => draft(i)))), await log.append(draft(6))];
    events.push(...(await log.appendMany([draft(7), draft(8), draft(9)])));
    const before = new TextDecoder().decode(await collect(store.lines())).split('\n');
    expect(before).toHaveLength(11);
    const read = async (options?: { fromSeq?: number; toSeq?: number }) => {
      const out = [];
      for await (const e of store.read(options)) out.push(e);
      return out;
    };
    expect(await read()).toEqual(events);
    expect((await read({ fromSeq: 6, toSeq: 8 })).map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(await store.purge(4)).toBe(4);
    expect(store.size).toBe(6);
    expect((await read()).map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(new TextDecoder().decode(await collect(store.lines()))).toBe(before.slice(4).join('\n'));
    expect(await store.purge(7)).toBe(3);
    expect((await read({ fromSeq: 9 })).map((e) => e.seq)).toEqual([9, 10]);
    expect(await store.purge(10)).toBe(3);
    expect(store.size).toBe(0);
    expect(await collect(store.lines())).toHaveLength(0);
  });
  it('the memory store keeps non-ASCII text and lines beyond one page of bytes as written (reads, lines, purge, verify)', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store });
    // 2,600 events of about 500 bytes: more than one 1 MiB page; accents, a euro sign and an emoji (4 UTF-8 bytes) in the reasons.
    const events = [];
    for (let from = 0; from < 2_600; from += 500) {
      const batch = Array.from({ length: 500 }, (_, i) => ({ ...draft(from + i), reason: `motif n° ${from + i} : été, 10 €, 😀` }));
      events.push(...(await log.appendMany(batch)));
    }
    const text = new TextDecoder().decode(await collect(store.lines()));
    expect(text.length).toBeGreaterThan(1 << 20);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
    const read = async (options?: { fromSeq?: number; toSeq?: number }) => {
      const out = [];
      for await (const e of store.read(options)) out.push(e);
      return out;
    };
    expect(await read()).toEqual(events);
    expect((await read({ fromSeq: 2_100, toSeq: 2_102 })).map((e) => e.reason)).toEqual([2_099, 2_100, 2_101].map((n) => `motif n° ${n} : été, 10 €, 😀`));
    expect((await log.verify()).ok).toBe(true);
    expect(await store.purge(2_150)).toBe(2_150);
    expect((await read()).map((e) => e.seq)).toEqual(events.slice(2_150).map((e) => e.seq));
    expect(new TextDecoder().decode(await collect(store.lines()))).toBe(`${lines.slice(2_150).join('\n')}\n`);
  });
});
