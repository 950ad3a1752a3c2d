import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import {
  createCapture,
  createConsumer,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type Authorizer,
  type CaptureContext,
  type ConsumptionStore,
  type Role,
  type Scope,
} from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { runConformance, type ConformanceConsumeSdk, type VectorFile, type VectorSource } from '@s3404/conformance';

/**
 * SIG-4…SIG-10, X-3: the consume scenarios and the policy vectors judge the real consumer and sealer,
 * and catch a store that forgets its tombstones and an authorizer that allows everyone.
 */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}consume/scenarios.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'consume/scenarios.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const pki = createDevelopmentPki({ algorithm: 'ecdsa-p256', now: () => new Date('2026-03-01T00:00:00Z') });
const sdkWith = (createStore: () => ConsumptionStore, authorizer?: Authorizer): ConformanceConsumeSdk => ({
  createStore,
  createConsumer: (options) => createConsumer({ ...options, store: options.store as ConsumptionStore }),
  createSealer: async (policy) => {
    const { seal } = await pki;
    const sealer = await createSealer({
      key: seal.privateKey,
      certificate: seal.certificate,
      contexts: new MemoryContextRegistry({ now: policy.now }),
      authorizer:
        authorizer ??
        createRoleAuthorizer({
          staff: policy.staff.map((m) => ({ ...m, roles: m.roles as Exclude<Role, 'insured'>[] })),
          ...(policy.insuredTerminals === undefined ? {} : { insuredTerminals: policy.insuredTerminals }),
        }),
      mandates: new MemoryMandateRegistry(policy.mandates),
      proofAgreements: new MemoryProofAgreementRegistry(policy.proofAgreements),
      establishment: policy.establishment,
      now: policy.now,
    });
    return {
      openContext: (request) => sealer.openContext({ ...request, scope: request.scope as unknown as Scope, role: request.role as Role }),
      seal: (context, capture) => sealer.seal(createCapture(context as CaptureContext, capture)),
    };
  },
});
const real = sdkWith(() => new MemoryConsumptionStore());

/**
 * The deliberately broken store: the real memory store, but every tombstone is forgotten once its use
 * completes (no ledger), so a used record, its copy or its handle can come back.
 */
function forgetfulStore(): ConsumptionStore {
  const inner = new MemoryConsumptionStore();
  return new Proxy(inner, {
    get(target, name) {
      if (name === 'complete')
        return async (options: Parameters<ConsumptionStore['complete']>[0]) => {
          const done = await target.complete(options);
          await target.purgeTombstones({ before: new Date('9999-01-01T00:00:00Z') });
          return done;
        };
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const tests = json.testGroups.flatMap((g) => g.tests);
const scenarios = json.testGroups.filter((g) => g.type === 'consume-scenario').flatMap((g) => g.tests);
const REPLAY_FLAGS = new Set(['REPLAY', 'IDEMPOTENT_RETRY', 'DUPLICATE']);

describe('test-vectors/consume/scenarios.json', () => {
  it('has at least 25 scenarios and 20 policy vectors, at least half negative, each of SIG-4…SIG-10 covered by 3 or more', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(25);
    expect(tests.length - scenarios.length).toBeGreaterThanOrEqual(20);
    expect(scenarios.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(scenarios.length);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const id of ['SIG-4', 'SIG-5', 'SIG-6', 'SIG-7', 'SIG-8', 'SIG-9', 'SIG-10'])
      expect(tests.filter((t) => t.requirements.includes(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('createConsumer, MemoryConsumptionStore and createSealer of @s3404/seal pass every vector', async () => {
    const report = await runConformance({ sdk: { consume: real }, files, now, readFixture, filter: 'consume' });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    for (const id of ['SIG-4', 'SIG-5', 'SIG-6', 'SIG-7', 'SIG-8', 'SIG-9', 'SIG-10']) expect(report.requirements[id]?.verdict).toBe('passed');
  }, 60_000);

  it('a store without tombstones fails exactly the replay scenarios, and SIG-5', async () => {
    const report = await runConformance({ sdk: { consume: sdkWith(forgetfulStore) }, files, now, readFixture, filter: 'consume' });
    const replays = scenarios.filter((t) => t.flags.some((f) => REPLAY_FLAGS.has(f))).map((t) => t.tcId);
    expect(replays.length).toBeGreaterThanOrEqual(8);
    expect(
      report.tests
        .filter((t) => t.outcome === 'failed')
        .map((t) => t.tcId)
        .sort((a, b) => a - b),
    ).toEqual([...replays].sort((a, b) => a - b));
    expect(report.tests.filter((t) => t.outcome === 'indeterminate')).toEqual([]);
    expect(report.requirements['SIG-5']?.verdict).toBe('failed');
    expect(report.requirements['SIG-4']?.verdict).toBe('failed');
    expect(report.requirements['SIG-10']?.verdict).toBe('failed');
  }, 60_000);

  it('an authorizer that allows everyone fails exactly the unauthorised-signer vectors, and SIG-7', async () => {
    const allowAll: Authorizer = { authorize: () => ({ allow: true }) };
    const report = await runConformance({
      sdk: { consume: sdkWith(() => new MemoryConsumptionStore(), allowAll) },
      files,
      now,
      readFixture,
      filter: 'consume',
    });
    const unauthorised = tests.filter((t) => t.flags.includes('UNAUTHORISED')).map((t) => t.tcId);
    expect(unauthorised.length).toBeGreaterThanOrEqual(4);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(unauthorised);
    expect(report.requirements['SIG-7']?.verdict).toBe('failed');
    expect(report.requirements['SIG-5']?.verdict).toBe('passed');
  }, 60_000);

  it('without a consume area, every scenario is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture, filter: 'consume' });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});
