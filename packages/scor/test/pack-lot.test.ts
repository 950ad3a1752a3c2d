import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPj, LotManifestSchema, packLot, safePackLot, verifyLot, type LotCodec, type LotDescription, type PackedLot } from '@s3404/scor';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { writeLotFile } from '@s3404/scor/file';
import { prng } from '@s3404/tooling/test-kit';
import { lotFixture, type LotFixture } from './fixtures/lot.js';
import { scanPdf, concat } from './fixtures/pdf-writer.js';
import { example, s3404Pdf } from './fixtures/s3404.js';
import { run, withTemp } from './fixtures/tools.js';

const NOW = new Date('2026-03-02T10:15:00.000Z');
const now = (): Date => NOW;
const codesOf = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);

let fx: LotFixture;
let pki: DevelopmentPki;
beforeAll(async () => {
  fx = await lotFixture(3);
  pki = await createDevelopmentPki({ now: () => new Date('2026-01-01T00:00:00Z') });
});

/** A copy of the fixture's description with `edit` applied to its JSON. */
function edited(
  edit: (
    d: { invoices: { invoiceNumber: string; bordereauId: string; pj: { file: string; kind: string; label?: string }[] }[] } & Record<string, unknown>,
  ) => void,
): LotDescription {
  const d = structuredClone(fx.description) as never;
  edit(d);
  return d;
}

