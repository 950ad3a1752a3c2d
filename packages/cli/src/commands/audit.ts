import { resolve } from 'node:path';
import type { Locale, TimeStamper, TimeStampVerifier } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { createAuditLog } from '@s3404/audit';
import type { CheckpointTime } from '@s3404/audit';
import { FileAuditStore, verifyLogFile, type FileVerifyReport } from '@s3404/audit/file';
import { createHttpTimeStamper, createTimeStampVerifier, readPemCertificates } from '@s3404/seal';
import { usage } from '../args.js';
import { CliError } from '../errors.js';
import { readText, requireRegularFile, securityClock, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import { signatureText } from '../signature-text.js';
import type { AuditOptions } from './audit-options.js';
import { contentSignerOf, contentVerifierOf } from './signing-keys.js';
import { STATE_TRACE } from './state-trace.js';

const USAGE =
  's3404 audit verify (FILE | --state DIR) [--trust CA.pem] [--tsa-trust CA.pem] [--strict] | s3404 audit export (FILE | --state DIR) --from DATE --to DATE --format jsonl|csv|ocsf -o OUT --cert CERT.pem --key KEY.pem | s3404 audit checkpoint (FILE | --state DIR) --cert CERT.pem --key KEY.pem [--tsa URL]';

/** `s3404 audit verify FILE | export … | checkpoint …` (AUD-2…AUD-4). */
export async function auditCommand(io: Io, args: readonly string[], o: AuditOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify' && rest.length <= 1) {
    const file = traceFile(io, rest[0], o);
    if (file.endsWith('.manifest.json')) {
      const { verifyExportCommand } = await import('./audit-export.js');
      return verifyExportCommand(io, file, o);
    }
    // The trace and its witness are opened by the audit package: refused here when they are not regular files.
    await requireRegularFile(io, file);
    await requireRegularFile(io, `${file}.checkpoint`, 'allowed');
    return verify(io, file, o);
  }
  // A checkpoint may start a trace (a missing file is created), never write into a FIFO or a device.
  if (sub === 'checkpoint' && rest.length <= 1) return checkpoint(io, await requireRegularFile(io, traceFile(io, rest[0], o), 'allowed'), o);
  if (sub === 'export' && rest.length <= 1) {
    const { exportCommand } = await import('./audit-export.js');
    // An export reads a trace that exists: a mistyped path is not an empty trace made on the spot.
    return exportCommand(io, await requireRegularFile(io, traceFile(io, rest[0], o)), o);
  }
  throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: USAGE } });
}

function traceFile(io: Io, file: string | undefined, o: AuditOptions): string {
  if ((file === undefined) === (o.state === undefined))
    throw usage({ fr: 'indiquez le fichier de traces ou --state DIR (un seul des deux)', en: 'give the trace file or --state DIR (one of them)' });
  return file !== undefined ? resolve(io.cwd, file) : resolve(io.cwd, o.state!, STATE_TRACE);
}

/**
 * `--tsa-trust CA.pem`, or `--trust CA.pem` without it: the anchors the
 * checkpoints' RFC 3161 tokens are checked against (AUD-2); none without either.
 */
async function timeStampVerifierOf(io: Io, o: AuditOptions): Promise<TimeStampVerifier | undefined> {
  const file = o.tsaTrust ?? o.trust;
  if (file === undefined) return undefined;
  return createTimeStampVerifier({ trust: readPemCertificates(await readText(io, file), { locale: o.locale }), locale: o.locale });
}

async function verify(io: Io, file: string, o: AuditOptions): Promise<number> {
  const at = securityClock(io);
  const verifier = await contentVerifierOf(io, o.trust, o.locale, at);
  const timeStampVerifier = await timeStampVerifierOf(io, o);
  const report = await verifyLogFile(file, {
    strict: o.strict,
    locale: o.locale,
    now: () => at,
    ...(verifier === undefined ? {} : { verifier }),
    ...(timeStampVerifier === undefined ? {} : { timeStampVerifier }),
  });
  if (o.json) printJson(io, { file, ...report });
  else io.stdout(describe(report, o.locale));
  return report.ok ? 0 : 1;
}

