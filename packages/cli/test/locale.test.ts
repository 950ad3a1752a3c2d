import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '@s3404/cli';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH } from './seal-args.js';

/**
 * CLI contract: `--lang fr|en` (or `S3404_LANG`) sets the language of every
 * message, help included; English output uses English typography and no
 * French; `--version` exists. The runs below go through every command with
 * good and bad input, in English, and look at everything the person reads.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const EXAMPLE = join(ROOT, 'examples/data/mco-chirurgie-pth.json');
const LOT = join(ROOT, 'examples/scor/lot.json');
const PJ = join(ROOT, 'examples/scor/260004512-annexe-1.pdf');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const work = mkdtempSync(join(tmpdir(), 's3404-cli-lang-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = cliIn(work);

/** French words and typography that must not reach English output (data such as names and identifiers aside). */
const FRENCH =
  /\b(attendu|reçu|fichier|illisible|obligatoire|commande|inconnue|événements|intègre|signé|scellé|valide|invalide|problème|facture|octets|journée|résumé|aide|utilisation)\b|[«»]| [:;!?](\s|$)/i;

describe('s3404 in English (--lang en, S3404_LANG=en)', () => {
  beforeAll(() => {
    writeFileSync(join(work, 'sig.png'), png(300, 100));
    writeFileSync(join(work, 'broken.json'), '{"a": 1,');
  });

  it('prints its version, and the help in the chosen language', async () => {
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toBe(`s3404 ${VERSION}\n`);
    expect(JSON.parse((await cli(['--version', '--json'])).out)).toEqual({ name: '@s3404/cli', version: VERSION });
    expect(VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).version);
    const en = await cli(['--help', '--lang', 'en']);
    expect(en.out).toMatch(/^s3404 — SDK for the paperless S3404 billing form/);
    expect(en.out).toContain('S3404_LANG=en');
    expect(en.out).not.toMatch(FRENCH);
    expect((await cli(['--help'], { S3404_LANG: 'en_GB.UTF-8' })).out).toBe(en.out);
    expect((await cli(['--help'])).out).toMatch(/^s3404 — SDK de dématérialisation/);
    expect((await cli(['--help', '--lang=fr'], { S3404_LANG: 'en' })).out).toMatch(/^s3404 — SDK de dématérialisation/);
  });

  it('answers usage errors, unreadable files and refusals in English, with English typography', async () => {
    const runs: [string[], number][] = [
      [['frobnicate'], 2],
      [['validate'], 2],
      [['validate', 'missing.json'], 2],
      [['validate', 'broken.json'], 2],
      [['validate', EXAMPLE, '--nope'], 2],
      [['render', EXAMPLE], 2],
      [['render', EXAMPLE, '-o', 'x.pdf', '--page', 'a5'], 2],
      [['record', 'seal', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--role', 'chef', '--signer', 'X', '--image', 'sig.png'], 2],
      [['record', 'verify', 'missing.p7m', '--trust', 'missing.pem'], 2],
      [['record', 'consume', 'x.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--line', '1', '--day', '2026-02-30', '--state', 's'], 2],
      [['audit', 'verify'], 2],
      [['scor', 'check', PJ, '--min-dpi', '100'], 2],
      [['pdf', 'verify', 'x.pdf'], 2],
      [['pki', 'init'], 2],
      [['demo', '--count', '0'], 2],
    ];
    for (const [args, code] of runs) {
      const r = await cli([...args, '--lang', 'en']);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(code);
      expect(r.err, args.join(' ')).toMatch(/^s3404: /);
      expect(r.err, args.join(' ')).not.toMatch(FRENCH);
      const fr = await cli(args);
      expect(fr.err, args.join(' ')).toMatch(/^s3404 : /);
    }
    const german = await cli(['validate', EXAMPLE, '--lang', 'de'], { S3404_LANG: 'en' });
    expect(german.code).toBe(2);
    expect(german.err).toMatch(/^s3404 : --lang attend fr \| en \(reçu de\)\n/);
    const usage = await cli(['validate', '--lang', 'en']);
    expect(usage.err).toBe('s3404: usage: s3404 validate FILE.json\nHelp: s3404 --help\n');
    const missing = await cli(['validate', 'missing.json'], { S3404_LANG: 'en' });
    expect(missing.err).toMatch(/^s3404: \[ERR_FILE_UNREADABLE\] Unreadable file: .*missing\.json \(ENOENT\)\.\n$/);
  });

  it('reports verdicts and results in English: validate, render, pki, record, scor, audit', async () => {
    const outputs: string[] = [];
    const run = async (args: string[], code: number): Promise<void> => {
      const r = await cli([...args, '--lang', 'en']);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(code);
      outputs.push(r.out, r.err);
    };
    await run(['validate', EXAMPLE], 0);
    const bad = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    bad.insured.nirKey = '11';
    bad.invoiceNumber = 123;
    writeFileSync(join(work, 'bad.json'), JSON.stringify(bad));
    await run(['validate', 'bad.json'], 1);
    await run(['render', EXAMPLE, '-o', 'b.pdf'], 0);
    await run(['pki', 'init', 'pki'], 0);
    const keys = ['--cert', 'pki/seal-cert.pem', '--key', 'pki/seal-key.pem'];
    await run(
      [
        'record',
        'seal',
        '--bordereau',
        ID,
        '--content-hash',
        EXAMPLE_HASH,
        '--role',
        'insured',
        '--signer',
        'Jeanne Martin',
        '--image',
        'sig.png',
        ...keys,
        '-o',
        'a.p7m',
        '--state',
        'st',
      ],
      0,
    );
    await run(['record', 'verify', 'a.p7m', '--trust', 'pki/ca.pem', '--bordereau', ID, '--content-hash', EXAMPLE_HASH], 0);
    await run(['record', 'verify', 'a.p7m', '--trust', 'pki/ca.pem', '--bordereau', 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2'], 1);
    await run(['record', 'consume', 'a.p7m', '--keep-input', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', 'pki/ca.pem', '--state', 'st'], 0);
    await run(['record', 'consume', 'a.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', 'pki/ca.pem', '--state', 'st'], 1);
    await run(['audit', 'verify', '--state', 'st', '--trust', 'pki/ca.pem'], 0);
    await run(['audit', 'checkpoint', '--state', 'st', ...keys], 0);
    await run(['audit', 'export', '--state', 'st', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv', '-o', 'x.csv', ...keys], 0);
    await run(['audit', 'verify', 'x.csv.manifest.json', '--trust', 'pki/ca.pem'], 0);
    await run(['scor', 'check', PJ], 0);
    await run(['scor', 'check', PJ, '--min-dpi', '1200'], 1);
    await run(['scor', 'pack', LOT, '-o', 'lot.zip', ...keys], 0);
    const text = outputs.join('\n');
    expect(text).toContain('Valid bordereau: ');
    expect(text).toContain('Wrong type: expected a string; received the number 123.');
    expect(text).toContain('Signature consumed: ');
    expect(text).toContain('[ERR_RECORD_REPLAYED]');
    for (const l of text.split('\n')) expect(l, l).not.toMatch(FRENCH);
  });
});
