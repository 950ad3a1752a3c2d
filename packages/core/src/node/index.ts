/**
 * `@s3404/core/node` — the Node-only helpers shared by the CLI and the
 * packages' file stores: the one atomic file writer, the one cross-process
 * file lock, a bounded file reader, Node's native SHA-256 (X-2), and the
 * start of a package's worker thread.
 *
 * @packageDocumentation
 */
export { writeFileAtomic, type WriteFileAtomicOptions } from './write-file-atomic.js';
export { acquireFileLock, withFileLock, type FileLockOptions, type FileLockStep, type ReleaseFileLock } from './file-lock.js';
export { FileLease, type FileLeaseOptions } from './file-lease.js';
export { ensureDirectory, type EnsureDirectoryOptions } from './ensure-directory.js';
export { readFileBounded, type ReadFileBoundedOptions } from './read-file-bounded.js';
export { openRegularFile, syncDirectory } from './open-regular-file.js';
export { nodeSha256 } from './node-sha256.js';
export { startModuleWorker } from './start-module-worker.js';
