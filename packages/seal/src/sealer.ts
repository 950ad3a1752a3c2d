import {
  canonicalJson,
  readClock,
  resolveClock,
  resolveLocale,
  resolveRandom,
  toBase64,
  toHex,
  uuidV4,
  type Clock,
  type Locale,
  type MessageParams,
  type RandomSource,
  type TraceSink,
} from '@s3404/core';
import { z } from 'zod';
import type { Authorizer } from './authorizer.js';
import { createCaptureContext, type CaptureContext, type ContextRegistry, type CreateCaptureContextOptions, type SignatureCapture } from './capture-context.js';
import { SealError } from './errors/seal-error.js';
import { SEAL_ERRORS, type SealErrorCode } from './errors/seal-errors.js';
import { resolveLimits, type CaptureLimits } from './limits.js';
import { mandateProblem, type MandateRegistry } from './mandates.js';
import { findValidAgreement, type ProofAgreementRegistry } from './proof-agreements.js';
import {
  RECORD_TYPE,
  RECORD_VERSION,
  RecordSignerSchema,
  RoleSchema,
  ScopeSchema,
  SignatureRecordSchema,
  StrokeSchema,
  type SignatureRecord,
} from './record-schema.js';
import type { SigningKey } from './signing-key.js';
import { subjectOf, type SealTraceAction, type SealTraceActor, type SealTraceDraft } from './trace.js';
import { CaptureDisplaySchema } from './wire.js';
import type { CryptoProvider, WebCryptoKey } from './web-crypto.js';
import { checkImage, strokesProblem } from './internal/check-capture.js';
import { checkValidityAt } from './internal/chain.js';
import { digest as digestOf, resolveCrypto } from './internal/crypto.js';
import { Failure } from './internal/failure.js';
import { roleScopeProblem } from './internal/record-rules.js';
import { prepareSealKey, signContent, signingTimeAt, type SealKey } from './internal/seal-key.js';
import { parisDay } from './internal/time.js';

