/**
 * `@s3404/scor/file` — the Node-only file side of SCOR lots: atomic writes
 * of a lot container (complete or absent), packing a lot straight to a file
 * and verifying one on disk in bounded memory, and a file-drop transport for
 * development (SCOR-2, SCOR-3).
 *
 * @packageDocumentation
 */
export { writeLotFile, type WriteLotFileOptions } from './write-lot-file.js';
export { packLotFile, safePackLotFile, type PackLotFileOptions, type PackedLotFile, type PackLotFileResult } from './pack-lot-file.js';
export { verifyLotFile, type VerifyLotFileOptions } from './verify-lot-file.js';
export { FileDropTransport, type FileDropTransportOptions } from './file-drop-transport.js';
