import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';

/**
 * The part of the `pkcs11js` binding (PKCS#11 v2.40, OASIS) the seal calls,
 * described structurally so that the published types never name the
 * optional peer. Handles are the binding's Buffers, kept opaque.
 */
export type Pkcs11Handle = Uint8Array;

export interface Pkcs11Attribute {
  readonly type: number;
  readonly value?: number | boolean | string | Uint8Array;
}

export interface Pkcs11TokenInfo {
  readonly label: string;
  readonly manufacturerID: string;
  readonly model: string;
  readonly serialNumber: string;
  readonly flags: number;
}

/**
 * A mechanism with its parameters as pkcs11js takes them: RSA-PSS's
 * `CK_RSA_PKCS_PSS_PARAMS` is `{ type: PKCS11JS_PARAMS_RSA_PSS, hashAlg, mgf, saltLen }`.
 */
export interface Pkcs11Mechanism {
  readonly mechanism: number;
  readonly parameter?: { readonly type: number; readonly hashAlg: number; readonly mgf: number; readonly saltLen: number };
}

/** pkcs11js's tag for RSA-PSS parameters (its `CK_PARAMS_RSA_PSS`: a constant of the binding, not of PKCS#11). */
export const PKCS11JS_PARAMS_RSA_PSS = 5;

export interface Pkcs11Binding {
  load(path: string): void;
  C_Initialize(options?: { flags?: number }): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Pkcs11Handle[];
  C_GetTokenInfo(slot: Pkcs11Handle): Pkcs11TokenInfo;
  C_GetMechanismList(slot: Pkcs11Handle): number[];
  C_OpenSession(slot: Pkcs11Handle, flags: number): Pkcs11Handle;
  C_CloseSession(session: Pkcs11Handle): void;
  C_GetSessionInfo(session: Pkcs11Handle): { readonly state: number };
  C_Login(session: Pkcs11Handle, userType: number, pin?: string): void;
  C_FindObjectsInit(session: Pkcs11Handle, template: Pkcs11Attribute[]): void;
  C_FindObjects(session: Pkcs11Handle, maxObjectCount: number): Pkcs11Handle[];
  C_FindObjectsFinal(session: Pkcs11Handle): void;
  C_GetAttributeValue(session: Pkcs11Handle, object: Pkcs11Handle, template: Pkcs11Attribute[]): Pkcs11Attribute[];
  C_SignInit(session: Pkcs11Handle, mechanism: Pkcs11Mechanism, key: Pkcs11Handle): void;
  C_SignAsync(session: Pkcs11Handle, inData: Uint8Array, outData: Uint8Array): Promise<Uint8Array>;
}

/** PKCS#11 v2.40 §3 constants the seal uses (the values are fixed by the standard). */
export const CK = {
  CKO_CERTIFICATE: 1,
  CKO_PUBLIC_KEY: 2,
  CKO_PRIVATE_KEY: 3,
  CKA_CLASS: 0x0,
  CKA_LABEL: 0x3,
  CKA_VALUE: 0x11,
  CKA_KEY_TYPE: 0x100,
  CKA_ID: 0x102,
  CKA_SENSITIVE: 0x103,
  CKA_SIGN: 0x108,
  CKA_MODULUS: 0x120,
  CKA_PUBLIC_EXPONENT: 0x122,
  CKA_EXTRACTABLE: 0x162,
  CKA_EC_PARAMS: 0x180,
  CKA_EC_POINT: 0x181,
  CKA_ALLOWED_MECHANISMS: 0x40000600,
  CKK_RSA: 0x0,
  CKK_EC: 0x3,
  CKM_RSA_PKCS: 0x1,
  CKM_SHA256_RSA_PKCS: 0x40,
  CKM_SHA384_RSA_PKCS: 0x41,
  CKM_SHA512_RSA_PKCS: 0x42,
  CKM_RSA_PKCS_PSS: 0xd,
  CKM_SHA256_RSA_PKCS_PSS: 0x43,
  CKM_SHA384_RSA_PKCS_PSS: 0x44,
  CKM_SHA512_RSA_PKCS_PSS: 0x45,
  CKM_SHA256: 0x250,
  CKM_SHA384: 0x260,
  CKM_SHA512: 0x270,
  CKG_MGF1_SHA256: 0x2,
  CKG_MGF1_SHA384: 0x3,
  CKG_MGF1_SHA512: 0x4,
  CKM_ECDSA: 0x1041,
  CKM_ECDSA_SHA256: 0x1044,
  CKM_ECDSA_SHA384: 0x1045,
  CKM_ECDSA_SHA512: 0x1046,
  CKU_USER: 1,
  CKF_SERIAL_SESSION: 0x4,
  CKF_TOKEN_INITIALIZED: 0x400,
  CKF_OS_LOCKING_OK: 0x2,
} as const;

