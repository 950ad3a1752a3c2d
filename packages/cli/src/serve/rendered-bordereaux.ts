import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveClock, resolveLocale, type Clock, type Locale } from '@s3404/core';
import { ensureDirectory, writeFileAtomic } from '@s3404/core/node';
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
   * signatures, and a restart keeps them. Default: memory only.
   */
  readonly dir?: string;
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
 * one machine. Each slot is signed by the person the bordereau names: the
 * insured person, the director, each line's practitioner or the director
 * « pour mandat ». What `s3404 serve` offers on its example bordereaux.
 *
 * `import { createRenderedBordereauSource } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const bordereaux = await createRenderedBordereauSource({ bordereaux: [parseBordereauJson(json)], dir: 'state/bordereaux' })
 * ```
 * @throws `FormError` of `@s3404/form` when a bordereau cannot be rendered; CoreError `ERR_FILE_UNWRITABLE` when `dir` cannot be written.
 * @throws TypeError for malformed options.
 * @public
 */
export async function createRenderedBordereauSource(options: RenderedBordereauSourceOptions): Promise<BordereauSource> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.bordereaux))
    throw new TypeError('createRenderedBordereauSource: options.bordereaux must be an array');
  const now = resolveClock(options.now, 'createRenderedBordereauSource');
  const locale = resolveLocale(options.locale);
  const directorId = options.directorId ?? 'directeur';
  const entries = new Map<string, { slots: ServedSlot[]; pdf: Uint8Array }>();
  if (options.dir !== undefined) await ensureDirectory(options.dir);
  const fileOf = (id: string): string => join(options.dir!, `${id}.pdf`);
  for (const b of options.bordereaux) {
    let pdf = options.dir === undefined ? null : await readFile(fileOf(b.id)).catch(() => null);
    if (pdf === null) {
      pdf = Buffer.from((await renderBordereauPdf(b, { page: options.page ?? 'a4', now, locale })).bytes);
      if (options.dir !== undefined) await writeFileAtomic(fileOf(b.id), pdf);
    }
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
  };
}
