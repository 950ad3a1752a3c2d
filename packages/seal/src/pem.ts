import { SealError } from './errors/seal-error.js';
import { decodeBase64, encodeBase64 } from './internal/base64.js';
import type { Locale } from '@s3404/form/errors';

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const MAX_PEM = 4 * 1024 * 1024;

function blocks(text: string, label: string, locale: Locale | undefined): Uint8Array[] {
  if (typeof text !== 'string') throw new TypeError('PEM text must be a string');
  if (text.length > MAX_PEM) throw new SealError('ERR_PEM_INVALID', { params: { expected: label, detail: 'trop volumineux / too large' }, locale });
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    if (m[1] !== label) continue;
    const body = m[2]!.replace(/\r?\n|\r|[ \t]/g, '');
    const der = decodeBase64(body);
    if (der === null || der.length === 0) throw new SealError('ERR_PEM_INVALID', { params: { expected: label, detail: 'base64' }, locale });
    out.push(der);
  }
  return out;
}

/**
 * Reads every `CERTIFICATE` block of a PEM text, in order (SIG-3). Use it for
 * `ca.pem`, `seal-cert.pem` and chain files.
 *
 * `import { readPemCertificates } from '@s3404/seal'`
 *
 * @throws {@link SealError} `ERR_PEM_INVALID` when there is no certificate block or one is not base64.
 * @example `const [cert] = readPemCertificates(await readFile('seal-cert.pem', 'utf8'))`
 * @public
 */
export function readPemCertificates(text: string, options: { readonly locale?: Locale } = {}): Uint8Array[] {
  const found = blocks(text, 'CERTIFICATE', options.locale);
  if (found.length === 0) throw new SealError('ERR_PEM_INVALID', { params: { expected: 'CERTIFICATE' }, locale: options.locale });
  return found;
}

/**
 * Reads the single `PRIVATE KEY` (PKCS#8, RFC 5208) block of a PEM text (SIG-3).
 * Legacy `EC PRIVATE KEY` / `RSA PRIVATE KEY` blocks are refused with a hint
 * to convert them (`openssl pkcs8 -topk8 -nocrypt`).
 *
 * @throws {@link SealError} `ERR_PEM_INVALID` / `ERR_KEY_INVALID`.
 * @public
 */
export function readPemPrivateKey(text: string, options: { readonly locale?: Locale } = {}): Uint8Array {
  const found = blocks(text, 'PRIVATE KEY', options.locale);
  if (found.length === 1) return found[0]!;
  if (/-----BEGIN (EC|RSA|ENCRYPTED) PRIVATE KEY-----/.test(text)) {
    throw new SealError('ERR_KEY_INVALID', { params: { detail: 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem' }, locale: options.locale });
  }
  throw new SealError('ERR_PEM_INVALID', { params: { expected: 'PRIVATE KEY', detail: found.length > 1 ? 'plusieurs blocs / several blocks' : undefined }, locale: options.locale });
}

/**
 * Writes DER bytes as one PEM block with 64-character lines (RFC 7468).
 *
 * @example `writePem(certDer, 'CERTIFICATE')`
 * @public
 */
export function writePem(der: Uint8Array, label: 'CERTIFICATE' | 'PRIVATE KEY' | 'CMS'): string {
  const b64 = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
