import { bytesEqual, readClock } from '@s3404/core';
import type { RecordKeyHolder } from '@s3404/seal';
import type { ConformanceTest } from '../report.js';
import { boundedBody } from '../internal/bounded-body.js';
import { expectContract, runContractCase, type ContractCaseSpec, type ContractContext } from './contract-case.js';

/**
 * What {@link runKeyHolderContract} receives besides the key holder factory
 * (SIG-6, X-3): how long one case may take.
 *
 * `import type { KeyHolderContractContext } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export interface KeyHolderContractContext extends ContractContext {
  /** Longest time one case may take, milliseconds. Default 60 000. */
  readonly timeoutMs?: number | undefined;
}

const SUITE = 'key-holder';
/** A record key's length: AES-256. */
const KEY_BYTES = 32;
/** The life of a key in the expiry case, and how long the case waits past it (real time: a server's own clock counts it). */
const SHORT_LIFE_MS = 300;
const PAST_IT_MS = 700;
/** Concurrent `putIfAbsent` calls on one record in the atomicity case. */
const RACERS = 32;

function keyOf(seed: number): Uint8Array {
  return Uint8Array.from({ length: KEY_BYTES }, (_, i) => (i * 13 + seed * 71 + 1) & 0xff);
}

/** `a` is these bytes (a holder may answer anything: `null`, another type). */
function same(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && bytesEqual(a, b);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The contract of a `RecordKeyHolder` (SIG-6) — where the data keys of
 * pending records live when they do not travel in a handle, e.g. a vendor's
 * cache that keeps nothing on disk: a key put is read back as a copy, by
 * record; the holder copies what it is given and gives copies; a key
 * expires with its record, counted from the holder's `at` or on its own
 * clock; `delete` destroys it (idempotent) and `sweep` answers a count
 * without touching live keys; `close` is idempotent. A holder that says it
 * is `shared` shows every key to every holder the factory opens on the same
 * data. One with `putIfAbsent` keeps the first key of a record and gives it
 * back with its expiry, unchanged and not lengthened, an expired key
 * counting as none; and of 32 calls at once on one record (from four
 * holders when shared), exactly one keeps its key and the 31 others get
 * that key back. One with `deleteIfHeld` destroys a key only when given
 * that very key.
 *
 * The factory opens the same data at every call. Each case uses record ids
 * of its own; the expiry case waits about a second of real time.
 *
 * `import { runKeyHolderContract } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const tests = await runKeyHolderContract(() => RedisKeyHolder.open({ url, prefix: 'conformance:' }), { now: () => new Date() })
 * ```
 * @throws TypeError without a factory or a clock.
 * @public
 */
export async function runKeyHolderContract(
  factory: () => RecordKeyHolder | Promise<RecordKeyHolder>,
  context: KeyHolderContractContext,
): Promise<ConformanceTest[]> {
  if (typeof factory !== 'function') throw new TypeError('runKeyHolderContract: factory must be a function returning a RecordKeyHolder');
  if (context === null || typeof context !== 'object' || typeof context.now !== 'function')
    throw new TypeError('runKeyHolderContract: context.now is required');
  const now = (): Date => readClock(context.now, 'runKeyHolderContract');
  const run = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  let serial = 0;
  /** A record id of its own for each use, as the SDK's ids are (UUIDs). */
  const recordId = (): string => `00000000-0000-4000-8000-${run}${String(++serial).padStart(4, '0')}`;
  const opened: RecordKeyHolder[] = [];
  const open = async (): Promise<RecordKeyHolder> => {
    const h = await factory();
    opened.push(h);
    return h;
  };
  /** One holder first, outside the cases: what it says of itself chooses the cases. */
  const probe = await open();
  const shared = probe.shared === true;
  const hasPutIfAbsent = typeof probe.putIfAbsent === 'function';
  const hasDeleteIfHeld = typeof probe.deleteIfHeld === 'function';
  const life = (ms: number, from = now()): [Date, Date] => [new Date(from.getTime() + ms), from];

  const cases: Omit<ContractCaseSpec, 'suite'>[] = [
    {
      tcId: 1,
      requirements: ['SIG-6'],
      comment:
        'A key put is read back by its record id, byte for byte; the holder keeps a copy of what it is given and gives copies (the SDK wipes both); another record has no key.',
      body: async () => {
        const h = await open();
        const id = recordId();
        const key = keyOf(1);
        const given = Uint8Array.from(key);
        await h.put(id, given, ...life(600_000));
        given.fill(0);
        const got = await h.get(id, now());
        expectContract(same(got, key), 'get() does not give back the key put (or gave the buffer the caller wiped after put)');
        got!.fill(0);
        expectContract(same(await h.get(id, now()), key), 'wiping what get() returned changed the key held: get() must return a copy');
        expectContract((await h.get(recordId(), now())) === null, 'get() of a record never put is not null');
      },
    },
    {
      tcId: 2,
      requirements: ['SIG-6'],
      comment: 'A key expires with its record: read before its expiry, null after it (the holder judges by `at`, or on its own clock).',
      body: async () => {
        const h = await open();
        const id = recordId();
        const start = now();
        await h.put(id, keyOf(2), ...life(SHORT_LIFE_MS, start));
        expectContract(same(await h.get(id, start), keyOf(2)), 'a key is not read back before its expiry');
        await sleep(PAST_IT_MS);
        expectContract((await h.get(id, new Date(start.getTime() + PAST_IT_MS))) === null, 'a key is still given after its record expired');
      },
    },
    {
      tcId: 3,
      requirements: ['SIG-6'],
      comment: 'delete() destroys the key of one record only, and is idempotent (a record deleted twice, or never put).',
      body: async () => {
        const h = await open();
        const [a, b] = [recordId(), recordId()];
        await h.put(a, keyOf(3), ...life(600_000));
        await h.put(b, keyOf(4), ...life(600_000));
        await h.delete(a);
        expectContract((await h.get(a, now())) === null, 'a deleted key is still given');
        expectContract(same(await h.get(b, now()), keyOf(4)), "deleting one record's key changed another's");
        await h.delete(a);
        await h.delete(recordId());
      },
    },
    {
      tcId: 4,
      requirements: ['SIG-6'],
      comment: 'sweep(at) answers how many keys it destroyed (an integer, 0 or more) and leaves the keys still alive at `at`.',
      body: async () => {
        const h = await open();
        const id = recordId();
        await h.put(id, keyOf(5), ...life(600_000));
        const n = await h.sweep(now());
        expectContract(Number.isInteger(n) && n >= 0, `sweep() answered ${String(n)}, not a count`);
        expectContract(same(await h.get(id, now()), keyOf(5)), 'sweep() destroyed a key still alive');
      },
    },
    {
      tcId: 5,
      requirements: ['SIG-6'],
      comment: 'put() again replaces the key of a record (the SDK shortens a claimed record’s key this way).',
      body: async () => {
        const h = await open();
        const id = recordId();
        await h.put(id, keyOf(6), ...life(600_000));
        await h.put(id, keyOf(7), ...life(60_000));
        expectContract(same(await h.get(id, now()), keyOf(7)), 'put() again does not replace the key');
        await h.delete(id);
      },
    },
  ];
  if (shared) {
    cases.push({
      tcId: 6,
      requirements: ['SIG-6'],
      comment: 'Shared (`shared: true`): a key put through one holder is read, and deleted, through another the factory opened on the same data.',
      body: async () => {
        const [a, b] = [await open(), await open()];
        const id = recordId();
        await a.put(id, keyOf(8), ...life(600_000));
        expectContract(same(await b.get(id, now()), keyOf(8)), 'a key put through one holder is not seen by another on the same data');
        await b.delete(id);
        expectContract((await a.get(id, now())) === null, 'a key deleted through one holder is still given by another');
      },
    });
  }
  if (hasPutIfAbsent) {
    cases.push(
      {
        tcId: 7,
        requirements: ['SIG-6'],
        comment:
          'putIfAbsent() keeps a key only where none is held (answering null), and otherwise gives back the key held with its expiry, unchanged and not lengthened; an expired or deleted key counts as none.',
        body: async () => {
          const h = await open();
          const id = recordId();
          const start = now();
          const expiry = new Date(start.getTime() + 60_000);
          expectContract((await h.putIfAbsent!(id, keyOf(9), expiry, start)) === null, 'putIfAbsent() on a record without a key did not answer null');
          expectContract(same(await h.get(id, now()), keyOf(9)), 'the key putIfAbsent() kept is not read back');
          const held = await h.putIfAbsent!(id, keyOf(10), new Date(start.getTime() + 600_000), start);
          expectContract(held !== null && same(held.key, keyOf(9)), 'putIfAbsent() on a record with a key did not give back the key held');
          expectContract(
            held.expiresAt instanceof Date && held.expiresAt.getTime() <= expiry.getTime() + 1000 && held.expiresAt.getTime() > start.getTime(),
            `putIfAbsent() gave the key held with expiry ${String(held.expiresAt)}, not the one it was put with (${expiry.toISOString()})`,
          );
          expectContract(same(await h.get(id, now()), keyOf(9)), 'putIfAbsent() replaced the key held');
          const again = await h.putIfAbsent!(id, keyOf(11), new Date(start.getTime() + 600_000), start);
          expectContract(
            again !== null && again.expiresAt.getTime() <= expiry.getTime() + 1000,
            "putIfAbsent() lengthened the held key's life to the later expiry asked",
          );
          await h.delete(id);
          expectContract((await h.putIfAbsent!(id, keyOf(12), expiry, start)) === null, 'after delete(), putIfAbsent() did not keep the new key');
          const gone = recordId();
          const t = now();
          await h.put(gone, keyOf(13), ...life(SHORT_LIFE_MS, t));
          await sleep(PAST_IT_MS);
          const late = new Date(t.getTime() + PAST_IT_MS);
          expectContract((await h.putIfAbsent!(gone, keyOf(14), new Date(late.getTime() + 60_000), late)) === null, 'an expired key still counts as held');
          expectContract(same(await h.get(gone, late), keyOf(14)), 'the key kept in place of an expired one is not read back');
        },
      },
      {
        tcId: 8,
        requirements: ['SIG-6'],
        comment: `putIfAbsent() is one atomic step: ${RACERS} calls at once on one record, each with its own key (from four holders when shared), keep exactly one key, and the others all get that key back.`,
        body: async () => {
          const holders = shared ? [await open(), await open(), await open(), await open()] : [await open()];
          const id = recordId();
          const start = now();
          const answers = await Promise.all(
            Array.from({ length: RACERS }, (_, i) => holders[i % holders.length]!.putIfAbsent!(id, keyOf(100 + i), new Date(start.getTime() + 60_000), start)),
          );
          const kept = answers.flatMap((a, i) => (a === null ? [i] : []));
          expectContract(kept.length === 1, `${kept.length} of ${RACERS} calls at once kept their key (exactly 1 expected)`);
          const winner = keyOf(100 + kept[0]!);
          const others = answers.filter((a) => a !== null && !same(a.key, winner)).length;
          expectContract(others === 0, `${others} calls were given another key than the one kept`);
          expectContract(same(await holders[0]!.get(id, now()), winner), 'the key held is not the one kept');
        },
      },
    );
  }

  if (hasDeleteIfHeld) {
    cases.push({
      tcId: 10,
      requirements: ['SIG-6'],
      comment:
        'deleteIfHeld() destroys a key only when the key held is the one given, byte for byte (not a part of it, nor longer), answering true then and false otherwise (from another holder when shared).',
      body: async () => {
        const a = await open();
        const b = shared ? await open() : a;
        const id = recordId();
        await a.put(id, keyOf(20), ...life(600_000));
        const held = keyOf(20);
        const lookalikes = [keyOf(21), held.subarray(0, KEY_BYTES / 2), Uint8Array.from([...held, 0]), new Uint8Array(0)];
        for (const k of lookalikes) {
          expectContract((await b.deleteIfHeld!(id, k)) === false, `deleteIfHeld() with a key of ${k.length} bytes other than the one held answered true`);
        }
        expectContract(same(await a.get(id, now()), held), 'deleteIfHeld() destroyed a key other than the one it was given');
        expectContract((await b.deleteIfHeld!(id, held)) === true, 'deleteIfHeld() with the key held did not answer true');
        expectContract((await a.get(id, now())) === null, 'deleteIfHeld() with the key held left it in place');
        expectContract((await b.deleteIfHeld!(id, held)) === false, 'deleteIfHeld() with no key held answered true');
      },
    });
  }

  // Last, as it closes what the factory gave (a factory may give the same holder every time).
  cases.push({
    tcId: 9,
    requirements: ['SIG-6'],
    comment: 'close() releases the holder and is idempotent.',
    body: async () => {
      const h = await open();
      await h.close();
      await h.close();
    },
  });

  const tests: ConformanceTest[] = [];
  try {
    for (const c of cases) tests.push(await runContractCase({ ...c, suite: SUITE, body: boundedBody(context.timeoutMs ?? 60_000, c.body) }, context));
  } finally {
    for (const h of opened) await Promise.resolve(h.close()).catch(() => undefined);
  }
  return tests;
}
