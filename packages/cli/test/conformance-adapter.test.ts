import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';

// The adapters of @s3404/conformance's tests: the SDK's memory store, and the same store with a non-atomic claim.
const ADAPTERS = join(import.meta.dirname, '../../conformance/test/adapters');
const out = mkdtempSync(join(tmpdir(), 's3404-adapter-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const cli = cliIn(ADAPTERS, '1774000800', () => new Date('2026-03-20T10:00:00.000Z'));

describe('s3404 conformance --adapter MODULE (X-3, SIG-5)', () => {
  it('the memory store passes: the table, the report file, exit 0', async () => {
    const report = join(out, 'memory.json');
    const html = join(out, 'memory.html');
    const r = await cli(['conformance', '--adapter', './memory.mjs', '--race', '20', '--report', report, '--html', html, '--lang', 'en']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/SIG-5\s+passed\s+\d+\s+0\s+0/);
    expect(r.out).toMatch(/SIG-10\s+passed/);
    expect(r.out).toContain('Conformant');
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.ok).toBe(true);
    expect(json.filter).toBe('adapter:./memory.mjs');
    expect(json.tests.find((t: { file: string }) => t.file === 'contracts/consumption-store-race').comment).toContain('20 records × 32 consumers');
    expect(readFileSync(html, 'utf8')).toContain('contracts/consumption-store-race');
  }, 60_000);

  it('a store without an atomic claim: SIG-5 failed, two winners named, exit 1 (--json)', async () => {
    const r = await cli(['conformance', '--adapter', './broken-memory.mjs', '--race', '12', '--json']);
    expect(r.code, r.err).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.ok).toBe(false);
    expect(json.requirements['SIG-5'].verdict).toBe('failed');
    expect(json.tests.find((t: { file: string; tcId: number }) => t.file === 'contracts/consumption-store-race' && t.tcId === 1).detail).toMatch(/two winners/);
  }, 60_000);

  it('what is not an adapter, or a wrong size, exits 2 with a coded error', async () => {
    const notAdapter = await cli(['conformance', '--adapter', './not-an-adapter.mjs', '--json']);
    expect(notAdapter.code).toBe(2);
    expect(JSON.parse(notAdapter.out).error.code).toBe('ERR_ADAPTER_INVALID');
    const missing = await cli(['conformance', '--adapter', './nowhere.mjs', '--lang', 'en']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('ERR_ADAPTER_INVALID');
    const factory = await cli(['conformance', '--adapter', './throwing-factory.mjs']);
    expect(factory.code).toBe(2);
    expect(factory.err).toContain('ERR_ADAPTER_FACTORY');
    expect(factory.err).toContain('ECONNREFUSED');
    // A module that ends the process with status 0 as it loads is never a silent pass.
    const exits = await cli(['conformance', '--adapter', './exits-at-import.mjs', '--json']);
    expect(exits.code).toBe(2);
    expect(JSON.parse(exits.out).error.code).toBe('ERR_ADAPTER_EXITED');
    for (const race of ['0', 'ten', '-3', '99999999']) {
      const bad = await cli(['conformance', '--adapter', './memory.mjs', '--race', race]);
      expect(bad.code, race).toBe(2);
      expect(bad.err).toMatch(/--race/);
    }
    expect((await cli(['conformance', '--adapter', './memory.mjs', 'extra'])).code).toBe(2);
    expect((await cli(['conformance', '--adapter', './memory.mjs', '--filter', 'SIG-5'])).code).toBe(2);
    // An output that cannot be written (its folder is a file) is refused before the run, not after.
    writeFileSync(join(out, 'blocker'), 'x');
    const early = await cli(['conformance', '--adapter', './throwing-factory.mjs', '--report', join(out, 'blocker', 'r.json')]);
    expect(early.code).toBe(2);
    expect(early.err).toContain('ERR_FILE_UNWRITABLE');
  }, 60_000);
});
