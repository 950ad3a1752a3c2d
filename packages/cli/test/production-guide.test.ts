/**
 * docs/production.md, run for real (issue 19): every SQL, configuration and
 * shell block of the guide is executed as written (names suffixed so that
 * runs do not collide) against a scratch PostgreSQL database and scratch
 * Redis servers; then the SDK's PostgreSQL and Redis stores are opened as
 * the guide's least-privileged roles and used through the public API.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, auditTraceSink } from '@s3404/audit';
import { PostgresAuditStore } from '@s3404/audit/postgres';
import { createBordereauId } from '@s3404/core';
import { PostgresLease, type PostgresLeaseOptions } from '@s3404/core/postgres';
import type { LotRecord } from '@s3404/scor';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { freePort, startRedisServer } from '@s3404/tooling/redis-kit';
import {
  createCapture,
  createCaptureContext,
  createConsumer,
  createContentSigner,
  createContentVerifier,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  type SealedRecord,
} from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { PostgresConsumptionStore, PostgresContextRegistry } from '@s3404/seal/postgres';
import { RedisConsumptionStore, RedisKeyHolder } from '@s3404/seal/redis';
import { cliIn } from './harness.js';
import { png } from './png.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const GUIDE = readFileSync(join(ROOT, 'docs/production.md'), 'utf8');
const PG_URL = new URL(process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test');
const SUFFIX = `_${process.pid}_${randomBytes(3).toString('hex')}`;
const work = mkdtempSync(join(tmpdir(), 's3404-production-guide-'));

/** The guide's names, made unique to this run: roles are cluster-wide. */
const NAMES = /\bs3404_(prod|owner|app|maint|restore_check)\b/g;
const rename = (text: string): string => text.replace(NAMES, (_, n: string) => `s3404_${n}${SUFFIX}`);
const DB = `s3404_prod${SUFFIX}`;
/** A database where the stores create their own schema, to compare with the guide's. */
const AUTO_DB = `s3404_auto${SUFFIX}`;
const SUPERUSER = decodeURIComponent(PG_URL.username || 'postgres');
const PG_ENV = {
  ...process.env,
  PGHOST: PG_URL.hostname,
  PGPORT: PG_URL.port || '5432',
  PGUSER: SUPERUSER,
  PGDATABASE: PG_URL.pathname.slice(1) || 'postgres',
  ...(PG_URL.password === '' ? {} : { PGPASSWORD: decodeURIComponent(PG_URL.password) }),
};
/** What the guide's blocks call: PostgreSQL's client tools and Redis's server and client. */
const TOOLS = ['psql', 'pg_dump', 'pg_restore', 'createdb', 'dropdb', 'redis-server', 'redis-cli'];
const ROLE = (n: 'owner' | 'app' | 'maint'): string => `s3404_${n}${SUFFIX}`;
const urlAs = (role: string, db = DB): string => `postgres://${role}@${PG_URL.hostname}:${PG_URL.port || '5432'}/${db}`;

type PgPool = PostgresLeaseOptions['pool'] & { end(): Promise<void> };
/** A `pg` pool (pg has no types in this package: typed by what the lease uses). */
async function poolOf(connectionString: string): Promise<PgPool> {
  const driver = 'pg';
  const { default: pg } = (await import(driver)) as { default: { Pool: new (c: { connectionString: string; max: number }) => PgPool } };
  return new pg.Pool({ connectionString, max: 2 });
}

interface Block {
  /** `file NAME`, `sh` or `redis-conf NAME`. */
  readonly run: string;
  readonly lang: string;
  readonly body: string;
}

/** The blocks tagged `<!-- run: … -->`, in order. */
function runnableBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  for (const m of markdown.matchAll(/<!-- run: ([^>]+?) -->\n```(\w+)\n([\s\S]*?)\n```/g)) out.push({ run: m[1]!, lang: m[2]!, body: `${m[3]!}\n` });
  return out;
}

const blocks = runnableBlocks(GUIDE);
const shBlock = (needle: string): Block => {
  const b = blocks.find((x) => x.run === 'sh' && x.body.includes(needle));
  if (b === undefined) throw new Error(`no runnable sh block with ${needle}`);
  return b;
};
let ports: { ledger: number; keys: number };
const withPorts = (text: string): string => text.replace(/\b6390\b/g, String(ports.ledger)).replace(/\b6391\b/g, String(ports.keys));

