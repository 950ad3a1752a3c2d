import { readClock, type Clock } from '@s3404/core';
import { createLotManager, verifyLot, type LotTransmission, type PackedLot, type Transport, type TransportReceipt } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import type { ConformanceTest } from '../report.js';
import { boundedBody } from '../internal/bounded-body.js';
import { Indeterminate } from '../internal/indeterminate.js';
import { expectContract, runContractCase, type ContractCaseSpec, type ContractContext } from './contract-case.js';

/**
 * What {@link runTransportContract} receives besides the transport factory
 * (SCOR-2, SCOR-3, X-3). A transport only says "accepted" or "refused":
 * what arrived on the other side is read back through `received`, which
 * the vendor writes for its own module (the SDK's test reads
 * `FileDropTransport`'s drop folder).
 *
 * `import type { TransportContractContext } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const context: TransportContractContext = { now: () => new Date(), lot: await packLot(description, { files }), received: (t, r) => outbox.read(r.reference!) }
 * ```
 * @public
 */
export interface TransportContractContext extends ContractContext {
  /**
   * A lot packed by `packLot` of `@s3404/scor`: the lifecycle cases hand it
   * over. Without it they are `indeterminate`.
   */
  readonly lot?: PackedLot | undefined;
  /**
   * The bytes that arrived for a transmission the transport accepted (its
   * receipt as the transport gave it), or `null` when nothing arrived.
   * Without it, the cases that check the arrival are `indeterminate`.
   */
  readonly received?: ((transmission: LotTransmission, receipt: TransportReceipt) => Promise<Uint8Array | null>) | undefined;
  /** Longest time one case may take, milliseconds. Default 60 000. */
  readonly timeoutMs?: number | undefined;
}

const SUITE = 'transport';
const MIB = 1024 * 1024;

/** `length` bytes covering every value 0…255, different for each `seed`. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 13 + (i >> 9) * 7 + seed * 101) & 0xff;
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => b[i] === x);
}

/** Where two byte arrays first differ, for a reader of the report. */
function firstDifference(got: Uint8Array, want: Uint8Array): string {
  if (got.length !== want.length) return `${got.length} bytes arrived, ${want.length} were sent`;
  const i = got.findIndex((x, k) => want[k] !== x);
  return `byte ${i} differs (0x${got[i]?.toString(16)} for 0x${want[i]?.toString(16)})`;
}

/**
 * The contract of a SCOR `Transport` (SCOR-2, SCOR-3): the vendor's approved
 * transmission module around the SDK's lots. A transmission it accepts
 * arrives byte for byte (1 MiB of every byte value), without its input
 * touched; each attempt of a lot is its own transmission; eight lots at once
 * arrive unmixed; the bytes that arrive are the lot (`verifyLot`); and in
 * `@s3404/scor`'s lifecycle a lot is sent through it once its B2 ARL is
 * positive (state `sent`, the transport's reference kept), its positive ARL
 * PJ makes it `arl-positive`, and a failed attempt is retried through it.
 *
 * Each case uses its own lot id (`conformance-<time>-<n>`), so a transport
 * that refuses a lot id it already carried is judged fairly. Each case is
 * bounded in time (`timeoutMs`).
 *
 * `import { runTransportContract } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const tests = await runTransportContract(() => new AcmeSesamTransport(config), {
 *   now: () => new Date(), lot, received: (t, receipt) => acme.fetchDelivered(receipt.reference!),
 * })
 * ```
 * @throws TypeError without a factory or a clock.
 * @public
 */
