import { resolveLocale, visibleText, type LocalizedText, type Locale, type MessageParams, type TraceOutcome } from '@s3404/core';
import { frenchCalendar, type WorkingCalendar } from '../calendar/french-calendar.js';
import { ScorError } from '../errors/scor-error.js';
import type { ScorErrorCode } from '../errors/scor-errors.js';
import type { PackedLot, PackedLotFile } from '../lot/pack-lot.js';
import type { ScorTraceAction } from '../trace.js';
import type { ArlOutcome, LotRecord, LotState } from './lot-record.js';

/**
 * The timing rules of the lifecycle (SCOR-3); every default is the SCOR
 * texts' where they give one.
 *
 * `import type { LotLifecyclePolicy } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const lots = createLotManager({ store, transport, policy: { retryIntervalMinutes: 60, retentionDays: 365 } })
 * ```
 * @public
 */
export interface LotLifecyclePolicy {
  /** Working days, after the day of the first attempt, during which a lot is retried. Default 5 (SCOR conventions); 1 to 30. */
  readonly retryWorkingDays?: number;
  /** Minutes between two attempts. Default 120; 15 to 1440. */
  readonly retryIntervalMinutes?: number;
  /** Hours to wait for the ARL PJ after a transmission before sending again. Default 24; 1 to 240. */
  readonly arlTimeoutHours?: number;
  /** Days the lot and its PJ are kept after transmission (or the paper fallback), then purged. Default 90 (SCOR conventions); 90 to 3650. */
  readonly retentionDays?: number;
}

/**
 * Everything a lot transition follows (SCOR-3): the timing rules with their
 * defaults filled in, the working calendar of the retry window, and the
 * language of the history reasons and traces. Made by {@link resolveLotPolicy}.
 *
 * `import type { ResolvedLotPolicy } from '@s3404/scor'`
 *
 * @public
 */
export interface ResolvedLotPolicy {
  readonly retryWorkingDays: number;
  readonly retryIntervalMinutes: number;
  readonly arlTimeoutHours: number;
  readonly retentionDays: number;
  readonly calendar: WorkingCalendar;
  /** Language of the history reasons and trace reasons. */
  readonly locale: Locale;
}

/**
 * What can happen to a lot (SCOR-3), each the `type` of a {@link LotEvent}:
 *
 * - `register` — the registered lot now waits for the ARL of its B2 lot;
 * - `b2-arl` — the ARL of its B2 lot came (positive: ready to send; negative: B2 rejected);
 * - `pj-arl` — the ARL PJ of the lot came (positive: acknowledged; negative: to send again);
 * - `claim-attempt` — an attempt to send it starts (or the retry window is over);
 * - `transport-accepted` / `transport-failed` — what the transport answered to attempt n;
 * - `retry` — after a negative ARL PJ: the next attempt is scheduled (or the paper fallback);
 * - `arl-timeout` — no ARL PJ came in time after an attempt;
 * - `purge` — the retention is over: the container is deleted.
 *
 * `import { LOT_EVENT_TYPES } from '@s3404/scor'`
 *
 * @public
 */
export const LOT_EVENT_TYPES = [
  'register',
  'b2-arl',
  'pj-arl',
  'claim-attempt',
  'transport-accepted',
  'transport-failed',
  'retry',
  'arl-timeout',
  'purge',
] as const;

/** One of {@link LOT_EVENT_TYPES} (SCOR-3). @public */
export type LotEventType = (typeof LOT_EVENT_TYPES)[number];

/**
 * Something that happened to a lot, the input of {@link transitionLot} (SCOR-3).
 *
 * `import type { LotEvent } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const event: LotEvent = { type: 'pj-arl', arl: { positive: true, receivedAt: '2026-03-02T11:00:00.000Z' } }
 * ```
 * @public
 */
export type LotEvent =
  | { readonly type: 'register' }
  | {
      readonly type: 'b2-arl';
      readonly arl: ArlOutcome;
      /** A positive ARL makes the lot due at once. */
      readonly autoSend: boolean;
    }
  | { readonly type: 'pj-arl'; readonly arl: ArlOutcome }
  | { readonly type: 'claim-attempt' }
  | {
      readonly type: 'transport-accepted';
      readonly attempt: number;
      /** When attempt n was claimed (its `lastAttemptAt`). */
      readonly attemptAt: string;
      readonly reference?: string;
    }
  | {
      readonly type: 'transport-failed';
      readonly attempt: number;
      /** What failed, kept in the history. */
      readonly failure: string;
    }
  | { readonly type: 'retry' }
  | { readonly type: 'arl-timeout' }
  | { readonly type: 'purge' };

