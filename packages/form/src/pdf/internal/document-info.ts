import { sha256 } from '@noble/hashes/sha2.js';
import type { Bordereau } from '../../model/bordereau.js';
import { formatDateFr } from '../../format.js';
import { PDFHexString, PDFName, PDFString, type PDFDocument } from './engine.js';

export const PRODUCER = 's3404 SDK (@s3404/form) with @cantoo/pdf-lib';

export interface DocumentInfo {
  readonly bordereau: Bordereau;
  readonly contentHash: string;
  /** What produced the pages (the layout template, or the vendor's form), for the keywords. */
  readonly source: string;
  readonly created: Date;
  /** Seed of the file identifier: the same seed gives the same /ID. */
  readonly idSeed: string;
}

/**
 * Sets the document metadata of a bordereau PDF — title with its identifier,
 * subject (invoice, date, FINESS), author (the establishment), keywords with
 * the identifier and content hash, creation date — a file identifier derived
 * from the content, the language, and, when asked, the PDF/A-2b structure
 * (XMP packet, sRGB output intent) (FORM-7).
 */
export function setDocumentInfo(doc: PDFDocument, info: DocumentInfo, pdfa: boolean): void {
  const b = info.bordereau;
  doc.setTitle(`Bordereau S3404 ${b.id}`, { showInWindowTitleBar: true });
  doc.setSubject(`Bordereau de facturation S3404 — facture n° ${b.invoiceNumber} du ${formatDateFr(b.issuedOn)} — FINESS ${b.establishment.finess}`);
  doc.setAuthor(b.establishment.name);
  doc.setKeywords(['S3404', `id:${b.id}`, `sha256:${info.contentHash}`, info.source]);
  doc.setCreator('s3404 SDK');
  doc.setProducer(PRODUCER);
  doc.setCreationDate(info.created);
  doc.setModificationDate(info.created);
  doc.catalog.set(PDFName.of('Lang'), PDFString.of('fr-FR'));
  const id = PDFHexString.fromBytes(sha256(new TextEncoder().encode(info.idSeed)).slice(0, 16));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  if (pdfa) doc.convertToPDFA({ conformance: '2B' });
}
