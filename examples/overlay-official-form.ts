/**
 * Example — fill the official CERFA supplied by the vendor (FORM-4 b).
 *
 *   pnpm --filter @s3404/examples exec tsx overlay-official-form.ts [OUT_DIR] [CERFA.pdf] [FIELD_MAP.json]
 *
 * The official S3404 PDF is not distributed with the SDK (its number and
 * layout are not public here): pass yours with a field map that names its
 * AcroForm fields or gives coordinates. Without arguments the example builds
 * a stand-in form so that it runs anywhere, and uses overlay/field-map.example.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from '@cantoo/pdf-lib';
import { readJson, type Bordereau } from '@s3404/form';
import { overlayBordereauPdf, parseFieldMap } from '@s3404/form/pdf';

const [outArg, cerfaArg, mapArg] = process.argv.slice(2);
const out = outArg ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });

async function standIn(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([1190.55, 841.89]);
  page.drawText('FORMULAIRE DE DEMONSTRATION (remplace le CERFA officiel)', { x: 30, y: 805, size: 14, font });
  page.drawRectangle({ x: 30, y: 700, width: 520, height: 90, borderColor: rgb(0, 0, 0), borderWidth: 1 });
  const form = doc.getForm();
  for (const [name, x, y] of [
    ['NOM_ASSURE', 40, 750],
    ['PRENOM_ASSURE', 250, 750],
    ['NIR', 40, 715],
    ['FINESS', 600, 750],
    ['TOTAL', 1000, 80],
  ] as const) {
    form.createTextField(name).addToPage(page, { x, y, width: 180, height: 18, font });
  }
  return doc.save();
}

const cerfa = cerfaArg === undefined ? await standIn() : new Uint8Array(readFileSync(cerfaArg));
const map = parseFieldMap(readJson(readFileSync(mapArg ?? join(import.meta.dirname, 'overlay/field-map.example.json'))));
// The overlay validates the bordereau itself and refuses it with every issue (ERR_BORDEREAU_INVALID).
const bordereau = readJson(readFileSync(join(import.meta.dirname, 'data/mco-chirurgie-pth.json'))) as Bordereau;
const { bytes, slots } = await overlayBordereauPdf(bordereau, cerfa, map, { now: () => new Date('2026-03-20T10:00:00Z') });
writeFileSync(join(out, 'overlay.pdf'), bytes);
console.log(`${join(out, 'overlay.pdf')}: filled and flattened; signature slots ${slots.map((s) => s.id).join(', ')}`);
