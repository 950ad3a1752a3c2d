import { isS3404Error, type TraceEvent } from '@s3404/core';
import { createConsumer, type ConsumptionStore, type SealedRecord } from '@s3404/seal';
import { boundedBody } from '../internal/bounded-body.js';
import type { ConformanceTest } from '../report.js';
import { ContractViolation, expectContract, runContractCase, type ContractCaseSpec, type ContractContext } from './contract-case.js';
import { CONTRACT_DAY, CONTRACT_FINESS, contractRecords, targetOf, type ContractRecords } from './contract-records.js';

/**
 * Makes a fresh, empty `ConsumptionStore` of the implementation under test
 * (SIG-5): each call its own data (table prefix, key prefix, file), so that
 * the cases do not see each other's records.
 *
 * `import type { ConsumptionStoreFactory } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export type ConsumptionStoreFactory = () => ConsumptionStore | Promise<ConsumptionStore>;

/**
 * What {@link runConsumptionStoreContract} receives besides the store factory
 * (SIG-5, X-3): the clock and hash of every suite, and how long one case may
 * take.
 *
 * `import type { ConsumptionStoreContractContext } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export interface ConsumptionStoreContractContext extends ContractContext {
  /** Longest time one case may take, milliseconds: a store that never answers fails the case. Default 60 000. */
  readonly timeoutMs?: number | undefined;
}

const SUITE = 'consumption-store';
const TTL = 600;
const GRACE = 60;
/** Concurrent consumers of the in-process race case. */
const RACERS = 8;
const RACE_RECORDS = 12;

/**
 * The contract of a `ConsumptionStore` (SIG-5, SIG-6, SIG-10), each case run
 * through the real seal API: records sealed by `createSealer`, deposited and
 * consumed by `createConsumer` over the store the factory makes. Deposit and
 * single use, a replay refused with `ERR_RECORD_REPLAYED` (by another
 * request, by a copy of the bytes), an idempotent retry, a record of another
 * bordereau refused without being burned, expiry and sweep, a crash between
 * claim and completion (resumed only by its own request), no image left after
 * use, an accounting-day record used once for its exact set, and an
 * in-process race (exactly one winner), and the sweep outbox (a sweep whose
 * trace failed traced by another consumer's next sweep). The race over processes and the
 * crash trials are in `@s3404/conformance/node`.
 *
 * `import { runConsumptionStoreContract } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const tests = await runConsumptionStoreContract(() => OracleStore.open({ prefix: randomPrefix() }), { now: () => new Date() })
 * tests.filter((t) => t.outcome !== 'passed') // []
 * ```
 * @public
 */
export async function runConsumptionStoreContract(factory: ConsumptionStoreFactory, context: ConsumptionStoreContractContext): Promise<ConformanceTest[]> {
  if (typeof factory !== 'function') throw new TypeError('runConsumptionStoreContract: factory must be a function returning a ConsumptionStore');
  if (context === null || typeof context !== 'object' || typeof context.now !== 'function')
    throw new TypeError('runConsumptionStoreContract: context.now must be a Clock');
  const timeoutMs = context.timeoutMs ?? 60_000;
  const r = await contractRecords(context.now);
  const pool = await r.bordereaux(11 + RACE_RECORDS);
  let next = 0;
  const take = (): SealedRecord => pool[next++]!;
  const tests: ConformanceTest[] = [];
  for (const spec of cases(r, factory, take)) tests.push(await runContractCase({ ...spec, body: boundedBody(timeoutMs, spec.body) }, context));
  return tests;
}

