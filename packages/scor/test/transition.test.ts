import { describe, expect, it } from 'vitest';
import {
  LOT_EVENT_TYPES,
  LOT_STATES,
  frenchCalendar,
  resolveLotPolicy,
  transitionLot,
  type ArlOutcome,
  type LotEvent,
  type LotEventType,
  type LotRecord,
  type LotState,
  type ScorErrorCode,
} from '@s3404/scor';

/**
 * SCOR-3: the lot lifecycle as a table — every state × every event, with
 * the state `transitionLot` moves the lot to, `—` when the event changes
 * nothing, or the code it refuses with. Variants of an event (a positive
 * or negative ARL, inside or past the retry window…) are rows of their own.
 */

/** Monday 2 March 2026, 10:00 in Paris: the first attempt. */
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;
const iso = (ms: number): string => new Date(ms).toISOString();
/** Wednesday 4 March 2026, 10:00 in Paris: when the events of the table happen. */
const AT = new Date(T0 + 2 * D);
/** End of the retry window of a first attempt at T0: the end of Monday 9 March (Paris). */
const DEADLINE = '2026-03-09T23:00:00.000Z';
const POLICY = resolveLotPolicy({}, { calendar: frenchCalendar() });

/** States before any attempt: no attempt, no window. */
const BEFORE_SENDING: readonly LotState[] = ['built', 'awaiting-b2-arl', 'b2-rejected', 'ready'];

