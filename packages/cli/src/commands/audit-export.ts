import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { createAuditLog, exportEvents, parsePeriod, sealCheckpointSigner, verifyExport, EXPORT_FORMATS, type ExportFormat } from '@s3404/audit';
import { AuditError } from '@s3404/audit/errors';
import { FileAuditStore, nodeSha256 } from '@s3404/audit/file';
import { UsageError, clockFrom, readInput, writeAtomic, type Io } from '../io.js';
import { printJson } from '../output.js';
import { checkpointVerifierOf, type AuditOptions } from './audit.js';
import { need, text } from './record.js';

/**
 * `s3404 audit export (FILE | --state DIR) --from DATE --to DATE --format
 * jsonl|csv|ocsf -o OUT --cert PEM --key PEM [--bom]` (AUD-4): writes OUT,
 * OUT.manifest.json and OUT.manifest.p7s, and traces the export in the log.
 */
export async function exportCommand(io: Io, file: string, o: AuditOptions): Promise<number> {
  const format = need(o.format, '--format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format attend jsonl, csv ou ocsf (reçu ${format.slice(0, 20)})`);
  const out = need(o.out, '-o');
  let period;
  try {
    period = parsePeriod(need(o.from, '--from'), need(o.to, '--to'), o.locale);
  } catch (e) {
    if (e instanceof AuditError) throw new UsageError(e.message);
    throw e;
  }
  const certificate = readPemCertificates(text(io, need(o.cert, '--cert')), { locale: o.locale });
  const key = readPemPrivateKey(text(io, need(o.key, '--key')), { locale: o.locale });
  const now = clockFrom(io);
  const signer = await sealCheckpointSigner({ key, certificate: certificate[0]!, chain: certificate.slice(1), now: () => now, locale: o.locale });
  const log = createAuditLog({ store: await FileAuditStore.open({ path: file, locale: o.locale }), sha256: nodeSha256, now: () => now, locale: o.locale });
  try {
    const target = resolve(io.cwd, out);
    const result = await exportEvents(log.read(), { format: format as ExportFormat, from: period.from, to: period.to, bom: o.bom, signer, now: () => now, sha256: nodeSha256, locale: o.locale, fileName: basename(target) });
    const written = writeAtomic(io, target, result.data);
    const manifestPath = writeAtomic(io, `${target}.manifest.json`, result.manifestBytes);
    writeAtomic(io, `${target}.manifest.p7s`, result.signature);
    await log.append({ action: 'audit.export', actor: { personId: 'service', role: 'auditor', terminalId: 's3404-cli' }, subject: { exportId: result.manifest.exportId }, outcome: 'success', count: result.manifest.counts.events, reason: `${format} ${period.from.toISOString()} → ${period.to.toISOString()}` });
    const fr = o.locale === 'fr';
    if (o.json) printJson(io, { exported: true, out: written, manifest: manifestPath, signature: `${manifestPath.slice(0, -5)}.p7s`, events: result.manifest.counts.events, format });
    else io.stdout(`${fr ? 'Export' : 'Export'} ${format} : ${result.manifest.counts.events} ${fr ? 'événements' : 'events'} → ${written}\n  ${fr ? 'manifeste signé' : 'signed manifest'} : ${manifestPath} (+ .p7s)\n`);
    return 0;
  } finally {
    await log.close();
  }
}

/** `s3404 audit verify FILE.manifest.json [--trust CA.pem]` (AUD-4): 0 valid, 1 not. */
export async function verifyExportCommand(io: Io, file: string, o: AuditOptions): Promise<number> {
  const manifestBytes = readInput(io, file);
  const signature = readInput(io, `${file.slice(0, -'.json'.length)}.p7s`);
  let names: string[] = [];
  try {
    names = ((JSON.parse(new TextDecoder().decode(manifestBytes)) as { files?: { name?: unknown }[] }).files ?? []).map((f) => String(f.name));
  } catch {
    names = [];
  }
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    if (name !== basename(name)) continue;
    try {
      files[name] = readFileSync(join(dirname(file), name));
    } catch {
      // reported as missing by verifyExport
    }
  }
  const verifier = checkpointVerifierOf(io, o);
  const report = await verifyExport({ manifestBytes, signature, files, sha256: nodeSha256, locale: o.locale, ...(verifier === undefined ? {} : { verifier }) });
  const fr = o.locale === 'fr';
  if (o.json) printJson(io, report);
  else {
    io.stdout(report.valid ? `${fr ? 'Export valide' : 'Valid export'} : ${report.events} ${fr ? 'événements' : 'events'}, ${fr ? 'signature' : 'signature'} ${report.signature}\n` : `${fr ? 'Export invalide' : 'Invalid export'} :\n`);
    for (const p of report.problems) io.stdout(`  ✗ [${p.code}] ${p.message}\n`);
  }
  return report.valid ? 0 : 1;
}
