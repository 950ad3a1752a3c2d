import type { Locale } from '@s3404/core';
import { contentHash, readJson, validateBordereau } from '@s3404/form';
import { readInput, type Io } from '../io.js';
import { line, printIssues, printJson } from '../output.js';

/** `s3404 validate FILE.json [--json]`: exit 0 valid, 1 invalid, 2 unreadable (FORM-2). */
export async function validateCommand(io: Io, file: string, opts: { json: boolean; locale: Locale }): Promise<number> {
  const value = readJson(await readInput(io, file), { locale: opts.locale });
  const result = validateBordereau(value, { locale: opts.locale });
  if (result.ok) {
    const hash = contentHash(result.data);
    if (opts.json) printJson(io, { ok: true, id: result.data.id, contentHash: hash, issues: [] });
    else io.stdout(line(opts.locale, `Bordereau valide : ${result.data.id} (SHA-256 ${hash})`, `Valid bordereau: ${result.data.id} (SHA-256 ${hash})`));
    return 0;
  }
  if (opts.json) printJson(io, { ok: false, issues: result.issues, omitted: result.omitted });
  else {
    const n = result.issues.length + result.omitted;
    io.stdout(line(opts.locale, `Bordereau invalide : ${n} problème(s)`, `Invalid bordereau: ${n} issue(s)`));
    printIssues(io, result.issues, opts.locale);
    if (result.omitted > 0) io.stdout(line(opts.locale, `  … ${result.omitted} autre(s)`, `  … ${result.omitted} more`));
  }
  return 1;
}
