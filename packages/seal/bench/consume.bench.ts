/**
 * `pnpm bench` for single use (SIG-5, SIG-6): consumes per second on each
 * store with 16 concurrent clients, against the bare primitive of the same
 * backend measured in the same run (the research's peers: a PostgreSQL
 * `DELETE … RETURNING`, Redis `GETDEL`, the same in SQLite, a `Map.delete`).
 * The peer claims without a ledger, so it cannot refuse a replayed copy once
 * the row is gone: it is the floor of what one atomic step costs there.
 *
 * - "store consume" = the store's claim (tombstone + pending mark, atomic)
 *   then complete (tombstone completed + pending bytes deleted, atomic): the
 *   two steps `Consumer.consume` makes on the store.
 * - "full consume" = `Consumer.consume` of real sealed records: CMS
 *   verification (ECDSA P-256), binding check, tombstone lookup, claim,
 *   complete. Bounded by signature verification, not by the store.
 * - "crypto-shredding" (SIG-6, issue 15) = `Consumer.deposit` (AES-256-GCM
 *   under a fresh key per record) then `Consumer.consume` by handle and by
 *   record id, on every store, against the same consumer given an identity
 *   cipher (encryption off, a bench-only path): after a warm-up, rounds in
 *   which the variants take turns by short slices in a rotating order;
 *   medians of the rounds, ratio encrypted ÷ off. Plus the raw cost of one
 *   envelope (seal + open of a 1,800-byte record).
 *
 * Run: pnpm --filter @s3404/seal bench   (or `pnpm bench` at the root).
 * Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (or
 * S3404_TEST_POSTGRES_URL / S3404_TEST_REDIS_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Redis } from 'ioredis';
import { machine } from '@s3404/tooling/bench';
import { createConsumer, type ConsumptionStore, type PendingCipherCrypto, type PendingDeposit, type SealedRecord } from '../src/index.js';
import { nativeAead, openEnvelope, sealEnvelope, webAead, type Aead } from '../src/internal/pending-envelope.js';
import { MemoryConsumptionStore } from '../src/memory/index.js';
import { SqliteConsumptionStore } from '../src/sqlite/index.js';
import { PostgresConsumptionStore } from '../src/postgres/index.js';
import { RedisConsumptionStore } from '../src/redis/index.js';
import { at, fixture, type Fixture } from '../test/helpers.js';
import { sealMany, targetOf } from '../test/store-contract.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CLIENTS = 16;
const BYTES = new Uint8Array(1800).fill(7); // about the size of a sealed record
const tag = `bench${process.pid}`;

interface Row {
  readonly name: string;
  readonly ops: number;
  readonly perSecond: number;
}

async function throughput(name: string, n: number, fn: (i: number) => Promise<unknown>): Promise<Row> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return { name, ops: n, perSecond: (n / (performance.now() - t0)) * 1000 };
}

const uuid = (i: number, salt: number): string => {
  const h = (i * 2654435761 + salt).toString(16).padStart(12, '0').slice(-12);
  return `${salt.toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${h}`;
};
const digest = (i: number, salt: number): string => (salt.toString(16) + i.toString(16).padStart(16, '0')).padStart(64, 'a');

/** claim + complete of `n` pre-deposited entries, 16 at a time. */
async function storeConsume(name: string, store: ConsumptionStore, n: number, salt: number): Promise<Row> {
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  for (let i = 0; i < n; i++) await store.putPending({ recordId: uuid(i, salt), digest: digest(i, salt), bytes: BYTES, expiresAt });
  const at0 = new Date().toISOString();
  return throughput(name, n, async (i) => {
    const recordId = uuid(i, salt);
    const c = await store.claim({ recordId, digest: digest(i, salt), target: 'bordereau:X', requestId: `r${i}`, consumer: 'bench', claimedAt: at0 });
    if (c.kind !== 'claimed') throw new Error('lost a claim');
    await store.complete({ recordId, requestId: `r${i}`, at: at0 });
  });
}

