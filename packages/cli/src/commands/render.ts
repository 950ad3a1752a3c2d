import { readJson } from '@s3404/form';
import type { Locale } from '@s3404/form/errors';
import { overlayBordereauPdf, renderBordereauPdf, type RenderPdfResult } from '@s3404/form/pdf';
import { clockFrom, readInput, UsageError, writeAtomic, type Io } from '../io.js';
import { printJson } from '../output.js';

export interface RenderCommandOptions {
  readonly out: string | undefined;
  readonly fillable: boolean;
  readonly page: string | undefined;
  readonly template: string | undefined;
  readonly overlay: string | undefined;
  readonly fieldMap: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/**
 * `s3404 render FILE.json -o OUT.pdf [--fillable] [--page a3|a4]
 * [--template T.json] [--overlay CERFA.pdf --field-map MAP.json]` (FORM-4, FORM-5).
 */
export async function renderCommand(io: Io, file: string, opts: RenderCommandOptions): Promise<number> {
  if (opts.out === undefined) throw new UsageError('render : -o OUT.pdf est obligatoire');
  if (opts.page !== undefined && opts.page !== 'a3' && opts.page !== 'a4') throw new UsageError(`--page attend a3 ou a4 (reçu ${opts.page})`);
  if ((opts.overlay === undefined) !== (opts.fieldMap === undefined)) throw new UsageError('--overlay et --field-map vont ensemble');
  const bordereau = readJson(readInput(io, file), { locale: opts.locale });
  const now = clockFrom(io);
  let result: RenderPdfResult;
  if (opts.overlay !== undefined && opts.fieldMap !== undefined) {
    const base = readInput(io, opts.overlay);
    const map = readJson(readInput(io, opts.fieldMap), { locale: opts.locale });
    result = await overlayBordereauPdf(bordereau, base, map, { now, flatten: !opts.fillable, locale: opts.locale });
  } else {
    const template = opts.template === undefined ? undefined : readJson(readInput(io, opts.template), { locale: opts.locale });
    result = await renderBordereauPdf(bordereau, {
      now,
      mode: opts.fillable ? 'fillable' : 'flat',
      page: opts.page === 'a4' ? 'a4' : 'a3',
      locale: opts.locale,
      ...(template === undefined ? {} : { template: template as never }),
    });
  }
  const path = writeAtomic(io, opts.out, result.bytes);
  if (opts.json) printJson(io, { output: path, pages: result.pageCount, bytes: result.bytes.length, contentHash: result.contentHash });
  else io.stdout(`${path} : ${result.pageCount} page(s), ${result.bytes.length} octets, SHA-256 du contenu ${result.contentHash}\n`);
  return 0;
}
