import {
  isS3404Error,
  readClock,
  resolveRandom,
  uuidV4,
  type RandomSource,
  resolveClock,
  resolveLocale,
  type Clock,
  type Locale,
  type MessageParams,
  type TraceSink,
  type TraceSubject,
} from '@s3404/core';
import { failureClassOf } from '@s3404/core/stores';
import type { ConsumptionStore, PendingEntry, SweepOutbox, SweepResult, Tombstone, UntracedSweep } from './consumption-store.js';
import { isUntracedSweep } from './internal/untraced-sweep.js';
import { sameBytesConstantTime } from './internal/same-bytes-constant-time.js';
import { UnfinishedDeposits } from './internal/unfinished-deposits.js';
import { sweepEventId, useEventId } from './internal/use-event-id.js';
import { DATA_KEY_BYTES, openEnvelope, resolveAead, sealEnvelope, type Aead, type PendingCipherCrypto } from './internal/pending-envelope.js';
import { formatPendingHandle, parsePendingHandle } from './keys/pending-handle.js';
import { MemoryKeyHolder, type RecordKeyHolder } from './keys/record-key-holder.js';
import { SealError } from './errors/seal-error.js';
import type { SealErrorCode } from './errors/seal-errors.js';
import type { DayBordereau } from './accounting-day.js';
import type { Scope, SignatureRecord } from './record-schema.js';
import { subjectOf, type SealTraceAction, type SealTraceActor, type SealTraceDraft } from './trace.js';
import { createVerifier, readUnverifiedRecord, type RecordExpectation, type VerifiedRecord, type Verifier } from './verify-record.js';

