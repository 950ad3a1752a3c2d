import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-startup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The modules `s3404 …args` loads, as Node resolves them: a resolve hook
 * (registered before the CLI starts) writes every module URL it resolves.
 */
function loaded(...args: string[]): { status: number | null; urls: string[] } {
  const log = join(work, `loaded-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}.txt`);
  const hooks = join(work, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
  );
  const register = join(work, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { encoding: 'utf8' });
  return {
    status: r.status,
    urls: readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
  };
}

/** What a command that needs neither PDFs, nor seals, nor stores must not load. */
const HEAVY = /\/(?:@cantoo\/pdf-lib|@pdf-lib\/fontkit|pkijs|better-sqlite3|pg|ioredis)\/|\/packages\/(?:seal|scor|audit)\/dist\/|\/form\/dist\/pdf\//;

describe('the CLI loads what its command uses (issue 19: startup time)', () => {
  it('--version and --help load no command: not the PDF engine, the seal, the stores', () => {
    for (const args of [['--version'], ['--help'], []]) {
      const { status, urls } = loaded(...args);
      expect(status, args.join(' ')).toBe(args.length === 0 ? 2 : 0);
      expect(urls.length, args.join(' ')).toBeGreaterThan(0);
      expect(
        urls.filter((u) => HEAVY.test(u)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('validate loads the model, not the PDF engine nor the seal', () => {
    const { status, urls } = loaded('validate', join(ROOT, 'examples/data/mco-chirurgie-pth.json'));
    expect(status).toBe(0);
    expect(urls.some((u) => u.includes('/packages/form/dist/'))).toBe(true);
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });
});
