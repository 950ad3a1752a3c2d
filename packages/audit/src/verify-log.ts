import { concatBytes, fromBase64, readClock, resolveClock, resolveLocale, toBase64 } from '@s3404/core';
import type { Clock, ContentVerifier, Issue, Locale, LocalizedText, MessageParams, Sha256, SignatureCheck, TimeStampVerifier } from '@s3404/core';
import { ChainHead } from './chain-head.js';
import { parseCheckpointBody } from './checkpoint.js';
import { AUDIT_ERRORS, type AuditErrorCode } from './errors/audit-errors.js';
import { AUDIT_ACTIONS, AuditEventSchema, type AuditEvent } from './event-schema.js';
import { eventLine } from './internal/event-line.js';
import { parsePurgeReason } from './internal/purge-evidence.js';
import { defaultSha256, ZERO_HASH } from './internal/sha256.js';
import { MIN_RETENTION_MONTHS, retentionCutoff } from './retention.js';

/**
 * The kinds of damage a verification names (AUD-2): an event `modified`,
 * `deleted`, `inserted` or `reordered`; the trace `truncated` at its end
 * (against a witnessed head, or a torn last line); its start cut off
 * (`truncated-head`: it starts after sequence 1 without the sealed
 * retention purge that explains it); an event `backdated` (dated more than
 * the clock skew before a time already traced).
 *
 * `import type { DamageKind } from '@s3404/audit'`
 *
 * @public
 */
export type DamageKind = 'modified' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'truncated-head' | 'backdated';

/**
 * The retention purge that explains why a trace starts after sequence 1
 * (AUD-3): its `audit.retention-purge` event, sealed by a later checkpoint,
 * names the events removed, all older than a limit at least the retention
 * before the purge.
 *
 * `import type { PurgeEvidence } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const { purge } = await verifyLog(bytes, { verifier })
 * if (purge !== null) console.log(`events ${purge.firstSeq}–${purge.lastSeq} purged before ${purge.before} (${purge.retentionMonths} months)`)
 * ```
 * @public
 */
export interface PurgeEvidence {
  /** Sequence number and time of the `audit.retention-purge` event. */
  readonly seq: number;
  readonly at: string;
  /** The events it removed, as it names them (`lastSeq` is the sequence before the trace's first). */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Every removed event is older than this instant… */
  readonly before: string;
  /** …which is at least this many months before the purge. */
  readonly retentionMonths: number;
  /** The checkpoint that seals the purge event. */
  readonly sealedBy: number;
}

/**
 * Default clock skew of {@link verifyLog} and of the log's writer, seconds
 * (AUD-2): an event may be dated up to this much before the latest time
 * already in the trace (clocks of several processes, a small correction of
 * the system clock), not more.
 *
 * `import { DEFAULT_CLOCK_SKEW_SECONDS } from '@s3404/audit'`
 *
 * @public
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/**
 * What dates a checkpoint's signature (AUD-2), as {@link verifyLog} found it:
 *
 * - `tsa` — an RFC 3161 token over the signature, checked by the
 *   `timeStampVerifier`: the signature existed at `genTime`, stamped by
 *   `tsa` (the TSA certificate's subject); the signature was checked with
 *   its certificate valid then, so it holds after the certificate expired;
 * - `tsa-unchecked` — a token is there but no `timeStampVerifier` was given:
 *   the signature was checked as if it had none;
 * - `signer-clock` — no token: only the signing-time attribute, the signer's
 *   own clock (`signedAt`, with a verifier), dates it, and the certificate
 *   must still be valid at the verification time (`now`). `timestampError`
 *   is the TSA's error code when the log wrote it without its token
 *   (`onTimestampFailure: 'without'`).
 *
 * `import type { CheckpointTimeSource } from '@s3404/audit'`
 *
 * @public
 */
export type CheckpointTimeSource =
  | { readonly kind: 'tsa'; readonly genTime: string; readonly tsa: string }
  | { readonly kind: 'tsa-unchecked' }
  | { readonly kind: 'signer-clock'; readonly signedAt?: string; readonly timestampError?: string };

/**
 * One checkpoint of a verified trace and its time source (AUD-2).
 *
 * `import type { CheckpointTime } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * for (const c of report.checkpointTimes) if (c.source.kind === 'tsa') console.log(c.seq, c.source.genTime, c.source.tsa)
 * ```
 * @public
 */
export interface CheckpointTime {
  /** The checkpoint event's sequence number and time. */
  readonly seq: number;
  readonly time: string;
  readonly source: CheckpointTimeSource;
}

