import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_ERRORS } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { PostgresAuditStore } from '@s3404/audit/postgres';
import { nodeSha256 } from '@s3404/core/node';
import { draft, memoryLog } from './helpers.js';

// Issue 19: a trace store its backend refuses for good (a role without INSERT, a directory the process may not
// write) was ERR_AUDIT_STORE_UNAVAILABLE, kind `unavailable`: "retry later", for ever. Now its own code, kind internal.

const url = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 2 });
const tag = `${process.pid}_${Date.now().toString(36)}`;
const cleanups: (() => unknown)[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  await admin.end();
});

const refusal = (p: Promise<unknown>): Promise<{ code?: string; kind?: string; message?: string; cause?: unknown }> =>
  p.then(
    () => ({}),
    (e: { code?: string }) => e,
  );

describe('a trace store its backend refuses for good (issue 19)', () => {
  it('PostgreSQL: a role that may read the trace but not append to it', async () => {
    const tablePrefix = `amc_${tag}_`;
    const role = `s3404_amc_${tag}`;
    const owner = await PostgresAuditStore.open({ pool: admin, tablePrefix });
    cleanups.push(async () => {
      await owner.dropTables();
      await owner.close();
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    });
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    const { hostname, port, pathname } = new URL(url);
    const store = await PostgresAuditStore.open({ connectionString: `postgres://${role}@${hostname}:${port || 5432}${pathname}`, tablePrefix, locale: 'en' });
    cleanups.push(() => store.close());
    const log = memoryLog({ store, sha256: nodeSha256, locale: 'en' });
    const e = await refusal(log.append(draft(0)));
    expect(e).toMatchObject({ code: 'ERR_AUDIT_STORE_MISCONFIGURED', kind: 'internal', cause: { code: '42501' } });
    expect(e.message).toMatch(
      /^Trace store refused by its server or file system: postgres .*42501 insufficient_privilege; rights, schema or configuration to fix/,
    );
    expect(AUDIT_ERRORS.kind('ERR_AUDIT_STORE_MISCONFIGURED')).toBe('internal');
  });

  it('file: a directory the process may not write (read-only for a user, immutable for root)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3404-audit-mc-'));
    const root = process.getuid?.() === 0;
    if (root) expect(spawnSync('chattr', ['+i', dir]).status, 'chattr +i').toBe(0);
    else chmodSync(dir, 0o500);
    cleanups.push(() => {
      if (root) spawnSync('chattr', ['-i', dir]);
      else chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    });
    const e = await refusal(
      (async () => {
        const log = memoryLog({ store: await FileAuditStore.open({ path: join(dir, 'trace.jsonl'), locale: 'en' }), sha256: nodeSha256, locale: 'en' });
        await log.append(draft(0));
      })(),
    );
    expect(e).toMatchObject({ code: 'ERR_AUDIT_STORE_MISCONFIGURED', kind: 'internal', cause: { code: root ? 'EPERM' : 'EACCES' } });
  });
});
