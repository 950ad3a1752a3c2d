import type { Locale } from '@s3404/core';
import { createDevelopmentTsa } from '@s3404/seal';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { createPdfSealer, verifyPdfSeal, type PadesLevel, type PdfSignatureStatus } from '@s3404/seal/pdf';
import { CliError } from '../errors.js';

/** What the demo's summary says of one bordereau's PAdES seal. */
export interface DemoPades {
  readonly level: PadesLevel;
  readonly status: PdfSignatureStatus;
}

/** The establishment's PAdES seal in the demo: seals a fully signed bordereau, then verifies it. */
export interface DemoPdfSealer {
  seal(pdf: Uint8Array, subject: { readonly name: string }): Promise<DemoPades & { readonly pdf: Uint8Array }>;
}

/**
 * The demo clinic's PAdES seal (SIG-3, SIG-5): the development PKI's seal
 * key, time-stamped B-T by an in-process development TSA on the same PKI's
 * TSA certificate, each sealed PDF verified at once with `verifyPdfSeal`
 * against the demo's CA. A seal that does not verify stops the demo with
 * `ERR_DEMO_PDF_SEAL` (exit 1): the demo never writes a bordereau it cannot
 * vouch for. (Not traced: the audit log's actions have no PAdES seal yet.)
 */
export async function demoPdfSealer(o: { pki: DevelopmentPki; now: () => Date; locale: Locale }): Promise<DemoPdfSealer> {
  const { pki, now, locale } = o;
  const tsa = await createDevelopmentTsa({ certificate: pki.tsa.certificate, key: pki.tsa.privateKey, now, locale });
  const sealer = await createPdfSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, timestamper: tsa.stamper, now, locale });
  const trustAnchors = [pki.ca.certificate];
  return {
    async seal(pdf, subject) {
      const sealed = await sealer.seal(pdf);
      const verdict = await verifyPdfSeal(sealed.pdf, { trustAnchors, now, locale });
      const first = verdict.issues[0];
      if (!verdict.ok) {
        throw new CliError('ERR_DEMO_PDF_SEAL', {
          params: { file: subject.name, status: verdict.status, code: first?.code ?? verdict.status, detail: first?.message ?? verdict.status },
        });
      }
      return { pdf: sealed.pdf, level: sealed.level, status: verdict.status };
    },
  };
}
