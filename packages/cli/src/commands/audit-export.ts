import type { Io } from '../io.js';
import { UsageError } from '../io.js';
import type { AuditOptions } from './audit.js';

/** `s3404 audit export …` (AUD-4). */
export async function exportCommand(_io: Io, _file: string, _o: AuditOptions): Promise<number> {
  throw new UsageError('audit export : en cours');
}

/** `s3404 audit verify FILE.manifest.json` (AUD-4). */
export async function verifyExportCommand(_io: Io, _file: string, _o: AuditOptions): Promise<number> {
  throw new UsageError('audit verify MANIFESTE : en cours');
}
