import { isS3404Error, type Locale, type LocalizedText } from '@s3404/core';
import { acquireFileLock as acquireCoreFileLock, type FileLockStep, type ReleaseFileLock } from '@s3404/core/node';
import { AuditError } from '../errors/audit-error.js';

/**
 * The points of {@link acquireFileLock} and of its release where a test may
 * stop the process (SIGKILL): those of the one file lock of the SDK
 * (`acquireFileLock` of `@s3404/core/node`).
 */
export type LockStep = FileLockStep;

/** Test instrumentation: called at every {@link LockStep} of the trace's lock. Not part of the package's API. */
export const lockProbe: { step: ((step: LockStep) => void) | null } = { step: null };

/**
 * The trace's lock (AUD-2): the cross-process lock of `@s3404/core/node`
 * (numbered generations, a killed holder taken over without any instant
 * when two processes hold it), with the trace's own error when another
 * process keeps it too long: `ERR_AUDIT_LOCKED` (kind `unavailable`), the
 * core error `ERR_LOCK_TIMEOUT` as `cause`.
 */
export async function acquireFileLock(dir: string, options: { readonly timeoutMs: number; readonly locale: Locale }): Promise<ReleaseFileLock> {
  try {
    return await acquireCoreFileLock(dir, { timeoutMs: options.timeoutMs, locale: options.locale, onStep: (step) => lockProbe.step?.(step) });
  } catch (e) {
    if (!isS3404Error(e) || e.code !== 'ERR_LOCK_TIMEOUT') throw e;
    const holder = e.params['holder'];
    const text = (l: 'fr' | 'en'): string => (typeof holder === 'object' ? holder[l] : String(holder));
    const detail: LocalizedText = { fr: `${dir} (${text('fr')})`, en: `${dir} (${text('en')})` };
    throw new AuditError('ERR_AUDIT_LOCKED', { params: { detail }, locale: options.locale, cause: e });
  }
}
