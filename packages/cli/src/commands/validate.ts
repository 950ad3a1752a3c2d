import { contentHash, readJson, validateBordereau } from '@s3404/form';
import type { Locale } from '@s3404/form/errors';
import { readInput, type Io } from '../io.js';
import { printIssues, printJson } from '../output.js';

/** `s3404 validate FILE.json [--json]`: exit 0 valid, 1 invalid, 2 unreadable (FORM-2). */
export function validateCommand(io: Io, file: string, opts: { json: boolean; locale: Locale }): number {
  const value = readJson(readInput(io, file), { locale: opts.locale });
  const result = validateBordereau(value, { locale: opts.locale });
  const fr = opts.locale === 'fr';
  if (result.success) {
    const hash = contentHash(result.data);
    if (opts.json) printJson(io, { valid: true, id: result.data.id, contentHash: hash, issues: [] });
    else io.stdout(`${fr ? 'Bordereau valide' : 'Valid bordereau'} : ${result.data.id} (SHA-256 ${hash})\n`);
    return 0;
  }
  if (opts.json) printJson(io, { valid: false, issues: result.issues, omitted: result.omitted });
  else {
    const n = result.issues.length + result.omitted;
    io.stdout(`${fr ? `Bordereau invalide : ${n} problème(s)` : `Invalid bordereau: ${n} issue(s)`}\n`);
    printIssues(io, result.issues, opts.locale);
    if (result.omitted > 0) io.stdout(`  … ${result.omitted} ${fr ? 'autre(s)' : 'more'}\n`);
  }
  return 1;
}
