/**
 * The one module that imports the PDF engine (@cantoo/pdf-lib, the maintained
 * fork of pdf-lib, and its fontkit). Everything else in `@s3404/form/pdf`
 * goes through these names, so the engine can be swapped in one place.
 */
export {
  PDFDocument,
  PDFPage,
  PDFFont,
  PDFName,
  PDFBool,
  PDFString,
  PDFHexString,
  PDFDict,
  PDFArray,
  PDFNumber,
  PDFObject,
  PDFRef,
  PDFRawStream,
  PDFStream,
  PDFContext,
  PDFForm,
  PDFTextField,
  PDFCheckBox,
  PDFSignature,
  CustomFontEmbedder,
  ParseSpeeds,
  TextAlignment,
  decodePDFRawStream,
  rgb,
} from '@cantoo/pdf-lib';
export type { PDFImage, PDFField } from '@cantoo/pdf-lib';
export { default as fontkit } from '@pdf-lib/fontkit';
