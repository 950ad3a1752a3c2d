import type { Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { CK, CKR, ckrOf, type Pkcs11Binding, type Pkcs11Handle, unavailable } from './pkcs11-binding.js';

/**
 * The codes by which a token says a session is gone (PKCS#11 v2.40 §5.1):
 * closed by `C_CloseAllSessions`, a failover of a network HSM, a token reset
 * — and the login with it.
 */
const SESSION_GONE: ReadonlySet<number> = new Set([CKR.SESSION_CLOSED, CKR.SESSION_HANDLE_INVALID, CKR.USER_NOT_LOGGED_IN]);

/** Whether `e` (or the coded error wrapping it) is a session the token no longer has. */
function sessionGone(e: unknown): boolean {
  const code = ckrOf(e) ?? ckrOf((e as { cause?: unknown } | null)?.cause);
  return code !== undefined && SESSION_GONE.has(code);
}

/**
 * The sessions of one logged-in token (PKCS#11 v2.40 §5.6): the first one
 * is opened and logged in once by `openPkcs11Token`; more are opened on
 * demand up to `max`, since a session runs one signing operation at a time
 * and the login state is shared by every session of the application. Each
 * signature borrows an idle session and gives it back; callers beyond
 * `max` wait in order.
 *
 * A token that drops its sessions (a failover, a reset) is recovered from
 * once per operation: the session that failed and the idle ones are
 * dropped, a new one is opened and logged in again (`login`), and the
 * operation runs again on it. A login the token refuses for its PIN is
 * never tried again by this pool (an HSM locks a PIN after a few wrong
 * tries): every later operation gets that error at once.
 */
export class SessionPool {
  readonly #binding: Pkcs11Binding;
  readonly #slot: Pkcs11Handle;
  readonly #max: number;
  readonly #locale: Locale;
  readonly #idle: Pkcs11Handle[] = [];
  /** Callers waiting for a session: given one released, or `null` when a dropped one left room to open their own. */
  readonly #waiters: { resolve: (s: Pkcs11Handle | null) => void; reject: (e: unknown) => void }[] = [];
  readonly #login: (session: Pkcs11Handle) => void;
  /** The login refused for its PIN after the token dropped its sessions: what every operation then gets. */
  #refused: SealError | undefined;
  #open = 0;
  #busy = 0;
  #closed = false;
  #drained: (() => void) | undefined;

  /** `login` logs `session` in with the user PIN, or throws the coded error (`ERR_PKCS11_PIN_INCORRECT`…). */
  constructor(binding: Pkcs11Binding, slot: Pkcs11Handle, first: Pkcs11Handle, max: number, locale: Locale, login: (session: Pkcs11Handle) => void) {
    this.#binding = binding;
    this.#login = login;
    this.#slot = slot;
    this.#max = max;
    this.#locale = locale;
    this.#idle.push(first);
    this.#open = 1;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `fn` on a session of its own; the session is returned to the pool whatever happens — unless `fn` calls
   * `spoil()`: a session left in a state no later caller can use (an operation still active after a failed
   * `C_Sign`, which makes every later `C_SignInit` on it fail `CKR_OPERATION_ACTIVE`) is closed instead, and the
   * next caller opens a clean one in its place.
   */
  async use<T>(fn: (session: Pkcs11Handle, spoil: () => void) => Promise<T> | T): Promise<T> {
    let session: Pkcs11Handle | undefined = await this.#acquire();
    let spoiled = false;
    const spoil = (): void => {
      spoiled = true;
    };
    this.#busy += 1;
    try {
      try {
        return await fn(session, spoil);
      } catch (e) {
        if (!sessionGone(e) || this.#closed) throw e;
        // The token dropped this session, and with it most likely every other one: start again from a new one, in
        // this caller's place (counted still: a caller waiting for room must not take it meanwhile).
        this.#forget(session);
        session = undefined;
        spoiled = false;
        for (const idle of this.#idle.splice(0)) this.#discard(idle);
        session = this.#openLoggedIn();
        return await fn(session, spoil);
      }
    } finally {
      this.#busy -= 1;
      if (session !== undefined) {
        if (spoiled) this.#retire(session);
        else this.#release(session);
      }
    }
  }

  /** Closes every session once the running operations end; waiting callers get `ERR_PKCS11_UNAVAILABLE`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(this.#closedError());
    if (this.#busy > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    for (const s of this.#idle.splice(0)) this.#closeSession(s);
  }

  #closedError(): SealError {
    return new SealError('ERR_PKCS11_UNAVAILABLE', { params: { detail: { fr: 'jeton fermé', en: 'token closed' } }, locale: this.#locale });
  }

  async #acquire(): Promise<Pkcs11Handle> {
    if (this.#closed) throw this.#closedError();
    if (this.#refused !== undefined) throw this.#refused;
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#open < this.#max) {
      this.#open += 1;
      return this.#openInPlace();
    }
    const given = await new Promise<Pkcs11Handle | null>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (given !== null) return given;
    // Room was kept for this caller (counted in #open): it opens its session there, or gives the room up.
    if (this.#closed || this.#refused !== undefined) {
      this.#open -= 1;
      throw this.#refused ?? this.#closedError();
    }
    return this.#openInPlace();
  }

  /**
   * A new session in a place already counted in `#open` (issue 19: counted
   * before the session is opened, so that the pool never holds more than
   * `max`); on failure the place is given up, `ERR_PKCS11_UNAVAILABLE`.
   */
  #openInPlace(): Pkcs11Handle {
    try {
      return this.#binding.C_OpenSession(this.#slot, CK.CKF_SERIAL_SESSION);
    } catch (e) {
      this.#open -= 1;
      this.#roomFreed();
      throw unavailable(e, this.#locale);
    }
  }

  /** A new session in the caller's place, logged in again: the login state went with the dropped sessions. */
  #openLoggedIn(): Pkcs11Handle {
    if (this.#refused !== undefined) {
      this.#open -= 1;
      this.#roomFreed();
      throw this.#refused;
    }
    const session = this.#openInPlace();
    try {
      this.#login(session);
    } catch (e) {
      if (e instanceof SealError && (e.code === 'ERR_PKCS11_PIN_INCORRECT' || e.code === 'ERR_PKCS11_PIN_LOCKED')) {
        // Refused for good: every caller waiting for a session gets it now (none would ever be given one).
        this.#refused = e;
        for (const w of this.#waiters.splice(0)) w.reject(e);
      }
      this.#discard(session);
      throw e;
    }
    return session;
  }

  /** Closes a session the token dropped (or that failed to log in), leaving room for a waiting caller. */
  #discard(session: Pkcs11Handle): void {
    this.#closeSession(session);
    this.#roomFreed();
  }

  /** A session fewer: the first waiting caller opens its own, in a place counted for it now. */
  #roomFreed(): void {
    if (this.#closed || this.#open >= this.#max) return;
    const next = this.#waiters.shift();
    if (next === undefined) return;
    this.#open += 1;
    next.resolve(null);
  }

  /** Closes a spoiled session for good, leaving its place to a waiting caller (or to the pool's close). */
  #retire(session: Pkcs11Handle): void {
    if (!this.#closed && this.#open === 1) {
      // The pool's last session: the login would go with it (PKCS#11 v2.40 §5.6), so its replacement is opened first.
      let fresh: Pkcs11Handle | undefined;
      try {
        fresh = this.#binding.C_OpenSession(this.#slot, CK.CKF_SERIAL_SESSION);
      } catch {
        fresh = undefined;
      }
      if (fresh !== undefined) {
        this.#forget(session);
        this.#release(fresh);
        return;
      }
    }
    this.#closeSession(session);
    if (this.#closed) {
      if (this.#busy === 0) this.#drained?.();
      return;
    }
    this.#roomFreed();
  }

  #release(session: Pkcs11Handle): void {
    if (this.#closed) {
      this.#closeSession(session);
      if (this.#busy === 0) this.#drained?.();
      return;
    }
    const next = this.#waiters.shift();
    if (next !== undefined) next.resolve(session);
    else this.#idle.push(session);
  }

  #closeSession(session: Pkcs11Handle): void {
    this.#open -= 1;
    this.#forget(session);
  }

  /** Closes a session without giving up its place: its caller opens the next one there. */
  #forget(session: Pkcs11Handle): void {
    try {
      this.#binding.C_CloseSession(session);
    } catch {
      // A session the token already dropped (device removed, library reset): nothing left to close.
    }
  }
}