/** Options of {@link createSealer} (SIG-1…SIG-3, SIG-7…SIG-10). @public */
export interface SealerOptions {
  /** The seal key: a {@link SigningKey} (HSM, KMS), a Web Crypto private key, or PKCS#8 DER bytes. */
  readonly key: SigningKey | WebCryptoKey | Uint8Array;
  /** The establishment's seal certificate (DER). */
  readonly certificate: Uint8Array;
  /** Intermediate certificates (DER) to embed so verifiers can reach their anchor. */
  readonly chain?: readonly Uint8Array[];
  /** Where shown contexts are registered and taken back (SIG-1). */
  readonly contexts: ContextRegistry;
  /** The signing policy (SIG-7); see {@link createRoleAuthorizer}. */
  readonly authorizer: Authorizer;
  /** Mandates, required to seal a line signed on a practitioner's behalf (SIG-8). */
  readonly mandates?: MandateRegistry;
  /** Proof agreements, required to seal a practitioner's signature (SIG-9). */
  readonly proofAgreements?: ProofAgreementRegistry;
  /** The establishment: its FINESS must match accounting days and proof agreements. */
  readonly establishment?: { readonly finess: string };
  /** Where successes and refusals are traced, as core `TraceEvent`s (AUD-1); awaited. Default: none. */
  readonly trace?: TraceSink<SealTraceAction>;
  /** Tolerated clock difference between terminal and server, seconds. Default 120. */
  readonly clockSkewSeconds?: number;
  /** Capture limits (SIG-2). Default {@link CAPTURE_LIMITS}. */
  readonly limits?: Partial<CaptureLimits>;
  /** The clock of contexts, captures and signing times (determinism). Default: the system clock. */
  readonly now?: Clock;
  /** Random source of record ids and context nonces. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** A sealed signature record (SIG-3). @public */
export interface SealedRecord {
  /** The CMS SignedData, DER — what is stored pending use and later consumed. */
  readonly bytes: Uint8Array;
  readonly record: SignatureRecord;
  readonly recordId: string;
  /** SHA-256 of `bytes`, lowercase hex: the replay tombstone key (SIG-5). */
  readonly digest: string;
  /** The signing-time attribute, ISO 8601 UTC (seconds). */
  readonly signingTime: string;
}

/**
 * The establishment's sealing service (SIG-1…SIG-3, SIG-7…SIG-10): it opens
 * capture contexts for terminals and seals what they capture, after checking
 * the context, the authorisation, the mandate and the proof agreement.
 * Create it with {@link createSealer}.
 *
 * @public
 */
export interface Sealer {
  /**
   * Authorises a capture, creates its context and registers it (SIG-1, SIG-7).
   * A bordereau or line scope carries the bordereau's `contentHash` (SIG-4),
   * shown on the screen and checked again at {@link Sealer.seal}.
   * @throws {@link SealError} `ERR_AUTH_DENIED`, `ERR_RECORD_INVALID` (`detail` `scope.contentHash` without a valid hash).
   */
  openContext(options: Omit<CreateCaptureContextOptions, 'now' | 'random'>): Promise<CaptureContext>;
  /**
   * Checks a capture and seals it as a CMS SignedData (SIG-2, SIG-3, SIG-4):
   * the record binds the scope's bordereau and content hash.
   * @throws {@link SealError} with the refusal code; every refusal is traced. `ERR_CONTEXT_MISMATCH` (`params.field`
   * `scope.contentHash`) for a capture whose content hash is not the one of the context shown (SIG-1, SIG-4);
   * (`params.field` `display`) for a capture whose `display` is not the one of the context shown (SIG-1).
   * From a vendor's {@link SigningKey} (HSM, KMS), each signature verified against the certificate before the record is
   * returned or traced as sealed: `ERR_KEY_MISMATCH` for a signature the certificate does not verify (another key, the
   * wrong form or length), `ERR_KEY_UNAVAILABLE` for a `sign` that throws (its error as `cause`).
   */
  seal(capture: SignatureCapture): Promise<SealedRecord>;
}

const CaptureShape = z.object({
  context: z.object({ nonce: z.string(), issuedAt: z.string(), expiresAt: z.string() }),
  scope: ScopeSchema,
  role: RoleSchema,
  signer: RecordSignerSchema,
  terminal: z.object({ id: z.string().min(1).max(128) }),
  mandate: z.object({ reference: z.string() }).optional(),
  capturedAt: z.string(),
  image: z.instanceof(Uint8Array),
  strokes: z.array(StrokeSchema).min(1).max(1000).optional(),
  display: CaptureDisplaySchema.optional(),
});

/**
 * Creates the sealing service from the seal key and certificate (SIG-3).
 * Checks once that the certificate allows signing and that the key matches it.
 *
 * `import { createSealer } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const sealer = await createSealer({ key: readPemPrivateKey(keyPem), certificate: readPemCertificates(certPem)[0],
 *   contexts: new MemoryContextRegistry(), authorizer: createRoleAuthorizer({ staff }) })
 * const ctx = await sealer.openContext({ scope, role: 'insured', signer, terminalId: 'tablette-3' })
 * const sealed = await sealer.seal(createCapture(ctx, { image: png, capturedAt: new Date() }))
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID`, `ERR_CERT_KEY_USAGE`, `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`, `ERR_SEAL_KEY_TOO_WEAK`.
 * @throws TypeError for malformed options (no contexts or authorizer, a `now` that is not a Clock).
 * @public
 */
export async function createSealer(options: SealerOptions): Promise<Sealer> {
  if (options === null || typeof options !== 'object') throw new TypeError('createSealer: options are required');
  const locale = resolveLocale(options.locale);
  resolveClock(options.now, 'createSealer');
  const crypto = resolveCrypto(options.crypto);
  if (!(options.certificate instanceof Uint8Array)) throw new TypeError('createSealer: options.certificate must be DER bytes (Uint8Array)');
  if (options.contexts === undefined || options.authorizer === undefined)
    throw new TypeError('createSealer: options.contexts and options.authorizer are required (SIG-1, SIG-7)');
  const key = await prepareSealKey({ key: options.key, certificate: options.certificate, chain: options.chain, crypto, locale });
  return new SealService(options, { locale, key, limits: resolveLimits(options.limits) });
}

interface Internals {
  readonly locale: Locale;
  readonly key: SealKey;
  readonly limits: CaptureLimits;
}

class SealService implements Sealer {
  readonly #o: SealerOptions;
  readonly #i: Internals;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #skewMs: number;

  constructor(options: SealerOptions, internals: Internals) {
    this.#o = options;
    this.#i = internals;
    this.#clock = resolveClock(options.now, 'createSealer');
    this.#random = resolveRandom(options.random);
    this.#skewMs = (options.clockSkewSeconds ?? 120) * 1000;
  }

  #now(): Date {
    return readClock(this.#clock, 'createSealer');
  }

  #error(code: SealErrorCode, params?: MessageParams): SealError {
    return new SealError(code, { params, locale: this.#i.locale });
  }

  async #trace(event: SealTraceDraft): Promise<void> {
    await this.#o.trace?.record({ ...event, at: this.#now().toISOString() });
  }

