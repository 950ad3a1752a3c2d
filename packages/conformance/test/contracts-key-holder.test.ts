import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '@s3404/core/node';
import { MemoryKeyHolder, type HeldKey, type RecordKeyHolder } from '@s3404/seal';
import { RedisKeyHolder } from '@s3404/seal/redis';
import { defineAdapter, runAdapterContracts, runKeyHolderContract } from '@s3404/conformance/contracts';
import { expectFailsExactly } from './contract-kit.js';

/** SIG-6, X-3: the RecordKeyHolder contract suite judges the SDK's key holders and catches broken ones. */

const T0 = new Date('2026-03-20T10:00:00.000Z');
/** The clock of the cases: moving with real time, as a holder on a server counts its keys' lives on its own clock. */
const started = Date.now();
const now = () => new Date(T0.getTime() + (Date.now() - started));
const context = { now, sha256: nodeSha256 };
const url = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** The run's keys: each expires by itself within ten minutes (the longest life the suite asks), on a Redis that keeps nothing. */
const prefix = `khc:${process.pid}.${Date.now().toString(36)}:`;

/** The SDK's memory holder, told it is shared, with a put-if-absent: what a vendor would write, in one of three ways. */
class VendorHolder extends MemoryKeyHolder {
  readonly shared = true as const;
  readonly #expiries = new Map<string, Date>();
  #turn: Promise<unknown> = Promise.resolve();
  constructor(readonly flaw?: 'not-atomic' | 'replaces' | 'lengthens' | 'keeps-reference' | 'never-expires' | 'deletes-any') {
    super();
  }
  override async put(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<void> {
    const kept = this.flaw === 'never-expires' ? new Date(8.64e15) : expiresAt;
    this.#expiries.set(recordId, kept);
    await super.put(recordId, key, kept, at);
    if (this.flaw === 'keeps-reference') this.#references.set(recordId, key);
  }
  readonly #references = new Map<string, Uint8Array>();
  override async get(recordId: string, at: Date): Promise<Uint8Array | null> {
    const held = await super.get(recordId, at);
    // A flawed holder that gives back the caller's own buffer.
    return held !== null && this.#references.has(recordId) ? this.#references.get(recordId)! : held;
  }
  override async deleteIfHeld(recordId: string, key: Uint8Array): Promise<boolean> {
    // A flawed one that deletes whatever key is held.
    if (this.flaw !== 'deletes-any') return super.deleteIfHeld(recordId, key);
    const held = (await this.get(recordId, new Date(0))) !== null;
    await this.delete(recordId);
    return held;
  }
  putIfAbsent(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<HeldKey | null> {
    const step = async (): Promise<HeldKey | null> => {
      const held = await this.get(recordId, at);
      if (this.flaw === 'not-atomic') await new Promise((resolve) => setTimeout(resolve, 1));
      if (held !== null && this.flaw !== 'replaces') {
        if (this.flaw === 'lengthens' && expiresAt > this.#expiries.get(recordId)!) await this.put(recordId, held, expiresAt, at);
        return { key: held, expiresAt: this.#expiries.get(recordId)! };
      }
      await this.put(recordId, key, expiresAt, at);
      return held === null ? null : { key: held, expiresAt: this.#expiries.get(recordId)! };
    };
    if (this.flaw === 'not-atomic') return step();
    const next = this.#turn.then(step);
    this.#turn = next.catch(() => undefined);
    return next;
  }
}

describe('runKeyHolderContract on the SDK key holders (SIG-6)', () => {
  it('passes every case with RedisKeyHolder on a real Redis: shared, with putIfAbsent', { timeout: 60_000 }, async () => {
    const tests = await runKeyHolderContract(() => RedisKeyHolder.open({ url, prefix }), context);
    expect(tests.map((t) => t.tcId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 9]);
    expect(tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId}: ${t.detail}`)).toEqual([]);
    for (const t of tests) expect(t).toMatchObject({ file: 'contracts/key-holder', requirements: ['SIG-6'] });
  });

  it('passes the cases that apply to MemoryKeyHolder (one consumer: not shared, no putIfAbsent)', { timeout: 30_000 }, async () => {
    const tests = await runKeyHolderContract(() => new MemoryKeyHolder(), context);
    expect(tests.map((t) => [t.tcId, t.outcome])).toEqual([1, 2, 3, 4, 5, 10, 9].map((id) => [id, 'passed']));
  });

  it('through an adapter module: `keyHolder` gets the suite, and its report judges SIG-6', { timeout: 30_000 }, async () => {
    const shared = new VendorHolder();
    const report = await runAdapterContracts({ adapter: defineAdapter({ name: 'vendor-keys', keyHolder: () => shared }), now });
    expect(report.ok).toBe(true);
    expect(report.requirements['SIG-6']?.verdict).toBe('passed');
    expect(report.tests.map((t) => t.tcId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 9]);
    await expect(runAdapterContracts({ adapter: defineAdapter({ name: 'half', keyHolder: () => ({ put() {} }) as never }) })).rejects.toMatchObject({
      code: 'ERR_ADAPTER_INVALID',
    });
  });
});

describe('runKeyHolderContract catches broken key holders (SIG-6)', () => {
  const judge = (flaw: ConstructorParameters<typeof VendorHolder>[0]) => {
    const one = new VendorHolder(flaw);
    return runKeyHolderContract(() => one, context);
  };
  it('a putIfAbsent that looks then puts (two steps): several calls at once keep their keys', { timeout: 30_000 }, async () => {
    expectFailsExactly(await judge('not-atomic'), [8]);
  });
  it('a putIfAbsent that replaces the key held, or lengthens its life', { timeout: 30_000 }, async () => {
    expectFailsExactly(await judge('replaces'), [7, 8]);
    expectFailsExactly(await judge('lengthens'), [7]);
  });
  it("a holder that keeps the caller's buffer, or keeps keys past their record", { timeout: 30_000 }, async () => {
    expectFailsExactly(await judge('keeps-reference'), [1]);
    expectFailsExactly(await judge('never-expires'), [2, 7]);
  });
  it('a holder that says it is shared but shows each instance only its own keys', { timeout: 30_000 }, async () => {
    const tests = await runKeyHolderContract(() => Object.assign(new VendorHolder(), { shared: true as const }), context);
    // Each factory call is a holder of its own: case 6 sees it; case 8's four holders each keep a key; case 10's
    // second holder cannot delete the first one's key.
    expectFailsExactly(tests, [6, 8, 10]);
  });
  it('a deleteIfHeld that destroys whatever key is held', { timeout: 30_000 }, async () => {
    expectFailsExactly(await judge('deletes-any'), [10]);
  });
});

/** The kind of holder a vendor writes: a type check that `VendorHolder` is a RecordKeyHolder. */
const typed: RecordKeyHolder = new VendorHolder();
void typed;