/**
 * What a transition traces (SCOR-3, AUD-1): the fields of a core
 * `TraceEvent` the transition decides; the manager adds `at`, `actor` and
 * `subject`.
 *
 * `import type { LotTraceStep } from '@s3404/scor'`
 *
 * @public
 */
export interface LotTraceStep {
  readonly action: ScorTraceAction;
  readonly outcome: TraceOutcome;
  readonly code?: string;
  readonly reason?: string;
  readonly count?: number;
}

/**
 * The result of {@link transitionLot} (SCOR-3), one of:
 *
 * - `{ next, trace, dropContainer? }` — store `next` (its `version` is one
 *   more) by compare-and-set, deleting the container with `dropContainer`,
 *   then trace `trace` (none for the claim of an attempt and the record of
 *   an accepted transmission: the manager traces the transport's answer);
 * - `{ refused, params, trace }` — the event is not allowed in this state:
 *   trace the refusal, then throw `ScorError(refused, { params })`;
 * - `{ unchanged: true }` — the event no longer applies (already applied,
 *   or another process moved the lot): nothing to store or trace.
 *
 * `import type { LotTransitionResult } from '@s3404/scor'`
 *
 * @public
 */
export type LotTransitionResult =
  | { readonly next: LotRecord; readonly trace: LotTraceStep | null; readonly dropContainer?: true }
  | { readonly refused: ScorErrorCode; readonly params: MessageParams; readonly trace: LotTraceStep }
  | { readonly unchanged: true };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const RANGES = { retryWorkingDays: [1, 30], retryIntervalMinutes: [15, 1440], arlTimeoutHours: [1, 240], retentionDays: [90, 3650] } as const;
const DEFAULTS = { retryWorkingDays: 5, retryIntervalMinutes: 120, arlTimeoutHours: 24, retentionDays: 90 } as const;
const UNCHANGED: LotTransitionResult = Object.freeze({ unchanged: true });
const WAITING_FOR_B2: readonly LotState[] = ['built', 'awaiting-b2-arl', 'b2-rejected'];
const AWAITING_PJ_ARL: readonly LotState[] = ['sent', 'retrying', 'arl-negative'];

/**
 * Checks a lifecycle policy and fills in its defaults (SCOR-3): the timing
 * rules, the working calendar (default {@link frenchCalendar}, metropolitan
 * France) and the language of history reasons (default French).
 *
 * `import { resolveLotPolicy } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const policy = resolveLotPolicy({ retryIntervalMinutes: 60 }, { calendar: frenchCalendar({ alsaceMoselle: true }), locale: 'en' })
 * ```
 * @throws {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` (kind `input`) for an unknown rule or a value out of range.
 * @throws TypeError when `calendar` is not a {@link WorkingCalendar}.
 * @public
 */
export function resolveLotPolicy(
  policy: LotLifecyclePolicy = {},
  options: { readonly calendar?: WorkingCalendar; readonly locale?: Locale } = {},
): ResolvedLotPolicy {
  const locale = resolveLocale(options.locale);
  const invalid = (detail: string): ScorError => new ScorError('ERR_SCOR_OPTIONS_INVALID', { params: { detail }, locale });
  if (policy === null || typeof policy !== 'object') throw invalid('policy');
  for (const k of Object.keys(policy)) if (!Object.hasOwn(RANGES, k)) throw invalid(`policy.${k.slice(0, 40)}`);
  const out: Record<keyof typeof RANGES, number> = { ...DEFAULTS };
  for (const [k, [min, max]] of Object.entries(RANGES) as [keyof typeof RANGES, readonly [number, number]][]) {
    const v = policy[k] ?? DEFAULTS[k];
    if (!Number.isInteger(v) || v < min || v > max) throw invalid(`policy.${k}: ${min}..${max} (${String(v).slice(0, 20)})`);
    out[k] = v;
  }
  const calendar = options.calendar ?? frenchCalendar();
  if (calendar === null || typeof calendar !== 'object' || typeof calendar.workingDaysDeadline !== 'function')
    throw new TypeError('calendar must be a WorkingCalendar (see frenchCalendar)');
  return Object.freeze({ ...out, calendar, locale });
}

