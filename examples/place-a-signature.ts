/**
 * Example — draw signatures into their slots (FORM-6): the insured person,
 * a practitioner line signed « pour mandat », and the director's
 * accounting-day validation ("jj/mm/aaaa hh:mm journée comptable").
 *
 *   pnpm --filter @s3404/examples exec tsx place-a-signature.ts [OUT_DIR]
 *
 * The images here are synthetic strokes. In the real flow each image comes
 * from a sealed signature record: see seal-a-signature.ts (@s3404/seal).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { parseBordereau, readJson } from '@s3404/form';
import { placeSignature, renderBordereauPdf } from '@s3404/form/pdf';

const out = process.argv[2] ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });

function strokes(seed: number): Uint8Array {
  const png = new PNG({ width: 320, height: 110 });
  for (let x = 10; x < 310; x++) {
    const y = Math.round(55 + 34 * Math.sin((x * seed) / 19) * Math.cos(x / 47));
    for (let d = -2; d <= 2; d++) {
      const i = ((y + d) * 320 + x) * 4;
      png.data.set([14, 30, 120, 255], i);
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

const b = parseBordereau(readJson(readFileSync(join(import.meta.dirname, 'data/mco-chirurgie-pth.json'))));
// Line 2 is signed by the director for the surgeon, under a mandate (SIG-8).
const fees = b.fees.map((f, i) => (i === 1 ? { ...f, signature: { mandate: true, mandateRef: 'MAND-2026-014' } } : f));
let pdf = (await renderBordereauPdf({ ...b, fees }, { now: () => new Date('2026-03-20T10:00:00Z') })).bytes;

pdf = await placeSignature(pdf, { slot: 'insured', image: strokes(1), capturedAt: new Date('2026-03-20T09:41:07Z'), bordereauId: b.id });
pdf = await placeSignature(pdf, { slot: 'line:2', image: strokes(2), capturedAt: new Date('2026-03-20T14:02:00Z'), bordereauId: b.id });
pdf = await placeSignature(pdf, {
  slot: 'director',
  image: strokes(3),
  capturedAt: new Date('2026-03-20T17:05:00Z'),
  bordereauId: b.id,
  accountingDay: true,
});
writeFileSync(join(out, 'signed.pdf'), pdf);
console.log(`${join(out, 'signed.pdf')}: 3 signatures placed`);
