import { canonicalJson, isS3404Error, readClock, toHex, type Clock, type ContentSigner, type ContentVerifier } from '@s3404/core';
import {
  createAuditLog,
  verifyLog,
  type AuditEvent,
  type AuditEventDraft,
  type AuditLog,
  type AuditLogOptions,
  type AuditStore,
  type ChainHead,
  type VerifyReport,
} from '@s3404/audit';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';
import type { ConformanceTest } from '../report.js';
import { boundedBody, collectBytes } from '../internal/bounded-body.js';
import { utf8 } from '../internal/digest.js';
import { expectContract, runContractCase, type ContractCaseSpec, type ContractContext } from './contract-case.js';

/**
 * What {@link runAuditStoreContract} receives besides the store factory
 * (AUD-2, X-3): the clock and hash of every suite, and how long one case may
 * take.
 *
 * `import type { AuditStoreContractContext } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const context: AuditStoreContractContext = { now: () => new Date(), timeoutMs: 120_000 }
 * ```
 * @public
 */
export interface AuditStoreContractContext extends ContractContext {
  /** Longest time one case may take, milliseconds. Default 60 000. */
  readonly timeoutMs?: number | undefined;
}

const SUITE = 'audit-store';
const MONTH_MS = 31 * 86_400_000;
const STORE_METHODS = ['append', 'read', 'lines', 'head', 'purge', 'close'] as const;
const ACTIONS: readonly AuditEventDraft['action'][] = [
  'bordereau.generated',
  'signature.context-shown',
  'signature.sealed',
  'signature.consumed',
  'signature.applied',
  'signature.refused',
];

/** The i-th realistic event of a run: actor, subject and outcome vary. */
function draft(i: number, reason?: string): AuditEventDraft {
  const action = ACTIONS[i % ACTIONS.length]!;
  return {
    action,
    actor: {
      personId: i % 3 === 0 ? 'dir-0042' : `prat-${(i % 7) + 1}`,
      role: i % 3 === 0 ? 'director' : 'practitioner',
      terminalId: `tablette-${(i % 4) + 1}`,
    },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: (i % 5) + 1, recordId: `0f8fad5b-d9cb-469f-a165-${String(i).padStart(12, '0')}` },
    outcome: action === 'signature.refused' ? 'refused' : 'success',
    ...(action === 'signature.refused' ? { code: 'ERR_RECORD_REPLAYED' } : {}),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Everything the cases share: the store's first handle, a movable clock, the development seal. */
interface Bench {
  readonly store: AuditStore;
  readonly handles: AuditStore[];
  readonly logs: AuditLog[];
  readonly now: Clock;
  advance(ms: number): void;
  readonly signer: ContentSigner;
  readonly verifier: ContentVerifier;
  log(store: AuditStore, options?: Partial<AuditLogOptions>): AuditLog;
  open(): Promise<AuditStore>;
  verify(store: AuditStore): Promise<VerifyReport>;
}

async function openBench(factory: () => AuditStore | Promise<AuditStore>, context: ContractContext): Promise<Bench> {
  let offset = 0;
  const now: Clock = () => new Date(readClock(context.now, 'runAuditStoreContract').getTime() + offset);
  // The seal of the checkpoints: a development PKI valid for ten years, so the retention case can move the clock on.
  const pki = await createDevelopmentPki({ now, validityDays: 3650 });
  const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now });
  const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now });
  const handles: AuditStore[] = [];
  const logs: AuditLog[] = [];
  const open = async (): Promise<AuditStore> => {
    const store = await factory();
    const missing = STORE_METHODS.filter((m) => typeof (store as unknown as Record<string, unknown> | null)?.[m] !== 'function');
    expectContract(missing.length === 0, `the factory gave no AuditStore (missing ${missing.join(', ')})`);
    handles.push(store);
    return store;
  };
  const store = await open();
  return {
    store,
    handles,
    logs,
    now,
    advance: (ms) => {
      offset += ms;
    },
    signer,
    verifier,
    log: (s, options = {}) => {
      const log = createAuditLog({
        store: s,
        signer,
        now,
        origin: 'conformance',
        dailyCheckpoints: false,
        ...(context.sha256 === undefined ? {} : { sha256: context.sha256 }),
        ...options,
      });
      logs.push(log);
      return log;
    },
    open,
    verify: (s) => verifyLog(s.lines(), { verifier, now, ...(context.sha256 === undefined ? {} : { sha256: context.sha256 }) }),
  };
}

