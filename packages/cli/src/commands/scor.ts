import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { formatPath, type Locale } from '@s3404/form/errors';
import { readJson } from '@s3404/form';
import { createContentSealer, readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { checkPj, safePackLot, type PjPolicy, type PjReport, type ScorIssue } from '@s3404/scor';
import { writeLotFile } from '@s3404/scor/file';
import { UsageError, clockFrom, readInput, type Io } from '../io.js';
import { printJson } from '../output.js';
import { need, text } from './record.js';

/** Options of `s3404 scor …` (SCOR-1, SCOR-2). */
export interface ScorOptions {
  readonly minDpi?: string | undefined;
  readonly colour?: string | undefined;
  readonly strict: boolean;
  readonly out?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/** `s3404 scor check FILE.pdf | pack LOT.json -o OUT.zip` (SCOR-1, SCOR-2). */
export async function scorCommand(io: Io, args: readonly string[], o: ScorOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check' && rest.length === 1) return check(io, rest[0]!, o);
  if (sub === 'pack' && rest.length === 1) return pack(io, rest[0]!, o);
  throw new UsageError('usage : s3404 scor check FICHIER.pdf [--min-dpi N] [--colour grey|colour] [--strict] | s3404 scor pack LOT.json -o SORTIE.zip [--min-dpi N] [--cert CERT.pem --key CLE.pem]');
}

/** The PJ policy of the command line; a bad value is a usage error (exit 2). */
function policyOf(o: ScorOptions): PjPolicy {
  const policy: { minDpi?: number; colour?: 'grey' | 'colour'; strict?: boolean } = {};
  if (o.minDpi !== undefined) {
    const n = Number(o.minDpi);
    if (!/^\d{1,4}(\.\d+)?$/.test(o.minDpi) || n < 150 || n > 1200) throw new UsageError(`--min-dpi attend un nombre de 150 à 1200 (reçu ${o.minDpi.slice(0, 20)})`);
    policy.minDpi = n;
  }
  if (o.colour !== undefined) {
    if (o.colour !== 'grey' && o.colour !== 'colour') throw new UsageError(`--colour attend grey ou colour (reçu ${o.colour.slice(0, 20)})`);
    policy.colour = o.colour;
  }
  if (o.strict) policy.strict = true;
  return policy;
}

const COLOUR: Readonly<Record<string, { fr: string; en: string }>> = {
  grey: { fr: 'niveaux de gris', en: 'grey levels' },
  colour: { fr: 'couleur', en: 'colour' },
  bilevel: { fr: 'noir et blanc', en: 'black and white' },
  unknown: { fr: 'couleur indéterminée', en: 'unknown colour' },
};

function printPjIssues(io: Io, issues: readonly ScorIssue[], locale: Locale): void {
  for (const i of issues) io.stdout(`  ${i.severity === 'error' ? '✗' : '!'} ${formatPath(i.path, locale)} [${i.code}] ${i.message}\n`);
}

/** `s3404 scor check FILE.pdf`: exit 0 acceptable, 1 with issues, 2 unreadable file (SCOR-1). */
function check(io: Io, file: string, o: ScorOptions): number {
  const policy = policyOf(o);
  const report: PjReport = checkPj(readInput(io, file), { ...policy, locale: o.locale });
  const fr = o.locale === 'fr';
  if (o.json) printJson(io, { file, ...report });
  else {
    const pages = report.pageCount === null ? '' : ` — ${report.pageCount} page(s)${report.pdfVersion === null ? '' : `, PDF ${report.pdfVersion}`}`;
    io.stdout(`${file} : ${report.acceptable ? (fr ? 'PJ acceptable' : 'acceptable PJ') : fr ? 'PJ refusée' : 'PJ refused'}${pages}\n`);
    for (const p of report.pages) {
      const scans = p.images.filter((i) => i.scan);
      const imgs = scans.map((i) => `${i.name} ${i.widthPx}×${i.heightPx} px, ${Math.round(Math.min(i.dpiX, i.dpiY))} dpi, ${COLOUR[i.colour]![fr ? 'fr' : 'en']}`).join(' ; ');
      io.stdout(`  page ${p.index + 1} : ${p.widthMm} × ${p.heightMm} mm${imgs === '' ? (fr ? ', sans image numérisée' : ', no scanned image') : `, ${imgs}`}\n`);
    }
    if (report.s3404 !== null) io.stdout(`  S3404 ${report.s3404.bordereauId}${report.s3404.unsigned.length === 0 ? (fr ? ', signé' : ', signed') : fr ? `, non signé : ${report.s3404.unsigned.join(', ')}` : `, unsigned: ${report.s3404.unsigned.join(', ')}`}\n`);
    printPjIssues(io, report.issues, o.locale);
  }
  return report.acceptable ? 0 : 1;
}

/** `s3404 scor pack LOT.json -o OUT.zip`: exit 0 packed, 1 refused (issues), 2 unreadable input (SCOR-2). */
async function pack(io: Io, file: string, o: ScorOptions): Promise<number> {
  const out = need(o.out, '-o');
  const policy = policyOf(o);
  const description = readJson(readInput(io, file), { locale: o.locale });
  const base = dirname(resolve(io.cwd, file));
  const files = (name: string): Uint8Array | undefined => {
    const full = resolve(base, name);
    const rel = relative(base, full);
    if (isAbsolute(name) || rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${name.slice(0, 100)} : les PJ doivent se trouver dans le dossier de ${file} (chemin relatif, sans « .. »)`);
    try {
      return readInput(io, full);
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_FILE_UNREADABLE') return undefined;
      throw e;
    }
  };
  const now = clockFrom(io);
  let signer;
  if (o.cert !== undefined || o.key !== undefined) {
    const certificates = readPemCertificates(text(io, need(o.cert, '--cert')), { locale: o.locale });
    signer = await createContentSealer({ key: readPemPrivateKey(text(io, need(o.key, '--key')), { locale: o.locale }), certificate: certificates[0]!, chain: certificates.slice(1), now: () => now, locale: o.locale });
  }
  const result = await safePackLot(description, { files, policy, now: () => now, locale: o.locale, ...(signer === undefined ? {} : { signer }) });
  const fr = o.locale === 'fr';
  if (!result.success) {
    const errors = result.issues.filter((i) => i.severity === 'error');
    if (o.json) printJson(io, { packed: false, issues: result.issues });
    else {
      io.stdout(`${fr ? `Lot refusé : ${errors.length} problème(s)` : `Lot refused: ${errors.length} problem(s)`}\n`);
      printPjIssues(io, result.issues, o.locale);
    }
    return 1;
  }
  const lot = result.lot;
  const written = await writeLotFile(resolve(io.cwd, out), lot.container.bytes);
  if (o.json) {
    printJson(io, { packed: true, out: written, lotId: lot.lotId, sha256: lot.container.sha256, bytes: lot.container.bytes.length, invoices: lot.manifest.totals.invoices, files: lot.manifest.totals.files, sealed: lot.signature !== undefined, warnings: lot.warnings });
  } else {
    io.stdout(`${fr ? 'Lot' : 'Lot'} ${lot.lotId} : ${lot.manifest.totals.invoices} ${fr ? 'facture(s)' : 'invoice(s)'}, ${lot.manifest.totals.files} PJ, ${lot.container.bytes.length} ${fr ? 'octets' : 'bytes'} → ${written}\n`);
    io.stdout(`  SHA-256 ${lot.container.sha256}${lot.signature === undefined ? '' : fr ? ', manifeste scellé' : ', sealed manifest'}\n`);
    printPjIssues(io, lot.warnings, o.locale);
  }
  return 0;
}
