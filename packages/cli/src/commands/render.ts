import type { Locale } from '@s3404/core';
import { readJson, type Bordereau } from '@s3404/form';
import { overlayBordereauPdf, parseFieldMap, parseTemplate, renderBordereauPdf, type RenderPdfResult } from '@s3404/form/pdf';
import { badValue, need, together } from '../args.js';
import { documentClock, readInput, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';

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
  const { locale } = opts;
  const out = need(opts.out, '-o');
  if (opts.page !== undefined && opts.page !== 'a3' && opts.page !== 'a4') throw badValue('--page', 'a3 | a4', opts.page);
  if ((opts.overlay === undefined) !== (opts.fieldMap === undefined)) throw together('--overlay', '--field-map');
  // Read as JSON here; the renderer validates it as a bordereau and answers with every issue.
  const bordereau = readJson(await readInput(io, file), { locale }) as Bordereau;
  const at = documentClock(io);
  const now = (): Date => at;
  let result: RenderPdfResult;
  if (opts.overlay !== undefined && opts.fieldMap !== undefined) {
    const base = await readInput(io, opts.overlay);
    const map = parseFieldMap(readJson(await readInput(io, opts.fieldMap), { locale }), { locale });
    result = await overlayBordereauPdf(bordereau, base, map, { now, flatten: !opts.fillable, locale });
  } else {
    const template = opts.template === undefined ? undefined : parseTemplate(readJson(await readInput(io, opts.template), { locale }), { locale });
    result = await renderBordereauPdf(bordereau, {
      now,
      mode: opts.fillable ? 'fillable' : 'flat',
      page: opts.page === 'a4' ? 'a4' : 'a3',
      locale,
      ...(template === undefined ? {} : { template }),
    });
  }
  const path = await writeOutput(io, out, result.bytes);
  const { pageCount, contentHash } = result;
  const size = result.bytes.length;
  if (opts.json) printJson(io, { output: path, pages: pageCount, bytes: size, contentHash });
  else
    io.stdout(
      line(
        locale,
        `${path} : ${pageCount} page(s), ${size} octets, SHA-256 du contenu ${contentHash}`,
        `${path}: ${pageCount} page(s), ${size} bytes, content SHA-256 ${contentHash}`,
      ),
    );
  return 0;
}
