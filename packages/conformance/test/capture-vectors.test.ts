import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { runConformance, type ConformanceCaptureSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** SIG-1, SIG-2, X-2: the capture vectors judge the real sealer, and catch one that does not compare the display. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}capture/messages.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'capture/messages.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const real = createPackagesSdk().capture as ConformanceCaptureSdk;

/**
 * The SDK's own capture service (`@s3404/conformance/sdk`); `ignoreDisplay` makes the deliberately
 * broken one, which puts back the display it issued over the one the tablet echoes, so never compares it.
 */
function captureSdk(ignoreDisplay = false): ConformanceCaptureSdk {
  if (!ignoreDisplay) return real;
  return {
    openSession: async (options) => {
      const session = await real.openSession(options);
      const displays = new Map<string, unknown>();
      return {
        openContext: async (request) => {
          const message = (await session.openContext(request)) as { context: { token: { nonce: string }; display: unknown } };
          displays.set(message.context.token.nonce, structuredClone(message.context.display));
          return message;
        },
        seal: async (message, options) => {
          const context = (message as { context?: { token?: { nonce?: string }; display?: unknown } }).context;
          const shown = displays.get(context?.token?.nonce ?? '');
          if (context !== undefined && shown !== undefined) context.display = structuredClone(shown);
          return session.seal(message, options);
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
