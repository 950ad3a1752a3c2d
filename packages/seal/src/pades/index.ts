/**
 * `@s3404/seal/pdf` — the establishment's PAdES baseline seal of a finished
 * bordereau PDF and its verification (SIG-3, SIG-5; ETSI EN 319 142-1):
 * B-B, B-T with an RFC 3161 time-stamp, B-LT with a DSS; every seal an
 * incremental update; later revisions found and classified. Runtime-agnostic
 * (Web Crypto, Uint8Array).
 *
 * @packageDocumentation
 */
export { createPdfSealer, type PdfSealer, type PdfSealerOptions, type SealPdfOptions, type SealedPdf, type PadesLevel } from './seal-pdf.js';
export type { RevocationData } from './dss.js';
export {
  verifyPdfSeal,
  type VerifyPdfSealOptions,
  type PdfSealVerdict,
  type PdfSignatureVerdict,
  type PdfSignatureStatus,
  type LaterRevision,
} from './verify-pdf-seal.js';
export type { RevisionKind } from './classify-revision.js';
export { describePdfRevisions, type RevisionReport } from './describe-revisions.js';
export {
  checkBordereauRevisions,
  type BordereauRevisionVerdict,
  type CheckBordereauRevisionsOptions,
} from './check-bordereau-revisions.js';
