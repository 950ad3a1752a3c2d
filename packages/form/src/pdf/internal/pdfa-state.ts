import { PDFName, PDFRawStream, decodePDFRawStream, type PDFDocument } from './engine.js';

type Conformance = '1B' | '2B' | '2U' | '3B' | '3U';

/**
 * The PDF/A level a document declares in its XMP (`pdfaid:part` and
 * `pdfaid:conformance`), so a modified document can keep it (FORM-7).
 */
export function readCatalogConformance(doc: PDFDocument): Conformance | undefined {
  const stream = doc.catalog.lookup(PDFName.of('Metadata'));
  if (!(stream instanceof PDFRawStream)) return undefined;
  let xml: string;
  try {
    xml = new TextDecoder().decode(decodePDFRawStream(stream).decode());
  } catch {
    return undefined;
  }
  const part = /pdfaid:part(?:>|=")\s*(\d)/.exec(xml)?.[1];
  const level = /pdfaid:conformance(?:>|=")\s*([ABU])/.exec(xml)?.[1];
  const value = `${part ?? ''}${level ?? ''}`;
  return (['1B', '2B', '2U', '3B', '3U'] as const).find((c) => c === value);
}