/** Return values mapped to our codes (PKCS#11 v2.40 §5.1). */
const CKR_NAMES: Readonly<Record<number, string>> = {
  99: 'CKR_KEY_TYPE_INCONSISTENT',
  104: 'CKR_KEY_FUNCTION_NOT_PERMITTED',
  112: 'CKR_MECHANISM_INVALID',
  113: 'CKR_MECHANISM_PARAM_INVALID',
  160: 'CKR_PIN_INCORRECT',
  161: 'CKR_PIN_INVALID',
  162: 'CKR_PIN_LEN_RANGE',
  164: 'CKR_PIN_LOCKED',
  256: 'CKR_USER_ALREADY_LOGGED_IN',
  401: 'CKR_CRYPTOKI_ALREADY_INITIALIZED',
  26: 'CKR_CANT_LOCK',
};
export const CKR = {
  KEY_HANDLE_INVALID: 0x60,
  KEY_TYPE_INCONSISTENT: 0x63,
  KEY_FUNCTION_NOT_PERMITTED: 0x68,
  MECHANISM_INVALID: 0x70,
  OBJECT_HANDLE_INVALID: 0x82,
  MECHANISM_PARAM_INVALID: 0x71,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
  CANT_LOCK: 0x1a,
} as const;

/** The CKR_ code of a binding error, or undefined for an error that is not a PKCS#11 return value. */
export function ckrOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && code > 0) return code;
  const m = /CKR_\w+:(\d+)/.exec(String((error as { message?: unknown } | null)?.message ?? ''));
  return m === null ? undefined : Number(m[1]);
}

/** A short, secret-free name of a binding failure for messages: the CKR_ name, never the PIN. */
export function ckrName(error: unknown): string {
  const code = ckrOf(error);
  if (code === undefined) return 'native error';
  const named = /(CKR_[A-Z0-9_]+)/.exec(String((error as { message?: unknown } | null)?.message ?? ''));
  return CKR_NAMES[code] ?? named?.[1] ?? `CKR 0x${code.toString(16)}`;
}

/** `ERR_PKCS11_UNAVAILABLE` with the CKR_ name as detail and the binding's error as cause. */
export function unavailable(error: unknown, locale: Locale): SealError {
  return new SealError('ERR_PKCS11_UNAVAILABLE', { params: { detail: ckrName(error) }, locale, cause: error });
}

export type BindingLoader = () => Promise<unknown>;

interface Loaded {
  readonly binding: Pkcs11Binding;
  /** The module cannot lock for threads (CKR_CANT_LOCK): one operation at a time. */
  readonly serial: boolean;
  /**
   * This process's `C_Initialize` of it succeeded. `false` when the module was initialised already — by a part of
   * the process that does not go through this table (a vendor's own pkcs11js) or under another path of the same
   * file — and then it is never finalised here: `C_Finalize` would end that other user's sessions and login.
   */
  readonly owner: boolean;
  refs: number;
  /** The tokens this process logged in to, by slot: a salted digest of the PIN used, and how many open tokens share the login. */
  readonly logins: Map<string, { readonly digest: Uint8Array; refs: number }>;
}

/** A per-process salt: PIN digests are compared in memory only, never stored or shown. */
const SALT = randomBytes(16);
const pinDigest = (pin: string): Uint8Array => createHash('sha256').update(SALT).update(pin, 'utf8').digest();
const slotKey = (slot: Pkcs11Handle): string => Buffer.from(slot).toString('hex');

/**
 * Records a login to `slot` (PKCS#11 v2.40 §5.6: login state is shared by
 * every session of the application, so a second `C_Login` answers
 * CKR_USER_ALREADY_LOGGED_IN whatever PIN it is given). `fresh` is a
 * `C_Login` that succeeded; otherwise the PIN must be the one this process
 * logged in with, else the caller refuses it as a wrong PIN.
 */