/**
 * The first damage found (AUD-2); the report's `issues` carry it too.
 *
 * `import type { Damage } from '@s3404/audit'`
 *
 * @public
 */
export interface Damage {
  readonly kind: DamageKind;
  /** The first bad sequence number. */
  readonly seq: number;
  /** 1-based line of the file where it was seen (0 when at the end). */
  readonly line: number;
  readonly code: AuditErrorCode;
  readonly message: string;
}

/**
 * The verdict of {@link verifyLog} (AUD-2): `ok` and its `issues`, as every
 * verdict of the SDK, and what was found.
 *
 * `import type { VerifyReport } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const report: VerifyReport = await verifyLog(bytes, { verifier })
 * if (!report.ok) console.error(report.damage?.kind, report.issues[0]?.message)
 * else if (report.signatures.status === 'valid') console.log('sealed by', report.signatures.signer)
 * ```
 *
 * @public
 */
export interface VerifyReport {
  /** True when the chain, every checkpoint and every checked signature hold, with no torn tail. */
  readonly ok: boolean;
  /**
   * The first damage as an `Issue` (`code`, `message`, and `path`: `[index]`,
   * the 0-based index of the line where it was seen, or `[]` at the end of
   * the trace); empty when `ok`. Verification stops at the first damage.
   */
  readonly issues: readonly Issue[];
  /** Events checked (up to the first damage). */
  readonly events: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  /** Hash of the last good event: keep it elsewhere to detect a later truncation (`expect`). */
  readonly head: string | null;
  /** `genesis` (sequence 1) or `checkpoint` (after a retention purge: see `purge`). */
  readonly start: 'genesis' | 'checkpoint' | 'empty';
  /**
   * When the trace starts at a checkpoint: the sealed retention purge that
   * removed the events before it; `null` otherwise. A start after sequence 1
   * without it is the damage `truncated-head`.
   */
  readonly purge: PurgeEvidence | null;
  readonly checkpoints: number;
  readonly lastCheckpointSeq: number | null;
  /**
   * The checkpoints' signatures, summed up in core's `SignatureCheck`:
   * `none` without checkpoints; `unchecked` without a verifier; `valid`
   * when every one checked holds (`signer` and `signedAt` of the latest);
   * `invalid` at the first that does not (`code`, `message` of the verifier;
   * `damage` names it too).
   */
  readonly signatures: SignatureCheck;
  /** Who signed the checkpoints (with a verifier). */
  readonly signers: readonly string[];
  /**
   * Each checkpoint checked (up to the first damage) and what dates its
   * signature: a verified RFC 3161 token (`tsa`), a token not checked
   * (`tsa-unchecked`), or the signer's clock only (`signer-clock`).
   */
  readonly checkpointTimes: readonly CheckpointTime[];
  /** Events after the last checkpoint, protected by the chain only. */
  readonly unsealed: number;
  readonly damage: Damage | null;
  /** An incomplete last line (a write interrupted by a crash): never acknowledged, reported, never dropped silently. */
  readonly tornTail: { readonly offset: number; readonly bytes: number } | null;
}

/**
 * Options of {@link verifyLog} (AUD-2).
 *
 * `import type { VerifyLogOptions } from '@s3404/audit'`
 *
 * @public
 */
