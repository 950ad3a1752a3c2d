/**
 * Example — the signing flow of `@s3404/seal` (SIG-1…SIG-4, SIG-7…SIG-10):
 * a development PKI, the capture context a tablet shows, a sealed record
 * (CMS SignedData that `openssl cms -verify` accepts), its verification bound
 * to the bordereau, and its placement on the PDF. Also a practitioner line
 * signed by the director under a mandate, and a journée comptable.
 *
 *   pnpm --filter @s3404/examples exec tsx seal-a-signature.ts [OUT_DIR]
 *
 * Then, for instance:
 *   openssl cms -verify -binary -inform DER -in OUT_DIR/insured.p7m -CAfile OUT_DIR/ca.pem -out /dev/null
 *
 * Consuming a record exactly once and deleting it after use (SIG-5, SIG-6):
 * consume-once.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { contentHash, parseBordereau, readJson } from '@s3404/form';
import { placeSignature, renderBordereauPdf } from '@s3404/form/pdf';
import {
  accountingDayScope,
  createCapture,
  createRoleAuthorizer,
  createSealer,
  createVerifier,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  signaturePlacement,
} from '@s3404/seal';
import { RecordingTraceSink } from '@s3404/core';
import { createDevelopmentPki } from '@s3404/seal/pki';

const out = process.argv[2] ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
let clock = new Date('2026-06-12T16:00:00Z');
const now = (): Date => clock;

// A synthetic handwritten stroke, as a tablet's canvas would export it.
function signatureImage(seed: number): Uint8Array {
  const png = new PNG({ width: 320, height: 110 });
  for (let x = 10; x < 310; x++) {
    const y = Math.round(55 + 34 * Math.sin((x * seed) / 19) * Math.cos(x / 47));
    for (let d = -2; d <= 2; d++) png.data.set([14, 30, 120, 255], ((y + d) * 320 + x) * 4);
  }
  return new Uint8Array(PNG.sync.write(png));
}

const b = parseBordereau(readJson(readFileSync(join(import.meta.dirname, 'data/mandat-pour-compte.json'))));
const mandateLine = b.fees.findIndex((f) => f.signature.mandate) + 1;
const practitioner = b.fees[mandateLine - 1]!.practitioner;
// What the signatures are bound to (SIG-4): the bordereau and the hash of its exact content, printed on every page of its PDF.
const hash = contentHash(b);

// 1. The establishment's seal (here a development PKI) and its signing policy.
const pki = await createDevelopmentPki({ now });
for (const [name, pem] of Object.entries(pki.files)) if (!name.includes('key')) writeFileSync(join(out, name), pem);
const trace = new RecordingTraceSink();
const sealer = await createSealer({
  key: pki.seal.privateKey,
  certificate: pki.seal.certificate,
  contexts: new MemoryContextRegistry({ now }),
  authorizer: createRoleAuthorizer({ staff: [{ id: 'dir-durand', roles: ['director'] }] }),
  mandates: new MemoryMandateRegistry([{ reference: 'MAND-2026-014', mandatorRpps: practitioner.rpps, delegateId: 'dir-durand', validFrom: '2026-01-01' }]),
  proofAgreements: new MemoryProofAgreementRegistry(),
  establishment: { finess: b.establishment.finess },
  trace,
  now,
});

// 2. The tablet shows the context, then the insured person signs.
const context = await sealer.openContext({
  scope: { kind: 'bordereau', bordereauId: b.id, contentHash: hash },
  role: 'insured',
  signer: { id: 'assure', name: `${b.insured.firstName} ${b.insured.lastName}` },
  terminalId: 'tablette-accueil',
});
console.log(`À l'écran :\n  ${context.display.lines.join('\n  ')}`);
clock = new Date(clock.getTime() + 9_000);
const insured = await sealer.seal(createCapture(context, { image: signatureImage(1), capturedAt: clock }));
writeFileSync(join(out, 'insured.p7m'), insured.bytes);

// 3. The director signs the practitioner's line under the mandate (« Mandat »).
const lineContext = await sealer.openContext({
  scope: { kind: 'line', bordereauId: b.id, contentHash: hash, line: mandateLine, practitionerRpps: practitioner.rpps },
  role: 'director',
  signer: { id: 'dir-durand', name: 'Mme Claire Durand' },
  terminalId: 'poste-direction',
  mandate: { reference: 'MAND-2026-014' },
});
const line = await sealer.seal(createCapture(lineContext, { image: signatureImage(2), capturedAt: clock }));
writeFileSync(join(out, 'line.p7m'), line.bytes);

// 4. The director validates the accounting day of this bordereau with one signature.
const dayBordereaux = [{ bordereauId: b.id, contentHash: hash }];
const dayContext = await sealer.openContext({
  scope: accountingDayScope({ finess: b.establishment.finess, day: b.signatures.accountingDay ?? '2026-06-12', bordereaux: dayBordereaux }),
  role: 'director',
  signer: { id: 'dir-durand', name: 'Mme Claire Durand' },
  terminalId: 'poste-direction',
});
console.log(`  ${dayContext.display.accountingDay}`);
const day = await sealer.seal(createCapture(dayContext, { image: signatureImage(3), capturedAt: clock }));
writeFileSync(join(out, 'day.p7m'), day.bytes);

// 5. Before applying, verify each record against the CA and bind it to this bordereau and its content.
const verifier = createVerifier({ trustAnchors: [pki.ca.certificate], now });
let pdf = (await renderBordereauPdf(b, { now })).bytes;
for (const [sealed, expect] of [
  [insured, { bordereauId: b.id, contentHash: hash, scope: 'bordereau' as const }],
  [line, { bordereauId: b.id, contentHash: hash, line: mandateLine, practitionerRpps: practitioner.rpps }],
  [day, { bordereauId: b.id, contentHash: hash, dayBordereaux }],
] as const) {
  const result = await verifier.verify(sealed.bytes, { expect });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  pdf = await placeSignature(pdf, signaturePlacement(result.record, { bordereauId: b.id }));
  console.log(`Vérifié ${result.recordId} (${result.algorithm}) → ${signaturePlacement(result.record, { bordereauId: b.id }).slot}`);
}
writeFileSync(join(out, 'bordereau-signe.pdf'), pdf);
console.log(`${trace.events.length} événements tracés ; PDF signé : ${join(out, 'bordereau-signe.pdf')}`);
