import {
  bordereauIdProblem,
  randomBytes,
  readClock,
  resolveClock,
  resolveLocale,
  resolveRandom,
  toBase64url,
  type Clock,
  type Locale,
  type LocalizedText,
  type RandomSource,
} from '@s3404/core';
import type { WireDisplay } from '@s3404/core/wire';
import { formatDateFr, formatDateTimeFr, printableTextProblem } from '@s3404/form';
import { SEAL_ERRORS, type SealErrorCode } from './errors/seal-errors.js';
import { SealError } from './errors/seal-error.js';
import { RecordSignerSchema, RoleSchema, ScopeSchema, type ContextToken, type RecordSigner, type Role, type Scope, type Stroke } from './record-schema.js';

/**
 * Labels of the roles as the signing screen shows them (SIG-1).
 *
 * `import { ROLE_LABELS } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * ROLE_LABELS.en.director // 'Establishment director'
 * ```
 * @public
 */
export const ROLE_LABELS: Readonly<Record<Locale, Readonly<Record<Role, string>>>> = {
  fr: { insured: 'Assuré(e)', director: "Directeur de l'établissement", practitioner: 'Praticien', delegate: 'Délégataire du directeur' },
  en: { insured: 'Insured person', director: 'Establishment director', practitioner: 'Practitioner', delegate: "Director's delegate" },
};

/**
 * What the signing screen must show legibly before the signature is captured
 * (SIG-1, SIG-4, DMPR §1.2): the timestamp, the bordereau identifier and the
 * content hash printed on every page of its PDF (or the accounting day with
 * the words « journée comptable »), the signer's role. `lines` is the same
 * information ready to print, one item per line: the `WireDisplay` of
 * `@s3404/core/wire`, which the tablet echoes in its capture.
 *
 * @public
 */
export type CaptureDisplay = WireDisplay;

/**
 * A capture context (SIG-1): what was shown, for whom, on which terminal, and
 * the token (nonce, issue time, expiry) the record must carry.
 *
 * @public
 */
export interface CaptureContext {
  readonly token: ContextToken;
  readonly scope: Scope;
  readonly role: Role;
  readonly signer: RecordSigner;
  readonly terminal: { readonly id: string };
  readonly mandate?: { readonly reference: string };
  readonly display: CaptureDisplay;
}

/** Options of {@link createCaptureContext} (SIG-1). @public */
export interface CreateCaptureContextOptions {
  /**
   * What is signed: a bordereau or a line with the bordereau's `contentHash`
   * (the exact content shown, SIG-4), or an accounting day.
   */
  readonly scope: Scope;
  readonly role: Role;
  readonly signer: RecordSigner;
  readonly terminalId: string;
  /** Reference of the mandate when signing for a practitioner (SIG-8). */
  readonly mandate?: { readonly reference: string };
  /** How long the context stays usable. Default 300 s; at most 3600 s. */
  readonly ttlSeconds?: number;
  /** Clock (determinism). Default: the system clock. */
  readonly now?: Clock;
  /** Random source of the nonce. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /**
   * Language of the display and of error messages. Default French; anything
   * but English is French. The legal words « journée comptable » and
   * « Mandat » stay French: the screen must show them (DMPR §1.2).
   */
  readonly locale?: Locale;
}

