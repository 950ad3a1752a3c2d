/**
 * X-1: the three contract suites of a vendor's AuditStore, ContentSigner and
 * Transport, run against the SDK's runtime-neutral implementations — bundled
 * once (platform `neutral`) and run as is by Node, Deno and Bun
 * (`contracts-runtimes.test.ts`). No file and no Node API: the transport's
 * other side is a map, the lot cases (5–7) are indeterminate without a lot.
 */
import type { LotTransmission, Transport } from '@s3404/scor';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { runAuditStoreContract, runSignerContract, runTransportContract } from '@s3404/conformance/contracts';
import { createContentSigner } from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';

export async function runContractSuites(): Promise<{ runtime: string; outcomes: string[] }> {
  const T0 = new Date('2026-03-20T10:00:00.000Z');
  const now = () => T0;
  const pki = await createDevelopmentPki({ now });
  const store = new MemoryAuditStore();
  const audit = await runAuditStoreContract(() => store, { now });
  const signer = await runSignerContract(() => createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now }), {
    now,
    trustAnchors: [pki.ca.certificate],
  });
  const outbox = new Map<string, Uint8Array>();
  const transport: Transport = {
    id: 'memory-outbox',
    send: async (t: LotTransmission) => {
      const reference = `${t.lotId}/${t.attempt}`;
      outbox.set(reference, Uint8Array.from(t.bytes));
      return { reference };
    },
  };
  const scor = await runTransportContract(() => transport, { now, received: async (_t, r) => outbox.get(r.reference ?? '') ?? null });
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  return {
    runtime: g.Deno !== undefined ? 'deno' : g.Bun !== undefined ? 'bun' : 'node',
    outcomes: [...audit, ...signer, ...scor].map((t) => `${t.file}#${t.tcId} ${t.outcome}${t.outcome === 'passed' ? '' : ` ${t.detail ?? ''}`}`),
  };
}