function print(title: string, ours: Row, peer: Row, goal?: number): void {
  console.log(`### ${title}\n`);
  console.log('| implementation | ops | consumes per second | ÷ peer |');
  console.log('|---|---:|---:|---:|');
  console.log(`| ${ours.name} | ${ours.ops} | ${ours.perSecond.toFixed(0)} | ${(ours.perSecond / peer.perSecond).toFixed(2)}× |`);
  console.log(`| ${peer.name} (peer) | ${peer.ops} | ${peer.perSecond.toFixed(0)} | 1.00 |`);
  if (goal !== undefined) console.log(`\nGoal ≥ ${goal.toLocaleString('en')}/s: ${ours.perSecond >= goal ? 'met' : 'NOT met'}.`);
  console.log('');
}

// Crypto-shredding (SIG-6, issue 15): the same consumer with encryption on and off, in the same run.

/**
 * Encryption off, for this bench only (no production path takes it): the
 * envelope's framing, associated data, key handling, copies, key holder and
 * handle all stay; AES-256-GCM becomes a copy with a 16-byte zero "tag".
 */
const IDENTITY_KEY = Object.freeze({ bench: 'identity cipher' });
const TAG_BYTES = 16;
const identityCrypto: PendingCipherCrypto = {
  subtle: {
    importKey: async () => IDENTITY_KEY,
    encrypt: async (_algorithm, _key, data) => {
      const out = new Uint8Array(data.length + TAG_BYTES);
      out.set(data);
      return out.buffer;
    },
    decrypt: async (_algorithm, _key, data) => {
      if (data.length < TAG_BYTES) throw new Error('identity cipher: too short');
      return data.slice(0, data.length - TAG_BYTES).buffer;
    },
  },
};

interface Variant {
  /** `encrypted`: the default (native AES-256-GCM in Node); `off`: {@link identityCrypto}. */
  readonly cipher: 'encrypted' | 'off';
  /** `handle`: the deposit's handle (the primary path); `recordId`: the key from the default MemoryKeyHolder. */
  readonly by: 'handle' | 'recordId';
}

const VARIANTS: readonly Variant[] = [
  { cipher: 'encrypted', by: 'handle' },
  { cipher: 'off', by: 'handle' },
  { cipher: 'encrypted', by: 'recordId' },
  { cipher: 'off', by: 'recordId' },
];
/** Rounds per store (at least 3; `S3404_BENCH_ROUNDS` to change). */
const ROUNDS = Math.max(3, Number.parseInt(process.env['S3404_BENCH_ROUNDS'] ?? '', 10) || 5);
const WARMUP_RECORDS = 300;
/** Operations per turn of a variant within a round. */
const SLICE = 100;

interface Backend {
  readonly name: string;
  /** Records deposited then consumed per round. */
  readonly n: number;
  open(k: number): Promise<ConsumptionStore>;
  dispose(store: ConsumptionStore, k: number): Promise<void>;
}

/** Deposits and consumes per second of one round. */
interface Sample {
  readonly deposit: number;
  readonly consume: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

let storeSerial = 0;

/** `fn(i)` for i in [from, to), 16 at a time; milliseconds taken. */
async function slice(from: number, to: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  let next = from;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < to) await fn(next++);
    }),
  );
  return performance.now() - t0;
}

/**
 * One round: a fresh store per variant, `n` deposits on each, then `n`
 * consumes on each (16 concurrent). The variants take turns by slices of
 * {@link SLICE} operations in a rotating order, so that a burst of load from
 * elsewhere on the machine falls on all of them alike.
 */