/**
 * The lot lifecycle as one pure function (SCOR-3): what `event` does to a
 * lot in the state of `record` at the instant `at`, under `policy` — the
 * next record and what to trace, a refusal, or nothing. It reads no clock,
 * store or transport: the lot manager ({@link createLotManager}) loads the
 * record, applies this, stores the result by compare-and-set (again on a
 * conflict), calls the transport and traces. `docs/scor.md` has the table
 * of every state and event.
 *
 * ```
 * built → awaiting-b2-arl → ready → sent → arl-positive → purged
 *               ↓   ↑                 ↓ ↑
 *          b2-rejected           arl-negative → retrying → sent …
 *                                         (past the retry window) → paper-fallback → purged
 * ```
 *
 * `import { transitionLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const policy = resolveLotPolicy()
 * const r = transitionLot(record, { type: 'claim-attempt' }, policy, new Date())
 * if ('refused' in r) throw new ScorError(r.refused, { params: r.params })
 * if ('next' in r) await store.update(r.next)
 * ```
 * @throws TypeError when `at` is not a valid Date or `event` is unknown.
 * @public
 */
export function transitionLot(record: LotRecord, event: LotEvent, policy: ResolvedLotPolicy, at: Date): LotTransitionResult {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('transitionLot: at must be a valid Date');
  const r = record;
  const ms = at.getTime();
  const now = at.toISOString();
  const say = (text: LocalizedText): string => text[policy.locale];
  const arlReason = (kind: 'B2' | 'PJ', arl: ArlOutcome): string => {
    const extra = (sep: string): string => (arl.reason === undefined ? '' : `${sep}${arl.reason}`);
    return say({
      fr: `ARL ${kind} ${arl.positive ? 'positif' : 'négatif'}${extra(' : ')}`,
      en: `${arl.positive ? 'positive' : 'negative'} ${kind === 'B2' ? 'B2 ARL' : 'ARL PJ'}${extra(': ')}`,
    });
  };
  const wrongState = (action: string, traced: ScorTraceAction): LotTransitionResult =>
    refusal('ERR_LOT_STATE', { lotId: r.lotId, state: r.state, action }, { action: traced, outcome: 'refused', code: 'ERR_LOT_STATE' });

  /** The paper fallback: no positive ARL PJ in the retry window; the lot is kept `retentionDays` from now. */
  const paperFallback = (reason: string): LotTransitionResult => {
    const purgeAfter = iso(ms + policy.retentionDays * DAY_MS);
    const days = policy.retryWorkingDays;
    const why = say({
      fr: `${reason}; aucun ARL PJ positif ${days} jours ouvrés après la première tentative`,
      en: `${reason}; no positive ARL PJ ${days} working days after the first attempt`,
    });
    return moved(
      r,
      'paper-fallback',
      now,
      { paperFallbackAt: now, purgeAfter, dueAt: purgeAfter },
      { reason: why },
      { outcome: 'failure', code: 'ERR_LOT_PAPER_FALLBACK' },
    );
  };
  /** After a failed attempt or a negative ARL PJ: the next attempt, or the paper fallback when it would fall past the window. */
  const retryOrFallback = (reason: string): LotTransitionResult => {
    const deadline = r.retryDeadline === null ? Number.POSITIVE_INFINITY : Date.parse(r.retryDeadline);
    const nextAttempt = ms + policy.retryIntervalMinutes * 60_000;
    if (nextAttempt >= deadline) return paperFallback(reason);
    return moved(r, 'retrying', now, { dueAt: iso(nextAttempt) }, { reason });
  };
  const pastDeadline = (): boolean => r.retryDeadline !== null && ms >= Date.parse(r.retryDeadline);

  switch (event.type) {
    case 'register':
      return r.state === 'built' ? moved(r, 'awaiting-b2-arl', now, {}) : UNCHANGED;

    case 'b2-arl': {
      if (r.state !== 'awaiting-b2-arl' && r.state !== 'b2-rejected') return UNCHANGED;
      const { arl } = event;
      const reason = arlReason('B2', arl);
      if (arl.positive) return moved(r, 'ready', now, { b2Arl: arl, dueAt: event.autoSend ? now : null }, { reason });
      return moved(r, 'b2-rejected', now, { b2Arl: arl, dueAt: null }, { reason, code: arl.code }, { outcome: 'refused', code: arl.code });
    }

    case 'pj-arl': {
      const { arl } = event;
      if (r.state === 'arl-positive' && arl.positive) return UNCHANGED; // a repeated positive ARL
      if (!AWAITING_PJ_ARL.includes(r.state)) {
        const reason = say({
          fr: `ARL PJ ${arl.positive ? 'positif' : 'négatif'} pour un lot « ${r.state} »`,
          en: `${arl.positive ? 'positive' : 'negative'} ARL PJ for a lot in state "${r.state}"`,
        });
        return refusal(
          'ERR_LOT_STATE',
          { lotId: r.lotId, state: r.state, action: 'ARL PJ' },
          { action: 'lot.arl-received', outcome: 'refused', code: 'ERR_LOT_STATE', reason },
        );
      }
      const reason = arlReason('PJ', arl);
      if (arl.positive) {
        // Kept `retentionDays` from the (last) transmission.
        const purgeAfter = iso(Date.parse(r.transmittedAt ?? r.lastAttemptAt ?? now) + policy.retentionDays * DAY_MS);
        return moved(r, 'arl-positive', now, { pjArl: arl, purgeAfter, dueAt: purgeAfter }, { reason });
      }
      return moved(r, 'arl-negative', now, { pjArl: arl, dueAt: now }, { reason, code: arl.code }, { outcome: 'refused', code: arl.code });
    }

    case 'claim-attempt': {
      if (WAITING_FOR_B2.includes(r.state)) {
        return refusal(
          'ERR_LOT_B2_ARL_MISSING',
          { lotId: r.lotId, b2LotNumber: r.b2LotNumber },
          { action: 'lot.sent', outcome: 'refused', code: 'ERR_LOT_B2_ARL_MISSING' },
        );
      }
      if (r.state !== 'ready' && r.state !== 'retrying') return wrongState('send', 'lot.sent');
      if (pastDeadline()) return paperFallback(say({ fr: 'délai de relance écoulé', en: 'retry window over' }));
      const n = r.attempts + 1;
      // The window opens with the first attempt: the end of the n-th working day after its day.
      const retryDeadline = r.retryDeadline ?? policy.calendar.workingDaysDeadline(at, policy.retryWorkingDays).toISOString();
      const dueAt = iso(Math.min(ms + policy.arlTimeoutHours * HOUR_MS, Date.parse(retryDeadline)));
      const next = advance(r, 'sent', now, { attempts: n, firstAttemptAt: r.firstAttemptAt ?? now, lastAttemptAt: now, retryDeadline, dueAt }, { attempt: n });
      return { next, trace: null }; // the manager traces the transport's answer
    }

    case 'transport-accepted':
      // Only the attempt it answers, once; the state may have moved on meanwhile (an early ARL PJ).
      if (r.attempts !== event.attempt || r.transmittedAt === event.attemptAt) return UNCHANGED;
      return { next: { ...r, version: r.version + 1, updatedAt: now, transmittedAt: event.attemptAt, transmissionRef: event.reference ?? null }, trace: null };

    case 'transport-failed':
      if (r.state !== 'sent' || r.attempts !== event.attempt) return UNCHANGED;
      return retryOrFallback(say({ fr: `échec de transmission : ${event.failure}`, en: `transmission failed: ${event.failure}` }));

    case 'retry':
      return r.state === 'arl-negative' ? retryOrFallback(say({ fr: 'ARL PJ négatif', en: 'negative ARL PJ' })) : UNCHANGED;

    case 'arl-timeout': {
      if (r.state !== 'sent' || r.dueAt === null || Date.parse(r.dueAt) > ms) return UNCHANGED;
      if (pastDeadline()) return paperFallback(say({ fr: 'ARL PJ non reçu', en: 'no ARL PJ received' }));
      const h = policy.arlTimeoutHours;
      return moved(
        r,
        'retrying',
        now,
        { dueAt: now },
        { reason: say({ fr: `ARL PJ non reçu ${h} h après la tentative ${r.attempts}`, en: `no ARL PJ received ${h} h after attempt ${r.attempts}` }) },
      );
    }

    case 'purge': {
      if (r.state !== 'arl-positive' && r.state !== 'paper-fallback') return wrongState('purge', 'lot.purged');
      if (r.purgeAfter === null || ms < Date.parse(r.purgeAfter)) {
        return refusal(
          'ERR_LOT_RETENTION',
          { lotId: r.lotId, until: r.purgeAfter ?? '?' },
          { action: 'lot.purged', outcome: 'refused', code: 'ERR_LOT_RETENTION' },
        );
      }
      const days = policy.retentionDays;
      const reason = say({ fr: `conservation de ${days} jours écoulée`, en: `${days}-day retention over` });
      return { ...moved(r, 'purged', now, { purgedAt: now, dueAt: null }, { reason }), dropContainer: true };
    }

    default:
      throw new TypeError(`transitionLot: unknown event ${JSON.stringify((event as { type?: unknown }).type)}`);
  }
}

