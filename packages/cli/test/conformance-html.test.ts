import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPEC_REQUIREMENTS } from '@s3404/conformance';
import { cliIn } from './harness.js';

/** `s3404 conformance --html FILE.html` writes the examiner's page (in-process, from the sources), atomically, in the language of --lang. */
const ROOT = new URL('../../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 's3404-conformance-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = cliIn(ROOT);

describe('X-3 s3404 conformance --html', () => {
  it('writes the page in French by default, in English with --lang en, next to a JSON report with the files’ SHA-256', async () => {
    const fr = join(work, 'form-2.html');
    const json = join(work, 'form-2.json');
    const r = await cli(['conformance', '--filter', 'FORM-2', '--html', fr, '--report', json]);
    expect(r.code, r.err).toBe(0);
    const page = readFileSync(fr, 'utf8');
    expect(page.startsWith('<!doctype html>\n<html lang="fr">')).toBe(true);
    expect(page).toContain('<span class="overall-word">CONFORME</span>');
    expect(page).toMatch(/<a href="#req-FORM-2">FORM-2<\/a><\/th><td>Contrôle des identifiants<\/td><td><span class="badge passed">/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { files: { path: string; sha256: string; hashed: string; tests: number }[]; tests: unknown[] };
    // The CLI gives the runner the files' bytes: the report's SHA-256 is what sha256sum prints.
    const identifiers = report.files.find((f) => f.path === 'form/identifiers.json')!;
    expect(identifiers).toMatchObject({
      hashed: 'bytes',
      sha256: createHash('sha256')
        .update(readFileSync(join(ROOT, 'test-vectors/form/identifiers.json')))
        .digest('hex'),
    });
    expect(page).toContain(identifiers.sha256);
    expect(page.match(/<tr class="row-passed">/g)).toHaveLength(report.tests.length);

    const en = join(work, 'form-2.en.html');
    expect((await cli(['conformance', '--filter', 'FORM-2', '--html', en, '--lang', 'en'])).code).toBe(0);
    const english = readFileSync(en, 'utf8');
    expect(english.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(english).toContain('<span class="overall-word">CONFORMANT</span>');
    expect(english).toContain('<td>Identifier checks</td>');
    // Written atomically: no temporary file left beside the pages.
    expect(readdirSync(work).sort()).toEqual(['form-2.en.html', 'form-2.html', 'form-2.json']);
  });

  it('a full run gives one row per requirement of the SPEC and the overall verdict of the exit code', async () => {
    const out = join(work, 'full.html');
    const r = await cli(['conformance', '--html', out, '--lang', 'en']);
    expect([0, 1], r.err).toContain(r.code);
    const page = readFileSync(out, 'utf8');
    for (const id of SPEC_REQUIREMENTS) expect(page, id).toContain(`<tr><th scope="row"><a href="#req-${id}">${id}</a></th>`);
    expect(page).toContain(`<span class="overall-word">${r.code === 0 ? 'CONFORMANT' : 'NOT CONFORMANT'}</span>`);
  }, 300_000);

  it('refuses a path it cannot write before running anything (ERR_FILE_UNWRITABLE, exit 2), and a missing value (exit 2)', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    for (const [path, reason] of [
      [work, 'EISDIR'],
      [join(file, 'report.html'), 'ENOTDIR'],
    ] as const) {
      const r = await cli(['conformance', '--filter', 'FORM-2', '--html', path, '--json']);
      expect(r.code, path).toBe(2);
      // --json: the error alone on stdout, no report — nothing ran.
      const { error, ...rest } = JSON.parse(r.out) as { error: { code: string; message: string } };
      expect(rest).toEqual({});
      expect(error.code).toBe('ERR_FILE_UNWRITABLE');
      expect(error.message).toContain(reason);
    }
    const r = await cli(['conformance', '--html']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--html/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});
