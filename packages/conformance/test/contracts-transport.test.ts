import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { nodeSha256 } from '@s3404/core/node';
import { packLot, type LotTransmission, type PackedLot, type Transport, type TransportReceipt } from '@s3404/scor';
import { FileDropTransport } from '@s3404/scor/file';
import { runTransportContract, type TransportContractContext } from '@s3404/conformance/contracts';
import { expectFailsExactly, failed } from './contract-kit.js';

/** SCOR-2, SCOR-3, X-3: the Transport contract suite judges the SDK's transport and catches broken ones. */

const ALL = [1, 2, 3, 4, 5, 6, 7];
const VECTORS = fileURLToPath(new URL('../../../test-vectors/scor/', import.meta.url));
const now = () => new Date('2026-03-23T08:00:00.000Z');
let lot: PackedLot;
let dir: string;

beforeAll(async () => {
  // The first lot of the SCOR vectors: one invoice, its signed S3404 and an annex.
  const file = JSON.parse(readFileSync(join(VECTORS, 'lots.json'), 'utf8')) as {
    testGroups: { tests: { tcId: number; input: { description: string; files: Record<string, { file: string }> } }[] }[];
  };
  const input = file.testGroups[0]!.tests.find((t) => t.tcId === 1)!.input;
  const files = new Map(Object.entries(input.files).map(([name, f]) => [name, new Uint8Array(readFileSync(join(VECTORS, f.file)))]));
  lot = await packLot(JSON.parse(input.description), { files, now });
  dir = mkdtempSync(join(tmpdir(), 's3404-contract-transport-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What arrived in a drop folder: the file the receipt names. */
const dropped =
  (folder: () => string) =>
  async (_t: LotTransmission, receipt: TransportReceipt): Promise<Uint8Array | null> => {
    const path = join(folder(), receipt.reference ?? '');
    return receipt.reference !== undefined && existsSync(path) ? new Uint8Array(readFileSync(path)) : null;
  };
const context = (folder: () => string = () => dir): TransportContractContext => ({ now, sha256: nodeSha256, lot, received: dropped(folder) });

/** A FileDropTransport whose `send` is replaced. */
function dropping(send: (inner: Transport, t: LotTransmission) => Promise<TransportReceipt>): Transport {
  const inner = new FileDropTransport({ dir });
  return { id: 'broken', send: (t) => send(inner, t) };
}

describe('runTransportContract on the SDK transport (SCOR-3)', () => {
  it('passes every case with FileDropTransport, read back from its drop folder', { timeout: 60_000 }, async () => {
    const tests = await runTransportContract(() => new FileDropTransport({ dir }), context());
    expectFailsExactly(tests, []);
    expect(tests.map((t) => t.tcId)).toEqual(ALL);
    for (const t of tests) expect(t.file).toBe('contracts/transport');
  });

  it('without a lot or a way to read what arrived, the cases that need them are indeterminate, never passed', { timeout: 60_000 }, async () => {
    const tests = await runTransportContract(() => new FileDropTransport({ dir }), { now });
    expect(tests.map((t) => t.outcome)).toEqual([
      'passed',
      'indeterminate',
      'indeterminate',
      'indeterminate',
      'indeterminate',
      'indeterminate',
      'indeterminate',
    ]);
    const noLot = await runTransportContract(() => new FileDropTransport({ dir }), { now, received: dropped(() => dir) });
    expect(noLot.map((t) => t.outcome)).toEqual(['passed', 'passed', 'passed', 'passed', 'indeterminate', 'indeterminate', 'indeterminate']);
    await expect(runTransportContract(undefined as never, { now })).rejects.toThrow(TypeError);
  });
});

describe('runTransportContract on broken transports (SCOR-2, SCOR-3)', () => {
  it('a transport that flips a byte fails every case that reads what arrived', { timeout: 60_000 }, async () => {
    const flipping = dropping((inner, t) => {
      const bytes = Uint8Array.from(t.bytes);
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
      return inner.send({ ...t, bytes });
    });
    const tests = await runTransportContract(() => flipping, context());
    expectFailsExactly(tests, [2, 3, 4, 5, 6, 7]);
    expect(tests[1]!.detail).toMatch(/byte 524288 differs/);
    expect(tests[4]!.detail).toMatch(/verifyLot refuses what arrived/);
  });

  it('a transport that acknowledges without delivering fails the arrival cases', { timeout: 60_000 }, async () => {
    const liar: Transport = { id: 'liar', send: async (t) => ({ reference: `${t.lotId}/nowhere.zip` }) };
    const tests = await runTransportContract(() => liar, context());
    expectFailsExactly(tests, [2, 3, 4, 5, 6, 7]);
    expect(tests[1]!.detail).toMatch(/nothing arrived for conformance-.* attempt 1, although the transport accepted it/);
  });

  it('a transport that writes every attempt of a lot to one place loses attempt 1', { timeout: 60_000 }, async () => {
    const overwriting = dropping((inner, t) => inner.send({ ...t, attempt: 1 }));
    const tests = await runTransportContract(() => overwriting, context());
    expectFailsExactly(tests, [3]);
    expect(tests[2]!.detail).toMatch(/attempt 1 no longer reads back intact after attempt 2/);
  });

  it('a transport that mixes concurrent lots (one shared buffer) fails the concurrency case', { timeout: 60_000 }, async () => {
    let shared: Uint8Array | null = null;
    const mixing = dropping(async (inner, t) => {
      shared = t.bytes;
      await new Promise((r) => setTimeout(r, 5));
      return inner.send({ ...t, bytes: shared });
    });
    const tests = await runTransportContract(() => mixing, context());
    expectFailsExactly(tests, [4]);
    expect(tests[3]!.detail).toMatch(/lot 1 of 8 did not arrive intact/);
  });

  it('a transport that scribbles on the caller’s buffer, or refuses everything, or hangs, fails', { timeout: 60_000 }, async () => {
    const scribbling = dropping(async (inner, t) => {
      const receipt = await inner.send(t);
      t.bytes[0] = t.bytes[0]! ^ 0xff;
      return receipt;
    });
    const s = await runTransportContract(() => scribbling, context());
    expect(failed(s)).toContain(1);
    expect(s[0]!.detail).toMatch(/modified the bytes it was given/);

    const refusing: Transport = { id: 'down', send: () => Promise.reject(new Error('frontal injoignable')) };
    const r = await runTransportContract(() => refusing, context());
    expectFailsExactly(r, [1, 2, 3, 4, 5, 6, 7]);
    expect(r[0]!.detail).toMatch(/frontal injoignable/);
    expect(r[5]!.detail).toMatch(/the lot is retrying after 1 attempt/);

    const hanging: Transport = { id: 'hang', send: () => new Promise<TransportReceipt>(() => undefined) };
    const started = Date.now();
    const h = await runTransportContract(() => hanging, { ...context(), timeoutMs: 300 });
    expectWithinBound(Date.now() - started, 10_000, 'the cases of a hanging transport', { clock: 'wall' });
    expectFailsExactly(h, ALL);
    expect(h[0]!.detail).toMatch(/no answer within 0.3 s/);
  });
});