async function shredRound(f: Fixture, records: readonly SealedRecord[], backend: Backend, n: number): Promise<Sample[]> {
  const opened: { readonly k: number; readonly store: ConsumptionStore }[] = [];
  try {
    for (let v = 0; v < VARIANTS.length; v++) {
      const k = storeSerial++;
      opened.push({ k, store: await backend.open(k) });
    }
    const consumers = VARIANTS.map((variant, v) =>
      createConsumer({
        store: opened[v]!.store,
        trustAnchors: [f.pki.ca.certificate],
        now: () => at(10),
        ...(variant.cipher === 'off' ? { crypto: identityCrypto } : {}),
      }),
    );
    const deposits: PendingDeposit[][] = VARIANTS.map(() => new Array(n));
    const depositMs = VARIANTS.map(() => 0);
    const consumeMs = VARIANTS.map(() => 0);
    const turns = async (ms: number[], fn: (v: number, i: number) => Promise<unknown>): Promise<void> => {
      for (let from = 0, turn = 0; from < n; from += SLICE, turn++) {
        for (let j = 0; j < VARIANTS.length; j++) {
          const v = (j + turn) % VARIANTS.length;
          ms[v]! += await slice(from, Math.min(n, from + SLICE), (i) => fn(v, i));
        }
      }
    };
    await turns(depositMs, async (v, i) => {
      deposits[v]![i] = await consumers[v]!.deposit(records[i]!);
    });
    // The store holds ciphertext when encrypted, the record's bytes when off: the bench measures what it says.
    for (let v = 0; v < VARIANTS.length; v++) {
      const held = await opened[v]!.store.getPending(records[0]!.recordId);
      const plain = held !== null && Buffer.from(held.bytes).includes(Buffer.from(records[0]!.bytes.subarray(0, 64)));
      if (held === null || plain !== (VARIANTS[v]!.cipher === 'off')) throw new Error(`${VARIANTS[v]!.cipher}: unexpected pending bytes`);
    }
    await turns(consumeMs, async (v, i) => {
      const r = records[i]!;
      const input = VARIANTS[v]!.by === 'handle' ? { handle: deposits[v]![i]!.handle } : { recordId: r.recordId };
      const used = await consumers[v]!.consume(input, { target: targetOf(r), requestId: `shred-${i}` });
      if (used.status !== 'consumed' || used.resumed) throw new Error('lost a consume');
    });
    for (const { store } of opened) if ((await store.countPending()) !== 0) throw new Error('pending records left');
    return VARIANTS.map((_, v) => ({ deposit: (n / depositMs[v]!) * 1000, consume: (n / consumeMs[v]!) * 1000 }));
  } finally {
    for (const { k, store } of opened) await backend.dispose(store, k);
  }
}

/** `n` times `op`, one at a time: wall and CPU microseconds per call (CPU: every thread of the process). */
async function perCall(op: (i: number) => Promise<void>, n: number): Promise<{ wallUs: number; cpuUs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallUs: (wall * 1000) / n, cpuUs: (cpu.user + cpu.system) / n };
}

/** The raw cost of one pending envelope (SIG-6): seal + open of a 1,800-byte record, and where it goes. */
async function envelopeCost(): Promise<void> {
  const webCrypto = globalThis.crypto as unknown as PendingCipherCrypto;
  const subtle = globalThis.crypto.subtle;
  const raw = new Uint8Array(32).fill(1);
  const nonce = new Uint8Array(12).fill(2);
  const target = `bordereau:${uuid(2, 7)}`;
  const aad = new Uint8Array(80).fill(3); // about the envelope's header and record id
  const key = await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, key, BYTES));
  const envelope = (aead: Aead) => async (i: number) => {
    const recordId = uuid(i, 8);
    const e = await sealEnvelope(aead, { key: raw, nonce, recordId, target, plaintext: BYTES });
    const opened = await openEnvelope(aead, { key: raw, recordId, envelope: e });
    if (typeof opened === 'string' || opened.plaintext.length !== BYTES.length) throw new Error('envelope did not open');
  };
  const ops: readonly (readonly [string, (i: number) => Promise<void>])[] = [
    ['AES-256-GCM (native `node:crypto`, the default in Node): `sealEnvelope` + `openEnvelope`', envelope(nativeAead()!)],
    ['AES-256-GCM (Web Crypto, the default in browsers): `sealEnvelope` + `openEnvelope`', envelope(webAead(webCrypto))],
    ['identity cipher: the same two calls, no AES (framing, associated data, copies)', envelope(webAead(identityCrypto))],
    [
      'of which Web Crypto `importKey` × 2 (one per call, the key is per record)',
      async () => {
        await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
        await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
      },
    ],
    [
      'of which Web Crypto `encrypt` + `decrypt`, key already imported',
      async () => {
        await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, key, BYTES);
        await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, key, sealed);
      },
    ],
  ];
  for (const [, op] of ops) await perCall(op, 1_000);
  const wall: number[][] = ops.map(() => []);
  const cpu: number[][] = ops.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let j = 0; j < ops.length; j++) {
      const o = (j + r) % ops.length;
      const one = await perCall(ops[o]![1], 3_000);
      wall[o]!.push(one.wallUs);
      cpu[o]!.push(one.cpuUs);
    }
  }
  const inFlight: number[] = [];
  for (const [name, op] of ops) inFlight.push((await throughput(name, 20_000, op)).perSecond);
  console.log(`### Pending envelope of a ${BYTES.length.toLocaleString('en')}-byte record: seal + open (SIG-6)\n`);
  console.log(`Medians of ${ROUNDS} alternating rounds of 3,000, after a warm-up; CPU counts every thread of the process.\n`);
  console.log('| per record | µs (wall, one at a time) | CPU µs | per second, 16 in flight |');
  console.log('|---|---:|---:|---:|');
  for (let i = 0; i < ops.length; i++) {
    console.log(`| ${ops[i]![0]} | ${median(wall[i]!).toFixed(1)} | ${median(cpu[i]!).toFixed(1)} | ${inFlight[i]!.toFixed(0)} |`);
  }
  console.log(
    `\nAES-GCM's own cost per record (first row − second): ${(median(wall[0]!) - median(wall[1]!)).toFixed(1)} µs wall, ${(median(cpu[0]!) - median(cpu[1]!)).toFixed(1)} µs CPU, about half at the deposit and half at the consume.\n`,
  );
}

