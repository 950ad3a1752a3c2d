import {
  isS3404Error,
  readClock,
  resolveClock,
  resolveLocale,
  toHex,
  visibleText,
  type Clock,
  type Locale,
  type MessageParams,
  type Sha256,
  type TraceActor,
  type TraceSink,
} from '@s3404/core';
import type { Arl } from '../arl/arl.js';
import type { WorkingCalendar } from '../calendar/french-calendar.js';
import { ScorError } from '../errors/scor-error.js';
import type { ScorErrorCode } from '../errors/scor-errors.js';
import type { PackedLot, PackedLotFile } from '../lot/pack-lot.js';
import type { Transport } from '../lot/transport.js';
import { hasWebCrypto, resolveDigest } from '../internal/sha256.js';
import { lotTraceId } from '../internal/trace-id.js';
import { checkedRecord } from '../internal/lot-row.js';
import type { ScorTraceAction } from '../trace.js';
import type { ArlOutcome, LotRecord, LotState, PendingLotTrace } from './lot-record.js';
import type { LotQuery, LotStore } from './lot-store.js';
import { codedLotStore } from './coded-lot-store.js';
import { registeredLot, resolveLotPolicy, transitionLot, type LotEvent, type LotLifecyclePolicy, type LotTraceStep } from './transition.js';

/** Options of {@link createLotManager} (SCOR-3). @public */
export interface LotManagerOptions {
  readonly store: LotStore;
  readonly transport: Transport;
  /** Where every transition is traced (AUD-1), e.g. `auditTraceSink(log)` of `@s3404/audit`. Default: none. */
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
  /**
   * SHA-256 with which a container sent whole is checked against its record
   * before the transport gets it, e.g. `nodeSha256` of `@s3404/core/node`
   * (issue 19). Default: Web Crypto (`crypto.subtle`).
   */
  readonly sha256?: Sha256;
  /** Language of errors, history reasons and trace reasons. Default `'fr'`; anything but English is French. */
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
  /**
   * Lots whose trace events, kept with them because the trace sink failed
   * when their transition was stored, were delivered by this tick.
   */
  readonly traced: readonly string[];
  /** Lots a step could not be taken for, with the code (the others went on). */
  readonly errors: readonly { readonly lotId: string; readonly code: string }[];
  /** More lots were due than one tick handles (1000): tick again. */
  readonly more: boolean;
}

/**
 * The lifecycle of SCOR lots (SCOR-3), over a {@link LotStore} and a
 * {@link Transport}. Every method is safe to call from several processes
 * sharing one store: each transition is a compare-and-set. The methods do
 * not use `this`: `setInterval(lots.tick, …)` works.
 *
 * @public
 */
