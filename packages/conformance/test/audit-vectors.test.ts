import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fixedClock } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { runConformance, type ConformanceSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** AUD-1, AUD-2, X-3: the hash-chained trace vectors judge the real verifier, and catch one that never checks the links. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}audit/chains.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'audit/chains.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));
const tests = json.testGroups.flatMap((g) => g.tests);
/** A vector's variant, read from its trace fixture's name (`audit-<req>-tNN-<pass|fail>-<variant>.jsonl`). */
const variant = (tcId: number): string => {
  const input = tests.find((t) => t.tcId === tcId)?.input as { trace?: { file?: string } } | undefined;
  const file = input?.trace?.file ?? '';
  return /-(?:pass|fail)-(.+)\.jsonl$/.exec(file)?.[1] ?? '';
};

type VerifyTrace = NonNullable<ConformanceSdk['auditChain']>['verifyTrace'];
/** The SDK's own verifier, as `@s3404/conformance/sdk` wires it (strict `verifyLog`, `createContentVerifier`). */
const real: VerifyTrace = (createPackagesSdk({ sha256: nodeSha256 }).auditChain as NonNullable<ConformanceSdk['auditChain']>).verifyTrace;
/** The deliberately broken verifier: it checks each event's own hash, never the links, sequences, times, schema or signatures. */
const ownHashOnly: VerifyTrace = async (lines) => {
  for (const line of new TextDecoder().decode(lines).split('\n')) {
    if (line === '') continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { ok: false, issues: [{ code: 'ERR_AUDIT_LINE_INVALID' }], damage: 'modified' };
    }
    const { hash, ...rest } = event;
    const own = createHash('sha256')
      .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(rest))]))
      .digest('hex');
    if (own !== hash) return { ok: false, issues: [{ code: 'ERR_AUDIT_HASH_MISMATCH' }], damage: 'modified' };
  }
  return { ok: true, issues: [] };
};

describe('test-vectors/audit/chains.json', () => {
  it('has at least 20 vectors, at least half negative, AUD-2 covered by 3 or more, every negative naming a code and a damage', () => {
    expect(tests.length).toBeGreaterThanOrEqual(20);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const id of ['AUD-1', 'AUD-2']) expect(tests.filter((t) => t.requirements.includes(id)).length).toBeGreaterThanOrEqual(3);
    for (const t of tests.filter((t) => t.result === 'invalid')) expect(t.expected).toMatchObject({ code: expect.any(String), damage: expect.any(String) });
  });

  it('the real verifier of @s3404/audit passes every vector', async () => {
    const report = await runConformance({ sdk: { auditChain: { verifyTrace: real } }, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    for (const id of ['AUD-1', 'AUD-2']) expect(report.requirements[id]?.verdict).toBe('passed');
  }, 60_000);

  it('a verifier that checks only each event’s own hash fails exactly the link, order, truncation, time, schema and signature vectors, and AUD-2', async () => {
    const report = await runConformance({ sdk: { auditChain: { verifyTrace: ownHashOnly } }, files, now, readFixture });
    const failed = report.tests
      .filter((t) => t.outcome === 'failed')
      .map((t) => variant(t.tcId))
      .sort();
    expect(failed).toEqual(
      [
        'deleted-middle',
        'deleted-tail',
        'deleted-checkpoint',
        'inserted-duplicate',
        'inserted-forged',
        'reordered',
        'head-cut',
        'head-cut-at-checkpoint',
        'tail-cut-witnessed',
        'torn-tail',
        'edited-rehashed',
        'rewritten-after-checkpoint',
        'forged-signature',
        'untrusted-key',
        'wrong-anchor',
        'backdated',
        'unknown-action',
      ].sort(),
    );
    expect(report.tests.filter((t) => t.outcome === 'indeterminate')).toEqual([]);
    expect(report.requirements['AUD-2']?.verdict).toBe('failed');
  }, 60_000);

  it('without an auditChain in the SDK, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});
