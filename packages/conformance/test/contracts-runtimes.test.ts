import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNeutral } from '@s3404/tooling/test-kit';

/** the AuditStore, ContentSigner and Transport suites are one neutral bundle that Node, Deno and Bun run alike. */

const execFileP = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = join(here, '..', 'node_modules', '.bin');
let work: string;
let imports: string[];
let bundleUrl: string;

interface Run {
  readonly runtime: string;
  readonly outcomes: readonly string[];
}

/** A one-line host: imports the bundle, runs the suites, prints the outcomes. */
const HOST = (url: string) => `const m = await import(${JSON.stringify(url)}); console.log(JSON.stringify(await m.runContractSuites()));`;

async function host(file: string, args: readonly string[]): Promise<Run> {
  const { stdout } = await execFileP(file, args, {
    cwd: work,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Run;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 's3404-contract-runtimes-'));
  const bundle = await bundleNeutral(join(here, 'runtimes', 'contract-suites.ts'));
  imports = bundle.imports;
  writeFileSync(join(work, 'suites.mjs'), bundle.code);
  bundleUrl = pathToFileURL(join(work, 'suites.mjs')).href;
  writeFileSync(join(work, 'host.mjs'), HOST(bundleUrl));
}, 60_000);
afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('X-1 the contract suites run alike in Node, Deno and Bun', () => {
  it('the bundle imports no Node built-in, and Node passes every case that has what it needs', { timeout: 120_000 }, async () => {
    expect(imports).toEqual([]);
    const node = await host(process.execPath, [join(work, 'host.mjs')]);
    expect(node.runtime).toBe('node');
    expect(node.outcomes).toHaveLength(9 + 8 + 7);
    // Without a packed lot, the transport's lot cases are indeterminate; everything else passes.
    expect(node.outcomes.filter((o) => !o.endsWith(' passed'))).toEqual([
      'contracts/transport#5 indeterminate no packed lot given: the lifecycle cannot be run',
      'contracts/transport#6 indeterminate no packed lot given: the lifecycle cannot be run',
      'contracts/transport#7 indeterminate no packed lot given: the lifecycle cannot be run',
    ]);
    const [deno, bun] = await Promise.all([
      host(join(BIN, 'deno'), ['run', '--no-prompt', '--no-config', `--allow-read=${work}`, join(work, 'host.mjs')]),
      host(join(BIN, 'bun'), ['run', join(work, 'host.mjs')]),
    ]);
    expect(deno.runtime).toBe('deno');
    expect(bun.runtime).toBe('bun');
    expect(deno.outcomes).toEqual(node.outcomes);
    expect(bun.outcomes).toEqual(node.outcomes);
  });
});
