import type { Locale } from '@s3404/core';
import { listPdfRevisions } from '@s3404/form/pdf';
import { readPemCertificates } from '@s3404/seal';
import { verifyPdfSeal, type PdfSealVerdict, type PdfSignatureStatus } from '@s3404/seal/pdf';
import { readInput, readText, securityClock, type Io } from '../io.js';
import { line, printIssues, printJson } from '../output.js';
import type { PdfOptions } from './pdf-options.js';
import { trustAnchorsOf } from './signing-keys.js';

const STATUS: Readonly<Record<PdfSignatureStatus, { readonly fr: string; readonly en: string; readonly mark: string }>> = {
  passed: { fr: 'valide (passed)', en: 'passed', mark: '✓' },
  failed: { fr: 'invalide (failed)', en: 'failed', mark: '✗' },
  indeterminate: { fr: 'indéterminée (indeterminate)', en: 'indeterminate', mark: '?' },
};

/** Revision kinds of the verdict; a kind this table does not know yet is printed as the verifier names it. */
const KIND: Readonly<Partial<Record<string, { readonly fr: string; readonly en: string }>>> = {
  original: { fr: 'document d’origine (original)', en: 'original document' },
  'sdk-signature': { fr: 'signature manuscrite apposée (sdk-signature)', en: 'handwritten signature placed (sdk-signature)' },
  signature: { fr: 'signature (signature)', en: 'signature' },
  dss: { fr: 'données de validation (dss)', en: 'validation data (dss)' },
  other: { fr: 'autre modification (other)', en: 'other change' },
};

/**
 * `s3404 pdf verify FILE.pdf --trust CA.pem [--tsa-trust CA.pem]` (SIG-3,
 * SIG-5): every PAdES signature of the PDF and every revision added after
 * it. Exit 0 when the verdict is `passed`, 1 when `failed` or
 * `indeterminate` (with its codes), 2 when the file cannot be read as a PDF.
 */
export async function pdfVerifyCommand(io: Io, file: string, o: PdfOptions): Promise<number> {
  const { locale } = o;
  const pdf = await readInput(io, file);
  const trustAnchors = await trustAnchorsOf(io, o.trust, locale);
  const tsaTrustAnchors = o.tsaTrust === undefined ? undefined : readPemCertificates(await readText(io, o.tsaTrust), { locale });
  // A file that is no PDF is unreadable input (exit 2), not a negative verdict: the same strict reader says so first.
  listPdfRevisions(pdf, { locale });
  const at = securityClock(io);
  const verdict = await verifyPdfSeal(pdf, { trustAnchors, ...(tsaTrustAnchors === undefined ? {} : { tsaTrustAnchors }), now: () => at, locale });
  if (o.json) printJson(io, { file, ...verdict });
  else printVerdict(io, file, verdict, locale);
  return verdict.ok ? 0 : 1;
}

function printVerdict(io: Io, file: string, v: PdfSealVerdict, locale: Locale): void {
  const en = locale === 'en';
  const s = STATUS[v.status];
  io.stdout(line(locale, `${file} : ${s.fr}, ${v.signatures.length} signature(s)`, `${file}: ${s.en}, ${v.signatures.length} signature(s)`));
  for (const sig of v.signatures) {
    const st = STATUS[sig.status];
    const parts = [`${st.mark} ${sig.field}`, `${en ? st.en : st.fr}${sig.subIndication === undefined ? '' : ` ${sig.subIndication}`}`];
    parts.push(en ? `revision ${sig.revision}` : `révision ${sig.revision}`);
    if (sig.level !== undefined) parts.push(`PAdES ${sig.level}`);
    if (sig.signer !== undefined) parts.push(sig.signer.subject);
    if (sig.signingTime !== undefined) parts.push(en ? `signed ${sig.signingTime}` : `signée le ${sig.signingTime}`);
    parts.push(
      sig.timestamp === undefined
        ? en
          ? 'no time-stamp'
          : 'sans horodatage'
        : en
          ? `time-stamped ${sig.timestamp.genTime} (${sig.timestamp.tsaSubject})`
          : `horodatée le ${sig.timestamp.genTime} (${sig.timestamp.tsaSubject})`,
    );
    if (sig.code !== undefined) parts.push(`[${sig.code}]`);
    io.stdout(`  ${parts.join(' — ')}\n`);
  }
  io.stdout(line(locale, 'Révisions :', 'Revisions:'));
  for (const r of v.revisions) {
    const k = KIND[r.kind];
    const kind = k === undefined ? r.kind : en ? k.en : k.fr;
    // An SDK signature revision names its slot and sealed record; an `other` one, what gave it away.
    const { slot, recordId } = r as { readonly slot?: string; readonly recordId?: string };
    const about = [
      r.detail,
      slot === undefined ? undefined : `${en ? 'slot' : 'case'} ${slot}`,
      recordId === undefined ? undefined : `${en ? 'record' : 'enregistrement'} ${recordId}`,
    ]
      .filter((x) => x !== undefined)
      .join(', ');
    io.stdout(`  ${r.index} ${kind}${about === '' ? '' : ` (${about})`}\n`);
  }
  if (v.issues.length > 0) {
    io.stdout(line(locale, 'Problèmes :', 'Issues:'));
    printIssues(io, v.issues, locale);
  }
}
