import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreError, resolveClock, resolveLocale, type Clock, type Locale } from '@s3404/core';
import { ensureDirectory, withFileLock, writeFileAtomic } from '@s3404/core/node';
import type { Bordereau } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import type { BordereauSource, ServedBordereau, ServedSlot } from './bordereau-source.js';

/** Options of {@link createRenderedBordereauSource}. @public */
export interface RenderedBordereauSourceOptions {
  /** The bordereaux to offer, valid (`validateBordereau` of `@s3404/form`). */
  readonly bordereaux: readonly Bordereau[];
  /** The director's person id, as the sealer's authoriser knows it (SIG-7). Default `directeur`. */
  readonly directorId?: string;
  /**
   * A folder where each PDF is kept as `<id>.pdf` (atomic writes), read again
   * on every request, so that processes sharing the folder see each other's
   * signatures, and a restart keeps them; each use of a record reads, signs
   * and writes the PDF under the lock `<id>.pdf.lock.d` beside it, shared by
   * those processes. Default: memory only — then processes that share a
   * ledger do not see each other's signatures.
   */
  readonly dir?: string;
  /**
   * How long a use of a record waits for another process's use of the same
   * bordereau (with `dir`), milliseconds; then `ERR_LOCK_TIMEOUT` (kind
   * `unavailable`, HTTP 503), nothing used. Default 10,000.
   */
  readonly lockTimeoutMs?: number;
  /** The clock that dates the rendered PDFs (FORM-7). Default: the system clock. */
  readonly now?: Clock;
  /** Page size. Default `a4`. */
  readonly page?: 'a3' | 'a4';
  /** Language of error messages. Default French. */
  readonly locale?: Locale;
}

/**
 * The slots of a bordereau and who signs each (SIG-2, SIG-7, SIG-8): the
 * insured person, the director, and each fee line — its practitioner, or the
 * director « pour mandat » when the line says so.
 */
export function slotsOf(b: Bordereau, directorId: string): ServedSlot[] {
  const director = { id: directorId, name: b.signatures.director.name ?? 'Direction' };
  const slots: ServedSlot[] = [
    { id: 'insured', role: 'insured', signer: { id: `assure-${b.id}`, name: `${b.insured.firstName} ${b.insured.lastName}` } },
    { id: 'director', role: b.signatures.director.delegate ? 'delegate' : 'director', signer: director },
  ];
  for (const [i, f] of b.fees.entries()) {
    const rpps = f.practitioner.rpps;
    slots.push(
      f.signature.mandate
        ? {
            id: `line:${i + 1}`,
            role: 'director',
            signer: director,
            mandate: { reference: f.signature.mandateRef ?? `MANDAT-${rpps}` },
            practitionerRpps: rpps,
          }
        : { id: `line:${i + 1}`, role: 'practitioner', signer: { id: `prat-${rpps}`, name: f.practitioner.name, rpps }, practitionerRpps: rpps },
    );
  }
  return slots;
}

/**
 * A {@link BordereauSource} over bordereaux rendered once at start (FORM-4,
 * FORM-6): the PDFs in memory, or in a folder shared by the processes of
 * one machine — then {@link BordereauSource.exclusive} holds the lock of
 * the bordereau's file (`<id>.pdf.lock.d`, `acquireFileLock` of
 * `@s3404/core/node`) for each read-sign-write, so two processes signing
 * two slots of one bordereau at once keep both signatures (SIG-5, SIG-6),
 * and a process killed holding it does not block the others. Each slot is
 * signed by the person the bordereau names: the insured person, the
 * director, each line's practitioner or the director « pour mandat ». What
 * `s3404 serve` offers on its example bordereaux.
 *
 * `import { createRenderedBordereauSource } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const bordereaux = await createRenderedBordereauSource({ bordereaux: [parseBordereauJson(json)], dir: 'state/bordereaux' })
 * ```
 * @throws `FormError` of `@s3404/form` when a bordereau cannot be rendered; CoreError `ERR_FILE_UNWRITABLE` when `dir` cannot be written,
 * `ERR_FILE_UNREADABLE` when a PDF of `dir` exists but cannot be read, `ERR_LOCK_TIMEOUT` when another process keeps a PDF's lock.
 * `exclusive` throws `ERR_LOCK_TIMEOUT` (kind `unavailable`) when another process keeps the bordereau's lock longer than `lockTimeoutMs`.
 * @throws TypeError for malformed options.
 * @public
 */
export async function createRenderedBordereauSource(options: RenderedBordereauSourceOptions): Promise<BordereauSource> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.bordereaux))
    throw new TypeError('createRenderedBordereauSource: options.bordereaux must be an array');
  const now = resolveClock(options.now, 'createRenderedBordereauSource');
  const locale = resolveLocale(options.locale);
  const directorId = options.directorId ?? 'directeur';
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) throw new TypeError('createRenderedBordereauSource: lockTimeoutMs must be a non-negative integer');
  const entries = new Map<string, { slots: ServedSlot[]; pdf: Uint8Array }>();
  const { dir } = options;
  if (dir !== undefined) await ensureDirectory(dir);
  const fileOf = (id: string): string => join(dir!, `${id}.pdf`);
  /** `fn` alone among the processes sharing `dir`, for the bordereau `id`. */
  const underLock = <T>(id: string, fn: () => Promise<T>): Promise<T> => withFileLock(`${fileOf(id)}.lock.d`, fn, { timeoutMs: lockTimeoutMs, locale });
  const render = async (b: Bordereau): Promise<Uint8Array> => (await renderBordereauPdf(b, { page: options.page ?? 'a4', now, locale })).bytes;
  for (const b of options.bordereaux) {
    const pdf =
      dir === undefined
        ? await render(b)
        : // Under the lock: a process starting while another already signs this bordereau never writes the unsigned PDF over it.
          await underLock(b.id, async () => {
            const onDisk = await readFile(fileOf(b.id)).catch((e: NodeJS.ErrnoException) => {
              if (e.code === 'ENOENT') return null;
              throw new CoreError('ERR_FILE_UNREADABLE', { params: { path: fileOf(b.id), reason: e.code }, locale, cause: e });
            });
            if (onDisk !== null) return onDisk;
            const rendered = await render(b);
            await writeFileAtomic(fileOf(b.id), rendered, { locale });
            return rendered;
          });
    entries.set(b.id, { slots: slotsOf(b, directorId), pdf: new Uint8Array(pdf) });
  }
  return {
    list: async () => [...entries.keys()],
    get: async (id): Promise<ServedBordereau | null> => {
      const e = entries.get(id);
      if (e === undefined) return null;
      if (options.dir !== undefined) {
        const onDisk = await readFile(fileOf(id)).catch(() => null);
        if (onDisk !== null) e.pdf = new Uint8Array(onDisk);
      }
      return { id, pdf: e.pdf, slots: e.slots };
    },
    save: async (id, pdf) => {
      const e = entries.get(id);
      if (e === undefined) return;
      if (options.dir !== undefined) await writeFileAtomic(fileOf(id), pdf);
      e.pdf = pdf;
    },
    // Memory only: this process alone writes its copies (and the service already serialises them).
    exclusive: (id, fn) => (dir === undefined || !entries.has(id) ? fn() : underLock(id, fn)),
  };
}
