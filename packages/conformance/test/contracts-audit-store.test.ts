import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import type { AuditEvent, AuditStore, ChainHead, StoredEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { FileAuditStore } from '@s3404/audit/file';
import { PostgresAuditStore } from '@s3404/audit/postgres';
import { nodeSha256 } from '@s3404/core/node';
import { runAuditStoreContract } from '@s3404/conformance/contracts';
import type { ConformanceTest } from '@s3404/conformance';
import { expectFailsExactly, failed } from './contract-kit.js';

/** AUD-1…AUD-3, X-3: the AuditStore contract suite judges the SDK's own stores and catches broken ones. */

const context = { now: () => new Date('2026-03-20T10:00:00.000Z'), sha256: nodeSha256 };
const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9];

function expectAllPassed(tests: readonly ConformanceTest[]): void {
  expect(tests.map((t) => t.tcId)).toEqual(ALL);
  expect(tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId}: ${t.detail}`)).toEqual([]);
  for (const t of tests) {
    expect(t.file).toBe('contracts/audit-store');
    expect(t.requirements.length).toBeGreaterThan(0);
    expect(t.inputSha256).toMatch(/^[0-9a-f]{64}$/);
  }
}
/** The broken store fails exactly `tcIds`, each `failed` (never indeterminate), with a detail; every other case passes. */
/** A handle that forwards everything to `inner`, with some methods replaced. */
function wrap(inner: AuditStore, override: Partial<AuditStore>): AuditStore {
  return {
    append: (build) => inner.append(build),
    read: (options) => inner.read(options),
    lines: () => inner.lines(),
    head: () => inner.head(),
    purge: (n) => inner.purge(n),
    close: () => inner.close(),
    ...override,
  };
}
const encoder = new TextEncoder();
describe('runAuditStoreContract on the SDK stores (AUD-2)', () => {
  it('passes every case on the memory store', { timeout: 60_000 }, async () => {
    const store = new MemoryAuditStore({ sha256: nodeSha256 });
    expectAllPassed(await runAuditStoreContract(() => store, context));
  });

  it('passes every case on the file store, each handle opened anew on the same file', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3404-contract-audit-'));
    try {
      const path = join(dir, 'trace.jsonl');
      expectAllPassed(await runAuditStoreContract(() => FileAuditStore.open({ path, sha256: nodeSha256 }), context));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const prefix = `t_h4b_audit_${process.pid}_`;
  afterAll(() => {
    spawnSync(
      'psql',
      [
        '-h',
        '127.0.0.1',
        '-U',
        'postgres',
        '-d',
        'test',
        '-q',
        '-c',
        `DROP TABLE IF EXISTS ${prefix}audit_events CASCADE; DROP FUNCTION IF EXISTS ${prefix}audit_events_append_only() CASCADE`,
      ],
      { encoding: 'utf8' },
    );
  });
  it('passes every case on the PostgreSQL store, each handle its own pool', { timeout: 90_000 }, async () => {
    const connectionString = 'postgres://postgres@127.0.0.1:5432/test';
    expectAllPassed(await runAuditStoreContract(() => PostgresAuditStore.open({ connectionString, tablePrefix: prefix, poolSize: 2 }), context));
  });
});

describe('runAuditStoreContract on broken stores (AUD-2, AUD-3)', () => {
  it('a store that loses an event from what it reads and gives back fails the read and verification cases', { timeout: 60_000 }, async () => {
    const inner = new MemoryAuditStore();
    // Event 3 vanishes from read() and lines(): a lost write, or a deletion.
    const lossy = wrap(inner, {
      async *read(options) {
        for await (const e of inner.read(options)) if (e.seq !== 3) yield e;
      },
      lines: () => withoutLine(inner, 3),
    });
    const tests = await runAuditStoreContract(() => lossy, context);
    // 7 compares two reads of the same lossy store; 8 purges event 3 away.
    expectFailsExactly(tests, [1, 2, 3, 4, 5, 6]);
    expect(tests[0]!.detail).toMatch(/23 events read, 24 appended/);
    expect(tests[1]!.detail).toMatch(/verifyLog refuses the stored lines: deleted at seq 3/);
  });

  it('a store that reorders two events when it reads them back fails the cases that read', { timeout: 60_000 }, async () => {
    const inner = new MemoryAuditStore();
    const swapped = wrap(inner, {
      async *read(options) {
        const all: AuditEvent[] = [];
        for await (const e of inner.read(options)) all.push(e);
        const i = all.findIndex((e) => e.seq === 5);
        if (i >= 0 && i + 1 < all.length) [all[i], all[i + 1]] = [all[i + 1]!, all[i]!];
        yield* all;
      },
    });
    const tests = await runAuditStoreContract(() => swapped, context);
    // Case 1 reads the events it appended; case 2 checks each line against the event read at its place. The later
    // cases read from their own first event on, past the swap.
    expectFailsExactly(tests, [1, 2]);
    expect(tests[0]!.detail).toMatch(/event 5 read back is not the one appended \(seq 6 for 5\)/);
    expect(tests[1]!.detail).toMatch(/is not the canonical JSON line of each of the 24 events read, in order/);
  });

  it('a store without a lock, whose writers build on the same head, forks the chain under concurrent appends', { timeout: 60_000 }, async () => {
    const unlocked = new UnlockedStore();
    const tests = await runAuditStoreContract(() => unlocked, context);
    // The fork stays in the trace: every later case that verifies the whole trace fails too (7 only reads).
    expectFailsExactly(tests, [3, 4, 5, 6, 8]);
    expect(tests[2]!.detail).toMatch(/forked or lost|refused|stored after/);
    for (const t of tests.filter((x) => [4, 5, 6].includes(x.tcId))) expect(t.detail).toMatch(/verifyLog refuses the stored lines/);
  });

  it('a store whose purge deletes one event too many fails the retention case, and the cut trace no longer verifies', { timeout: 60_000 }, async () => {
    const inner = new MemoryAuditStore();
    const greedy = wrap(inner, { purge: (n) => inner.purge(n + 1) });
    const tests = await runAuditStoreContract(() => greedy, context);
    // The anchoring checkpoint is gone: the trace has lost its head for good, so case 9's verification fails too.
    expectFailsExactly(tests, [8, 9]);
    expect(tests[8]!.detail).toMatch(/verifyLog refuses the stored lines: deleted at seq 1 \(ERR_AUDIT_HEAD_MISSING\)/);
    expect(tests[7]!.detail).toMatch(/starts at seq|deleted/);
  });

  it("a store that swallows its builder's failure and acknowledges the append fails the failed-append case", { timeout: 60_000 }, async () => {
    const inner = new MemoryAuditStore();
    // It reports success for a batch that was never built: the caller believes an event was traced.
    const leaky = wrap(inner, {
      append: (build) =>
        inner.append(async (head) => {
          try {
            return await build(head);
          } catch {
            return [];
          }
        }),
    });
    const tests = await runAuditStoreContract(() => leaky, context);
    expectFailsExactly(tests, [5]);
    expect(tests[4]!.detail).toMatch(/resolved although its builder threw/);
  });

  it('a store that never answers fails its cases in bounded time instead of hanging', { timeout: 30_000 }, async () => {
    const hanging = wrap(new MemoryAuditStore(), { append: () => new Promise<void>(() => undefined) });
    const started = Date.now();
    const tests = await runAuditStoreContract(() => hanging, { ...context, timeoutMs: 500 });
    expectWithinBound(Date.now() - started, 15_000, 'the cases of a store that never answers', { clock: 'wall' });
    expect(failed(tests)).toEqual([1, 3, 4, 5, 6, 8, 9]);
    expect(tests[0]!.detail).toMatch(/no answer within 0.5 s/);
  });

  it('a factory that fails, or gives no AuditStore, makes every case fail with its reason, never pass', async () => {
    const tests = await runAuditStoreContract(() => Promise.reject(new Error('ORA-12541: no listener')), context);
    expect(tests.map((t) => t.outcome)).toEqual(ALL.map(() => 'failed'));
    expect(tests[0]!.detail).toMatch(/ORA-12541/);
    const notAStore = await runAuditStoreContract(() => ({ append: async () => undefined }) as never, context);
    expect(notAStore.map((t) => t.outcome)).toEqual(ALL.map(() => 'failed'));
    expect(notAStore[0]!.detail).toBe('the factory gave no AuditStore (missing read, lines, head, purge, close)');
  });

  it('refuses to run without a factory or a clock (TypeError)', async () => {
    await expect(runAuditStoreContract(undefined as never, context)).rejects.toThrow(TypeError);
    await expect(runAuditStoreContract(() => new MemoryAuditStore(), {} as never)).rejects.toThrow(TypeError);
  });
});

/** The inner store's lines without the line of event `seq`. */
async function* withoutLine(inner: AuditStore, seq: number): AsyncIterable<Uint8Array> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of inner.lines()) text += decoder.decode(chunk, { stream: true });
  yield encoder.encode(
    text
      .split('\n')
      .filter((l) => l !== '' && !l.includes(`"seq":${seq},`))
      .map((l) => `${l}\n`)
      .join(''),
  );
}

/** A store that reads its head, awaits the builder, then writes — with no lock between: two writers both extend the same head. */
class UnlockedStore implements AuditStore {
  readonly #inner = new MemoryAuditStore();
  readonly #events: StoredEvent[] = [];
  #head: ChainHead | null = null;
  async append(build: (head: ChainHead) => Promise<readonly StoredEvent[]>): Promise<void> {
    const head = (this.#head ?? (await this.#inner.head())).clone();
    const events = await build(head);
    await new Promise((r) => setTimeout(r, 1));
    this.#events.push(...events);
    this.#head = head;
  }
  async *read(options: { fromSeq?: number | undefined; toSeq?: number | undefined } = {}): AsyncIterable<AuditEvent> {
    for (const s of [...this.#events]) {
      if (options.fromSeq !== undefined && s.event.seq < options.fromSeq) continue;
      if (options.toSeq !== undefined && s.event.seq > options.toSeq) continue;
      yield s.event;
    }
  }
  async *lines(): AsyncIterable<Uint8Array> {
    yield encoder.encode(this.#events.map((s) => `${s.line}\n`).join(''));
  }
  async head(): Promise<ChainHead> {
    return (this.#head ?? (await this.#inner.head())).clone();
  }
  async purge(throughSeq: number): Promise<number> {
    const n = this.#events.filter((s) => s.event.seq <= throughSeq).length;
    this.#events.splice(0, n);
    return n;
  }
  async close(): Promise<void> {}
}
