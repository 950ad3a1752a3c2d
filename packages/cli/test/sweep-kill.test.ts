/**
 * A sweeping process SIGKILLed between the store's deletions and their trace
 * (SIG-6, AUD-1): with each store of the SDK, another process's next sweep
 * traces them, as the dead one's sweep, once — two processes sweeping at the
 * same moment into one audit log write one event.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTraceSink, createAuditLog, type AuditEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createBordereauId } from '@s3404/core';
import {
  createCapture,
  createConsumer,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  type ConsumptionStore,
  type SealedRecord,
} from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { openConsumptionStore } from '@s3404/seal/stores';
import { dropTestState } from './backend-cleanup.js';
import { png } from './png.js';

const WORKER = join(import.meta.dirname, 'workers/sweep-worker.ts');
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(join(tmpdir(), 's3404-sweep-kill-'));
const tag = `sk${process.pid}`;
const opened: ConsumptionStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  const tables = ['pending', 'tombstones', 'sweep_outbox'].map((t) => `${tag}_${t}`);
  await dropTestState({ postgres: PG, tables, redis: REDIS, keys: `${tag}:*` });
  rmSync(dir, { recursive: true, force: true });
});

const STORES: readonly (readonly [string, string])[] = [
  ['embedded SQLite', `sqlite:${join(dir, 'consumption.sqlite')}`],
  ['PostgreSQL', `${PG}?tablePrefix=${tag}_`],
  ['Redis', `${REDIS}?prefix=${tag}:`],
];

/** The sealing clock: records signed at T0 expire at T0 + 10 min in the stores (the consumers' TTL). */
const T0 = Date.parse('2026-03-20T10:00:00.000Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

describe('a sweeping process SIGKILLed before its trace (SIG-6, AUD-1)', () => {
  let pki: DevelopmentPki;
  let records: SealedRecord[];
  beforeAll(async () => {
    pki = await createDevelopmentPki({ now: () => at(-3600) });
    const sealer = await createSealer({
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      contexts: new MemoryContextRegistry({ now: () => at(0) }),
      authorizer: createRoleAuthorizer({ staff: [] }),
      now: () => at(0),
    });
    records = [];
    for (let i = 0; i < 5; i++) {
      const scope = { kind: 'bordereau' as const, bordereauId: createBordereauId(), contentHash: 'a'.repeat(64) };
      const ctx = await sealer.openContext({ scope, role: 'insured', signer: { id: `patient-${i}`, name: 'Jeanne Martin' }, terminalId: 'tablette-1' });
      records.push(await sealer.seal(createCapture(ctx, { image: png(300, 100), capturedAt: at(0) })));
    }
  });

  it.each(STORES)('%s: the next sweep of another process traces the dead one’s deletions, once', async (_name, url) => {
    const store = await openConsumptionStore(url);
    opened.push(store);
    const consumerOn = (id: string, trace?: Parameters<typeof createConsumer>[0]['trace']) =>
      createConsumer({ store, trustAnchors: [pki.ca.certificate], now: () => now, ttlSeconds: 600, consumerId: id, ...(trace === undefined ? {} : { trace }) });
    let now = at(5);
    const depositor = consumerOn('depositor');
    for (const r of records) await depositor.deposit(r);
    expect(await store.countPending()).toBe(5);

    const swept = at(600 + 1);
    const job = join(dir, `${tag}-${opened.length}.json`);
    writeFileSync(
      job,
      JSON.stringify({ store: url, ca: Buffer.from(pki.ca.certificate).toString('base64'), now: swept.toISOString(), consumerId: 'node-killed' }),
    );
    const child = spawnSync(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, job], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toBe('');
    // Its deletions were committed; their event was written nowhere.
    expect(await store.countPending()).toBe(0);

    // Two other processes' consumers sweep at the same moment, into one audit log that keeps event ids.
    now = at(600 + 61);
    const log = createAuditLog({ store: new MemoryAuditStore(), now: () => now });
    const sink = auditTraceSink(log);
    const results = await Promise.all([consumerOn('node-2', sink).sweep(), consumerOn('node-3', sink).sweep()]);
    expect(results).toEqual([
      { expired: 0, abandoned: 0 },
      { expired: 0, abandoned: 0 },
    ]);
    const expiredEvents = async () => {
      const out: AuditEvent[] = [];
      for await (const e of log.read()) if (e.action === 'signature.expired') out.push(e);
      return out;
    };
    const events = await expiredEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 5, actor: { personId: 'node-killed', role: 'service' } });
    expect(await (store as Required<ConsumptionStore>).untracedSweeps({ limit: 10 })).toEqual([]);
    await consumerOn('node-2', sink).sweep();
    expect(await expiredEvents()).toHaveLength(1);
  });
});