  async openContext(options: Omit<CreateCaptureContextOptions, 'now' | 'random'>): Promise<CaptureContext> {
    const context = createCaptureContext({ locale: this.#i.locale, ...options, now: () => this.#now(), random: this.#random });
    const actor: SealTraceActor = { personId: context.signer.id, role: context.role, terminalId: context.terminal.id };
    const subject = subjectOf(context.scope);
    const decision = await this.#o.authorizer.authorize({
      action: 'capture',
      signer: context.signer,
      role: context.role,
      scope: context.scope,
      terminalId: context.terminal.id,
      mandate: context.mandate,
    });
    if (!decision.allow) {
      await this.#trace({ action: 'authorization.denied', actor, subject, outcome: 'refused', code: 'ERR_AUTH_DENIED', reason: decision.reason });
      throw this.#error('ERR_AUTH_DENIED', { person: context.signer.id, role: context.role, reason: decision.reason });
    }
    await this.#o.contexts.register(context);
    await this.#trace({ action: 'signature.context-shown', actor, subject: { ...subject, contextNonce: context.token.nonce }, outcome: 'success' });
    return context;
  }

  async seal(capture: SignatureCapture): Promise<SealedRecord> {
    const shape = CaptureShape.safeParse(capture);
    if (!shape.success) {
      const path = shape.error.issues[0]?.path.join('.') ?? '';
      throw this.#error('ERR_RECORD_INVALID', { detail: path === '' ? undefined : path });
    }
    const c = shape.data;
    const actor: SealTraceActor = { personId: c.signer.id, role: c.role, terminalId: c.terminal.id };
    const subject = { ...subjectOf(c.scope), contextNonce: c.context.nonce };
    try {
      return await this.#seal(capture, actor, subject);
    } catch (e) {
      if (e instanceof SealError) {
        if (e.code === 'ERR_AUTH_DENIED') {
          await this.#trace({ action: 'authorization.denied', actor, subject, outcome: 'refused', code: e.code, reason: String(e.params.reason) });
        } else {
          await this.#trace({ action: 'signature.refused', actor, subject, outcome: 'refused', code: e.code });
        }
      }
      throw e;
    }
  }

