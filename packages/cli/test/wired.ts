import { createHash } from 'node:crypto';
import { createBordereauId } from '@s3404/core';
import type { PackedLot } from '@s3404/scor';
import { createCapture, createRoleAuthorizer, createSealer, MemoryContextRegistry, type SealedRecord } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { png } from './png.js';

/**
 * Fixtures of the tests that wire the packages together as `s3404` does
 * (the lot lifecycle, the consumer and the audit log).
 */

/** A lot as packLot gives it, its container standing for a zip (the lifecycle checks only its length and SHA-256). */
export function packedLot(n: number, tag = 'wiring'): PackedLot {
  const bytes = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, n, 2, 3]);
  const b2LotNumber = String(n).padStart(3, '0');
  return {
    lotId: `750300360-${b2LotNumber}-${tag}`,
    finess: '750300360',
    b2LotNumber,
    manifest: { totals: { invoices: 1, files: 1 } },
    manifestSha256: 'b'.repeat(64),
    container: { codec: 's3404-zip/1', fileName: 'LOT.zip', mediaType: 'application/zip', bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
  } as unknown as PackedLot;
}

/** An insured's signature sealed for a new bordereau of `contentHash`, with the development PKI that trusts it. */
export async function sealedInsured(o: { readonly contentHash: string; readonly patient: string; readonly terminalId: string }): Promise<{
  readonly pki: DevelopmentPki;
  readonly sealed: SealedRecord;
  readonly target: { readonly bordereauId: string; readonly contentHash: string };
}> {
  const pki = await createDevelopmentPki();
  const sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts: new MemoryContextRegistry(),
    authorizer: createRoleAuthorizer({ staff: [] }),
  });
  const target = { bordereauId: createBordereauId(), contentHash: o.contentHash };
  const ctx = await sealer.openContext({
    scope: { kind: 'bordereau', ...target },
    role: 'insured',
    signer: { id: o.patient, name: 'Jeanne Martin' },
    terminalId: o.terminalId,
  });
  return { pki, sealed: await sealer.seal(createCapture(ctx, { image: png(300, 100), capturedAt: new Date() })), target };
}