/**
 * Creates the capture context a terminal shows before capturing a signature
 * (SIG-1, SIG-4): for a bordereau or a line, opened with the bordereau's
 * content hash, which the display shows as the PDF prints it and which the
 * context's token ties the capture to (a capture whose scope carries another
 * hash is refused with `ERR_CONTEXT_MISMATCH`). Pure: registering it (so that the sealer can check the capture
 * against it) is the job of a {@link ContextRegistry}, which
 * `Sealer.openContext` does for you.
 *
 * `import { createCaptureContext } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const ctx = createCaptureContext({ scope: { kind: 'bordereau', bordereauId, contentHash: contentHash(bordereau) }, role: 'insured',
 *   signer: { id: 'patient', name: 'Jeanne Martin' }, terminalId: 'tablette-3' })
 * ctx.display.lines // ['Signature du 20/03/2026 11:00:00', 'Bordereau 6R0ZQ-…', 'Empreinte SHA-256 du contenu : 3f1c…', 'Assuré(e) : Jeanne Martin']
 * ```
 * @throws {@link SealError} `ERR_BORDEREAU_ID_FORMAT` / `ERR_BORDEREAU_ID_CHECK` (kind `input`) for a malformed
 * bordereau identifier; `ERR_TEXT_EMPTY`, `ERR_TEXT_TOO_LONG`, `ERR_TEXT_CONTROL_CHAR`, `ERR_TEXT_UNSUPPORTED_CHAR`,
 * `ERR_TEXT_REPLACEMENT_CHAR` (kind `input`, `params.field`, one issue at `signer.name`) for a signer's name the one
 * text policy of `@s3404/form` refuses (a bidi override such as U+202E, only spaces, U+FFFD…); `ERR_RECORD_INVALID`
 * for any other invalid scope (`detail` `scope.contentHash` for a bordereau or line scope without a content hash of
 * 64 lowercase hex digits), role, signer or terminal id.
 * @throws TypeError for a `ttlSeconds` out of range or a `now` that is not a Clock.
 * @public
 */
export function createCaptureContext(options: CreateCaptureContextOptions): CaptureContext {
  if (options === null || typeof options !== 'object') throw new TypeError('createCaptureContext: options are required');
  const locale = resolveLocale(options.locale);
  const now = resolveClock(options.now, 'createCaptureContext');
  const named = namedProblem(options, locale);
  if (named !== null) throw named;
  const scope = ScopeSchema.safeParse(options.scope);
  const role = RoleSchema.safeParse(options.role);
  const signer = RecordSignerSchema.safeParse(options.signer);
  const field = !scope.success ? scopeField(options.scope) : !role.success ? 'role' : !signer.success ? 'signer' : undefined;
  if (field !== undefined) throw new SealError('ERR_RECORD_INVALID', { params: { detail: field }, locale });
  if (typeof options.terminalId !== 'string' || options.terminalId.length === 0 || options.terminalId.length > 128) {
    throw new SealError('ERR_RECORD_INVALID', { params: { detail: 'terminalId' }, locale });
  }
  const ttl = options.ttlSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3600) throw new TypeError('ttlSeconds must be an integer between 1 and 3600');
  const issued = readClock(now, 'createCaptureContext');
  // Records carry millisecond instants; truncate so the token round-trips exactly.
  const issuedAt = new Date(Math.floor(issued.getTime()));
  const nonce = toBase64url(randomBytes(resolveRandom(options.random), 18));
  const token: ContextToken = { nonce, issuedAt: issuedAt.toISOString(), expiresAt: new Date(issuedAt.getTime() + ttl * 1000).toISOString() };
  const s = scope.data!;
  const fr = locale === 'fr';
  const timestamp = formatDateTimeFr(issuedAt, { seconds: true });
  const roleLabel = ROLE_LABELS[locale][role.data!];
  const lines: string[] = [fr ? `Signature du ${timestamp}` : `Signature of ${timestamp}`];
  let display: CaptureDisplay;
  const mandateLabel = options.mandate === undefined ? undefined : 'Mandat';
  if (s.kind === 'accounting-day') {
    const accountingDay = `${formatDateFr(s.day)} journée comptable`;
    lines.push(accountingDay, fr ? `${s.bordereaux.count} bordereau(x)` : `${s.bordereaux.count} bordereau(s)`);
    display = { timestamp, accountingDay, role: roleLabel, signerName: signer.data!.name, lines };
  } else {
    lines.push(`Bordereau ${s.bordereauId}`);
    if (s.kind === 'line') lines.push(fr ? `Ligne ${s.line}` : `Line ${s.line}`);
    // The whole hash, as the PDF prints it in the footer of every page (FORM-4): the signer compares it.
    lines.push(fr ? `Empreinte SHA-256 du contenu : ${s.contentHash}` : `Content SHA-256: ${s.contentHash}`);
    display = {
      timestamp,
      bordereauId: s.bordereauId,
      contentHash: s.contentHash,
      ...(s.kind === 'line' ? { line: s.line } : {}),
      role: roleLabel,
      signerName: signer.data!.name,
      lines,
    };
  }
  lines.push(fr ? `${roleLabel} : ${signer.data!.name}` : `${roleLabel}: ${signer.data!.name}`);
  if (mandateLabel !== undefined) lines.push(mandateLabel);
  return {
    token,
    scope: s,
    role: role.data!,
    signer: signer.data!,
    terminal: { id: options.terminalId },
    ...(options.mandate === undefined ? {} : { mandate: { reference: options.mandate.reference } }),
    display: mandateLabel === undefined ? display : { ...display, mandate: mandateLabel },
  };
}