async function shredding(f: Fixture, records: readonly SealedRecord[], dir: string): Promise<void> {
  const started = performance.now();
  const pool = new pg.Pool({ connectionString: PG, max: CLIENTS });
  const client = new Redis(REDIS);
  const sqlitePath = (k: number): string => join(dir, `shred-${k}.sqlite`);
  const backends: readonly Backend[] = [
    { name: 'memory', n: 1_500, open: async () => new MemoryConsumptionStore(), dispose: (s) => s.close() },
    {
      name: 'SQLite (synchronous=full)',
      n: 600,
      open: (k) => SqliteConsumptionStore.open({ path: sqlitePath(k) }),
      dispose: async (s, k) => {
        await s.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath(k)}${suffix}`, { force: true });
      },
    },
    {
      name: 'PostgreSQL',
      n: 1_000,
      open: (k) => PostgresConsumptionStore.open({ pool, tablePrefix: `${tag}_s${k}_` }),
      dispose: async (s) => {
        await (s as PostgresConsumptionStore).dropTables();
        await s.close();
      },
    },
    {
      name: 'Redis',
      n: 1_500,
      open: (k) => RedisConsumptionStore.open({ client, prefix: `${tag}:s${k}:` }),
      dispose: async (s, k) => {
        await s.close();
        const keys = await client.keys(`${tag}:s${k}:*`);
        for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
      },
    },
  ];
  const results: { readonly backend: Backend; readonly samples: Sample[][] }[] = [];
  try {
    for (const backend of backends) {
      if (backend.n > records.length) throw new Error(`${backend.name}: not enough sealed records`);
      await shredRound(f, records, backend, Math.min(WARMUP_RECORDS, backend.n));
      const samples: Sample[][] = VARIANTS.map(() => []);
      for (let r = 0; r < ROUNDS; r++) {
        const round = await shredRound(f, records, backend, backend.n);
        for (let v = 0; v < VARIANTS.length; v++) samples[v]!.push(round[v]!);
      }
      results.push({ backend, samples });
    }
  } finally {
    await pool.end();
    client.disconnect();
  }
  console.log('### Crypto-shredding (SIG-6): deposit, then full consume of the deposited records, encrypted vs encryption off\n');
  console.log(
    `Real sealed records (${records[0]!.bytes.length.toLocaleString('en')} bytes each), ${CLIENTS} concurrent clients. Each store: a warm-up round, then ${ROUNDS} rounds; in a round each variant has a fresh store and the four take turns by slices of ${SLICE} operations in a rotating order (deposits, then consumes); medians of the rounds. "off" is the same consumer given an identity cipher (bench only): every step but AES-GCM. By handle: the key travels in the deposit's handle (primary path); by record id: the key comes from the default MemoryKeyHolder.\n`,
  );
  console.log(
    '| store | records per round | consume by | deposits/s encrypted | deposits/s off | ÷ | consumes/s encrypted | consumes/s off | encrypted ÷ off | per-round ÷: median (min–max) |',
  );
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---|');
  const primary = new Map<string, { ratio: number; encrypted: number; off: number }>();
  const pooled = new Map<string, number[]>();
  for (const { backend, samples } of results) {
    for (const by of ['handle', 'recordId'] as const) {
      const on = samples[VARIANTS.findIndex((v) => v.cipher === 'encrypted' && v.by === by)]!;
      const off = samples[VARIANTS.findIndex((v) => v.cipher === 'off' && v.by === by)]!;
      const depositOn = median(on.map((s) => s.deposit));
      const depositOff = median(off.map((s) => s.deposit));
      const consumeOn = median(on.map((s) => s.consume));
      const consumeOff = median(off.map((s) => s.consume));
      const perRound = on.map((s, r) => s.consume / off[r]!.consume);
      const ratio = consumeOn / consumeOff;
      if (by === 'handle') primary.set(backend.name, { ratio, encrypted: consumeOn, off: consumeOff });
      pooled.set(backend.name, [...(pooled.get(backend.name) ?? []), ...perRound]);
      console.log(
        `| ${backend.name} | ${backend.n.toLocaleString('en')} | ${by === 'handle' ? '`{ handle }`' : '`{ recordId }`'} | ${depositOn.toFixed(0)} | ${depositOff.toFixed(0)} | ${(depositOn / depositOff).toFixed(2)} | ${consumeOn.toFixed(0)} | ${consumeOff.toFixed(0)} | ${ratio.toFixed(2)} | ${median(perRound).toFixed(2)} (${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}) |`,
      );
    }
  }
  console.log('');
  const slower = (ratio: number): string => (ratio <= 1 ? `${((1 - ratio) * 100).toFixed(1)} % slower` : `${((ratio - 1) * 100).toFixed(1)} % faster`);
  for (const name of ['PostgreSQL', 'Redis']) {
    const p = primary.get(name)!;
    const both = pooled.get(name)!;
    console.log(
      `Goal < 10 % slower on ${name} (consume by handle, ratio of medians): ${slower(p.ratio)} — ${p.ratio > 0.9 ? 'met' : 'NOT met'}. Both paths pooled (median of ${both.length} paired rounds): ${slower(median(both))}.`,
    );
  }
  const onPostgres = primary.get('PostgreSQL')!;
  console.log(
    `Goal full Consumer.consume on PostgreSQL ≥ 1,000/s (encrypted, by handle): ${onPostgres.encrypted.toFixed(0)}/s — ${onPostgres.encrypted >= 1_000 ? 'met' : 'NOT met'} (encryption off: ${onPostgres.off.toFixed(0)}/s).\n`,
  );
  await envelopeCost();
  console.log(`(Crypto-shredding section: ${((performance.now() - started) / 1000).toFixed(0)} s.)\n`);
}

async function main(): Promise<void> {
  console.log(`## @s3404/seal consumption — ${CLIENTS} concurrent clients\n\n${await machine()}\n`);
  const dir = mkdtempSync(join(tmpdir(), 's3404-bench-'));
  try {
    // Memory.
    {
      const n = 200_000;
      const ours = await storeConsume('MemoryConsumptionStore', new MemoryConsumptionStore(), n, 1);
      const map = new Map<string, Uint8Array>();
      for (let i = 0; i < n; i++) map.set(uuid(i, 2), BYTES);
      const peer = await throughput('Map get + delete', n, async (i) => {
        const k = uuid(i, 2);
        if (map.get(k) === undefined || !map.delete(k)) throw new Error('lost');
      });
      print('In memory: store consume', ours, peer, 20_000);
    }
    // Embedded SQLite (synchronous FULL by default, and NORMAL).
    for (const synchronous of ['full', 'normal'] as const) {
      const n = 5_000;
      const store = await SqliteConsumptionStore.open({ path: join(dir, `ours-${synchronous}.sqlite`), synchronous });
      const ours = await storeConsume(`SqliteConsumptionStore (synchronous=${synchronous})`, store, n, 3);
      await store.close();
      const db = new Database(join(dir, `peer-${synchronous}.sqlite`));
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      db.exec('CREATE TABLE pending (record_id TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT');
      const ins = db.prepare('INSERT INTO pending VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < n; i++) ins.run(uuid(i, 4), BYTES);
      })();
      const del = db.prepare<[string], { bytes: Buffer }>('DELETE FROM pending WHERE record_id = ? RETURNING bytes');
      const peer = await throughput('better-sqlite3 DELETE … RETURNING', n, async (i) => {
        if (del.get(uuid(i, 4)) === undefined) throw new Error('lost');
      });
      db.close();
      print(`Embedded SQLite, synchronous=${synchronous}: store consume`, ours, peer);
    }
    // PostgreSQL.
    {
      const n = 20_000;
      const pool = new pg.Pool({ connectionString: PG, max: CLIENTS });
      const store = await PostgresConsumptionStore.open({ pool, tablePrefix: `${tag}_` });
      const ours = await storeConsume('PostgresConsumptionStore', store, n, 5);
      await store.dropTables();
      await pool.query(`CREATE TABLE ${tag}_peer (record_id uuid PRIMARY KEY, bytes bytea NOT NULL)`);
      await pool.query(
        `INSERT INTO ${tag}_peer SELECT ('00000005-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, $1 FROM generate_series(0, $2::int - 1) i`,
        [Buffer.from(BYTES), n],
      );
      const peer = await throughput('pg DELETE … RETURNING', n, async (i) => {
        const r = await pool.query(`DELETE FROM ${tag}_peer WHERE record_id = $1 RETURNING bytes`, [
          `00000005-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        ]);
        if (r.rowCount !== 1) throw new Error('lost');
      });
      await pool.query(`DROP TABLE ${tag}_peer`);
      await pool.end();
      print('PostgreSQL: store consume', ours, peer, 2_000);
    }
    // Redis.
    {
      const n = 20_000;
      const client = new Redis(REDIS);
      const store = await RedisConsumptionStore.open({ client, prefix: `${tag}:` });
      const ours = await storeConsume('RedisConsumptionStore', store, n, 6);
      const buf = Buffer.from(BYTES);
      for (let i = 0; i < n; i += 1000) {
        const m = client.multi();
        for (let j = i; j < Math.min(n, i + 1000); j++) m.set(`${tag}:peer:${j}`, buf);
        await m.exec();
      }
      const peer = await throughput('ioredis GETDEL', n, async (i) => {
        if ((await client.getdelBuffer(`${tag}:peer:${i}`)) === null) throw new Error('lost');
      });
      const keys = await client.keys(`${tag}:*`);
      for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
      client.disconnect();
      print('Redis: store consume', ours, peer);
    }
    // Real sealed records, for the full consume and the crypto-shredding rounds (each round opens a fresh store).
    const f = await fixture();
    const records: SealedRecord[] = await sealMany(f, 3_000, 99);
    // Full consume: verification included.
    {
      const rows: Row[] = [];
      for (const [name, open] of [
        ['Consumer.consume on memory', async () => new MemoryConsumptionStore()],
        ['Consumer.consume on PostgreSQL', async () => PostgresConsumptionStore.open({ connectionString: PG, tablePrefix: `${tag}_full_`, poolSize: CLIENTS })],
      ] as const) {
        const store: ConsumptionStore = await open();
        const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
        rows.push(
          await throughput(name, records.length, (i) =>
            consumer.consume({ bytes: records[i]!.bytes }, { target: targetOf(records[i]!), requestId: `full-${i}` }),
          ),
        );
        if (store instanceof PostgresConsumptionStore) await store.dropTables();
        await store.close();
      }
      console.log('### Full consume (CMS verification + binding + claim + complete)\n');
      console.log('| implementation | ops | consumes per second |');
      console.log('|---|---:|---:|');
      for (const r of rows) console.log(`| ${r.name} | ${r.ops} | ${r.perSecond.toFixed(0)} |`);
      console.log('\nBounded by ECDSA P-256 verification (see the seal benchmark), whatever the store.\n');
    }
    await shredding(f, records, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
