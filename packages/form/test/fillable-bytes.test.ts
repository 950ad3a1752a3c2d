import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBordereauFromPdf, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, example, examples, qpdfCheck, VECTORS_DIR } from './helpers.js';

/**
 * FORM-5, FORM-7: the fast fillable writer (issue 19) keeps its output byte for byte. The
 * conformance fixtures of test-vectors/form/fillable.json were rendered by
 * packages/conformance/generate/form-fillable.ts (A4, clock 2026-03-20T10:00:00Z); rendering the
 * same bordereaux again, first with the per-process caches cold and then warm (whole-font
 * streams, /W array, template stream), gives exactly those bytes.
 */
const FIXTURES = join(VECTORS_DIR, 'form/fixtures');
const cases = [
  { name: 'ambulatoire-cataracte', mode: 'fillable', file: 'form-FORM-5-t01-pass-round-trip-ambulatoire-cataracte.pdf' },
  { name: 'mco-chirurgie-pth', mode: 'fillable', file: 'form-FORM-5-t02-pass-round-trip-mco-chirurgie-pth.pdf' },
  { name: 'mco-chirurgie-pth', mode: 'flat', file: 'form-FORM-5-t10-fail-flat.pdf' },
] as const;

describe('FORM-5 fillable rendering: the same bytes as the conformance fixtures', () => {
  it.each(cases.map((c) => [`${c.name} (${c.mode})`, c] as const))('%s, rendered twice', async (_label, c) => {
    const fixture = new Uint8Array(readFileSync(join(FIXTURES, c.file)));
    for (let run = 0; run < 2; run++) {
      const { bytes } = await renderBordereauPdf(example(c.name), { now: CLOCK, mode: c.mode, page: 'a4' });
      expect(bytes.length).toBe(fixture.length);
      expect(Buffer.compare(bytes, fixture)).toBe(0);
    }
  });

  it('a form of more than a thousand fields (its syntax written in many chunks) is whole, and reads back', async () => {
    const ssr = examples().find((e) => e.name === 'ssr-long-sejour')!.data;
    const first = await renderBordereauPdf(ssr, { now: CLOCK, mode: 'fillable' });
    const again = await renderBordereauPdf(ssr, { now: CLOCK, mode: 'fillable' });
    expect(Buffer.compare(first.bytes, again.bytes)).toBe(0);
    expect(qpdfCheck(first.bytes).ok).toBe(true);
    const back = (await readBordereauFromPdf(first.bytes)) as { fees?: unknown[] };
    expect(back.fees?.length).toBe(ssr.fees.length);
  });
});