/** The detail of an invalid scope: its missing or malformed content hash named as such (SIG-4), else `scope`. */
function scopeField(scope: unknown): string {
  const s = scope as { readonly kind?: unknown; readonly contentHash?: unknown } | null | undefined;
  if (s !== null && typeof s === 'object' && (s.kind === 'bordereau' || s.kind === 'line')) {
    if (typeof s.contentHash !== 'string' || !/^[0-9a-f]{64}$/.test(s.contentHash)) return 'scope.contentHash';
  }
  return 'scope';
}

const SIGNER_NAME: LocalizedText = { fr: 'nom du signataire (signer.name)', en: "signer's name (signer.name)" };

/**
 * The problems worth their own code before the schema's catch-all
 * `ERR_RECORD_INVALID` (issue 14 #13, #16): a malformed bordereau identifier
 * is named as malformed, and the signer's name — shown on the signing screen —
 * is judged by the one text policy of `@s3404/form`, the same codes as a
 * bordereau's names.
 */
function namedProblem(options: CreateCaptureContextOptions, locale: Locale): SealError | null {
  const scope = options.scope as { readonly kind?: unknown; readonly bordereauId?: unknown } | null | undefined;
  if (scope !== null && typeof scope === 'object' && (scope.kind === 'bordereau' || scope.kind === 'line') && typeof scope.bordereauId === 'string') {
    const id = bordereauIdProblem(scope.bordereauId);
    if (id !== null) return new SealError(id.code as SealErrorCode, { params: id.params, locale });
  }
  const name = (options.signer as { readonly name?: unknown } | null | undefined)?.name;
  if (typeof name === 'string') {
    const text = printableTextProblem(name, { max: 200 });
    if (text !== null && text.code !== 'ERR_TYPE') {
      const code = text.code as SealErrorCode;
      const params = { ...text.params, field: SIGNER_NAME };
      return new SealError(code, { params, locale, issues: [{ code, path: ['signer', 'name'], message: SEAL_ERRORS.message(code, params, locale) }] });
    }
  }
  return null;
}

/**
 * Contexts shown and not yet used (SIG-1). `take` returns a context once and
 * forgets it, so one displayed context yields at most one sealed record.
 * Implement it over the vendor's shared store when several servers seal.
 *
 * `import type { ContextRegistry } from '@s3404/seal'`
 *
 * @public
 */
export interface ContextRegistry {
  /** Keeps a shown context until it is taken or expires. */
  register(context: CaptureContext): void | Promise<void>;
  /** The context shown under this nonce, forgotten at once; `null` when unknown or already taken. */
  take(nonce: string): CaptureContext | null | Promise<CaptureContext | null>;
}

/** Options of {@link MemoryContextRegistry} (SIG-1). @public */
export interface MemoryContextRegistryOptions {
  /** The clock that decides which contexts expired. Default: the system clock. */
  readonly now?: Clock;
  /** Most contexts open at once. Default 100,000. */
  readonly maxEntries?: number;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * An in-memory {@link ContextRegistry} for one process; expired contexts are
 * swept as new ones are registered, or on demand with `sweep()` (SIG-1).
 *
 * `import { MemoryContextRegistry } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const sealer = await createSealer({ …, contexts: new MemoryContextRegistry({ maxEntries: 10_000 }) })
 * ```
 * @public
 */
export class MemoryContextRegistry implements ContextRegistry {
  readonly #contexts = new Map<string, CaptureContext>();
  readonly #now: Clock;
  readonly #max: number;
  readonly #locale: Locale;
  #registrations = 0;

