import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolveLocale } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { verifyLog, type VerifyLogOptions, type VerifyReport } from '../verify-log.js';
import { AuditError } from '../errors/audit-error.js';

/** A {@link VerifyReport} of a file, with the witness used (AUD-2). `import type { FileVerifyReport } from '@s3404/audit/file'` @public */
export interface FileVerifyReport extends VerifyReport {
  /** The `<file>.checkpoint` witness that was compared, if any. */
  readonly witness: { readonly seq: number; readonly hash: string } | null;
}

/**
 * Verifies a JSON Lines trace file offline (AUD-2), streaming, with Node's
 * native SHA-256. When `<file>.checkpoint` exists beside it (written by
 * {@link FileAuditStore}), the log must reach that checkpoint unchanged:
 * a truncation is reported as such. Never throws for a damaged file: the
 * verdict is `{ ok, issues }` as for `verifyLog`.
 *
 * `import { verifyLogFile } from '@s3404/audit/file'`
 *
 * @example
 * ```ts
 * const report = await verifyLogFile('state/audit/trace.jsonl', { verifier: createContentVerifier({ trustAnchors: [caDer] }) })
 * if (!report.ok) console.error(report.issues[0]?.message)
 * ```
 * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE` (kind `unavailable`) when the file cannot be read.
 * @public
 */
export async function verifyLogFile(path: string, options: Omit<VerifyLogOptions, 'sha256'> & { readonly witness?: boolean } = {}): Promise<FileVerifyReport> {
  try {
    await stat(path);
  } catch (e) {
    throw new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', { params: { detail: path }, locale: resolveLocale(options.locale), cause: e });
  }
  let witness: FileVerifyReport['witness'] = null;
  if (options.witness !== false && options.expect === undefined) {
    const text = await readFile(`${path}.checkpoint`, 'utf8').catch(() => null);
    if (text !== null) {
      try {
        const e = JSON.parse(text) as { seq?: unknown; hash?: unknown };
        if (typeof e.seq === 'number' && typeof e.hash === 'string') witness = { seq: e.seq, hash: e.hash };
      } catch {
        witness = null;
      }
    }
  }
  const report = await verifyLog(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, {
    ...options,
    ...(witness === null ? {} : { expect: witness }),
    sha256: nodeSha256,
  });
  return { ...report, witness: witness ?? options.expect ?? null };
}
