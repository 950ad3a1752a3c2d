import type { LocalizedText } from '@s3404/core';

/** The shape of a zod issue this package describes. */
interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * A zod issue as a message parameter in both languages: the path of
 * the value, then zod's own message (English) — or, for a field `hints`
 * names, what is expected, in each language. French typography in French,
 * English in English.
 */
export function describeSchemaIssue(issue: SchemaIssue, hints: Readonly<Record<string, LocalizedText>> = {}): LocalizedText {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)).join('.');
  const last = issue.path.at(-1);
  const hint = typeof last === 'string' && issue.code !== 'invalid_type' ? hints[last] : undefined;
  return {
    fr: `${path || '(racine)'} : ${hint?.fr ?? issue.message}`,
    en: `${path || '(root)'}: ${hint?.en ?? issue.message}`,
  };
}

/** A short, language-neutral description of a thrown value (a parser's or a transport's message). */
export function errorText(e: unknown, max: number): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, max);
}
