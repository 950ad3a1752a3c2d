import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { CoreError, type Locale } from '@s3404/core';
import { nodeSha256, readFileBounded } from '@s3404/core/node';
import { renderConformanceHtml, runConformance, VECTOR_SCHEMA, type ConformanceReport, type RequirementVerdict, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';
import { ConformanceError } from '@s3404/conformance/errors';
import { defaultVectorsDir } from '@s3404/conformance/node';
import { CliError } from '../errors.js';
import { prepareOutput, readInput, securityClock, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import { VERSION } from '../version.js';

/** Every `.json` vector file under `dir` (not the JSON Schemas, not the fixture manifests), with `/` paths relative to it. */
async function vectorPaths(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    throw new CoreError('ERR_FILE_UNREADABLE', { params: { path: dir, reason: (e as { code?: string }).code }, cause: e });
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => !p.startsWith('schema/') && !p.endsWith('fixtures/manifest.json'))
    .sort();
}

const VERDICTS: Record<RequirementVerdict, { fr: string; en: string }> = {
  passed: { fr: 'réussie', en: 'passed' },
  failed: { fr: 'échouée', en: 'failed' },
  indeterminate: { fr: 'indéterminée', en: 'indeterminate' },
  'not-covered': { fr: 'non couverte', en: 'not covered' },
};

/** The per-requirement table, then the vectors that did not pass, for a person (X-2, X-3). */
export function printTable(io: Io, report: ConformanceReport, skipped: readonly string[], locale: Locale): void {
  const en = locale === 'en';
  io.stdout(
    line(
      locale,
      `Conformité de s3404 ${report.sdkVersion ?? ''} — ${report.runtime}, ${report.date}`,
      `Conformance of s3404 ${report.sdkVersion ?? ''} — ${report.runtime}, ${report.date}`,
    ),
  );
  io.stdout(
    `${(en ? 'requirement' : 'exigence').padEnd(12)} ${(en ? 'verdict' : 'verdict').padEnd(14)} ${en ? 'passed' : 'réussis'} ${en ? 'failed' : 'échoués'} ${en ? 'indeterminate' : 'indéterminés'}\n`,
  );
  for (const [id, r] of Object.entries(report.requirements))
    io.stdout(
      `${id.padEnd(12)} ${VERDICTS[r.verdict][locale].padEnd(14)} ${String(r.passed).padStart(6)} ${String(r.failed).padStart(7)} ${String(r.indeterminate).padStart(12)}\n`,
    );
  for (const t of report.tests)
    if (t.outcome !== 'passed')
      io.stdout(
        `  ${t.outcome === 'failed' ? '✗' : '?'} ${t.file}#${t.tcId} (${t.requirements.join(', ')})${t.code === undefined ? '' : ` [${t.code}]`} ${t.detail ?? ''}\n`,
      );
  if (skipped.length > 0)
    io.stdout(
      line(
        locale,
        `Fichiers ignorés (pas en enveloppe ${VECTOR_SCHEMA}) : ${skipped.join(', ')}`,
        `Files skipped (not in envelope ${VECTOR_SCHEMA}): ${skipped.join(', ')}`,
      ),
    );
  const n = report.tests.length;
  const failed = report.tests.filter((t) => t.outcome === 'failed').length;
  const uncovered = Object.values(report.requirements).filter((r) => r.verdict !== 'passed').length;
  io.stdout(
    report.ok
      ? line(locale, `Conforme : ${n} vecteur(s), chaque exigence réussie.`, `Conformant: ${n} vector(s), every requirement passed.`)
      : line(
          locale,
          `Non conforme : ${failed} vecteur(s) échoué(s) sur ${n} ; ${uncovered} exigence(s) non réussie(s) (3 vecteurs réussis au moins par exigence).`,
          `Not conformant: ${failed} of ${n} vector(s) failed; ${uncovered} requirement(s) not passed (at least 3 passing vectors per requirement).`,
        ),
  );
}

/**
 * `s3404 conformance [--vectors DIR] [--report FILE.json] [--html FILE.html] [--filter ID] [--json]`
 * (X-3): runs every vector file of envelope 2.0 under DIR (default:
 * `test-vectors` of the current folder when present, else the vectors
 * published with `@s3404/conformance`) against the SDK's packages; the
 * report as JSON (`--report`) and as the examiner's HTML page in the language
 * of `--lang` (`--html`), both written atomically; 0 when
 * every requirement in scope passed, 1 otherwise, 2 for a wrong command line
 * or an unreadable vector file.
 */
export async function conformanceCommand(
  io: Io,
  rest: readonly string[],
  opts: { vectors: string | undefined; report: string | undefined; html?: string | undefined; filter: string | undefined; json: boolean; locale: Locale },
): Promise<number> {
  if (rest.length > 0)
    throw new CliError('ERR_USAGE_ARGUMENTS', {
      params: { usage: 's3404 conformance [--vectors DIR] [--report FILE.json] [--html FILE.html] [--filter ID] [--json]' },
    });
  // The page is written after the run: a path that cannot take it is refused before.
  if (opts.html !== undefined) await prepareOutput(io, opts.html);
  // Without --vectors: ./test-vectors when present, else the vectors published with @s3404/conformance.
  const found = opts.vectors === undefined ? defaultVectorsDir(io.cwd) : resolve(io.cwd, opts.vectors);
  if (found === undefined)
    throw new ConformanceError('ERR_VECTORS_INVALID', {
      params: { path: resolve(io.cwd, 'test-vectors'), detail: { fr: 'aucun dossier de vecteurs (--vectors DIR)', en: 'no vector folder (--vectors DIR)' } },
    });
  const dir = found;
  const files: VectorSource[] = [];
  const skipped: string[] = [];
  for (const path of await vectorPaths(dir)) {
    let json: unknown;
    const bytes = await readInput(io, join(dir, path));
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      if (e instanceof CoreError) throw e;
      throw new ConformanceError('ERR_VECTORS_INVALID', { params: { path, detail: { fr: 'JSON illisible', en: 'unreadable JSON' } }, cause: e });
    }
    if (typeof json === 'object' && json !== null && (json as { schema?: unknown }).schema === VECTOR_SCHEMA) files.push({ path, json, bytes });
    else skipped.push(path);
  }
  if (files.length === 0)
    throw new ConformanceError('ERR_VECTORS_INVALID', { params: { path: dir, detail: { fr: 'aucun fichier de vecteurs', en: 'no vector file' } } });
  const report = await runConformance({
    sdk: createPackagesSdk({ version: VERSION, sha256: nodeSha256 }),
    files,
    filter: opts.filter,
    now: () => securityClock(io),
    sha256: nodeSha256,
    readFixture: (path) => {
      const full = resolve(dir, path);
      if (!full.startsWith(`${dir}${sep}`)) return Promise.reject(new Error(`fixture outside ${dir}`));
      return readFileBounded(full);
    },
  });
  if (opts.report !== undefined) await writeOutput(io, opts.report, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.html !== undefined) await writeOutput(io, opts.html, renderConformanceHtml(report, { locale: opts.locale }));
  if (opts.json) printJson(io, report);
  else printTable(io, report, skipped, opts.locale);
  return report.ok ? 0 : 1;
}