export async function recordLogin(path: string, slot: Pkcs11Handle, pin: string, fresh: boolean): Promise<boolean> {
  const loaded = await libraries.get(path);
  if (loaded === undefined) return false;
  const key = slotKey(slot);
  const digest = pinDigest(pin);
  const known = loaded.logins.get(key);
  if (fresh || known === undefined) {
    // Logged in by this call, or by a part of the process that does not go through this module: nothing to compare with.
    loaded.logins.set(key, { digest, refs: (known?.refs ?? 0) + 1 });
    return true;
  }
  if (!timingSafeEqual(known.digest, digest)) return false;
  known.refs += 1;
  return true;
}

/** Forgets one token's share of a login (the token logs out when its application's last session closes). */
export async function forgetLogin(path: string, slot: Pkcs11Handle): Promise<void> {
  const loaded = await libraries.get(path);
  const entry = loaded?.logins.get(slotKey(slot));
  if (loaded === undefined || entry === undefined) return;
  entry.refs -= 1;
  if (entry.refs <= 0) loaded.logins.delete(slotKey(slot));
}

/**
 * Cryptoki is initialised once per process and library (PKCS#11 v2.40
 * §5.4: a second `C_Initialize` fails, `C_Finalize` ends every session of
 * the application). The library's own state is process-wide, so this table
 * mirrors it: each open token holds a reference, the last close finalises.
 */
const libraries = new Map<string, Promise<Loaded>>();

/**
 * Loads and initialises `path` once, or takes another reference on it.
 * `serial` is true when the module cannot be used from several threads at
 * once (then one session signs at a time).
 */
export async function acquireLibrary(path: string, loader: BindingLoader, locale: Locale): Promise<{ binding: Pkcs11Binding; serial: boolean }> {
  let pending = libraries.get(path);
  if (pending === undefined) {
    pending = initialise(path, loader, locale);
    libraries.set(path, pending);
    pending.catch(() => libraries.delete(path));
  }
  const loaded = await pending;
  loaded.refs += 1;
  return { binding: loaded.binding, serial: loaded.serial };
}

/** Gives a reference back; the last one finalises the library. */
export async function releaseLibrary(path: string): Promise<void> {
  const pending = libraries.get(path);
  if (pending === undefined) return;
  const loaded = await pending;
  loaded.refs -= 1;
  if (loaded.refs > 0) return;
  libraries.delete(path);
  if (!loaded.owner) return;
  try {
    loaded.binding.C_Finalize();
  } catch {
    // Finalising a library whose device went away: nothing is left to release.
  }
}

async function initialise(path: string, loader: BindingLoader, locale: Locale): Promise<Loaded> {
  let module: unknown;
  try {
    module = await loader();
  } catch (e) {
    throw new SealError('ERR_PKCS11_BINDING_MISSING', { locale, cause: e });
  }
  const m = module as { PKCS11?: new () => Pkcs11Binding; default?: { PKCS11?: new () => Pkcs11Binding } };
  const Ctor = m.PKCS11 ?? m.default?.PKCS11;
  if (typeof Ctor !== 'function') throw new SealError('ERR_PKCS11_BINDING_MISSING', { locale });
  const binding = new Ctor();
  try {
    binding.load(path);
  } catch (e) {
    throw new SealError('ERR_PKCS11_LIBRARY_NOT_FOUND', { params: { received: path }, locale, cause: e });
  }
  // Signatures run on libuv's threads (C_SignAsync): the module must lock for them (PKCS#11 v2.40 §6.6.2, CKF_OS_LOCKING_OK).
  let serial = false;
  let owner = true;
  const init = (options?: { flags: number }): void => {
    try {
      binding.C_Initialize(options);
    } catch (e) {
      if (ckrOf(e) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw e;
      owner = false;
    }
  };
  try {
    try {
      init({ flags: CK.CKF_OS_LOCKING_OK });
    } catch (e) {
      if (ckrOf(e) !== CKR.CANT_LOCK) throw e;
      init();
      serial = true;
    }
  } catch (e) {
    throw unavailable(e, locale);
  }
  return { binding, serial, owner, refs: 0, logins: new Map() };
}
