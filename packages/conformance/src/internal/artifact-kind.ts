/**
 * What a vendor's output file is, recognised by its content — its
 * first bytes only, so a huge or hostile file costs nothing to recognise —
 * and, when the content says nothing, by its extension.
 */
export type RecognisedKind =
  | 'bordereau-pdf'
  | 'sealed-record'
  | 'scor-lot'
  | 'audit-trace'
  | 'audit-export-manifest'
  | 'certificate'
  | 'private-key'
  | 'unknown';

/** How many leading bytes the recogniser looks at. */
export const HEAD_BYTES = 4096;

/** `1.2.840.113549.1.7.2` (CMS SignedData) as DER. */
const SIGNED_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/** The bytes as Latin-1 text (every byte is one character; never throws). */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 1024) out += String.fromCharCode(...bytes.subarray(i, i + 1024));
  return out;
}

/** A DER SEQUENCE that holds the SignedData OID where a ContentInfo puts it. */
function isCmsDer(head: Uint8Array): boolean {
  if (head[0] !== 0x30 || head.length < 16) return false;
  const len = head[1] ?? 0;
  const start = len < 0x80 ? 2 : 2 + (len & 0x7f);
  if (start > 6) return false;
  return SIGNED_DATA_OID.every((b, i) => head[start + i] === b);
}

/** The first line of the text, parsed as a JSON object, or null. */
function firstJsonLine(text: string): Record<string, unknown> | null {
  const end = text.indexOf('\n');
  if (end < 0) return null;
  try {
    const value: unknown = JSON.parse(text.slice(0, end));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Largest JSON file parsed to find an export manifest. */
const MAX_MANIFEST_BYTES = 1 << 20;

/** A JSON object of at most 1 MiB whose `type` is `s3404-audit-export`. */
function isExportManifest(bytes: Uint8Array): boolean {
  if (bytes.length > MAX_MANIFEST_BYTES) return false;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 's3404-audit-export';
  } catch {
    return false;
  }
}

/** The extension of a path, lower case, without the dot. */
function extension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const BY_EXTENSION: Readonly<Record<string, RecognisedKind>> = {
  pdf: 'bordereau-pdf',
  p7m: 'sealed-record',
  cms: 'sealed-record',
  zip: 'scor-lot',
  jsonl: 'audit-trace',
};

/**
 * The kind of a file from its first {@link HEAD_BYTES} bytes: `%PDF-` in the
 * first 1024 bytes, a CMS SignedData (DER, or PEM `PKCS7` / `CMS`), a ZIP
 * local header (a SCOR lot), a JSON Lines trace event (`seq`, `prev`,
 * `hash`, `action`), an export manifest (JSON of 1 MiB at most, `type`
 * `s3404-audit-export`), a
 * PEM certificate or private key. Content the recogniser does not know is
 * given the kind its extension names (`.pdf`, `.p7m`, `.cms`, `.zip`,
 * `.jsonl`) — so a damaged artifact is still judged, and fails — else `unknown`.
 */
export function recogniseArtifact(path: string, bytes: Uint8Array): RecognisedKind {
  const head = bytes.subarray(0, HEAD_BYTES);
  const text = latin1(head);
  if (text.slice(0, 1024).includes('%PDF-')) return 'bordereau-pdf';
  if (isCmsDer(head)) return 'sealed-record';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'scor-lot';
  const trimmed = text.trimStart();
  if (/^-----BEGIN (PKCS7|CMS)-----/.test(trimmed)) return 'sealed-record';
  if (trimmed.startsWith('-----BEGIN CERTIFICATE-----')) return 'certificate';
  if (/^-----BEGIN ((EC|RSA|ENCRYPTED) )?PRIVATE KEY-----/.test(trimmed)) return 'private-key';
  const event = firstJsonLine(text);
  if (
    event !== null &&
    typeof event['seq'] === 'number' &&
    typeof event['prev'] === 'string' &&
    typeof event['hash'] === 'string' &&
    typeof event['action'] === 'string'
  )
    return 'audit-trace';
  if (trimmed.startsWith('{') && isExportManifest(bytes)) return 'audit-export-manifest';
  return BY_EXTENSION[extension(path)] ?? 'unknown';
}
