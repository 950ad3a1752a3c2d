import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeArtifacts, type ArtifactInput } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';
import { parseBordereau } from '@s3404/form';
import { placeSignature, renderBordereauPdf } from '@s3404/form/pdf';
import { createCapture, createConsumer, createRoleAuthorizer, createSealer, MemoryContextRegistry, type SealedRecord, type Sealer } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { greyPng } from '@s3404/tooling/png-kit';

/** X-3 across files: a sealed record that a bordereau of the folder names was used (SIG-6) on its own content (SIG-4). */
const T0 = new Date('2026-03-20T10:00:00.000Z');
const now = (): Date => T0;
const EXAMPLE = JSON.parse(readFileSync(new URL('../../../examples/data/mco-chirurgie-pth.json', import.meta.url), 'utf8')) as Record<string, any>;
/** A 160 × 60 grey stroke, written without the SDK. */
const PNG = greyPng(
  160,
  60,
  Uint8Array.from({ length: 161 * 60 }, (_, i) => (i % 161 === 0 ? 0 : (i % 161) % 40 < 3 ? 30 : 255)),
);

let pki: DevelopmentPki;
let sealer: Sealer;

/** The example bordereau, `altered` with another first name: the same identifier, other content. */
async function rendered(altered = false): Promise<{ bytes: Uint8Array; contentHash: string; id: string }> {
  const b = structuredClone(EXAMPLE);
  if (altered) b.insured.firstName = 'Paul';
  const r = await renderBordereauPdf(parseBordereau(b), { now });
  return { bytes: r.bytes, contentHash: r.contentHash, id: b.id };
}

async function sealFor(id: string, contentHash: string): Promise<SealedRecord> {
  const context = await sealer.openContext({
    scope: { kind: 'bordereau', bordereauId: id, contentHash },
    role: 'insured',
    signer: { id: 'patient-1', name: 'Jeanne Martin' },
    terminalId: 'tablette-3',
  });
  return sealer.seal(createCapture(context, { image: PNG, capturedAt: new Date(T0.getTime() + 5_000) }));
}

const judge = (files: ArtifactInput[]) => judgeArtifacts({ sdk: createPackagesSdk(), files, trustAnchors: [pki.ca.certificate], now });

beforeAll(async () => {
  pki = await createDevelopmentPki({ now });
  sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts: new MemoryContextRegistry({ now }),
    authorizer: createRoleAuthorizer({ staff: [] }),
    establishment: { finess: EXAMPLE.establishment.finess },
    now,
  });
});

describe('X-3 judgeArtifacts: sealed records and the bordereaux that name them (SIG-4, SIG-6)', () => {
  it('a used record whose sealed file is still among the outputs fails SIG-6, blamed on the record; the bordereau is not blamed', async () => {
    const { bytes, contentHash, id } = await rendered();
    const used = await sealFor(id, contentHash);
    const pending = await sealFor(id, contentHash);
    const consumer = createConsumer({ store: new MemoryConsumptionStore(), trustAnchors: [pki.ca.certificate], now });
    await consumer.deposit(used);
    const applied = await applySignature(consumer, { input: { recordId: used.recordId }, pdf: bytes, requestId: 'r1' });
    if (applied.status !== 'applied') throw new Error('not applied');

    const report = await judge([
      { path: 'out/bordereau.pdf', bytes: applied.pdf },
      { path: 'out/used.p7m', bytes: used.bytes },
      { path: 'out/pending.p7m', bytes: pending.bytes },
    ]);
    const uses = report.tests.filter((t) => t.type === 'record-use');
    expect(uses).toHaveLength(1);
    expect(uses[0]).toMatchObject({ file: 'out/used.p7m', outcome: 'failed', code: 'ERR_RECORD_NOT_DELETED', requirements: ['SIG-6'] });
    expect(uses[0]!.detail).toContain(used.recordId);
    expect(uses[0]!.fixtures?.map((f) => f.file)).toEqual(['out/bordereau.pdf']);
    expect(report.requirements['SIG-6']?.verdict).toBe('failed');
    expect(report.ok).toBe(false);
    const verdicts = Object.fromEntries(report.artifacts.map((a) => [a.path, a.verdict]));
    expect(verdicts).toEqual({ 'out/bordereau.pdf': 'passed', 'out/pending.p7m': 'passed', 'out/used.p7m': 'failed' });

    // The record deleted, as SIG-6 wants: the folder passes, and SIG-6 is not in its scope (nothing to judge it by).
    const clean = await judge([
      { path: 'out/bordereau.pdf', bytes: applied.pdf },
      { path: 'out/pending.p7m', bytes: pending.bytes },
    ]);
    expect(clean.tests.some((t) => t.type === 'record-use')).toBe(false);
    expect(clean.ok).toBe(true);
  });

  it('a record drawn on other content than it was signed for fails SIG-4 (a drawing forged with placeSignature naming the record)', async () => {
    const signedFor = await rendered(true);
    const drawnOn = await rendered(false);
    const record = await sealFor(signedFor.id, signedFor.contentHash);
    const forged = await placeSignature(drawnOn.bytes, { slot: 'insured', image: PNG, capturedAt: T0, bordereauId: drawnOn.id, recordId: record.recordId });
    const report = await judge([
      { path: 'bordereau.pdf', bytes: forged },
      { path: 'record.p7m', bytes: record.bytes },
    ]);
    const use = report.tests.find((t) => t.type === 'record-use');
    expect(use).toMatchObject({ file: 'record.p7m', outcome: 'failed', code: 'ERR_RECORD_WRONG_CONTENT', requirements: ['SIG-4'] });
    expect(report.requirements['SIG-4']?.verdict).toBe('failed');
    // Without trust anchors no record's content is read: no such check, the record itself indeterminate.
    const blind = await judgeArtifacts({
      sdk: createPackagesSdk(),
      files: [
        { path: 'bordereau.pdf', bytes: forged },
        { path: 'record.p7m', bytes: record.bytes },
      ],
      now,
    });
    expect(blind.tests.some((t) => t.type === 'record-use')).toBe(false);
  });
});