/**
 * The record of a newly registered lot (SCOR-3): state `built`, version 1,
 * the container's fingerprint and nothing of its content; and what its
 * creation traces.
 */
export function registeredLot(lot: PackedLot | PackedLotFile, at: string): { readonly record: LotRecord; readonly trace: LotTraceStep } {
  const record: LotRecord = {
    lotId: lot.lotId,
    finess: lot.finess,
    b2LotNumber: lot.b2LotNumber,
    invoices: lot.manifest.totals.invoices,
    files: lot.manifest.totals.files,
    container: {
      codec: lot.container.codec,
      fileName: lot.container.fileName,
      mediaType: lot.container.mediaType,
      bytes: 'bytes' in lot.container ? lot.container.bytes.length : lot.container.length,
      sha256: lot.container.sha256,
    },
    manifestSha256: lot.manifestSha256,
    state: 'built',
    version: 1,
    createdAt: at,
    updatedAt: at,
    dueAt: null,
    b2Arl: null,
    pjArl: null,
    attempts: 0,
    firstAttemptAt: null,
    lastAttemptAt: null,
    retryDeadline: null,
    transmittedAt: null,
    transmissionRef: null,
    paperFallbackAt: null,
    purgeAfter: null,
    purgedAt: null,
    history: [{ from: null, to: 'built', at }],
  };
  return { record, trace: { action: 'lot.built', outcome: 'success', count: record.invoices, reason: '∅ → built' } };
}

