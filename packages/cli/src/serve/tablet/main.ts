/**
 * The script of the tablet page (`/tablet.js`, a browser bundle built with
 * the CLI): pairs the tablet, lists the bordereaux, opens a capture context,
 * mounts `<s3404-signature-pad>`, posts the capture, uses it once and shows
 * the signed PDF.
 *
 * Key storage: the terminal's ECDSA P-256 key pair is generated here by Web
 * Crypto with `extractable: false` and kept as `CryptoKey` objects in this
 * origin's IndexedDB (database `s3404-tablet`): the tablet stays paired
 * across reloads, yet no script — this one included — can read the private
 * key's bytes. Without IndexedDB (private browsing), the key lives in memory
 * and the tablet pairs again after a reload. Nothing else is stored on the
 * device: no signature image, no handle, no PDF (the PDF is shown from a
 * `blob:` URL revoked when the next signature starts).
 */
import type { CaptureMessage, ContextMessage, ErrorMessage } from '@s3404/core/wire';
import { defineSignaturePad } from '@s3404/capture';
import { signTerminalRequest } from '../request-signing.js';

interface Terminal {
  readonly id: string;
  readonly keys: CryptoKeyPair;
}

interface SlotView {
  readonly id: string;
  readonly role: string;
  readonly signerName: string;
  readonly mandate: boolean;
  readonly signed: boolean;
}

interface BordereauView {
  readonly id: string;
  readonly contentHash: string;
  readonly complete: boolean;
  readonly slots: readonly SlotView[];
}

const lang: 'fr' | 'en' = document.documentElement.lang === 'en' ? 'en' : 'fr';
const T = {
  fr: {
    loading: 'Chargement…',
    paired: (id: string) => `Tablette appairée : ${id}`,
    sign: 'Signer',
    signed: 'signé',
    insured: 'Assuré(e)',
    director: 'Directeur',
    line: (n: string) => `Ligne ${n}`,
    mandate: 'pour mandat',
    sealing: 'Scellement de la signature…',
    applying: 'Apposition sur le bordereau…',
    done: (slot: string, id: string) => `Signature apposée (${slot}) sur le bordereau ${id}.`,
    complete: 'Le bordereau est entièrement signé.',
    none: 'Aucun bordereau à signer.',
    noCrypto: 'Cette page doit être servie en HTTPS (ou sur la boucle locale) : Web Crypto est indisponible.',
  },
  en: {
    loading: 'Loading…',
    paired: (id: string) => `Tablet paired: ${id}`,
    sign: 'Sign',
    signed: 'signed',
    insured: 'Insured person',
    director: 'Director',
    line: (n: string) => `Line ${n}`,
    mandate: 'under mandate',
    sealing: 'Sealing the signature…',
    applying: 'Applying it to the bordereau…',
    done: (slot: string, id: string) => `Signature applied (${slot}) to bordereau ${id}.`,
    complete: 'The bordereau is fully signed.',
    none: 'No bordereau to sign.',
    noCrypto: 'This page must be served over HTTPS (or on loopback): Web Crypto is unavailable.',
  },
}[lang];

const $ = <E extends HTMLElement>(id: string): E => document.getElementById(id) as E;
const sections = ['pairing', 'bordereaux', 'signing', 'done'] as const;
const show = (which: (typeof sections)[number]): void => {
  for (const s of sections) $(s).hidden = s !== which;
};
const status = (text: string): void => {
  $('status').textContent = text;
};
const fail = (text: string): void => {
  $('error').textContent = text;
};

/** A coded error of the service, as the page shows it. */
class ServiceError extends Error {
  readonly code: string;
  constructor(e: ErrorMessage) {
    super(`${e.message} [${e.code}]`);
    this.code = e.code;
  }
}

