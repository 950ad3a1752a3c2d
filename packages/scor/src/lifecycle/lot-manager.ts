import { readClock, resolveClock, resolveLocale, type Clock, type Locale, type TraceActor, type TraceOutcome, type TraceSink } from '@s3404/core';
import type { Arl } from '../arl/arl.js';
import { frenchCalendar, type WorkingCalendar } from '../calendar/french-calendar.js';
import { ScorError } from '../errors/scor-error.js';
import type { ScorErrorCode } from '../errors/scor-errors.js';
import type { PackedLot } from '../lot/pack-lot.js';
import type { Transport } from '../lot/transport.js';
import type { ScorTraceAction } from '../trace.js';
import type { ArlOutcome, LotRecord, LotState } from './lot-record.js';
import type { LotQuery, LotStore } from './lot-store.js';

/** The timing rules of the lifecycle (SCOR-3); every default is the SCOR texts' where they give one. @public */
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

/** Options of {@link createLotManager} (SCOR-3). @public */
export interface LotManagerOptions {
  readonly store: LotStore;
  readonly transport: Transport;
  /** Where every transition is traced (AUD-1), e.g. `auditTraceSink(log)`. Default: none. */
  readonly trace?: TraceSink<ScorTraceAction>;
  /** The clock (determinism). Default: the system clock. */
  readonly now?: Clock;
  /** Working days for the retry window. Default `frenchCalendar()` (metropolitan France). */
  readonly calendar?: WorkingCalendar;
  readonly policy?: LotLifecyclePolicy;
  /** Send a lot as soon as it is ready (its B2 ARL is positive), as the SCOR texts ask. Default `true`. */
  readonly autoSend?: boolean;
  /** Who the traces name. Default `{ personId: 'service', role: 'service', terminalId: 's3404-scor' }`. */
  readonly actor?: TraceActor;
  readonly locale?: Locale;
}

/** What one {@link LotManager.tick} did (SCOR-3). @public */
export interface TickReport {
  /** Lots sent (transport accepted). */
  readonly sent: readonly string[];
  /** Lots whose attempt failed and that wait for the next one. */
  readonly failed: readonly string[];
  readonly paperFallback: readonly string[];
  readonly purged: readonly string[];
  /** Lots a step could not be taken for, with the code (the others went on). */
  readonly errors: readonly { readonly lotId: string; readonly code: string }[];
  /** More lots were due than one tick handles (1000): tick again. */
  readonly more: boolean;
}

/**
 * The lifecycle of SCOR lots (SCOR-3), over a {@link LotStore} and a
 * {@link Transport}. Every method is safe to call from several processes
 * sharing one store: each transition is a compare-and-set.
 *
 * @public
 */
export interface LotManager {
  /**
   * Registers a packed lot (built → awaiting the B2 ARL). With the B2 lot's
   * positive ARL already at hand (the usual order: the clinic packs after
   * it), pass it: the lot is ready at once and, with `autoSend`, sent.
   * @throws {@link ScorError} `ERR_LOT_EXISTS`.
   */
  register(lot: PackedLot, options?: { readonly b2Arl?: Arl }): Promise<LotRecord>;
  /**
   * Records an ARL. B2: every lot of that FINESS and B2 lot waiting for it
   * becomes ready (positive; then sent with `autoSend`) or b2-rejected
   * (negative); none waiting is not an error. PJ: the lot becomes
   * arl-positive, or arl-negative then retrying (or paper-fallback past
   * the window). A repeated positive ARL changes nothing.
   * @throws {@link ScorError} `ERR_LOT_ARL_UNMATCHED` for an ARL PJ of no lot sent; `ERR_LOT_STATE`.
   */
  recordArl(arl: Arl): Promise<LotRecord[]>;
  /**
   * Sends a ready (or retrying) lot now.
   * @throws {@link ScorError} `ERR_LOT_B2_ARL_MISSING` before the positive B2 ARL; `ERR_LOT_STATE`; `ERR_LOT_NOT_FOUND`.
   */
  send(lotId: string): Promise<LotRecord>;
  /**
   * Does what is due: sends ready lots and due retries, retries lots whose
   * ARL PJ did not come in time, flags the paper fallback past the retry
   * window, purges lots past their retention. Call it periodically (every
   * few minutes).
   */
  tick(): Promise<TickReport>;
  /** Purges a lot past its retention (its container is deleted; its record stays, state purged). @throws {@link ScorError} `ERR_LOT_RETENTION`, `ERR_LOT_STATE`. */
  purge(lotId: string): Promise<LotRecord>;
  /** @throws {@link ScorError} `ERR_LOT_NOT_FOUND`. */
  get(lotId: string): Promise<LotRecord>;
  list(query?: LotQuery): Promise<LotRecord[]>;
}

