import { createUuidV7, isS3404Error, isTraceCode, readClock, resolveClock, resolveLocale, resolveRandom, toBase64, truncateForMessage } from '@s3404/core';
import type { Clock, ContentSigner, Locale, LocalizedText, RandomSource, Sha256, TimeStamper } from '@s3404/core';
import { failureClassOf } from '@s3404/core/stores';
import type { AuditStore, HeldEvents, StoredEvent } from './audit-store.js';
import type { ChainHead } from './chain-head.js';
import { formatCheckpointBody } from './checkpoint.js';
import { AuditError } from './errors/audit-error.js';
import type { AuditErrorCode } from './errors/audit-errors.js';
import { AuditEventDraftSchema, AUDIT_EVENT_VERSION, type AuditActor, type AuditEvent, type AuditEventDraft } from './event-schema.js';
import { pseudonymizeNirs } from './nir-guard.js';
import { resolveRetentionMonths, retentionCutoff } from './retention.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, verifyLog, type VerifyLogOptions, type VerifyReport } from './verify-log.js';
import { BuiltIds } from './internal/built-ids.js';
import { checkDraft, type CheckedDraft } from './internal/check-draft.js';
import { uuidV7Time } from './internal/event-id.js';
import { leafHashHex, sealEvent, unhashedJson } from './internal/event-line.js';
import { purgeReason } from './internal/purge-evidence.js';
import { parisDay } from './internal/paris-day.js';
import { schemaIssueDetail } from './internal/schema-issue.js';
import { defaultSha256 } from './internal/sha256.js';

/**
 * Options of {@link createAuditLog} (AUD-1…AUD-3).
 *
 * `import type { AuditLogOptions } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const options: AuditLogOptions = { store: await FileAuditStore.open({ path }), signer, origin: 'finess:750300360', sha256: nodeSha256 }
 * ```
 *
 * @public
 */
