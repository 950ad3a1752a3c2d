import type { ConformanceConsumeSdk } from '../sdk-consume.js';
import {
  createCapture,
  createConsumer,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type CaptureContext,
  type ConsumptionStore,
  type Role,
  type Scope,
} from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';

/**
 * The single-use primitives of `@s3404/seal` wired into the runner's consume
 * interface (SIG-4…SIG-10, X-3): a fresh `MemoryConsumptionStore` per
 * scenario, `createConsumer`, and `createSealer` with the vector's policy
 * (`createRoleAuthorizer`, `MemoryMandateRegistry`,
 * `MemoryProofAgreementRegistry`) on a development PKI made once per run —
 * the policy vectors judge the policy, not the key.
 */
export function consumeSdk(): ConformanceConsumeSdk {
  let pki: Promise<DevelopmentPki> | undefined;
  return {
    createStore: () => new MemoryConsumptionStore(),
    createConsumer: (options) => createConsumer({ ...options, store: options.store as ConsumptionStore }),
    createSealer: async (policy) => {
      pki ??= createDevelopmentPki({ algorithm: 'ecdsa-p256', now: policy.now });
      const { seal } = await pki;
      const sealer = await createSealer({
        key: seal.privateKey,
        certificate: seal.certificate,
        contexts: new MemoryContextRegistry({ now: policy.now }),
        authorizer: createRoleAuthorizer({
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
  };
}
