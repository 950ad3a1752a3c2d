import { sha256 } from '@noble/hashes/sha2.js';
import { PDFHexString, PDFName, PDFString, type PDFDocument } from './engine.js';

export const PRODUCER = 's3404 SDK (@s3404/form) with @cantoo/pdf-lib';

export interface DocumentInfo {
  readonly title: string;
  readonly subject: string;
  readonly author: string;
  readonly keywords: readonly string[];
  readonly created: Date;
  /** Seed of the file identifier: the same seed gives the same /ID. */
  readonly idSeed: string;
}

/**
 * Sets the document metadata (title, identifier, creation date…), a file
 * identifier derived from the content, the language, and — when asked — the
 * PDF/A-2b structure (XMP packet, sRGB output intent) (FORM-7).
 */
export function setDocumentInfo(doc: PDFDocument, info: DocumentInfo, pdfa: boolean): void {
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  doc.setSubject(info.subject);
  doc.setAuthor(info.author);
  doc.setKeywords([...info.keywords]);
  doc.setCreator('s3404 SDK');
  doc.setProducer(PRODUCER);
  doc.setCreationDate(info.created);
  doc.setModificationDate(info.created);
  doc.catalog.set(PDFName.of('Lang'), PDFString.of('fr-FR'));
  const id = PDFHexString.fromBytes(sha256(new TextEncoder().encode(info.idSeed)).slice(0, 16));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  if (pdfa) doc.convertToPDFA({ conformance: '2B' });
}