async function readAll(store: AuditStore, options: { fromSeq?: number; toSeq?: number } = {}): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of store.read(options)) {
    out.push(e);
    expectContract(out.length <= 1_000_000, 'read() yielded more than a million events');
  }
  return out;
}

function expectVerified(report: VerifyReport, head: ChainHead, what: string): void {
  expectContract(
    report.ok,
    `${what}: verifyLog refuses the stored lines: ${report.damage?.kind ?? 'damage'} at seq ${report.damage?.seq ?? '?'} (${report.issues[0]?.code ?? '?'})`,
  );
  expectContract(
    (report.lastSeq ?? 0) === head.seq && (report.lastSeq === null || report.head === head.hash),
    `${what}: the lines end at seq ${report.lastSeq ?? 0}, the head is at ${head.seq}`,
  );
  expectContract(report.signatures.status !== 'invalid', `${what}: a checkpoint signature no longer verifies`);
}

function expectSameEvents(got: readonly AuditEvent[], want: readonly AuditEvent[], what: string): void {
  expectContract(got.length === want.length, `${what}: ${got.length} events read, ${want.length} appended`);
  for (let i = 0; i < want.length; i++) {
    expectContract(
      canonicalJson(got[i]) === canonicalJson(want[i]),
      `${what}: event ${i + 1} read back is not the one appended (seq ${got[i]?.seq} for ${want[i]!.seq})`,
    );
  }
}

function headOf(head: ChainHead): string {
  return `seq ${head.seq}, hash ${head.hash.slice(0, 12)}…, checkpoint ${head.checkpoint?.seq ?? 'none'}, period from ${head.periodFirst}, root ${toHex(head.merkle.root()).slice(0, 12)}…`;
}

/**
 * The contract of an {@link AuditStore} (AUD-1, AUD-2, AUD-3), run against a
 * vendor's implementation through `@s3404/audit`'s own log and verifier:
 * appends read back exactly and in order; the stored lines verify with
 * `verifyLog`; two handles appending at once never fork nor lose the chain;
 * a second handle sees the same head and continues it; a batch that cannot
 * be built writes nothing; text survives byte for byte; a purge of young
 * traces is refused, and the retention purge deletes exactly what it names;
 * closing one handle twice leaves the others working.
 *
 * `factory` gives a new handle on **one** trace each time it is called (a
 * second process would open the same table or file); the trace should be
 * empty at first. The cases run in order and continue the same trace, the
 * retention purge last. Checkpoints are sealed with a development PKI of
 * `@s3404/seal`. Each case is bounded in time (`timeoutMs`). Every handle
 * the suite opened is closed at the end.
 *
 * `import { runAuditStoreContract } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const tests = await runAuditStoreContract(() => OracleAuditStore.open({ table: 'audit_events' }), { now: () => new Date() })
 * for (const t of tests) console.log(t.tcId, t.outcome, t.detail ?? '')
 * ```
 * @throws TypeError without a factory or a clock.
 * @public
 */