/** Runs a shell block of the guide in the work folder, as the PostgreSQL superuser of the tests. */
function sh(block: Block): { status: number; out: string } {
  const r = spawnSync('bash', ['-eu', '-c', withPorts(rename(block.body))], {
    cwd: work,
    encoding: 'utf8',
    timeout: 25_000,
    env: PG_ENV,
  });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/**
 * One SQL text through `psql` (no driver types needed here): its output,
 * and the SQLSTATE of its error (`ok` when none), as `role` on `db`.
 */
function psql(sql: string, options: { readonly role?: string; readonly db?: string } = {}): { state: string; out: string } {
  const r = spawnSync(
    'psql',
    ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-U', options.role ?? SUPERUSER, '-d', options.db ?? DB, '-c', sql],
    {
      encoding: 'utf8',
      timeout: 20_000,
      env: PG_ENV,
    },
  );
  if (r.status === 0) return { state: 'ok', out: r.stdout };
  return { state: /ERROR:\s+([0-9A-Z]{5}):/.exec(r.stderr)?.[1] ?? `exit ${r.status}: ${r.stderr}`, out: r.stdout };
}

const servers: ChildProcess[] = [];
async function startRedis(conf: string, port: number): Promise<void> {
  servers.push(await startRedisServer({ port, dir: work, args: [conf] }));
}

/** `directive value` pairs of a redis.conf, as CONFIG GET reports them (sizes in bytes, `""` empty). */
function directives(conf: string): [string, string][] {
  const units: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return conf
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [name, ...rest] = l.split(/\s+/);
      let value = rest.join(' ');
      if (value === '""') value = '';
      const size = /^(\d+)(kb|mb|gb)$/i.exec(value);
      if (size) value = String(Number(size[1]) * units[size[2]!.toLowerCase()]!);
      return [name!, value];
    });
}

