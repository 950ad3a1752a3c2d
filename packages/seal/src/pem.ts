import { fromBase64, resolveLocale, toBase64, type Locale, type LocalizedText } from '@s3404/core';
import { SealError } from './errors/seal-error.js';

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const MAX_PEM = 4 * 1024 * 1024;

/** Options of {@link readPemCertificates} and {@link readPemPrivateKey} (SIG-3). @public */
export interface ReadPemOptions {
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

function blocks(text: string, label: string, locale: Locale): Uint8Array[] {
  if (typeof text !== 'string') throw new TypeError('PEM text must be a string');
  const invalid = (detail?: LocalizedText | string): SealError => new SealError('ERR_PEM_INVALID', { params: { expected: label, detail }, locale });
  if (text.length > MAX_PEM) throw invalid({ fr: 'trop volumineux', en: 'too large' });
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    if (m[1] !== label) continue;
    const der = fromBase64(m[2]!.replace(/\r?\n|\r|[ \t]/g, ''));
    if (der === null || der.length === 0) throw invalid('base64');
    out.push(der);
  }
  return out;
}

/**
 * Reads every `CERTIFICATE` block of a PEM text, in order (SIG-3, RFC 7468).
 * Use it for `ca.pem`, `seal-cert.pem` and chain files.
 *
 * `import { readPemCertificates } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const [certificate] = readPemCertificates(await readFile('seal-cert.pem', 'utf8'))
 * ```
 * @throws {@link SealError} `ERR_PEM_INVALID` when there is no certificate block or one is not base64.
 * @throws TypeError when `text` is not a string.
 * @public
 */
export function readPemCertificates(text: string, options: ReadPemOptions = {}): Uint8Array[] {
  const locale = resolveLocale(options.locale);
  const found = blocks(text, 'CERTIFICATE', locale);
  if (found.length === 0) throw new SealError('ERR_PEM_INVALID', { params: { expected: 'CERTIFICATE' }, locale });
  return found;
}

/**
 * Reads the single `PRIVATE KEY` (PKCS#8, RFC 5208) block of a PEM text
 * (SIG-3, RFC 7468). Legacy `EC PRIVATE KEY` / `RSA PRIVATE KEY` blocks are
 * refused with a hint to convert them (`openssl pkcs8 -topk8 -nocrypt`).
 *
 * `import { readPemPrivateKey } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const key = readPemPrivateKey(await readFile('seal-key.pem', 'utf8'))
 * const sealer = await createSealer({ key, certificate, contexts, authorizer })
 * ```
 * @throws {@link SealError} `ERR_PEM_INVALID` (no block, several blocks, not base64), `ERR_KEY_INVALID` (a legacy or encrypted key).
 * @throws TypeError when `text` is not a string.
 * @public
 */
export function readPemPrivateKey(text: string, options: ReadPemOptions = {}): Uint8Array {
  const locale = resolveLocale(options.locale);
  const found = blocks(text, 'PRIVATE KEY', locale);
  if (found.length === 1) return found[0]!;
  if (/-----BEGIN (EC|RSA|ENCRYPTED) PRIVATE KEY-----/.test(text)) {
    throw new SealError('ERR_KEY_INVALID', { params: { detail: 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem' }, locale });
  }
  const detail = found.length > 1 ? { fr: 'plusieurs blocs', en: 'several blocks' } : undefined;
  throw new SealError('ERR_PEM_INVALID', { params: { expected: 'PRIVATE KEY', detail }, locale });
}

/**
 * Writes DER bytes as one PEM block with 64-character lines (RFC 7468).
 *
 * `import { writePem } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * await writeFile('ca.pem', writePem(caDer, 'CERTIFICATE'))
 * ```
 * @public
 */
export function writePem(der: Uint8Array, label: 'CERTIFICATE' | 'PRIVATE KEY' | 'CMS'): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
