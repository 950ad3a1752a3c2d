import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Every example runs as documented and writes PDFs that qpdf accepts. */
const dir = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 's3404-examples-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const scripts = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.config.ts'));

describe('examples', () => {
  it('covers rendering, the fillable round trip, signatures, the overlay, sealing and the proof agreement', () => {
    expect(scripts.sort()).toEqual([
      'consume-once.ts',
      'fillable-round-trip.ts',
      'overlay-official-form.ts',
      'pack-a-scor-lot.ts',
      'place-a-signature.ts',
      'render-a-bordereau.ts',
      'render-proof-agreement.ts',
      'seal-a-signature.ts',
    ]);
  });
  it.each(scripts)('%s runs and writes valid PDFs or lots', (script) => {
    const target = join(out, script.replace(/\.ts$/, ''));
    const stdout = execFileSync(join(dir, 'node_modules/.bin/tsx'), ['--conditions=@s3404/source', join(dir, script), target], { cwd: dir, encoding: 'utf8' });
    expect(stdout.length).toBeGreaterThan(0);
    const pdfs = readdirSync(target).filter((f) => f.endsWith('.pdf'));
    const lots = readdirSync(target).filter((f) => f.endsWith('.zip'));
    expect(pdfs.length + lots.length).toBeGreaterThan(0);
    for (const pdf of pdfs) {
      expect(existsSync(join(target, pdf))).toBe(true);
      execFileSync('qpdf', ['--check', join(target, pdf)], { stdio: 'pipe' });
    }
    for (const lot of lots) execFileSync('unzip', ['-tq', join(target, lot)], { stdio: 'pipe' });
  });
});
