import { resolve } from 'node:path';
import type { Locale } from '@s3404/form/errors';
import { readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { createAuditLog, sealCheckpointSigner, sealCheckpointVerifier, type CheckpointVerifier, type VerifyReport } from '@s3404/audit';
import { FileAuditStore, nodeSha256, verifyLogFile } from '@s3404/audit/file';
import { UsageError, clockFrom, type Io } from '../io.js';
import { printJson } from '../output.js';
import { STATE_TRACE } from './state-trace.js';
import { need, text } from './record.js';

/** Options of `s3404 audit …` (AUD-2…AUD-4). */
export interface AuditOptions {
  readonly state?: string | undefined;
  readonly trust?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly out?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly format?: string | undefined;
  readonly bom: boolean;
  readonly strict: boolean;
  readonly json: boolean;
  readonly locale: Locale;
}

/** `s3404 audit verify FILE | export … | checkpoint …` (AUD-2…AUD-4). */
export async function auditCommand(io: Io, args: readonly string[], o: AuditOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify' && rest.length <= 1) return verify(io, traceFile(io, rest[0], o), o);
  if (sub === 'checkpoint' && rest.length <= 1) return checkpoint(io, traceFile(io, rest[0], o), o);
  if (sub === 'export' && rest.length <= 1) {
    const { exportCommand } = await import('./audit-export.js');
    return exportCommand(io, traceFile(io, rest[0], o), o);
  }
  throw new UsageError(
    'usage : s3404 audit verify (FICHIER | --state DIR) [--trust CA.pem] [--strict] | s3404 audit export (FICHIER | --state DIR) --from DATE --to DATE --format jsonl|csv|ocsf -o SORTIE --cert CERT.pem --key CLE.pem | s3404 audit checkpoint (FICHIER | --state DIR) --cert CERT.pem --key CLE.pem',
  );
}

function traceFile(io: Io, file: string | undefined, o: AuditOptions): string {
  if ((file === undefined) === (o.state === undefined)) throw new UsageError('indiquez le fichier de traces ou --state DIR (un seul des deux)');
  return file !== undefined ? resolve(io.cwd, file) : resolve(io.cwd, o.state!, STATE_TRACE);
}

export function checkpointVerifierOf(io: Io, o: AuditOptions): CheckpointVerifier | undefined {
  if (o.trust === undefined) return undefined;
  const now = clockFrom(io);
  return sealCheckpointVerifier({ trustAnchors: readPemCertificates(text(io, o.trust), { locale: o.locale }), now: () => now, locale: o.locale });
}

async function verify(io: Io, file: string, o: AuditOptions): Promise<number> {
  if (file.endsWith('.manifest.json')) {
    const { verifyExportCommand } = await import('./audit-export.js');
    return verifyExportCommand(io, file, o);
  }
  const checkpointVerifier = checkpointVerifierOf(io, o);
  const report = await verifyLogFile(file, { strict: o.strict, locale: o.locale, ...(checkpointVerifier === undefined ? {} : { checkpointVerifier }) });
  if (o.json) printJson(io, { file, ...report });
  else io.stdout(describe(report, o.locale === 'fr'));
  return report.intact ? 0 : 1;
}

function describe(r: VerifyReport & { witness: { seq: number } | null }, fr: boolean): string {
  const lines: string[] = [];
  if (r.intact) lines.push(fr ? `Trace intègre : ${r.events} événements, séquences ${r.firstSeq ?? '-'} à ${r.lastSeq ?? '-'}.` : `Trace intact: ${r.events} events, sequences ${r.firstSeq ?? '-'} to ${r.lastSeq ?? '-'}.`);
  else lines.push(fr ? `Trace endommagée : ${r.damage!.kind} à la séquence ${r.damage!.seq} — [${r.damage!.code}] ${r.damage!.message}` : `Trace damaged: ${r.damage!.kind} at sequence ${r.damage!.seq} — [${r.damage!.code}] ${r.damage!.message}`);
  const sig = { verified: fr ? 'signatures vérifiées' : 'signatures verified', unchecked: fr ? 'signatures non vérifiées (donnez --trust CA.pem)' : 'signatures not checked (give --trust CA.pem)', none: fr ? 'aucun point de contrôle' : 'no checkpoint' }[r.signatures];
  lines.push(`  ${fr ? 'points de contrôle' : 'checkpoints'} : ${r.checkpoints} (${sig})${r.unsealed > 0 ? `, ${r.unsealed} ${fr ? 'événement(s) après le dernier' : 'event(s) after the last one'}` : ''}`);
  if (r.start === 'checkpoint') lines.push(fr ? '  début ancré par un point de contrôle (purge de conservation)' : '  start anchored by a checkpoint (retention purge)');
  if (r.witness !== null) lines.push(fr ? `  témoin : point de contrôle ${r.witness.seq}` : `  witness: checkpoint ${r.witness.seq}`);
  if (r.head !== null) lines.push(`  ${fr ? 'tête' : 'head'} : ${r.lastSeq} ${r.head}`);
  return `${lines.join('\n')}\n`;
}

async function checkpoint(io: Io, file: string, o: AuditOptions): Promise<number> {
  const certificate = readPemCertificates(text(io, need(o.cert, '--cert')), { locale: o.locale });
  const key = readPemPrivateKey(text(io, need(o.key, '--key')), { locale: o.locale });
  const now = clockFrom(io);
  const signer = await sealCheckpointSigner({ key, certificate: certificate[0]!, chain: certificate.slice(1), now: () => now, locale: o.locale });
  const log = createAuditLog({ store: await FileAuditStore.open({ path: file, locale: o.locale }), signer, sha256: nodeSha256, now: () => now, locale: o.locale });
  try {
    const e = await log.checkpoint();
    const fr = o.locale === 'fr';
    if (o.json) printJson(io, { checkpoint: e === null ? null : { seq: e.seq, hash: e.hash, firstSeq: e.subject.firstSeq, lastSeq: e.subject.lastSeq } });
    else io.stdout(e === null ? (fr ? 'Rien de nouveau depuis le dernier point de contrôle.\n' : 'Nothing new since the last checkpoint.\n') : `${fr ? 'Point de contrôle scellé' : 'Checkpoint sealed'} : ${fr ? 'séquence' : 'sequence'} ${e.seq} (${e.subject.firstSeq}–${e.subject.lastSeq})\n`);
    return 0;
  } finally {
    await log.close();
  }
}
