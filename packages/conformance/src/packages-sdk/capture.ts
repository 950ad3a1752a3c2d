import { isS3404Error } from '@s3404/core';
import type { ConformanceCaptureSdk } from '../sdk-capture.js';
import {
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  readCaptureMessage,
  toContextMessage,
  type CreateCaptureContextOptions,
  type Mandate,
  type ProofAgreement,
  type RoleAuthorizerOptions,
} from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';

/** The signing policy a capture vector gives, in `@s3404/seal`'s shapes. */
interface Policy {
  readonly staff?: RoleAuthorizerOptions['staff'];
  readonly mandates?: readonly Mandate[];
  readonly proofAgreements?: readonly ProofAgreement[];
  readonly establishment?: { readonly finess: string };
}

/**
 * `createSealer` of `@s3404/seal` on a `MemoryContextRegistry` and a development
 * PKI (one per run, issued at the first vector's clock), with `toContextMessage`
 * and `readCaptureMessage`, wired into the runner's capture interface (SIG-1,
 * SIG-2, X-2, X-3).
 */
export function captureSdk(): ConformanceCaptureSdk {
  let pki: Promise<DevelopmentPki> | undefined;
  return {
    openSession: async ({ now, limits, policy }) => {
      pki ??= createDevelopmentPki({ algorithm: 'ecdsa-p256', now });
      const p = await pki;
      const { staff = [], mandates = [], proofAgreements = [], establishment } = (policy ?? {}) as Policy;
      const sealer = await createSealer({
        key: p.seal.privateKey,
        certificate: p.seal.certificate,
        contexts: new MemoryContextRegistry({ now }),
        authorizer: createRoleAuthorizer({ staff }),
        mandates: new MemoryMandateRegistry(mandates),
        proofAgreements: new MemoryProofAgreementRegistry(proofAgreements),
        ...(establishment === undefined ? {} : { establishment }),
        ...(limits === undefined ? {} : { limits }),
        now,
      });
      return {
        openContext: async (request) => {
          const context = await sealer.openContext(request as Omit<CreateCaptureContextOptions, 'now' | 'random'>);
          return JSON.parse(JSON.stringify(toContextMessage(context, limits === undefined ? {} : { limits }))) as unknown;
        },
        seal: async (message, { terminalId }) => {
          try {
            await sealer.seal(readCaptureMessage(message, { terminalId, ...(limits === undefined ? {} : { limits }) }));
            return { ok: true, issues: [] };
          } catch (e) {
            if (isS3404Error(e)) return { ok: false, issues: [{ code: e.code }] };
            throw e;
          }
        },
      };
    },
  };
}
