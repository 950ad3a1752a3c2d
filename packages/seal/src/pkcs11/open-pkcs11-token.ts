import { realpathSync } from 'node:fs';
import { resolveLocale, toHex, truncateForMessage, type Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import type { HashName } from '../internal/algorithms.js';
import { attrBool, attrText, attrUlong, digestInfo, findObjects, planKey, publicKeyInfo, readAttributes, readMechanismList } from '../internal/pkcs11-key.js';
import {
  CK,
  CKR,
  acquireLibrary,
  ckrOf,
  forgetLogin,
  recordLogin,
  releaseLibrary,
  unavailable,
  type BindingLoader,
  type Pkcs11Binding,
  type Pkcs11Handle,
} from '../internal/pkcs11-binding.js';
import { SessionPool } from '../internal/pkcs11-sessions.js';
import type { SigningKey } from '../signing-key.js';

/** Which token of the library to use (SIG-3): by label, serial number or slot index; the only one present by default. @public */
export interface Pkcs11TokenSelector {
  /** The token label (`softhsm2-util --init-token --label …`), compared without its blank padding. */
  readonly label?: string;
  /** The token serial number, compared without its blank padding. */
  readonly serial?: string;
  /** The index in the list of slots with a token present (0-based). */
  readonly slotIndex?: number;
}

/** Options of {@link openPkcs11Token} (SIG-3). @public */
export interface OpenPkcs11TokenOptions {
  /** Path of the PKCS#11 (Cryptoki) module, e.g. `/usr/lib/softhsm/libsofthsm2.so`. Required. */
  readonly library: string;
  /** Which token. Default: the only token present (several present: give one). */
  readonly token?: Pkcs11TokenSelector;
  /**
   * The user PIN. Required. Kept in memory while the token is open, to log
   * in again should the token drop its sessions (an HSM failover, a reset);
   * never written to a message, an error or a trace.
   */
  readonly pin: string;
  /** Most sessions opened at once (each runs one signature at a time). Default 4. */
  readonly maxSessions?: number;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
  /** Loads the binding module. Default: `() => import('pkcs11js')`; a failure is `ERR_PKCS11_BINDING_MISSING`. */
  readonly loadBinding?: () => Promise<unknown>;
}

/** How to find a key or certificate in the token (SIG-3): its `CKA_LABEL`, its `CKA_ID`, or both. @public */
export interface Pkcs11ObjectSelector {
  readonly label?: string;
  /** `CKA_ID` as bytes or hex (`'01'`, as `pkcs11-tool --id 01` writes it). */
  readonly id?: Uint8Array | string;
}

/** Options of {@link Pkcs11Token.signingKey} (SIG-3). @public */
export interface Pkcs11SigningKeyOptions extends Pkcs11ObjectSelector {
  /** Hash of the signature. Default: SHA-256 (SHA-384 for P-384, SHA-512 for P-521). */
  readonly hash?: HashName;
  /**
   * Refuse a key that can leave the token (`CKA_EXTRACTABLE` true or
   * `CKA_SENSITIVE` false) with `ERR_PKCS11_KEY_EXTRACTABLE`. Default `true`:
   * a seal key in an HSM is there so that it never leaves it.
   */
  readonly requireNonExtractable?: boolean;
  /**
   * For an RSA key: PKCS#1 v1.5 (`'pkcs1'`, the default) or RSASSA-PSS
   * (`'pss'`: `CKM_SHA…_RSA_PKCS_PSS`, else `CKM_RSA_PKCS_PSS` over the
   * digest; MGF1 with the same hash, a salt of the hash's length), as
   * `rsaScheme` of a software key. Refused for an EC key.
   */
  readonly rsaScheme?: 'pkcs1' | 'pss';
}

/** A private key of the token as a seal {@link SigningKey}, with what the token says of it (SIG-3). @public */
export interface Pkcs11SigningKey extends SigningKey {
  /** `CKA_LABEL` of the private key. */
  readonly label: string;
  /** `CKA_ID`, hex. */
  readonly id: string;
  /** `CKA_EXTRACTABLE` as the token reports it. */
  readonly extractable: boolean;
  /** `CKA_SENSITIVE` as the token reports it. */
  readonly sensitive: boolean;
  /** The PKCS#11 mechanism used, e.g. `CKM_ECDSA`. */
  readonly mechanism: string;
  /**
   * The SubjectPublicKeyInfo (DER) of the matching public key object (same
   * `CKA_ID`), to request the seal certificate; `undefined` when the token
   * holds no public key object for it.
   */
  publicKeyInfo(): Promise<Uint8Array | undefined>;
}

/** An open, logged-in PKCS#11 token (SIG-3). Close it when done: {@link Pkcs11Token.close}. @public */
export interface Pkcs11Token {
  /** The token label, without padding. */
  readonly label: string;
  /** The token serial number, without padding. */
  readonly serial: string;
  /** The token model and manufacturer, without padding. */
  readonly model: string;
  /**
   * A private key of the token as a {@link SigningKey} for `createSealer`,
   * `createContentSigner` or `createPdfSealer`. The key never leaves the
   * token: each signature is one `C_Sign` on a session of the pool.
   * @throws {@link SealError} `ERR_PKCS11_KEY_NOT_FOUND`, `ERR_PKCS11_KEY_EXTRACTABLE`, `ERR_PKCS11_MECHANISM_UNSUPPORTED`, `ERR_PKCS11_UNAVAILABLE`.
   */
  signingKey(options: Pkcs11SigningKeyOptions): Promise<Pkcs11SigningKey>;
  /**
   * A certificate object of the token (`CKA_VALUE`, DER).
   * @throws {@link SealError} `ERR_PKCS11_CERT_NOT_FOUND`, `ERR_PKCS11_UNAVAILABLE`.
   */
  certificate(options: Pkcs11ObjectSelector): Promise<Uint8Array>;
  /** Ends the sessions once running signatures end (the token logs out with its last session) and releases the library. Idempotent. */
  close(): Promise<void>;
}

const trim = (s: string): string => s.replace(/[\s\0]+$/u, '');

/** `CKS_RO_USER_FUNCTIONS` and `CKS_RW_USER_FUNCTIONS`: a session of a logged-in user (PKCS#11 v2.40 §5.6). */
const LOGGED_IN_STATES: ReadonlySet<number> = new Set([1, 3]);

/** Two attribute values read from a token: the same bytes, number, boolean or absence. */
function sameAttribute(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
const bytesOf = (v: unknown): Uint8Array | undefined => (v instanceof Uint8Array ? v : undefined);

function readId(id: Uint8Array | string | undefined): Uint8Array | undefined {
  if (id === undefined || id instanceof Uint8Array) return id;
  if (typeof id !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(id)) throw new TypeError('openPkcs11Token: id must be bytes or an even-length hex string');
  return Uint8Array.from(id.match(/../g)!.map((h) => Number.parseInt(h, 16)));
}

/** A selector as a message shows it: each value truncated (a label may be anything a configuration holds). */
function describe(s: Pkcs11ObjectSelector): string {
  const parts: string[] = [];
  if (s.label !== undefined) parts.push(`label=${truncateForMessage(s.label)}`);
  if (s.id !== undefined) parts.push(`id=${truncateForMessage(typeof s.id === 'string' ? s.id : toHex(s.id))}`);
  return parts.join(' ');
}

/**
 * The module's file as the loader finds it — a symlink, `./` or `//` resolved — so that two paths to one module
 * (Debian's `/usr/lib/softhsm/libsofthsm2.so` is a link to the multiarch one) share one initialisation, one login
 * record and one finalisation: a module's state is the process's, not the path's. A bare name (`libfoo.so`, found by
 * the loader's search) is kept as given; a path with a NUL, which the loader would cut short, is refused.
 */
function moduleFile(path: string, locale: Locale): string {
  if (path.includes('\0')) throw new SealError('ERR_PKCS11_LIBRARY_NOT_FOUND', { params: { received: truncateForMessage(path) }, locale });
  if (!path.includes('/')) return path;
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

const HASHES: ReadonlySet<unknown> = new Set(['SHA-256', 'SHA-384', 'SHA-512']);

function checkSelector(s: Pkcs11ObjectSelector | undefined, what: string): void {
  if (s === null || typeof s !== 'object') throw new TypeError(`${what}: options are required`);
  if (s.label === undefined && s.id === undefined) throw new TypeError(`${what}: give a label or an id`);
  if (s.label !== undefined && typeof s.label !== 'string') throw new TypeError(`${what}: label must be a string`);
}

/**
 * Logs `session`'s application in as the user (PKCS#11 v2.40 §5.6): `true`
 * when it logged in now, `false` when it was already. The binding's error is
 * never kept as cause: nothing of the login call may reach a log.
 *
 * @throws {@link SealError} `ERR_PKCS11_PIN_INCORRECT`, `ERR_PKCS11_PIN_LOCKED`, `ERR_PKCS11_UNAVAILABLE`.
 */
function loginUser(binding: Pkcs11Binding, session: Pkcs11Handle, pin: string, locale: Locale): boolean {
  try {
    binding.C_Login(session, CK.CKU_USER, pin);
    return true;
  } catch (e) {
    const ckr = ckrOf(e);
    if (ckr === CKR.USER_ALREADY_LOGGED_IN) return false;
    if (ckr === CKR.PIN_INCORRECT || ckr === CKR.PIN_INVALID || ckr === CKR.PIN_LEN_RANGE) throw new SealError('ERR_PKCS11_PIN_INCORRECT', { locale });
    if (ckr === CKR.PIN_LOCKED) throw new SealError('ERR_PKCS11_PIN_LOCKED', { locale });
    throw new SealError('ERR_PKCS11_UNAVAILABLE', { params: { detail: 'C_Login' }, locale });
  }
}

/** The slot of the token asked for, among the slots with a token present. */
function selectSlot(
  binding: Pkcs11Binding,
  selector: Pkcs11TokenSelector,
  locale: Locale,
): { slot: Pkcs11Handle; info: ReturnType<Pkcs11Binding['C_GetTokenInfo']> } {
  let slots: Pkcs11Handle[];
  try {
    slots = binding.C_GetSlotList(true);
  } catch (e) {
    throw unavailable(e, locale);
  }
  let tokens: { slot: Pkcs11Handle; index: number; info: ReturnType<Pkcs11Binding['C_GetTokenInfo']> }[];
  try {
    // SoftHSM and some HSMs keep a free, uninitialised token in a spare slot: it holds no key, so it is never chosen.
    tokens = slots.map((slot, index) => ({ slot, index, info: binding.C_GetTokenInfo(slot) })).filter((t) => (t.info.flags & CK.CKF_TOKEN_INITIALIZED) !== 0);
  } catch (e) {
    throw unavailable(e, locale);
  }
  const wanted = tokens.filter(
    (t) =>
      (selector.label === undefined || trim(t.info.label) === selector.label) &&
      (selector.serial === undefined || trim(t.info.serialNumber) === selector.serial) &&
      (selector.slotIndex === undefined || t.index === selector.slotIndex),
  );
  const asked = [
    selector.label === undefined ? '' : `label=${truncateForMessage(selector.label)}`,
    selector.serial === undefined ? '' : `serial=${truncateForMessage(selector.serial)}`,
    selector.slotIndex === undefined ? '' : `slot=${truncateForMessage(selector.slotIndex)}`,
  ]
    .filter((s) => s !== '')
    .join(' ');
  if (wanted.length !== 1) {
    const received = wanted.length === 0 ? asked || `${tokens.length} token(s)` : `${wanted.length} tokens ${asked || ''}`.trim();
    throw new SealError('ERR_PKCS11_TOKEN_NOT_FOUND', { params: { received }, locale });
  }
  return { slot: wanted[0]!.slot, info: wanted[0]!.info };
}

/**
 * Opens a PKCS#11 token — an HSM, a smart card, SoftHSM — and logs in once
 * with the user PIN, so that the establishment's seal key can sign sealed
 * records, PAdES seals and audit checkpoints without ever leaving the
 * device (SIG-3; PKCS#11 v2.40). Node only, on the optional peer
 * `pkcs11js`. Sessions are reused (a pool of up to `maxSessions`); the
 * library is initialised once per process and finalised when its last
 * token is closed. When the token drops its sessions (a network HSM's
 * failover, a token reset: `CKR_SESSION_HANDLE_INVALID`,
 * `CKR_USER_NOT_LOGGED_IN`), an operation opens a new one, logs in again
 * and runs once more; a PIN refused then is never tried again (an HSM locks
 * a PIN after a few wrong tries): reopen the token with the right one.
 *
 * `import { openPkcs11Token } from '@s3404/seal/pkcs11'`
 *
 * @example
 * ```ts
 * const token = await openPkcs11Token({ library: '/usr/lib/softhsm/libsofthsm2.so', token: { label: 'clinique' }, pin: process.env.HSM_PIN! })
 * const key = await token.signingKey({ label: 'cachet' })            // non-extractable by default
 * const certificate = await token.certificate({ label: 'cachet' })
 * const signer = await createContentSigner({ key, certificate })       // audit checkpoints, lot manifests
 * const pdfSealer = createPdfSealer({ key, certificate })               // @s3404/seal/pdf
 * // … on shutdown
 * await token.close()
 * ```
 * @throws {@link SealError} `ERR_PKCS11_BINDING_MISSING` (pkcs11js not installed), `ERR_PKCS11_LIBRARY_NOT_FOUND`,
 * `ERR_PKCS11_TOKEN_NOT_FOUND`, `ERR_PKCS11_PIN_INCORRECT`, `ERR_PKCS11_PIN_LOCKED`, `ERR_PKCS11_UNAVAILABLE`.
 * @throws TypeError for malformed options (no library path, no PIN).
 * @public
 */
export async function openPkcs11Token(options: OpenPkcs11TokenOptions): Promise<Pkcs11Token> {
  if (options === null || typeof options !== 'object') throw new TypeError('openPkcs11Token: options are required');
  if (typeof options.library !== 'string' || options.library === '') throw new TypeError('openPkcs11Token: library must be the path of a PKCS#11 module');
  if (typeof options.pin !== 'string') throw new TypeError('openPkcs11Token: pin must be a string');
  const maxSessions = options.maxSessions ?? 4;
  if (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > 64)
    throw new TypeError('openPkcs11Token: maxSessions must be an integer from 1 to 64');
  const locale = resolveLocale(options.locale);
  const library = moduleFile(options.library, locale);
  if (options.loadBinding !== undefined && typeof options.loadBinding !== 'function') throw new TypeError('openPkcs11Token: loadBinding must be a function');
  const loader: BindingLoader = options.loadBinding ?? (() => import('pkcs11js'));
  const { binding, serial } = await acquireLibrary(library, loader, locale);
  let pool: SessionPool;
  let slot: Pkcs11Handle;
  let info: ReturnType<Pkcs11Binding['C_GetTokenInfo']>;
  let mechanisms: number[];
  try {
    ({ slot, info } = selectSlot(binding, options.token ?? {}, locale));
    let session: Pkcs11Handle;
    try {
      mechanisms = binding.C_GetMechanismList(slot);
      session = binding.C_OpenSession(slot, CK.CKF_SERIAL_SESSION);
    } catch (e) {
      throw unavailable(e, locale);
    }
    const refuse = (error: unknown): never => {
      try {
        binding.C_CloseSession(session);
      } catch {
        // The login failure is what the caller needs to know.
      }
      throw error;
    };
    // The PIN stays in this closure: the token may drop its sessions (a failover, a reset), and the pool logs in again.
    const { pin } = options;
    const login = (s: Pkcs11Handle): boolean => loginUser(binding, s, pin, locale);
    let fresh = false;
    try {
      fresh = login(session);
    } catch (e) {
      refuse(e);
    }
    // Already logged in by another open token of this process: the PIN must still be the right one.
    if (!(await recordLogin(library, slot, pin, fresh))) refuse(new SealError('ERR_PKCS11_PIN_INCORRECT', { locale }));
    pool = new SessionPool(binding, slot, session, serial ? 1 : maxSessions, locale, login);
  } catch (e) {
    await releaseLibrary(library);
    throw e;
  }
  let closing: Promise<void> | undefined;

  const find = (objectClass: number, selector: Pkcs11ObjectSelector) => {
    const match = { label: selector.label, id: readId(selector.id) };
    return pool.use((session) => {
      try {
        return findObjects(binding, session, objectClass, match);
      } catch (e) {
        throw unavailable(e, locale);
      }
    });
  };

  return {
    label: trim(info.label),
    serial: trim(info.serialNumber),
    model: `${trim(info.manufacturerID)} ${trim(info.model)}`.trim(),

    async signingKey(keyOptions) {
      checkSelector(keyOptions, 'signingKey');
      if (keyOptions.rsaScheme !== undefined && keyOptions.rsaScheme !== 'pkcs1' && keyOptions.rsaScheme !== 'pss')
        throw new TypeError("signingKey: rsaScheme must be 'pkcs1' or 'pss'");
      if (keyOptions.hash !== undefined && !HASHES.has(keyOptions.hash)) throw new TypeError("signingKey: hash must be 'SHA-256', 'SHA-384' or 'SHA-512'");
      const found = await find(CK.CKO_PRIVATE_KEY, keyOptions);
      if (found.length !== 1) {
        const received = found.length === 0 ? describe(keyOptions) : `${found.length} keys: ${describe(keyOptions)}`;
        throw new SealError('ERR_PKCS11_KEY_NOT_FOUND', { params: { received }, locale });
      }
      let handle = found[0]!;
      const KEY_ATTRIBUTES = [
        CK.CKA_KEY_TYPE,
        CK.CKA_LABEL,
        CK.CKA_ID,
        CK.CKA_SIGN,
        CK.CKA_EXTRACTABLE,
        CK.CKA_SENSITIVE,
        CK.CKA_EC_PARAMS,
        CK.CKA_MODULUS,
        CK.CKA_ALLOWED_MECHANISMS,
      ];
      const attrs = await pool.use((session) => readAttributes(binding, session, handle, KEY_ATTRIBUTES));
      const label = attrText(attrs.get(CK.CKA_LABEL));
      const idBytes = bytesOf(attrs.get(CK.CKA_ID)) ?? new Uint8Array(0);
      const extractable = attrBool(attrs.get(CK.CKA_EXTRACTABLE)) !== false;
      const sensitive = attrBool(attrs.get(CK.CKA_SENSITIVE)) === true;
      if (attrBool(attrs.get(CK.CKA_SIGN)) === false) {
        throw new SealError('ERR_PKCS11_MECHANISM_UNSUPPORTED', { params: { detail: 'CKA_SIGN false' }, locale });
      }
      if (keyOptions.requireNonExtractable !== false && (extractable || !sensitive)) {
        throw new SealError('ERR_PKCS11_KEY_EXTRACTABLE', { params: { received: describe(keyOptions) }, locale });
      }
      const plan = planKey(
        {
          type: attrUlong(attrs.get(CK.CKA_KEY_TYPE)) ?? -1,
          ecParams: bytesOf(attrs.get(CK.CKA_EC_PARAMS)),
          modulus: bytesOf(attrs.get(CK.CKA_MODULUS)),
          allowed: readMechanismList(bytesOf(attrs.get(CK.CKA_ALLOWED_MECHANISMS))),
        },
        mechanisms,
        keyOptions.hash,
        locale,
        keyOptions.rsaScheme,
      );
      const id = toHex(idBytes);
      /**
       * The key's handle again, after the token gave up the old one (object handles need not outlive a login,
       * PKCS#11 v2.40 §2.4): the one private key with the same label and id, and the same attributes — never another key.
       */
      const findAgain = (session: Pkcs11Handle, cause: unknown): Pkcs11Handle => {
        // A public session sees no private key: the login went with the dropped sessions. Said as the token would say
        // it, so that the session pool logs in again and runs the signature once more.
        if (!LOGGED_IN_STATES.has(binding.C_GetSessionInfo(session).state)) {
          throw unavailable(Object.assign(new Error('CKR_USER_NOT_LOGGED_IN'), { code: CKR.USER_NOT_LOGGED_IN }), locale);
        }
        const again = findObjects(binding, session, CK.CKO_PRIVATE_KEY, { label, id: idBytes });
        const same =
          again.length === 1 &&
          (() => {
            const now = readAttributes(binding, session, again[0]!, KEY_ATTRIBUTES);
            return KEY_ATTRIBUTES.every((a) => sameAttribute(now.get(a), attrs.get(a)));
          })();
        if (!same) throw new SealError('ERR_PKCS11_KEY_NOT_FOUND', { params: { received: describe({ label, id: idBytes }) }, locale, cause });
        return again[0]!;
      };
      return {
        algorithm: plan.algorithm,
        ecdsaFormat: 'p1363',
        label,
        id,
        extractable,
        sensitive,
        mechanism: plan.mechanismName,
        async sign(input) {
          if (closing !== undefined) throw new SealError('ERR_PKCS11_UNAVAILABLE', { params: { detail: { fr: 'jeton fermé', en: 'token closed' } }, locale });
          const data =
            plan.input === 'data' ? input.data : plan.input === 'digest' ? await input.digest() : digestInfo(plan.algorithm.hash, await input.digest());
          const signature = await pool.use(async (session, spoil) => {
            try {
              try {
                binding.C_SignInit(session, plan.mechanism, handle);
              } catch (e) {
                const ckr = ckrOf(e);
                if (ckr !== CKR.OBJECT_HANDLE_INVALID && ckr !== CKR.KEY_HANDLE_INVALID) throw e;
                handle = findAgain(session, e);
                binding.C_SignInit(session, plan.mechanism, handle);
              }
              try {
                return await binding.C_SignAsync(session, Buffer.from(data), Buffer.alloc(plan.signatureLength));
              } catch (e) {
                // The operation may still be active on this session (CKR_BUFFER_TOO_SMALL keeps it, PKCS#11 v2.40 §5.2;
                // so does a call the binding refused before making it): every later C_SignInit on it would fail
                // CKR_OPERATION_ACTIVE. The session is closed, never given to another signature.
                spoil();
                throw e;
              }
            } catch (e) {
              if (e instanceof SealError) throw e;
              const ckr = ckrOf(e);
              if (ckr === CKR.MECHANISM_INVALID || ckr === CKR.KEY_FUNCTION_NOT_PERMITTED || ckr === CKR.KEY_TYPE_INCONSISTENT) {
                throw new SealError('ERR_PKCS11_MECHANISM_UNSUPPORTED', { params: { detail: plan.mechanismName }, locale, cause: e });
              }
              throw unavailable(e, locale);
            }
          });
          // r‖s of the curve's size, or the modulus's: a token that answers otherwise (a DER ECDSA-Sig-Value, a short
          // RSA value) would make a CMS no verifier accepts.
          if (signature.length !== plan.signatureLength) {
            const detail = `${plan.mechanismName}: ${signature.length} bytes, ${plan.signatureLength} expected`;
            throw new SealError('ERR_PKCS11_MECHANISM_UNSUPPORTED', { params: { detail }, locale });
          }
          return Uint8Array.from(signature);
        },
        async publicKeyInfo() {
          const pub = await find(CK.CKO_PUBLIC_KEY, idBytes.length > 0 ? { id: idBytes } : { label });
          if (pub.length !== 1) return undefined;
          const a = await pool.use((session) =>
            readAttributes(binding, session, pub[0]!, [CK.CKA_KEY_TYPE, CK.CKA_EC_PARAMS, CK.CKA_EC_POINT, CK.CKA_MODULUS, CK.CKA_PUBLIC_EXPONENT]),
          );
          return publicKeyInfo({
            type: attrUlong(a.get(CK.CKA_KEY_TYPE)) ?? -1,
            ecParams: bytesOf(a.get(CK.CKA_EC_PARAMS)),
            ecPoint: bytesOf(a.get(CK.CKA_EC_POINT)),
            modulus: bytesOf(a.get(CK.CKA_MODULUS)),
            exponent: bytesOf(a.get(CK.CKA_PUBLIC_EXPONENT)),
          });
        },
      };
    },

    async certificate(selector) {
      checkSelector(selector, 'certificate');
      const found = await find(CK.CKO_CERTIFICATE, selector);
      const value =
        found.length === 1 ? await pool.use((session) => bytesOf(readAttributes(binding, session, found[0]!, [CK.CKA_VALUE]).get(CK.CKA_VALUE))) : undefined;
      if (value === undefined || value.length === 0) {
        throw new SealError('ERR_PKCS11_CERT_NOT_FOUND', { params: { received: describe(selector) }, locale });
      }
      return Uint8Array.from(value);
    },

    close() {
      closing ??= (async () => {
        await pool.close();
        await forgetLogin(library, slot);
        await releaseLibrary(library);
      })();
      return closing;
    },
  };
}
