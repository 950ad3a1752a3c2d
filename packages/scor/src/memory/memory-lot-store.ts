import { ScorError } from '../errors/scor-error.js';
import type { LotRecord, LotState } from '../lifecycle/lot-record.js';
import { checkLotQuery, type LotQuery, type LotStore } from '../lifecycle/lot-store.js';

/**
 * A lot store in memory, for tests, demos and a browser (SCOR-3). Records
 * are copied in and out, so a caller never changes a stored lot by
 * mistake. Nothing survives the process.
 *
 * `import { MemoryLotStore } from '@s3404/scor/memory'`
 *
 * @example
 * ```ts
 * const lots = createLotManager({ store: await MemoryLotStore.open(), transport })
 * ```
 * @public
 */
export class MemoryLotStore implements LotStore {
  readonly #records = new Map<string, LotRecord>();
  readonly #containers = new Map<string, Uint8Array>();

  /**
   * Opens an empty store (SCOR-3): the one way every store of the SDK opens
   * (`docs/conventions.md` §8); `new MemoryLotStore()` does the same.
   *
   * @example
   * ```ts
   * const store = await MemoryLotStore.open()
   * ```
   */
  static async open(): Promise<MemoryLotStore> {
    return new MemoryLotStore();
  }

  /** Stores a new lot with a copy of its container (SCOR-3). @throws {@link ScorError} `ERR_LOT_EXISTS`. */
  async create(record: LotRecord, container: Uint8Array): Promise<void> {
    if (this.#records.has(record.lotId)) throw new ScorError('ERR_LOT_EXISTS', { params: { lotId: record.lotId } });
    this.#records.set(record.lotId, structuredClone(record));
    this.#containers.set(record.lotId, container.slice());
  }

  /** The lot, or `null` (SCOR-3). */
  async get(lotId: string): Promise<LotRecord | null> {
    const r = this.#records.get(lotId);
    return r === undefined ? null : structuredClone(r);
  }

  /** A copy of the container's bytes, or `null` once purged or for an unknown lot (SCOR-3). */
  async container(lotId: string): Promise<Uint8Array | null> {
    return this.#containers.get(lotId)?.slice() ?? null;
  }

  async update(record: LotRecord, options: { readonly dropContainer?: boolean } = {}): Promise<boolean> {
    const stored = this.#records.get(record.lotId);
    if (stored === undefined || stored.version !== record.version - 1) return false;
    this.#records.set(record.lotId, structuredClone(record));
    if (options.dropContainer === true) this.#containers.delete(record.lotId);
    return true;
  }

  async list(query: LotQuery = {}): Promise<LotRecord[]> {
    const limit = checkLotQuery(query);
    const states = query.states === undefined ? undefined : new Set(query.states);
    const due = query.dueBefore === undefined ? undefined : Date.parse(query.dueBefore);
    const out: LotRecord[] = [];
    for (const r of this.#records.values()) {
      if (states !== undefined && !states.has(r.state)) continue;
      if (query.finess !== undefined && r.finess !== query.finess) continue;
      if (query.b2LotNumber !== undefined && r.b2LotNumber !== query.b2LotNumber) continue;
      if (due !== undefined && (r.dueAt === null || Date.parse(r.dueAt) > due)) continue;
      if (query.untraced === true && r.untraced === undefined) continue;
      out.push(r);
    }
    out.sort(byDueThenId);
    return out.slice(0, limit).map((r) => structuredClone(r));
  }

  async countByState(): Promise<Readonly<Partial<Record<LotState, number>>>> {
    const out: Partial<Record<LotState, number>> = {};
    for (const r of this.#records.values()) out[r.state] = (out[r.state] ?? 0) + 1;
    return out;
  }

  /** Nothing to release: the lots stay in memory until the store is dropped. Idempotent. */
  async close(): Promise<void> {}
}

/** `dueAt` ascending (lots without one last), then `lotId` (SCOR-3). */
function byDueThenId(a: LotRecord, b: LotRecord): number {
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  return a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0;
}