export interface VerifyLogOptions {
  /**
   * Checks checkpoint signatures: core's `ContentVerifier`, e.g.
   * `createContentVerifier({ trustAnchors })` of `@s3404/seal`. Without it
   * they are reported `unchecked`.
   */
  readonly verifier?: ContentVerifier;
  /**
   * Checks the RFC 3161 tokens of time-stamped checkpoints: core's
   * `TimeStampVerifier`, e.g. `createTimeStampVerifier({ trust })` of
   * `@s3404/seal`. A valid token dates the checkpoint's signature (its
   * `genTime`), which the `verifier` then checks with the certificate valid
   * at that instant: the checkpoint still verifies after the seal
   * certificate expired. A bad token is the damage
   * `ERR_AUDIT_CHECKPOINT_TIMESTAMP` (its code in the message). Without it,
   * tokens are not checked (`tsa-unchecked`).
   */
  readonly timeStampVerifier?: TimeStampVerifier;
  /**
   * The verification clock: a checkpoint's signature without a verified
   * time-stamp is checked with the certificate valid at this instant (and
   * at its signing time). Default: the system clock.
   */
  readonly now?: Clock;
  /** A head witnessed elsewhere (a previous report's `lastSeq`/`head`): detects truncation and rewriting up to it. */
  readonly expect?: { readonly seq: number; readonly hash: string };
  /** Also re-validate every event against the schema and its canonical form. Default false (checkpoints always are). */
  readonly strict?: boolean;
  /** Longest line accepted, bytes. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /**
   * How far an event's time may be before the latest time already in the
   * trace, seconds; beyond, the event is `backdated`. Default 300
   * ({@link DEFAULT_CLOCK_SKEW_SECONDS}), the log's default; give the log's
   * own setting when it differs (`log.verify()` does).
   */
  readonly clockSkewSeconds?: number;
  /** Synchronous SHA-256; default @noble/hashes. Node: `nodeSha256` from `@s3404/core/node`. */
  readonly sha256?: Sha256;
  /** Language of the messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

type Source = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array | string;

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const HASH_MEMBER = 74; // ,"hash":"<64 hex>"
const NOT_CANONICAL: LocalizedText = { fr: 'JSON non canonique (RFC 8785)', en: 'not canonical JSON (RFC 8785)' };
/** What is wrong with a checkpoint, in both languages. */
const CHECKPOINT_DETAIL = {
  format: { fr: 'format', en: 'format' },
  base64: { fr: 'signature non base64', en: 'signature not base64' },
  head: { fr: 'tête de chaîne', en: 'chain head' },
  period: { fr: 'période', en: 'period' },
  root: { fr: 'racine de Merkle', en: 'Merkle root' },
  previous: { fr: 'point de contrôle précédent', en: 'previous checkpoint' },
  timestamp: { fr: "jeton d'horodatage non base64", en: 'time-stamp token not base64' },
} as const satisfies Record<string, LocalizedText>;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Fields {
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
  readonly time: string;
  readonly action: string;
  /** Byte offset of `,"hash":"`. */
  readonly hashAt: number;
}

/** Reads the fields the chain needs from a canonical line without a full parse; null if the layout is not canonical. */
function scan(s: string, ascii: boolean): Fields | null {
  if (!s.startsWith('{"action":"')) return null;
  const actionEnd = s.indexOf('"', 11);
  const hi = s.indexOf(',"hash":"');
  if (actionEnd < 0 || hi < 0 || s.charCodeAt(hi + 73) !== 34) return null;
  const pi = s.indexOf(',"prev":"', hi);
  if (pi < 0 || s.charCodeAt(pi + 73) !== 34) return null;
  const si = s.indexOf(',"seq":', pi);
  if (si < 0) return null;
  let seq = 0;
  let k = si + 7;
  for (; k < s.length && k < si + 23; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) break;
    seq = seq * 10 + (c - 48);
  }
  if (k === si + 7 || s.charCodeAt(k) !== 44 || !Number.isSafeInteger(seq) || seq < 1) return null;
  const ti = s.indexOf(',"time":"', k);
  if (ti < 0 || s.charCodeAt(ti + 33) !== 34) return null;
  return {
    seq,
    prev: s.substr(pi + 9, 64),
    hash: s.substr(hi + 9, 64),
    time: s.substr(ti + 9, 24),
    action: s.slice(11, actionEnd),
    hashAt: ascii ? hi : encoder.encode(s.slice(0, hi)).length,
  };
}

function scanSeq(s: string): number | null {
  const si = s.indexOf(',"seq":');
  if (si < 0) return null;
  const m = /^\d{1,16}/.exec(s.slice(si + 7, si + 24));
  return m === null ? null : Number(m[0]);
}

/** `toHex(bytes) === hex` for lowercase hex, without building the string. */
function hexEquals(bytes: Uint8Array, hex: string): boolean {
  if (hex.length !== bytes.length * 2) return false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const hi = hex.charCodeAt(2 * i);
    const lo = hex.charCodeAt(2 * i + 1);
    if (hi !== HEX_CODES[b >> 4] || lo !== HEX_CODES[b & 15]) return false;
  }
  return true;
}
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** A checkpoint whose signature (and time-stamp token) waits to be checked at the end. */
export interface SignedCheckpoint {
  readonly seq: number;
  readonly line: number;
  readonly time: string;
  readonly body: Uint8Array;
  readonly signature: Uint8Array;
  readonly token: Uint8Array | null;
  /** The TSA's error code written in a checkpoint made without its token. */
  readonly timestampError: string | undefined;
}

/**
 * Where a segment of a trace starts, for a verification in periods (see
 * `verify-segments.ts`): its first line is taken as the anchor of the chain
 * (checked by the segment before it), and the trace's own start is given.
 */