export async function runTransportContract(factory: () => Transport | Promise<Transport>, context: TransportContractContext): Promise<ConformanceTest[]> {
  if (typeof factory !== 'function') throw new TypeError('runTransportContract: factory must be a function returning a Transport');
  if (context === null || typeof context !== 'object' || typeof context.now !== 'function')
    throw new TypeError('runTransportContract: context.now must be a Clock');
  const timeoutMs = context.timeoutMs ?? 60_000;
  const run = readClock(context.now, 'runTransportContract').getTime().toString(36);
  let serial = 0;
  let opened: Promise<Transport> | undefined;
  const transport = async (): Promise<Transport> => {
    opened ??= Promise.resolve(factory());
    const t = await opened;
    expectContract(t !== null && typeof t === 'object' && typeof t.send === 'function', 'the factory gave no Transport');
    expectContract(typeof t.id === 'string' && t.id !== '', 'the transport has no id');
    return t;
  };
  const transmission = (bytes: Uint8Array, attempt = 1, lotId = `conformance-${run}-${++serial}`): LotTransmission => ({
    lotId,
    finess: '750300360',
    b2LotNumber: '042',
    fileName: `${lotId}.zip`,
    mediaType: 'application/zip',
    bytes,
    attempt,
  });
  const send = async (t: Transport, tx: LotTransmission): Promise<TransportReceipt> => {
    const receipt = await t.send(tx);
    expectContract(
      receipt !== null && typeof receipt === 'object',
      `send() resolved with ${receipt === null ? 'null' : typeof receipt}, a receipt was expected`,
    );
    expectContract(
      receipt.reference === undefined || (typeof receipt.reference === 'string' && receipt.reference.length > 0 && receipt.reference.length <= 256),
      'the receipt reference is not a string of 1 to 256 characters',
    );
    return receipt;
  };
  const arrived = async (tx: LotTransmission, receipt: TransportReceipt): Promise<Uint8Array> => {
    if (context.received === undefined) throw new Indeterminate('no received() given: what arrived cannot be read back');
    const got = await context.received(tx, receipt);
    expectContract(got instanceof Uint8Array, `nothing arrived for ${tx.lotId} attempt ${tx.attempt}, although the transport accepted it`);
    return got;
  };
  const lot = (): PackedLot => {
    if (context.lot === undefined) throw new Indeterminate('no packed lot given: the lifecycle cannot be run');
    return context.lot;
  };
  /** A lifecycle over a memory store, on a clock that can move on; `failures` attempts fail before reaching the transport. */
  const lifecycle = (t: Transport, failures = 0) => {
    let offset = 0;
    const now: Clock = () => new Date(readClock(context.now, 'runTransportContract').getTime() + offset);
    const delivered: { transmission: LotTransmission; receipt: TransportReceipt }[] = [];
    let left = failures;
    const watched: Transport = {
      id: t.id,
      send: async (tx) => {
        if (left > 0) {
          left--;
          throw new Error('conformance: connexion au frontal interrompue');
        }
        const receipt = await send(t, tx);
        delivered.push({ transmission: tx, receipt });
        return receipt;
      },
    };
    const manager = createLotManager({ store: new MemoryLotStore(), transport: watched, now });
    return { manager, delivered, now, advance: (ms: number) => (offset += ms) };
  };
  /** The packed lot under a lot id of its own for this run, so each case registers a new lot. */
  const freshLot = (): PackedLot => ({ ...lot(), lotId: `conformance-${run}-${++serial}` });
  const positive = (p: PackedLot, kind: 'b2' | 'pj', at: Date) => ({
    kind,
    finess: p.finess,
    b2LotNumber: p.b2LotNumber,
    positive: true,
    receivedAt: at.toISOString(),
  });

  const cases: Omit<ContractCaseSpec, 'suite'>[] = [
    {
      tcId: 1,
      requirements: ['SCOR-3'],
      comment: 'A transmission is accepted with a well-formed receipt (a reference of 1 to 256 characters, if any), and the bytes given are left untouched.',
      body: async () => {
        const t = await transport();
        const bytes = bytesOf(64 * 1024, 1);
        const copy = Uint8Array.from(bytes);
        await send(t, transmission(bytes));
        expectContract(sameBytes(bytes, copy), 'send() modified the bytes it was given');
      },
    },
    {
      tcId: 2,
      requirements: ['SCOR-2', 'SCOR-3'],
      comment: 'A lot handed over arrives byte for byte: 1 MiB covering every byte value.',
      body: async () => {
        const t = await transport();
        const tx = transmission(bytesOf(MIB, 2));
        const got = await arrived(tx, await send(t, tx));
        expectContract(sameBytes(got, tx.bytes), `the lot did not arrive intact: ${firstDifference(got, tx.bytes)}`);
      },
    },
    {
      tcId: 3,
      requirements: ['SCOR-3'],
      comment: 'Each attempt of a lot is its own transmission: attempts 1 and 2 of one lot are both accepted and both arrive intact.',
      body: async () => {
        const t = await transport();
        const first = transmission(bytesOf(8192, 3));
        const second = transmission(bytesOf(8192, 4), 2, first.lotId);
        const [r1, r2] = [await send(t, first), await send(t, second)];
        const [g1, g2] = [await arrived(first, r1), await arrived(second, r2)];
        expectContract(sameBytes(g1, first.bytes), `attempt 1 no longer reads back intact after attempt 2: ${firstDifference(g1, first.bytes)}`);
        expectContract(sameBytes(g2, second.bytes), `attempt 2 did not arrive intact: ${firstDifference(g2, second.bytes)}`);
      },
    },
    {
      tcId: 4,
      requirements: ['SCOR-2', 'SCOR-3'],
      comment: 'Eight lots sent at once are all accepted and each arrives intact, none mixed with another.',
      body: async () => {
        const t = await transport();
        const txs = Array.from({ length: 8 }, (_, i) => transmission(bytesOf(32 * 1024 + i * 100, 10 + i)));
        const receipts = await Promise.all(txs.map((tx) => send(t, tx)));
        for (const [i, tx] of txs.entries()) {
          const got = await arrived(tx, receipts[i]!);
          expectContract(sameBytes(got, tx.bytes), `lot ${i + 1} of 8 did not arrive intact: ${firstDifference(got, tx.bytes)}`);
        }
      },
    },
    {
      tcId: 5,
      requirements: ['SCOR-2'],
      comment: 'The container that arrives is the lot: verifyLot accepts its manifest, checksums and files.',
      body: async () => {
        const t = await transport();
        const p = lot();
        const tx = transmission(Uint8Array.from(p.container.bytes));
        const got = await arrived(tx, await send(t, tx));
        const verdict = await verifyLot(got, context.sha256 === undefined ? {} : { sha256: context.sha256 });
        expectContract(verdict.ok, `verifyLot refuses what arrived: ${verdict.issues[0]?.code ?? '?'} ${verdict.issues[0]?.message ?? ''}`);
        expectContract(verdict.manifest?.lotId === p.lotId, 'what arrived is another lot');
      },
    },
    {
      tcId: 6,
      requirements: ['SCOR-3'],
      comment:
        'In the lifecycle, a lot with its positive B2 ARL is sent through the transport (state sent, attempt 1, its reference kept); its positive ARL PJ makes it arl-positive.',
      body: async () => {
        const t = await transport();
        const p = freshLot();
        const l = lifecycle(t);
        const sent = await l.manager.register(p, { b2Arl: positive(p, 'b2', l.now()) });
        expectContract(sent.state === 'sent' && sent.attempts === 1, `the lot is ${sent.state} after ${sent.attempts} attempt(s), sent after 1 expected`);
        expectContract(l.delivered.length === 1, `the transport was called ${l.delivered.length} times for one lot`);
        const { transmission: tx, receipt } = l.delivered[0]!;
        expectContract(
          sent.transmissionRef === (receipt.reference ?? null),
          `the lot keeps reference ${sent.transmissionRef}, the transport gave ${receipt.reference}`,
        );
        if (context.received !== undefined) {
          const got = await arrived(tx, receipt);
          expectContract(sameBytes(got, p.container.bytes), `the lot did not arrive intact: ${firstDifference(got, p.container.bytes)}`);
        }
        l.advance(3_600_000);
        const [done] = await l.manager.recordArl(positive(p, 'pj', l.now()));
        expectContract(done?.state === 'arl-positive', `after its positive ARL PJ the lot is ${done?.state}`);
      },
    },
    {
      tcId: 7,
      requirements: ['SCOR-3'],
      comment: 'A failed attempt is retried through the transport: after a failure before it, the lot is retrying, and the next tick sends attempt 2 intact.',
      body: async () => {
        const t = await transport();
        const p = freshLot();
        const l = lifecycle(t, 1);
        const failed = await l.manager.register(p, { b2Arl: positive(p, 'b2', l.now()) });
        expectContract(failed.state === 'retrying' && failed.dueAt !== null, `after a failed attempt the lot is ${failed.state}, retrying expected`);
        l.advance(Date.parse(failed.dueAt!) - l.now().getTime() + 1000);
        const report = await l.manager.tick();
        expectContract(report.sent.includes(p.lotId), `the retry was not sent (${report.errors[0]?.code ?? report.failed.length} failed)`);
        const after = await l.manager.get(p.lotId);
        expectContract(after.state === 'sent' && after.attempts === 2, `after the retry the lot is ${after.state} after ${after.attempts} attempts`);
        const { transmission: tx, receipt } = l.delivered[0]!;
        expectContract(tx.attempt === 2, `the transport carried attempt ${tx.attempt}, 2 expected`);
        if (context.received !== undefined) {
          const got = await arrived(tx, receipt);
          expectContract(sameBytes(got, p.container.bytes), `attempt 2 did not arrive intact: ${firstDifference(got, p.container.bytes)}`);
        }
      },
    },
  ];

  const tests: ConformanceTest[] = [];
  for (const c of cases) tests.push(await runContractCase({ ...c, suite: SUITE, body: boundedBody(timeoutMs, c.body) }, context));
  return tests;
}
