/**
 * Example — validate a bordereau and render it (FORM-1, FORM-2, FORM-4, FORM-7).
 *
 *   pnpm --filter @s3404/examples exec tsx render-a-bordereau.ts [OUT_DIR]
 *
 * Reads examples/data/mco-chirurgie-pth.json, reports any issue, and writes the
 * A3 landscape PDF (default, like the paper form) and the A4 portrait option.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, validateBordereau } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';

const out = process.argv[2] ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });

const input = readJson(readFileSync(join(import.meta.dirname, 'data/mco-chirurgie-pth.json')));
const result = validateBordereau(input); // French messages; pass { locale: 'en' } for English
if (!result.ok) {
  for (const issue of result.issues) console.error(issue.code, issue.path.join('.'), issue.message);
  process.exit(1);
}

// A fixed clock makes the output byte-identical from run to run.
const now = (): Date => new Date('2026-03-20T10:00:00Z');
for (const page of ['a3', 'a4'] as const) {
  const { bytes, pageCount, contentHash } = await renderBordereauPdf(result.data, { page, now });
  const file = join(out, `bordereau-${page}.pdf`);
  writeFileSync(file, bytes);
  console.log(`${file}: ${pageCount} page(s), content SHA-256 ${contentHash}`);
}