function describe(r: FileVerifyReport, locale: Locale): string {
  const fr = locale !== 'en';
  const out: string[] = [];
  const d = r.damage;
  if (r.ok)
    out.push(
      line(
        locale,
        `Trace intègre : ${r.events} événements, séquences ${r.firstSeq ?? '-'} à ${r.lastSeq ?? '-'}.`,
        `Trace intact: ${r.events} events, sequences ${r.firstSeq ?? '-'} to ${r.lastSeq ?? '-'}.`,
      ),
    );
  else if (d !== null)
    out.push(
      line(
        locale,
        `Trace endommagée : ${d.kind} à la séquence ${d.seq} — [${d.code}] ${d.message}`,
        `Trace damaged: ${d.kind} at sequence ${d.seq} — [${d.code}] ${d.message}`,
      ),
    );
  // Every other issue too (a damaged witness, a second fault): none is hidden behind the first damage.
  for (const i of r.issues)
    if (d === null || i.code !== d.code) out.push(line(locale, `Trace endommagée : [${i.code}] ${i.message}`, `Trace damaged: [${i.code}] ${i.message}`));
  const after = r.unsealed > 0 ? (fr ? `, ${r.unsealed} événement(s) après le dernier` : `, ${r.unsealed} event(s) after the last one`) : '';
  const sig = r.checkpoints === 0 ? (fr ? 'aucun point de contrôle' : 'no checkpoint') : signatureText(r.signatures, locale, { several: true, hint: true });
  out.push(line(locale, `  points de contrôle : ${r.checkpoints} (${sig})${after}`, `  checkpoints: ${r.checkpoints} (${sig})${after}`));
  const p = r.purge;
  if (r.start === 'checkpoint' && p !== null)
    out.push(
      line(
        locale,
        `  début : purge de conservation des séquences ${p.firstSeq} à ${p.lastSeq} (événements antérieurs au ${p.before}, conservation ${p.retentionMonths} mois), tracée à la séquence ${p.seq} et scellée au point de contrôle ${p.sealedBy}`,
        `  start: retention purge of sequences ${p.firstSeq} to ${p.lastSeq} (events before ${p.before}, retention ${p.retentionMonths} months), traced at sequence ${p.seq} and sealed by checkpoint ${p.sealedBy}`,
      ),
    );
  for (const c of r.checkpointTimes) out.push(timeSourceText(c, locale));
  if (r.witness !== null) out.push(line(locale, `  témoin : point de contrôle ${r.witness.seq}`, `  witness: checkpoint ${r.witness.seq}`));
  else if (r.witnessStatus === 'invalid') out.push(line(locale, '  témoin : illisible (voir ci-dessus)', '  witness: unreadable (see above)'));
  else if (r.witnessStatus === 'absent')
    out.push(line(locale, '  témoin : absent (une troncature de la fin ne peut pas être exclue)', '  witness: absent (a cut at the end cannot be ruled out)'));
  if (r.head !== null) out.push(line(locale, `  tête : ${r.lastSeq} ${r.head}`, `  head: ${r.lastSeq} ${r.head}`));
  return out.join('');
}

/** What dates one checkpoint's signature (AUD-2): a verified RFC 3161 token, an unchecked one, or the signer's clock only. */
function timeSourceText(c: CheckpointTime, locale: Locale): string {
  const s = c.source;
  switch (s.kind) {
    case 'tsa':
      return line(
        locale,
        `  point de contrôle ${c.seq} : horodaté ${s.genTime} par ${s.tsa} (jeton RFC 3161 vérifié)`,
        `  checkpoint ${c.seq}: time-stamped ${s.genTime} by ${s.tsa} (RFC 3161 token verified)`,
      );
    case 'tsa-unchecked':
      return line(
        locale,
        `  point de contrôle ${c.seq} : jeton d'horodatage non vérifié (donnez --tsa-trust CA.pem ou --trust CA.pem)`,
        `  checkpoint ${c.seq}: time-stamp token not checked (give --tsa-trust CA.pem or --trust CA.pem)`,
      );
    case 'signer-clock': {
      const when = s.signedAt === undefined ? '' : ` (${s.signedAt})`;
      const missed =
        s.timestampError === undefined ? '' : locale === 'en' ? `; the TSA failed: ${s.timestampError}` : ` ; l'horodatage a échoué : ${s.timestampError}`;
      return line(
        locale,
        `  point de contrôle ${c.seq} : daté par l'horloge du signataire seule${when}, sans horodatage${missed}`,
        `  checkpoint ${c.seq}: dated by the signer's clock only${when}, not time-stamped${missed}`,
      );
    }
  }
}

/** `--tsa URL` of `audit checkpoint`: an RFC 3161 time-stamping authority over HTTP (AUD-2). */
async function timestamperOf(o: AuditOptions): Promise<TimeStamper | undefined> {
  if (o.tsa === undefined) return undefined;
  const { tsaUrl } = await import('./pdf-seal.js');
  return createHttpTimeStamper({ url: tsaUrl(o.tsa), locale: o.locale });
}

async function checkpoint(io: Io, file: string, o: AuditOptions): Promise<number> {
  const at = securityClock(io);
  const signer = await contentSignerOf(io, o, at);
  const timestamper = await timestamperOf(o);
  const log = createAuditLog({
    store: await FileAuditStore.open({ path: file, locale: o.locale }),
    signer,
    ...(timestamper === undefined ? {} : { timestamper }),
    sha256: nodeSha256,
    now: () => at,
    locale: o.locale,
  });
  try {
    const e = await log.checkpoint();
    if (o.json) printJson(io, { checkpoint: e === null ? null : { seq: e.seq, hash: e.hash, firstSeq: e.subject.firstSeq, lastSeq: e.subject.lastSeq } });
    else if (e === null) io.stdout(line(o.locale, 'Rien de nouveau depuis le dernier point de contrôle.', 'Nothing new since the last checkpoint.'));
    else
      io.stdout(
        line(
          o.locale,
          `Point de contrôle scellé : séquence ${e.seq} (${e.subject.firstSeq}–${e.subject.lastSeq})`,
          `Checkpoint sealed: sequence ${e.seq} (${e.subject.firstSeq}–${e.subject.lastSeq})`,
        ),
      );
    return 0;
  } finally {
    await log.close();
  }
}
