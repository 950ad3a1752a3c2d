/**
 * The reason an `audit.retention-purge` event carries (AUD-3): the limit of
 * the purge and the retention it applied, e.g. `avant
 * 2024-03-31T10:00:00.000Z (conservation 24 mois)`. It is the evidence
 * `verifyLog` reads when a trace starts after sequence 1, so its form is
 * fixed (the traces of every version wrote it so).
 */
export function purgeReason(before: string, months: number): string {
  return `avant ${before} (conservation ${months} mois)`;
}

const REASON = /^avant (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) \(conservation ([1-9]\d{0,3}) mois\)$/;

/** The limit and retention of a purge's reason, or null when it is not in the form of {@link purgeReason}. */
export function parsePurgeReason(reason: string | undefined): { readonly before: string; readonly months: number } | null {
  const m = reason === undefined ? null : REASON.exec(reason);
  if (m === null || Number.isNaN(Date.parse(m[1]!))) return null;
  return { before: m[1]!, months: Number(m[2]) };
}
