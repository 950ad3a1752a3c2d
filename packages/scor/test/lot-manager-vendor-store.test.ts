import { beforeAll, describe, expect, it } from 'vitest';
import { isS3404Error } from '@s3404/core';
import { createLotManager, packLot, SCOR_ERRORS, ScorError, type LotStore, type PackedLot, type Transport } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { lotFixture } from './fixtures/lot.js';

// Issue 19 (left open by hardening row 65): the SDK's own lot stores code every backend failure, but a vendor's
// LotStore over its own driver throws the driver's errors as they are. The lot manager passed them through raw —
// no code, no kind, a `tick` that threw a bare `error: permission denied for table lots` — where the consumer
// classifies the same errors of a vendor's consumption store.

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const driverError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

/** A vendor's store over the memory store whose every call throws `failure.next` while it is set. */
function vendorStore() {
  const memory = new MemoryLotStore();
  const failure: { next: Error | undefined } = { next: undefined };
  const guard =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      if (failure.next !== undefined) throw failure.next;
      return f(...a);
    };
  const store: LotStore = {
    create: guard((r, c) => memory.create(r, c)),
    get: guard((id) => memory.get(id)),
    container: guard((id) => memory.container(id)),
    update: guard((r, o) => memory.update(r, o)),
    list: guard((q) => memory.list(q)),
    close: () => memory.close(),
  };
  return { store, failure };
}

const transport: Transport = { id: 'vendor', send: async () => ({ reference: 'msg-1' }) };
let packed: PackedLot;
beforeAll(async () => {
  const fx = await lotFixture(1, { seed: 77 });
  packed = await packLot(fx.description, { files: fx.files, now: () => new Date(T0) });
});

const outcome = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: unknown) => e,
  );

describe("a vendor's lot store that throws its driver's errors as they are (issue 19)", () => {
  const cases: { label: string; error: () => Error; code: string; kind: string }[] = [
    {
      label: 'a role without its grant (42501)',
      error: () => driverError('42501', 'permission denied for table lots'),
      code: 'ERR_LOT_STORE_MISCONFIGURED',
      kind: 'internal',
    },
    {
      label: 'a table not migrated (42P01)',
      error: () => driverError('42P01', 'relation "lots" does not exist'),
      code: 'ERR_LOT_STORE_MISCONFIGURED',
      kind: 'internal',
    },
    {
      label: 'a damaged page (XX001)',
      error: () => driverError('XX001', 'invalid page in block 7 of relation base/16384/16385'),
      code: 'ERR_LOT_STORE_CORRUPT',
      kind: 'internal',
    },
    {
      label: 'a connection reset (ECONNRESET)',
      error: () => driverError('ECONNRESET', 'read ECONNRESET'),
      code: 'ERR_LOT_STORE_UNAVAILABLE',
      kind: 'unavailable',
    },
    { label: 'an error without a code', error: () => new Error('socket hang up'), code: 'ERR_LOT_STORE_UNAVAILABLE', kind: 'unavailable' },
  ];
  for (const { label, error, code, kind } of cases) {
    it(`${label}: ${code} from register, get, list and tick, the driver's error as cause`, async () => {
      const { store, failure } = vendorStore();
      const lots = createLotManager({ store, transport, now: () => new Date(T0), autoSend: false });
      failure.next = error();
      for (const [what, call] of [
        ['register', () => lots.register(packed)],
        ['get', () => lots.get(packed.lotId)],
        ['list', () => lots.list({})],
        ['tick', () => lots.tick()],
      ] as const) {
        const e = await outcome(call());
        expect(isS3404Error(e), `${what}: ${String(e)}`).toBe(true);
        expect(e, `${what}: ${String(e)}`).toMatchObject({ code, kind, cause: failure.next });
      }
      // The backend back: the same manager goes on.
      failure.next = undefined;
      expect((await lots.register(packed)).lotId).toBe(packed.lotId);
      expect(SCOR_ERRORS.kind(code as never)).toBe(kind);
    });
  }

  it("the store's own coded errors pass as they are", async () => {
    const { store, failure } = vendorStore();
    const lots = createLotManager({ store, transport, now: () => new Date(T0), autoSend: false });
    const own = new ScorError('ERR_LOT_STORE_UNAVAILABLE', { params: { detail: 'vendor' } });
    failure.next = own;
    expect(await outcome(lots.get(packed.lotId))).toBe(own);
  });
});
