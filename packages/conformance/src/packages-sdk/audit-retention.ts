import type { Sha256 } from '@s3404/core';
import { createAuditLog, resolveRetentionMonths, retentionCutoff, type AuditLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createContentSigner } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import type { ConformanceAuditRetentionSdk } from '../sdk-audit-retention.js';

/** When the development seal is issued: its certificate covers every vector’s trace (2020…2029). */
const PKI_TIME = new Date('2020-01-01T00:00:00Z');

/**
 * The retention of `@s3404/audit` wired into the runner's interface (AUD-3,
 * `resolveRetentionMonths`, `retentionCutoff`, and `purge` of a fresh
 * `createAuditLog` over a `MemoryAuditStore` whose checkpoints (daily, as
 * the log makes them) are sealed by a development PKI made once per SDK.
 */
export function auditRetentionSdk(sha256: Sha256 | undefined): ConformanceAuditRetentionSdk {
  let pki: Promise<DevelopmentPki> | undefined;
  return {
    retentionMonths: (setting) => resolveRetentionMonths(setting as number | undefined, { locale: 'en' }),
    retentionCutoff: (at, months) => retentionCutoff(at, months),
    purge: async ({ events, retentionMonths, at: now, before }) => {
      pki ??= createDevelopmentPki({ algorithm: 'ecdsa-p256', now: () => PKI_TIME, validityDays: 3650 });
      const { seal } = await pki;
      let time = events[0] ?? now;
      const log: AuditLog = createAuditLog({
        store: new MemoryAuditStore(),
        signer: await createContentSigner({ key: seal.privateKey, certificate: seal.certificate, now: () => PKI_TIME }),
        retentionMonths,
        now: () => time,
        locale: 'en',
        ...(sha256 === undefined ? {} : { sha256 }),
      });
      try {
        for (const [i, at] of events.entries()) {
          time = at;
          await log.append({
            action: 'bordereau.generated',
            actor: { personId: `agent-${i + 1}`, role: 'staff', terminalId: 'accueil-1' },
            subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0' },
            outcome: 'success',
          });
        }
        time = now;
        await log.purge({ before });
        const kept: string[] = [];
        for await (const e of log.read()) if (e.action === 'bordereau.generated') kept.push(e.time);
        return { ok: true, kept };
      } finally {
        await log.close();
      }
    },
  };
}
