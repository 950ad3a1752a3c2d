import { constants, type Dirent } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { CoreError, type Locale } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { judgeArtifacts, type ArtifactInput, type ArtifactReport, type ArtifactVerdict, type RequirementVerdict } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';
import { ConformanceError } from '@s3404/conformance/errors';
import { readPemCertificates } from '@s3404/seal';
import { CliError } from '../errors.js';
import { readText, securityClock, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import { VERSION } from '../version.js';

/** Largest file read, bytes (as every input of the command line). */
const MAX_FILE = 64 * 1024 * 1024;
/** Most bytes read from the folder in all; the files after are listed, not read. */
const MAX_TOTAL = 1024 * 1024 * 1024;
/** Most files listed; deeper folders than `MAX_DEPTH` are not walked. */
const MAX_FILES = 10_000;
const MAX_DEPTH = 32;
/** Where `s3404 demo` writes its development CA: the trust anchor when no `--trust` is given. */
const CONVENTIONAL_TRUST = 'pki/ca.pem';

const USAGE = 's3404 conformance --artifacts DIR [--trust CA.pem] [--report FILE.json] [--json]';

/**
 * A regular file's bytes, opened without following a symbolic link and
 * without blocking (a file swapped for a link or a pipe between the listing
 * and the read is refused, never followed or waited on); why not, as text.
 */
async function readRegularFile(path: string, max: number): Promise<Uint8Array | string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (!st.isFile()) return 'not a regular file (not read)';
    if (st.size > max) return `larger than ${max} bytes`;
    const bytes = new Uint8Array(st.size);
    let read = 0;
    while (read < st.size) {
      const { bytesRead } = await handle.read(bytes, read, st.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/**
 * The files of `root`, bounded: regular files read up to 64 MiB
 * each and 1 GiB in all; a symbolic link is followed only to a file inside
 * the folder; what is not read (too large, unreadable, a link out of the
 * folder, a device or a pipe — never opened) is listed with why.
 */
async function readFolder(root: string): Promise<ArtifactInput[]> {
  const out: ArtifactInput[] = [];
  let total = 0;
  const pathOf = (full: string): string => relative(root, full).split(sep).join('/');
  const unread = (full: string, unreadable: string, size?: number): void => {
    out.push({ path: pathOf(full), unreadable, ...(size === undefined ? {} : { size }) });
  };
  const readOne = async (full: string, target: string): Promise<void> => {
    const size = (await stat(target)).size;
    if (size > MAX_FILE) return unread(full, `larger than ${MAX_FILE} bytes`, size);
    if (total + size > MAX_TOTAL) return unread(full, `the folder's ${MAX_TOTAL} bytes were read`, size);
    try {
      const bytes = await readRegularFile(target, MAX_FILE);
      if (typeof bytes === 'string') return unread(full, bytes, size);
      total += bytes.length;
      out.push({ path: pathOf(full), bytes });
    } catch (e) {
      unread(full, `unreadable (${(e as { code?: string }).code ?? 'error'})`);
    }
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (depth === 0) throw new CoreError('ERR_FILE_UNREADABLE', { params: { path: dir, reason: (e as { code?: string }).code }, cause: e });
      return unread(dir, `unreadable folder (${(e as { code?: string }).code ?? 'error'})`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (out.length >= MAX_FILES) return;
      const full = join(dir, entry.name);
      try {
        if (entry.isDirectory()) {
          if (depth + 1 < MAX_DEPTH) await walk(full, depth + 1);
          else unread(full, `folder deeper than ${MAX_DEPTH} levels, not walked`);
        } else if (entry.isFile()) await readOne(full, full);
        else if (entry.isSymbolicLink()) {
          const target = await realpath(full).catch(() => null);
          if (target === null || !target.startsWith(`${root}${sep}`)) unread(full, 'symbolic link out of the folder (not followed)');
          else if ((await lstat(target)).isFile()) await readOne(full, target);
          // A link to a folder inside the folder: its files are walked where they are.
        } else unread(full, 'not a regular file (not opened)');
      } catch (e) {
        unread(full, `unreadable (${(e as { code?: string }).code ?? 'error'})`);
      }
    }
  };
  await walk(root, 0);
  if (out.length >= MAX_FILES) out.push({ path: `${MAX_FILES + 1}…`, unreadable: `more than ${MAX_FILES} files: the rest not read` });
  return out;
}

/** The trust anchors (DER): `--trust` (PEM, one or more certificates), else the folder's `pki/ca.pem`, else none. */
async function trustAnchors(io: Io, root: string, trust: string | undefined, locale: Locale): Promise<{ anchors: Uint8Array[]; source: string | null }> {
  if (trust !== undefined) return { anchors: readPemCertificates(await readText(io, trust), { locale }), source: trust };
  const conventional = join(root, CONVENTIONAL_TRUST);
  const st = await lstat(conventional).catch(() => null);
  if (st === null || !st.isFile()) return { anchors: [], source: null };
  return { anchors: readPemCertificates(await readText(io, conventional), { locale }), source: conventional };
}

const VERDICTS: Record<RequirementVerdict, { fr: string; en: string }> = {
  passed: { fr: 'réussie', en: 'passed' },
  failed: { fr: 'échouée', en: 'failed' },
  indeterminate: { fr: 'indéterminée', en: 'indeterminate' },
  'not-covered': { fr: 'non couverte', en: 'not covered' },
};
const MARKS: Record<ArtifactVerdict, string> = { passed: '✓', failed: '✗', indeterminate: '?', 'not-judged': '-' };
/** A file's verdict (French agrees with « fichier »). */
const FILE_VERDICTS: Record<ArtifactVerdict, { fr: string; en: string }> = {
  passed: { fr: 'réussi', en: 'passed' },
  failed: { fr: 'échoué', en: 'failed' },
  indeterminate: { fr: 'indéterminé', en: 'indeterminate' },
  'not-judged': { fr: 'non jugé', en: 'not judged' },
};
/** Why a file is not judged, by kind. */
const NOT_JUDGED: Record<string, { fr: string; en: string }> = {
  certificate: {
    fr: 'un certificat, pas une sortie (donnez-le par --trust pour en faire une ancre de confiance)',
    en: 'a certificate, not an output (give it with --trust to use it as a trust anchor)',
  },
  'private-key': {
    fr: 'une clé privée, pas une sortie (elle n’a rien à faire parmi les sorties)',
    en: 'a private key, not an output (it has no place among the outputs)',
  },
  unknown: { fr: 'aucune sorte de sortie que la suite juge', en: 'no kind of output the suite judges' },
};

/** The per-requirement table, then every file with its verdict, for a person. */
function printReport(io: Io, report: ArtifactReport, dir: string, source: string | null, locale: Locale): void {
  const en = locale === 'en';
  io.stdout(
    line(
      locale,
      `Sorties de ${dir} jugées par s3404 ${report.sdkVersion ?? ''} — ${report.runtime}, ${report.date}`,
      `Outputs of ${dir} judged by s3404 ${report.sdkVersion ?? ''} — ${report.runtime}, ${report.date}`,
    ),
  );
  io.stdout(
    source === null
      ? line(
          locale,
          'Aucune ancre de confiance (--trust CA.pem) : sceaux, enregistrements, points de contrôle et exports indéterminés.',
          'No trust anchor (--trust CA.pem): seals, records, checkpoints and exports indeterminate.',
        )
      : line(
          locale,
          `Ancres de confiance : ${source} (${report.trustAnchors.length} certificat(s))`,
          `Trust anchors: ${source} (${report.trustAnchors.length} certificate(s))`,
        ),
  );
  io.stdout(
    `${(en ? 'requirement' : 'exigence').padEnd(12)} ${'verdict'.padEnd(14)} ${en ? 'passed' : 'réussis'} ${en ? 'failed' : 'échoués'} ${en ? 'indeterminate' : 'indéterminés'}\n`,
  );
  for (const [id, r] of Object.entries(report.requirements))
    io.stdout(
      `${id.padEnd(12)} ${VERDICTS[r.verdict][locale].padEnd(14)} ${String(r.passed).padStart(6)} ${String(r.failed).padStart(7)} ${String(r.indeterminate).padStart(12)}\n`,
    );
  io.stdout(line(locale, 'Fichiers :', 'Files:'));
  for (const a of report.artifacts) {
    const failing = report.tests.filter((t) => t.file === a.path && t.outcome === 'failed').flatMap((t) => t.requirements);
    const reqs = failing.length === 0 ? '' : ` ${[...new Set(failing)].join(', ')}`;
    const withWhat = a.judgedWith === undefined ? '' : en ? `, with ${a.judgedWith}` : `, avec ${a.judgedWith}`;
    const detail = a.verdict === 'not-judged' ? (NOT_JUDGED[a.kind] ?? NOT_JUDGED['unknown']!)[locale] : a.detail;
    const why = a.verdict === 'passed' || detail === undefined ? '' : ` — ${detail}`;
    io.stdout(`  ${MARKS[a.verdict]} ${a.path} (${a.kind}${withWhat}) ${FILE_VERDICTS[a.verdict][locale]}${reqs}${why}\n`);
  }
  const judged = report.artifacts.filter((a) => a.verdict !== 'not-judged').length;
  const failed = report.artifacts.filter((a) => a.verdict === 'failed').length;
  io.stdout(
    report.ok
      ? line(locale, `Conforme : ${judged} fichier(s) jugé(s), chaque exigence réussie.`, `Conformant: ${judged} file(s) judged, every requirement passed.`)
      : line(locale, `Non conforme : ${failed} fichier(s) échoué(s) sur ${judged} jugé(s).`, `Not conformant: ${failed} of ${judged} file(s) judged failed.`),
  );
}

/**
 * `s3404 conformance --artifacts DIR [--trust CA.pem] [--report FILE.json] [--json]`
 * judges a vendor's own outputs under DIR — bordereau PDFs, sealed
 * records, SCOR lots, audit traces and exports — with the SDK's verifiers;
 * trust anchors from `--trust`, else DIR/pki/ca.pem (where `s3404 demo`
 * writes its development CA). 0 when every requirement checked passed, 1
 * otherwise, 2 for a wrong command line, a folder that cannot be read or
 * holds no file.
 */
export async function conformanceArtifactsCommand(
  io: Io,
  rest: readonly string[],
  opts: { artifacts: string; trust: string | undefined; report: string | undefined; json: boolean; locale: Locale; conflicting: boolean },
): Promise<number> {
  if (rest.length > 0 || opts.conflicting || opts.artifacts === '') throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: USAGE } });
  const given = resolve(io.cwd, opts.artifacts);
  const st = await stat(given).catch((e: { code?: string }) => {
    throw new CoreError('ERR_FILE_UNREADABLE', { params: { path: given, reason: e.code }, cause: e });
  });
  if (!st.isDirectory()) throw new CoreError('ERR_FILE_UNREADABLE', { params: { path: given, reason: 'ENOTDIR' } });
  const root = await realpath(given);
  const files = await readFolder(root);
  if (files.length === 0) throw new ConformanceError('ERR_ARTIFACTS_EMPTY', { params: { path: given }, locale: opts.locale });
  const { anchors, source } = await trustAnchors(io, root, opts.trust, opts.locale);
  const report = await judgeArtifacts({
    sdk: createPackagesSdk({ version: VERSION, sha256: nodeSha256 }),
    files,
    trustAnchors: anchors,
    now: () => securityClock(io),
    sha256: nodeSha256,
    maxFileBytes: MAX_FILE,
  });
  if (opts.report !== undefined) await writeOutput(io, opts.report, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.json) printJson(io, report);
  else printReport(io, report, opts.artifacts, source === null ? null : relative(io.cwd, source) || source, opts.locale);
  return report.ok ? 0 : 1;
}