/** A store of the factory, closed whatever the body does. */
async function withStore<T>(factory: ConsumptionStoreFactory, body: (store: ConsumptionStore) => Promise<T>): Promise<T> {
  const store = await factory();
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** The code of a refusal, or the violation when the call did not refuse. */
async function refusal(work: Promise<unknown>, expected: string, what: string): Promise<string> {
  try {
    const answered = await work;
    throw new ContractViolation(`${what}: accepted (${JSON.stringify((answered as { status?: unknown } | null)?.status)}), ${expected} expected`);
  } catch (e) {
    if (e instanceof ContractViolation) throw e;
    expectContract(isS3404Error(e) && e.code === expected, `${what}: ${isS3404Error(e) ? e.code : String(e)}, ${expected} expected`);
    return expected;
  }
}

function cases(r: ContractRecords, factory: ConsumptionStoreFactory, take: () => SealedRecord): ContractCaseSpec[] {
  const consumerOn = (store: ConsumptionStore, at: () => Date) =>
    createConsumer({ store, trustAnchors: [r.ca], now: at, ttlSeconds: TTL, claimGraceSeconds: GRACE, consumerId: 'conformance', keyHolder: null });
  const at10 = (): Date => r.at(10);
  const spec = (tcId: number, requirements: string[], comment: string, body: ContractCaseSpec['body']): ContractCaseSpec => ({
    suite: SUITE,
    tcId,
    requirements,
    comment,
    body,
  });
  return [
    spec(1, ['SIG-5', 'SIG-6'], 'a deposited record is consumed once; its ciphertext is deleted, its tombstone stays', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const { handle } = await c.deposit(rec);
        expectContract((await store.countPending()) === 1, 'countPending after one deposit is not 1');
        const held = await store.getPending(rec.recordId);
        expectContract(held !== null && held.digest === rec.digest, 'getPending does not return the deposited entry');
        expectContract(new TextDecoder().decode(held.bytes.subarray(0, 4)) === 'S3PE', 'the pending bytes are not the envelope the consumer gave');
        const used = await c.consume({ handle }, { target: targetOf(rec), requestId: 'req-1' });
        expectContract(used.status === 'consumed', `first use answered ${used.status}`);
        expectContract((await store.getPending(rec.recordId)) === null, 'the pending entry survives its use (SIG-6)');
        expectContract((await store.countPending()) === 0, 'countPending after the use is not 0 (SIG-6)');
        const t = await store.findTombstone({ recordId: rec.recordId });
        expectContract(
          t !== null && t.completedAt !== undefined && t.digest === rec.digest && t.requestId === 'req-1',
          'no completed tombstone for the record',
        );
        const byDigest = await store.findTombstone({ digest: rec.digest });
        expectContract(byDigest?.recordId === rec.recordId, 'findTombstone by digest does not find it');
        return undefined;
      }),
    ),
    spec(2, ['SIG-5'], 'a second use by another request is refused with ERR_RECORD_REPLAYED', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const { handle } = await c.deposit(rec);
        await c.consume({ handle }, { target: targetOf(rec), requestId: 'first' });
        return refusal(c.consume({ handle }, { target: targetOf(rec), requestId: 'second' }), 'ERR_RECORD_REPLAYED', 'second use by handle');
      }),
    ),
    spec(3, ['SIG-5'], 'a copy of the bytes of a consumed record is refused by its tombstone (ERR_RECORD_REPLAYED)', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        await c.consume({ bytes: rec.bytes }, { target: targetOf(rec), requestId: 'first' });
        // Another consumer (another service instance): only the store remembers the use.
        const other = consumerOn(store, () => r.at(20));
        return refusal(other.consume({ bytes: rec.bytes }, { target: targetOf(rec), requestId: 'copy' }), 'ERR_RECORD_REPLAYED', 'replayed copy');
      }),
    ),
    spec(4, ['SIG-5'], 'a retry with the same request id gets the same outcome (already-consumed), nothing used twice', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const first = await c.consume({ bytes: rec.bytes }, { target: targetOf(rec), requestId: 'idem-1' });
        const again = await c.consume({ bytes: rec.bytes }, { target: targetOf(rec), requestId: 'idem-1' });
        expectContract(first.status === 'consumed' && again.status === 'already-consumed', `answers ${first.status}, ${again.status}`);
        expectContract(again.completedAt === first.completedAt, 'the retry reports another completion');
        return undefined;
      }),
    ),
    spec(5, ['SIG-5'], 'a record offered for another bordereau is refused and not burned: its own bordereau can still use it once', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const { handle } = await c.deposit(rec);
        const code = await refusal(c.consume({ handle }, { target: r.bordereau(), requestId: 'wrong' }), 'ERR_RECORD_WRONG_BORDEREAU', 'another bordereau');
        expectContract((await store.findTombstone({ recordId: rec.recordId })) === null, 'the refused use left a tombstone');
        const used = await c.consume({ handle }, { target: targetOf(rec), requestId: 'right' });
        expectContract(used.status === 'consumed', `its own bordereau answered ${used.status}`);
        return code;
      }),
    ),
    spec(6, ['SIG-5', 'SIG-6'], 'a second deposit of a pending record is refused (ERR_RECORD_DUPLICATE), the first stays usable', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const { handle } = await c.deposit(rec);
        const code = await refusal(c.deposit(rec), 'ERR_RECORD_DUPLICATE', 'second deposit');
        const used = await c.consume({ handle }, { target: targetOf(rec), requestId: 'one' });
        expectContract(used.status === 'consumed', 'the first deposit is no longer usable');
        return code;
      }),
    ),
    spec(7, ['SIG-6'], 'a record past its TTL is refused (ERR_RECORD_EXPIRED) and the sweeper deletes its ciphertext', () =>
      withStore(factory, async (store) => {
        const rec = take();
        const { handle } = await consumerOn(store, at10).deposit(rec);
        const late = consumerOn(store, () => r.at(5 + TTL + 1));
        const code = await refusal(late.consume({ handle }, { target: targetOf(rec), requestId: 'late' }), 'ERR_RECORD_EXPIRED', 'expired record');
        const swept = await late.sweep();
        expectContract(swept.expired === 1, `sweep reported ${swept.expired} expired, 1 expected`);
        expectContract((await store.countPending()) === 0 && (await store.getPending(rec.recordId)) === null, 'the expired entry survives the sweep');
        return code;
      }),
    ),
    spec(8, ['SIG-5'], 'a use that crashed after its claim is resumed only by its own request id; any other gets ERR_RECORD_REPLAYED', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const { handle } = await c.deposit(rec);
        await refusal(
          c.consume({ handle }, { target: targetOf(rec), requestId: 'crashed', apply: () => Promise.reject(new Error('simulated crash in apply')) }),
          'ERR_CONSUME_INCOMPLETE',
          'failing apply',
        );
        const t = await store.findTombstone({ recordId: rec.recordId });
        expectContract(t !== null && t.completedAt === undefined, 'the claim of the crashed use is not held as incomplete');
        expectContract((await store.getPending(rec.recordId)) !== null, 'the ciphertext of an unfinished use is gone before the grace');
        const code = await refusal(c.consume({ handle }, { target: targetOf(rec), requestId: 'intruder' }), 'ERR_RECORD_REPLAYED', 'another request');
        const resumed = await c.consume({ handle }, { target: targetOf(rec), requestId: 'crashed' });
        expectContract(resumed.status === 'consumed' && resumed.resumed, 'the same request id does not resume the use');
        expectContract((await store.countPending()) === 0, 'the resumed use left the ciphertext');
        return code;
      }),
    ),
    spec(9, ['SIG-6'], 'a claimed use never completed is abandoned after the grace: the sweeper deletes its ciphertext', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const rec = take();
        const { handle } = await c.deposit(rec);
        await refusal(
          c.consume({ handle }, { target: targetOf(rec), requestId: 'gone', apply: () => Promise.reject(new Error('simulated crash')) }),
          'ERR_CONSUME_INCOMPLETE',
          'failing apply',
        );
        const later = consumerOn(store, () => r.at(10 + GRACE + 1));
        const swept = await later.sweep();
        expectContract(swept.abandoned === 1, `sweep reported ${swept.abandoned} abandoned, 1 expected`);
        expectContract((await store.countPending()) === 0, 'the abandoned ciphertext survives the sweep');
        return refusal(later.consume({ bytes: rec.bytes }, { target: targetOf(rec), requestId: 'after' }), 'ERR_RECORD_REPLAYED', 'use after abandon');
      }),
    ),
    spec(10, ['SIG-10', 'SIG-5'], 'an accounting-day record is used once for its exact set of bordereaux; a second use is refused', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const set = [r.bordereau(), r.bordereau(), r.bordereau()];
        const rec = await r.day(set);
        const { handle } = await c.deposit(rec);
        const target = { day: CONTRACT_DAY, finess: CONTRACT_FINESS, dayBordereaux: set };
        const used = await c.consume({ handle }, { target, requestId: 'day-1' });
        expectContract(used.status === 'consumed' && used.target === `day:${CONTRACT_FINESS}:${CONTRACT_DAY}`, 'the day record was not consumed for its day');
        return refusal(c.consume({ bytes: rec.bytes }, { target, requestId: 'day-2' }), 'ERR_RECORD_REPLAYED', 'second use of the day');
      }),
    ),
    spec(11, ['SIG-10', 'SIG-5'], 'an accounting-day record offered for a set with a bordereau added later is refused and not burned', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const set = [r.bordereau(), r.bordereau()];
        const rec = await r.day(set);
        const { handle } = await c.deposit(rec);
        const code = await refusal(
          c.consume({ handle }, { target: { day: CONTRACT_DAY, finess: CONTRACT_FINESS, dayBordereaux: [...set, r.bordereau()] }, requestId: 'bigger' }),
          'ERR_RECORD_DAY_SET_MISMATCH',
          'a bordereau added to the day',
        );
        expectContract((await store.findTombstone({ recordId: rec.recordId })) === null, 'the refused use left a tombstone');
        const used = await c.consume({ handle }, { target: { day: CONTRACT_DAY, finess: CONTRACT_FINESS, dayBordereaux: set }, requestId: 'exact' });
        expectContract(used.status === 'consumed', 'the exact set can no longer use it');
        return code;
      }),
    ),
    spec(12, ['SIG-10', 'SIG-6'], 'after its use, an accounting-day record leaves no ciphertext in the store', () =>
      withStore(factory, async (store) => {
        const c = consumerOn(store, at10);
        const set = [r.bordereau()];
        const rec = await r.day(set);
        const { handle } = await c.deposit(rec);
        expectContract((await store.countPending()) === 1, 'the deposit is not pending');
        await c.consume({ handle }, { target: { day: CONTRACT_DAY, finess: CONTRACT_FINESS, dayBordereaux: set }, requestId: 'day' });
        expectContract((await store.countPending()) === 0 && (await store.getPending(rec.recordId)) === null, 'the ciphertext survives the use');
        return undefined;
      }),
    ),
    spec(13, ['SIG-5'], `${RACE_RECORDS} records × ${RACERS} concurrent consumers on one store: exactly one winner each, every loser ERR_RECORD_REPLAYED`, () =>
      withStore(factory, async (store) => {
        const setup = consumerOn(store, at10);
        const records = Array.from({ length: RACE_RECORDS }, take);
        const handles: string[] = [];
        for (const rec of records) handles.push((await setup.deposit(rec)).handle);
        const wins = new Map<number, number>();
        const codes = new Map<string, number>();
        await Promise.all(
          Array.from({ length: RACERS }, async (_, k) => {
            const c = consumerOn(store, at10);
            for (let j = 0; j < records.length; j++) {
              const i = (j + k) % records.length;
              try {
                const out = await c.consume({ handle: handles[i]! }, { target: targetOf(records[i]!), requestId: `racer-${k}-${i}` });
                if (out.status === 'consumed') wins.set(i, (wins.get(i) ?? 0) + 1);
              } catch (e) {
                const code = isS3404Error(e) ? e.code : `uncoded ${e instanceof Error ? e.name : typeof e}`;
                codes.set(code, (codes.get(code) ?? 0) + 1);
              }
            }
          }),
        );
        const twice = [...wins].filter(([, n]) => n > 1).length;
        const none = records.length - wins.size;
        expectContract(twice === 0, `${twice} record(s) had more than one winner`);
        expectContract(none === 0, `${none} record(s) had no winner`);
        const other = [...codes].filter(([c]) => c !== 'ERR_RECORD_REPLAYED');
        expectContract(other.length === 0, `losers refused with ${other.map(([c, n]) => `${c} ×${n}`).join(', ')}`);
        expectContract((await store.countPending()) === 0, 'ciphertext left after the race');
        return 'ERR_RECORD_REPLAYED';
      }),
    ),
    spec(
      14,
      ['SIG-6'],
      'a sweep whose trace fails (its process killed, its sink down) keeps its count in the store: the next sweep of another consumer traces it, once, as that sweep',
      () =>
        withStore(factory, async (store) => {
          const rec = take();
          await consumerOn(store, at10).deposit(rec);
          const sweeper = (id: string, at: () => Date, record: (e: TraceEvent) => void) =>
            createConsumer({
              store,
              trustAnchors: [r.ca],
              now: at,
              ttlSeconds: TTL,
              claimGraceSeconds: GRACE,
              consumerId: id,
              keyHolder: null,
              trace: { record },
            });
          const down = new Error('trace unavailable');
          let thrown: unknown;
          try {
            await sweeper(
              'conformance-gone',
              () => r.at(5 + TTL + 1),
              () => {
                throw down;
              },
            ).sweep();
          } catch (e) {
            thrown = e;
          }
          expectContract(thrown === down, 'a sweep whose trace failed did not throw the sink’s error');
          expectContract((await store.countPending()) === 0, 'the expired entry survives the sweep');
          const events: TraceEvent[] = [];
          const next = sweeper(
            'conformance-next',
            () => r.at(5 + TTL + 61),
            (e) => {
              events.push(e);
            },
          );
          await next.sweep();
          await next.sweep();
          const expired = events.filter((e) => e.action === 'signature.expired');
          expectContract(
            expired.length > 0,
            'the next sweep of another consumer did not trace the deletions: the store keeps no sweep outbox (untracedSweeps, sweepTraced), so a sweep killed before its trace leaves them untraced',
          );
          expectContract(expired.length === 1, `the deletions were traced ${expired.length} times`);
          const [event] = expired;
          expectContract(
            event!.count === 1 && event!.actor.personId === 'conformance-gone',
            'the event does not give the count and the consumer of the sweep that deleted them',
          );
          return undefined;
        }),
    ),
  ];
}
