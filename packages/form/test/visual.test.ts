import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderBordereauPdf } from '@s3404/form/pdf';
import type { Bordereau } from '@s3404/form';
import { CLOCK, examples, rasterize } from './helpers.js';

/**
 * What a person sees (FORM-4): every example is rendered by poppler's
 * pdftoppm and compared with the committed reference images
 * (test/references). Set UPDATE_REFERENCES=1 to rewrite them after an
 * intended layout change, then look at them before committing.
 */
const REFERENCES = new URL('./references/', import.meta.url).pathname;
const DPI = 40;
const UPDATE = process.env['UPDATE_REFERENCES'] === '1';

function compare(actual: PNG, expected: PNG): { differing: number; mean: number } {
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  let differing = 0;
  let total = 0;
  for (let i = 0; i < actual.data.length; i += 4) {
    const d = Math.abs(actual.data[i]! - expected.data[i]!);
    total += d;
    if (d > 48) differing++;
  }
  const pixels = actual.width * actual.height;
  return { differing: differing / pixels, mean: total / pixels };
}

describe('FORM-4 rendered pages match the committed references', () => {
  const cases = examples().flatMap((e) => (['a3', 'a4'] as const).map((page) => [`${e.name}-${page}`, e.data, page] as const));
  it.each(cases)('%s', async (name, data, page) => {
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, page });
    const images = rasterize(bytes, DPI);
    if (UPDATE) mkdirSync(REFERENCES, { recursive: true });
    images.forEach((img, i) => {
      const file = join(REFERENCES, `${name}-p${i + 1}.png`);
      if (UPDATE) writeFileSync(file, PNG.sync.write(img, { colorType: 0 }));
      expect(existsSync(file), `missing reference ${file} (run with UPDATE_REFERENCES=1)`).toBe(true);
      const { differing, mean } = compare(img, PNG.sync.read(readFileSync(file)));
      expect(differing, `${name} page ${i + 1}: share of differing pixels`).toBeLessThanOrEqual(0.002);
      expect(mean, `${name} page ${i + 1}: mean difference`).toBeLessThanOrEqual(1);
    });
    // No stale extra reference page.
    expect(existsSync(join(REFERENCES, `${name}-p${images.length + 1}.png`))).toBe(false);
  });

  it('detects a real change (a different value moves pixels beyond the tolerance)', async () => {
    const e = examples()[0]!;
    const changed = structuredClone(e.data) as Record<string, any>;
    changed.insured.lastName = 'Martin-Dupont-Delacroix';
    const img = rasterize((await renderBordereauPdf(changed as Bordereau, { now: CLOCK })).bytes, DPI)[0]!;
    const ref = PNG.sync.read(readFileSync(join(REFERENCES, `${e.name}-a3-p1.png`)));
    expect(compare(img, ref).differing).toBeGreaterThan(0.0001);
  });
});