/** Options of {@link createConsumer} (SIG-4…SIG-6). @public */
export interface ConsumerOptions {
  /** Where pending records and tombstones live; one backend for both. */
  readonly store: ConsumptionStore;
  /** The establishment's trust anchors (DER), when no `verifier` is given. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** A verifier to reuse (its clock and anchors apply). */
  readonly verifier?: Verifier;
  /** Who consumes, written in tombstones (service name, host). Default `s3404`. */
  readonly consumerId?: string;
  /**
   * How long a sealed record stays usable after its signing time, seconds
   * (SIG-6). Pending records expire then; older bytes are refused. Default 1800 (30 minutes).
   */
  readonly ttlSeconds?: number;
  /**
   * How long a claimed record whose use never completed (a crash between
   * claim and apply) keeps its pending bytes for a retry of the same request,
   * seconds. The sweeper deletes it after. Default 300.
   */
  readonly claimGraceSeconds?: number;
  /**
   * Tolerated clock difference between the hosts sharing the store, seconds,
   * as for the verifier. `purgeTombstones` keeps every tombstone younger
   * than the TTL plus this skew, and the verifier made from `trustAnchors`
   * uses it. Default 300 (the verifier's default). When you pass your own
   * `verifier`, give the same value as its `clockSkewSeconds`.
   */
  readonly clockSkewSeconds?: number;
  /** Where consumptions, refusals and sweeps are traced, as core `TraceEvent`s (AUD-1); awaited. Default: none. */
  readonly trace?: TraceSink<SealTraceAction>;
  /** The clock of expiries, claims, sweeps and purges (determinism). Default: the system clock. */
  readonly now?: Clock;
  /**
   * Where the data keys of pending records live besides their handles
   * (SIG-6): each record is stored encrypted under its own key, and a
   * `{ recordId }` consume finds the key here. Default: a
   * {@link MemoryKeyHolder} of this consumer (keys in this process's memory,
   * gone at restart). `null`: keys only travel in the handles `deposit`
   * returns, so only `{ handle }` (or `{ bytes }`) can be consumed.
   */
  readonly keyHolder?: RecordKeyHolder | null;
  /**
   * AES-256-GCM for pending records, as Web Crypto. Default: the runtime's
   * native AES-GCM where it has one (Node, Bun, Deno), else Web Crypto.
   */
  readonly crypto?: PendingCipherCrypto;
  /** Data keys and nonces. Default: the platform's CSPRNG. */
  readonly random?: RandomSource;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** The person or service that consumes, for the trace (AUD-1). @public */
export type ConsumeActor = SealTraceActor;

/**
 * Which record (SIG-5, SIG-6): its sealed bytes; the handle its deposit
 * returned (record id and data key); or its id in the pending store, the key
 * then coming from the consumer's key holder.
 *
 * @public
 */
export type ConsumeInput = { readonly bytes: Uint8Array } | { readonly handle: string } | { readonly recordId: string };

/**
 * What a deposit returns (SIG-6): the pending record's id, expiry and
 * handle. The handle carries the record's data key — the only way to read
 * the ciphertext the store holds besides the key holder: give it only to
 * whoever will consume the record, never store it next to the store.
 *
 * @public
 */
export interface PendingDeposit {
  readonly recordId: string;
  /** SHA-256 of the sealed bytes (the plaintext), lowercase hex. */
  readonly digest: string;
  /** What the record can be used for (see {@link targetKey}); bound to the ciphertext. */
  readonly target: string;
  /** When the record stops being usable, ISO 8601 UTC. */
  readonly expiresAt: string;
  /** `s3404-pending.1.<record id>.<data key, base64url>`: what `consume({ handle })` needs. */
  readonly handle: string;
}

/** Options of {@link Consumer.deposit} (SIG-6). @public */
export interface DepositOptions {
  /**
   * For bytes given alone: verify the seal against the consumer's anchors
   * (default `true`), or only read the record (`false`: a depositor without
   * the anchors, e.g. `s3404 record deposit` without `--trust`); the seal is
   * verified at consumption either way.
   */
  readonly verify?: boolean;
}

/** A record to deposit: a `SealedRecord`, or sealed bytes alone (then verified first). @public */
export type DepositInput =
  | { readonly bytes: Uint8Array; readonly recordId: string; readonly digest: string; readonly signingTime: string; readonly record: SignatureRecord }
  | { readonly bytes: Uint8Array };

/**
 * What a record is being used for (SIG-4, SIG-10): a bordereau with the hash
 * of the exact content it is applied to (and the line, when it is a line),
 * or an accounting day with every bordereau of the day and its content hash.
 * Checked against the record before the claim: another bordereau, line or
 * content (`ERR_RECORD_WRONG_CONTENT`), or another set of the day
 * (`ERR_RECORD_DAY_SET_MISMATCH`), is refused, traced, and nothing is consumed.
 *
 * `import type { ConsumeTarget } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const { bordereauId, contentHash } = await readSignatureSlots(pdf) // @s3404/form/pdf
 * const target: ConsumeTarget = { bordereauId, contentHash, line: 2 }
 * ```
 * @public
 */
export type ConsumeTarget =
  | (RecordExpectation & { readonly bordereauId: string; readonly contentHash: string })
  | (RecordExpectation & { readonly day: string; readonly dayBordereaux: readonly DayBordereau[] });

/** Options of {@link Consumer.consume} (SIG-4, SIG-5). @public */
export interface ConsumeOptions<T> {
  /**
   * What the signature is being used for, with the content it is applied to:
   * checked against the record before the claim (SIG-4, SIG-10).
   */
  readonly target: ConsumeTarget;
  /**
   * The caller's idempotency key, 1 to 255 visible ASCII characters. A retry
   * with the same key and target resumes an unfinished use or returns the
   * finished outcome; any other key gets `ERR_RECORD_REPLAYED`.
   */
  readonly requestId: string;
  /** Who is consuming, for the trace. Default: the consumer service. */
  readonly actor?: ConsumeActor;
  /**
   * Runs after verification and before the claim: throw to refuse without
   * consuming (e.g. the slot on the PDF is already signed). A thrown coded
   * error (a `SealError`, any `S3404Error`) is traced as a refusal.
   */
  readonly check?: (verified: VerifiedRecord) => void | Promise<void>;
  /**
   * Applies the verified record (e.g. saves the PDF drawn in `check`) between
   * the claim and the deletion of the pending bytes. Do in `check` whatever
   * can fail on the data: `apply` should only write. If it throws, the record
   * stays claimed by this request id and `consume` throws
   * `ERR_CONSUME_INCOMPLETE` (with `params.requestId`): retry with the same id.
   */
  readonly apply?: (verified: VerifiedRecord) => T | Promise<T>;
}

/** What every consumption outcome states: the record, its use and when (SIG-5). @public */
export interface ConsumptionOutcome {
  readonly recordId: string;
  /** SHA-256 of the consumed bytes. */
  readonly digest: string;
  /** What it was used for (see {@link targetKey}). */
  readonly target: string;
  readonly requestId: string;
  readonly claimedAt: string;
  readonly completedAt: string;
}

/** A record consumed by this request, now or on a resumed retry (SIG-5). @public */
export interface Consumed<T> extends ConsumptionOutcome {
  readonly status: 'consumed';
  /** True when this call finished a use an earlier call with the same request id had claimed. */
  readonly resumed: boolean;
  /** The verified record, with its image: apply it, then let it go (SIG-6). */
  readonly verified: VerifiedRecord;
  readonly record: SignatureRecord;
  /** What `apply` returned, if given. */
  readonly applied: T | undefined;
}

/**
 * A retry of a request that already completed (SIG-5): the same outcome,
 * without the image, which is gone.
 *
 * @public
 */
export interface AlreadyConsumed extends ConsumptionOutcome {
  readonly status: 'already-consumed';
}

/** The result of {@link Consumer.consume}. @public */
export type ConsumeResult<T> = Consumed<T> | AlreadyConsumed;

/**
 * Single use of sealed signature records (SIG-4…SIG-6). Create it with
 * {@link createConsumer}.
 *
 * @public
 */
export interface Consumer {
  /**
   * Puts a sealed record in the pending store until its use or expiry
   * (SIG-6), encrypted under a fresh random AES-256-GCM data key (the record
   * id, the target and the envelope's header as associated data): the store
   * only ever holds ciphertext. The key goes to the key holder (unless it is
   * `null`) and into the returned handle, never to the store. Bytes given
   * without their `SealedRecord` fields are verified first — or, with
   * `verify: false`, only read (structure, signing time, record content),
   * their seal then judged when they are consumed. After
   * `ERR_STORE_UNAVAILABLE` the record may or may not be stored: deposit it
   * again through this consumer, which kept the key it used and finishes the
   * deposit either way. With a shared key holder (`RedisKeyHolder`, see
   * `RecordKeyHolder.shared`), a record already pending whose key it holds
   * and whose ciphertext opens to these very bytes gives the same deposit
   * again, whichever consumer made it; otherwise another consumer's retry is
   * `ERR_RECORD_DUPLICATE`.
   * @throws {@link SealError} `ERR_RECORD_DUPLICATE`, `ERR_RECORD_EXPIRED`, any verification code (bytes alone),
   * `ERR_STORE_UNAVAILABLE`.
   */
  deposit(sealed: DepositInput, options?: DepositOptions): Promise<PendingDeposit>;
  /**
   * Verifies, checks the binding, claims atomically, applies, then deletes the
   * pending bytes (SIG-4, SIG-5, SIG-6). Every refusal is traced. Every error
   * but `ERR_CONSUME_INCOMPLETE` means the record was not used by this call.
   * @throws {@link SealError} `ERR_RECORD_REPLAYED`, `ERR_RECORD_WRONG_BORDEREAU`, `ERR_RECORD_WRONG_CONTENT` (signed
   * for other content of the bordereau), `ERR_RECORD_DAY_SET_MISMATCH` (and the other binding codes),
   * `ERR_RECORD_EXPIRED`, `ERR_RECORD_NOT_FOUND`, `ERR_RECORD_KEY_INVALID` (a handle that is not one),
   * `ERR_RECORD_KEY_MISSING` (no key: none in the input, none held), `ERR_RECORD_KEY_MISMATCH` (the key
   * does not open this record's ciphertext), any verification code (`ERR_IMAGE_UNDECODABLE`…), `ERR_STORE_UNAVAILABLE`,
   * and whatever `check` throws — all before the claim (on a use resumed by its request id, a coded refusal of `check`
   * is `ERR_CONSUME_INCOMPLETE`, its code as `detail`: the record stays claimed by that request); `ERR_CONSUME_INCOMPLETE` (kind `unavailable`,
   * `params.requestId`, `params.recordId`, `params.graceSeconds`, the failure as `cause`) when the store fails during the
   * claim (its answer may be lost after its commit), or `apply`, the trace or the store fails after it: call again
   * with the same request id to finish.
   * @throws TypeError for a malformed target: a bordereau without its `contentHash` (64 lowercase hex digits), a day
   * without `dayBordereaux` entries `{ bordereauId, contentHash }`.
   */
  consume<T = undefined>(input: ConsumeInput, options: ConsumeOptions<T>): Promise<ConsumeResult<T>>;
  /**
   * Deletes expired and abandoned pending records (SIG-6); traced when it
   * deletes any (`signature.expired`, their number as `count`). The store's
   * sweep outbox ({@link SweepOutbox}, every store of the SDK has one) keeps
   * each sweep's counts, written with its deletions, until their event is
   * traced: when the trace sink fails, or the process dies before tracing,
   * the deletions stand (the sink's error is thrown) and the next sweep of
   * any consumer on the store traces them, as the sweep that deleted them
   * (its consumer as actor, an event id named by the sweep: a trace that
   * keeps ids writes it once whoever delivers it). With a vendor store
   * without the outbox, the number is kept in this consumer's memory and
   * added to its next sweep's event: lost if the process dies first.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`; the trace sink's error.
   */
  sweep(): Promise<SweepResult>;
  /**
   * Deletes tombstones claimed before `before` (retention). Refused while
   * they could still stop a replay: `before` must be older than now minus the
   * TTL and the clock skew (`clockSkewSeconds`).
   * @throws {@link SealError} `ERR_RETENTION_TOO_SHORT`, `ERR_STORE_UNAVAILABLE`.
   * @throws TypeError when `before` is not a valid `Date`.
   */
  purgeTombstones(options: { readonly before: Date }): Promise<number>;
}

const REQUEST_ID = /^[\x21-\x7e]{1,255}$/;
const CONTENT_HASH = /^[0-9a-f]{64}$/;
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Creates the consumer of sealed records (SIG-4…SIG-6, SIG-10): the only way
 * a record becomes a signature on a bordereau. The order of its steps is the
 * crash protocol of `docs/consumption.md`: verify and check the binding, claim
 * (tombstone) atomically, apply, then complete (delete the pending bytes).
 *
 * `import { createConsumer } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const consumer = createConsumer({ store, trustAnchors })
 * const used = await consumer.consume({ bytes: p7m }, {
 *   target: { bordereauId, contentHash }, requestId: crypto.randomUUID(),
 *   apply: (v) => placeSignature(pdf, signaturePlacement(v.record, { bordereauId })),
 * })
 * ```
 * @throws TypeError when options are malformed (no store, no verifier nor anchors, a `now` that is not a Clock, numbers out of range).
 * @public
 */
export function createConsumer(options: ConsumerOptions): Consumer {
  if (options === null || typeof options !== 'object' || options.store === null || typeof options.store !== 'object') {
    throw new TypeError('createConsumer: options.store is required');
  }
  const ttlSeconds = options.ttlSeconds ?? 1800;
  const graceSeconds = options.claimGraceSeconds ?? 300;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 7 * 86400)
    throw new TypeError('createConsumer: ttlSeconds must be an integer from 1 to 604800');
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > ttlSeconds)
    throw new TypeError('createConsumer: claimGraceSeconds must be an integer from 0 to ttlSeconds');
  const skewSeconds = options.clockSkewSeconds ?? 300;
  if (!Number.isInteger(skewSeconds) || skewSeconds < 0 || skewSeconds > 86400)
    throw new TypeError('createConsumer: clockSkewSeconds must be an integer from 0 to 86400');
  const consumerId = options.consumerId ?? 's3404';
  if (!REQUEST_ID.test(consumerId)) throw new TypeError('createConsumer: consumerId must be 1 to 255 visible ASCII characters');
  const clock = resolveClock(options.now, 'createConsumer');
  const locale = resolveLocale(options.locale);
  let verifier = options.verifier;
  if (verifier === undefined) {
    if (options.trustAnchors === undefined) throw new TypeError('createConsumer: give options.verifier or options.trustAnchors');
    verifier = createVerifier({ trustAnchors: options.trustAnchors, now: clock, clockSkewSeconds: skewSeconds, locale });
  }
  const now = (): Date => readClock(clock, 'createConsumer');
  const keyHolder = options.keyHolder === undefined ? new MemoryKeyHolder() : options.keyHolder;
  if (keyHolder !== null && (typeof keyHolder !== 'object' || typeof keyHolder.get !== 'function' || typeof keyHolder.put !== 'function')) {
    throw new TypeError('createConsumer: keyHolder must be a RecordKeyHolder or null');
  }
  if (options.crypto !== undefined && (options.crypto === null || typeof options.crypto !== 'object' || typeof options.crypto.subtle !== 'object')) {
    throw new TypeError('createConsumer: options.crypto must be an object with subtle (Web Crypto)');
  }
  const cipher = resolveAead(options.crypto);
  if (cipher === undefined) throw new TypeError('createConsumer: Web Crypto is not available: pass options.crypto (an object with subtle).');
  return new StoreConsumer({
    keyHolder,
    cipher,
    random: resolveRandom(options.random),
    store: options.store,
    verifier,
    consumerId,
    ttlMs: ttlSeconds * 1000,
    graceMs: graceSeconds * 1000,
    skewMs: skewSeconds * 1000,
    trace: options.trace,
    now,
    locale,
  });
}