export interface AuditLogOptions {
  /** Where events go: `MemoryAuditStore`, `FileAuditStore`, `PostgresAuditStore`, or your own. */
  readonly store: AuditStore;
  /** Who keeps the log, written in checkpoints, e.g. `finess:750300360`. Default `s3404`. */
  readonly origin?: string;
  /**
   * Signs checkpoints (AUD-2): core's `ContentSigner`, e.g. `createContentSigner` of
   * `@s3404/seal` (the establishment seal), an HSM or a KMS. The log asks for a
   * detached signature of each checkpoint body. Without it, no checkpoint is made.
   */
  readonly signer?: ContentSigner;
  /**
   * Time-stamps checkpoints (AUD-2): core's `TimeStamper`, e.g.
   * `createHttpTimeStamper({ url })` or `createDevelopmentTsa(…).stamper` of
   * `@s3404/seal`. Each checkpoint then carries an RFC 3161 token over the
   * SHA-256 of its signature's bytes (`checkpoint.timestamp`), which proves
   * the signature existed at the token's genTime: the trace still verifies
   * offline after the seal certificate expired. The TSA is asked while the
   * store is locked, as the signer is. Default: none (checkpoints dated by
   * the signer's clock only).
   */
  readonly timestamper?: TimeStamper;
  /**
   * When the `timestamper` fails with a coded error: `'fail'` (default)
   * writes nothing and rejects with `ERR_AUDIT_TIMESTAMP_UNAVAILABLE` (its
   * error as `cause`; a daily checkpoint fails the append that triggered
   * it); `'without'` writes the checkpoint without a token and says so in
   * it (`code`: the TSA's error code, `reason`), which `verifyLog` reports
   * as the checkpoint's time source (`signer-clock`, `timestampError`).
   */
  readonly onTimestampFailure?: 'fail' | 'without';
  /** Seal a checkpoint before the first event of each new day (Paris time). Default: true when a signer is given. */
  readonly dailyCheckpoints?: boolean;
  /** Retention in months (AUD-3). Default 24; below 12 is refused. */
  readonly retentionMonths?: number;
  /** Key of the NIR pseudonyms (see {@link pseudonymizeNirs}); without it NIRs are masked. */
  readonly pseudonymKey?: Uint8Array;
  /** Largest group commit, events. Default 4096. */
  readonly maxBatch?: number;
  /** The clock of event times and checkpoints, and of the retention limit of a purge. Default: the system clock. */
  readonly now?: Clock;
  /**
   * How far an event's time may be before the latest time already in the
   * trace, seconds (AUD-2). Default 300 ({@link DEFAULT_CLOCK_SKEW_SECONDS}),
   * as `verifyLog`'s. The log refuses an event dated earlier
   * (`ERR_AUDIT_TIME_BACKWARDS`: the clock went back, or a draft's `time`
   * is too old) rather than write one that would not verify, and refuses a
   * draft's `time` later than its clock plus this skew
   * (`ERR_AUDIT_EVENT_INVALID`), which would hold every later event back.
   */
  readonly clockSkewSeconds?: number;
  /** Random source of the event ids (UUIDv7). Default: the platform's CSPRNG (Web Crypto). */
  readonly random?: RandomSource;
  /** Synchronous SHA-256; default @noble/hashes. Node: `nodeSha256` from `@s3404/core/node`. */
  readonly sha256?: Sha256;
  /** Language of the errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * What a retention purge did (AUD-3).
 *
 * `import type { PurgeResult } from '@s3404/audit'`
 *
 * @public
 */
export interface PurgeResult {
  /** Events deleted. */
  readonly purged: number;
  /** The last deleted sequence number, 0 when nothing was deleted. */
  readonly throughSeq: number;
  /** The `audit.retention-purge` event that records it. */
  readonly event: AuditEvent;
}

/**
 * The trace of one establishment (AUD-1…AUD-3): appends hash-chained events
 * (group commit: concurrent appends share one durable write), seals
 * checkpoints, purges past retention, verifies. Create it with
 * {@link createAuditLog}.
 *
 * `import type { AuditLog } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const log: AuditLog = createAuditLog({ store, signer })
 * await log.append(draft)
 * const report = await log.verify({ verifier })
 * await log.close()
 * ```
 *
 * @public
 */
export interface AuditLog {
  readonly retentionMonths: number;
  /**
   * Traces one action; resolves once it is durably stored — also when the store failed after writing it (a `COMMIT`
   * whose answer was lost): the log then reads it back.
   * @throws {@link AuditError} `ERR_AUDIT_EVENT_INVALID` (also a `time` after the log's clock plus the skew), `ERR_AUDIT_TIME_BACKWARDS` (a time
   * more than the skew before the latest one traced), `ERR_AUDIT_ID_REUSED` (the draft's `id` traced for another event), `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_CHAIN_BROKEN` (the stored trace does not
   * continue from its head), `ERR_AUDIT_CLOSED`.
   */
  append(draft: AuditEventDraft): Promise<AuditEvent>;
  /**
   * Traces several actions at once, in order (AUD-2): the same events, the same chain and the same bytes as
   * as many {@link AuditLog.append} calls made in that order, but checked, hashed and written as one group.
   * Atomic: when one draft is refused, nothing of the batch is written and the promise rejects with that
   * draft's error (its index is in `params.index`); the whole batch goes into one store write (one
   * transaction for PostgreSQL, one `write` + `fdatasync` for the file store) and resolves once durably stored.
   * An empty batch resolves `[]`.
   *
   * @example
   * ```ts
   * const events = await log.appendMany(drafts)   // events[i].seq === events[0].seq + i, unless a daily checkpoint fell between
   * ```
   * @throws {@link AuditError} the codes of {@link AuditLog.append}: `ERR_AUDIT_EVENT_INVALID`, `ERR_AUDIT_TIME_BACKWARDS`, `ERR_AUDIT_ID_REUSED`,
   * `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_CHAIN_BROKEN`, `ERR_AUDIT_CLOSED`; TypeError when `drafts` is not an array.
   */
  appendMany(drafts: readonly AuditEventDraft[]): Promise<AuditEvent[]>;
  /**
   * Seals a checkpoint over the events since the last one (on demand; also
   * done daily). Resolves `null` when there is nothing new.
   * @throws {@link AuditError} `ERR_AUDIT_NO_SIGNER`; `ERR_AUDIT_STORE_UNAVAILABLE` when the signer or the store fails;
   * `ERR_AUDIT_TIMESTAMP_UNAVAILABLE` when the timestamper fails (unless `onTimestampFailure: 'without'`).
   */
  checkpoint(): Promise<AuditEvent | null>;
  /**
   * Deletes the events older than `before`, down to the last checkpoint
   * that anchors what remains (AUD-3). The retention is counted back from
   * the log's clock (`now`). Before anything is deleted, an
   * `audit.retention-purge` event names the events removed, the limit and
   * the retention, and a checkpoint seals it: the evidence `verifyLog`
   * requires of a trace that starts after sequence 1.
   * @throws {@link AuditError} `ERR_AUDIT_PURGE_TOO_RECENT` when `before` is within the retention; `ERR_AUDIT_PERIOD_INVALID` when it is no instant;
   * `ERR_AUDIT_NO_SIGNER` when there is something to delete and no signer to seal the evidence.
   */
  purge(options: { readonly before: Date | string; readonly actor?: AuditActor }): Promise<PurgeResult>;
  /** Events in order, optionally within a sequence range or a time period. */
  read(options?: {
    readonly fromSeq?: number | undefined;
    readonly toSeq?: number | undefined;
    readonly from?: Date | undefined;
    readonly to?: Date | undefined;
  }): AsyncIterable<AuditEvent>;
  /**
   * Verifies the stored log (AUD-2) with the log's SHA-256 and, unless given, its clock skew and its clock (`now`, the
   * validation time of checkpoints without a verified time-stamp); see {@link verifyLog}. Never throws for a damaged log.
   */
  verify(options?: Omit<VerifyLogOptions, 'sha256'>): Promise<VerifyReport>;
  /** Waits for pending appends, then closes the store. */
  close(): Promise<void>;
}

type Draft = Omit<AuditEvent, 'v' | 'id' | 'seq' | 'time' | 'prev' | 'hash'>;

/** One event of a batch (`appendMany`), checked and dated. */
interface Prepared {
  readonly id: string;
  /** The id is the caller's (`AuditEventDraft.id`), looked for: an event the trace holds under it is not written again. */
  readonly given: boolean;
  readonly time: string;
  /** `time` in milliseconds since the epoch. */
  readonly ms: number;
  readonly draft: Draft;
}

interface Pending {
  readonly kind: 'event' | 'checkpoint' | 'batch';
  readonly id: string;
  readonly given?: boolean | undefined;
  readonly time: string;
  readonly ms: number;
  readonly draft?: Draft | undefined;
  /** The events of a batch (`kind: 'batch'`), written together or not at all. */
  readonly batch?: readonly Prepared[] | undefined;
  result?: AuditEvent | null;
  results?: AuditEvent[] | undefined;
  /** Why this event was refused while its batch was built (the others are written). */
  error?: AuditError | undefined;
  resolve(e: AuditEvent | null): void;
  reject(e: unknown): void;
}

const SERVICE: AuditActor = { personId: 'service', role: 'service', terminalId: 's3404' };
/** Sequence numbers at most this far apart are read back in one `read` (a lot delivered again: its events one after the other). */
const RECALL_GAP = 16;
/** The `reason` of a checkpoint written without its time-stamp (`onTimestampFailure: 'without'`); its `code` is the TSA's error. */
const TIMESTAMP_MISSED = 'horodatage RFC 3161 impossible : point de contrôle sans jeton, daté par l’horloge du signataire';

/**
 * Creates an {@link AuditLog} over a store (AUD-1…AUD-3).
 *
 * `import { createAuditLog } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const signer = await createContentSigner({ key, certificate })   // @s3404/seal, or any ContentSigner
 * const log = createAuditLog({ store: await MemoryAuditStore.open(), signer, origin: 'finess:750300360' })
 * await log.append({ action: 'bordereau.generated', actor: { personId: 'u-12', role: 'staff', terminalId: 'accueil-1' },
 *   subject: { bordereauId }, outcome: 'success' })
 * ```
 * @throws {@link AuditError} `ERR_AUDIT_RETENTION_TOO_SHORT`; TypeError for a missing store, a malformed origin, a `now` that is not a {@link Clock},
 * a `clockSkewSeconds` that is not a number ≥ 0, a `timestamper` without a `timestamp` function, an unknown `onTimestampFailure`.
 * @public
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  if (options === null || typeof options !== 'object' || options.store === undefined) throw new TypeError('createAuditLog: options.store is required');
  const locale = resolveLocale(options.locale);
  const retentionMonths = resolveRetentionMonths(options.retentionMonths, { locale });
  const origin = options.origin ?? 's3404';
  if (!/^[\x21-\x7e]{1,128}$/.test(origin)) throw new TypeError('createAuditLog: origin must be 1 to 128 printable ASCII characters without spaces');
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (typeof skew !== 'number' || Number.isNaN(skew) || skew < 0) throw new TypeError('createAuditLog: clockSkewSeconds must be a number ≥ 0');
  if (options.timestamper !== undefined && typeof options.timestamper?.timestamp !== 'function')
    throw new TypeError('createAuditLog: timestamper must be a TimeStamper (a timestamp(digest) function)');
  if (options.onTimestampFailure !== undefined && options.onTimestampFailure !== 'fail' && options.onTimestampFailure !== 'without')
    throw new TypeError("createAuditLog: onTimestampFailure must be 'fail' or 'without'");
  return new Log(options, { locale, retentionMonths, origin });
}

/** What a draft parsed by the schema traces: its members in the draft's order, `actor` and `subject` already cleaned, `reason` NIR-free. */
function traced(d: CheckedDraft, actor: AuditActor, subject: Record<string, unknown>, key: Uint8Array | undefined): Draft {
  const out: { -readonly [K in keyof Draft]: Draft[K] } = { action: d.action, actor, subject, outcome: d.outcome };
  if (d.code !== undefined) out.code = d.code;
  if (d.reason !== undefined) out.reason = pseudonymizeNirs(d.reason, key);
  if (d.count !== undefined) out.count = d.count;
  return out;
}

/**
 * A draft of `checkDraft` as what it traces (its objects are new, ours, and its members already in the draft's order;
 * issue 19: no copy per event): its `reason` NIR-free, in place.
 */
function cleanInPlace(d: CheckedDraft, key: Uint8Array | undefined): Draft {
  if (d.reason !== undefined) d.reason = pseudonymizeNirs(d.reason, key);
  return d as Draft;
}

/** The members of an event a draft gives (and its time). */
type Action = Draft & { readonly time: string };

/**
 * Whether `p` traces the action `e` traced (AUD-2): the same action, actor, subject, outcome, code, reason and
 * count. Not the time: an id names one action, traced when it was first given (a retry may be dated again, by the
 * clock or by a caller; refusing it would hold an outbox's queue for good).
 */
function sameAction(e: Action, p: Prepared): boolean {
  const d = p.draft;
  return (
    e.action === d.action &&
    e.outcome === d.outcome &&
    e.code === d.code &&
    e.reason === d.reason &&
    e.count === d.count &&
    e.actor.personId === d.actor.personId &&
    e.actor.role === d.actor.role &&
    e.actor.terminalId === d.actor.terminalId &&
    sameMembers(e.subject, d.subject)
  );
}

function sameMembers(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const defined = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => o[k] !== undefined);
  const ka = defined(a);
  return ka.length === defined(b).length && ka.every((k) => a[k] === b[k]);
}

