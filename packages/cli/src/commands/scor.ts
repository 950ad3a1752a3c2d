import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ContentSigner, Locale } from '@s3404/core';
import { readJson } from '@s3404/form';
import { checkPj, safePackLot, SCOR_ERRORS, type PjPolicy, type PjReport, type ScorIssue } from '@s3404/scor';
import type { Issue } from '@s3404/core';
import { checkBordereauRevisions } from '@s3404/seal/pdf';
import { writeLotFile } from '@s3404/scor/file';
import { badValue, need, usage } from '../args.js';
import { CliError } from '../errors.js';
import { documentClock, readInput, securityClock, type Io } from '../io.js';
import { line, printIssues, printJson } from '../output.js';
import { contentSignerOf } from './signing-keys.js';

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
  throw new CliError('ERR_USAGE_ARGUMENTS', {
    params: {
      usage:
        's3404 scor check FILE.pdf [--min-dpi N] [--colour grey|colour] [--strict] | s3404 scor pack LOT.json -o OUT.zip [--min-dpi N] [--cert CERT.pem --key KEY.pem]',
    },
  });
}

/** The PJ policy of the command line; a bad value is a usage error (exit 2). */
function policyOf(o: ScorOptions): PjPolicy {
  const policy: { minDpi?: number; colour?: 'grey' | 'colour'; strict?: boolean } = {};
  if (o.minDpi !== undefined) {
    const n = Number(o.minDpi);
    if (!/^\d{1,4}(\.\d+)?$/.test(o.minDpi) || n < 150 || n > 1200)
      throw badValue('--min-dpi', { fr: 'un nombre de 150 à 1200', en: 'a number from 150 to 1200' }, o.minDpi);
    policy.minDpi = n;
  }
  if (o.colour !== undefined) {
    if (o.colour !== 'grey' && o.colour !== 'colour') throw badValue('--colour', 'grey | colour', o.colour);
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

/** A revision problem as a PJ issue (an error of the check). */
function revisionIssue(p: Issue, locale: Locale): ScorIssue {
  const params = { detail: `${p.code} ${p.message}` };
  return {
    code: 'ERR_PJ_S3404_MODIFIED',
    path: ['revisions'],
    message: SCOR_ERRORS.message('ERR_PJ_S3404_MODIFIED', params, locale),
    severity: 'error',
    params,
  };
}

/** `s3404 scor check FILE.pdf`: exit 0 acceptable, 1 with issues, 2 unreadable file (SCOR-1). */
async function check(io: Io, file: string, o: ScorOptions): Promise<number> {
  const policy = policyOf(o);
  const bytes = await readInput(io, file);
  const checked: PjReport = checkPj(bytes, { ...policy, locale: o.locale });
  // A signed S3404 must also follow the SDK's revision pattern: its rendering, its signatures, its seals (SIG-5).
  const revisions = checked.s3404 === null ? [] : (await checkBordereauRevisions(bytes, { locale: o.locale })).issues;
  const report: PjReport =
    revisions.length === 0 ? checked : { ...checked, ok: false, issues: [...checked.issues, ...revisions.map((p) => revisionIssue(p, o.locale))] };
  const { locale } = o;
  const fr = locale !== 'en';
  if (o.json) printJson(io, { file, ...report });
  else {
    const pages = report.pageCount === null ? '' : ` — ${report.pageCount} page(s)${report.pdfVersion === null ? '' : `, PDF ${report.pdfVersion}`}`;
    io.stdout(
      line(locale, `${file} : ${report.ok ? 'PJ acceptable' : 'PJ refusée'}${pages}`, `${file}: ${report.ok ? 'acceptable PJ' : 'PJ refused'}${pages}`),
    );
    for (const p of report.pages) {
      const scans = p.images.filter((i) => i.scan);
      const imgs = scans
        .map((i) => `${i.name} ${i.widthPx}×${i.heightPx} px, ${Math.round(Math.min(i.dpiX, i.dpiY))} dpi, ${COLOUR[i.colour]![fr ? 'fr' : 'en']}`)
        .join(fr ? ' ; ' : '; ');
      const size = `${p.widthMm} × ${p.heightMm} mm`;
      io.stdout(
        line(
          locale,
          `  page ${p.index + 1} : ${size}${imgs === '' ? ', sans image numérisée' : `, ${imgs}`}`,
          `  page ${p.index + 1}: ${size}${imgs === '' ? ', no scanned image' : `, ${imgs}`}`,
        ),
      );
    }
    if (report.s3404 !== null) {
      const { bordereauId, unsigned } = report.s3404;
      io.stdout(
        line(
          locale,
          `  S3404 ${bordereauId}${unsigned.length === 0 ? ', signé' : `, non signé : ${unsigned.join(', ')}`}`,
          `  S3404 ${bordereauId}${unsigned.length === 0 ? ', signed' : `, unsigned: ${unsigned.join(', ')}`}`,
        ),
      );
    }
    printIssues(io, report.issues, locale);
  }
  return report.ok ? 0 : 1;
}

/** `s3404 scor pack LOT.json -o OUT.zip`: exit 0 packed, 1 refused (issues), 2 unreadable input (SCOR-2). */
async function pack(io: Io, file: string, o: ScorOptions): Promise<number> {
  const out = need(o.out, '-o');
  const policy = policyOf(o);
  const description = readJson(await readInput(io, file), { locale: o.locale });
  const base = dirname(resolve(io.cwd, file));
  const files = (name: string): Promise<Uint8Array | undefined> => {
    const full = resolve(base, name);
    const rel = relative(base, full);
    if (isAbsolute(name) || rel.startsWith('..') || isAbsolute(rel)) {
      const n = name.slice(0, 100);
      throw usage({
        fr: `${n} : les PJ doivent se trouver dans le dossier de ${file} (chemin relatif, sans « .. »)`,
        en: `${n}: the PJ must be in the folder of ${file} (a relative path, without "..")`,
      });
    }
    return readInput(io, full).catch((e: unknown) => {
      // A missing or unreadable PJ is reported by packLot, with its path in the lot.
      if ((e as { code?: string }).code === 'ERR_FILE_UNREADABLE') return undefined;
      throw e;
    });
  };
  // The lot's content is dated by the document clock (same lot, same clock: same bytes); its seal by the real one.
  const at = documentClock(io);
  const signer: ContentSigner | undefined = o.cert !== undefined || o.key !== undefined ? await contentSignerOf(io, o, securityClock(io)) : undefined;
  const result = await safePackLot(description, {
    files,
    policy,
    now: () => at,
    locale: o.locale,
    inspectS3404: async (pdf) => (await checkBordereauRevisions(pdf, { locale: o.locale })).issues,
    ...(signer === undefined ? {} : { signer }),
  });
  const { locale } = o;
  if (!result.ok) {
    const errors = result.issues.filter((i) => i.severity === 'error');
    if (o.json) printJson(io, { packed: false, ok: false, issues: result.issues });
    else {
      io.stdout(line(locale, `Lot refusé : ${errors.length} problème(s)`, `Lot refused: ${errors.length} issue(s)`));
      printIssues(io, result.issues, locale);
    }
    return 1;
  }
  const lot = result.lot;
  const written = await writeLotFile(resolve(io.cwd, out), lot.container.bytes, { locale });
  if (o.json) {
    printJson(io, {
      packed: true,
      ok: true,
      out: written,
      lotId: lot.lotId,
      sha256: lot.container.sha256,
      bytes: lot.container.bytes.length,
      invoices: lot.manifest.totals.invoices,
      files: lot.manifest.totals.files,
      sealed: lot.signature !== undefined,
      warnings: lot.warnings,
    });
  } else {
    const { invoices, files: count } = lot.manifest.totals;
    const size = lot.container.bytes.length;
    io.stdout(
      line(
        locale,
        `Lot ${lot.lotId} : ${invoices} facture(s), ${count} PJ, ${size} octets → ${written}`,
        `Lot ${lot.lotId}: ${invoices} invoice(s), ${count} PJ, ${size} bytes → ${written}`,
      ),
    );
    const sha = `  SHA-256 ${lot.container.sha256}`;
    io.stdout(
      line(locale, `${sha}${lot.signature === undefined ? '' : ', manifeste scellé'}`, `${sha}${lot.signature === undefined ? '' : ', sealed manifest'}`),
    );
    printIssues(io, lot.warnings, locale);
  }
  return 0;
}
