/**
 * Example — a vendor's signing service built on the reference one
 * (`@s3404/cli/serve`, SIG-1…SIG-7): the vendor's own seal, signing policy,
 * bordereaux, single-use store, terminal list and trace; the tablet page, the
 * terminal authentication and the OpenAPI document come with the service.
 *
 *   pnpm --filter @s3404/examples exec tsx --conditions=@s3404/source signing-service/server.ts
 *
 * Environment (all optional):
 *   PORT         TCP port (default 8404; 0 picks a free one)
 *   HOST         address (default 127.0.0.1; anything else belongs behind HTTPS)
 *   S3404_STATE  folder of the terminals, the signed PDFs and the trace (default ./signing-service-state)
 *   S3404_STORE  single-use ledger (default sqlite:<S3404_STATE>/consumption.sqlite;
 *                postgres://… or redis://… to share it between servers)
 *   S3404_PKI    folder with seal-cert.pem, seal-key.pem and ca.pem (s3404 pki init DIR);
 *                default: a development seal made at start (never in production)
 *
 * See README.md in this folder for the walkthrough (FR / EN).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { nodeSha256 } from '@s3404/core/node';
import { parseBordereauJson, validateBordereau, type Bordereau } from '@s3404/form';
import {
  createConsumer,
  createContentSigner,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  readPemCertificates,
  readPemPrivateKey,
} from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { openConsumptionStore } from '@s3404/seal/stores';
import { createRenderedBordereauSource, createSigningService, FileTerminalStore } from '@s3404/cli/serve';

const state = resolve(process.env['S3404_STATE'] ?? 'signing-service-state');
const port = Number(process.env['PORT'] ?? 8404);
const host = process.env['HOST'] ?? '127.0.0.1';

// 1. The establishment's seal (SIG-3): its own PKI in production; a development one here unless S3404_PKI is given.
async function seal(): Promise<{ key: Uint8Array; certificate: Uint8Array; ca: Uint8Array }> {
  const dir = process.env['S3404_PKI'];
  if (dir === undefined) {
    const pki = await createDevelopmentPki();
    console.warn('Attention / Warning: development seal, never in production (S3404_PKI=DIR from `s3404 pki init DIR`).');
    return { key: pki.seal.privateKey, certificate: pki.seal.certificate, ca: pki.ca.certificate };
  }
  return {
    key: readPemPrivateKey(readFileSync(join(dir, 'seal-key.pem'), 'utf8')),
    certificate: readPemCertificates(readFileSync(join(dir, 'seal-cert.pem'), 'utf8'))[0]!,
    ca: readPemCertificates(readFileSync(join(dir, 'ca.pem'), 'utf8'))[0]!,
  };
}
const { key, certificate, ca } = await seal();

// 2. The bordereaux of the day, from the vendor's billing system (here two example files, one clinic).
const data = join(import.meta.dirname, '..', 'data');
const files = ['mco-chirurgie-pth.json', 'mandat-pour-compte.json'];
const first = parseBordereauJson(readFileSync(join(data, files[0]!)));
const bordereaux: Bordereau[] = files.map((f) => {
  const b = parseBordereauJson(readFileSync(join(data, f)));
  const same = validateBordereau({ ...b, establishment: first.establishment, signatures: { ...b.signatures, director: first.signatures.director } });
  if (!same.ok) throw new Error(`${f}: ${same.issues.map((i) => i.code).join(', ')}`);
  return same.data;
});

// 3. The signing policy (SIG-7…SIG-9): who may sign, their proof agreements, the mandates.
const finess = first.establishment.finess;
const directorId = 'directeur';
const practitioners = new Map(bordereaux.flatMap((b) => b.fees.map((f) => [f.practitioner.rpps, f.practitioner.name] as const)));
const authorizer = createRoleAuthorizer({
  staff: [
    { id: directorId, roles: ['director'] },
    ...[...practitioners.keys()].map((rpps) => ({ id: `prat-${rpps}`, roles: ['practitioner' as const], rpps })),
  ],
});
const proofAgreements = new MemoryProofAgreementRegistry(
  [...practitioners.keys()].map((rpps, i) => ({ reference: `CDP-2026-${i + 1}`, rpps, finess, validFrom: '2026-01-01' })),
);
const mandates = new MemoryMandateRegistry(
  bordereaux.flatMap((b) =>
    b.fees
      .filter((f) => f.signature.mandate)
      .map((f) => ({
        reference: f.signature.mandateRef ?? `MANDAT-${f.practitioner.rpps}`,
        mandatorRpps: f.practitioner.rpps,
        delegateId: directorId,
        validFrom: '2026-01-01',
      })),
  ),
);

// 4. The trace (AUD-1, AUD-2): a hash-chained log, checkpoints sealed with the establishment's key.
const log = createAuditLog({
  store: await FileAuditStore.open({ path: join(state, 'audit', 'trace.jsonl') }),
  signer: await createContentSigner({ key, certificate }),
  sha256: nodeSha256,
});
const trace = auditTraceSink(log);

// 5. The sealer and the consumer: the pending record's key only in the handle (keyHolder: null, SIG-6).
const sealer = await createSealer({
  key,
  certificate,
  contexts: new MemoryContextRegistry(),
  authorizer,
  mandates,
  proofAgreements,
  establishment: { finess },
  trace,
  limits: { maxImageBytes: 256 * 1024 },
});
const store = await openConsumptionStore(process.env['S3404_STORE'] ?? `sqlite:${join(state, 'consumption.sqlite')}`, { durable: true });
const consumer = createConsumer({ store, trustAnchors: [ca], keyHolder: null, consumerId: 'acme-signing', trace });

// 6. The service, with the vendor's own settings.
const service = createSigningService({
  sealer,
  consumer,
  bordereaux: await createRenderedBordereauSource({ bordereaux, directorId, dir: join(state, 'bordereaux') }),
  terminals: await FileTerminalStore.open({ path: join(state, 'terminals.json') }),
  trace,
  captureLimits: { maxImageBytes: 256 * 1024, maxPoints: 20_000 },
  image: { width: 1200, height: 480 },
  clockSkewSeconds: 30,
  pairingCodeTtlSeconds: 300,
  onInternalError: (e) => console.error('signing service: internal error', e),
});
const { url } = await service.listen({ port, host });
const code = service.createPairingCode();
console.log(`Service de signature / signing service: ${url}/`);
console.log(`OpenAPI: ${url}/openapi.json`);
console.log(`Code d’appairage / pairing code (until ${code.expiresAt}): ${code.code}`);

const stop = async (): Promise<void> => {
  await service.close();
  await store.close();
  await log.close();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
