/**
 * Example — the convention de preuve (SIG-9): fill the French template of
 * `docs/convention-de-preuve.md` for one practitioner and render it to PDF
 * for signature, then record it so that the sealer accepts the
 * practitioner's captured signatures.
 *
 *   pnpm --filter @s3404/examples exec tsx render-proof-agreement.ts [OUT_DIR]
 *
 * The template is plain Markdown: `#` titles and paragraphs; `>` notes are
 * guidance for the vendor and are left out of the PDF. The
 * PDF uses the standard Helvetica font (its WinAnsi encoding covers French).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from '@cantoo/pdf-lib';
import { MemoryProofAgreementRegistry, findValidAgreement } from '@s3404/seal';

const out = process.argv[2] ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });

const agreement = { reference: 'CDP-2026-003', rpps: '10003456786', finess: '750300360', validFrom: '2026-01-15' };
const values: Record<string, string> = {
  REFERENCE: agreement.reference,
  ETABLISSEMENT: 'Clinique Saint-Exemple',
  FINESS: agreement.finess,
  ADRESSE: '12 rue de la Santé, 75014 Paris',
  DIRECTEUR: 'Mme Claire Durand',
  PRATICIEN: 'Dr Antoine Lefèvre',
  RPPS: agreement.rpps,
  DATE_EFFET: '15 janvier 2026',
  VILLE: 'Paris',
  DATE_SIGNATURE: '12 janvier 2026',
};
const template = readFileSync(join(import.meta.dirname, '../docs/convention-de-preuve.md'), 'utf8');
const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, k: string) => {
  if (values[k] === undefined) throw new Error(`champ sans valeur : ${k}`);
  return values[k];
});

const doc = await PDFDocument.create();
doc.setTitle(`Convention de preuve ${agreement.reference}`);
doc.setCreationDate(new Date('2026-01-12T09:00:00Z'));
doc.setModificationDate(new Date('2026-01-12T09:00:00Z'));
const regular = await doc.embedFont(StandardFonts.Helvetica);
const bold = await doc.embedFont(StandardFonts.HelveticaBold);
const [W, H, M] = [595.28, 841.89, 56];
let page = doc.addPage([W, H]);
let y = H - M;
const clean = (s: string): string => s.replace(/`|\*\*/g, '').replace(/\u202f/g, ' ');

function write(text: string, size: number, font = regular, colour = rgb(0, 0, 0)): void {
  const words = clean(text).split(/\s+/).filter(Boolean);
  let line = '';
  const flush = (): void => {
    if (y < M + size) {
      page = doc.addPage([W, H]);
      y = H - M;
    }
    page.drawText(line, { x: M, y, size, font, color: colour });
    y -= size * 1.35;
    line = '';
  };
  for (const w of words) {
    const next = line === '' ? w : `${line} ${w}`;
    if (font.widthOfTextAtSize(next, size) > W - 2 * M) flush();
    line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') flush();
}

for (const block of filled.split(/\n\s*\n/)) {
  const text = block.replace(/\n/g, ' ').trim();
  if (text.startsWith('# ')) write(text.slice(2), 15, bold);
  else if (text.startsWith('## ')) {
    y -= 4;
    write(text.slice(3), 11.5, bold);
  } else if (text.startsWith('>')) write(text.replace(/(^|\s)>\s?/g, ' '), 8.5, regular, rgb(0.35, 0.35, 0.35));
  else write(text, 10);
  y -= 5;
}
const pdf = await doc.save();
writeFileSync(join(out, 'convention-de-preuve.pdf'), pdf);

// Once signed on paper (or otherwise), the agreement goes into the registry the sealer checks.
const registry = new MemoryProofAgreementRegistry([agreement]);
const valid = findValidAgreement(registry.list(agreement.rpps), { rpps: agreement.rpps, finess: agreement.finess, day: '2026-03-20' });
console.log(
  `convention-de-preuve.pdf : ${doc.getPageCount()} page(s), ${pdf.length} octets ; convention en vigueur le 20/03/2026 : ${valid?.reference ?? 'aucune'}`,
);