describe('packLot (SCOR-2)', () => {
  it('packs a ZIP that unzip tests, whose SHA256SUMS sha256sum checks and whose manifest lists every file', async () => {
    const lot = await packLot(fx.description, { files: fx.files, now });
    expect(lot.lotId).toMatch(/^690008420-042-[0-9a-f]{12}$/);
    expect(lot.container).toMatchObject({ codec: 's3404-zip/1', fileName: `${lot.lotId}.zip`, mediaType: 'application/zip' });
    expect(lot.warnings).toEqual([]);
    await withTemp(async (dir) => {
      const zip = await writeLotFile(join(dir, lot.container.fileName), lot.container.bytes);
      const test = run('unzip', ['-t', zip]);
      expect(test.status, test.stdout).toBe(0);
      expect(test.stdout).toContain('No errors detected');
      const listing = run('unzip', ['-Z1', zip]).stdout.trim().split('\n');
      expect(listing).toEqual([
        'manifest.json',
        'SHA256SUMS',
        ...fx.description.invoices.flatMap((inv) => [`pj/${inv.invoiceNumber}/01-s3404.pdf`, `pj/${inv.invoiceNumber}/02-annexe.pdf`]),
      ]);
      const out = join(dir, 'x');
      expect(run('unzip', ['-q', zip, '-d', out]).status).toBe(0);
      const sums = run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out });
      expect(sums.status, sums.stdout + sums.stderr).toBe(0);
      expect(sums.stdout.match(/: OK/g)).toHaveLength(6);
      const manifest = LotManifestSchema.parse(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
      expect(manifest).toEqual(lot.manifest);
      expect(manifest).toMatchObject({
        format: 's3404-scor-lot',
        version: 1,
        lotId: lot.lotId,
        createdAt: NOW.toISOString(),
        establishment: { finess: '690008420' },
        b2: { lotNumber: '042' },
        totals: { invoices: 3, files: 6 },
      });
      for (const inv of manifest.invoices) {
        const source = fx.description.invoices.find((i) => i.invoiceNumber === inv.invoiceNumber)!;
        expect(inv.bordereauId).toBe(source.bordereauId);
        expect(inv.files.map((f) => [f.kind, f.pages])).toEqual([
          ['s3404', 1],
          ['annex', 1],
        ]);
        const fromDisk = readFileSync(join(out, inv.files[0]!.name));
        expect(Buffer.compare(fromDisk, Buffer.from(fx.files.get(source.pj[0]!.file)!))).toBe(0);
        const sha = run('sha256sum', [inv.files[1]!.name], { cwd: out }).stdout.split(' ')[0];
        expect(inv.files[1]!.sha256).toBe(sha);
      }
      // Python's zipfile reads it too, and finds no compression and the fixed entry time.
      const py = run('python3', [
        '-c',
        'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), sorted({i.compress_type for i in z.infolist()}), sorted({i.date_time for i in z.infolist()}))',
        zip,
      ]);
      expect(py.stdout.trim()).toBe('None [0] [(1980, 1, 1, 12, 0, 0)]');
    });
    expect((await verifyLot(lot.container.bytes)).ok).toBe(true);
  });

  it('gives the same bytes for the same input and clock, whatever the time zone', async () => {
    const a = await packLot(fx.description, { files: fx.files, now });
    const tz = process.env['TZ'];
    try {
      process.env['TZ'] = 'Pacific/Chatham';
      const b = await packLot(fx.description, { files: fx.files, now });
      process.env['TZ'] = 'America/Sao_Paulo';
      const c = await packLot(fx.description, { files: fx.files, now });
      expect(Buffer.from(b.container.bytes).equals(Buffer.from(a.container.bytes))).toBe(true);
      expect(c.container.sha256).toBe(a.container.sha256);
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
    const later = await packLot(fx.description, { files: fx.files, now: () => new Date(NOW.getTime() + 1000) });
    expect(later.container.sha256).not.toBe(a.container.sha256);
    expect(later.lotId).toBe(a.lotId); // the identity comes from the content
  });

  it('refuses duplicate invoices, an invoice without PJ, a PJ list not starting with the S3404, a missing file', async () => {
    const r = await safePackLot(
      edited((d) => {
        d.invoices[1]!.invoiceNumber = d.invoices[0]!.invoiceNumber;
        d.invoices[2]!.pj = [];
      }),
      { files: fx.files },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ['ERR_LOT_DUPLICATE_INVOICE', ['invoices', 1, 'invoiceNumber']],
      ['ERR_LOT_INVOICE_WITHOUT_PJ', ['invoices', 2, 'pj']],
    ]);
    expect(r.issues[0]!.message).toBe('Facture n° 260100000 présente plusieurs fois dans le lot (déjà en position 1).');
    const order = await safePackLot(
      edited((d) => d.invoices[0]!.pj.reverse()),
      { files: fx.files, locale: 'en' },
    );
    expect(!order.ok && order.issues.map((i) => i.message)).toEqual([
      'Invoice 260100000: the signed S3404 must be the first PJ, and the only one of kind s3404 (got annex, s3404).',
    ]);
    const missing = await safePackLot(
      edited((d) => (d.invoices[1]!.pj[1]!.file = 'lost.pdf')),
      { files: fx.files },
    );
    expect(!missing.ok && missing.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['ERR_LOT_FILE_MISSING', ['invoices', 1, 'pj', 1, 'file'], 'Fichier introuvable : lost.pdf.'],
    ]);
    const sameBordereau = await safePackLot(
      edited((d) => (d.invoices[2]!.bordereauId = d.invoices[0]!.bordereauId)),
      { files: fx.files },
    );
    expect(!sameBordereau.ok && codesOf(sameBordereau.issues)).toEqual(['ERR_LOT_DUPLICATE_BORDEREAU']);
  });

  it("refuses a PJ whose S3404 is another invoice's, or another clinic's, or not fully signed", async () => {
    const swapped = await safePackLot(
      edited((d) => {
        const [a, b] = [d.invoices[0]!.pj[0]!.file, d.invoices[1]!.pj[0]!.file];
        d.invoices[0]!.pj[0]!.file = b;
        d.invoices[1]!.pj[0]!.file = a;
      }),
      { files: fx.files },
    );
    expect(!swapped.ok && swapped.issues.map((i) => [i.code, i.path])).toEqual([
      ['ERR_LOT_BORDEREAU_MISMATCH', ['invoices', 0, 'pj', 0]],
      ['ERR_LOT_BORDEREAU_MISMATCH', ['invoices', 1, 'pj', 0]],
    ]);
    expect(!swapped.ok && swapped.issues[0]!.message).toBe(
      `Facture n° 260100000 : le S3404 joint porte le bordereau ${fx.bordereaux[1]!.id}, la facture attend ${fx.bordereaux[0]!.id}.`,
    );
    const b = fx.bordereaux[0]!;
    const files = new Map(fx.files);
    files.set('260100000-s3404.pdf', await s3404Pdf(b, { leave: ['insured', 'director'] }));
    const unsigned = await safePackLot(fx.description, { files });
    expect(!unsigned.ok && unsigned.issues.map((i) => [i.code, i.message])).toEqual([
      ['ERR_LOT_S3404_UNSIGNED', "Facture n° 260100000 : le S3404 n'est pas entièrement signé (manquent : insured, director)."],
    ]);
    files.set('260100000-s3404.pdf', await s3404Pdf({ ...b, establishment: example('ssr-long-sejour').establishment }));
    const otherClinic = await safePackLot(fx.description, { files });
    expect(!otherClinic.ok && codesOf(otherClinic.issues)).toEqual(['ERR_LOT_FINESS_MISMATCH']);
  });

  it('asks inspectS3404 about each S3404 PJ, and refuses one whose revisions it reports (SIG-5, issue 16)', async () => {
    const seen: number[] = [];
    const target = fx.files.get('260100001-s3404.pdf')!;
    const inspectS3404 = async (pdf: Uint8Array): Promise<{ code: string; message: string }[]> => {
      seen.push(pdf.length);
      return pdf === target ? [{ code: 'ERR_PDF_MODIFIED', message: 'la révision 3 n’est pas une signature posée par le SDK' }] : [];
    };
    const r = await safePackLot(fx.description, { files: fx.files, inspectS3404 });
    expect(seen).toHaveLength(fx.description.invoices.length);
    expect(!r.ok && r.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        'ERR_LOT_S3404_MODIFIED',
        ['invoices', 1, 'pj', 0],
        'Facture n° 260100001 : le S3404 ne suit pas le schéma rendu, signatures du SDK, sceau — ERR_PDF_MODIFIED la révision 3 n’est pas une signature posée par le SDK.',
      ],
    ]);
    expect((await safePackLot(fx.description, { files: fx.files, inspectS3404: async () => [] })).ok).toBe(true);
    await expect(safePackLot(fx.description, { files: fx.files, inspectS3404: 'no' as never })).rejects.toThrow(TypeError);
  });

  it('refuses a lot whose PJ fail SCOR-1, with the paths of the invoice, the PJ and the page', async () => {
    const files = new Map(fx.files);
    files.set('260100001-prescription.pdf', scanPdf([{ dpi: 200 }, { dpi: 120 }], { seed: 99 }));
    const r = await safePackLot(fx.description, { files });
    expect(!r.ok && r.issues.map((i) => [i.code, i.path])).toEqual([['ERR_PJ_RESOLUTION_TOO_LOW', ['invoices', 1, 'pj', 1, 'pages', 1, 'images', 0]]]);
    expect((await safePackLot(fx.description, { files, policy: { minDpi: 150 } })).ok).toBe(false);
    const ok = await safePackLot(fx.description, { files: fx.files, policy: { minDpi: 150 } });
    expect(ok.ok && ok.lot.manifest.policy.minDpi).toBe(150);
    expect(ok.ok && ok.issues).toEqual([]);
    files.set('260100001-prescription.pdf', fx.files.get('260100000-prescription.pdf')!);
    const dup = await safePackLot(fx.description, { files });
    expect(!dup.ok && dup.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        'ERR_LOT_DUPLICATE_PJ',
        ['invoices', 1, 'pj', 1],
        "Même fichier joint deux fois (identique à invoices[0].pj[1]) : chaque PJ n'est transmise qu'une fois.",
      ],
    ]);
  });

  it('accepts a PJ the reader repaired, its warning in issues and in the lot', async () => {
    const files = new Map(fx.files);
    const scan = Buffer.from(fx.files.get('260100001-prescription.pdf')!)
      .toString('latin1')
      .replace(/startxref\n\d+/, 'startxref\n9');
    files.set('260100001-prescription.pdf', new Uint8Array(Buffer.from(scan, 'latin1')));
    const r = await safePackLot(fx.description, { files, now });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.issues.map((i) => [i.code, i.severity, i.path])).toEqual([['ERR_PJ_XREF_REPAIRED', 'warning', ['invoices', 1, 'pj', 1]]]);
    expect(r.lot.warnings).toEqual(r.issues);
  });

  it('refuses a lot whose annex carries active content (an XFA script, a GoToR to a UNC path), and packs one with a plain link, flagged (issue 14)', async () => {
    const files = new Map(fx.files);
    const annex = (options: Parameters<typeof scanPdf>[1]): Uint8Array => scanPdf([{ dpi: 200, widthMm: 148, heightMm: 210 }], { seed: 77, ...options });
    files.set('260100001-prescription.pdf', annex({ xfa: { script: 'javascript', compress: true } }));
    files.set('260100002-prescription.pdf', annex({ actions: [{ action: 'goto-r-unc', in: 'open-action' }] }));
    const r = await safePackLot(fx.description, { files });
    expect(!r.ok && r.issues.map((i) => [i.code, i.path])).toEqual([
      ['ERR_PJ_JAVASCRIPT', ['invoices', 1, 'pj', 1]],
      ['ERR_PJ_XFA_FORM', ['invoices', 1, 'pj', 1]],
      ['ERR_PJ_REMOTE_GOTO', ['invoices', 2, 'pj', 1]],
    ]);
    files.set('260100001-prescription.pdf', annex({ actions: [{ action: 'uri', in: 'link' }] }));
    files.set('260100002-prescription.pdf', fx.files.get('260100002-prescription.pdf')!);
    const linked = await safePackLot(fx.description, { files, now });
    if (!linked.ok) throw new Error(JSON.stringify(linked.issues));
    expect(linked.lot.warnings.map((i) => [i.code, i.severity, i.path])).toEqual([['ERR_PJ_LINK', 'warning', ['invoices', 1, 'pj', 1]]]);
  });

  it('reports invalid descriptions as data, and throws ERR_LOT_REFUSED from packLot', async () => {
    for (const bad of [
      null,
      42,
      {},
      { ...fx.description, finess: '690008421' },
      { ...fx.description, b2LotNumber: 'A12' },
      { ...fx.description, invoices: [] },
      { ...fx.description, extra: 1 },
      edited((d) => (d.invoices[0]!.bordereauId = 'not-an-id')),
    ]) {
      const r = await safePackLot(bad, { files: fx.files });
      expect(r.ok).toBe(false);
      if (!r.ok) for (const i of r.issues) expect(i.code).toBe('ERR_LOT_INVALID');
    }
    const finess = await safePackLot({ ...fx.description, finess: '690008421' }, { files: fx.files });
    expect(!finess.ok && finess.issues[0]!.path).toEqual(['finess']);
    await expect(
      packLot(
        edited((d) => d.invoices.push({ ...d.invoices[0]! })),
        { files: fx.files },
      ),
    ).rejects.toMatchObject({
      code: 'ERR_LOT_REFUSED',
      message: 'Lot refusé : 2 problème(s) à corriger.',
      issues: [{ code: 'ERR_LOT_DUPLICATE_INVOICE' }, { code: 'ERR_LOT_DUPLICATE_BORDEREAU' }],
    });
    await expect(packLot(fx.description, { files: fx.files, maxLotBytes: 1000 })).rejects.toMatchObject({ issues: [{ code: 'ERR_LOT_TOO_LARGE' }] });
    await expect(packLot(fx.description, { files: fx.files, maxLotBytes: 2 ** 33 })).rejects.toMatchObject({ code: 'ERR_SCOR_OPTIONS_INVALID' });
    await expect(packLot(fx.description, { files: () => 'text' as never })).rejects.toThrow(TypeError);
  });

  it('reads files through a function, and lets a vendor codec build the container', async () => {
    const seen: string[] = [];
    const codec: LotCodec = {
      id: 'vendor-test/1',
      mediaType: 'application/x-vendor',
      extension: '.vnd',
      encode: (c) => {
        seen.push(...c.files.map((f) => f.name));
        return concat([c.manifestBytes, ...c.files.map((f) => f.bytes)]);
      },
    };
    const lot = await packLot(fx.description, { files: async (name) => fx.files.get(name), codec, now });
    expect(lot.container).toMatchObject({ codec: 'vendor-test/1', fileName: `${lot.lotId}.vnd`, mediaType: 'application/x-vendor' });
    expect(seen).toHaveLength(6);
    expect(lot.container.bytes.length).toBe(lot.manifestBytes.length + [...fx.files.values()].reduce((n, f) => n + f.length, 0));
  });

  it('accepts an S3404 from another generator when the vendor reads its identifier', async () => {
    const foreign = scanPdf([{ dpi: 300, widthMm: 297, heightMm: 420 }], { seed: 7 }); // a scanned paper S3404
    const files = new Map(fx.files);
    files.set('260100000-s3404.pdf', foreign);
    const without = await safePackLot(fx.description, { files });
    expect(!without.ok && codesOf(without.issues)).toEqual(['ERR_LOT_BORDEREAU_UNREADABLE']);
    const ids = new Map(fx.bordereaux.map((b) => [b.invoiceNumber, b.id]));
    const r = await safePackLot(fx.description, {
      files,
      readBordereauId: (pdf) => (pdf === foreign ? ids.get('260100000') : checkPj(pdf).s3404?.bordereauId),
    });
    expect(r.ok).toBe(true);
  });
});