  async #seal(c: SignatureCapture, actor: SealTraceActor, subject: SealTraceDraft['subject']): Promise<SealedRecord> {
    const { limits, locale } = this.#i;
    const now = this.#now();
    // 1. The capture itself (SIG-2).
    let size: { width: number; height: number };
    try {
      size = checkImage(c.image, limits);
    } catch (e) {
      if (e instanceof Failure) throw this.#error(e.code, e.params);
      throw e;
    }
    if (c.strokes !== undefined) {
      const problem = strokesProblem(c.strokes, size.width, size.height, limits);
      if (problem !== null) throw this.#error('ERR_STROKES_INVALID', { detail: problem });
    }
    const rule = roleScopeProblem(c);
    if (rule !== null) throw this.#error(rule.code, { detail: rule.detail });
    // 2. The context it was shown (SIG-1): known, unexpired, identical.
    const shown = await this.#o.contexts.take(c.context.nonce);
    // A vendor's registry written in JavaScript may still answer `undefined`.
    if (shown === null || shown === undefined) throw this.#error('ERR_CONTEXT_UNKNOWN');
    if (now.getTime() > Date.parse(shown.token.expiresAt)) throw this.#error('ERR_CONTEXT_EXPIRED');
    const differs = firstDifference(shown, c);
    if (differs !== null) throw this.#error('ERR_CONTEXT_MISMATCH', { field: differs });
    const captured = Date.parse(c.capturedAt);
    if (
      !Number.isFinite(captured) ||
      captured < Date.parse(shown.token.issuedAt) ||
      captured > now.getTime() + this.#skewMs ||
      captured > Date.parse(shown.token.expiresAt)
    ) {
      throw this.#error('ERR_CONTEXT_MISMATCH', { field: 'capturedAt' });
    }
    // 3. Authorisation (SIG-7).
    const decision = await this.#o.authorizer.authorize({
      action: 'seal',
      signer: c.signer,
      role: c.role,
      scope: c.scope,
      terminalId: c.terminal.id,
      mandate: c.mandate,
    });
    if (!decision.allow) throw this.#error('ERR_AUTH_DENIED', { person: c.signer.id, role: c.role, reason: decision.reason });
    // 4. Mandate (SIG-8), proof agreement (SIG-9), establishment (SIG-10).
    const day = parisDay(new Date(captured));
    if (c.mandate !== undefined && c.scope.kind === 'line') {
      const found = this.#o.mandates === undefined ? null : await this.#o.mandates.get(c.mandate.reference);
      const problem = mandateProblem(found, { delegateId: c.signer.id, mandatorRpps: c.scope.practitionerRpps, day });
      if (problem !== null) throw this.#error('ERR_MANDATE_INVALID', { reference: c.mandate.reference, detail: problem });
    }
    let proofAgreement: { reference: string } | undefined;
    if (c.role === 'practitioner') {
      const rpps = c.signer.rpps!;
      const list = this.#o.proofAgreements === undefined ? [] : await this.#o.proofAgreements.list(rpps);
      const agreement = findValidAgreement(list, { rpps, finess: this.#o.establishment?.finess, day });
      if (agreement === null) throw this.#error('ERR_PROOF_AGREEMENT_MISSING', { rpps });
      proofAgreement = { reference: agreement.reference };
    }
    if (c.scope.kind === 'accounting-day' && this.#o.establishment !== undefined && c.scope.finess !== this.#o.establishment.finess) {
      throw this.#error('ERR_RECORD_INVALID', { detail: { fr: 'FINESS de la journée', en: 'FINESS of the day' } });
    }
    // 5. The seal certificate must be valid now (SIG-3).
    try {
      checkValidityAt([this.#i.key.cert], now);
    } catch (e) {
      if (e instanceof Failure) throw this.#error(e.code);
      throw e;
    }
    // 6. The record (SIG-2), canonical JSON (RFC 8785).
    const record: SignatureRecord = {
      type: RECORD_TYPE,
      version: RECORD_VERSION,
      id: uuidV4(this.#random),
      scope: c.scope,
      role: c.role,
      signer: c.signer,
      ...(c.mandate === undefined ? {} : { mandate: { reference: c.mandate.reference } }),
      ...(proofAgreement === undefined ? {} : { proofAgreement }),
      capturedAt: new Date(captured).toISOString(),
      terminal: { id: c.terminal.id },
      context: { ...shown.token },
      image: { mediaType: 'image/png', width: size.width, height: size.height, data: toBase64(c.image) },
      ...(c.strokes === undefined
        ? {}
        : { strokes: c.strokes.map((s) => ({ pointerType: s.pointerType, points: s.points.map((p) => [...p]) as typeof s.points })) }),
    };
    const checked = SignatureRecordSchema.safeParse(record);
    if (!checked.success) {
      throw new SealError('ERR_RECORD_INVALID', {
        params: { detail: checked.error.issues.map((i) => i.path.join('.')).join(', ') },
        locale,
        issues: checked.error.issues.map((i) => {
          const path = i.path.filter((p) => typeof p !== 'symbol') as (string | number)[];
          return { code: 'ERR_RECORD_INVALID', path, message: SEAL_ERRORS.message('ERR_RECORD_INVALID', { detail: path.join('.') }, locale) };
        }),
      });
    }
    const content = new TextEncoder().encode(canonicalJson(record));
    // 7. CMS SignedData (SIG-3).
    const signingTime = signingTimeAt(now);
    const bytes = await signContent(this.#i.key, content, signingTime, false);
    const digest = toHex(await digestOf(this.#i.key.crypto, 'SHA-256', bytes));
    await this.#trace({ action: 'signature.sealed', actor, subject: { ...subject, recordId: record.id }, outcome: 'success' });
    return { bytes, record, recordId: record.id, digest, signingTime: signingTime.toISOString() };
  }
}

/**
 * The first field where the capture differs from the context shown (SIG-1):
 * the content hash shown first (SIG-4, a capture for other content), then
 * the token, the rest of the scope, the role, the signer, the terminal, the mandate,
 * and last the display when the capture carries one.
 */
function firstDifference(shown: CaptureContext, c: SignatureCapture): string | null {
  const hash = (scope: unknown): unknown => (scope as { readonly contentHash?: unknown }).contentHash ?? null;
  const pairs: [string, unknown, unknown][] = [
    ['scope.contentHash', hash(shown.scope), hash(c.scope)],
    ['context', shown.token, c.context],
    ['scope', shown.scope, c.scope],
    ['role', shown.role, c.role],
    ['signer', shown.signer, c.signer],
    ['terminal', shown.terminal, { id: c.terminal.id }],
    ['mandate', shown.mandate ?? null, c.mandate ?? null],
    // What the screen showed (SIG-1), when the capture carries it (createCapture, readCaptureMessage).
    ...(c.display === undefined ? [] : [['display', shown.display, c.display] as [string, unknown, unknown]]),
  ];
  for (const [field, a, b] of pairs) if (canonicalJson(a) !== canonicalJson(b)) return field;
  return null;
}