export async function runAuditStoreContract(factory: () => AuditStore | Promise<AuditStore>, context: AuditStoreContractContext): Promise<ConformanceTest[]> {
  if (typeof factory !== 'function') throw new TypeError('runAuditStoreContract: factory must be a function returning an AuditStore');
  if (context === null || typeof context !== 'object' || typeof context.now !== 'function')
    throw new TypeError('runAuditStoreContract: context.now must be a Clock');
  const timeoutMs = context.timeoutMs ?? 60_000;
  let bench: Promise<Bench> | undefined;
  const setUp = (): Promise<Bench> => (bench ??= openBench(factory, context));

  const cases: Omit<ContractCaseSpec, 'suite'>[] = [
    {
      tcId: 1,
      requirements: ['AUD-1', 'AUD-2'],
      comment: 'Events appended through the store are read back exactly (author, subject, outcome, time, hash) and in sequence order, also by range.',
      body: async () => {
        const b = await setUp();
        const log = b.log(b.store);
        const start = (await b.store.head()).seq;
        const appended: AuditEvent[] = [];
        for (let i = 0; i < 24; i++) appended.push(await log.append(draft(i)));
        const read = await readAll(b.store, { fromSeq: start + 1 });
        expectSameEvents(read, appended, 'read()');
        const range = await readAll(b.store, { fromSeq: start + 5, toSeq: start + 9 });
        expectSameEvents(range, appended.slice(4, 9), `read({ fromSeq: ${start + 5}, toSeq: ${start + 9} })`);
        const head = await b.store.head();
        expectContract(head.seq === start + 24 && head.hash === appended[23]!.hash, `head() is not the last event appended (${headOf(head)})`);
        const beyond = await readAll(b.store, { fromSeq: head.seq + 1 });
        const empty = await readAll(b.store, { fromSeq: start + 3, toSeq: start + 2 });
        expectContract(beyond.length === 0 && empty.length === 0, 'read() yields events outside the range asked (past the head, or an empty range)');
      },
    },
    {
      tcId: 2,
      requirements: ['AUD-2'],
      comment: 'lines() gives the canonical line of each event read, LF-terminated, and the whole trace verifies with verifyLog up to the head.',
      body: async () => {
        const b = await setUp();
        const bytes = await collectBytes(b.store.lines());
        const events = await readAll(b.store);
        const canonical = utf8(events.map((e) => `${canonicalJson(e)}\n`).join(''));
        expectContract(
          bytes.length === canonical.length && bytes.every((x, i) => canonical[i] === x),
          `lines() (${bytes.length} bytes) is not the canonical JSON line of each of the ${events.length} events read, in order (${canonical.length} bytes)`,
        );
        expectVerified(await verifyLog([bytes], { verifier: b.verifier, now: b.now }), await b.store.head(), 'the stored trace');
      },
    },
    {
      tcId: 3,
      requirements: ['AUD-2'],
      comment: 'Two handles appending 200 events at once in small batches never fork nor lose the chain: consecutive sequence numbers, every event once.',
      body: async () => {
        const b = await setUp();
        const second = await b.open();
        const start = (await b.store.head()).seq;
        const a = b.log(b.store, { maxBatch: 5 });
        const c = b.log(second, { maxBatch: 3 });
        const settled = await Promise.allSettled([
          ...Array.from({ length: 100 }, (_, i) => a.append(draft(i))),
          ...Array.from({ length: 100 }, (_, i) => c.append(draft(i + 100))),
        ]);
        const refused = settled.filter((s) => s.status === 'rejected');
        const firstRefusal = refused[0]?.status === 'rejected' ? (refused[0].reason as { code?: string; message?: string }) : undefined;
        expectContract(
          refused.length === 0,
          `${refused.length} of 200 concurrent appends were refused (${firstRefusal?.code ?? firstRefusal?.message ?? '?'})`,
        );
        const ids = new Set(settled.map((s) => (s.status === 'fulfilled' ? s.value.id : '')));
        const read = await readAll(b.store, { fromSeq: start + 1 });
        expectContract(read.length === 200, `${read.length} events stored after 200 concurrent appends`);
        for (const [i, e] of read.entries()) {
          expectContract(e.seq === start + 1 + i, `sequence ${start + 1 + i} expected, ${e.seq} found: the chain forked or lost an event`);
        }
        expectContract(
          read.every((e) => ids.has(e.id)),
          'an event stored is not one of those acknowledged',
        );
        const [h1, h2] = [await b.store.head(), await second.head()];
        expectContract(h1.seq === h2.seq && h1.hash === h2.hash, `the two handles disagree on the head (${headOf(h1)} / ${headOf(h2)})`);
        expectVerified(await b.verify(b.store), h1, 'after concurrent appends');
      },
    },
    {
      tcId: 4,
      requirements: ['AUD-2'],
      comment:
        'After a sealed checkpoint, a second handle from the factory sees the same head (sequence, hash, checkpoint, Merkle root) and continues the chain.',
      body: async () => {
        const b = await setUp();
        const log = b.log(b.store);
        await log.append(draft(1));
        const cp = await log.checkpoint();
        expectContract(cp !== null, 'no checkpoint was written');
        await log.append(draft(2));
        const fresh = await b.open();
        const [mine, theirs] = [await b.store.head(), await fresh.head()];
        expectContract(headOf(mine) === headOf(theirs), `a new handle rebuilds another head: ${headOf(theirs)} instead of ${headOf(mine)}`);
        expectContract(mine.checkpoint?.seq === cp.seq, `the head names checkpoint ${mine.checkpoint?.seq ?? 'none'}, ${cp.seq} was written`);
        const other = b.log(fresh);
        for (let i = 0; i < 3; i++) await other.append(draft(i + 3));
        await other.checkpoint();
        const after = await b.store.head();
        expectContract(after.seq === mine.seq + 4, `the first handle does not see what the second wrote (seq ${after.seq}, ${mine.seq + 4} expected)`);
        const report = await b.verify(b.store);
        expectVerified(report, after, 'after two handles wrote');
        expectContract(report.signatures.status === 'valid', `the checkpoints' signatures are ${report.signatures.status}`);
      },
    },
    {
      tcId: 5,
      requirements: ['AUD-2'],
      comment: 'An append whose batch cannot be built (its builder throws, a signer fails) writes nothing; the next append continues the chain.',
      body: async () => {
        const b = await setUp();
        const before = await b.store.head();
        const bytes = await collectBytes(b.store.lines());
        const marker = new Error('conformance: the batch cannot be built');
        let thrown: unknown;
        try {
          await b.store.append(async () => {
            throw marker;
          });
        } catch (e) {
          thrown = e;
        }
        expectContract(thrown !== undefined, 'append() resolved although its builder threw');
        const failing = b.log(b.store, { signer: { subject: 'CN=HSM en panne', sign: () => Promise.reject(new Error('HSM down')) } });
        await failing.append(draft(7));
        let code: string | undefined;
        try {
          await failing.checkpoint();
        } catch (e) {
          code = isS3404Error(e) ? e.code : undefined;
        }
        expectContract(
          code === 'ERR_AUDIT_STORE_UNAVAILABLE',
          `a checkpoint whose signer fails should be refused with ERR_AUDIT_STORE_UNAVAILABLE (${code ?? 'none'})`,
        );
        await failing.append(draft(8));
        const after = await b.store.head();
        expectContract(after.seq === before.seq + 2, `${after.seq - before.seq} events written where 2 were acknowledged`);
        const now = await collectBytes(b.store.lines());
        expectContract(now.length > bytes.length && bytes.every((x, i) => now[i] === x), 'the lines written before the failed append changed');
        const report = await b.verify(b.store);
        expectVerified(report, after, 'after a failed append');
        return code;
      },
    },
    {
      tcId: 6,
      requirements: ['AUD-2'],
      comment:
        'Text survives byte for byte (accents, guillemets, emoji, U+2028, quotes, backslashes): the reason read back is the one appended and the chain verifies.',
      body: async () => {
        const b = await setUp();
        const log = b.log(b.store);
        const reasons = ['Refusé — « patient » 🩺', 'ligne\u2028séparée "citée" \\ échappée', 'Ωmega ŒUVRE ß 中文 \u00a0espace'];
        const appended: AuditEvent[] = [];
        for (const [i, reason] of reasons.entries()) appended.push(await log.append(draft(i, reason)));
        const read = await readAll(b.store, { fromSeq: appended[0]!.seq, toSeq: appended[2]!.seq });
        expectSameEvents(read, appended, 'events with non-ASCII reasons');
        for (const [i, e] of read.entries()) expectContract(e.reason === reasons[i], `reason ${i + 1} read back differs from the one appended`);
        const bytes = await collectBytes(b.store.lines());
        const needle = utf8(canonicalJson(appended[1]));
        expectContract(indexOf(bytes, needle) >= 0, 'the canonical UTF-8 line of an event with U+2028 is not in lines()');
        expectVerified(await b.verify(b.store), await b.store.head(), 'after non-ASCII text');
      },
    },
    {
      tcId: 7,
      requirements: ['AUD-3'],
      comment: 'A purge of traces younger than the 24-month retention is refused with ERR_AUDIT_PURGE_TOO_RECENT and deletes nothing.',
      body: async () => {
        const b = await setUp();
        const log = b.log(b.store);
        const before = await readAll(b.store);
        let code: string | undefined;
        try {
          await log.purge({ before: new Date(b.now().getTime() - 23 * MONTH_MS) });
        } catch (e) {
          code = isS3404Error(e) ? e.code : undefined;
        }
        expectContract(code === 'ERR_AUDIT_PURGE_TOO_RECENT', `a purge within the retention answered ${code ?? 'no refusal'}`);
        const after = await readAll(b.store);
        expectSameEvents(after, before, 'after a refused purge');
        return code;
      },
    },
    {
      tcId: 8,
      requirements: ['AUD-3', 'AUD-2'],
      comment:
        'The retention purge deletes exactly the events it names: the trace then starts at its anchoring checkpoint, verifies with the sealed purge evidence, and a new handle continues it.',
      body: async () => {
        const b = await setUp();
        const log = b.log(b.store);
        await log.append(draft(11));
        const anchor = await log.checkpoint();
        expectContract(anchor !== null, 'no checkpoint was written');
        const all = await readAll(b.store);
        const first = all[0]!.seq;
        b.advance(25 * MONTH_MS);
        const result = await log.purge({ before: new Date(Date.parse(anchor.time) + 1000) });
        expectContract(result.throughSeq === anchor.seq - 1, `the purge went through seq ${result.throughSeq}, ${anchor.seq - 1} expected`);
        expectContract(result.purged === anchor.seq - first, `store.purge() says ${result.purged} events deleted, ${anchor.seq - first} were named`);
        const left = await readAll(b.store);
        expectContract(left[0]?.seq === anchor.seq, `the trace starts at seq ${left[0]?.seq ?? 'none'}, the anchoring checkpoint is ${anchor.seq}`);
        expectSameEvents(left.slice(0, all.length - (anchor.seq - first)), all.slice(anchor.seq - first), 'the events kept by the purge');
        const head = await b.store.head();
        const report = await b.verify(b.store);
        expectVerified(report, head, 'after the retention purge');
        expectContract(
          report.start === 'checkpoint' && report.purge?.firstSeq === first && report.purge.lastSeq === anchor.seq - 1,
          `the purged trace does not verify from its anchor with its evidence (start ${report.start})`,
        );
        const fresh = await b.open();
        expectContract(headOf(await fresh.head()) === headOf(head), 'a new handle rebuilds another head after the purge');
        await b.log(fresh).append(draft(12));
        expectVerified(await b.verify(b.store), await b.store.head(), 'after appending to the purged trace');
        expectContract((await b.store.purge(anchor.seq - 1)) === 0, 'a second purge of the same range deleted events again');
      },
    },
    {
      tcId: 9,
      requirements: ['AUD-2'],
      comment: 'Closing a handle twice is harmless, and the other handles keep reading and extending the same trace.',
      body: async () => {
        const b = await setUp();
        const extra = await b.open();
        const seen = await extra.head();
        await extra.close();
        await extra.close();
        const head = await b.store.head();
        expectContract(head.seq >= seen.seq, 'the trace went back after a handle was closed');
        const e = await b.log(b.store).append(draft(13));
        expectContract(e.seq === head.seq + 1, `after a handle was closed the next event is seq ${e.seq}, ${head.seq + 1} expected`);
        expectVerified(await b.verify(b.store), await b.store.head(), 'after a handle was closed');
      },
    },
  ];

  const tests: ConformanceTest[] = [];
  try {
    for (const c of cases) tests.push(await runContractCase({ ...c, suite: SUITE, body: boundedBody(timeoutMs, c.body) }, context));
  } finally {
    if (bench !== undefined) {
      const b = await bench.catch(() => undefined);
      // A store that hangs would hang its close too: the cleanup is bounded as the cases are.
      if (b !== undefined) {
        await boundedBody(timeoutMs, async () => {
          for (const log of b.logs) await log.close().catch(() => undefined);
          for (const h of b.handles) await h.close().catch(() => undefined);
        })().catch(() => undefined);
      }
    }
  }
  return tests;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