  /** @throws TypeError for a `now` that is not a Clock or a `maxEntries` that is not a positive integer. */
  constructor(options: MemoryContextRegistryOptions = {}) {
    this.#now = resolveClock(options.now, 'MemoryContextRegistry');
    this.#max = options.maxEntries ?? 100_000;
    if (!Number.isInteger(this.#max) || this.#max < 1) throw new TypeError('MemoryContextRegistry: maxEntries must be a positive integer');
    this.#locale = resolveLocale(options.locale);
  }

  /**
   * Registers a shown context until it is taken or expires.
   * @throws {@link SealError} `ERR_CONTEXT_REGISTRY_FULL` (kind `unavailable`) when `maxEntries` unexpired contexts are open.
   */
  register(context: CaptureContext): void {
    // Sweep expired contexts now and then (every 256 registrations) and when full: O(1) amortised.
    if (++this.#registrations % 256 === 0 || this.#contexts.size >= this.#max) {
      const now = readClock(this.#now, 'MemoryContextRegistry').getTime();
      for (const [nonce, c] of this.#contexts) if (Date.parse(c.token.expiresAt) < now) this.#contexts.delete(nonce);
    }
    if (this.#contexts.size >= this.#max) throw new SealError('ERR_CONTEXT_REGISTRY_FULL', { params: { limit: this.#max }, locale: this.#locale });
    this.#contexts.set(context.token.nonce, context);
  }

  take(nonce: string): CaptureContext | null {
    const c = this.#contexts.get(nonce);
    this.#contexts.delete(nonce);
    return c ?? null;
  }

  /** Drops the expired contexts now (the sealer refuses them anyway). Returns how many. */
  sweep(): number {
    const now = readClock(this.#now, 'MemoryContextRegistry').getTime();
    let n = 0;
    for (const [nonce, c] of this.#contexts) {
      if (Date.parse(c.token.expiresAt) < now) {
        this.#contexts.delete(nonce);
        n++;
      }
    }
    return n;
  }

  /** Number of contexts still open. */
  get size(): number {
    return this.#contexts.size;
  }
}

/**
 * What a terminal sends back after capturing (SIG-2): the context it showed
 * and the captured image (PNG), optional strokes and capture instant.
 *
 * @public
 */
export interface SignatureCapture {
  readonly context: ContextToken;
  readonly scope: Scope;
  readonly role: Role;
  readonly signer: RecordSigner;
  readonly terminal: { readonly id: string };
  readonly mandate?: { readonly reference: string } | undefined;
  /** ISO 8601 UTC instant of the end of the capture. */
  readonly capturedAt: string;
  /** The signature image as PNG bytes. */
  readonly image: Uint8Array;
  readonly strokes?: readonly Stroke[] | undefined;
  /**
   * What the terminal showed, as the context gave it (SIG-1). When present,
   * the sealer compares it with the display of the context it issued: a
   * display altered on the way is refused (`ERR_CONTEXT_MISMATCH`, field
   * `display`). {@link createCapture} and `readCaptureMessage` fill it in.
   */
  readonly display?: CaptureDisplay | undefined;
}

/**
 * Builds the capture from the context that was shown (SIG-1, SIG-2), its
 * display included (the sealer checks it is the one it issued).
 *
 * `import { createCapture } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const capture = createCapture(ctx, { image: png, strokes, capturedAt: new Date() })
 * const sealed = await sealer.seal(capture)
 * ```
 * @public
 */
export function createCapture(
  context: CaptureContext,
  captured: { readonly image: Uint8Array; readonly strokes?: readonly Stroke[]; readonly capturedAt: Date },
): SignatureCapture {
  return {
    context: context.token,
    scope: context.scope,
    role: context.role,
    signer: context.signer,
    terminal: context.terminal,
    mandate: context.mandate,
    capturedAt: captured.capturedAt.toISOString(),
    image: captured.image,
    strokes: captured.strokes,
    display: context.display,
  };
}