export interface LotManager {
  /**
   * Registers a packed lot (built → awaiting the B2 ARL). With the B2 lot's
   * positive ARL already at hand (the usual order: the clinic packs after
   * it), pass it: the lot is ready at once and, with `autoSend`, sent.
   *
   * A lot of `packLotFile` (`@s3404/scor/file`), whose container is a file,
   * is registered without reading that file whole (X-2): the store copies
   * it chunk by chunk (`LotStore.createFromFile`, which the SQLite store
   * has), checking its length and SHA-256 against the packed lot's; with a
   * transport that has `sendChunks`, sending reads it back chunk by chunk too.
   * A registration cut short after the lot was stored (the trace or the
   * store failing, a crash) is taken up by registering the same lot again.
   * @throws {@link ScorError} `ERR_LOT_EXISTS` (another lot under that id, or this one already registered); `ERR_LOT_ARL_UNMATCHED` for an ARL of another B2 lot;
   *   `ERR_LOT_CONTAINER_CHANGED` when a container file no longer matches its packed lot (nothing is registered).
   * @throws TypeError for a container file given to a store without `createFromFile`.
   */
  register(lot: PackedLot | PackedLotFile, options?: { readonly b2Arl?: Arl }): Promise<LotRecord>;
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
   * Sends a ready (or retrying) lot now. The container goes to the
   * transport only if it is still the one registered (its length and
   * SHA-256, SCOR-2), whole or chunk by chunk.
   * @throws {@link ScorError} `ERR_LOT_B2_ARL_MISSING` before the positive B2 ARL; `ERR_LOT_STATE`; `ERR_LOT_NOT_FOUND`;
   *   `ERR_LOT_STORE_CORRUPT` when the stored container is missing or no longer the one registered: nothing was sent,
   *   the attempt is recorded as failed (the lot waits for its next one) and traced with that code.
   */
  send(lotId: string): Promise<LotRecord>;
  /**
   * Does what is due: sends ready lots and due retries, retries lots whose
   * ARL PJ did not come in time, flags the paper fallback past the retry
   * window, purges lots past their retention. Call it periodically (every
   * few minutes).
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`; other refusals are listed in the report's `errors` (a
   *   container found altered in the store as `ERR_LOT_STORE_CORRUPT`, its attempt recorded as failed).
   */
  tick(): Promise<TickReport>;
  /** Purges a lot past its retention (its container is deleted; its record stays, state purged). @throws {@link ScorError} `ERR_LOT_RETENTION`, `ERR_LOT_STATE`. */
  purge(lotId: string): Promise<LotRecord>;
  /** @throws {@link ScorError} `ERR_LOT_NOT_FOUND`. */
  get(lotId: string): Promise<LotRecord>;
  list(query?: LotQuery): Promise<LotRecord[]>;
}

const MAX_CAS_RETRIES = 8;
const TICK_LIMIT = 1000;
const DEFAULT_ACTOR: TraceActor = Object.freeze({ personId: 'service', role: 'service', terminalId: 's3404-scor' });
/**
 * How old a lot's first undelivered trace event must be before `tick`
 * delivers it: the process that stored it delivers it itself within
 * milliseconds, unless its sink failed or it died. Waiting spares a
 * concurrent tick from delivering the same event twice.
 */
const UNTRACED_GRACE_MS = 60_000;
/** The states whose `dueAt` `tick` acts on. */
const TICKED: readonly LotState[] = ['ready', 'sent', 'retrying', 'arl-negative', 'arl-positive', 'paper-fallback'];

/**
 * Creates the lifecycle of SCOR lots (SCOR-3): a lot is sent only after
 * the positive ARL of its B2 lot; without a positive ARL PJ it is retried
 * (transport failure, negative ARL, or no ARL within `arlTimeoutHours`)
 * until the end of the 5th working day after the day of its first attempt
 * (French public holidays; Alsace-Moselle with `frenchCalendar({
 * alsaceMoselle: true })`), then flagged for the paper fallback; it is
 * purged 90 days after its transmission. The rules are {@link transitionLot};
 * the manager loads the lot, applies them, stores the result by
 * compare-and-set, calls the transport, and traces every transition.
 *
 * `import { createLotManager } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const lots = createLotManager({ store: await SqliteLotStore.open({ path: 'lots.sqlite' }), transport, trace: auditTraceSink(log) })
 * await lots.register(await packLot(description, { files }), { b2Arl })  // ready, then sent
 * await lots.recordArl(jsonArlParser.parse(arlBytes))                    // arl-positive, or retrying
 * setInterval(lots.tick, 5 * 60_000)                                     // retries, paper fallback, purge
 * ```
 * @throws {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` for a bad policy.
 * @throws TypeError without a store or a transport, or for options of the wrong type.
 * @public
 */