describe('the sealed manifest (SCOR-2)', () => {
  it('is a detached CMS that openssl and @s3404/seal verify, and that breaks when the manifest changes', async () => {
    const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now });
    const lot = await packLot(fx.description, { files: fx.files, now, signer });
    expect(lot.signature).toBeInstanceOf(Uint8Array);
    const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now });
    expect(await verifyLot(lot.container.bytes, { verifier })).toMatchObject({
      ok: true,
      issues: [],
      signature: { status: 'valid', signer: signer.subject, signedAt: NOW.toISOString() },
    });
    expect((await verifyLot(lot.container.bytes)).signature).toEqual({ status: 'unchecked' });
    withTemp((dir) => {
      const entries = unzipSync(lot.container.bytes);
      expect(Object.keys(entries).slice(0, 3)).toEqual(['manifest.json', 'SHA256SUMS', 'manifest.json.p7s']);
      writeFileSync(join(dir, 'manifest.json'), entries['manifest.json']!);
      writeFileSync(join(dir, 'manifest.json.p7s'), entries['manifest.json.p7s']!);
      writeFileSync(join(dir, 'ca.pem'), pki.files['ca.pem']);
      const opensslVerify = () =>
        run(
          'openssl',
          [
            'cms',
            '-verify',
            '-binary',
            '-inform',
            'DER',
            '-in',
            'manifest.json.p7s',
            '-content',
            'manifest.json',
            '-CAfile',
            'ca.pem',
            '-purpose',
            'any',
            '-out',
            '/dev/null',
          ],
          { cwd: dir },
        );
      expect(opensslVerify().stderr).toContain('Verification successful');
      writeFileSync(join(dir, 'manifest.json'), Buffer.from(readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"version": 1', '"version":  1')));
      expect(opensslVerify().status).not.toBe(0);
    });
  });
});