// --- the key pair: IndexedDB when available, memory otherwise.
const DB = 's3404-tablet';
function openDb(): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    try {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('terminal');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB: memory only
    }
  });
}
async function dbDo<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
  const db = await openDb();
  if (db === null) return null;
  return new Promise((resolve) => {
    const request = fn(db.transaction('terminal', mode).objectStore('terminal'));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}
let terminal: Terminal | null = null;
const loadTerminal = async (): Promise<Terminal | null> => (await dbDo<Terminal | undefined>('readonly', (s) => s.get('current'))) ?? null;
const saveTerminal = async (t: Terminal): Promise<void> => {
  await dbDo('readwrite', (s) => s.put(t, 'current'));
};
const forgetTerminal = async (): Promise<void> => {
  terminal = null;
  await dbDo('readwrite', (s) => s.delete('current'));
};

// --- the signed API.
async function call<R>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<R> {
  const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = { 'accept-language': lang };
  if (bytes !== undefined) headers['content-type'] = 'application/json';
  if (terminal !== null)
    Object.assign(
      headers,
      await signTerminalRequest({ terminalId: terminal.id, key: terminal.keys.privateKey, method, path, ...(bytes === undefined ? {} : { body: bytes }) }),
    );
  const response = await fetch(path, { method, headers, ...(bytes === undefined ? {} : { body: bytes }), cache: 'no-store' });
  if (!response.ok) {
    const error = (await response.json().catch(() => null)) as ErrorMessage | null;
    const e = new ServiceError(
      error?.type === 's3404.error' ? error : { type: 's3404.error', version: '1', code: 'ERR_HTTP', kind: 'unavailable', message: String(response.status) },
    );
    if (['ERR_TERMINAL_UNKNOWN', 'ERR_TERMINAL_SIGNATURE_INVALID'].includes(e.code)) await forgetTerminal();
    throw e;
  }
  return (path.endsWith('/pdf') ? await response.blob() : await response.json()) as R;
}

// --- the screens.
async function pair(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  fail('');
  const id = ($('terminal-id') as HTMLInputElement).value.trim();
  const code = ($('pairing-code') as HTMLInputElement).value.trim();
  // The private key cannot be exported, by this page or anyone else: only its public half leaves the tablet.
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  await call('POST', '/v1/terminals', { terminalId: id, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, pairingCode: code });
  terminal = { id, keys };
  await saveTerminal(terminal);
  await list();
}

const slotLabel = (s: SlotView): string => {
  const what = s.id === 'insured' ? T.insured : s.id === 'director' ? T.director : T.line(s.id.slice(5));
  return `${what} — ${s.signerName}${s.mandate ? ` (${T.mandate})` : ''}`;
};

async function list(): Promise<void> {
  status(T.paired(terminal!.id));
  const { bordereaux } = await call<{ bordereaux: BordereauView[] }>('GET', '/v1/bordereaux');
  const ul = $('bordereau-list');
  ul.replaceChildren();
  for (const b of bordereaux) {
    const li = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = b.id;
    const hash = document.createElement('div');
    hash.className = 'hash';
    hash.textContent = b.contentHash;
    li.append(title, hash);
    for (const s of b.slots) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset['bordereau'] = b.id;
      button.dataset['slot'] = s.id;
      button.textContent = s.signed ? `✓ ${slotLabel(s)} (${T.signed})` : `${T.sign}${lang === 'fr' ? ' :' : ':'} ${slotLabel(s)}`;
      button.disabled = s.signed;
      button.addEventListener('click', () => void guard(() => sign(b.id, s.id)));
      li.append(button);
    }
    ul.append(li);
  }
  if (bordereaux.length === 0) ul.textContent = T.none;
  show('bordereaux');
}

let pdfUrl: string | null = null;

async function sign(bordereauId: string, slot: string): Promise<void> {
  fail('');
  if (pdfUrl !== null) URL.revokeObjectURL(pdfUrl);
  pdfUrl = null;
  const context = await call<ContextMessage>('POST', '/v1/contexts', { bordereauId, slot });
  const pad = document.createElement('s3404-signature-pad') as HTMLElement & { context: ContextMessage | null };
  pad.setAttribute('lang', lang);
  pad.context = context;
  pad.addEventListener('s3404-capture', (e) => void guard(() => captured(bordereauId, (e as CustomEvent<CaptureMessage>).detail)));
  pad.addEventListener('s3404-error', (e) => fail((e as CustomEvent<{ message: string; code: string }>).detail.message));
  $('pad-host').replaceChildren(pad);
  show('signing');
}

async function captured(bordereauId: string, capture: CaptureMessage): Promise<void> {
  status(T.sealing);
  const deposit = await call<{ handle: string; slot: string }>('POST', '/v1/captures', capture);
  status(T.applying);
  const used = await call<{ slot: string; complete: boolean; pdf: string }>('POST', '/v1/records/consume', { handle: deposit.handle, bordereauId });
  $('pad-host').replaceChildren();
  const pdf = await call<Blob>('GET', used.pdf);
  pdfUrl = URL.createObjectURL(pdf);
  ($('pdf-link') as HTMLAnchorElement).href = pdfUrl;
  $('done-text').textContent = `${T.done(used.slot, bordereauId)}${used.complete ? ` ${T.complete}` : ''}`;
  status(T.paired(terminal!.id));
  show('done');
}

/** Runs a step; a failure is shown, coded, and the tablet goes back to where it can go on. */
async function guard(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
    if (terminal === null) show('pairing');
    else if (!$('signing').hidden) {
      /* stay on the pad: the signer may try again */
    } else await list().catch(() => show('pairing'));
  }
}

async function start(): Promise<void> {
  if (globalThis.crypto?.subtle === undefined) {
    fail(T.noCrypto);
    return;
  }
  defineSignaturePad();
  $('pair-form').addEventListener('submit', (e) => void guard(() => pair(e as SubmitEvent)));
  $('cancel').addEventListener('click', () => {
    $('pad-host').replaceChildren();
    void guard(list);
  });
  $('again').addEventListener('click', () => void guard(list));
  status(T.loading);
  terminal = await loadTerminal();
  if (terminal === null) {
    status('');
    show('pairing');
  } else await guard(list);
}

void start();
