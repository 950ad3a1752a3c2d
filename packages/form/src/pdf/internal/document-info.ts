import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '@s3404/core';
import { zlibSync } from 'fflate';
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
  if (pdfa) withRecurringIccProfile(doc, () => doc.convertToPDFA({ conformance: '2B' }));
}

/** The engine's sRGB profile (its own array, returned on every call) and its zlib compression, made once per process. */
let profile: { readonly source: Uint8Array; readonly copy: Uint8Array; readonly compressed: Uint8Array } | undefined;

/**
 * Runs `convert` (the engine's PDF/A conversion) with the sRGB output intent's
 * profile compressed once per process (issue 19): the engine compresses its
 * 3 KB profile with fflate's default level for every document; the same
 * compression of the same bytes is made once and reused — the PDF's bytes
 * are unchanged. A profile that is not byte for byte the one remembered is
 * compressed by the engine as before.
 */
function withRecurringIccProfile(doc: PDFDocument, convert: () => void): void {
  const context = doc.context;
  const flateStream = context.flateStream;
  context.flateStream = (contents, dict = {}) => {
    if (!(contents instanceof Uint8Array) || dict.N !== 3) return flateStream.call(context, contents, dict);
    if (profile === undefined || profile.source !== contents || !bytesEqual(profile.copy, contents)) {
      profile = { source: contents, copy: contents.slice(), compressed: zlibSync(contents) };
    }
    return context.stream(profile.compressed, { ...dict, Filter: 'FlateDecode' });
  };
  try {
    convert();
  } finally {
    context.flateStream = flateStream;
  }
}