export function createLotManager(options: LotManagerOptions): LotManager {
  if (options === null || typeof options !== 'object' || options.store === undefined || options.transport === undefined)
    throw new TypeError('createLotManager: store and transport are required');
  if (typeof options.transport.send !== 'function') throw new TypeError('createLotManager: transport.send must be a function');
  if (options.trace !== undefined && typeof options.trace?.record !== 'function') throw new TypeError('createLotManager: trace must be a TraceSink');
  const locale = resolveLocale(options.locale);
  const policy = resolveLotPolicy(options.policy ?? {}, { ...(options.calendar === undefined ? {} : { calendar: options.calendar }), locale });
  const { transport } = options;
  // A vendor's store may throw its driver's errors as they are: each is coded here (issue 19).
  const store = codedLotStore(options.store);
  const clock = resolveClock(options.now, 'createLotManager');
  const autoSend = options.autoSend ?? true;
  const actor = checkedActor(options.actor ?? DEFAULT_ACTOR);
  const sink = options.trace;
  const now = (): Date => readClock(clock, 'createLotManager');
  const error = (code: ScorErrorCode, params: MessageParams): ScorError => new ScorError(code, { params, locale });
  const say = (text: { readonly fr: string; readonly en: string }): string => text[locale];
  const digest = resolveDigest(options.sha256, 'createLotManager');
  // Trace ids come from the runtime's SHA-256 (Web Crypto), not the container check's: the same ids whatever `sha256` is
  // given; the given one only where there is no Web Crypto.
  const idDigest = hasWebCrypto() ? resolveDigest(undefined, 'createLotManager') : digest;
  /** A store's refusal in the manager's language (history, trace and the error thrown), the store's own as its cause. */
  const inLocale = (e: ScorError): ScorError => new ScorError(e.code, { params: e.params, locale, cause: e });

  const trace = async (r: LotRecord, step: LotTraceStep, at: string): Promise<void> => {
    if (sink !== undefined) await sink.record({ ...step, at, actor, subject: { finess: r.finess, lotId: r.lotId } });
  };

  /**
   * `next` with `steps` added to its undelivered trace events (the outbox),
   * to be stored with it in one compare-and-set: a transition is never
   * stored without its events. Without a sink, `next` as it is.
   */
  const withEvents = (next: LotRecord, steps: readonly (TimedStep | null)[]): LotRecord => {
    if (sink === undefined) return next;
    const added = steps.filter((s): s is TimedStep => s !== null).map((s, i) => pendingTrace(s, `${next.version}.${i}`, actor));
    if (added.length === 0) return next;
    return { ...next, untraced: [...(next.untraced ?? []), ...added] };
  };

  /**
   * Delivers `r`'s undelivered trace events to the sink, oldest first, then
   * removes those delivered from the stored lot. A sink failure stops it:
   * what was delivered is removed, the rest waits (for the lot's next action
   * or a `tick`), and the failure is thrown. Delivery is at least once: a
   * process dying between the sink and the store, or two processes
   * delivering the same lot at once, can repeat an event. The lot as
   * stored afterwards. Within a `run` (a tick), the first sink failure
   * holds every later delivery of that run: its events wait with their
   * lots, and a sink that is down (or answers only after its timeout) is
   * called once per tick, not once per lot. A refusal of the event itself
   * (an error of kind `input`, such as the audit log's
   * `ERR_AUDIT_EVENT_INVALID`) holds only this lot's queue, in order: the
   * event is never dropped, and the tick names the lot under `errors`.
   * Every delivery carries the event's id, its first too: another process
   * may have delivered it meanwhile, and the audit log looks every id up.
   */
  const deliver = async (r: LotRecord, run?: Run): Promise<LotRecord> => {
    if (sink === undefined || r.untraced === undefined || run?.held === true) return r;
    const done = new Set<string>();
    try {
      for (const p of r.untraced) {
        await sink.record({
          // The same id at every delivery: a trace that keeps ids (the audit log) writes the event once.
          id: await lotTraceId(idDigest, r.lotId, p.key, p.at),
          action: p.action,
          outcome: p.outcome,
          at: p.at,
          actor: p.actor,
          subject: { finess: r.finess, lotId: r.lotId },
          ...(p.code === undefined ? {} : { code: p.code }),
          ...(p.reason === undefined ? {} : { reason: p.reason }),
          ...(p.count === undefined ? {} : { count: p.count }),
        });
        done.add(p.key);
      }
    } catch (e) {
      // A sink down (or slow) is held for the rest of the run; an event it refuses for good (a bad input, as
      // an entry edited by hand) holds its own lot's queue only: the other lots' events still go.
      if (run !== undefined && !(isS3404Error(e) && e.kind === 'input')) run.held = true;
      // Best effort: what could not be removed is delivered again later (at least once).
      if (done.size > 0) await forget(r, done).catch(() => undefined);
      throw e;
    }
    return forget(r, done);
  };

  /**
   * Removes the delivered events `keys` from the stored lot, `r` or a later
   * version of it (another process may move it meanwhile); the lot as
   * stored then. Should other processes win every try, the events stay and
   * are delivered again later (at least once).
   */
  const forget = async (r: LotRecord, keys: ReadonlySet<string>): Promise<LotRecord> => {
    let latest = r;
    for (let i = 0; i < MAX_CAS_RETRIES; i++) {
      const left: PendingLotTrace[] = (latest.untraced ?? []).filter((p) => !keys.has(p.key));
      if (left.length === (latest.untraced?.length ?? 0)) return latest;
      const { untraced: _, ...rest } = latest;
      // Not a transition: `updatedAt` and the history stay; the version moves, as with every stored change.
      const next: LotRecord = { ...rest, version: latest.version + 1, ...(left.length === 0 ? {} : { untraced: left }) };
      if (await store.update(next)) return next;
      const read = await store.get(r.lotId);
      if (read === null) return latest;
      latest = read;
    }
    return latest;
  };

  const load = async (lotId: string): Promise<LotRecord> => {
    if (typeof lotId !== 'string' || lotId === '') throw new TypeError('lotId must be a non-empty string');
    const r = await store.get(lotId);
    if (r === null || r === undefined) throw error('ERR_LOT_NOT_FOUND', { lotId: lotId.slice(0, 64) });
    return r;
  };

  /**
   * Applies `event` to the latest record until its compare-and-set succeeds
   * (another process may move the lot meanwhile), then traces the
   * transition; a refusal is traced, then thrown.
   */
  const apply = async (
    lotId: string,
    event: LotEvent,
    at: Date,
    lead: TimedStep | null = null,
    run?: Run,
  ): Promise<{ readonly before: LotRecord; readonly after: LotRecord }> => {
    for (let i = 0; i < MAX_CAS_RETRIES; i++) {
      const before = await load(lotId);
      const result = transitionLot(before, event, policy, at);
      if ('unchanged' in result) return { before, after: before };
      if ('refused' in result) {
        // A refusal changes nothing: traced at once, after what the lot still had to deliver.
        await deliver(before, run);
        await trace(before, result.trace, at.toISOString());
        throw error(result.refused, result.params);
      }
      // The transition and its trace events are stored together, then the events delivered (SCOR-3, AUD-1): a sink
      // failing now leaves them with the lot, delivered by its next action or a tick, instead of lost.
      // A transition that adds none (the claim of an attempt) leaves earlier ones for the next that does: a sink still
      // failing must not stop an attempt between its claim and the transport.
      const next = withEvents(result.next, [lead, result.trace === null ? null : { step: result.trace, at: result.next.updatedAt }]);
      if (await store.update(next, { dropContainer: result.dropContainer === true })) {
        return { before, after: next.untraced?.length === before.untraced?.length ? next : await deliver(next, run) };
      }
    }
    throw error('ERR_LOT_CONFLICT', { lotId });
  };

  /**
   * One attempt: claims it (ready | retrying → sent, attempt n), calls the
   * transport, then records its answer. One `lot.sent` event per attempt,
   * with its outcome; a failure then moves the lot to retrying (or the
   * paper fallback past the window). A crash after the claim leaves the
   * lot sent without a transmission: the ARL timeout retries it.
   */
  const attempt = async (lotId: string, run?: Run): Promise<{ record: LotRecord; outcome: 'sent' | 'failed' | 'fallback' }> => {
    const claimedAt = now();
    const { before, after: claim } = await apply(lotId, { type: 'claim-attempt' }, claimedAt, null, run);
    if (claim.state === 'paper-fallback') return { record: claim, outcome: 'fallback' };
    const n = claim.attempts;
    const lot = {
      lotId,
      finess: claim.finess,
      b2LotNumber: claim.b2LotNumber,
      fileName: claim.container.fileName,
      mediaType: claim.container.mediaType,
      attempt: n,
    };
    // Chunk by chunk when both ends can (X-2: at most one chunk of the container in memory), else the whole bytes.
    const chunked = typeof store.containerChunks === 'function' && typeof transport.sendChunks === 'function';
    let reference: string | undefined;
    /** Why the attempt failed, and its code: the transport's failure, or a container that is not the one packed. */
    let failure: ScorError | string | undefined;
    let content: Uint8Array | AsyncIterable<Uint8Array> | null | undefined;
    try {
      content = chunked ? await store.containerChunks!(lotId) : await store.container(lotId);
    } catch (e) {
      if (!(e instanceof ScorError && e.code === 'ERR_LOT_STORE_CORRUPT')) throw e;
      failure = inLocale(e);
    }
    if (failure === undefined && (content === null || content === undefined))
      failure = error('ERR_LOT_STORE_CORRUPT', { detail: say({ fr: 'conteneur absent', en: 'container missing' }) });
    else if (content instanceof Uint8Array) failure = await changedContainer(content, claim);
    if (failure === undefined) {
      try {
        const receipt =
          content instanceof Uint8Array
            ? await transport.send({ ...lot, bytes: content })
            : await transport.sendChunks!({ ...lot, length: claim.container.bytes, sha256: claim.container.sha256, chunks: content! });
        // The transport's words (a remote answer) are outside text: shown without control characters wherever kept.
        reference = typeof receipt?.reference === 'string' ? visibleText(receipt.reference.slice(0, 256)) : undefined;
      } catch (e) {
        // The chunked path's store re-checks the container as it reads: its refusal comes back through the transport.
        failure =
          e instanceof ScorError && e.code === 'ERR_LOT_STORE_CORRUPT'
            ? inLocale(e)
            : visibleText((e instanceof Error ? e.message : String(e)).slice(0, 200)) || 'error';
      }
    }
    const done = now();
    const sent = say({ fr: `${before.state} → sent, tentative ${n}`, en: `${before.state} → sent, attempt ${n}` });
    if (failure === undefined) {
      const event: LotEvent = { type: 'transport-accepted', attempt: n, attemptAt: claimedAt.toISOString(), ...(reference === undefined ? {} : { reference }) };
      const step: LotTraceStep = { action: 'lot.sent', outcome: 'success', count: n, reason: `${sent}${reference === undefined ? '' : ` (${reference})`}` };
      const { after } = await apply(lotId, event, done, { step, at: done.toISOString() }, run);
      return { record: after, outcome: 'sent' };
    }
    const corrupt = failure instanceof ScorError ? failure : undefined;
    const text = visibleText((corrupt?.message ?? (failure as string)).slice(0, 200));
    const why = say({ fr: `${sent} : ${text}`, en: `${sent}: ${text}` });
    const step: LotTraceStep = { action: 'lot.sent', outcome: 'failure', count: n, code: corrupt?.code ?? 'ERR_LOT_TRANSPORT_FAILED', reason: why };
    const { after } = await apply(lotId, { type: 'transport-failed', attempt: n, failure: text }, done, { step, at: done.toISOString() }, run);
    // The attempt is recorded (the lot waits for its next one, should the container be restored); the operator must look.
    if (corrupt !== undefined) throw corrupt;
    return { record: after, outcome: after.state === 'paper-fallback' ? 'fallback' : 'failed' };
  };

  /**
   * The container's whole bytes as a store without `containerChunks` (or
   * with a transport without `sendChunks`) gives them, checked against the
   * length and SHA-256 recorded when the lot was registered (SCOR-2), as the
   * chunked path checks them while reading: bytes altered or truncated in
   * the store are never sent. `undefined` when they are the packed ones.
   */
  const changedContainer = async (bytes: Uint8Array, record: LotRecord): Promise<ScorError | undefined> => {
    const { bytes: length, sha256 } = record.container;
    if (bytes.length !== length) return error('ERR_LOT_STORE_CORRUPT', { detail: `${bytes.length} B ≠ ${length} B` });
    const actual = toHex(await digest(bytes));
    if (actual !== sha256) return error('ERR_LOT_STORE_CORRUPT', { detail: `SHA-256 ${actual.slice(0, 16)}… ≠ ${sha256.slice(0, 16)}…` });
    return undefined;
  };

  const makeReady = async (lotId: string, arl: Arl): Promise<LotRecord> => {
    const { after } = await apply(lotId, { type: 'b2-arl', arl: arlOutcome(arl), autoSend }, now());
    if (after.state !== 'ready' || !autoSend) return after;
    try {
      return (await attempt(lotId)).record;
    } catch (e) {
      // A container found altered is recorded as a failed attempt and traced with its code: the lot waits for its
      // next attempt like any other, and the ARL that made it ready is not lost for the other lots.
      if (e instanceof ScorError && e.code === 'ERR_LOT_STORE_CORRUPT') return load(lotId);
      throw e;
    }
  };

  const register = async (lot: PackedLot | PackedLotFile, registerOptions: { readonly b2Arl?: Arl } = {}): Promise<LotRecord> => {
    const file = containerFile(lot);
    if (file === undefined && !((lot as PackedLot | null)?.container?.bytes instanceof Uint8Array))
      throw new TypeError('register: a PackedLot (see packLot) or a PackedLotFile (see packLotFile) is expected');
    if (file !== undefined && typeof store.createFromFile !== 'function')
      throw new TypeError('register: this lot store cannot take a container file (no createFromFile): give the container bytes (PackedLot)');
    const b2Arl = registerOptions.b2Arl;
    if (b2Arl !== undefined) {
      checkArl(b2Arl);
      if (b2Arl.kind !== 'b2' || b2Arl.finess !== lot.finess || b2Arl.b2LotNumber !== lot.b2LotNumber) {
        throw error('ERR_LOT_ARL_UNMATCHED', { detail: `${b2Arl.kind} ${b2Arl.finess}/${b2Arl.b2LotNumber} ≠ ${lot.finess}/${lot.b2LotNumber}` });
      }
    }
    const at = now().toISOString();
    const created = registeredLot(lot, at);
    // The creation's trace event is stored with the lot, then delivered (as every transition's).
    const record = withEvents(created.record, [{ step: created.trace, at }]);
    // A hand-made PackedLot is held to the record's schema before anything is stored (an id with a `/` or an
    // escape would name a drop folder and reach the logs), whichever store keeps it.
    checkedRecord(record, 'register');
    let stored = record;
    try {
      if (file !== undefined) await store.createFromFile!(record, file);
      else await store.create(record, (lot as PackedLot).container.bytes);
    } catch (e) {
      // A registration cut short after its lot was stored (the trace or the store failing, a crash) left it `built`,
      // which nothing else moves on: the same lot registered again takes it up. Anything else stays ERR_LOT_EXISTS.
      const kept = e instanceof ScorError && e.code === 'ERR_LOT_EXISTS' ? await store.get(lot.lotId) : null;
      if (kept === null || kept.state !== 'built' || !sameLot(kept, created.record)) throw e;
      stored = kept;
    }
    // Events of a lot created by this call, or of a registration taken up (delivered again: the trace writes them once).
    await deliver(stored);
    const { after: waiting } = await apply(lot.lotId, { type: 'register' }, now());
    if (b2Arl === undefined) return waiting;
    return makeReady(lot.lotId, b2Arl);
  };

  const recordArl = async (arl: Arl): Promise<LotRecord[]> => {
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
      const candidates = await store.list({
        finess: arl.finess,
        b2LotNumber: arl.b2LotNumber,
        states: ['sent', 'retrying', 'arl-negative', 'arl-positive', 'paper-fallback', 'purged'],
      });
      target =
        candidates.find((c) => c.state === 'sent' || c.state === 'retrying' || c.state === 'arl-negative') ??
        candidates.find((c) => c.state === 'arl-positive') ??
        candidates[0];
    }
    if (target === null || target === undefined || target.finess !== arl.finess || target.b2LotNumber !== arl.b2LotNumber) {
      throw error('ERR_LOT_ARL_UNMATCHED', { detail: `PJ ${arl.finess}/${arl.b2LotNumber}${arl.lotId === undefined ? '' : `/${arl.lotId}`}` });
    }
    const at = now();
    const { after } = await apply(target.lotId, { type: 'pj-arl', arl: arlOutcome(arl) }, at);
    if (after.state !== 'arl-negative') return [after];
    return [(await apply(after.lotId, { type: 'retry' }, at)).after];
  };

  const send = async (lotId: string): Promise<LotRecord> => (await attempt(lotId)).record;

  const purge = async (lotId: string): Promise<LotRecord> => (await apply(lotId, { type: 'purge' }, now())).after;

  const tick = async (): Promise<TickReport> => {
    const t = now();
    const errors: { lotId: string; code: string }[] = [];
    // A lot whose record no longer reads is named under errors, and the others go on (SCOR-3).
    const due = await store.list({
      dueBefore: t.toISOString(),
      states: TICKED,
      limit: TICK_LIMIT,
      onUnreadable: (lotId, e) => errors.push({ lotId, code: e.code }),
    });
    const report = {
      sent: [] as string[],
      failed: [] as string[],
      paperFallback: [] as string[],
      purged: [] as string[],
      traced: [] as string[],
      errors,
      more: due.length + errors.length === TICK_LIMIT,
    };
    // One sink failure holds the sink for the rest of the tick (the events wait with their lots): see `deliver`.
    const run: Run = { held: false };
    // Trace events a failing sink (or a crash) left with their lots, first: each lot's stay in order.
    if (sink !== undefined) {
      const grace = t.getTime() - UNTRACED_GRACE_MS;
      const untraced = await store.list({ untraced: true, limit: TICK_LIMIT, onUnreadable: (lotId, e) => errors.push({ lotId, code: e.code }) });
      for (const lot of untraced) {
        const first = lot.untraced?.[0];
        if (first === undefined || Date.parse(first.at) > grace || run.held) continue;
        try {
          await deliver(lot, run);
          report.traced.push(lot.lotId);
        } catch (e) {
          if (!isS3404Error(e) || isStoreFailure(e.code)) throw e;
          report.errors.push({ lotId: lot.lotId, code: e.code });
        }
      }
      report.more ||= untraced.length === TICK_LIMIT;
    }
    for (const lot of due) {
      try {
        if (lot.state === 'arl-positive' || lot.state === 'paper-fallback') {
          await apply(lot.lotId, { type: 'purge' }, now(), null, run);
          report.purged.push(lot.lotId);
          continue;
        }
        if (lot.state === 'sent' || lot.state === 'arl-negative') {
          // No ARL PJ in time; or a negative one whose retry was never scheduled (a crash in recordArl).
          const { after } = await apply(lot.lotId, { type: lot.state === 'sent' ? 'arl-timeout' : 'retry' }, t, null, run);
          if (after.state === 'paper-fallback') {
            report.paperFallback.push(lot.lotId);
            continue;
          }
          if (after.state !== 'retrying' || Date.parse(after.dueAt ?? '') > t.getTime()) continue;
        }
        const { outcome } = await attempt(lot.lotId, run);
        if (outcome === 'sent') report.sent.push(lot.lotId);
        else if (outcome === 'failed') report.failed.push(lot.lotId);
        else report.paperFallback.push(lot.lotId);
      } catch (e) {
        if (!isS3404Error(e) || isStoreFailure(e.code)) throw e;
        report.errors.push({ lotId: lot.lotId, code: e.code });
      }
    }
    return report;
  };

  return { register, recordArl, send, tick, purge, get: load, list: (query = {}) => store.list(query) };
}

