import type { LocalizedText } from '@s3404/core';

/**
 * The first problem zod found, as the `detail` of a message: the path and
 * zod's own text (English, data to the catalogue), with each language's
 * typography.
 */
export function schemaIssueDetail(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
  suffix = '',
): LocalizedText | undefined {
  const issue = issues[0];
  if (issue === undefined) return undefined;
  const path = issue.path.map(String).join('.');
  return { fr: `${path} : ${issue.message}${suffix}`, en: `${path}: ${issue.message}${suffix}` };
}