describe('verifyLot on damaged or forged containers (SCOR-2, X-2)', () => {
  let lot: PackedLot;
  beforeAll(async () => {
    lot = await packLot(fx.description, { files: fx.files, now });
  });
  const rezip = (edit: (e: Record<string, Uint8Array>) => void): Uint8Array => {
    const e = unzipSync(lot.container.bytes);
    edit(e);
    return zipSync(e, { level: 0 });
  };
  it('names the file that changed, was removed, or was added, and unsafe names', async () => {
    const name = lot.manifest.invoices[1]!.files[1]!.name;
    const changed = await verifyLot(rezip((e) => (e[name]![2000]! ^= 1)));
    expect(changed.issues.map((p) => [p.code, p.params['file'], p.params['detail']])).toEqual([['ERR_LOT_MANIFEST_MISMATCH', name, 'SHA-256']]);
    const removed = await verifyLot(rezip((e) => delete e[name]));
    expect(removed.issues.map((p) => p.params['detail'])).toEqual(['absent']);
    const added = await verifyLot(rezip((e) => (e['pj/evil.pdf'] = new Uint8Array(3))));
    expect(added.issues.map((p) => [p.params['file'], p.params['detail']])).toEqual([['pj/evil.pdf', 'not listed']]);
    const slip = await verifyLot(rezip((e) => (e['../../etc/cron.d/x'] = new Uint8Array(3))));
    expect(slip.ok).toBe(false);
    expect(slip.issues[0]!.code).toBe('ERR_LOT_CONTAINER_INVALID');
    const sums = await verifyLot(rezip((e) => (e['SHA256SUMS'] = new Uint8Array(4))));
    expect(sums.issues.map((p) => p.params['file'])).toEqual(['SHA256SUMS']);
    const manifest = await verifyLot(rezip((e) => (e['manifest.json'] = new TextEncoder().encode('{"format":"s3404-scor-lot","version":2}'))));
    expect(manifest.issues.map((p) => p.code)).toEqual(['ERR_LOT_MANIFEST_INVALID']);
  });
  it('never throws on 600 mutations of a real container', async () => {
    const r = prng(7);
    let invalid = 0;
    for (let i = 0; i < 600; i++) {
      const bytes = lot.container.bytes.slice(0, i % 3 === 0 ? Math.floor(r() * lot.container.bytes.length) : undefined);
      for (let k = 0; k < 1 + Math.floor(r() * 8); k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      const v = await verifyLot(bytes);
      if (!v.ok) invalid++;
      for (const p of v.issues) expect(p.code).toMatch(/^ERR_LOT_(CONTAINER|MANIFEST)/);
    }
    expect(invalid).toBeGreaterThan(300);
  });
});

describe('writeLotFile (SCOR-2, X-2)', () => {
  it('leaves the complete lot or nothing: no temporary file behind, the old file intact when a write fails', async () => {
    await withTemp(async (dir) => {
      const target = join(dir, 'lots', 'a.zip');
      await writeLotFile(target, new Uint8Array([1, 2, 3]));
      await writeLotFile(target, new Uint8Array([4, 5]));
      expect([...readFileSync(target)]).toEqual([4, 5]);
      expect(readdirSync(join(dir, 'lots'))).toEqual(['a.zip']);
      await expect(writeLotFile(join(target, 'inside-a-file.zip'), new Uint8Array(1))).rejects.toMatchObject({ code: 'ERR_FILE_UNWRITABLE', kind: 'input' });
      expect([...readFileSync(target)]).toEqual([4, 5]);
      expect(readdirSync(join(dir, 'lots'))).toEqual(['a.zip']);
    });
    await expect(writeLotFile('', new Uint8Array())).rejects.toThrow(TypeError);
  });
});
