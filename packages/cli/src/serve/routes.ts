import { readClock, resolveLocale, type Clock, type Locale, type LocalizedText, type TraceSink } from '@s3404/core';
import type { CaptureLimits, Consumer, Role, Scope, Sealer } from '@s3404/seal';
import { readCaptureMessage, toContextMessage } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { FormError } from '@s3404/form/errors';
import { readSignatureSlots } from '@s3404/form/pdf';
import { CliError } from '../errors.js';
import type { BordereauSource, ServedBordereau, ServedSlot, ServedSlotId } from './bordereau-source.js';
import { checkEnrolment, type TerminalAuth } from './terminal-auth.js';
import type { PairingCodes } from './pairing.js';
import type { TerminalStore } from './terminal-store.js';

/** What a route answers: a JSON value, or bytes of a given type. */
export type Reply =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly bytes: Uint8Array | string; readonly type: string; readonly headers?: Readonly<Record<string, string>> };

/** One request as a route sees it: its authenticated terminal (signed routes), its JSON body (POST), its path parameters. */
export interface RouteRequest {
  readonly terminalId: string | null;
  readonly body: Record<string, unknown> | null;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly locale: Locale;
}

/** A route of the service: method, path pattern, whether it is signed, its body limit, its handler. */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  /** `terminal`: the four S3404 headers, checked (SIG-7); `none`: public (the page, its script, the document, health, enrolment). */
  readonly auth: 'terminal' | 'none';
  /** `small` or `capture`: a JSON object body, bounded by the service's small or capture limit; `none`: no body read. */
  readonly body: 'none' | 'small' | 'capture';
  readonly handler: (r: RouteRequest) => Promise<Reply>;
}

/** What the routes work with. */
export interface RouteDeps {
  readonly sealer: Sealer;
  readonly consumer: Consumer;
  readonly bordereaux: BordereauSource;
  readonly terminals: TerminalStore;
  readonly auth: TerminalAuth;
  readonly codes: PairingCodes;
  readonly trace: TraceSink | undefined;
  readonly now: Clock;
  readonly captureLimits: Partial<CaptureLimits>;
  readonly image: { readonly width: number; readonly height: number } | undefined;
  readonly tabletPage: (locale: Locale) => string;
  readonly tabletScript: () => string;
  readonly openapi: unknown;
  readonly version: string;
}

const BORDEREAU_ID = /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}-[0-9A-Z]$/;
const SLOT = /^(insured|director|line:[1-9]\d{0,3})$/;
const REQUEST_ID = /^[\x21-\x7e]{1,255}$/;
const HANDLE = /^[\x21-\x7e]{1,512}$/;

const bad = (detail: LocalizedText | string, locale: Locale): CliError => new CliError('ERR_HTTP_REQUEST_INVALID', { params: { detail }, locale });

/** The members of a request object the route knows; any other is refused (a typo is not ignored). */
function only(body: Record<string, unknown>, known: readonly string[], locale: Locale): void {
  for (const k of Object.keys(body))
    if (!known.includes(k)) {
      const member = k.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
      throw bad({ fr: `membre inconnu ${member} (admis : ${known.join(', ')})`, en: `unknown member ${member} (allowed: ${known.join(', ')})` }, locale);
    }
}

/** The slot a sealed capture signs, from its scope and role (FORM-6). */
function slotOfCapture(scope: Scope, role: Role): ServedSlotId {
  if (scope.kind === 'line') return `line:${scope.line}`;
  return role === 'insured' ? 'insured' : 'director';
}

