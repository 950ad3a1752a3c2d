import { mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsumer, SEAL_ERRORS } from '@s3404/seal';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { at, fixture, sealInsured } from './helpers.js';

// Issue 19 (left open by hardening row 65): a SQLite file whose pages are damaged (a disk fault, a copy taken while it
// was written, a tool that wrote into it) answered SQLITE_CORRUPT, which the store reported ERR_STORE_UNAVAILABLE,
// kind `unavailable`: "retry later", for ever. No retry mends a damaged file; an operator must restore it.

const dir = mkdtempSync(join(tmpdir(), 's3404-damaged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (p: Promise<unknown>): Promise<{ code?: string; kind?: string; message?: string }> =>
  p.then(
    () => ({}),
    (e: { code?: string; kind?: string; message?: string }) => e,
  );

/** Overwrites every page of the file but the first (the header and the schema) with bytes no page holds. */
function damagePages(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    const junk = Buffer.alloc(size - 4096, 0xa5);
    writeSync(fd, junk, 0, junk.length, 4096);
  } finally {
    closeSync(fd);
  }
}

describe('a SQLite consumption store whose file is damaged (issue 19)', () => {
  it('is ERR_STORE_CORRUPT (kind internal: restore the file), never "retry later"; a sound file is untouched by the check', async () => {
    const path = join(dir, 'damaged.sqlite');
    const f = await fixture({ seed: 931 });
    const store = await SqliteConsumptionStore.open({ path });
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
    const first = await sealInsured(f);
    await consumer.deposit(first);
    await store.close();
    expect(statSync(path).size).toBeGreaterThan(4096 * 2);
    const before = readFileSync(path);
    damagePages(path);
    expect(readFileSync(path).equals(before)).toBe(false);

    const reopened = await SqliteConsumptionStore.open({ path });
    try {
      const again = createConsumer({ store: reopened, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
      const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
      const used = await codeOf(again.consume({ recordId: first.recordId }, { target, requestId: 'r-damaged' }));
      expect(used, String(used.message)).toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
      expect(used.message).toMatch(/SQLITE_CORRUPT/);
      const next = await sealInsured(await fixture({ seed: 932 }));
      const put = await codeOf(again.deposit(next));
      expect(put, String(put.message)).toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
    } finally {
      await reopened.close();
    }
    expect(SEAL_ERRORS.kind('ERR_STORE_CORRUPT')).toBe('internal');
  });
});
