/**
 * `pnpm bench` for signature placement (FORM-6, issue 16): five signatures
 * (insured, director, three fee lines) applied to a 2-page bordereau,
 *  (a) as incremental updates (`placeSignature` today), and
 *  (b) with the load-and-save placement the SDK used before (each signature
 *      loads the whole PDF with pdf-lib, draws, and saves the whole file),
 * measured in the same run; plus `verifyBordereauPdf` (rendering revision 1
 * again) and `readSignatureSlots`, which `@s3404/seal/apply` runs before each
 * placement. Goal: (a) ≥ 10× faster than (b).
 *
 * Run: pnpm --filter @s3404/form exec tsx bench/placement.bench.ts
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { machine, measure, report } from '@s3404/tooling/bench';
import type { Bordereau } from '../src/index.js';
import { placeSignature, readSignatureSlots, renderBordereauPdf, verifyBordereauPdf } from '../src/pdf/index.js';
import { loadAndSavePlacement } from './load-and-save-placement.js';

const ROOT = new URL('../../../', import.meta.url);
const NOW = new Date('2026-03-20T10:00:00Z');

function twoPageBordereau(): Bordereau {
  const b = JSON.parse(readFileSync(new URL('examples/data/mco-chirurgie-pth.json', ROOT), 'utf8')) as Record<string, any>;
  const model = b.fees[1];
  b.fees = Array.from({ length: 22 }, (_, i) => ({ ...structuredClone(model), practitioner: { ...model.practitioner, name: `Dr Praticien n° ${i + 1}` } }));
  const sum = (l: { amount: number }[]): number => l.reduce((s, x) => s + x.amount, 0);
  b.totals.fees = sum(b.fees);
  b.totals.total = b.totals.services + b.totals.fees + b.totals.lpp + b.totals.drugs;
  b.totals.amo = b.totals.total - b.totals.amc - b.totals.patient;
  return b as Bordereau;
}

/** A tablet-like signature: 600×200 RGBA, transparent background, a stroke. */
function signature(seed: number): Uint8Array {
  const png = new PNG({ width: 600, height: 200 });
  for (let x = 20; x < 580; x++) {
    const y = Math.round(100 + 60 * Math.sin((x * seed) / 37) * Math.cos(x / 91));
    for (let d = -3; d <= 3; d++) png.data.set([14, 30, 120, 255], ((y + d) * 600 + x) * 4);
  }
  return new Uint8Array(PNG.sync.write(png));
}

const b = twoPageBordereau();
const rendered = await renderBordereauPdf(b, { now: () => NOW });
const slots = ['insured', 'director', 'line:1', 'line:2', 'line:3'] as const;
const images = slots.map((_, i) => signature(i + 2));
const at = (i: number): Date => new Date(NOW.getTime() + (i + 1) * 60_000);

async function incremental(): Promise<Uint8Array> {
  let pdf = rendered.bytes;
  for (const [i, slot] of slots.entries()) pdf = await placeSignature(pdf, { slot, image: images[i]!, capturedAt: at(i), bordereauId: b.id });
  return pdf;
}
async function loadAndSave(): Promise<Uint8Array> {
  let pdf = rendered.bytes;
  for (const [i, slot] of slots.entries()) pdf = await loadAndSavePlacement(pdf, { slot, image: images[i]!, capturedAt: at(i), bordereauId: b.id });
  return pdf;
}

const signed = await incremental();
console.log(`${await machine()}\n2-page bordereau (${rendered.pageCount} pages, ${rendered.bytes.length} bytes), 5 signatures 600×200 RGBA\n`);
const results = [
  await measure('incremental updates (placeSignature)', incremental, { warmup: 3, iterations: 30 }),
  await measure('load-and-save placement (before issue 16)', loadAndSave, { warmup: 2, iterations: 15 }),
];
report('Applying 5 signatures to a 2-page S3404', results, 'incremental updates (placeSignature)');
const checks = [
  await measure('readSignatureSlots (revisions read)', () => readSignatureSlots(signed), { warmup: 5, iterations: 50 }),
  await measure('verifyBordereauPdf (revision 1 rendered again)', () => verifyBordereauPdf(signed), { warmup: 3, iterations: 20 }),
];
report('Checks before each placement (seal/apply)', checks, 'readSignatureSlots (revisions read)');
