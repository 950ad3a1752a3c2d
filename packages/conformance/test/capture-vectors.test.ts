import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock, isS3404Error } from '@s3404/core';
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
import { runConformance, type ConformanceCaptureSdk, type VectorFile, type VectorSource } from '@s3404/conformance';

/** SIG-1, SIG-2, X-2: the capture vectors judge the real sealer, and catch one that does not compare the display. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}capture/messages.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'capture/messages.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

interface Policy {
  readonly staff?: RoleAuthorizerOptions['staff'];
  readonly mandates?: readonly Mandate[];
  readonly proofAgreements?: readonly ProofAgreement[];
  readonly establishment?: { readonly finess: string };
}

let pki: Promise<DevelopmentPki> | undefined;
/**
 * `@s3404/seal` wired as the runner's capture service; `ignoreDisplay` makes the deliberately broken
 * one, which puts back the display it issued over the one the tablet echoes, so never compares it.
 */
function captureSdk(ignoreDisplay = false): ConformanceCaptureSdk {
  return {
    openSession: async ({ now: clock, limits, policy }) => {
      pki ??= createDevelopmentPki({ algorithm: 'ecdsa-p256', now: clock });
      const p = await pki;
      const { staff = [], mandates = [], proofAgreements = [], establishment } = (policy ?? {}) as Policy;
      const sealer = await createSealer({
        key: p.seal.privateKey,
        certificate: p.seal.certificate,
        contexts: new MemoryContextRegistry({ now: clock }),
        authorizer: createRoleAuthorizer({ staff }),
        mandates: new MemoryMandateRegistry(mandates),
        proofAgreements: new MemoryProofAgreementRegistry(proofAgreements),
        ...(establishment === undefined ? {} : { establishment }),
        ...(limits === undefined ? {} : { limits }),
        now: clock,
      });
      const displays = new Map<string, unknown>();
      return {
        openContext: async (request) => {
          const message = toContextMessage(await sealer.openContext(request as Omit<CreateCaptureContextOptions, 'now' | 'random'>), {
            ...(limits === undefined ? {} : { limits }),
          });
          displays.set(message.context.token.nonce, structuredClone(message.context.display));
          return JSON.parse(JSON.stringify(message)) as unknown;
        },
        seal: async (message, { terminalId }) => {
          const context = (message as { context?: { token?: { nonce?: string }; display?: unknown } }).context;
          const shown = displays.get(context?.token?.nonce ?? '');
          if (ignoreDisplay && context !== undefined && shown !== undefined) context.display = structuredClone(shown);
          try {
            await sealer.seal(readCaptureMessage(message, { terminalId, ...(limits === undefined ? {} : { limits }) }));
            return { ok: true };
          } catch (e) {
            if (isS3404Error(e)) return { ok: false, code: e.code };
            throw e;
          }
        },
      };
    },
  };
}

const tests = json.testGroups.flatMap((g) => g.tests);

describe('test-vectors/capture/messages.json', () => {
  it('has at least 30 vectors, at least half negative, each of SIG-1, SIG-2, X-2 covered by 3 or more', () => {
    expect(tests.length).toBeGreaterThanOrEqual(30);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const id of ['SIG-1', 'SIG-2', 'X-2']) expect(tests.filter((t) => t.requirements.includes(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('the real sealer of @s3404/seal passes every vector', async () => {
    const report = await runConformance({ sdk: { capture: captureSdk() }, files, now, readFixture, filter: 'capture' });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.code ?? ''} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    for (const id of ['SIG-1', 'SIG-2', 'X-2']) expect(report.requirements[id]?.verdict).toBe('passed');
  }, 60_000);

  it('a sealer that does not compare the display fails exactly the display vectors, and SIG-1', async () => {
    const report = await runConformance({ sdk: { capture: captureSdk(true) }, files, now, readFixture, filter: 'capture' });
    const display = tests.filter((t) => t.flags.includes('DISPLAY')).map((t) => t.tcId);
    expect(display.length).toBeGreaterThanOrEqual(6);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(display);
    expect(report.tests.find((t) => t.tcId === display[0])?.detail).toBe('expected invalid, the SDK accepted');
    expect(report.requirements['SIG-1']?.verdict).toBe('failed');
    expect(report.requirements['SIG-2']?.verdict).toBe('passed');
  }, 60_000);

  it('without a capture area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture, filter: 'capture' });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});