export interface SegmentStart {
  readonly start: VerifyReport['start'];
  readonly firstSeq: number | null;
  readonly anchorTo: string | null;
}

/** What a segment of a trace verified: enough to join it to its neighbours and conclude as the serial verification does. */
export interface SegmentResult {
  /** No damage in the segment. */
  readonly ok: boolean;
  readonly events: number;
  readonly start: VerifyReport['start'];
  readonly firstSeq: number | null;
  /** Sequence number, `prev` and hash of the segment's first and last events. */
  readonly first: { readonly seq: number; readonly prev: string; readonly hash: string } | null;
  readonly last: { readonly seq: number; readonly hash: string } | null;
  readonly anchorTo: string | null;
  /** Earliest and latest event times of the segment. */
  readonly minTime: string | null;
  readonly latest: string | null;
  readonly checkpoints: number;
  readonly lastCheckpointSeq: number | null;
  readonly purge: PurgeEvidence | null;
  readonly signatures: readonly SignedCheckpoint[];
}

export class ChainVerifier {
  readonly #o: VerifyLogOptions;
  readonly #sha256: Sha256;
  readonly #locale: Locale;
  readonly #head: ChainHead;
  #scratch = new Uint8Array(4096);
  #events = 0;
  #firstSeq: number | null = null;
  #start: VerifyReport['start'] = 'empty';
  #checkpoints = 0;
  #lastCheckpointSeq: number | null = null;
  #damage: Damage | null = null;
  #gap: { readonly expected: number; readonly seq: number; readonly line: number; found: boolean } | null = null;
  #torn: VerifyReport['tornTail'] = null;
  readonly #skewMs: number;
  /** The `to` of the checkpoint a purged trace starts at: the time of the last event removed. */
  #anchorTo: string | null = null;
  /** A retention purge event that explains the start, waiting for a checkpoint to seal it. */
  #purgeSeen: Omit<PurgeEvidence, 'sealedBy'> | null = null;
  #purge: PurgeEvidence | null = null;
  #signatures: SignedCheckpoint[] = [];
  readonly #now: Clock;
  /** In a segment: the trace's start, given; the segment's first line anchors the chain. */
  readonly #segment: SegmentStart | null;
  /** The sequence number of the line that anchors the chain (a purged trace's first checkpoint, a segment's first line). */
  #anchorSeq: number | null = null;
  #first: SegmentResult['first'] = null;
  #minTime: string | null = null;
  /** The last time that passed the format check (most lines repeat it). */
  #checkedTime = '';

  constructor(o: VerifyLogOptions, segment: SegmentStart | null = null) {
    this.#segment = segment;
    this.#o = o;
    this.#sha256 = o.sha256 ?? defaultSha256;
    this.#locale = resolveLocale(o.locale);
    this.#head = new ChainHead(this.#sha256);
    const skew = o.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
    if (typeof skew !== 'number' || Number.isNaN(skew) || skew < 0) throw new TypeError('verifyLog: clockSkewSeconds must be a number ≥ 0');
    this.#skewMs = skew * 1000;
    this.#now = resolveClock(o.now, 'verifyLog');
  }

  get done(): boolean {
    return this.#damage !== null && this.#gap === null;
  }

