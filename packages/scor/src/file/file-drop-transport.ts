import { join, resolve } from 'node:path';
import type { LotTransmission, Transport, TransportReceipt } from '../lot/transport.js';
import { writeLotFile } from './write-lot-file.js';

/** Options of {@link FileDropTransport} (SCOR-3). @public */
export interface FileDropTransportOptions {
  /** The drop directory; created if missing. */
  readonly dir: string;
}

/**
 * A development transport (SCOR-3, X-4): each attempt writes the lot's
 * container atomically (`writeFileAtomic` of `@s3404/core/node`, through
 * {@link writeLotFile}) to `DIR/<lotId>/attempt-<n>/<fileName>`, where a
 * developer (or a test) picks it up. It never reaches the Assurance
 * Maladie: in production, the vendor's approved transmission module
 * implements {@link Transport}. Node only.
 *
 * `import { FileDropTransport } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const lots = createLotManager({ store, transport: new FileDropTransport({ dir: 'out/scor-outbox' }) })
 * ```
 * @public
 */
export class FileDropTransport implements Transport {
  readonly id = 'file-drop';
  readonly dir: string;

  constructor(options: FileDropTransportOptions) {
    if (options === null || typeof options !== 'object' || typeof options.dir !== 'string' || options.dir === '')
      throw new TypeError('FileDropTransport: dir is required');
    this.dir = resolve(options.dir);
  }

  async send(lot: LotTransmission): Promise<TransportReceipt> {
    const safe = (s: string): string => s.replace(/[^0-9A-Za-z._-]/g, '_').slice(0, 128);
    const relative = join(safe(lot.lotId), `attempt-${lot.attempt}`, safe(lot.fileName));
    await writeLotFile(join(this.dir, relative), lot.bytes);
    return { reference: relative };
  }
}
