import type { Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { CK, type Pkcs11Binding, type Pkcs11Handle, unavailable } from './pkcs11-binding.js';

/**
 * The sessions of one logged-in token (PKCS#11 v2.40 §5.6): the first one
 * is opened and logged in once by `openPkcs11Token`; more are opened on
 * demand up to `max`, since a session runs one signing operation at a time
 * and the login state is shared by every session of the application. Each
 * signature borrows an idle session and gives it back; callers beyond
 * `max` wait in order.
 */
export class SessionPool {
  readonly #binding: Pkcs11Binding;
  readonly #slot: Pkcs11Handle;
  readonly #max: number;
  readonly #locale: Locale;
  readonly #idle: Pkcs11Handle[] = [];
  readonly #waiters: { resolve: (s: Pkcs11Handle) => void; reject: (e: unknown) => void }[] = [];
  #open = 0;
  #busy = 0;
  #closed = false;
  #drained: (() => void) | undefined;

  constructor(binding: Pkcs11Binding, slot: Pkcs11Handle, first: Pkcs11Handle, max: number, locale: Locale) {
    this.#binding = binding;
    this.#slot = slot;
    this.#max = max;
    this.#locale = locale;
    this.#idle.push(first);
    this.#open = 1;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` on a session of its own; the session is returned to the pool whatever happens. */
  async use<T>(fn: (session: Pkcs11Handle) => Promise<T> | T): Promise<T> {
    const session = await this.#acquire();
    this.#busy += 1;
    try {
      return await fn(session);
    } finally {
      this.#busy -= 1;
      this.#release(session);
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
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#open < this.#max) {
      this.#open += 1;
      try {
        return this.#binding.C_OpenSession(this.#slot, CK.CKF_SERIAL_SESSION);
      } catch (e) {
        this.#open -= 1;
        throw unavailable(e, this.#locale);
      }
    }
    return new Promise<Pkcs11Handle>((resolve, reject) => this.#waiters.push({ resolve, reject }));
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
    try {
      this.#binding.C_CloseSession(session);
    } catch {
      // A session the token already dropped (device removed, library reset): nothing left to close.
    }
  }
}
