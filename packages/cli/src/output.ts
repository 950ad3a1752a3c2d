import { formatPath, type Issue, type Locale } from '@s3404/form/errors';
import type { Io } from './io.js';

/** Prints issues for a person: one per line, path then message. */
export function printIssues(io: Io, issues: readonly Issue[], locale: Locale): void {
  for (const issue of issues) io.stdout(`  ✗ ${formatPath(issue.path, locale)} [${issue.code}] ${issue.message}\n`);
}

/** Prints a JSON document on stdout (the `--json` contract). */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
