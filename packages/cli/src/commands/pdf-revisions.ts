import { extractPdfRevision, listPdfRevisions } from '@s3404/form/pdf';
import { badValue, need, together } from '../args.js';
import { readInput, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import type { PdfOptions } from './pdf-options.js';

/**
 * `s3404 pdf revisions FILE.pdf [--extract N -o OUT.pdf]` (FORM-6, SIG-5):
 * the revisions of a PDF — the document as rendered, then each incremental
 * update (a signature placed, a seal, validation data) — and the bytes
 * appended after the last `%%EOF`; `--extract N` writes the document as it
 * was at revision N, byte for byte (`ERR_PDF_REVISION_NOT_FOUND`, exit 2,
 * when there is no such revision).
 */
export async function pdfRevisionsCommand(io: Io, file: string, o: PdfOptions): Promise<number> {
  const { locale } = o;
  let extract: { readonly revision: number; readonly out: string } | undefined;
  if (o.extract !== undefined) {
    if (!/^\d{1,6}$/.test(o.extract)) throw badValue('--extract', { fr: 'un numéro de révision (1, 2, …)', en: 'a revision number (1, 2, …)' }, o.extract);
    extract = { revision: Number(o.extract), out: need(o.out, '-o') };
  } else if (o.out !== undefined) throw together('-o', '--extract');
  const pdf = await readInput(io, file);
  const { revisions, trailingBytes } = listPdfRevisions(pdf, { locale });
  let extracted: { revision: number; out: string; bytes: number } | undefined;
  if (extract !== undefined) {
    const bytes = extractPdfRevision(pdf, extract.revision, { locale });
    extracted = { revision: extract.revision, out: await writeOutput(io, extract.out, bytes), bytes: bytes.length };
  }
  if (o.json) {
    printJson(io, {
      file,
      revisions: revisions.map((r) => ({ ...r, objectCount: r.objects.length })),
      trailingBytes,
      ...(extracted === undefined ? {} : { extracted }),
    });
    return 0;
  }
  io.stdout(line(locale, `${file} : ${revisions.length} révision(s)`, `${file}: ${revisions.length} revision(s)`));
  for (const r of revisions)
    io.stdout(
      line(
        locale,
        `  ${r.index}  ${r.byteLength} octets (+${r.addedBytes}), ${r.objects.length} objet(s), xref ${r.xref}`,
        `  ${r.index}  ${r.byteLength} bytes (+${r.addedBytes}), ${r.objects.length} object(s), xref ${r.xref}`,
      ),
    );
  io.stdout(line(locale, `Octets après le dernier %%EOF : ${trailingBytes}`, `Bytes after the last %%EOF: ${trailingBytes}`));
  if (extracted !== undefined)
    io.stdout(
      line(
        locale,
        `Révision ${extracted.revision} (${extracted.bytes} octets) → ${extracted.out}`,
        `Revision ${extracted.revision} (${extracted.bytes} bytes) → ${extracted.out}`,
      ),
    );
  return 0;
}