/** One `tick`: whether a sink failure met in it holds the deliveries left. */
interface Run {
  held: boolean;
}

/** A trace step and its instant, to be kept with a transition until delivered. */
interface TimedStep {
  readonly step: LotTraceStep;
  readonly at: string;
}

/** A step as the lot keeps it until delivered (its reason bounded to the record's schema). */
function pendingTrace(s: TimedStep, key: string, actor: TraceActor): PendingLotTrace {
  const { action, outcome, code, reason, count } = s.step;
  return {
    key,
    action,
    outcome,
    at: s.at,
    actor: { personId: actor.personId, role: actor.role, terminalId: actor.terminalId },
    ...(code === undefined ? {} : { code }),
    // Cut to the schema's bound, never in the middle of a surrogate pair (jsonb would refuse the half left).
    ...(reason === undefined || reason === '' ? {} : { reason: visibleText(reason.slice(0, 500)) }),
    ...(count === undefined ? {} : { count }),
  };
}

/**
 * The manager's actor, kept with undelivered events: strings the record's
 * schema takes and a trace sink takes (the audit log: 128 characters),
 * without control characters. Checked once, here: an actor the log refuses
 * would hold every lot's events for good.
 */
function checkedActor(actor: TraceActor): TraceActor {
  const ok = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > 0 && v.length <= max && visibleText(v) === v;
  if (actor === null || typeof actor !== 'object' || !ok(actor.personId, 128) || !ok(actor.role, 64) || !ok(actor.terminalId, 128))
    throw new TypeError('createLotManager: actor must have personId and terminalId (1 to 128 characters) and role (1 to 64), without control characters');
  return actor;
}