/** What a draft's reading threw, as text; never throws itself (a thrown value may have a `toString` that throws, or none). */
function thrownText(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return typeof e;
  }
}

class Log implements AuditLog {
  readonly retentionMonths: number;
  readonly #store: AuditStore;
  readonly #o: AuditLogOptions;
  readonly #locale: Locale;
  readonly #origin: string;
  readonly #now: Clock;
  readonly #sha256: Sha256;
  readonly #uuid: (ms: number) => string;
  readonly #daily: boolean;
  readonly #maxBatch: number;
  readonly #skewSeconds: number;
  #queue: Pending[] = [];
  /**
   * Only for a store that passes no `held` (a vendor's): the sequence number at which this log built the event of each
   * caller id, the latest ones. A retry is looked for there, in the store; always empty over a store that passes `held`.
   */
  readonly #builtIds = new BuiltIds();
  #flushing: Promise<void> | null = null;
  #closed = false;
  /** The last clock reading and its ISO form: a batch read in one millisecond formats it once. */
  #clockMs = Number.NaN;
  #clockIso = '';

  constructor(o: AuditLogOptions, r: { locale: Locale; retentionMonths: number; origin: string }) {
    this.#o = o;
    this.#store = o.store;
    this.#locale = r.locale;
    this.retentionMonths = r.retentionMonths;
    this.#origin = r.origin;
    this.#now = resolveClock(o.now, 'createAuditLog');
    this.#sha256 = o.sha256 ?? defaultSha256;
    this.#uuid = createUuidV7(resolveRandom(o.random));
    this.#daily = o.dailyCheckpoints ?? o.signer !== undefined;
    this.#maxBatch = o.maxBatch ?? 4096;
    this.#skewSeconds = o.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  }

  #error(code: 'ERR_AUDIT_EVENT_INVALID' | 'ERR_AUDIT_CLOSED' | 'ERR_AUDIT_NO_SIGNER', detail?: LocalizedText): AuditError {
    return new AuditError(code, { params: { detail }, locale: this.#locale });
  }

  #clock(): Date {
    return readClock(this.#now, 'createAuditLog');
  }

  append(draft: AuditEventDraft): Promise<AuditEvent> {
    if (this.#closed) return Promise.reject(this.#error('ERR_AUDIT_CLOSED'));
    let p: Prepared;
    try {
      p = this.#prepare(draft);
    } catch (e) {
      // A coded error rejects; a TypeError (a clock that gives no Date) is the caller's mistake, thrown.
      if (e instanceof AuditError) return Promise.reject(e);
      throw e;
    }
    return this.#enqueue('event', p.time, p.ms, p) as Promise<AuditEvent>;
  }

  appendMany(drafts: readonly AuditEventDraft[]): Promise<AuditEvent[]> {
    if (!Array.isArray(drafts)) throw new TypeError('appendMany: drafts must be an array');
    if (this.#closed) return Promise.reject(this.#error('ERR_AUDIT_CLOSED'));
    if (drafts.length === 0) return Promise.resolve([]);
    const prepared: Prepared[] = new Array(drafts.length);
    try {
      for (let i = 0; i < drafts.length; i++) {
        prepared[i] = this.#prepare(drafts[i]!, i);
      }
    } catch (e) {
      if (e instanceof AuditError) return Promise.reject(e);
      throw e;
    }
    return new Promise((resolve, reject) => {
      const first = prepared[0]!;
      this.#queue.push({ kind: 'batch', id: first.id, time: first.time, ms: first.ms, batch: prepared, resolve: () => resolve(pending.results!), reject });
      const pending = this.#queue[this.#queue.length - 1]!;
      this.#flushing ??= this.#flush();
    });
  }

  /** Checks a draft and gives the event it traces, NIRs pseudonymised; throws the error `append` rejects with. */
  #prepare(draft: AuditEventDraft, index?: number): Prepared {
    // The schema's checks, written out for the common draft (its objects are new, ours to clean in place); the schema itself
    // for any other draft (and its issue when it refuses).
    let checked: CheckedDraft | null;
    let d: CheckedDraft;
    try {
      checked = checkDraft(draft);
      d = checked ?? this.#parse(draft, index);
    } catch (e) {
      if (e instanceof AuditError) throw e;
      // A draft that cannot even be read (a getter or a proxy that throws): bad data, refused with a code like any
      // other (rejected, its batch untouched), never thrown as it is out of a call that returns a promise.
      const what = truncateForMessage(thrownText(e), 80);
      throw this.#invalid(
        {
          fr: `brouillon illisible, sa lecture a levé : ${what} (attendu : un objet de données simples)`,
          en: `unreadable draft, reading it threw: ${what} (expected: a plain data object)`,
        },
        index,
        e,
      );
    }
    const key = this.#o.pseudonymKey;
    const given: Record<string, unknown> = d.subject;
    const subject: Record<string, unknown> = checked === null ? {} : given;
    for (const k in given) {
      const v = given[k];
      if (v !== undefined) subject[k] = typeof v === 'string' ? pseudonymizeNirs(v, key) : v;
    }
    const now = this.#clock();
    const nowMs = now.getTime();
    let time: string;
    let ms: number;
    if (d.time !== undefined) {
      time = d.time;
      ms = Date.parse(time);
      if (ms > nowMs + this.#skewSeconds * 1000) {
        throw this.#invalid({ fr: `heure ${d.time} postérieure à l'horloge du journal`, en: `time ${d.time} after the log's clock` }, index);
      }
    } else {
      if (nowMs !== this.#clockMs) {
        this.#clockIso = now.toISOString();
        this.#clockMs = nowMs;
      }
      time = this.#clockIso;
      ms = nowMs;
    }
    const actor = checked === null ? { personId: d.actor.personId, role: d.actor.role, terminalId: d.actor.terminalId } : d.actor;
    actor.personId = pseudonymizeNirs(d.actor.personId, key);
    actor.terminalId = pseudonymizeNirs(d.actor.terminalId, key);
    return {
      id: d.id ?? this.#uuid(ms),
      // A caller's id is looked for in the trace, a first delivery's too (`firstDelivery` is no proof: another process may
      // have delivered the same event meanwhile, a request retried while its first try still runs).
      given: d.id !== undefined,
      time,
      ms,
      draft: checked === null ? traced(d, actor, subject, key) : cleanInPlace(checked, key),
    };
  }

  /** A draft parsed by its schema; throws `ERR_AUDIT_EVENT_INVALID` with the schema's first issue. */
  #parse(draft: AuditEventDraft, index: number | undefined): CheckedDraft {
    const parsed = AuditEventDraftSchema.safeParse(draft);
    if (!parsed.success) throw this.#invalid(schemaIssueDetail(parsed.error.issues), index);
    return parsed.data;
  }

  /** `ERR_AUDIT_EVENT_INVALID`; in a batch, the detail starts with the draft's index, also in `params.index`. */
  #invalid(detail: LocalizedText | undefined, index: number | undefined, cause?: unknown): AuditError {
    const withCause = cause === undefined ? {} : { cause };
    if (index === undefined) return new AuditError('ERR_AUDIT_EVENT_INVALID', { params: { detail }, locale: this.#locale, ...withCause });
    const d = detail ?? { fr: '', en: '' };
    return new AuditError('ERR_AUDIT_EVENT_INVALID', {
      params: { detail: { fr: `[${index}] ${d.fr}`, en: `[${index}] ${d.en}` }, index },
      locale: this.#locale,
      ...withCause,
    });
  }

  checkpoint(): Promise<AuditEvent | null> {
    if (this.#closed) return Promise.reject(this.#error('ERR_AUDIT_CLOSED'));
    if (this.#o.signer === undefined) return Promise.reject(this.#error('ERR_AUDIT_NO_SIGNER'));
    const now = this.#clock();
    return this.#enqueue('checkpoint', now.toISOString(), now.getTime());
  }

  #enqueue(kind: Pending['kind'], time: string, ms: number, event?: Prepared): Promise<AuditEvent | null> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        kind,
        id: event?.id ?? this.#uuid(ms),
        given: event?.given,
        time,
        ms,
        draft: event?.draft,
        resolve,
        reject,
      });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    // Let the appends of this tick join the batch (group commit).
    await Promise.resolve();
    while (this.#queue.length > 0) {
      // Up to maxBatch events; a batch of appendMany is never split (nor refused for its size).
      let take = 0;
      let events = 0;
      while (take < this.#queue.length && (take === 0 || events < this.#maxBatch)) {
        const q = this.#queue[take]!;
        const n = q.batch?.length ?? 1;
        if (take > 0 && events + n > this.#maxBatch) break;
        events += n;
        take++;
      }
      const batch = this.#queue.splice(0, take);
      // What the last call of `build` returned, until the store writes it; `null` while a build is running or failed.
      const last: { built: readonly StoredEvent[] | null } = { built: null };
      try {
        // A store without `held`: the ids this log built before are read back where it built them, before the store's lock
        // (a vendor's `read` may wait for it). The store is the judge: an event not there as built is written again.
        const recalled = this.#builtIds.empty ? null : await this.#recall(batch);
        await this.#store.append(async (head, held) => {
          last.built = null;
          last.built = await this.#build(head, batch, held ?? (recalled === null ? undefined : async () => recalled));
          if (held === undefined) this.#noteBuilt(batch);
          return last.built;
        });
        for (const p of batch) {
          if (p.error === undefined) p.resolve(p.result ?? null);
          else p.reject(p.error);
        }
      } catch (e) {
        const error = e instanceof AuditError ? e : storeFailure(e, this.#locale);
        // The store failed after a build: its write may have landed all the same (a COMMIT whose answer was lost).
        const built = last.built as readonly StoredEvent[] | null;
        const landed = built === null ? null : await this.#landed(built);
        // An event the build found already held (a caller's id given again) was not to be written: it is stored.
        const written = landed === null ? null : new Set(built!.map((s) => s.event.id));
        const stored = (id: string): boolean => landed!.has(id) || !written!.has(id);
        for (const p of batch) {
          if (p.error !== undefined) p.reject(landed === null ? error : p.error);
          else if (landed !== null && this.#isStored(p, stored)) p.resolve(p.result ?? null);
          else p.reject(error);
        }
      }
    }
    this.#flushing = null;
  }

  /**
   * A store that passes no `held` (AUD-2): notes where this build put the event of each caller id (or found it), so
   * that a retry by this log — also after a write whose answer was lost and could not be read back — finds it. Only a
   * hint: {@link #recall} checks it against the store.
   */
  #noteBuilt(batch: readonly Pending[]): void {
    const note = (id: string, e: AuditEvent | undefined | null): void => {
      if (e !== undefined && e !== null) this.#builtIds.note(id, e.seq);
    };
    for (const p of batch) {
      if (p.given === true) note(p.id, p.result);
      if (p.batch !== undefined && p.results !== undefined) for (let i = 0; i < p.batch.length; i++) if (p.batch[i]!.given) note(p.batch[i]!.id, p.results[i]);
    }
  }

  /**
   * The events the store holds, under their ids, where this log built the events of the caller ids of `batch` (a store
   * that passes no `held`); `null` when it built none of them. Read in runs of close sequence numbers: the cost is that
   * of the retries, nothing for a first delivery. A store that cannot be read fails the batch (nothing is written).
   */
  async #recall(batch: readonly Pending[]): Promise<AuditEvent[] | null> {
    const wanted = new Map<number, string>();
    const want = (id: string): void => {
      const seq = this.#builtIds.seqOf(id);
      if (seq !== undefined) wanted.set(seq, id);
    };
    for (const p of batch) {
      if (p.given === true) want(p.id);
      if (p.batch !== undefined) for (const b of p.batch) if (b.given) want(b.id);
    }
    if (wanted.size === 0) return null;
    const seqs = [...wanted.keys()].sort((a, b) => a - b);
    const out: AuditEvent[] = [];
    for (let i = 0; i < seqs.length; ) {
      let j = i;
      while (j + 1 < seqs.length && seqs[j + 1]! - seqs[j]! <= RECALL_GAP) j++;
      for await (const e of this.#store.read({ fromSeq: seqs[i]!, toSeq: seqs[j]! })) if (wanted.get(e.seq) === e.id) out.push(e);
      i = j + 1;
    }
    return out;
  }

  /**
   * After a failed store write (AUD-2): the ids of the events of `built` that the store holds as they were built (same
   * sequence number, id and hash), read back from the store once its head shows it reached them; `null` when none is
   * there or the store cannot be read.
   * A write whose answer was lost is thus reported written, once: a caller retrying a failure traces nothing twice.
   */
  async #landed(built: readonly StoredEvent[]): Promise<Set<string> | null> {
    if (built.length === 0) return null;
    const expected = new Map<number, AuditEvent>();
    for (const { event } of built) expected.set(event.seq, event);
    const found = new Set<string>();
    try {
      // The head first: a store that undid its write (the file store truncates) is not read through for nothing.
      if ((await this.#store.head()).seq < built[0]!.event.seq) return null;
      for await (const e of this.#store.read({ fromSeq: built[0]!.event.seq, toSeq: built[built.length - 1]!.event.seq })) {
        const mine = expected.get(e.seq);
        if (mine !== undefined && mine.id === e.id && mine.hash === e.hash) found.add(e.id);
      }
    } catch {
      return null;
    }
    return found.size === 0 ? null : found;
  }

  /** Whether every event an append or a batch was answered with is `stored`. */
  #isStored(p: Pending, stored: (id: string) => boolean): boolean {
    if (p.kind === 'batch') return p.results?.every((e) => stored(e.id)) === true;
    // A checkpoint with nothing to seal wrote nothing: it is as done as the rest.
    return p.result === null || p.result === undefined ? p.kind === 'checkpoint' : stored(p.result.id);
  }

  /** `ERR_AUDIT_ID_REUSED`: a draft's id is `traced`'s, another event (in a batch, `index` is the draft's). */
  #reused(traced: { readonly id: string; readonly seq?: number }, index?: number): AuditError {
    return new AuditError('ERR_AUDIT_ID_REUSED', {
      params: { id: traced.id, ...(traced.seq === undefined ? {} : { seq: traced.seq }), ...(index === undefined ? {} : { index }) },
      locale: this.#locale,
    });
  }

