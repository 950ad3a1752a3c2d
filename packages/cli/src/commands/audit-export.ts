import { basename, dirname, join } from 'node:path';
import { nodeSha256 } from '@s3404/core/node';
import { createAuditLog, exportEvents, parsePeriod, verifyExport, EXPORT_FORMATS, type ExportFormat } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { badValue, need, usage } from '../args.js';
import { prepareOutput, securityClock, readInput, writeOutputs, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import { signatureText } from '../signature-text.js';
import type { AuditOptions } from './audit-options.js';
import { contentSignerOf, contentVerifierOf } from './signing-keys.js';

/**
 * `s3404 audit export (FILE | --state DIR) --from DATE --to DATE --format
 * jsonl|csv|ocsf -o OUT --cert PEM --key PEM [--bom]` (AUD-4): writes OUT,
 * OUT.manifest.json and OUT.manifest.p7s, and traces the export in the log.
 */
export async function exportCommand(io: Io, file: string, o: AuditOptions): Promise<number> {
  const format = need(o.format, '--format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw badValue('--format', 'jsonl | csv | ocsf', format);
  const out = need(o.out, '-o');
  // ERR_AUDIT_PERIOD_INVALID is of kind input: exit 2, like any wrong value of the command line.
  const period = parsePeriod(need(o.from, '--from'), need(o.to, '--to'), { locale: o.locale });
  const at = securityClock(io);
  const now = (): Date => at;
  const signer = await contentSignerOf(io, o, at);
  // Checked before the export is made and traced: the data, OUT.manifest.json and OUT.manifest.p7s.
  const target = await prepareOutput(io, out);
  for (const extra of ['.manifest.json', '.manifest.p7s']) await prepareOutput(io, `${target}${extra}`);
  if (basename(target).startsWith('.'))
    throw usage({ fr: '-o : le nom du fichier exporté ne commence pas par un point', en: '-o: the exported file name does not start with a dot' });
  const log = createAuditLog({ store: await FileAuditStore.open({ path: file, locale: o.locale }), sha256: nodeSha256, now, locale: o.locale });
  try {
    const result = await exportEvents(log.read(), {
      format: format as ExportFormat,
      from: period.from,
      to: period.to,
      bom: o.bom,
      signer,
      now,
      sha256: nodeSha256,
      locale: o.locale,
      fileName: basename(target),
    });
    // The three files together or none: never an export without its signed manifest (X-2, AUD-4).
    const [written, manifestPath] = (await writeOutputs(io, [
      { path: target, bytes: result.data },
      { path: `${target}.manifest.json`, bytes: result.manifestBytes },
      { path: `${target}.manifest.p7s`, bytes: result.signature },
    ])) as [string, string, string];
    await log.append({
      action: 'audit.export',
      actor: { personId: 'service', role: 'auditor', terminalId: 's3404-cli' },
      subject: { exportId: result.manifest.exportId },
      outcome: 'success',
      count: result.manifest.counts.events,
      reason: `${format} ${period.from.toISOString()} → ${period.to.toISOString()}`,
    });
    const events = result.manifest.counts.events;
    if (o.json) printJson(io, { exported: true, out: written, manifest: manifestPath, signature: `${manifestPath.slice(0, -5)}.p7s`, events, format });
    else {
      io.stdout(line(o.locale, `Export ${format} : ${events} événements → ${written}`, `Export ${format}: ${events} events → ${written}`));
      io.stdout(line(o.locale, `  manifeste signé : ${manifestPath} (+ .p7s)`, `  signed manifest: ${manifestPath} (+ .p7s)`));
    }
    return 0;
  } finally {
    await log.close();
  }
}

/** `s3404 audit verify FILE.manifest.json [--trust CA.pem]` (AUD-4): 0 valid, 1 not. */
export async function verifyExportCommand(io: Io, file: string, o: AuditOptions): Promise<number> {
  const manifestBytes = await readInput(io, file);
  const signature = await readInput(io, `${file.slice(0, -'.json'.length)}.p7s`);
  let names: string[] = [];
  try {
    names = ((JSON.parse(new TextDecoder().decode(manifestBytes)) as { files?: { name?: unknown }[] }).files ?? []).map((f) => String(f.name));
  } catch {
    names = []; // verifyExport reports the unreadable manifest
  }
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    if (name !== basename(name)) continue;
    try {
      files[name] = await readInput(io, join(dirname(file), name));
    } catch {
      // reported as missing by verifyExport
    }
  }
  const verifier = await contentVerifierOf(io, o.trust, o.locale, securityClock(io));
  const report = await verifyExport({ manifestBytes, signature, files, sha256: nodeSha256, locale: o.locale, ...(verifier === undefined ? {} : { verifier }) });
  if (o.json) printJson(io, report);
  else {
    const sig = signatureText(report.signature, o.locale, { several: false, hint: true });
    if (report.ok) io.stdout(line(o.locale, `Export valide : ${report.events} événements, ${sig}`, `Valid export: ${report.events} events, ${sig}`));
    else io.stdout(line(o.locale, 'Export invalide :', 'Invalid export:'));
    for (const p of report.issues) io.stdout(`  ✗ [${p.code}] ${p.message}\n`);
  }
  return report.ok ? 0 : 1;
}