/** Whether two records are of the same packed lot: same identity, manifest and container. */
function sameLot(a: LotRecord, b: LotRecord): boolean {
  return (
    a.lotId === b.lotId &&
    a.finess === b.finess &&
    a.b2LotNumber === b.b2LotNumber &&
    a.manifestSha256 === b.manifestSha256 &&
    a.container.sha256 === b.container.sha256 &&
    a.container.bytes === b.container.bytes &&
    a.container.codec === b.container.codec &&
    a.container.fileName === b.container.fileName
  );
}

/** The path of a {@link PackedLotFile}'s container, `undefined` for a {@link PackedLot} (or anything else). */
function containerFile(lot: PackedLot | PackedLotFile): string | undefined {
  if (lot === null || typeof lot !== 'object') return undefined;
  const c = lot.container as Partial<PackedLotFile['container']> & { readonly bytes?: unknown };
  if (c === null || typeof c !== 'object' || c.bytes !== undefined || typeof c.path !== 'string' || c.path === '') return undefined;
  if (!Number.isSafeInteger(c.length) || (c.length ?? -1) < 0) throw new TypeError('register: container.length must be a non-negative integer');
  return c.path;
}

function checkArl(arl: Arl): void {
  if (
    arl === null ||
    typeof arl !== 'object' ||
    (arl.kind !== 'b2' && arl.kind !== 'pj') ||
    typeof arl.positive !== 'boolean' ||
    typeof arl.finess !== 'string' ||
    typeof arl.b2LotNumber !== 'string' ||
    Number.isNaN(Date.parse(arl.receivedAt))
  ) {
    throw new TypeError('recordArl: an Arl is expected (see jsonArlParser)');
  }
}

/** What the lot keeps of an ARL: its fields bounded to the record's schema. */
function arlOutcome(arl: Arl): ArlOutcome {
  return {
    positive: arl.positive,
    receivedAt: new Date(arl.receivedAt).toISOString(),
    // As received, but without control characters: an ARL is outside text, shown in the history and the trace.
    ...(arl.code === undefined ? {} : { code: visibleText(arl.code.slice(0, 64)) }),
    ...(arl.reason === undefined ? {} : { reason: visibleText(arl.reason.slice(0, 500)) }),
    ...(arl.reference === undefined ? {} : { reference: visibleText(arl.reference.slice(0, 128)) }),
  };
}

/**
 * Whether a code is the store failing as a whole (unreachable, or refusing
 * the store for good: issue 19), which stops a tick, rather than one lot's
 * error, which the tick reports and goes past.
 */
function isStoreFailure(code: string): boolean {
  return code === 'ERR_LOT_STORE_UNAVAILABLE' || code === 'ERR_LOT_STORE_MISCONFIGURED';
}