const DAY_MS = 86_400_000;
const MAX_CAS_RETRIES = 8;
const TICK_LIMIT = 1000;
const DEFAULT_ACTOR: TraceActor = Object.freeze({ personId: 'service', role: 'service', terminalId: 's3404-scor' });

type Policy = { readonly [K in keyof LotLifecyclePolicy]-?: number };

function resolvePolicy(p: LotLifecyclePolicy, locale: Locale): Policy {
  const out = { retryWorkingDays: 5, retryIntervalMinutes: 120, arlTimeoutHours: 24, retentionDays: 90, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) } as Policy;
  const ranges: Record<keyof Policy, [number, number]> = { retryWorkingDays: [1, 30], retryIntervalMinutes: [15, 1440], arlTimeoutHours: [1, 240], retentionDays: [90, 3650] };
  for (const [k, [min, max]] of Object.entries(ranges) as [keyof Policy, [number, number]][]) {
    const v = out[k];
    if (!Number.isInteger(v) || v < min || v > max) throw new ScorError('ERR_SCOR_OPTIONS_INVALID', { params: { detail: `policy.${k}: ${min}..${max} (${String(v).slice(0, 20)})` }, locale });
  }
  for (const k of Object.keys(p)) if (!(k in ranges)) throw new ScorError('ERR_SCOR_OPTIONS_INVALID', { params: { detail: `policy.${k}` }, locale });
  return out;
}

/**
 * Creates the lifecycle of SCOR lots (SCOR-3): a lot is sent only after
 * the positive ARL of its B2 lot; without a positive ARL PJ it is retried
 * (transport failure, negative ARL, or no ARL within `arlTimeoutHours`)
 * until the end of the 5th working day after the day of its first attempt
 * (French public holidays; Alsace-Moselle with `frenchCalendar({
 * alsaceMoselle: true })`), then flagged for the paper fallback; it is
 * purged 90 days after its transmission. Every transition is stored by
 * compare-and-set and traced.
 *
 * `import { createLotManager } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const lots = createLotManager({ store: await SqliteLotStore.open({ path: 'lots.sqlite' }), transport, trace: auditTraceSink(log) })
 * await lots.register(await packLot(description, { files }), { b2Arl })  // ready, then sent
 * await lots.recordArl(jsonArlParser.parse(arlBytes))                    // arl-positive, or retrying
 * setInterval(() => void lots.tick(), 5 * 60_000)                        // retries, paper fallback, purge
 * ```
 * @throws {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` for a bad policy.
 * @public
 */