  /** The first draft of a batch whose id is held, or given earlier in the batch, for another action; else `null`. */
  #clash(items: readonly Prepared[], known: ReadonlyMap<string, AuditEvent>): AuditError | null {
    const earlier = new Map<string, Prepared>();
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (!item.given) continue;
      const held = known.get(item.id);
      if (held !== undefined) {
        if (!sameAction(held, item)) return this.#reused(held, i);
        continue;
      }
      const before = earlier.get(item.id);
      if (before === undefined) earlier.set(item.id, item);
      else if (!sameAction({ ...before.draft, time: before.time }, item)) return this.#reused({ id: item.id }, i);
    }
    return null;
  }

  /**
   * The events the store holds under the ids callers gave the drafts of `batch` (AUD-2), read with the store's
   * `held` (under its lock), told the earliest time the ids were made (a UUIDv7's milliseconds) so that a store can
   * look among recent ids only; empty when no draft gave one, or when the store offers no `held` and this log
   * built none of them before (otherwise `held` is the log's own {@link #recall}, read back from the store).
   */
  async #known(batch: readonly Pending[], held: HeldEvents | undefined): Promise<Map<string, AuditEvent>> {
    const known = new Map<string, AuditEvent>();
    if (held === undefined) return known;
    const ids: string[] = [];
    let since = Number.POSITIVE_INFINITY;
    const ask = (id: string): void => {
      ids.push(id);
      since = Math.min(since, uuidV7Time(id));
    };
    for (const p of batch) {
      if (p.given === true) ask(p.id);
      if (p.batch !== undefined) for (const b of p.batch) if (b.given) ask(b.id);
    }
    if (ids.length === 0) return known;
    for (const e of await held(ids, { since })) {
      // The event found must be the one its hash seals: a line edited in the store (its id renamed to the one being
      // delivered, its action changed) would otherwise answer a delivery in place of the real event.
      const { hash, ...unhashed } = e;
      if (leafHashHex(unhashedJson(unhashed), this.#sha256) !== hash) {
        throw new AuditError('ERR_AUDIT_LINE_INVALID', { params: { seq: e.seq, detail: 'hash' }, locale: this.#locale });
      }
      if (!known.has(e.id)) known.set(e.id, e);
    }
    return known;
  }

  async #build(head: ChainHead, batch: readonly Pending[], held?: HeldEvents): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    // Events already traced under a caller's id, and those of this build: given twice, written once.
    const known = await this.#known(batch, held);
    // The sealed event itself is the stored one (issue 19: no copy per event); its hash bytes move the head.
    const push = (s: StoredEvent & { readonly hashBytes?: Uint8Array }): void => {
      out.push(s);
      head.advance(s.event, s.hashBytes);
    };
    if (head.recovered !== null) {
      const r = head.recovered;
      head.recovered = null;
      const time = this.#notBefore(head, batch[0]!.time);
      push(
        sealEvent(
          {
            v: AUDIT_EVENT_VERSION,
            id: this.#uuid(Date.parse(time)),
            seq: head.seq + 1,
            time,
            action: 'audit.recovered',
            actor: SERVICE,
            subject: {},
            outcome: 'success',
            code: 'ERR_AUDIT_TORN_TAIL',
            count: r.bytes,
            reason: `ligne incomplète de ${r.bytes} octets à la position ${r.offset} mise de côté dans ${r.file}`.slice(0, 500),
            prev: head.hash,
            hash: '',
          },
          this.#sha256,
        ),
      );
    }
    // The earliest time an event may have: the skew before the latest time of the chain as it stands — the events of
    // this build included, or a draft dated far before an earlier one of the same group would be written, and never verify.
    const skewMs = this.#skewSeconds * 1000;
    const floor = (latest: string | null): number => (latest === null ? Number.NEGATIVE_INFINITY : Date.parse(latest) - skewMs);
    for (const p of batch) {
      p.result = null;
      p.results = undefined;
      p.error = undefined;
      const traced = p.given === true ? known.get(p.id) : undefined;
      if (traced !== undefined) {
        // The same action given again is answered with its event; another one under that id is refused.
        if (sameAction(traced, p as Prepared)) p.result = traced;
        else p.error = this.#reused(traced);
        continue;
      }
      if (p.kind === 'event' && p.ms < floor(head.latest)) {
        // Written, it would not verify: the clock went back, or the draft's time is too old.
        p.error = new AuditError('ERR_AUDIT_TIME_BACKWARDS', {
          params: { time: p.time, latest: head.latest!, tolerance: this.#skewSeconds },
          locale: this.#locale,
        });
        continue;
      }
      if (p.kind === 'batch') {
        // All or nothing: one draft dated too early refuses the whole batch, before anything of it is written.
        const items = p.batch!;
        const clash = this.#clash(items, known);
        if (clash !== null) {
          p.error = clash;
          continue;
        }
        // Each draft to be written against the latest time before it, its batch's earlier drafts included.
        let latest = head.latest;
        let late = -1;
        const given = new Set<string>();
        for (let i = 0; i < items.length && late < 0; i++) {
          const b = items[i]!;
          if (b.given && (known.has(b.id) || given.has(b.id))) continue; // answered with the event traced, not written
          if (b.given) given.add(b.id);
          if (b.ms < floor(latest)) late = i;
          else if (latest === null || b.time > latest) latest = b.time;
        }
        if (late >= 0) {
          p.error = new AuditError('ERR_AUDIT_TIME_BACKWARDS', {
            params: { time: items[late]!.time, latest: latest!, tolerance: this.#skewSeconds, index: late },
            locale: this.#locale,
          });
          continue;
        }
        const results: AuditEvent[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) {
          const item = items[i]!;
          const already = item.given ? known.get(item.id) : undefined;
          if (already !== undefined) {
            results[i] = already;
            continue;
          }
          // Awaits only for the day's checkpoint: the events themselves are sealed synchronously, no promise each.
          if (this.#dayTurns(head, item.time)) push(await this.#checkpointEvent(head, this.#uuid(item.ms), item.time));
          results[i] = this.#event(head, item, push);
          if (item.given) known.set(item.id, results[i]!);
        }
        p.results = results;
        continue;
      }
      const open = head.seq > 0 && head.checkpoint?.seq !== head.seq;
      if (p.kind === 'checkpoint') {
        if (open) {
          const cp = await this.#checkpointEvent(head, p.id, p.time);
          push(cp);
          p.result = cp.event;
        }
        continue;
      }
      if (this.#dayTurns(head, p.time)) push(await this.#checkpointEvent(head, this.#uuid(p.ms), p.time));
      p.result = this.#event(head, p as Prepared, push);
      if (p.given === true) known.set(p.id, p.result);
    }
    return out;
  }

  /** Whether an event at `time` opens a new day (Paris time) after an open period: the day's checkpoint comes first. */
  #dayTurns(head: ChainHead, time: string): boolean {
    const open = head.seq > 0 && head.checkpoint?.seq !== head.seq;
    return this.#daily && open && this.#o.signer !== undefined && parisDay(head.time!) !== parisDay(time);
  }

  /** Seals one event after the head (the day's checkpoint, when due, is the caller's). */
  #event(head: ChainHead, p: Prepared, push: (s: StoredEvent & { readonly hashBytes?: Uint8Array }) => void): AuditEvent {
    const d = p.draft;
    // Built member by member, in the order of the draft (no spread: a copy of the draft per event).
    const e = {
      v: AUDIT_EVENT_VERSION,
      id: p.id,
      seq: head.seq + 1,
      time: p.time,
      action: d.action,
      actor: d.actor,
      subject: d.subject,
      outcome: d.outcome,
    } as AuditEvent;
    if (d.code !== undefined) e.code = d.code;
    if (d.reason !== undefined) e.reason = d.reason;
    if (d.count !== undefined) e.count = d.count;
    e.prev = head.hash;
    e.hash = '';
    const s = sealEvent(e, this.#sha256);
    push(s);
    return s.event;
  }

  async #checkpointEvent(head: ChainHead, id: string, time: string): Promise<StoredEvent> {
    const root = head.merkle.root();
    const body = formatCheckpointBody({
      origin: this.#origin,
      first: head.periodFirst,
      last: head.seq,
      root: toBase64(root),
      head: head.hash,
      previous: head.checkpoint?.bodyHash ?? 'none',
      from: head.periodFirstTime!,
      to: head.time!,
    });
    const signature = await this.#o.signer!.sign(new TextEncoder().encode(body), { detached: true });
    const stamp = await this.#timestamp(signature);
    return sealEvent(
      {
        v: AUDIT_EVENT_VERSION,
        id,
        seq: head.seq + 1,
        time: this.#notBefore(head, time),
        action: 'audit.checkpoint',
        actor: { ...SERVICE, terminalId: this.#origin },
        subject: { firstSeq: head.periodFirst, lastSeq: head.seq },
        outcome: 'success',
        ...('missed' in stamp ? { code: stamp.missed, reason: TIMESTAMP_MISSED } : {}),
        count: head.seq - head.periodFirst + 1,
        checkpoint: { body, signature: toBase64(signature), ...('token' in stamp ? { timestamp: toBase64(stamp.token) } : {}) },
        prev: head.hash,
        hash: '',
      },
      this.#sha256,
    );
  }

  /**
   * The time-stamp token over `SHA-256(signature)` (AUD-2), nothing without
   * a timestamper, or — `onTimestampFailure: 'without'` — the code of the
   * TSA's failure, written in the checkpoint.
   */
  async #timestamp(signature: Uint8Array): Promise<{ token: Uint8Array } | { missed: string } | { none: true }> {
    const stamper = this.#o.timestamper;
    if (stamper === undefined) return { none: true };
    try {
      return { token: await stamper.timestamp(this.#sha256(signature), { hash: 'SHA-256' }) };
    } catch (e) {
      const coded = isS3404Error(e);
      if (this.#o.onTimestampFailure === 'without' && coded) return { missed: isTraceCode(e.code) ? e.code : 'ERR_AUDIT_TIMESTAMP_UNAVAILABLE' };
      throw new AuditError('ERR_AUDIT_TIMESTAMP_UNAVAILABLE', {
        params: { detail: coded ? e.code : e instanceof Error ? e.message.slice(0, 200) : String(e).slice(0, 200) },
        locale: this.#locale,
        cause: e,
      });
    }
  }

  /** A service event's time: `time`, or the latest time of the chain when the clock is behind it (a checkpoint dates no earlier than what it seals). */
  #notBefore(head: ChainHead, time: string): string {
    return head.latest !== null && time < head.latest ? head.latest : time;
  }

  async purge(options: { readonly before: Date | string; readonly actor?: AuditActor }): Promise<PurgeResult> {
    if (this.#closed) throw this.#error('ERR_AUDIT_CLOSED');
    const before = new Date(options?.before as Date | string);
    if (Number.isNaN(before.getTime())) throw new AuditError('ERR_AUDIT_PERIOD_INVALID', { params: { detail: String(options?.before) }, locale: this.#locale });
    const cutoff = retentionCutoff(this.#clock(), this.retentionMonths);
    if (before.getTime() > cutoff.getTime()) {
      throw new AuditError('ERR_AUDIT_PURGE_TOO_RECENT', {
        params: { cutoff: cutoff.toISOString().slice(0, 10), months: this.retentionMonths },
        locale: this.#locale,
      });
    }
    await this.#flushing;
    // The last checkpoint before which every event is older than `before`:
    // it stays, and anchors what remains.
    const limit = before.toISOString();
    let boundary = 0;
    let first = 0;
    let maxTime = '';
    for await (const e of this.#store.read()) {
      if (first === 0) first = e.seq;
      if (e.action === 'audit.checkpoint' && e.seq > first && maxTime < limit) boundary = e.seq;
      if (e.time >= limit) break;
      if (e.time > maxTime) maxTime = e.time;
    }
    const reason = purgeReason(limit, this.retentionMonths);
    const actor = options.actor ?? SERVICE;
    if (boundary === 0) {
      const event = await this.append({ action: 'audit.retention-purge', actor, subject: {}, outcome: 'success', count: 0, reason });
      return { purged: 0, throughSeq: 0, event };
    }
    if (this.#o.signer === undefined) throw this.#error('ERR_AUDIT_NO_SIGNER');
    // The evidence first, sealed: what is deleted, older than which limit, under which retention.
    const event = await this.append({
      action: 'audit.retention-purge',
      actor,
      subject: { firstSeq: first, lastSeq: boundary - 1 },
      outcome: 'success',
      count: boundary - first,
      reason,
    });
    await this.checkpoint();
    const purged = await this.#store.purge(boundary - 1);
    return { purged, throughSeq: boundary - 1, event };
  }

  async *read(
    options: {
      readonly fromSeq?: number | undefined;
      readonly toSeq?: number | undefined;
      readonly from?: Date | undefined;
      readonly to?: Date | undefined;
    } = {},
  ): AsyncIterable<AuditEvent> {
    const from = options.from?.toISOString();
    const to = options.to?.toISOString();
    for await (const e of this.#store.read({ fromSeq: options.fromSeq, toSeq: options.toSeq })) {
      if ((from === undefined || e.time >= from) && (to === undefined || e.time < to)) yield e;
    }
  }

  async verify(options: Omit<VerifyLogOptions, 'sha256'> = {}): Promise<VerifyReport> {
    await this.#flushing;
    return verifyLog(this.#store.lines(), { clockSkewSeconds: this.#skewSeconds, now: this.#now, ...options, sha256: this.#sha256 });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flushing;
    await this.#store.close();
  }
}

/**
 * A store's failure that is no `AuditError` (AUD-2, issue 19): a vendor's
 * store over its own driver may throw the driver's errors as they are.
 * Data the backend reports damaged is `ERR_AUDIT_STORE_CORRUPT`, a refusal
 * no retry changes (a right, a table) `ERR_AUDIT_STORE_MISCONFIGURED`
 * (the store kit's `failureClassOf`), anything else
 * `ERR_AUDIT_STORE_UNAVAILABLE`; the error as `cause`.
 */
function storeFailure(e: unknown, locale: Locale): AuditError {
  const found = failureClassOf(e);
  const code: AuditErrorCode =
    found === undefined ? 'ERR_AUDIT_STORE_UNAVAILABLE' : found.as === 'corrupt' ? 'ERR_AUDIT_STORE_CORRUPT' : 'ERR_AUDIT_STORE_MISCONFIGURED';
  const detail = found?.reason ?? (e instanceof Error ? e.message : String(e));
  return new AuditError(code, { params: { detail }, locale, cause: e });
}