interface Settings {
  readonly store: ConsumptionStore;
  readonly keyHolder: RecordKeyHolder | null;
  readonly cipher: Aead;
  readonly random: RandomSource;
  readonly verifier: Verifier;
  readonly consumerId: string;
  readonly ttlMs: number;
  readonly graceMs: number;
  readonly skewMs: number;
  readonly trace: TraceSink<SealTraceAction> | undefined;
  readonly now: () => Date;
  readonly locale: Locale;
}

/**
 * The key a tombstone records for what a record was used for (SIG-4, SIG-5):
 * `bordereau:ID`, `line:ID:N` or `day:FINESS:AAAA-MM-JJ`.
 *
 * `import { targetKey } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * targetKey({ kind: 'line', bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', line: 2, practitionerRpps: '10003456786' })
 * // 'line:6R0ZQ-50K7C-AC6T4-JF0WA-04614-H:2'
 * ```
 * @public
 */
export function targetKey(scope: Scope): string {
  if (scope.kind === 'accounting-day') return `day:${scope.finess}:${scope.day}`;
  return scope.kind === 'line' ? `line:${scope.bordereauId}:${scope.line}` : `bordereau:${scope.bordereauId}`;
}

/** Sweeps of the outbox traced per query, and queries per `sweep()` at most (a store that never removes one cannot hold it). */
const SWEEPS_PER_ROUND = 100;
const MAX_SWEEP_ROUNDS = 100;

/** Whether a store keeps the sweeps' outbox (every store of the SDK; a vendor's may not). */
function hasSweepOutbox(store: ConsumptionStore): store is ConsumptionStore & SweepOutbox {
  return typeof store.untracedSweeps === 'function' && typeof store.sweepTraced === 'function';
}

/** Deposits with a lost outcome whose keys a consumer keeps for a retry: 10,000 keys are about 1 MB. */
const MAX_UNFINISHED_DEPOSITS = 10_000;