/** A plausible record in `state` at `AT`: attempted once at T0 (unless not sent yet), due, past its retention date. */
function lotIn(state: LotState, given: Partial<LotRecord> = {}): LotRecord {
  const attempted = !BEFORE_SENDING.includes(state);
  return deepFreeze({
    lotId: '750300360-042-0123456789ab',
    finess: '750300360',
    b2LotNumber: '042',
    invoices: 2,
    files: 4,
    container: { codec: 's3404-zip/1', fileName: '750300360-042-0123456789ab.zip', mediaType: 'application/zip', bytes: 4096, sha256: 'a'.repeat(64) },
    manifestSha256: 'b'.repeat(64),
    state,
    version: 7,
    createdAt: iso(T0 - H),
    updatedAt: iso(T0),
    dueAt: iso(T0 + H),
    b2Arl: null,
    pjArl: null,
    attempts: attempted ? 1 : 0,
    firstAttemptAt: attempted ? iso(T0) : null,
    lastAttemptAt: attempted ? iso(T0) : null,
    retryDeadline: attempted ? DEADLINE : null,
    transmittedAt: null,
    transmissionRef: null,
    paperFallbackAt: null,
    purgeAfter: iso(T0 + H),
    purgedAt: null,
    history: [{ from: null, to: 'built', at: iso(T0 - H) }],
    ...given,
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const arl = (positive: boolean): ArlOutcome => ({ positive, receivedAt: AT.toISOString(), ...(positive ? {} : { code: 'PJ05', reason: 'PDF illisible' }) });

/** The events of the table, each variant a row: the event, and the fields every state's record has for it. */
const EVENTS: Readonly<Record<string, { readonly event: LotEvent; readonly given?: Partial<LotRecord> }>> = {
  register: { event: { type: 'register' } },
  'b2-arl+': { event: { type: 'b2-arl', arl: arl(true), autoSend: true } },
  'b2-arl-': { event: { type: 'b2-arl', arl: arl(false), autoSend: true } },
  'pj-arl+': { event: { type: 'pj-arl', arl: arl(true) } },
  'pj-arl-': { event: { type: 'pj-arl', arl: arl(false) } },
  claim: { event: { type: 'claim-attempt' } },
  'claim-late': { event: { type: 'claim-attempt' }, given: { retryDeadline: iso(AT.getTime() - H) } },
  accepted: { event: { type: 'transport-accepted', attempt: 1, attemptAt: iso(T0), reference: 'msg-1' } },
  'accepted-again': {
    event: { type: 'transport-accepted', attempt: 1, attemptAt: iso(T0), reference: 'msg-1' },
    given: { transmittedAt: iso(T0), transmissionRef: 'msg-1' },
  },
  failed: { event: { type: 'transport-failed', attempt: 1, failure: 'ECONNRESET' } },
  'failed-late': { event: { type: 'transport-failed', attempt: 1, failure: 'ECONNRESET' }, given: { retryDeadline: iso(AT.getTime() + H) } },
  retry: { event: { type: 'retry' } },
  'retry-late': { event: { type: 'retry' }, given: { retryDeadline: iso(AT.getTime() + H) } },
  timeout: { event: { type: 'arl-timeout' } },
  'timeout-early': { event: { type: 'arl-timeout' }, given: { dueAt: iso(AT.getTime() + H) } },
  'timeout-late': { event: { type: 'arl-timeout' }, given: { retryDeadline: iso(AT.getTime() - H) } },
  purge: { event: { type: 'purge' } },
  'purge-early': { event: { type: 'purge' }, given: { purgeAfter: iso(AT.getTime() + D) } },
};

/*
 * Rows: the events above (`+`/`-` a positive or negative ARL; `-late` past the
 * retry window, or the next attempt would be; `-early` not due yet, or before
 * the end of the retention; `accepted-again` a transmission already recorded).
 * Columns: LOT_STATES in order. Cells: the state the lot moves to (`awaiting`
 * = awaiting-b2-arl, `rejected` = b2-rejected, `arl+`/`arl-` = arl-positive/
 * arl-negative, `paper` = paper-fallback), `—` when nothing changes, or the
 * refusal (`STATE` = ERR_LOT_STATE, `NO-B2` = ERR_LOT_B2_ARL_MISSING,
 * `KEPT` = ERR_LOT_RETENTION). `accepted` records attempt 1's transmission
 * whatever came since (an early ARL PJ): the state stays.
 */
const TABLE = `
                built     awaiting  rejected  ready     sent      arl+      arl-      retrying  paper     purged
register        awaiting  —         —         —         —         —         —         —         —         —
b2-arl+         —         ready     ready     —         —         —         —         —         —         —
b2-arl-         —         rejected  rejected  —         —         —         —         —         —         —
pj-arl+         STATE     STATE     STATE     STATE     arl+      —         arl+      arl+      STATE     STATE
pj-arl-         STATE     STATE     STATE     STATE     arl-      STATE     arl-      arl-      STATE     STATE
claim           NO-B2     NO-B2     NO-B2     sent      STATE     STATE     STATE     sent      STATE     STATE
claim-late      NO-B2     NO-B2     NO-B2     paper     STATE     STATE     STATE     paper     STATE     STATE
accepted        —         —         —         —         sent      arl+      arl-      retrying  paper     purged
accepted-again  —         —         —         —         —         —         —         —         —         —
failed          —         —         —         —         retrying  —         —         —         —         —
failed-late     —         —         —         —         paper     —         —         —         —         —
retry           —         —         —         —         —         —         retrying  —         —         —
retry-late      —         —         —         —         —         —         paper     —         —         —
timeout         —         —         —         —         retrying  —         —         —         —         —
timeout-early   —         —         —         —         —         —         —         —         —         —
timeout-late    —         —         —         —         paper     —         —         —         —         —
purge           STATE     STATE     STATE     STATE     STATE     purged    STATE     STATE     purged    STATE
purge-early     STATE     STATE     STATE     STATE     STATE     KEPT      STATE     STATE     KEPT      STATE
`;

/** `—`: nothing changes; a state: the lot moves there; a code: the event is refused. */
type Cell = LotState | '—' | ScorErrorCode;
const _ = '—';
const WORDS: Readonly<Record<string, Cell>> = {
  awaiting: 'awaiting-b2-arl',
  rejected: 'b2-rejected',
  'arl+': 'arl-positive',
  'arl-': 'arl-negative',
  paper: 'paper-fallback',
  STATE: 'ERR_LOT_STATE',
  'NO-B2': 'ERR_LOT_B2_ARL_MISSING',
  KEPT: 'ERR_LOT_RETENTION',
};
const cell = (word: string): Cell => WORDS[word] ?? (word as Cell);

const [HEADER, ...ROWS] = TABLE.trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/));
const CASES = ROWS.flatMap(([name, ...cells]) =>
  cells.map((word, k) => ({ row: name!, state: cell(HEADER![k]!) as LotState, ...EVENTS[name!]!, expected: cell(word) })),
);

describe('transitionLot: every state × every event (SCOR-3)', () => {
  it('covers every pair of LOT_STATES × LOT_EVENT_TYPES, each row naming every state', () => {
    expect(HEADER!.map(cell)).toEqual([...LOT_STATES]);
    for (const [name, ...cells] of ROWS) {
      expect(EVENTS[name!], name).toBeDefined();
      expect(cells, name).toHaveLength(LOT_STATES.length);
      for (const c of cells.map(cell)) expect(c === _ || c.startsWith('ERR_') || LOT_STATES.includes(c as LotState), `${name}: ${c}`).toBe(true);
    }
    expect(ROWS.map(([name]) => name).sort()).toEqual(Object.keys(EVENTS).sort());
    const covered = new Set(CASES.map((c) => `${c.state} × ${c.event.type}`));
    const missing = LOT_STATES.flatMap((s) => LOT_EVENT_TYPES.map((e: LotEventType) => `${s} × ${e}`)).filter((pair) => !covered.has(pair));
    expect(missing).toEqual([]);
    expect(covered.size).toBe(LOT_STATES.length * LOT_EVENT_TYPES.length);
  });

  it.each(CASES)('$row: $state → $expected', ({ state, event, given, expected }) => {
    const before = lotIn(state, given ?? {});
    const result = transitionLot(before, event, POLICY, AT);
    if (expected === _) {
      expect(result).toEqual({ unchanged: true });
    } else if (expected.startsWith('ERR_')) {
      expect('refused' in result && result.refused).toBe(expected);
      expect('refused' in result && result.trace).toMatchObject({ outcome: 'refused', code: expected });
    } else {
      if (!('next' in result)) throw new Error(`expected ${expected}, got ${JSON.stringify(result)}`);
      const next = result.next;
      expect(next.state).toBe(expected);
      expect(next.version).toBe(before.version + 1);
      expect(next.updatedAt).toBe(AT.toISOString());
      // A move to another state is in the history; recording an accepted transmission is not a move.
      if (event.type === 'transport-accepted') expect(next.history).toEqual(before.history);
      else expect(next.history.at(-1)).toMatchObject({ from: state, to: expected, at: AT.toISOString() });
      expect(result.dropContainer === true).toBe(event.type === 'purge');
    }
  });
});

describe('transitionLot: what a transition writes and traces (SCOR-3)', () => {
  const apply = (state: LotState, event: LotEvent, given: Partial<LotRecord> = {}, policy = POLICY) => {
    const r = transitionLot(lotIn(state, given), event, policy, AT);
    if (!('next' in r)) throw new Error(JSON.stringify(r));
    return r;
  };

  it('opens the retry window with the first attempt and waits arlTimeoutHours for the ARL PJ', () => {
    const { next, trace } = apply('ready', { type: 'claim-attempt' });
    // First attempt on Wednesday 4 March: the window ends with Wednesday 11 March (Paris).
    expect(next).toMatchObject({
      attempts: 1,
      firstAttemptAt: AT.toISOString(),
      lastAttemptAt: AT.toISOString(),
      retryDeadline: '2026-03-11T23:00:00.000Z',
      dueAt: iso(AT.getTime() + 24 * H),
    });
    expect(next.history.at(-1)).toMatchObject({ attempt: 1 });
    expect(trace).toBeNull(); // the manager traces the transport's answer
    const second = apply('retrying', { type: 'claim-attempt' }, { retryDeadline: iso(AT.getTime() + 3 * H) });
    expect(second.next).toMatchObject({ attempts: 2, firstAttemptAt: iso(T0), dueAt: iso(AT.getTime() + 3 * H) }); // never past the window
  });

  it('keeps an acknowledged lot retentionDays from its transmission, a lot on paper from the fallback', () => {
    expect(apply('sent', { type: 'pj-arl', arl: arl(true) }, { transmittedAt: iso(T0) }).next).toMatchObject({
      purgeAfter: iso(T0 + 90 * D),
      dueAt: iso(T0 + 90 * D),
      pjArl: arl(true),
    });
    const policy = resolveLotPolicy({ retentionDays: 120 });
    const fallback = apply('sent', { type: 'arl-timeout' }, { retryDeadline: iso(T0) }, policy);
    expect(fallback.next).toMatchObject({ paperFallbackAt: AT.toISOString(), purgeAfter: iso(AT.getTime() + 120 * D) });
    expect(fallback.trace).toEqual({ action: 'lot.paper-fallback', outcome: 'failure', code: 'ERR_LOT_PAPER_FALLBACK', reason: 'sent → paper-fallback' });
  });

  it('traces each move with its action, outcome and `from → to`', () => {
    expect(apply('awaiting-b2-arl', { type: 'b2-arl', arl: arl(false), autoSend: true }).trace).toEqual({
      action: 'lot.arl-received',
      outcome: 'refused',
      code: 'PJ05',
      reason: 'awaiting-b2-arl → b2-rejected',
    });
    expect(apply('awaiting-b2-arl', { type: 'b2-arl', arl: arl(true), autoSend: false }).next.dueAt).toBeNull();
    expect(apply('sent', { type: 'transport-failed', attempt: 1, failure: 'ECONNRESET' }).trace).toEqual({
      action: 'lot.retried',
      outcome: 'success',
      reason: 'sent → retrying',
    });
    expect(apply('paper-fallback', { type: 'purge' }).trace).toEqual({ action: 'lot.purged', outcome: 'success', reason: 'paper-fallback → purged' });
    const refused = transitionLot(lotIn('purged'), { type: 'pj-arl', arl: arl(true) }, POLICY, AT);
    expect(refused).toEqual({
      refused: 'ERR_LOT_STATE',
      params: { lotId: '750300360-042-0123456789ab', state: 'purged', action: 'ARL PJ' },
      trace: { action: 'lot.arl-received', outcome: 'refused', code: 'ERR_LOT_STATE', reason: 'ARL PJ positif pour un lot « purged »' },
    });
  });

  it('writes history reasons in the policy language: French by default, English with no French word', () => {
    const en = resolveLotPolicy({}, { locale: 'en' });
    const events: [LotState, LotEvent, Partial<LotRecord>][] = [
      ['awaiting-b2-arl', { type: 'b2-arl', arl: arl(false), autoSend: true }, {}],
      ['sent', { type: 'pj-arl', arl: arl(false) }, {}],
      ['sent', { type: 'transport-failed', attempt: 1, failure: 'ECONNRESET' }, {}],
      ['arl-negative', { type: 'retry' }, {}],
      ['sent', { type: 'arl-timeout' }, {}],
      ['sent', { type: 'arl-timeout' }, { retryDeadline: iso(T0) }],
      ['retrying', { type: 'claim-attempt' }, { retryDeadline: iso(T0) }],
      ['arl-positive', { type: 'purge' }, {}],
    ];
    const reasons = (policy: typeof POLICY): string[] => events.map(([s, e, g]) => apply(s, e, g, policy).next.history.at(-1)?.reason ?? '');
    expect(reasons(POLICY)).toEqual([
      'ARL B2 négatif : PDF illisible',
      'ARL PJ négatif : PDF illisible',
      'échec de transmission : ECONNRESET',
      'ARL PJ négatif',
      'ARL PJ non reçu 24 h après la tentative 1',
      'ARL PJ non reçu; aucun ARL PJ positif 5 jours ouvrés après la première tentative',
      'délai de relance écoulé; aucun ARL PJ positif 5 jours ouvrés après la première tentative',
      'conservation de 90 jours écoulée',
    ]);
    expect(reasons(en)).toEqual([
      'negative B2 ARL: PDF illisible', // the ARL's own reason is data, kept as received
      'negative ARL PJ: PDF illisible',
      'transmission failed: ECONNRESET',
      'negative ARL PJ',
      'no ARL PJ received 24 h after attempt 1',
      'no ARL PJ received; no positive ARL PJ 5 working days after the first attempt',
      'retry window over; no positive ARL PJ 5 working days after the first attempt',
      '90-day retention over',
    ]);
  });

  it('is pure: the record is not changed, the same input gives the same output', () => {
    const record = lotIn('sent'); // deeply frozen: a write would throw
    const event: LotEvent = { type: 'pj-arl', arl: arl(true) };
    expect(transitionLot(record, event, POLICY, AT)).toEqual(transitionLot(record, event, POLICY, new Date(AT.getTime())));
  });

  it('refuses programmer misuse with a TypeError and a bad policy with ERR_SCOR_OPTIONS_INVALID', () => {
    expect(() => transitionLot(lotIn('ready'), { type: 'launch' } as never, POLICY, AT)).toThrow(TypeError);
    expect(() => transitionLot(lotIn('ready'), { type: 'claim-attempt' }, POLICY, new Date('nope'))).toThrow(TypeError);
    expect(() => transitionLot(lotIn('ready'), { type: 'claim-attempt' }, POLICY, Date.now() as never)).toThrow(TypeError);
    for (const bad of [{ retryWorkingDays: 0 }, { retentionDays: 89 }, { arlTimeoutHours: 1.5 }, { retryInterval: 60 } as never]) {
      expect(() => resolveLotPolicy(bad)).toThrow(expect.objectContaining({ code: 'ERR_SCOR_OPTIONS_INVALID', kind: 'input' }));
    }
    expect(() => resolveLotPolicy({}, { calendar: {} as never })).toThrow(TypeError);
    expect(resolveLotPolicy({}, { locale: 'de' as never }).locale).toBe('fr');
    expect(resolveLotPolicy({}, { locale: 'en-GB' as never }).locale).toBe('en');
  });
});
