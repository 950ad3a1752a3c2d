import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { A4_PORTRAIT_TEMPLATE, placeSignature, renderBordereauPdf, verifyBordereauPdf, type RenderPdfOptions } from '@s3404/form/pdf';
import { CLOCK, NOW, example, longBordereau, signaturePng } from './helpers.js';

/**
 * Issue 19: a bordereau rendered in this process is known to be the SDK's
 * rendering, so verifying it here (each signature checks the PDF it signs)
 * does not render it a second time. That must not hide `rendersAgain`: every
 * way of rendering is verified here and, from the same bytes, by another
 * process that never rendered them (the built package), which renders each
 * again for real.
 */
const dir = mkdtempSync(join(tmpdir(), 's3404-authentic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VERIFY_ELSEWHERE = `
import { readFileSync } from 'node:fs';
const { verifyBordereauPdf } = await import(process.argv[1]);
const out = [];
for (const f of process.argv.slice(2)) {
  const v = await verifyBordereauPdf(new Uint8Array(readFileSync(f)), { locale: 'en' });
  out.push({ ok: v.ok, authentic: v.authentic, codes: v.issues.map((i) => i.code) });
}
console.log(JSON.stringify(out));
`;

describe('renderings known in this process, rendered again in another (issue 19, FORM-6)', () => {
  it('every rendering option gives a PDF another process authenticates by rendering it again, and this one without rendering', async () => {
    const variants: [string, Parameters<typeof renderBordereauPdf>[0], RenderPdfOptions][] = [
      ['a3 flat', example('mco-chirurgie-pth'), {}],
      ['a4 flat', example('ambulatoire-cataracte'), { page: 'a4' }],
      ['a4 fillable', example('mandat-pour-compte'), { page: 'a4', mode: 'fillable' }],
      ['a3 without PDF/A', example('ssr-long-sejour'), { pdfa: false }],
      ['custom template', example('maternite-accouchement'), { template: { ...A4_PORTRAIT_TEMPLATE, name: 'Éditeur', signatureRowHeight: 30 } }],
      ['many pages, English errors', longBordereau(60), { page: 'a4', locale: 'en' }],
    ];
    const files: string[] = [];
    for (const [name, b, options] of variants) {
      const rendered = await renderBordereauPdf(b, { now: CLOCK, ...options });
      // Signed once, so that the first revision is followed by another, as in production.
      const signed = await placeSignature(rendered.bytes, { slot: 'insured', image: signaturePng(120, 40), capturedAt: NOW, bordereauId: String(b.id) });
      for (const pdf of [rendered.bytes, signed]) {
        const here = await verifyBordereauPdf(pdf, { locale: 'en' });
        expect(here, name).toMatchObject({ ok: true, authentic: true });
        const file = join(dir, `${files.length}.pdf`);
        writeFileSync(file, pdf);
        files.push(file);
      }
    }
    const built = resolve(import.meta.dirname, '../dist/pdf/index.js');
    const elsewhere = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', VERIFY_ELSEWHERE, built, ...files], { encoding: 'utf8' }));
    expect(elsewhere).toEqual(files.map(() => ({ ok: true, authentic: true, codes: [] })));
  });

  it('a first revision changed after its rendering is rendered again here, and is not authentic', async () => {
    const b = example('mco-chirurgie-pth');
    const rendered = await renderBordereauPdf(b, { now: CLOCK });
    // The recorded creation date, one digit later: the PDF still reads, but no longer is what was rendered.
    const text = new TextDecoder('latin1').decode(rendered.bytes);
    const at = text.indexOf('/CreationDate (D:2026') + '/CreationDate (D:2026'.length;
    expect(at).toBeGreaterThan(100);
    const changed = rendered.bytes.slice();
    changed[at + 3] = changed[at + 3] === 0x30 ? 0x31 : 0x30;
    const v = await verifyBordereauPdf(changed, { locale: 'en' });
    expect(v).toMatchObject({ ok: false, authentic: false });
    expect(v.issues.map((i) => i.code)).toContain('ERR_PDF_NOT_AUTHENTIC');
  });
});
