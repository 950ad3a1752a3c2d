import { normalizeBordereauId, visibleText, type LocalizedText } from '@s3404/core';
import { CliError } from './errors.js';

/**
 * The checks of command-line values shared by the commands (CLI contract,
 * each wrong value is a `CliError` of kind `input` (exit 2), in the
 * run's language.
 */

/** A required option's value. */
export function need(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw new CliError('ERR_USAGE_REQUIRED', { params: { option } });
  return value;
}

/** A wrong value of an option: what it expects, what it received (truncated). */
export function badValue(option: string, expected: LocalizedText | string, received?: string): CliError {
  const shown = received === undefined ? undefined : visibleText(received.slice(0, 40));
  return new CliError('ERR_USAGE_VALUE', { params: { option, expected, ...(shown === undefined ? {} : { received: shown }) } });
}

/** Two options that exclude each other. */
export function exclusive(first: string, second: string): CliError {
  return new CliError('ERR_USAGE_EXCLUSIVE', { params: { first, second } });
}

/** Two options that go together. */
export function together(first: string, second: string): CliError {
  return new CliError('ERR_USAGE_TOGETHER', { params: { first, second } });
}

/** A free-form usage problem, in both languages. */
export function usage(detail: LocalizedText): CliError {
  return new CliError('ERR_USAGE', { params: { detail } });
}

/** `--line N`: a fee line number from 1 to 9999 (SIG-2). */
export function lineNumber(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw badValue('--line', { fr: 'un numéro de ligne de 1 à 9999', en: 'a line number from 1 to 9999' }, value);
  return Number(value);
}

/** `--day AAAA-MM-JJ`: a real calendar day (SIG-10). */
export function dayOf(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m === null ? undefined : new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d === undefined || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw badValue('--day', { fr: 'une date réelle AAAA-MM-JJ', en: 'a real date YYYY-MM-DD' }, value);
  }
  return value;
}

/** `--bordereau ID`: identifiers typed by a person, in their canonical form (FORM-3). */
export function bordereauIds(values: readonly string[]): string[] {
  return values.map((id) => {
    const n = normalizeBordereauId(id);
    if (n === null)
      throw badValue(
        '--bordereau',
        { fr: 'un identifiant de bordereau (6R0ZQ-50K7C-AC6T4-JF0WA-04614-H)', en: 'a bordereau identifier (6R0ZQ-50K7C-AC6T4-JF0WA-04614-H)' },
        id,
      );
    return n;
  });
}

/**
 * `--content-hash HEX`: the SHA-256 of the bordereau's content, 64 hex digits
 * (what `s3404 validate --json` and `s3404 render --json` print, and the PDF's
 * footer), in lowercase (SIG-4).
 */
export function contentHashOf(value: string, option = '--content-hash'): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value))
    throw badValue(
      option,
      {
        fr: "l'empreinte SHA-256 du contenu du bordereau, 64 chiffres hexadécimaux (s3404 validate --json l'affiche)",
        en: "the SHA-256 of the bordereau's content, 64 hex digits (s3404 validate --json prints it)",
      },
      value,
    );
  return value.toLowerCase();
}

/** `--day-bordereau ID:HASH`, repeated: each bordereau of an accounting day with its content hash (SIG-4, SIG-10). */
export function dayBordereauxOf(values: readonly string[]): { bordereauId: string; contentHash: string }[] {
  return values.map((value) => {
    const colon = value.lastIndexOf(':');
    const expected = {
      fr: 'ID:EMPREINTE, un identifiant de bordereau et son empreinte SHA-256 du contenu (6R0ZQ-50K7C-AC6T4-JF0WA-04614-H:3f1c…, 64 chiffres hexadécimaux)',
      en: 'ID:HASH, a bordereau identifier and its content SHA-256 (6R0ZQ-50K7C-AC6T4-JF0WA-04614-H:3f1c…, 64 hex digits)',
    };
    if (colon < 0) throw badValue('--day-bordereau', expected, value);
    const id = normalizeBordereauId(value.slice(0, colon));
    const hash = value.slice(colon + 1);
    if (id === null || !/^[0-9a-fA-F]{64}$/.test(hash)) throw badValue('--day-bordereau', expected, value);
    return { bordereauId: id, contentHash: hash.toLowerCase() };
  });
}
