import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import type { PdfOptions } from './pdf-options.js';

const USAGE =
  's3404 pdf seal IN.pdf -o OUT.pdf --cert PEM --key PEM [--chain PEM] [--tsa URL [--tsa-fallback b-b]] [--reason TEXT] | s3404 pdf verify FILE.pdf --trust CA.pem [--tsa-trust CA.pem] | s3404 pdf revisions FILE.pdf [--extract N -o OUT.pdf]';

/**
 * `s3404 pdf seal|verify|revisions …` (SIG-3, SIG-5): the establishment's
 * PAdES seal of a finished bordereau, its verification, its revisions.
 * Each subcommand is loaded when used, so other commands never load the PDF reader.
 */
export async function pdfCommand(io: Io, args: readonly string[], o: PdfOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (rest.length === 1) {
    const file = rest[0]!;
    if (sub === 'seal') return (await import('./pdf-seal.js')).pdfSealCommand(io, file, o);
    if (sub === 'verify') return (await import('./pdf-verify.js')).pdfVerifyCommand(io, file, o);
    if (sub === 'revisions') return (await import('./pdf-revisions.js')).pdfRevisionsCommand(io, file, o);
  }
  throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: USAGE } });
}