/** The action that traces a transition into `to` (AUD-1). */
function actionOf(to: LotState): ScorTraceAction {
  switch (to) {
    case 'built':
    case 'awaiting-b2-arl':
      return 'lot.built';
    case 'ready':
    case 'b2-rejected':
    case 'arl-positive':
    case 'arl-negative':
      return 'lot.arl-received';
    case 'sent':
      return 'lot.sent';
    case 'retrying':
      return 'lot.retried';
    case 'paper-fallback':
      return 'lot.paper-fallback';
    case 'purged':
      return 'lot.purged';
  }
}

interface Note {
  readonly attempt?: number;
  readonly code?: string | undefined;
  readonly reason?: string;
}

/** The next version of `r` in state `to`, with the transition in its history. */
function advance(r: LotRecord, to: LotState, at: string, fields: Partial<LotRecord>, note: Note = {}): LotRecord {
  return {
    ...r,
    ...fields,
    state: to,
    version: r.version + 1,
    updatedAt: at,
    history: [
      ...r.history,
      {
        from: r.state,
        to,
        at,
        ...(note.attempt === undefined ? {} : { attempt: note.attempt }),
        ...(note.code === undefined ? {} : { code: note.code }),
        // Cut to the schema's bound, never in the middle of a surrogate pair (jsonb would refuse the half left).
        ...(note.reason === undefined ? {} : { reason: visibleText(note.reason.slice(0, 500)) }),
      },
    ],
  };
}

/** A transition into `to`, traced `from → to` with its action, outcome (default success) and code. */
function moved(
  r: LotRecord,
  to: LotState,
  at: string,
  fields: Partial<LotRecord>,
  note: Note = {},
  traced: { readonly outcome: TraceOutcome; readonly code?: string | undefined } = { outcome: 'success' },
): LotTransitionResult {
  const trace: LotTraceStep = {
    action: actionOf(to),
    outcome: traced.outcome,
    ...(traced.code === undefined ? {} : { code: traced.code }),
    reason: `${r.state} → ${to}`,
  };
  return { next: advance(r, to, at, fields, note), trace };
}

function refusal(code: ScorErrorCode, params: MessageParams, trace: LotTraceStep): LotTransitionResult {
  return { refused: code, params, trace };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