export function createLotManager(options: LotManagerOptions): LotManager {
  if (options === null || typeof options !== 'object' || options.store === undefined || options.transport === undefined) throw new TypeError('createLotManager: store and transport are required');
  if (typeof options.transport.send !== 'function') throw new TypeError('createLotManager: transport.send must be a function');
  const locale = resolveLocale(options.locale);
  const policy = resolvePolicy(options.policy ?? {}, locale);
  const { store, transport } = options;
  const calendar = options.calendar ?? frenchCalendar();
  const clock = resolveClock(options.now, 'createLotManager');
  const autoSend = options.autoSend ?? true;
  const actor = options.actor ?? DEFAULT_ACTOR;
  const now = (): Date => readClock(clock, 'createLotManager');
  const error = (code: ScorErrorCode, params: Record<string, string | number>): ScorError => new ScorError(code, { params, locale });

  const trace = async (r: LotRecord, action: ScorTraceAction, outcome: TraceOutcome, at: string, extra: { code?: string; reason?: string; count?: number } = {}): Promise<void> => {
    if (options.trace === undefined) return;
    await options.trace.record({ action, at, actor, subject: { finess: r.finess, lotId: r.lotId }, outcome, ...extra });
  };
  /** The action that traces a transition into `to`. */
  const actionOf = (to: LotState): ScorTraceAction => {
    switch (to) {
      case 'built': case 'awaiting-b2-arl': return 'lot.built';
      case 'ready': case 'b2-rejected': case 'arl-positive': case 'arl-negative': return 'lot.arl-received';
      case 'sent': return 'lot.sent';
      case 'retrying': return 'lot.retried';
      case 'paper-fallback': return 'lot.paper-fallback';
      case 'purged': return 'lot.purged';
    }
  };

  /** The next version of `r` in state `to`, with the transition in its history. */
  const move = (r: LotRecord, to: LotState, at: string, fields: Partial<LotRecord>, note: { attempt?: number; code?: string; reason?: string } = {}): LotRecord => ({
    ...r,
    ...fields,
    state: to,
    version: r.version + 1,
    updatedAt: at,
    history: [...r.history, { from: r.state, to, at, ...(note.attempt === undefined ? {} : { attempt: note.attempt }), ...(note.code === undefined ? {} : { code: note.code }), ...(note.reason === undefined ? {} : { reason: note.reason.slice(0, 500) }) }],
  });

  const load = async (lotId: string): Promise<LotRecord> => {
    if (typeof lotId !== 'string' || lotId === '') throw new TypeError('lotId must be a non-empty string');
    const r = await store.get(lotId);
    if (r === null || r === undefined) throw error('ERR_LOT_NOT_FOUND', { lotId: lotId.slice(0, 64) });
    return r;
  };

  /**
   * Applies `decide` to the latest record until its compare-and-set
   * succeeds (another process may move the lot meanwhile). `decide`
   * returns the next record, or `null` to change nothing.
   */
  const mutate = async (lotId: string, decide: (r: LotRecord) => { next: LotRecord; dropContainer?: boolean } | null): Promise<{ before: LotRecord; after: LotRecord; changed: boolean }> => {
    for (let i = 0; i < MAX_CAS_RETRIES; i++) {
      const before = await load(lotId);
      const decision = decide(before);
      if (decision === null) return { before, after: before, changed: false };
      if (await store.update(decision.next, { dropContainer: decision.dropContainer === true })) return { before, after: decision.next, changed: true };
    }
    throw error('ERR_LOT_CONFLICT', { lotId });
  };

  /** Commits one transition decided by `decide` and traces it (unless `silent`: the caller traces the outcome). */
  const step = async (lotId: string, decide: (r: LotRecord) => { next: LotRecord; dropContainer?: boolean; outcome?: TraceOutcome; code?: string } | null, silent = false): Promise<LotRecord> => {
    let traced: { outcome: TraceOutcome; code?: string } = { outcome: 'success' };
    const { before, after, changed } = await mutate(lotId, (r) => {
      const d = decide(r);
      if (d !== null) traced = { outcome: d.outcome ?? 'success', ...(d.code === undefined ? {} : { code: d.code }) };
      return d;
    });
    if (changed && !silent) await trace(after, actionOf(after.state), traced.outcome, after.updatedAt, { reason: `${before.state} → ${after.state}`, ...(traced.code === undefined ? {} : { code: traced.code }) });
    return after;
  };

  const iso = (ms: number): string => new Date(ms).toISOString();

  /** After a failed attempt or a negative ARL: the next attempt, or the paper fallback past the window. */
  const retryOrFallback = (r: LotRecord, atMs: number, reason: string): { next: LotRecord; outcome?: TraceOutcome; code?: string } => {
    const at = iso(atMs);
    const deadline = r.retryDeadline === null ? Number.POSITIVE_INFINITY : Date.parse(r.retryDeadline);
    const nextAttempt = atMs + policy.retryIntervalMinutes * 60_000;
    if (nextAttempt >= deadline) return paperFallback(r, atMs, reason);
    return { next: move(r, 'retrying', at, { dueAt: iso(nextAttempt) }, { reason }) };
  };

  const paperFallback = (r: LotRecord, atMs: number, reason: string): { next: LotRecord; outcome: TraceOutcome; code: string } => {
    const at = iso(atMs);
    const purgeAfter = iso(atMs + policy.retentionDays * DAY_MS);
    return { next: move(r, 'paper-fallback', at, { paperFallbackAt: at, purgeAfter, dueAt: purgeAfter }, { reason: `${reason}; aucun ARL PJ positif ${policy.retryWorkingDays} jours ouvrés après la première tentative` }), outcome: 'failure', code: 'ERR_LOT_PAPER_FALLBACK' };
  };

  /**
   * One attempt: claims it (ready | retrying → sent, attempt n), calls the
   * transport, then records its answer. One `lot.sent` event per attempt,
   * with its outcome; a failure then moves the lot to retrying (or the
   * paper fallback past the window). A crash after the claim leaves the
   * lot sent without a transmission: the ARL timeout retries it.
   */
  const attempt = async (lotId: string): Promise<{ record: LotRecord; outcome: 'sent' | 'failed' | 'fallback' | 'none' }> => {
    const t = now();
    const atMs = t.getTime();
    const at = t.toISOString();
    let refusal: ScorError | undefined;
    let from: LotState = 'ready';
    const claim = await step(lotId, (r) => {
      refusal = undefined;
      from = r.state;
      if (r.state === 'awaiting-b2-arl' || r.state === 'b2-rejected' || r.state === 'built') {
        refusal = error('ERR_LOT_B2_ARL_MISSING', { lotId: r.lotId, b2LotNumber: r.b2LotNumber });
        return null;
      }
      if (r.state !== 'ready' && r.state !== 'retrying') {
        refusal = error('ERR_LOT_STATE', { lotId: r.lotId, state: r.state, action: 'send' });
        return null;
      }
      if (r.retryDeadline !== null && atMs >= Date.parse(r.retryDeadline)) return paperFallback(r, atMs, 'délai de relance écoulé');
      const n = r.attempts + 1;
      const retryDeadline = r.retryDeadline ?? calendar.workingDaysDeadline(t, policy.retryWorkingDays).toISOString();
      const dueAt = iso(Math.min(atMs + policy.arlTimeoutHours * 3_600_000, Date.parse(retryDeadline)));
      return { next: move(r, 'sent', at, { attempts: n, firstAttemptAt: r.firstAttemptAt ?? at, lastAttemptAt: at, retryDeadline, dueAt }, { attempt: n }) };
    }, true);
    if (refusal !== undefined) {
      await trace(await load(lotId), 'lot.sent', 'refused', at, { code: refusal.code });
      throw refusal;
    }
    if (claim.state === 'paper-fallback') {
      await trace(claim, 'lot.paper-fallback', 'failure', at, { code: 'ERR_LOT_PAPER_FALLBACK', reason: `${from} → paper-fallback` });
      return { record: claim, outcome: 'fallback' };
    }
    if (claim.state !== 'sent') return { record: claim, outcome: 'none' };
    const n = claim.attempts;
    const bytes = await store.container(lotId);
    let reference: string | undefined;
    let failure: string | undefined;
    if (bytes === null || bytes === undefined) failure = 'container missing';
    else {
      try {
        const receipt = await transport.send({ lotId, finess: claim.finess, b2LotNumber: claim.b2LotNumber, fileName: claim.container.fileName, mediaType: claim.container.mediaType, bytes, attempt: n });
        reference = typeof receipt?.reference === 'string' ? receipt.reference.slice(0, 256) : undefined;
      } catch (e) {
        failure = (e instanceof Error ? e.message : String(e)).slice(0, 200) || 'error';
      }
    }
    const doneMs = now().getTime();
    const sentReason = `${from} → sent, tentative ${n}`;
    if (failure === undefined) {
      const { after } = await mutate(lotId, (r) => (r.attempts !== n || r.transmittedAt === at ? null : { next: { ...r, version: r.version + 1, updatedAt: iso(doneMs), transmittedAt: at, transmissionRef: reference ?? null } }));
      await trace(after, 'lot.sent', 'success', iso(doneMs), { count: n, reason: `${sentReason}${reference === undefined ? '' : ` (${reference})`}` });
      return { record: after, outcome: 'sent' };
    }
    await trace(claim, 'lot.sent', 'failure', iso(doneMs), { count: n, code: 'ERR_LOT_TRANSPORT_FAILED', reason: `${sentReason} : ${failure}` });
    const after = await step(lotId, (r) => (r.state === 'sent' && r.attempts === n ? retryOrFallback(r, doneMs, `échec de transmission : ${failure}`) : null));
    return { record: after, outcome: after.state === 'paper-fallback' ? 'fallback' : 'failed' };
  };

  /** A sent lot whose ARL PJ did not come in time: retrying now, or the paper fallback past the window. */
  const arlTimedOut = (lotId: string, atMs: number): Promise<LotRecord> =>
    step(lotId, (r) => {
      if (r.state !== 'sent' || r.dueAt === null || Date.parse(r.dueAt) > atMs) return null;
      if (r.retryDeadline !== null && atMs >= Date.parse(r.retryDeadline)) return paperFallback(r, atMs, 'ARL PJ non reçu');
      return { next: move(r, 'retrying', iso(atMs), { dueAt: iso(atMs) }, { reason: `ARL PJ non reçu ${policy.arlTimeoutHours} h après la tentative ${r.attempts}` }) };
    });

  const arlOutcome = (arl: Arl): ArlOutcome => ({
    positive: arl.positive,
    receivedAt: new Date(arl.receivedAt).toISOString(),
    ...(arl.code === undefined ? {} : { code: arl.code.slice(0, 64) }),
    ...(arl.reason === undefined ? {} : { reason: arl.reason.slice(0, 500) }),
    ...(arl.reference === undefined ? {} : { reference: arl.reference.slice(0, 128) }),
  });

  const makeReady = async (lotId: string, arl: Arl): Promise<LotRecord> => {
    const t = now();
    const outcome = arlOutcome(arl);
    const after = await step(lotId, (r) => {
      if (r.state !== 'awaiting-b2-arl' && r.state !== 'b2-rejected') return null;
      const reason = `ARL B2 ${arl.positive ? 'positif' : 'négatif'}${arl.reason === undefined ? '' : ` : ${arl.reason}`}`;
      return arl.positive
        ? { next: move(r, 'ready', t.toISOString(), { b2Arl: outcome, dueAt: autoSend ? t.toISOString() : null }, { reason }) }
        : { next: move(r, 'b2-rejected', t.toISOString(), { b2Arl: outcome, dueAt: null }, { reason, ...(arl.code === undefined ? {} : { code: arl.code.slice(0, 64) }) }), outcome: 'refused', ...(arl.code === undefined ? {} : { code: arl.code.slice(0, 64) }) };
    });
    if (after.state === 'ready' && autoSend) return (await attempt(lotId)).record;
    return after;
  };

  const checkArl = (arl: Arl): void => {
    if (arl === null || typeof arl !== 'object' || (arl.kind !== 'b2' && arl.kind !== 'pj') || typeof arl.positive !== 'boolean' || typeof arl.finess !== 'string' || typeof arl.b2LotNumber !== 'string' || Number.isNaN(Date.parse(arl.receivedAt))) {
      throw new TypeError('recordArl: an Arl is expected (see jsonArlParser)');
    }
  };

  return {
    async register(lot, registerOptions = {}) {
      if (lot === null || typeof lot !== 'object' || !(lot.container?.bytes instanceof Uint8Array)) throw new TypeError('register: a PackedLot is expected (see packLot)');
      const b2Arl = registerOptions.b2Arl;
      if (b2Arl !== undefined) {
        checkArl(b2Arl);
        if (b2Arl.kind !== 'b2' || b2Arl.finess !== lot.finess || b2Arl.b2LotNumber !== lot.b2LotNumber) throw error('ERR_LOT_ARL_UNMATCHED', { detail: `${b2Arl.kind} ${b2Arl.finess}/${b2Arl.b2LotNumber} ≠ ${lot.finess}/${lot.b2LotNumber}` });
      }
      const at = now().toISOString();
      const record: LotRecord = {
        lotId: lot.lotId,
        finess: lot.finess,
        b2LotNumber: lot.b2LotNumber,
        invoices: lot.manifest.totals.invoices,
        files: lot.manifest.totals.files,
        container: { codec: lot.container.codec, fileName: lot.container.fileName, mediaType: lot.container.mediaType, bytes: lot.container.bytes.length, sha256: lot.container.sha256 },
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
      await store.create(record, lot.container.bytes);
      await trace(record, 'lot.built', 'success', at, { count: record.invoices, reason: '∅ → built' });
      const waiting = await step(lot.lotId, (r) => (r.state === 'built' ? { next: move(r, 'awaiting-b2-arl', now().toISOString(), {}) } : null));
      if (b2Arl === undefined) return waiting;
      return makeReady(lot.lotId, b2Arl);
    },

    async recordArl(arl) {
      checkArl(arl);
      if (arl.kind === 'b2') {
        const waiting = await store.list({ finess: arl.finess, b2LotNumber: arl.b2LotNumber, states: ['awaiting-b2-arl', 'b2-rejected'] });
        const out: LotRecord[] = [];
        for (const r of waiting) out.push(await makeReady(r.lotId, arl));
        return out;
      }
      let target: LotRecord | null | undefined;
      if (arl.lotId !== undefined) target = await store.get(arl.lotId);
      else {
        // The lot of that B2 lot waiting for its ARL PJ; else one already done (a late or repeated ARL).
        const candidates = await store.list({ finess: arl.finess, b2LotNumber: arl.b2LotNumber, states: ['sent', 'retrying', 'arl-negative', 'arl-positive', 'paper-fallback', 'purged'] });
        target = candidates.find((c) => c.state === 'sent' || c.state === 'retrying' || c.state === 'arl-negative') ?? candidates.find((c) => c.state === 'arl-positive') ?? candidates[0];
      }
      if (target === null || target === undefined || target.finess !== arl.finess || target.b2LotNumber !== arl.b2LotNumber) {
        throw error('ERR_LOT_ARL_UNMATCHED', { detail: `PJ ${arl.finess}/${arl.b2LotNumber}${arl.lotId === undefined ? '' : `/${arl.lotId}`}` });
      }
      const t = now();
      const atMs = t.getTime();
      const outcome = arlOutcome(arl);
      let refused: LotState | undefined;
      const after = await step(target.lotId, (r) => {
        refused = undefined;
        if (r.state === 'arl-positive' && arl.positive) return null; // a repeated positive ARL
        if (r.state !== 'sent' && r.state !== 'retrying' && r.state !== 'arl-negative') {
          refused = r.state;
          return null;
        }
        const reason = `ARL PJ ${arl.positive ? 'positif' : 'négatif'}${arl.reason === undefined ? '' : ` : ${arl.reason}`}`;
        if (arl.positive) {
          const from = Date.parse(r.transmittedAt ?? r.lastAttemptAt ?? t.toISOString());
          const purgeAfter = iso(from + policy.retentionDays * DAY_MS);
          return { next: move(r, 'arl-positive', t.toISOString(), { pjArl: outcome, purgeAfter, dueAt: purgeAfter }, { reason }) };
        }
        return { next: move(r, 'arl-negative', t.toISOString(), { pjArl: outcome, dueAt: t.toISOString() }, { reason, ...(arl.code === undefined ? {} : { code: arl.code.slice(0, 64) }) }), outcome: 'refused', ...(arl.code === undefined ? {} : { code: arl.code.slice(0, 64) }) };
      });
      if (refused !== undefined) {
        await trace(target, 'lot.arl-received', 'refused', t.toISOString(), { code: 'ERR_LOT_STATE', reason: `ARL PJ ${arl.positive ? 'positif' : 'négatif'} pour un lot « ${refused} »` });
        throw error('ERR_LOT_STATE', { lotId: target.lotId, state: refused, action: 'ARL PJ' });
      }
      if (after.state !== 'arl-negative') return [after];
      return [await step(after.lotId, (r) => (r.state === 'arl-negative' ? retryOrFallback(r, atMs, 'ARL PJ négatif') : null))];
    },

    async send(lotId) {
      return (await attempt(lotId)).record;
    },

    async tick() {
      const t = now();
      const due = await store.list({ dueBefore: t.toISOString(), states: ['ready', 'sent', 'retrying', 'arl-positive', 'paper-fallback'], limit: TICK_LIMIT });
      const report = { sent: [] as string[], failed: [] as string[], paperFallback: [] as string[], purged: [] as string[], errors: [] as { lotId: string; code: string }[], more: due.length === TICK_LIMIT };
      for (const lot of due) {
        try {
          if (lot.state === 'arl-positive' || lot.state === 'paper-fallback') {
            await this.purge(lot.lotId);
            report.purged.push(lot.lotId);
            continue;
          }
          if (lot.state === 'sent') {
            const moved = await arlTimedOut(lot.lotId, t.getTime());
            if (moved.state === 'paper-fallback') {
              report.paperFallback.push(lot.lotId);
              continue;
            }
            if (moved.state !== 'retrying') continue;
          }
          const { outcome } = await attempt(lot.lotId);
          if (outcome === 'sent') report.sent.push(lot.lotId);
          else if (outcome === 'failed') report.failed.push(lot.lotId);
          else if (outcome === 'fallback') report.paperFallback.push(lot.lotId);
        } catch (e) {
          if (!(e instanceof ScorError) || e.code === 'ERR_LOT_STORE_UNAVAILABLE') throw e;
          report.errors.push({ lotId: lot.lotId, code: e.code });
        }
      }
      return report;
    },

    async purge(lotId) {
      const t = now();
      let refusal: ScorError | undefined;
      const after = await step(lotId, (r) => {
        refusal = undefined;
        if (r.state !== 'arl-positive' && r.state !== 'paper-fallback') {
          refusal = error('ERR_LOT_STATE', { lotId, state: r.state, action: 'purge' });
          return null;
        }
        if (r.purgeAfter === null || t.getTime() < Date.parse(r.purgeAfter)) {
          refusal = error('ERR_LOT_RETENTION', { lotId, until: r.purgeAfter ?? '?' });
          return null;
        }
        return { next: move(r, 'purged', t.toISOString(), { purgedAt: t.toISOString(), dueAt: null }, { reason: `conservation de ${policy.retentionDays} jours écoulée` }), dropContainer: true };
      });
      if (refusal !== undefined) {
        await trace(await load(lotId), 'lot.purged', 'refused', t.toISOString(), { code: refusal.code });
        throw refusal;
      }
      return after;
    },

    get: load,
    list: (query = {}) => store.list(query),
  };
}
