import { formatPath, type Issue, type Locale } from '@s3404/core';
import type { Io } from './io.js';

/** Prints issues for a person: one per line, path then message. */
export function printIssues(io: Io, issues: readonly (Issue & { readonly severity?: 'error' | 'warning' })[], locale: Locale): void {
  for (const issue of issues) io.stdout(`  ${issue.severity === 'warning' ? '!' : '✗'} ${formatPath(issue.path, locale)} [${issue.code}] ${issue.message}\n`);
}

/** Prints a JSON document on stdout (the `--json` contract). */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The one line a person reads, in the run's language: French with its
 * typography, English with English typography (`label: value`, no space
 * before the colon).
 */
export function line(locale: Locale, fr: string, en: string): string {
  return `${locale === 'en' ? en : fr}\n`;
}
