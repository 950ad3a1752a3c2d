/**
 * `@s3404/core/pdf` — the SDK's low-level PDF syntax (ISO 32000-1 §7.2–§7.3),
 * shared by the packages that read PDF files byte by byte: a bounded lexer,
 * a parser of objects into plain values, and the reading budget that keeps
 * every read of a hostile file finite (X-1, X-2). Pure and runtime-agnostic;
 * no filters (they live with the packages that decode streams).
 *
 * It is plumbing for `@s3404/form`, `@s3404/seal` and `@s3404/scor`; vendors
 * use those packages' functions, not this entry.
 *
 * @packageDocumentation
 */
export { Budget, DEFAULT_READ_LIMITS, PdfReadError, type PdfReadFailure, type ReadLimits } from './budget.js';
export {
  ascii,
  CHAR_CLASS,
  hasKeyword,
  indexOfBytes,
  lastIndexOfBytes,
  Lexer,
  nextIsKeyword,
  skipOpaque,
  T_ACLOSE,
  T_AOPEN,
  T_DCLOSE,
  T_DOPEN,
  T_EOF,
  T_KW,
  T_NAME,
  T_NUM,
  T_STR,
} from './lexer.js';
export { decodeHex, hexDigit, isDict, isName, isNumber, PdfName, PdfRef, PdfStream, PdfString, type PdfDict, type PdfValue } from './objects.js';
export { NameTable, parseDict, parseValue } from './parser.js';
export { undoPredictor } from './predictor.js';
