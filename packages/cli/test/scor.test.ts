import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const LOT_DIR = join(ROOT, 'examples/scor');
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-cli-scor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = cliIn(work);

describe('s3404 scor check (CLI contract, SCOR-1)', () => {
  it('exits 0 for an acceptable PJ and says what it saw', async () => {
    const r = await cli(['scor', 'check', join(LOT_DIR, '260004512-annexe-1.pdf')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PJ acceptable — 1 page(s), PDF 1.7');
    expect(r.out).toContain('page 1 : 148 × 210 mm, Im0 1165×1654 px, 200 dpi, niveaux de gris');
    const s3404 = await cli(['scor', 'check', join(LOT_DIR, '260004512-s3404.pdf'), '--lang', 'en']);
    expect(s3404.out).toContain('S3404 6R0ZQ-50K7C-AC6T4-JF0WA-04614-H, signed');
  });
  it('exits 1 with coded issues below --min-dpi, 0 when the policy allows it, JSON with --json', async () => {
    const colour = join(LOT_DIR, '260002214-annexe-2.pdf'); // 300 dpi colour
    expect((await cli(['scor', 'check', colour, '--min-dpi', '300'])).code).toBe(0);
    const grey = await cli(['scor', 'check', colour, '--colour', 'grey', '--json']);
    expect(grey.code).toBe(1);
    const report = JSON.parse(grey.out);
    expect(report).toMatchObject({ ok: false, pageCount: 1, issues: [{ code: 'ERR_PJ_COLOUR_NOT_ALLOWED', path: ['pages', 0, 'images', 0] }] });
    const notPdf = join(work, 'note.pdf');
    writeFileSync(notPdf, 'pas un PDF');
    const r = await cli(['scor', 'check', notPdf]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[ERR_PJ_NOT_PDF]');
  });
  it('exits 2 for a missing file or a bad option', async () => {
    expect((await cli(['scor', 'check', join(work, 'absent.pdf')])).code).toBe(2);
    const low = await cli(['scor', 'check', join(LOT_DIR, '260004512-annexe-1.pdf'), '--min-dpi', '100']);
    expect(low.code).toBe(2);
    expect(low.err).toContain('--min-dpi attend un nombre de 150 à 1200 (reçu 100)');
    expect((await cli(['scor', 'check'])).code).toBe(2);
    expect((await cli(['scor', 'frobnicate', 'x'])).code).toBe(2);
  });
});

describe('a signed S3404 altered by an incremental update (issue 16, SIG-5)', () => {
  /** The example S3404 with one more revision that paints a white box over an area and writes another amount there. */
  async function paintedOver(): Promise<Uint8Array> {
    const { appendUpdate, copyDict, openPdfFile, pageRefs, pdfRef } = await import('@s3404/form/pdf');
    const pdf = new Uint8Array(readFileSync(join(LOT_DIR, '260004512-s3404.pdf')));
    const file = openPdfFile(pdf, 'fr');
    const page = pageRefs(file)[0]!;
    const dict = file.object(page.num) as Map<string, never>;
    const next = Number(file.last.trailer.get('Size'));
    const patched = copyDict(dict as never);
    const contents = dict.get('Contents') as unknown;
    patched.set('Contents', [...(Array.isArray(contents) ? contents : [contents]), pdfRef(next)] as never);
    const paint = new TextEncoder().encode('q 1 1 1 rg 300 100 120 20 re f Q BT /S3404B 9 Tf 305 105 Td (9 999,00) Tj ET');
    return appendUpdate(file, [
      { num: next, dict: new Map(), data: paint },
      { num: page.num, value: patched },
    ]).bytes;
  }

  it('scor check refuses it (exit 1, ERR_PJ_S3404_MODIFIED) where it said « PJ acceptable … signé »', async () => {
    const altered = join(work, 'altered-s3404.pdf');
    writeFileSync(altered, await paintedOver());
    const r = await cli(['scor', 'check', altered]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('PJ refusée');
    expect(r.out).toContain('[ERR_PJ_S3404_MODIFIED]');
    expect(r.out).toContain('ERR_PDF_MODIFIED');
    const json = JSON.parse((await cli(['scor', 'check', altered, '--json', '--lang', 'en'])).out);
    expect(json.issues.map((i: { code: string }) => i.code)).toContain('ERR_PJ_S3404_MODIFIED');
    // The genuine file still passes.
    expect((await cli(['scor', 'check', join(LOT_DIR, '260004512-s3404.pdf')])).code).toBe(0);
  });

  it('scor pack refuses a lot that carries it (ERR_LOT_S3404_MODIFIED)', async () => {
    const dir = join(work, 'altered-lot');
    cpSync(LOT_DIR, dir, { recursive: true });
    writeFileSync(join(dir, '260004512-s3404.pdf'), await paintedOver());
    const r = await cli(['scor', 'pack', join(dir, 'lot.json'), '-o', join(dir, 'out.zip')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[ERR_LOT_S3404_MODIFIED]');
  });
});

describe('s3404 scor pack (CLI contract, SCOR-2)', () => {
  it('packs examples/scor/lot.json into a ZIP with manifest.json at its root listing every file with its SHA-256', async () => {
    const out = join(work, 'lot.zip');
    const r = await cli(['scor', 'pack', join(LOT_DIR, 'lot.json'), '-o', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ packed: true, invoices: 3, files: 7, sealed: false, warnings: [] });
    const list = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(list.slice(0, 2)).toEqual(['manifest.json', 'SHA256SUMS']);
    const manifest = JSON.parse(spawnSync('unzip', ['-p', out, 'manifest.json'], { encoding: 'utf8' }).stdout);
    const files = manifest.invoices.flatMap((i: { files: { name: string; sha256: string }[] }) => i.files);
    expect(files.map((f: { name: string }) => f.name)).toEqual(list.slice(2));
    for (const f of files) {
      const bytes = spawnSync('unzip', ['-p', out, f.name]).stdout;
      expect(spawnSync('sha256sum', [], { input: bytes, encoding: 'utf8' }).stdout.split(' ')[0]).toBe(f.sha256);
    }
    // same lot, same clock (SOURCE_DATE_EPOCH): same bytes
    const again = await cli(['scor', 'pack', join(LOT_DIR, 'lot.json'), '-o', join(work, 'again.zip'), '--json']);
    expect(JSON.parse(again.out).sha256).toBe(result.sha256);
    expect(Buffer.compare(readFileSync(out), readFileSync(join(work, 'again.zip')))).toBe(0);
  });

  it('seals the manifest with --cert/--key, and the installed command runs the same', async () => {
    expect((await cli(['pki', 'init', join(work, 'pki')])).code).toBe(0);
    const sealed = await cli([
      'scor',
      'pack',
      join(LOT_DIR, 'lot.json'),
      '-o',
      join(work, 'sealed.zip'),
      '--cert',
      join(work, 'pki/seal-cert.pem'),
      '--key',
      join(work, 'pki/seal-key.pem'),
    ]);
    expect(sealed.code, sealed.err).toBe(0);
    expect(sealed.out).toContain('manifeste scellé');
    expect(spawnSync('unzip', ['-Z1', join(work, 'sealed.zip')], { encoding: 'utf8' }).stdout).toContain('manifest.json.p7s');
    const bin = spawnSync('node', [BIN, 'scor', 'pack', join(LOT_DIR, 'lot.json'), '-o', join(work, 'bin.zip')], {
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '1774000800' },
    });
    expect(bin.status, bin.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(join(work, 'bin.zip')), readFileSync(join(work, 'lot.zip')))).toBe(0);
  });

  it('exits 1 with the issues of a refused lot, writing nothing', async () => {
    const dir = join(work, 'refused');
    cpSync(LOT_DIR, dir, { recursive: true });
    const lot = JSON.parse(readFileSync(join(dir, 'lot.json'), 'utf8'));
    lot.invoices[1].invoiceNumber = lot.invoices[0].invoiceNumber;
    lot.invoices[2].pj = [];
    writeFileSync(join(dir, 'lot.json'), JSON.stringify(lot));
    const r = await cli(['scor', 'pack', join(dir, 'lot.json'), '-o', join(dir, 'out.zip')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Lot refusé : 2 problème(s)');
    expect(r.out).toContain('invoices[1].invoiceNumber [ERR_LOT_DUPLICATE_INVOICE]');
    expect(r.out).toContain('invoices[2].pj [ERR_LOT_INVOICE_WITHOUT_PJ]');
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).not.toContain('out.zip');
    const swapped = JSON.parse(readFileSync(join(LOT_DIR, 'lot.json'), 'utf8'));
    swapped.invoices[0].bordereauId = swapped.invoices[1].bordereauId.replace(/.$/, '0');
    writeFileSync(join(dir, 'lot.json'), JSON.stringify(swapped));
    const mismatch = await cli(['scor', 'pack', join(dir, 'lot.json'), '-o', join(dir, 'out.zip'), '--json']);
    expect(mismatch.code).toBe(1);
    expect(JSON.parse(mismatch.out).issues.map((i: { code: string }) => i.code)).toContain('ERR_LOT_INVALID');
  });

  it('exits 2 for unreadable JSON, a missing -o, or a PJ outside the lot folder', async () => {
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{ "finess": ');
    expect((await cli(['scor', 'pack', broken, '-o', join(work, 'x.zip')])).code).toBe(2);
    expect((await cli(['scor', 'pack', join(LOT_DIR, 'lot.json')])).code).toBe(2);
    const outside = JSON.parse(readFileSync(join(LOT_DIR, 'lot.json'), 'utf8'));
    outside.invoices[0].pj[1].file = '../data/mco-chirurgie-pth.json';
    writeFileSync(join(work, 'outside.json'), JSON.stringify(outside));
    const r = await cli(['scor', 'pack', join(work, 'outside.json'), '-o', join(work, 'x.zip')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('les PJ doivent se trouver dans le dossier');
  });
});