class StoreConsumer implements Consumer {
  readonly #s: Settings;
  /** Records deleted by sweeps whose trace failed: counted in the next sweep's event. */
  #untracedSweeps = 0;
  /** Keys of deposits whose outcome was lost, for their retry (bounded; see {@link UnfinishedDeposits}). */
  readonly #unfinished = new UnfinishedDeposits(MAX_UNFINISHED_DEPOSITS);

  constructor(settings: Settings) {
    this.#s = settings;
  }

  async deposit(sealed: DepositInput, options: DepositOptions = {}): Promise<PendingDeposit> {
    if (sealed === null || typeof sealed !== 'object' || !(sealed.bytes instanceof Uint8Array)) {
      throw new TypeError('deposit: expects a SealedRecord (bytes, recordId, digest, signingTime, record) or { bytes }');
    }
    let about: { readonly recordId: string; readonly digest: string; readonly signingTime: string; readonly scope: SignatureRecord['scope'] };
    if ('record' in sealed) {
      if (
        !RECORD_ID.test(String(sealed.recordId)) ||
        !/^[0-9a-f]{64}$/.test(String(sealed.digest)) ||
        sealed.record === null ||
        typeof sealed.record !== 'object'
      ) {
        throw new TypeError('deposit: expects a SealedRecord (bytes, recordId, digest, signingTime, record) or { bytes }');
      }
      if (Number.isNaN(Date.parse(sealed.signingTime))) throw new TypeError('deposit: signingTime must be an ISO 8601 instant');
      about = { recordId: sealed.recordId, digest: sealed.digest, signingTime: sealed.signingTime, scope: sealed.record.scope };
    } else {
      // Bytes alone (a record received from a terminal, `s3404 record deposit`): what is stored must be a record.
      const verified =
        options?.verify === false
          ? await readUnverifiedRecord(sealed.bytes, { locale: this.#s.locale })
          : await this.#s.verifier.verify(sealed.bytes, { expect: {} });
      if (!verified.ok) throw this.#error(verified.code, verified.params);
      about = { recordId: verified.recordId, digest: verified.digest, signingTime: verified.signingTime, scope: verified.record.scope };
    }
    let expiresAt = Date.parse(about.signingTime) + this.#s.ttlMs;
    if (expiresAt <= this.#s.now().getTime()) throw this.#error('ERR_RECORD_EXPIRED');
    const target = targetKey(about.scope);
    this.#unfinished.prune(this.#s.now().getTime());
    // Crypto-shredding (SIG-6): a fresh key per record; the store sees only the envelope. A retry of a
    // deposit whose outcome was lost takes back the key it used, which opens the ciphertext if it was written.
    const retried = this.#unfinished.take(about.recordId, about.digest, this.#s.now().getTime());
    const key = retried ?? this.#s.random(new Uint8Array(DATA_KEY_BYTES));
    let expires = new Date(expiresAt);
    const holder = this.#s.keyHolder;
    // A shared holder that can put a key only where none is held gets the record's key before its ciphertext is
    // written: every deposit of this record, on any instance, then encrypts under the one key held — the first
    // one's, even if it died between its write and its answer (SIG-6).
    const keyFirst = holder !== null && holder.shared === true && typeof holder.putIfAbsent === 'function' ? holder : undefined;
    /** `own`: this deposit's key is the one held; `held`: another deposit of this record put it first. */
    let keyOrigin: 'own' | 'held' | undefined;
    try {
      if (keyFirst !== undefined) {
        const held = await this.#store('keyHolder.putIfAbsent', () => keyFirst.putIfAbsent!(about.recordId, key, expires, this.#s.now()));
        if (held === null) keyOrigin = 'own';
        else {
          const usable = held.key.length === DATA_KEY_BYTES;
          if (usable) key.set(held.key);
          held.key.fill(0);
          if (!usable) throw this.#error('ERR_RECORD_DUPLICATE');
          keyOrigin = 'held';
          // A record written under that key expires no later than the key (an instance with a shorter life put it).
          if (held.expiresAt.getTime() < expiresAt) {
            expiresAt = held.expiresAt.getTime();
            expires = new Date(expiresAt);
          }
        }
      }
      const envelope = await sealEnvelope(this.#s.cipher, {
        key,
        nonce: this.#s.random(new Uint8Array(12)),
        recordId: about.recordId,
        target,
        plaintext: sealed.bytes,
      });
      const entry: PendingEntry = { recordId: about.recordId, digest: about.digest, bytes: envelope, expiresAt: expires.toISOString() };
      // The store first: a duplicate deposit must not replace the key of the record already pending.
      // Set when the record is pending from another consumer's deposit: its expiry as stored.
      let depositedElsewhere: string | undefined;
      try {
        await this.#store('putPending', () => this.#s.store.putPending(entry));
      } catch (e) {
        if (!isS3404Error(e) || e.code !== 'ERR_RECORD_DUPLICATE') throw e;
        if (keyOrigin !== undefined) {
          // Every deposit of this record encrypts under the key held, whoever put it: the record pending is this
          // deposit only if what the key opens is these very bytes (answered with its expiry as stored).
          const pending = await this.#pendingHolds(about, key, sealed.bytes);
          // The key this deposit put opens nothing pending (a used record, another key's entry): it goes, as no
          // deposit can use it any more. One that opens other bytes stays: the record written under it is pending.
          // Only if it is still held: a consumer of an earlier version may have put its own key meanwhile, for
          // the record it wrote first (a rolling upgrade).
          if (pending === 'nothing' && keyOrigin === 'own') await this.#dropOwnKey(keyFirst!, about.recordId, key);
          if (pending === 'nothing' || pending === 'other') throw e;
          depositedElsewhere = pending.expiresAt;
        } else if (!(await this.#wrote(about, key))) {
          // Refused as a duplicate: this deposit's own write landed if its key opens what is pending — an earlier
          // try's whose answer was lost (the key taken back), or this one's, sent again by the driver after a cut.
          // Or another consumer's deposit of these very bytes (a retry sent to another instance by a load
          // balancer): with a shared key holder the record is pending and usable — the same deposit, whose
          // handle is given again. Anything else stays a duplicate.
          const shared = await this.#depositedWithHeldKey(about, sealed.bytes);
          if (shared === undefined) throw e;
          key.set(shared.key);
          shared.key.fill(0);
          depositedElsewhere = shared.expiresAt;
        }
      }
      // A record deposited elsewhere keeps its key as held (a use claimed meanwhile has shortened its life there).
      if (holder !== null && keyOrigin === undefined && depositedElsewhere === undefined)
        await this.#store('keyHolder.put', () => holder.put(about.recordId, key, expires, this.#s.now()));
      return {
        recordId: about.recordId,
        digest: about.digest,
        target,
        expiresAt: depositedElsewhere ?? entry.expiresAt,
        handle: formatPendingHandle(about.recordId, key),
      };
    } catch (e) {
      // Outcome unknown (the store or the holder failed, the write may have landed): kept for a retry in this process.
      // A refusal for good too (issue 19): the store may have written before the holder was refused its command.
      if (isS3404Error(e) && (e.code === 'ERR_STORE_UNAVAILABLE' || e.code === 'ERR_STORE_MISCONFIGURED'))
        this.#unfinished.remember(about.recordId, about.digest, key, expiresAt);
      throw e;
    } finally {
      key.fill(0);
    }
  }

  /**
   * Destroys the key a deposit put first, only while it is the one held when
   * the holder can tell (`deleteIfHeld`); best effort: a key left behind
   * expires with the record it was put for (SIG-6).
   */
  async #dropOwnKey(holder: RecordKeyHolder, recordId: string, key: Uint8Array): Promise<void> {
    const drop: Promise<unknown> = holder.deleteIfHeld === undefined ? holder.delete(recordId) : holder.deleteIfHeld(recordId, key);
    await drop.catch(() => undefined);
  }

  /**
   * The key holder's key of this record when the pending entry is these very
   * bytes, deposited by a consumer sharing the store and the key holder
   * (`shared`, SIG-6): the key opens the ciphertext, and what it opens is
   * `bytes`, byte for byte — so a caller learns the key only by showing the
   * record itself. With the pending entry's expiry; `undefined` otherwise (no
   * shared holder, no key, another record under this id).
   */
  async #depositedWithHeldKey(
    about: { readonly recordId: string; readonly digest: string },
    bytes: Uint8Array,
  ): Promise<{ readonly key: Uint8Array; readonly expiresAt: string } | undefined> {
    const holder = this.#s.keyHolder;
    if (holder === null || holder.shared !== true) return undefined;
    const now = this.#s.now();
    const key = await this.#store('keyHolder.get', () => holder.get(about.recordId, now));
    if (key === null) return undefined;
    if (key.length !== DATA_KEY_BYTES) return wiped(key);
    try {
      const pending = await this.#pendingHolds(about, key, bytes);
      return typeof pending === 'string' ? wiped(key) : { key, expiresAt: pending.expiresAt };
    } catch (e) {
      key.fill(0);
      throw e;
    }
  }

  /**
   * The pending entry's expiry when `key` opens it and what it opens is
   * `bytes`, byte for byte (compared in a time that depends on their length
   * only); `other` when it opens to other bytes; `nothing` when nothing of
   * this record's digest opens with `key` (SIG-6).
   */
  async #pendingHolds(
    about: { readonly recordId: string; readonly digest: string },
    key: Uint8Array,
    bytes: Uint8Array,
  ): Promise<{ readonly expiresAt: string } | 'other' | 'nothing'> {
    const pending = await this.#pendingOpenedBy(about, key);
    if (pending === null) return 'nothing';
    const same = sameBytesConstantTime(pending.plaintext, bytes);
    pending.plaintext.fill(0);
    return same ? { expiresAt: pending.expiresAt } : 'other';
  }