/** The routes of the signing service (see `openapi.ts` for the contract of each). */
export function signingRoutes(d: RouteDeps): Route[] {
  /** The pending records this process deposited, by record id → bordereau, for a consume that names no bordereau. */
  const deposited = new Map<string, { readonly bordereauId: string; readonly expiresAt: number }>();
  /** One use at a time per bordereau in this process: two signatures applied at once would each start from the same PDF. */
  const locks = new Map<string, Promise<unknown>>();
  const locked = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const before = locks.get(id) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(id, tail);
    void tail.then(() => {
      if (locks.get(id) === tail) locks.delete(id);
    });
    return run;
  };
  /**
   * One use of a record at a time per bordereau (SIG-5, SIG-6): in this process, then — the source's
   * `exclusive` — among the processes sharing its PDFs, so each reads the PDF the last one wrote.
   */
  const exclusively = <T>(id: string, fn: () => Promise<T>): Promise<T> =>
    locked(id, () => (d.bordereaux.exclusive === undefined ? fn() : d.bordereaux.exclusive(id, fn)));
  const bordereau = async (id: unknown, locale: Locale): Promise<ServedBordereau> => {
    if (typeof id !== 'string' || !BORDEREAU_ID.test(id)) throw bad('bordereauId', locale);
    const b = await d.bordereaux.get(id);
    if (b === null) throw new CliError('ERR_BORDEREAU_UNKNOWN', { params: { bordereauId: id }, locale });
    return b;
  };
  const describe = async (b: ServedBordereau, locale: Locale) => {
    const state = await readSignatureSlots(b.pdf, { locale });
    const signed = new Map(state.slots.map((s) => [s.id as string, s.signed]));
    return {
      id: b.id,
      contentHash: state.contentHash,
      complete: state.complete,
      slots: b.slots.map((s) => ({
        id: s.id,
        role: s.role,
        signerName: s.signer.name,
        mandate: s.mandate !== undefined,
        signed: signed.get(s.id) ?? false,
      })),
      pdf: `/v1/bordereaux/${b.id}/pdf`,
    };
  };

  return [
    {
      method: 'GET',
      pattern: /^\/$/,
      auth: 'none',
      body: 'none',
      handler: async (r) => ({
        status: 200,
        bytes: d.tabletPage(r.query.has('lang') ? resolveLocale(r.query.get('lang')) : r.locale),
        type: 'text/html; charset=utf-8',
      }),
    },
    {
      method: 'GET',
      pattern: /^\/tablet\.js$/,
      auth: 'none',
      body: 'none',
      handler: async () => ({ status: 200, bytes: d.tabletScript(), type: 'text/javascript; charset=utf-8' }),
    },
    {
      method: 'GET',
      pattern: /^\/openapi\.json$/,
      auth: 'none',
      body: 'none',
      handler: async () => ({ status: 200, json: d.openapi }),
    },
    {
      method: 'GET',
      pattern: /^\/healthz$/,
      auth: 'none',
      body: 'none',
      handler: async () => ({ status: 200, json: { status: 'ok', version: d.version } }),
    },
    {
      // Enrolment (SIG-7): authenticated by the one-time pairing code, not by a signature.
      method: 'POST',
      pattern: /^\/v1\/terminals$/,
      auth: 'none',
      body: 'small',
      handler: async (r) => {
        const { terminalId, publicKey } = await checkEnrolment(r.body!, d.codes, r.locale);
        const enrolledAt = readClock(d.now, 'signing service').toISOString();
        if (!(await d.terminals.add({ id: terminalId, publicKey, enrolledAt }))) {
          const existing = await d.terminals.get(terminalId);
          if (existing === null || existing.publicKey.x !== publicKey.x || existing.publicKey.y !== publicKey.y)
            throw new CliError('ERR_TERMINAL_ALREADY_ENROLLED', { params: { terminalId }, locale: r.locale });
          return { status: 200, json: { terminalId, enrolledAt: existing.enrolledAt } };
        }
        await d.trace?.record({
          action: 'terminal.enrolled',
          at: enrolledAt,
          actor: { personId: `terminal:${terminalId}`, role: 'service', terminalId },
          subject: {},
          outcome: 'success',
        });
        return { status: 201, json: { terminalId, enrolledAt } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/bordereaux$/,
      auth: 'terminal',
      body: 'none',
      handler: async (r) => {
        const ids = await d.bordereaux.list();
        const list = [];
        for (const id of ids) {
          const b = await d.bordereaux.get(id);
          if (b !== null) list.push(await describe(b, r.locale));
        }
        return { status: 200, json: { bordereaux: list } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/bordereaux\/([^/]+)\/pdf$/,
      auth: 'terminal',
      body: 'none',
      handler: async (r) => {
        let id: string;
        try {
          id = decodeURIComponent(r.params[0]!);
        } catch {
          throw bad('id', r.locale); // a malformed %-escape
        }
        const b = await bordereau(id, r.locale);
        return {
          status: 200,
          bytes: b.pdf,
          type: 'application/pdf',
          headers: { 'content-disposition': `inline; filename="${b.id}.pdf"` },
        };
      },
    },
    {
      // SIG-1, SIG-7: a context for one slot of one bordereau, for this terminal.
      method: 'POST',
      pattern: /^\/v1\/contexts$/,
      auth: 'terminal',
      body: 'small',
      handler: async (r) => {
        const body = r.body!;
        only(body, ['bordereauId', 'slot', 'signer'], r.locale);
        const b = await bordereau(body['bordereauId'], r.locale);
        const slotId = body['slot'];
        if (typeof slotId !== 'string' || !SLOT.test(slotId)) throw bad('slot (insured | director | line:N)', r.locale);
        const slot: ServedSlot | undefined = b.slots.find((s) => s.id === slotId);
        if (slot === undefined)
          throw new FormError('ERR_SLOT_UNKNOWN', { params: { received: slotId, expected: b.slots.map((x) => x.id).join(', ') }, locale: r.locale });
        const state = await readSignatureSlots(b.pdf, { locale: r.locale });
        const { contentHash } = state;
        if (state.slots.some((s) => s.id === slotId && s.signed))
          throw new FormError('ERR_SLOT_ALREADY_SIGNED', { params: { received: slotId }, locale: r.locale });
        const signer = body['signer'] === undefined ? slot.signer : signerOf(body['signer'], r.locale);
        const scope =
          slot.id === 'insured' || slot.id === 'director'
            ? { kind: 'bordereau' as const, bordereauId: b.id, contentHash }
            : { kind: 'line' as const, bordereauId: b.id, contentHash, line: Number(slot.id.slice(5)), practitionerRpps: slot.practitionerRpps! };
        const context = await d.sealer.openContext({
          scope,
          role: slot.role,
          signer,
          terminalId: r.terminalId!,
          ...(slot.mandate === undefined ? {} : { mandate: slot.mandate }),
          locale: r.locale,
        });
        return {
          status: 201,
          json: toContextMessage(context, { limits: d.captureLimits, ...(d.image === undefined ? {} : { image: d.image }), locale: r.locale }),
        };
      },
    },
    {
      // SIG-1…SIG-3, SIG-6: the capture read for the AUTHENTICATED terminal, sealed, deposited encrypted.
      method: 'POST',
      pattern: /^\/v1\/captures$/,
      auth: 'terminal',
      body: 'capture',
      handler: async (r) => {
        const terminalId = r.terminalId!;
        let capture: ReturnType<typeof readCaptureMessage>;
        try {
          capture = readCaptureMessage(r.body, { limits: d.captureLimits, locale: r.locale, terminalId });
        } catch (e) {
          await d.trace?.record({
            action: 'signature.refused',
            at: readClock(d.now, 'signing service').toISOString(),
            actor: { personId: `terminal:${terminalId}`, role: 'service', terminalId },
            subject: {},
            outcome: 'refused',
            code: (e as { code?: string }).code ?? 'ERR_INTERNAL',
          });
          throw e;
        }
        let sealed: Awaited<ReturnType<Sealer['seal']>>;
        try {
          sealed = await d.sealer.seal(capture);
        } finally {
          capture.image.fill(0); // the decoded PNG: this process's only copy outside the record (SIG-6)
        }
        try {
          const deposit = await d.consumer.deposit(sealed);
          const scope = sealed.record.scope;
          const bordereauId = scope.kind === 'accounting-day' ? null : scope.bordereauId;
          if (bordereauId !== null) deposited.set(deposit.recordId, { bordereauId, expiresAt: Date.parse(deposit.expiresAt) });
          const now = readClock(d.now, 'signing service').getTime();
          if (deposited.size > 10_000) for (const [k, v] of deposited) if (v.expiresAt < now) deposited.delete(k);
          return {
            status: 201,
            json: {
              recordId: deposit.recordId,
              handle: deposit.handle,
              expiresAt: deposit.expiresAt,
              bordereauId,
              slot: slotOfCapture(scope, sealed.record.role),
            },
          };
        } finally {
          sealed.bytes.fill(0); // the sealed record now lives only encrypted in the pending store
        }
      },
    },
    {
      // SIG-4…SIG-6, FORM-6: once, onto the bordereau's PDF, from any process sharing the store.
      method: 'POST',
      pattern: /^\/v1\/records\/consume$/,
      auth: 'terminal',
      body: 'small',
      handler: async (r) => {
        const body = r.body!;
        only(body, ['handle', 'bordereauId', 'requestId'], r.locale);
        const handle = body['handle'];
        if (typeof handle !== 'string' || !HANDLE.test(handle)) throw bad('handle', r.locale);
        const requestId = body['requestId'] === undefined ? crypto.randomUUID() : body['requestId'];
        if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) throw bad('requestId', r.locale);
        const recordId = /^s3404-pending\.1\.([0-9a-f-]{36})\./.exec(handle)?.[1];
        const bordereauId = body['bordereauId'] ?? (recordId === undefined ? undefined : deposited.get(recordId)?.bordereauId);
        if (bordereauId === undefined)
          throw bad(
            {
              fr: 'bordereauId manquant (la signature a été déposée par un autre processus : nommez son bordereau)',
              en: 'bordereauId missing (the signature was deposited by another process: name its bordereau)',
            },
            r.locale,
          );
        // Checked before any lock is named after it.
        if (typeof bordereauId !== 'string' || !BORDEREAU_ID.test(bordereauId)) throw bad('bordereauId', r.locale);
        return exclusively(bordereauId, async () => {
          const b = await bordereau(bordereauId, r.locale);
          const applied = await applySignature(d.consumer, {
            input: { handle },
            pdf: b.pdf,
            requestId,
            save: (pdf) => d.bordereaux.save(b.id, pdf),
            actor: { personId: 'signing-service', role: 'service', terminalId: r.terminalId! },
            locale: r.locale,
          });
          if (recordId !== undefined) deposited.delete(recordId);
          const pdf = `/v1/bordereaux/${b.id}/pdf`;
          if (applied.status === 'already-consumed')
            return { status: 200, json: { status: 'already-consumed', recordId: applied.recordId, bordereauId: b.id, requestId, pdf } };
          return {
            status: 200,
            json: {
              status: 'applied',
              recordId: applied.recordId,
              bordereauId: b.id,
              slot: applied.slot,
              complete: applied.complete,
              missing: applied.missing,
              requestId,
              pdf,
            },
          };
        });
      },
    },
  ];
}

/** A signer given in a context request: `{ id, name, rpps? }`; the sealer's authoriser then judges it (SIG-7). */
function signerOf(value: unknown, locale: Locale): { id: string; name: string; rpps?: string } {
  const v = value as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad('signer', locale);
  only(v, ['id', 'name', 'rpps'], locale);
  const { id, name, rpps } = v;
  if (typeof id !== 'string' || typeof name !== 'string' || (rpps !== undefined && typeof rpps !== 'string')) throw bad('signer', locale);
  return { id, name, ...(rpps === undefined ? {} : { rpps: rpps as string }) };
}