afterAll(() => {
  for (const p of servers) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  const maintenanceDb = PG_ENV.PGDATABASE;
  for (const db of [DB, AUTO_DB, `s3404_restore_check${SUFFIX}`]) psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`, { db: maintenanceDb });
  for (const role of [ROLE('maint'), ROLE('app'), ROLE('owner')]) psql(`DROP ROLE IF EXISTS ${role}`, { db: maintenanceDb });
  rmSync(work, { recursive: true, force: true });
});

// Sealed records, on a development PKI valid now (the consumer uses the real clock, as in production).
let pki: DevelopmentPki;
const contentHash = 'ab'.repeat(32);
async function sealRecords(count: number): Promise<SealedRecord[]> {
  const sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts: new MemoryContextRegistry(),
    authorizer: createRoleAuthorizer({ staff: [] }),
  });
  const out: SealedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const ctx = await sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: createBordereauId(), contentHash },
      role: 'insured',
      signer: { id: `patient-${i}`, name: 'Jeanne Martin' },
      terminalId: 'tablette-1',
    });
    out.push(await sealer.seal(createCapture(ctx, { image: png(300, 100), capturedAt: new Date() })));
  }
  return out;
}
const targetOf = (r: SealedRecord): { bordereauId: string; contentHash: string } => {
  const scope = r.record.scope as { bordereauId: string; contentHash: string };
  return { bordereauId: scope.bordereauId, contentHash: scope.contentHash };
};

/** What PostgreSQL says when `sql` runs as `role` on the guide's database: its SQLSTATE, or `ok`. */
const asRole = (role: string, sql: string): string => psql(sql, { role }).state;

const lotRecord = (overrides: Partial<LotRecord> = {}): LotRecord => {
  const at = new Date().toISOString();
  return {
    lotId: `LOT-GUIDE-${SUFFIX}`,
    finess: '750300360',
    b2LotNumber: '042',
    invoices: 1,
    files: 1,
    container: { codec: 's3404-zip/1', fileName: 'LOT.zip', mediaType: 'application/zip', bytes: 4, sha256: 'a'.repeat(64) },
    manifestSha256: 'b'.repeat(64),
    state: 'built',
    version: 1,
    createdAt: at,
    updatedAt: at,
    dueAt: null,
    b2Arl: null,
    pjArl: null,
    attempts: 0,
    firstAttemptAt: null,
    lastAttemptAt: null,
    retryDeadline: null,
    transmittedAt: null,
    transmissionRef: null,
    paperFallbackAt: null,
    purgeAfter: null,
    purgedAt: null,
    history: [{ from: null, to: 'built', at, reason: 'guide' }],
    ...overrides,
  };
};

describe('docs/production.md, every command run (issue 19)', () => {
  beforeAll(async () => {
    const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
    if (missing.length > 0) throw new Error(`docs/production.md runs ${missing.join(', ')}: install postgresql-client and redis-server`);
    pki = await createDevelopmentPki();
    const ledger = await freePort();
    let keys = await freePort();
    while (keys === ledger) keys = await freePort();
    ports = { ledger, keys };
  });

  it('tags every SQL, configuration and shell block of the guide, so that none escapes this test', () => {
    const fenced = [...GUIDE.matchAll(/^```(sql|sh|conf|bash|shell|ini)$/gm)].length;
    expect(fenced).toBeGreaterThan(0);
    expect(blocks.length).toBe(fenced);
    expect(blocks.map((b) => b.run)).toEqual([
      'file 01-roles.sql',
      'file 02-schema.sql',
      'file 03-grants.sql',
      'sh',
      'redis-conf redis-ledger.conf',
      'redis-conf redis-keys.conf',
      'sh',
      'sh',
    ]);
  });

  it('blocks 1–3: creates the roles, the database, the schema and the grants; the application role cannot change the trace nor create anything', () => {
    for (const b of blocks.filter((x) => x.run.startsWith('file '))) writeFileSync(join(work, b.run.slice(5)), rename(b.body));
    const r = sh(shBlock('01-roles.sql'));
    expect(r.out).not.toMatch(/NOT REFUSED|ERROR/);
    expect(r.status).toBe(0);
    expect(r.out.match(/^refused: /gm)).toHaveLength(3);
    for (const role of [ROLE('app'), ROLE('maint')]) {
      expect(psql('SHOW search_path', { role }).out.trim()).toBe('s3404');
      expect(psql('SHOW synchronous_commit', { role }).out.trim()).toBe('on');
    }
    // The migration is idempotent: the schema block runs again over a live schema.
    const again = sh({ run: 'sh', lang: 'sh', body: 'psql -X -v ON_ERROR_STOP=1 -q -d s3404_prod -f 02-schema.sql\n' });
    expect(again.status, again.out).toBe(0);
  });

  it('the schema of block 2 is exactly the one the stores create themselves', async () => {
    expect(psql(`CREATE DATABASE ${AUTO_DB}`, { db: PG_ENV.PGDATABASE }).state).toBe('ok');
    const connectionString = urlAs(SUPERUSER, AUTO_DB);
    await (await PostgresConsumptionStore.open({ connectionString })).close();
    await (await PostgresContextRegistry.open({ connectionString })).close();
    await (await PostgresLotStore.open({ connectionString })).close();
    await (await PostgresAuditStore.open({ connectionString })).close();
    const pool = await poolOf(connectionString);
    await (await PostgresLease.open({ pool })).close(); // the maintenance runner's lease (docs/maintenance.md)
    await pool.end();
    /** The catalog of `schema` in `db`, as JSON, schema qualifications of the tables removed. */
    const catalog = (db: string, schema: string): Record<string, unknown[]> => {
      const q = (select: string): unknown[] => {
        const r = psql(`SELECT coalesce(json_agg(t), '[]') FROM (${select}) t`, { db });
        expect(r.state).toBe('ok');
        return JSON.parse(r.out.replace(new RegExp(`\\b${schema}\\.(?=s3404_)`, 'g'), '')) as unknown[];
      };
      const ns = `'${schema}'`;
      return {
        columns: q(
          `SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name, character_maximum_length
             FROM information_schema.columns WHERE table_schema = ${ns} ORDER BY table_name, column_name`,
        ),
        indexes: q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ${ns} ORDER BY indexname`),
        constraints: q(
          `SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) AS def FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${ns} ORDER BY c.relname, k.conname`,
        ),
        triggers: q(
          `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) AS def FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${ns} AND NOT t.tgisinternal ORDER BY t.tgname`,
        ),
        functions: q(`SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ${ns} ORDER BY p.proname`),
      };
    };
    const guide = catalog(DB, 's3404');
    expect(guide['columns']).toHaveLength(7 + 6 + 3 + 7 + 2 + 3 + 7 + 5 + 5);
    expect(guide['indexes']).toHaveLength(20);
    expect(guide['columns']).toEqual(expect.arrayContaining([expect.objectContaining({ table_name: 's3404_leases', column_name: 'token' })]));
    expect(guide['triggers']).toHaveLength(3);
    expect(guide['functions']).toHaveLength(1);
    expect(guide).toEqual(catalog(AUTO_DB, 'public'));
  });

  it('the stores work as s3404_app: deposit and consume, lot save and purge, trace append and verify — with no DDL, even when allowed to try', async () => {
    const connectionString = urlAs(ROLE('app'));
    // What the guide's TypeScript block does.
    const consumption = await PostgresConsumptionStore.open({ connectionString, createTables: false });
    const lots = await PostgresLotStore.open({ connectionString, createTables: false });
    const trace = await PostgresAuditStore.open({ connectionString, createTables: false });
    // Capture contexts shared by the fleet: shown, taken once, swept — as this role.
    const contexts = await PostgresContextRegistry.open({ connectionString, createTables: false });
    const shownOn = (terminalId: string) =>
      createCaptureContext({
        scope: { kind: 'bordereau', bordereauId: createBordereauId(), contentHash: 'c0ffee'.repeat(10).concat('0a0b') },
        role: 'insured',
        signer: { id: 'patient-1', name: 'Jeanne Martin' },
        terminalId,
      });
    const shown = shownOn('tablette-3');
    await contexts.register(shown);
    expect(await contexts.take(shown.token.nonce)).toEqual(shown);
    expect(await contexts.take(shown.token.nonce)).toBeNull();
    expect(await contexts.sweep()).toBe(0);
    await contexts.register(shownOn('tablette-4')); // left open: not in the backup
    await contexts.close();
    // Opening with the default createTables: true runs no DDL on a complete schema (this role could not).
    for (const s of [
      await PostgresContextRegistry.open({ connectionString }),
      await PostgresConsumptionStore.open({ connectionString }),
      await PostgresLotStore.open({ connectionString }),
      await PostgresAuditStore.open({ connectionString }),
    ])
      await s.close();

    const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate });
    const log = createAuditLog({ store: trace, signer, origin: 'finess:750300360' });
    const consumer = createConsumer({ store: consumption, trustAnchors: [pki.ca.certificate], trace: auditTraceSink(log) });
    const [used, kept] = await sealRecords(2);
    const { handle } = await consumer.deposit(used!);
    const result = await consumer.consume({ handle }, { target: targetOf(used!), requestId: 'guide-1' });
    expect(result.status).toBe('consumed');
    await expect(consumer.consume({ handle }, { target: targetOf(used!), requestId: 'guide-2' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    await consumer.deposit(kept!); // left pending: the backup (block 7) must not carry it
    // The sweep writes its outbox row with its deletions and traces the outbox (SIG-6, AUD-1): its statements run as
    // s3404_app (PostgreSQL checks a statement's privileges even when it touches no row).
    expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    await consumption.sweepTraced('00000000-0000-4000-8000-000000000000');
    expect(await consumption.countPending()).toBe(1);
    // The app role may not purge tombstones (maintenance only): refused for good, not "retry later" (issue 19).
    await expect(consumption.purgeTombstones({ before: new Date(Date.now() + 86_400_000) })).rejects.toMatchObject({
      code: 'ERR_STORE_MISCONFIGURED',
      kind: 'internal',
      cause: { code: '42501' },
    });

    const record = lotRecord();
    const container = Uint8Array.from([0x50, 0x4b, 0x05, 0x06]);
    await lots.create(record, container);
    expect(await lots.container(record.lotId)).toEqual(container);
    const later = new Date().toISOString();
    const next = lotRecord({
      state: 'awaiting-b2-arl',
      version: 2,
      updatedAt: later,
      history: [...record.history, { from: 'built', to: 'awaiting-b2-arl', at: later, reason: 'guide' }],
    });
    expect(await lots.update(next, { dropContainer: true })).toBe(true);
    expect(await lots.update(next)).toBe(false); // stale version: compare-and-set refuses
    expect(await lots.container(record.lotId)).toBeNull();
    expect((await lots.list({ finess: '750300360' })).map((l) => l.version)).toEqual([2]);
    await lots.create(lotRecord({ lotId: `LOT-GUIDE-KEPT${SUFFIX}` }), container); // for the backup
    // A lot registered from its file (chunk rows) and purged, as this role too.
    const big = randomBytes(1024 * 1024 + 7);
    const file = join(work, 'lot-from-file.zip');
    writeFileSync(file, big);
    const fromFile = lotRecord({
      lotId: `LOT-GUIDE-FILE${SUFFIX}`,
      container: { ...record.container, bytes: big.length, sha256: createHash('sha256').update(big).digest('hex') },
    });
    await lots.createFromFile(fromFile, file);
    const chunks: Uint8Array[] = [];
    for await (const c of (await lots.containerChunks(fromFile.lotId))!) chunks.push(c);
    expect(chunks.map((c) => c.length)).toEqual([1024 * 1024, 7]);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    rmSync(file);
    const purged = { ...fromFile, state: 'awaiting-b2-arl' as const, version: 2 };
    expect(await lots.update(purged, { dropContainer: true })).toBe(true);
    expect(await lots.containerChunks(fromFile.lotId)).toBeNull();

    expect(await log.checkpoint()).not.toBeNull();
    const report = await log.verify({ verifier: createContentVerifier({ trustAnchors: [pki.ca.certificate] }) });
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signatures.status).toBe('valid');
    const actions = psql('SELECT action FROM s3404.s3404_audit_events ORDER BY seq').out.trim().split('\n');
    expect(actions).toEqual(expect.arrayContaining(['signature.consumed', 'signature.refused', 'audit.checkpoint']));

    // Append-only for this role: PostgreSQL refuses before the triggers are even reached; the store's purge too.
    expect(asRole(ROLE('app'), 'UPDATE s3404_audit_events SET action = action')).toBe('42501');
    expect(asRole(ROLE('app'), 'DELETE FROM s3404_audit_events')).toBe('42501');
    expect(asRole(ROLE('app'), 'TRUNCATE s3404_audit_events')).toBe('42501');
    expect(asRole(ROLE('app'), 'DELETE FROM s3404_tombstones')).toBe('42501');
    expect(asRole(ROLE('app'), 'DROP TABLE s3404_pending')).toBe('42501');
    await expect(trace.purge(1)).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_MISCONFIGURED', kind: 'internal', cause: { code: '42501' } });
    await log.close();
    await consumption.close();
    await lots.close();
  });

  it('s3404_maint purges tombstones and runs the retention purge; the triggers still refuse it any other change to the trace', async () => {
    const connectionString = urlAs(ROLE('maint'));
    const consumption = await PostgresConsumptionStore.open({ connectionString, createTables: false });
    // A day later on the consumer's clock, the tombstone is past TTL + skew: purged.
    const consumer = createConsumer({ store: consumption, trustAnchors: [pki.ca.certificate], now: () => new Date(Date.now() + 86_400_000) });
    expect(await consumer.purgeTombstones({ before: new Date(Date.now() + 3_600_000) })).toBe(1);
    await consumption.close();

    expect(asRole(ROLE('maint'), 'DELETE FROM s3404_audit_events')).toBe('S3A01'); // the trigger: not a purge
    expect(asRole(ROLE('maint'), 'UPDATE s3404_audit_events SET action = action')).toBe('42501');
    expect(asRole(ROLE('maint'), 'TRUNCATE s3404_audit_events')).toBe('42501');
    const trace = await PostgresAuditStore.open({ connectionString, createTables: false });
    expect(await trace.purge(1)).toBe(1); // the store's purge: the one deletion the triggers let through
    await trace.close();
  });

  it('s3404_maint holds the maintenance lease and runs `s3404 maintenance run` on the guide’s schema; s3404_app may not take the lease', async () => {
    const pool = await poolOf(urlAs(ROLE('maint')));
    const lease = await PostgresLease.open({ pool, createTables: false });
    const grant = await lease.acquire('guide.job', { holder: 'guide', ttlMs: 30_000 });
    expect(grant).toMatchObject({ key: 'guide.job', token: 1 });
    expect(await lease.complete(grant!, { period: '2026-04-08T00:00:00.000Z' })).toBe(true);
    expect(await lease.release(grant!)).toBe(true);
    await lease.close();
    await pool.end();
    const appPool = await poolOf(urlAs(ROLE('app')));
    const appLease = await PostgresLease.open({ pool: appPool, createTables: false });
    await expect(appLease.acquire('guide.job', { holder: 'app', ttlMs: 30_000 })).rejects.toMatchObject({
      code: 'ERR_LEASE_STORE_MISCONFIGURED',
      kind: 'internal',
      cause: { code: '42501' },
    });
    await appPool.end();
    // The CLI's runner as s3404_maint, on the stores and the lease of the guide (no DDL: it could not).
    const url = urlAs(ROLE('maint'));
    const run = await cliIn(work)(['maintenance', 'run', '--once', '--store', url, '--lease', url, '--json']);
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.err).toBe('');
    const report = JSON.parse(run.out) as { jobs: string[]; runs: { job: string; outcome: string }[] };
    expect(report.runs.map((r) => [r.job, r.outcome])).toEqual([
      ['seal.sweep', 'ran'],
      ['seal.purge-tombstones', 'ran'],
    ]);
    expect(psql("SELECT key || ' ' || token FROM s3404.s3404_leases ORDER BY key").out.trim().split('\n')).toEqual([
      'guide.job 1',
      'seal.purge-tombstones 1',
      'seal.sweep 1',
    ]);
  });

  it('blocks 4–6: the Redis servers run with the guide settings; the key holder accepts only the one that keeps nothing', async () => {
    const confs = blocks.filter((b) => b.run.startsWith('redis-conf '));
    expect(confs).toHaveLength(2);
    for (const b of confs) {
      const path = join(work, b.run.slice('redis-conf '.length));
      writeFileSync(path, withPorts(b.body));
      const port = Number(/^port (\d+)$/m.exec(withPorts(b.body))?.[1]);
      await startRedis(path, port);
      const client = new Redis({ port, host: '127.0.0.1' });
      for (const [name, value] of directives(withPorts(b.body))) {
        const got = (await client.config('GET', name)) as string[];
        expect([name, got[1]]).toEqual([name, value]);
      }
      client.disconnect();
    }
    const check = sh(shBlock('redis-cli'));
    expect(check.status, check.out).toBe(0);
    expect(check.out.trim().split('\n')).toHaveLength(6);

    const ledgerUrl = `redis://127.0.0.1:${ports.ledger}`;
    const keysUrl = `redis://127.0.0.1:${ports.keys}`;
    await expect(RedisKeyHolder.open({ url: ledgerUrl })).rejects.toMatchObject({ code: 'ERR_KEY_HOLDER_PERSISTENT' });
    const store = await RedisConsumptionStore.open({ url: ledgerUrl });
    const keysA = await RedisKeyHolder.open({ url: keysUrl });
    const keysB = await RedisKeyHolder.open({ url: keysUrl });
    const [r] = await sealRecords(1);
    // One machine deposits, another consumes by record id: the key came from the keys' server.
    await createConsumer({ store, keyHolder: keysA, trustAnchors: [pki.ca.certificate] }).deposit(r!);
    const used = await createConsumer({ store, keyHolder: keysB, trustAnchors: [pki.ca.certificate] }).consume(
      { recordId: r!.recordId },
      { target: targetOf(r!), requestId: 'guide-redis' },
    );
    expect(used.status).toBe('consumed');
    const keys = new Redis(keysUrl);
    expect(await keys.dbsize()).toBe(0); // the key is gone with its use
    keys.disconnect();
    for (const c of [store, keysA, keysB]) await c.close();
  });

  it('block 7: the backup holds every ledger but the pending records, and restores', () => {
    const r = sh(shBlock('pg_dump'));
    expect(r.status, r.out).toBe(0);
    for (const table of ['s3404_tombstones', 's3404_scor_lots', 's3404_scor_lot_containers', 's3404_audit_events'])
      expect(r.out).toMatch(new RegExp(`TABLE DATA s3404 ${table} `));
    expect(r.out).not.toMatch(/TABLE DATA s3404 s3404_pending /);
    expect(r.out).not.toMatch(/TABLE DATA s3404 s3404_capture_contexts /);
    expect(r.out.match(/ TRIGGER s3404 /g)).toHaveLength(3);
    // The pending table held a record at dump time (left pending above); the restored one is empty.
    expect(r.out.trim().split('\n').at(-1)).toBe('0');
  });
});