  #fail(kind: DamageKind, seq: number, line: number, code: AuditErrorCode, params: MessageParams = {}): undefined {
    this.#damage ??= { kind, seq, line, code, message: AUDIT_ERRORS.message(code, { seq, ...params }, this.#locale) };
  }

  /** An unreadable line: where the chain stops. */
  fault(code: AuditErrorCode, line: number, params: MessageParams = {}): undefined {
    if (this.#gap !== null) return;
    this.#fail('modified', this.#head.seq + 1, line, code, { line, ...params, seq: undefined });
  }

  torn(offset: number, bytes: number): void {
    this.#torn = { offset, bytes };
  }

  /** Checks one line; returns as soon as it finds the line damaged (recorded, not thrown). */
  line(bytes: Uint8Array, lineNo: number): undefined {
    let s: string;
    try {
      s = decoder.decode(bytes);
    } catch {
      return this.fault('ERR_AUDIT_ENCODING', lineNo);
    }
    if (this.#gap !== null) {
      if (scanSeq(s) === this.#gap.expected) this.#gap.found = true;
      return;
    }
    let f = scan(s, s.length === bytes.length);
    let event: AuditEvent | null = null;
    if (f === null || this.#o.strict === true || f.action === 'audit.checkpoint' || f.action === 'audit.retention-purge') {
      event = this.#parse(s, lineNo);
      if (event === null) return;
      f ??= scan(s, s.length === bytes.length);
      if (f === null) return this.fault('ERR_AUDIT_LINE_INVALID', lineNo);
    } else if (!ACTIONS.has(f.action)) {
      return this.fault('ERR_AUDIT_LINE_INVALID', lineNo, { detail: 'action' });
    }
    // The event's own hash: SHA-256(0x00 ‖ line without its hash member).
    const n = bytes.length - HASH_MEMBER;
    if (this.#scratch.length < n + 1) this.#scratch = new Uint8Array(Math.max(n + 1, this.#scratch.length * 2));
    const scratch = this.#scratch;
    scratch[0] = 0;
    scratch.set(bytes.subarray(0, f.hashAt), 1);
    scratch.set(bytes.subarray(f.hashAt + HASH_MEMBER), 1 + f.hashAt);
    const digest = this.#sha256(scratch.subarray(0, n + 1));
    const head = this.#head;
    if (!hexEquals(digest, f.hash)) return this.#fail('modified', f.seq, lineNo, 'ERR_AUDIT_HASH_MISMATCH');
    // Its place in the chain.
    if (this.#segment !== null && this.#first === null) {
      // A segment's first line: its link was checked by the segment before it.
      this.#firstSeq = this.#segment.firstSeq;
      this.#start = this.#segment.start;
      this.#anchorTo = this.#segment.anchorTo;
      this.#anchorSeq = f.seq;
      head.seq = f.seq - 1;
      head.hash = f.prev;
    } else if (this.#firstSeq === null) {
      this.#firstSeq = f.seq;
      if (f.seq === 1) {
        this.#start = 'genesis';
        if (f.prev !== ZERO_HASH) return this.#fail('modified', 1, lineNo, 'ERR_AUDIT_LINK_BROKEN');
      } else {
        const body = event?.checkpoint === undefined ? null : parseCheckpointBody(event.checkpoint.body);
        if (body === null || body.last !== f.seq - 1 || body.head !== f.prev) return this.#fail('deleted', 1, lineNo, 'ERR_AUDIT_HEAD_MISSING');
        this.#start = 'checkpoint';
        this.#anchorTo = body.to;
        this.#anchorSeq = f.seq;
        // The purged events are gone: the signed checkpoint anchors the first link.
        head.seq = f.seq - 1;
        head.hash = f.prev;
      }
    } else if (f.seq === head.seq + 1) {
      if (f.prev !== head.hash) return this.#fail('modified', head.seq, lineNo, 'ERR_AUDIT_LINK_BROKEN');
    } else if (f.seq > head.seq + 1) {
      this.#gap = { expected: head.seq + 1, seq: f.seq, line: lineNo, found: false };
      return;
    } else {
      return this.#fail('inserted', f.seq, lineNo, 'ERR_AUDIT_SEQ_DUPLICATE');
    }
    if (!this.#time(f, lineNo)) return;
    if (event?.checkpoint !== undefined && !this.#checkpoint(event, lineNo)) return;
    if (event?.action === 'audit.retention-purge') this.#purgeEvent(event);
    const expect = this.#o.expect;
    if (expect !== undefined && f.seq === expect.seq && f.hash !== expect.hash) return this.#fail('modified', f.seq, lineNo, 'ERR_AUDIT_HASH_MISMATCH');
    head.advance(event ?? f, digest);
    this.#first ??= { seq: f.seq, prev: f.prev, hash: f.hash };
    if (this.#minTime === null || f.time < this.#minTime) this.#minTime = f.time;
    this.#events++;
  }

  /** The event's time is an instant no earlier than the latest already traced minus the skew. */
  #time(f: Fields, lineNo: number): boolean {
    const latest = this.#head.latest;
    if (latest === null || f.time >= latest) {
      if (f.time === this.#checkedTime) return true;
      if (ISO_TIME.test(f.time) && !Number.isNaN(Date.parse(f.time))) {
        this.#checkedTime = f.time;
        return true;
      }
      this.fault('ERR_AUDIT_LINE_INVALID', lineNo, { detail: 'time' });
      return false;
    }
    const t = Date.parse(f.time);
    if (ISO_TIME.test(f.time) && t >= Date.parse(latest) - this.#skewMs) return true;
    this.#fail('backdated', f.seq, lineNo, 'ERR_AUDIT_TIME_BACKWARDS', { time: f.time, latest, tolerance: this.#skewMs / 1000 });
    return false;
  }

  /**
   * A retention purge event: when the trace starts at a checkpoint, it
   * explains the start if it names the events before it, their limit is
   * after the last of them, and the limit is at least the retention (12
   * months or more) before the purge. A later checkpoint must seal it.
   */
  #purgeEvent(e: AuditEvent): void {
    if (this.#start !== 'checkpoint' || this.#purge !== null || this.#anchorTo === null) return;
    const { firstSeq, lastSeq } = e.subject;
    const reason = parsePurgeReason(e.reason);
    if (reason === null || lastSeq !== this.#firstSeq! - 1 || firstSeq === undefined || firstSeq > lastSeq) return;
    if (reason.months < MIN_RETENTION_MONTHS || !(this.#anchorTo < reason.before)) return;
    if (reason.before > retentionCutoff(new Date(e.time), reason.months).toISOString()) return;
    this.#purgeSeen = { seq: e.seq, at: e.time, firstSeq, lastSeq, before: reason.before, retentionMonths: reason.months };
  }

  #parse(s: string, lineNo: number): AuditEvent | null {
    let json: unknown;
    try {
      json = JSON.parse(s);
    } catch {
      this.fault('ERR_AUDIT_LINE_INVALID', lineNo, { detail: 'JSON' });
      return null;
    }
    const parsed = AuditEventSchema.safeParse(json);
    if (!parsed.success) {
      const seq = typeof (json as { seq?: unknown })?.seq === 'number' ? (json as { seq: number }).seq : undefined;
      this.fault('ERR_AUDIT_LINE_INVALID', lineNo, { detail: `${parsed.error.issues[0]?.path.join('.') ?? ''}${seq === undefined ? '' : ` (seq ${seq})`}` });
      return null;
    }
    if (eventLine(parsed.data) !== s) {
      this.fault('ERR_AUDIT_LINE_INVALID', lineNo, { detail: NOT_CANONICAL });
      return null;
    }
    return parsed.data;
  }

  #checkpoint(e: AuditEvent, lineNo: number): boolean {
    const head = this.#head;
    const body = parseCheckpointBody(e.checkpoint!.body);
    const signature = fromBase64(e.checkpoint!.signature);
    const token = e.checkpoint!.timestamp === undefined ? undefined : fromBase64(e.checkpoint!.timestamp);
    const bad = (detail: LocalizedText): boolean => {
      this.#fail('modified', e.seq, lineNo, 'ERR_AUDIT_CHECKPOINT_INVALID', { detail });
      return false;
    };
    if (e.action !== 'audit.checkpoint' || body === null) return bad(CHECKPOINT_DETAIL.format);
    if (signature === null) return bad(CHECKPOINT_DETAIL.base64);
    if (token === null) return bad(CHECKPOINT_DETAIL.timestamp);
    if (body.last !== e.seq - 1 || body.head !== e.prev) return bad(CHECKPOINT_DETAIL.head);
    if (!(this.#checkpoints === 0 && e.seq === this.#anchorSeq)) {
      if (body.first !== head.periodFirst || body.from !== head.periodFirstTime || body.to !== head.time) return bad(CHECKPOINT_DETAIL.period);
      if (body.root !== toBase64(head.merkle.root())) return bad(CHECKPOINT_DETAIL.root);
      if (body.previous !== (head.checkpoint?.bodyHash ?? (this.#start === 'checkpoint' ? body.previous : 'none'))) return bad(CHECKPOINT_DETAIL.previous);
    }
    this.#checkpoints++;
    this.#lastCheckpointSeq = e.seq;
    if (this.#purgeSeen !== null && this.#purge === null) this.#purge = { ...this.#purgeSeen, sealedBy: e.seq };
    this.#signatures.push({
      seq: e.seq,
      line: lineNo,
      time: e.time,
      body: encoder.encode(e.checkpoint!.body),
      signature,
      token: token ?? null,
      timestampError: token === undefined ? e.code : undefined,
    });
    return true;
  }

  /** What this segment verified (see {@link SegmentResult}). */
  segmentResult(): SegmentResult {
    const head = this.#head;
    return {
      ok: this.#damage === null && this.#gap === null && this.#torn === null,
      events: this.#events,
      start: this.#start,
      firstSeq: this.#firstSeq,
      first: this.#first,
      last: this.#events === 0 ? null : { seq: head.seq, hash: head.hash },
      anchorTo: this.#anchorTo,
      minTime: this.#minTime,
      latest: head.latest,
      checkpoints: this.#checkpoints,
      lastCheckpointSeq: this.#lastCheckpointSeq,
      purge: this.#purge,
      signatures: this.#signatures,
    };
  }

  /**
   * A verifier holding what the segments of an intact trace found, joined,
   * ready to {@link finish} as if it had read the whole trace: the caller
   * checked that each segment continues the one before it.
   */
  static joined(o: VerifyLogOptions, parts: readonly SegmentResult[], overlaps: readonly boolean[]): ChainVerifier {
    const v = new ChainVerifier(o);
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    v.#start = first.start;
    v.#firstSeq = first.firstSeq;
    const seen = new Set<number>();
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      v.#events += p.events - (overlaps[i] === true ? 1 : 0);
      for (const c of p.signatures) {
        if (seen.has(c.seq)) continue;
        seen.add(c.seq);
        v.#signatures.push(c);
        v.#checkpoints++;
      }
      if (p.lastCheckpointSeq !== null) v.#lastCheckpointSeq = p.lastCheckpointSeq;
      v.#purge ??= p.purge;
    }
    if (last.last !== null) {
      v.#head.seq = last.last.seq;
      v.#head.hash = last.last.hash;
    }
    return v;
  }

  async finish(): Promise<VerifyReport> {
    const head = this.#head;
    if (this.#gap !== null) {
      const g = this.#gap;
      this.#gap = null;
      if (g.found) this.#fail('reordered', g.expected, g.line, 'ERR_AUDIT_SEQ_ORDER');
      else this.#fail('deleted', g.expected, g.line, 'ERR_AUDIT_SEQ_GAP', { count: g.seq - g.expected });
    }
    const signers = new Set<string>();
    const verifier = this.#o.verifier;
    const tsv = this.#o.timeStampVerifier;
    let signatures: SignatureCheck = this.#checkpoints === 0 ? { status: 'none' } : { status: 'unchecked' };
    const checkpointTimes: CheckpointTime[] = [];
    const now = verifier === undefined ? null : readClock(this.#now, 'verifyLog');
    /** Records a checkpoint's damage, unless an earlier one was found. */
    const fail = (s: SignedCheckpoint, code: AuditErrorCode, detail: string): void => {
      const earlier = this.#damage;
      this.#damage = null;
      this.#fail('modified', s.seq, s.line, code, { detail });
      if (earlier !== null && earlier.seq < s.seq) this.#damage = earlier;
    };
    for (const s of this.#signatures) {
      if (this.#damage !== null && this.#damage.seq <= s.seq) break;
      // 1. The time-stamp token, over SHA-256(signature): when valid, it dates the signature.
      let source: CheckpointTimeSource;
      if (s.token === null) source = { kind: 'signer-clock', ...(s.timestampError === undefined ? {} : { timestampError: s.timestampError }) };
      else if (tsv === undefined) source = { kind: 'tsa-unchecked' };
      else {
        const stamp = await tsv.verify(s.token, this.#sha256(s.signature));
        if (stamp.status !== 'valid') {
          fail(s, 'ERR_AUDIT_CHECKPOINT_TIMESTAMP', stamp.code);
          break;
        }
        source = { kind: 'tsa', genTime: stamp.genTime, tsa: stamp.tsa };
      }
      // 2. The signature, with its certificate valid at the token's genTime, or now when nothing else proves its date.
      if (verifier !== undefined) {
        const at = source.kind === 'tsa' ? new Date(source.genTime) : now!;
        const check = await verifier.verify(s.body, s.signature, { at });
        if (check.status !== 'valid') {
          fail(s, 'ERR_AUDIT_CHECKPOINT_SIGNATURE', check.code);
          signatures = check;
          break;
        }
        signers.add(check.signer);
        signatures = check;
        if (source.kind === 'signer-clock' && check.signedAt !== undefined) source = { ...source, signedAt: check.signedAt };
      }
      checkpointTimes.push({ seq: s.seq, time: s.time, source });
    }
    if (this.#damage === null && this.#start === 'checkpoint' && this.#purge === null) {
      this.#fail('truncated-head', 1, 1, 'ERR_AUDIT_HEAD_TRUNCATED', { first: this.#firstSeq ?? undefined, seq: undefined });
    }
    const expect = this.#o.expect;
    if (this.#damage === null && expect !== undefined && head.seq < expect.seq) {
      this.#fail('truncated', head.seq + 1, 0, 'ERR_AUDIT_TRUNCATED', { expected: expect.seq, last: head.seq });
    }
    if (this.#damage === null && this.#torn !== null) {
      this.#fail('truncated', head.seq + 1, 0, 'ERR_AUDIT_TORN_TAIL', { offset: this.#torn.offset, bytes: this.#torn.bytes });
    }
    const damage = this.#damage;
    return {
      ok: damage === null,
      issues: damage === null ? [] : [{ code: damage.code, path: damage.line > 0 ? [damage.line - 1] : [], message: damage.message }],
      events: this.#events,
      firstSeq: this.#firstSeq,
      lastSeq: this.#events === 0 ? null : head.seq,
      head: this.#events === 0 ? null : head.hash,
      start: this.#start,
      purge: this.#purge,
      checkpoints: this.#checkpoints,
      lastCheckpointSeq: this.#lastCheckpointSeq,
      signatures,
      signers: [...signers],
      checkpointTimes,
      unsealed: this.#lastCheckpointSeq === null ? this.#events : head.seq - this.#lastCheckpointSeq,
      damage,
      tornTail: this.#torn,
    };
  }
}

/**
 * Verifies a trace offline, from its bytes alone (AUD-2): each event's
 * hash, the chain of previous hashes, sequence numbers, every checkpoint's
 * Merkle root, period and chaining, and (with a verifier) its signature —
 * with the certificate valid at the genTime of the checkpoint's RFC 3161
 * token (with a `timeStampVerifier`), else at the verification time `now`.
 * Names the first bad sequence number and the kind of damage: modified,
 * deleted, inserted, reordered, truncated, truncated-head (a trace that
 * starts after sequence 1 without a sealed retention purge of events older
 * than the retention naming what was removed), backdated (an event dated
 * more than `clockSkewSeconds` before a time already traced). Never throws
 * for bad input: the verdict is `{ ok, issues }` with the damage as its own
 * field.
 *
 * `import { verifyLog } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const verifier = createContentVerifier({ trustAnchors: [caDer] }) // @s3404/seal, or any ContentVerifier
 * const timeStampVerifier = createTimeStampVerifier({ trust: [tsaRootDer] }) // @s3404/seal, or any TimeStampVerifier
 * const report = await verifyLog(bytes, { verifier, timeStampVerifier })
 * if (!report.ok) console.error(report.damage?.kind, report.damage?.seq, report.issues[0]?.message)
 * for (const c of report.checkpointTimes) console.log(c.seq, c.source.kind)  // 'tsa' (genTime, tsa) | 'tsa-unchecked' | 'signer-clock'
 * ```
 * @throws TypeError when the source gives something other than `Uint8Array` chunks, `clockSkewSeconds` is not a number ≥ 0, or `now`
 * is not a Clock (programming errors).
 * @public
 */
export async function verifyLog(source: Source, options: VerifyLogOptions = {}): Promise<VerifyReport> {
  const v = new ChainVerifier(options);
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> =
    typeof source === 'string' ? [encoder.encode(source)] : source instanceof Uint8Array ? [source] : source;
  await feedLines(v, chunks, options.maxLineBytes ?? 1 << 20);
  return v.finish();
}

/**
 * Splits the chunks into lines and gives them to the verifier, until the end
 * or its first damage; notes an unterminated last line as a torn tail.
 */
export async function feedLines(v: ChainVerifier, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, max: number): Promise<void> {
  let carry: Uint8Array[] = [];
  let carried = 0;
  let lineNo = 0;
  let offset = 0;
  let skipping = false;
  let first = true;
  for await (const chunk of chunks as AsyncIterable<Uint8Array>) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('verifyLog: the source must give Uint8Array chunks');
    let start = 0;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        v.fault('ERR_AUDIT_ENCODING', 1);
        return;
      }
    }
    while (start < chunk.length) {
      if (v.done) return;
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!skipping) {
        if (carried + end - start > max) {
          v.fault('ERR_AUDIT_LINE_TOO_LONG', lineNo + 1, { limit: max });
          skipping = true;
          carry = [];
          carried = 0;
        } else if (nl < 0) {
          carry.push(chunk.subarray(start));
          carried += chunk.length - start;
        } else {
          lineNo++;
          let bytes = chunk.subarray(start, end);
          if (carried > 0) {
            carry.push(bytes);
            bytes = concatBytes(...carry);
            carry = [];
            carried = 0;
          }
          v.line(bytes, lineNo);
          offset += bytes.length + 1;
        }
      } else if (nl >= 0) {
        skipping = false;
        lineNo++;
      }
      start = nl < 0 ? chunk.length : nl + 1;
    }
  }
  if (carried > 0) v.torn(offset, carried);
}
