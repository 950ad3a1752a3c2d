/**
 * Example — after the positive ARL of the B2 invoice lot, pack the signed
 * S3404 and their scanned annexes into a SCOR lot and follow it until its
 * ARL PJ (SCOR-1…SCOR-3):
 *
 *   1. check one PJ as SCOR does (PDF, A5, 200 dpi…);
 *   2. pack the lot of scor/lot.json: manifest.json with every SHA-256,
 *      SHA256SUMS, the manifest sealed with the establishment's key;
 *   3. write it atomically and verify it back;
 *   4. run its lifecycle: B2 ARL positive → sent (file-drop transport) →
 *      ARL PJ negative → retried → ARL PJ positive; every step traced in
 *      a hash-chained audit log.
 *
 *   pnpm --filter @s3404/examples exec tsx pack-a-scor-lot.ts [OUT_DIR]
 *
 * The ARLs are the SDK's JSON development form: the real ARL PJ format,
 * like the SCOR-CP wire format, comes with the vendor's approved
 * transmission module (not public).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPj, createLotManager, jsonArlParser, packLot, verifyLot } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { FileDropTransport, writeLotFile } from '@s3404/scor/file';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';

const out = process.argv[2] ?? join(import.meta.dirname, 'out', 'scor');
const dir = join(import.meta.dirname, 'scor');
let clock = new Date('2026-03-23T08:00:00Z');
const now = (): Date => clock;

// 1. One PJ, checked on its own.
const annex = checkPj(readFileSync(join(dir, '260004512-annexe-1.pdf')));
const scan = annex.pages[0]!.images[0]!;
console.log(
  `PJ: ${annex.ok ? 'acceptable' : 'refused'} — ${annex.pages[0]!.widthMm} × ${annex.pages[0]!.heightMm} mm, ${Math.round(scan.dpiX)} dpi, ${scan.colour}`,
);

// 2. The lot, with the manifest sealed by the establishment's key (a development PKI here).
const pki = await createDevelopmentPki({ now: () => new Date('2026-01-01T00:00:00Z') });
const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now });
const description = JSON.parse(readFileSync(join(dir, 'lot.json'), 'utf8'));
const lot = await packLot(description, { files: (name) => readFileSync(join(dir, name)), signer, now });
console.log(`lot ${lot.lotId}: ${lot.manifest.totals.invoices} invoices, ${lot.manifest.totals.files} PJ, ${lot.container.bytes.length} bytes`);

// 3. On disk, atomically (complete or absent), then verified from the bytes alone.
const path = await writeLotFile(join(out, lot.container.fileName), lot.container.bytes);
const verified = await verifyLot(readFileSync(path), {
  verifier: createContentVerifier({ trustAnchors: [pki.ca.certificate], now }),
});
console.log(`${path}: ${verified.ok ? 'valid' : 'INVALID'}, manifest seal ${verified.signature.status}`);

// 4. The lifecycle, traced.
const log = createAuditLog({ store: await MemoryAuditStore.open(), now });
const lots = createLotManager({
  store: await MemoryLotStore.open(),
  transport: new FileDropTransport({ dir: join(out, 'outbox') }),
  trace: auditTraceSink(log),
  now,
});
const arl = (fields: Record<string, string>) =>
  jsonArlParser.parse(
    new TextEncoder().encode(
      JSON.stringify({ format: 's3404-arl-json/1', finess: lot.finess, b2LotNumber: lot.b2LotNumber, receivedAt: clock.toISOString(), ...fields }),
    ),
  );

await lots.register(lot, { b2Arl: arl({ kind: 'b2', status: 'positive' }) }); // ready, then sent at once
clock = new Date('2026-03-23T10:00:00Z');
await lots.recordArl(arl({ kind: 'pj', status: 'negative', code: 'PJ05', reason: 'lot incomplet' })); // retried in 2 hours
clock = new Date('2026-03-23T12:00:00Z');
await lots.tick(); // attempt 2
clock = new Date('2026-03-23T13:00:00Z');
const [done] = await lots.recordArl(arl({ kind: 'pj', status: 'positive' }));
console.log(`lot ${done!.state} after ${done!.attempts} attempts; kept until ${done!.purgeAfter}`);
for await (const e of log.read()) console.log(`  trace #${e.seq} ${e.time} ${e.action} ${e.outcome}${e.reason === undefined ? '' : ` — ${e.reason}`}`);
console.log(`trace intact: ${(await log.verify()).ok}`);
