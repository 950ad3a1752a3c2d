/**
 * Example — single use of a signature record (SIG-4, SIG-5, SIG-6): the
 * record waits in the embedded store (SQLite), is consumed once and drawn on
 * its bordereau, its image is deleted, and every later attempt is refused.
 *
 *   pnpm --filter @s3404/examples exec tsx consume-once.ts [OUT_DIR]
 *
 * The same works with `@s3404/seal/postgres` or `@s3404/seal/redis` between
 * machines; see docs/consumption.md for the crash protocol.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { parseBordereau, readJson } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { RecordingTraceSink } from '@s3404/core';
import { createCapture, createConsumer, createRoleAuthorizer, createSealer, MemoryContextRegistry } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { createDevelopmentPki } from '@s3404/seal/pki';

const out = process.argv[2] ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
let clock = new Date('2026-06-12T16:00:00Z');
const now = (): Date => clock;

const png = new PNG({ width: 320, height: 110 });
for (let x = 10; x < 310; x++) {
  const y = Math.round(55 + 30 * Math.sin(x / 17));
  for (let d = -2; d <= 2; d++) png.data.set([14, 30, 120, 255], ((y + d) * 320 + x) * 4);
}
const image = new Uint8Array(PNG.sync.write(png));

// 1. A bordereau, the establishment's seal, and the insured person's signature.
const b = parseBordereau(readJson(readFileSync(join(import.meta.dirname, 'data/ambulatoire-cataracte.json'))));
// The PDF prints the content hash on every page; the signature is bound to it (SIG-4).
const { bytes: pdf, contentHash } = await renderBordereauPdf(b, { now });
const pki = await createDevelopmentPki({ now });
const sealer = await createSealer({
  key: pki.seal.privateKey,
  certificate: pki.seal.certificate,
  contexts: new MemoryContextRegistry({ now }),
  authorizer: createRoleAuthorizer({ staff: [] }),
  now,
});
const context = await sealer.openContext({
  scope: { kind: 'bordereau', bordereauId: b.id, contentHash },
  role: 'insured',
  signer: { id: 'assure', name: `${b.insured.firstName} ${b.insured.lastName}` },
  terminalId: 'tablette-accueil',
});
clock = new Date(clock.getTime() + 8_000);
const sealed = await sealer.seal(createCapture(context, { image, capturedAt: clock }));

// 2. The record waits in the embedded store, with an expiry (30 minutes by default).
const path = join(out, 'consumption.sqlite');
rmSync(path, { force: true });
const store = await SqliteConsumptionStore.open({ path });
const trace = new RecordingTraceSink();
const consumer = createConsumer({ store, trustAnchors: [pki.ca.certificate], now, trace, consumerId: 'facturation-1' });
await consumer.deposit(sealed);
console.log(`En attente : ${await store.countPending()} enregistrement (expire à ${new Date(Date.parse(sealed.signingTime) + 1_800_000).toISOString()})`);

// 3. Consumed once: checked against the bordereau and its content hash (read from the PDF), claimed, drawn, saved, then deleted.
const first = await applySignature(consumer, {
  input: { recordId: sealed.recordId },
  pdf,
  requestId: 'facturation-1/job-0001',
  save: (signed) => writeFileSync(join(out, 'bordereau-signe.pdf'), signed),
});
if (first.status !== 'applied') throw new Error('expected a first use');
console.log(`Signature apposée (${first.slot}) ; bordereau complet : ${first.complete ? 'oui' : `non, reste ${first.missing.join(', ')}`}`);
console.log(
  `En attente après usage : ${await store.countPending()} ; marque d'usage : ${JSON.stringify(await store.findTombstone({ recordId: sealed.recordId }))}`,
);

// 4. Every later attempt is refused, even with a copy of the bytes.
try {
  await applySignature(consumer, { input: { bytes: sealed.bytes }, pdf, requestId: 'facturation-2/job-0042' });
} catch (e) {
  console.log(`Deuxième usage refusé : [${(e as { code: string }).code}] ${(e as Error).message}`);
}
// The same request, retried, gets the same outcome.
console.log(
  `Même demande rejouée : ${(await applySignature(consumer, { input: { recordId: sealed.recordId }, pdf, requestId: 'facturation-1/job-0001' })).status}`,
);
console.log(`Traces : ${trace.events.map((e) => `${e.action}${e.code === undefined ? '' : ` (${e.code})`}`).join(', ')}`);
await store.close();