  /** Whether the pending entry of this record is the one this consumer wrote with `key` (SIG-6). */
  async #wrote(about: { readonly recordId: string; readonly digest: string }, key: Uint8Array): Promise<boolean> {
    const pending = await this.#pendingOpenedBy(about, key);
    pending?.plaintext.fill(0);
    return pending !== null;
  }

  /** What `key` opens of this record's pending entry (the caller wipes it), with the entry's expiry; `null` when nothing of this digest opens. */
  async #pendingOpenedBy(
    about: { readonly recordId: string; readonly digest: string },
    key: Uint8Array,
  ): Promise<{ readonly plaintext: Uint8Array; readonly expiresAt: string } | null> {
    const entry = await this.#store('getPending', () => this.#s.store.getPending(about.recordId));
    if (entry === null || entry.digest !== about.digest) return null;
    const opened = await openEnvelope(this.#s.cipher, { key, recordId: about.recordId, envelope: entry.bytes });
    return typeof opened === 'string' ? null : { plaintext: opened.plaintext, expiresAt: entry.expiresAt };
  }

  async consume<T>(input: ConsumeInput, options: ConsumeOptions<T>): Promise<ConsumeResult<T>> {
    checkConsumeArguments(input, options);
    const actor = options.actor ?? { personId: this.#s.consumerId, role: 'service', terminalId: this.#s.consumerId };
    const handle = 'handle' in input ? parsePendingHandle(input.handle) : undefined;
    const pendingId = 'recordId' in input ? input.recordId : handle !== undefined && 'recordId' in handle ? handle.recordId : undefined;
    const subject: TraceSubject = pendingId === undefined ? {} : { recordId: pendingId };
    if (handle !== undefined && 'problem' in handle) {
      await this.#trace({ action: 'signature.refused', actor, subject, outcome: 'refused', code: 'ERR_RECORD_KEY_INVALID' });
      throw this.#error('ERR_RECORD_KEY_INVALID', { detail: handle.problem });
    }
    // The plaintext this call decrypts is the SDK's own: wiped on every way out (SIG-6).
    let decrypted: Uint8Array | undefined;
    let heldKey: Uint8Array | undefined;
    try {
      let envelopeTarget: string | undefined;
      let bytes: Uint8Array;
      if (pendingId !== undefined) {
        const opened = await this.#openPending(pendingId, handle !== undefined && 'key' in handle ? handle.key : undefined, options.requestId);
        if (opened.kind === 'refused') return await this.#refuse(actor, subject, opened.code);
        if (opened.kind === 'done') return opened.result;
        decrypted = opened.plaintext;
        envelopeTarget = opened.target;
        heldKey = opened.heldKey;
        bytes = decrypted;
      } else {
        bytes = (input as { readonly bytes: Uint8Array }).bytes;
      }
      // A key from the holder lives, once claimed, only as long as the claim's grace: an abandoned
      // use loses its key when the sweeper deletes its ciphertext, not at the record's expiry.
      const holder = this.#s.keyHolder;
      const key = heldKey;
      const onClaimed =
        key === undefined || holder === null || pendingId === undefined
          ? undefined
          : (claimedAt: Date, expiresAt: number): Promise<void> =>
              holder.put(pendingId, key, new Date(Math.min(expiresAt, claimedAt.getTime() + this.#s.graceMs)), claimedAt).catch(() => undefined);
      return await this.#consumeVerified(bytes, envelopeTarget, actor, subject, options, onClaimed);
    } finally {
      decrypted?.fill(0);
      heldKey?.fill(0);
    }
  }

  /**
   * A pending record's plaintext (SIG-6): the envelope from the store, opened
   * with the handle's key or the key holder's. Nothing is decrypted unless
   * the key, the record id and the target all match.
   */
  async #openPending(
    recordId: string,
    given: Uint8Array | undefined,
    requestId: string,
  ): Promise<
    | { readonly kind: 'open'; readonly plaintext: Uint8Array; readonly target: string; readonly heldKey?: Uint8Array }
    | { readonly kind: 'refused'; readonly code: SealErrorCode }
    | { readonly kind: 'done'; readonly result: AlreadyConsumed }
  > {
    let key = given;
    let fromHolder = false;
    try {
      // A used record: its tombstone says so, whether its ciphertext or its key went first.
      // `missing`: the code when no use is known; `unfinished`: when this request's own use is.
      const used = async (
        missing: SealErrorCode,
        unfinished: SealErrorCode,
      ): Promise<{ readonly kind: 'refused'; readonly code: SealErrorCode } | { readonly kind: 'done'; readonly result: AlreadyConsumed }> => {
        const t = await this.#store('findTombstone', () => this.#s.store.findTombstone({ recordId }));
        if (t === null) return { kind: 'refused', code: missing };
        if (t.requestId !== requestId) return { kind: 'refused', code: 'ERR_RECORD_REPLAYED' };
        return t.completedAt === undefined ? { kind: 'refused', code: unfinished } : { kind: 'done', result: alreadyConsumed(t) };
      };
      const entry = await this.#store('getPending', () => this.#s.store.getPending(recordId));
      // This request claimed it, then never completed and the sweeper took the bytes: expired.
      if (entry === null) return await used('ERR_RECORD_NOT_FOUND', 'ERR_RECORD_EXPIRED');
      const now = this.#s.now();
      if (Date.parse(entry.expiresAt) <= now.getTime()) return { kind: 'refused', code: 'ERR_RECORD_EXPIRED' };
      const holder = this.#s.keyHolder;
      if (key === undefined && holder !== null) {
        key = (await this.#store('keyHolder.get', () => holder.get(recordId, now))) ?? undefined;
        fromHolder = key !== undefined;
      }
      // No key: used meanwhile by a concurrent request (its use destroys the key), or never given,
      // expired, lost with a restarted holder — then the record is unusable, never readable.
      // The claiming request itself cannot finish without the key: missing, not expired.
      if (key === undefined) return await used('ERR_RECORD_KEY_MISSING', 'ERR_RECORD_KEY_MISSING');
      const opened = await openEnvelope(this.#s.cipher, { key, recordId, envelope: entry.bytes });
      if (typeof opened === 'string') return { kind: 'refused', code: 'ERR_RECORD_KEY_MISMATCH' };
      if (!fromHolder) return { kind: 'open', plaintext: opened.plaintext, target: opened.target };
      // Kept (and wiped) by the caller, which shortens its life in the holder once claimed.
      const heldKey = key;
      key = undefined;
      return { kind: 'open', plaintext: opened.plaintext, target: opened.target, heldKey: heldKey! };
    } finally {
      key?.fill(0);
    }
  }

  async #refuse(actor: SealTraceActor, subject: TraceSubject, code: SealErrorCode, params?: MessageParams): Promise<never> {
    await this.#trace({ action: 'signature.refused', actor, subject, outcome: 'refused', code });
    throw this.#error(code, params);
  }

  async #consumeVerified<T>(
    bytes: Uint8Array,
    envelopeTarget: string | undefined,
    actor: SealTraceActor,
    initialSubject: TraceSubject,
    options: ConsumeOptions<T>,
    onClaimed?: (claimedAt: Date, expiresAt: number) => Promise<void>,
  ): Promise<ConsumeResult<T>> {
    let subject = initialSubject;
    const refuse = (code: SealErrorCode, params?: MessageParams): Promise<never> => this.#refuse(actor, subject, code, params);

    // 2. Seal, content and binding (SIG-3, SIG-4): a wrong target — another bordereau, line, day
    //    set or content (ERR_RECORD_WRONG_CONTENT) — never burns the record.
    const verified = await this.#s.verifier.verify(bytes, { expect: options.target });
    if (!verified.ok) return refuse(verified.code, verified.params);
    subject = { ...subjectOf(verified.record.scope), recordId: verified.recordId };
    if (initialSubject.recordId !== undefined && verified.recordId !== initialSubject.recordId) return refuse('ERR_STORE_CORRUPT');
    const target = targetKey(verified.record.scope);
    // The envelope authenticated the target it was deposited for: it must be the record's own.
    if (envelopeTarget !== undefined && envelopeTarget !== target) return refuse('ERR_RECORD_KEY_MISMATCH');

    // 3. A known use: replay, retry of the same request, or resume (SIG-5). Read before the
    //    claim so that a replay is named as such even once the record is past its TTL, and a
    //    finished retry skips `check` (its slot is signed by then). The claim still arbitrates races.
    const known = await this.#store('findTombstone', () => this.#s.store.findTombstone({ recordId: verified.recordId, digest: verified.digest }));
    if (known !== null) {
      const verdict = compare(known, verified, target, options.requestId);
      if (verdict !== 'same') return refuse(verdict);
      if (known.completedAt !== undefined) return alreadyConsumed(known);
    }
    if (options.check !== undefined) {
      try {
        await options.check(verified);
      } catch (e) {
        if (isS3404Error(e)) {
          await this.#trace({ action: 'signature.refused', actor, subject, outcome: 'refused', code: e.code });
          // A use resumed by its request id is claimed: its refusal is no "nothing was consumed" (another request
          // id would be refused as a replay). It says the use is still open, the refusal as its detail.
          if (known !== null) throw this.#incomplete(verified.recordId, options.requestId, e);
        }
        throw e;
      }
    }
    let resumed = false;
    let tombstone: Tombstone;
    if (known !== null) {
      resumed = true;
      tombstone = known;
    } else {
      // 4. Expiry, then the one atomic claim (SIG-5, SIG-6).
      const claimedAt = this.#s.now();
      if (Date.parse(verified.signingTime) + this.#s.ttlMs <= claimedAt.getTime()) return refuse('ERR_RECORD_EXPIRED');
      let outcome: Awaited<ReturnType<ConsumptionStore['claim']>>;
      try {
        outcome = await this.#store('claim', () =>
          this.#s.store.claim({
            recordId: verified.recordId,
            digest: verified.digest,
            target,
            requestId: options.requestId,
            consumer: this.#s.consumerId,
            claimedAt: claimedAt.toISOString(),
          }),
        );
      } catch (cause) {
        // A claim whose answer is lost (the connection cut after its commit) may be written: "nothing was
        // consumed" would send the caller to another request id, refused as a replay. Only the same request id
        // is safe either way (it resumes a written claim, or claims), so the failure says so.
        if (isS3404Error(cause) && cause.kind === 'unavailable') throw this.#incomplete(verified.recordId, options.requestId, cause);
        throw cause;
      }
      if (outcome.kind === 'taken') {
        const verdict = compare(outcome.tombstone, verified, target, options.requestId);
        if (verdict !== 'same') return refuse(verdict);
        if (outcome.tombstone.completedAt !== undefined) return alreadyConsumed(outcome.tombstone);
        resumed = true;
      } else {
        await onClaimed?.(claimedAt, Date.parse(verified.signingTime) + this.#s.ttlMs);
      }
      tombstone = outcome.tombstone;
    }
    // From here the record is claimed by this request id: whatever fails is not "nothing was
    // consumed" but a use to finish, and says so (ERR_CONSUME_INCOMPLETE, with the request id).
    // Everything that can be checked was checked before the claim (`check`, issue 14 #5).
    let applied: T | undefined;
    let done: Tombstone | null;
    try {
      // Ids named by the use: a resumed use traces these events again under the same ids (written once by the audit log,
      // which looks every id up: a retry of the request may resume the use while this try still runs).
      const use = { recordId: verified.recordId, requestId: options.requestId, claimedAt: tombstone.claimedAt };
      await this.#trace({ id: useEventId('signature.consumed', use, actor), action: 'signature.consumed', actor, subject, outcome: 'success' });
      // 5. Apply, then 6. complete: the pending bytes (image, strokes) are deleted (SIG-6).
      applied = options.apply === undefined ? undefined : await options.apply(verified);
      // Traced before the use is closed, like the claim: a sink that fails leaves the use to finish
      // (the same request applies and traces again), never an apply that no event records.
      if (options.apply !== undefined)
        await this.#trace({ id: useEventId('signature.applied', use, actor), action: 'signature.applied', actor, subject, outcome: 'success' });
      done = await this.#store('complete', () =>
        this.#s.store.complete({ recordId: verified.recordId, requestId: options.requestId, at: this.#s.now().toISOString() }),
      );
    } catch (cause) {
      throw this.#incomplete(verified.recordId, options.requestId, cause);
    }
    if (done === null || done.completedAt === undefined) throw this.#error('ERR_STORE_CORRUPT', { detail: 'complete' });
    // The ciphertext is deleted with the use; its key goes too. A holder that fails here still
    // lets the key expire with the record (and the ciphertext it opened is gone).
    await this.#s.keyHolder?.delete(verified.recordId).catch(() => undefined);
    return {
      status: 'consumed',
      recordId: verified.recordId,
      digest: verified.digest,
      target,
      requestId: options.requestId,
      claimedAt: tombstone.claimedAt,
      completedAt: done.completedAt,
      resumed,
      verified,
      record: verified.record,
      applied,
    };
  }

  async sweep(): Promise<SweepResult> {
    const now = this.#s.now();
    this.#unfinished.prune(now.getTime());
    const store = this.#s.store;
    const outbox = hasSweepOutbox(store) ? { id: uuidV4(this.#s.random), at: now, consumer: this.#s.consumerId } : undefined;
    const claimedBefore = new Date(now.getTime() - this.#s.graceMs);
    const result = await this.#store('sweep', () => store.sweep({ expiredAt: now, claimedBefore, ...(outbox === undefined ? {} : { outbox }) }));
    const holder = this.#s.keyHolder;
    if (holder !== null) await this.#store('keyHolder.sweep', () => holder.sweep(now));
    if (outbox !== undefined) {
      await this.#traceSweeps(store as ConsumptionStore & SweepOutbox);
      return result;
    }
    // What earlier sweeps deleted but could not trace goes with this one's event (SIG-6, AUD-1).
    const carried = this.#untracedSweeps;
    this.#untracedSweeps = 0;
    const count = result.expired + result.abandoned + carried;
    if (count > 0) {
      const actor: SealTraceActor = { personId: this.#s.consumerId, role: 'service', terminalId: this.#s.consumerId };
      try {
        await this.#trace({ action: 'signature.expired', actor, subject: {}, outcome: 'success', count });
      } catch (e) {
        this.#untracedSweeps += count;
        throw e;
      }
    }
    return result;
  }

  /**
   * Traces every sweep of the store's outbox (SIG-6, AUD-1): this one's, and those whose process failed or died
   * before tracing them, oldest first, each removed once traced. A sink that is unavailable (or fails without a
   * code) stops it, and its error is thrown: what is left waits for the next sweep, in order. An entry that can
   * never be traced — unreadable (`ERR_STORE_CORRUPT`), or its event refused by the sink with a coded error that is
   * not `unavailable` — is left in the outbox for an operator and skipped: the later sweeps are traced all the
   * same, then the first such problem is thrown.
   */
  async #traceSweeps(store: ConsumptionStore & SweepOutbox): Promise<void> {
    // Each entry once per call: a store whose removal does not remove (a vendor's bug) gets no repeated events.
    const seen = new Set<unknown>();
    let held: unknown;
    // Entries skipped stay at the head of the outbox (oldest first): each page asks for as many more.
    let left = 0;
    for (let round = 0; round < MAX_SWEEP_ROUNDS; round++) {
      const limit = left + SWEEPS_PER_ROUND;
      const listed = await this.#store('untracedSweeps', () => store.untracedSweeps({ limit }));
      if (!Array.isArray(listed)) throw this.#error('ERR_STORE_CORRUPT', { detail: 'untracedSweeps' });
      // An entry is known by its id (an unreadable one by whatever stands there, or itself).
      const sweeps = listed.filter((s: UntracedSweep) => !seen.has(sweepKey(s)));
      for (const sweep of sweeps) {
        seen.add(sweepKey(sweep));
        if (!isUntracedSweep(sweep)) {
          held ??= this.#error('ERR_STORE_CORRUPT', { detail: 'untracedSweeps' });
          left++;
          continue;
        }
        const actor: SealTraceActor = { personId: sweep.consumer, role: 'service', terminalId: sweep.consumer };
        const count = sweep.expired + sweep.abandoned;
        try {
          await this.#trace({ id: sweepEventId(sweep), action: 'signature.expired', actor, subject: {}, outcome: 'success', count });
        } catch (e) {
          if (!isS3404Error(e) || e.kind === 'unavailable') throw e;
          held ??= e;
          left++;
          continue;
        }
        await this.#store('sweepTraced', () => store.sweepTraced(sweep.id));
      }
      if (listed.length < limit || sweeps.length === 0) break;
    }
    if (held !== undefined) throw held;
  }

  async purgeTombstones(options: { readonly before: Date }): Promise<number> {
    if (options === null || typeof options !== 'object' || !(options.before instanceof Date) || Number.isNaN(options.before.getTime())) {
      throw new TypeError('purgeTombstones: options.before must be a valid Date');
    }
    const limit = this.#s.now().getTime() - this.#s.ttlMs - this.#s.skewMs;
    if (options.before.getTime() > limit) throw this.#error('ERR_RETENTION_TOO_SHORT', { expected: new Date(limit).toISOString() });
    return this.#store('purgeTombstones', () => this.#s.store.purgeTombstones({ before: options.before }));
  }

  async #trace(event: SealTraceDraft): Promise<void> {
    await this.#s.trace?.record({ ...event, at: this.#s.now().toISOString() });
  }

  /**
   * A failure after the claim (apply, the trace, the store's `complete`): the
   * record is claimed by `requestId` and only that request id can finish it,
   * within the claim grace. The original error is the `cause`; its code, when
   * it has one, is the `detail`.
   */
  #incomplete(recordId: string, requestId: string, cause: unknown): SealError {
    const detail = isS3404Error(cause) ? cause.code : undefined;
    return new SealError('ERR_CONSUME_INCOMPLETE', {
      locale: this.#s.locale,
      params: { recordId, requestId, graceSeconds: this.#s.graceMs / 1000, ...(detail === undefined ? {} : { detail }) },
      cause,
    });
  }

  #error(code: SealErrorCode, params?: MessageParams): SealError {
    return new SealError(code, { locale: this.#s.locale, params });
  }

  /**
   * The SDK's stores report their own failures as `ERR_STORE_UNAVAILABLE`
   * (the store contract); a vendor's store that still throws its driver's
   * errors gets the same code here — or `ERR_STORE_MISCONFIGURED` when the
   * driver's error is a refusal for good (a right, a table, a Redis ACL;
   * issue 19), `ERR_STORE_CORRUPT` when it reports its data damaged
   * (`SQLITE_CORRUPT`, `XX001`) or holds a Redis key of another kind — the
   * store kit's one classification, `failureClassOf`. Coded errors pass as
   * they are.
   */
  async #store<R>(operation: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (cause) {
      if (isS3404Error(cause)) throw cause;
      const found = failureClassOf(cause);
      const code = found === undefined ? 'ERR_STORE_UNAVAILABLE' : found.as === 'corrupt' ? 'ERR_STORE_CORRUPT' : 'ERR_STORE_MISCONFIGURED';
      throw new SealError(code, { locale: this.#s.locale, params: { detail: found === undefined ? operation : `${operation}: ${found.reason}` }, cause });
    }
  }
}

function compare(t: Tombstone, v: VerifiedRecord, target: string, requestId: string): 'same' | 'ERR_RECORD_REPLAYED' | 'ERR_RECORD_WRONG_BORDEREAU' {
  if (t.requestId !== requestId || t.recordId !== v.recordId || t.digest !== v.digest) return 'ERR_RECORD_REPLAYED';
  return t.target === target ? 'same' : 'ERR_RECORD_WRONG_BORDEREAU';
}

function alreadyConsumed(t: Tombstone): AlreadyConsumed {
  return {
    status: 'already-consumed',
    recordId: t.recordId,
    digest: t.digest,
    target: t.target,
    requestId: t.requestId,
    claimedAt: t.claimedAt,
    completedAt: t.completedAt!,
  };
}

function checkConsumeArguments(input: ConsumeInput, options: ConsumeOptions<unknown>): void {
  if (input === null || typeof input !== 'object') throw new TypeError('consume: input must be { bytes }, { handle } or { recordId }');
  if ('bytes' in input) {
    if (!(input.bytes instanceof Uint8Array)) throw new TypeError('consume: input.bytes must be a Uint8Array');
  } else if ('handle' in input) {
    // A malformed handle is bad input from outside (a terminal, a CLI argument): coded, traced, in consume.
  } else if (!('recordId' in input) || typeof input.recordId !== 'string' || !RECORD_ID.test(input.recordId)) {
    throw new TypeError('consume: input.recordId must be a record id (UUID v4, lowercase)');
  }
  if (options === null || typeof options !== 'object' || options.target === null || typeof options.target !== 'object') {
    throw new TypeError('consume: options.target is required');
  }
  const target = options.target as RecordExpectation;
  if (target.bordereauId === undefined && target.day === undefined) {
    throw new TypeError('consume: options.target must name the bordereau (bordereauId, contentHash) or the accounting day (day, finess, dayBordereaux)');
  }
  // The content binding is not optional here (SIG-4): consuming is applying.
  if (target.day === undefined && (typeof target.contentHash !== 'string' || !CONTENT_HASH.test(target.contentHash))) {
    throw new TypeError(
      'consume: options.target.contentHash must be the content hash of the bordereau (64 lowercase hex digits, contentHash() of @s3404/form)',
    );
  }
  if (
    target.day !== undefined &&
    (!Array.isArray(target.dayBordereaux) ||
      !target.dayBordereaux.every((b) => b !== null && typeof b === 'object' && typeof b.bordereauId === 'string' && typeof b.contentHash === 'string'))
  ) {
    throw new TypeError('consume: options.target.dayBordereaux must list every bordereau of the day as { bordereauId, contentHash }');
  }
  if (typeof options.requestId !== 'string' || !REQUEST_ID.test(options.requestId))
    throw new TypeError('consume: options.requestId must be 1 to 255 visible ASCII characters');
  if (options.apply !== undefined && typeof options.apply !== 'function') throw new TypeError('consume: options.apply must be a function');
  if (options.check !== undefined && typeof options.check !== 'function') throw new TypeError('consume: options.check must be a function');
}

/** Wipes a key that turned out not to be the one sought, and says so. */
function wiped(key: Uint8Array): undefined {
  key.fill(0);
  return undefined;
}

/** What tells an outbox entry from another within one sweep: its id, or the entry itself when it has no id to read. */
function sweepKey(s: UntracedSweep): unknown {
  return s !== null && typeof s === 'object' && typeof s.id === 'string' ? s.id : s;
}
