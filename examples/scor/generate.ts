/**
 * Regenerates the example SCOR lot of this folder (SCOR-2): `lot.json` and
 * its PDFs — three bordereaux S3404 of one clinic, rendered and fully
 * signed with @s3404/form, and their annexes as a scanner makes them (a
 * page rasterised by Ghostscript at 200 or 300 dpi, wrapped in a PDF).
 * The files are committed; run this only to change them:
 *
 *   pnpm --filter @s3404/examples exec tsx scor/generate.ts
 *
 * Needs Ghostscript (`apt-get install ghostscript`). Everything is
 * fictitious: people, NIR, prescriptions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { PDFDocument, PDFName, StandardFonts, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, rgb } from '@cantoo/pdf-lib';
import { parseBordereau, readJson, type Bordereau } from '@s3404/form';
import { placeSignature, renderBordereauPdf } from '@s3404/form/pdf';

const here = import.meta.dirname;
const NOW = new Date('2026-03-20T17:30:00Z');
const MM = 72 / 25.4;

const load = (name: string): Bordereau => parseBordereau(readJson(readFileSync(join(here, '..', 'data', `${name}.json`))));
const clinic = load('mco-chirurgie-pth').establishment;

function strokes(seed: number): Uint8Array {
  const png = new PNG({ width: 320, height: 110 });
  for (let x = 10; x < 310; x++) {
    const y = Math.round(55 + 34 * Math.sin((x * seed) / 19) * Math.cos(x / 47));
    for (let d = -2; d <= 2; d++) png.data.set([14, 30, 120, 255], ((y + d) * 320 + x) * 4);
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** Renders a bordereau (A4) for the clinic and signs every slot. */
async function signedS3404(b: Bordereau): Promise<Uint8Array> {
  const { bytes, slots } = await renderBordereauPdf(b, { page: 'a4', now: () => NOW });
  let pdf = bytes;
  for (const [i, slot] of slots.entries())
    pdf = await placeSignature(pdf, {
      slot: slot.id,
      image: strokes(i + 2),
      capturedAt: new Date(NOW.getTime() - (slots.length - i) * 60_000),
      bordereauId: b.id,
    });
  return pdf;
}

/** A paper document as a scanner gives it back: text drawn, rasterised by Ghostscript, wrapped as an image PDF. */
async function scannedAnnex(
  title: string,
  lines: readonly string[],
  o: { widthMm: number; heightMm: number; dpi: number; colour: boolean },
): Promise<Uint8Array> {
  const paper = await PDFDocument.create();
  const page = paper.addPage([o.widthMm * MM, o.heightMm * MM]);
  const font = await paper.embedFont(StandardFonts.Helvetica);
  const bold = await paper.embedFont(StandardFonts.HelveticaBold);
  let y = page.getHeight() - 60;
  page.drawText(title, { x: 40, y, size: 15, font: bold, color: rgb(0.1, 0.1, 0.35) });
  for (const line of lines) {
    y -= 19;
    page.drawText(line, { x: 40, y, size: 10.5, font });
  }
  page.drawRectangle({ x: 40, y: 40, width: 140, height: 50, borderColor: rgb(0.2, 0.3, 0.7), borderWidth: 1.5 });
  page.drawText('Cachet et signature', { x: 48, y: 74, size: 8, font, color: rgb(0.2, 0.3, 0.7) });
  const dir = mkdtempSync(join(tmpdir(), 's3404-example-'));
  try {
    writeFileSync(join(dir, 'paper.pdf'), await paper.save());
    execFileSync('gs', [
      '-q',
      '-dNOPAUSE',
      '-dBATCH',
      '-dSAFER',
      `-sDEVICE=${o.colour ? 'png16m' : 'pnggray'}`,
      `-r${o.dpi}`,
      `-sOutputFile=${join(dir, 'scan.png')}`,
      join(dir, 'paper.pdf'),
    ]);
    // The samples as the scanner gives them: grey (1 component) or RGB, 8 bits, Flate — as img2pdf and scanners write them
    // (pdf-lib's embedPng would turn a grey PNG into RGB).
    const png = PNG.sync.read(readFileSync(join(dir, 'scan.png')));
    const comps = o.colour ? 3 : 1;
    const samples = new Uint8Array(png.width * png.height * comps);
    for (let i = 0; i < png.width * png.height; i++) for (let c = 0; c < comps; c++) samples[i * comps + c] = png.data[i * 4 + c]!;
    const scan = await PDFDocument.create({ updateMetadata: false });
    const image = scan.context.register(
      scan.context.flateStream(samples, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: png.width,
        Height: png.height,
        ColorSpace: o.colour ? 'DeviceRGB' : 'DeviceGray',
        BitsPerComponent: 8,
      }),
    );
    const sheet = scan.addPage([o.widthMm * MM, o.heightMm * MM]);
    sheet.node.setXObject(PDFName.of('Im0'), image);
    sheet.pushOperators(pushGraphicsState(), concatTransformationMatrix(o.widthMm * MM, 0, 0, o.heightMm * MM, 0, 0), drawObject('Im0'), popGraphicsState());
    scan.setProducer('Scanner de démonstration (Ghostscript + pdf-lib)');
    scan.setCreationDate(NOW);
    scan.setModificationDate(NOW);
    return await scan.save();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invoices: { invoiceNumber: string; bordereauId: string; pj: { file: string; kind: 's3404' | 'annex'; label?: string }[] }[] = [];
const annexes: Record<string, { title: string; lines: string[]; label: string; widthMm: number; heightMm: number; dpi: number; colour: boolean }[]> = {
  'mco-chirurgie-pth': [
    {
      title: 'Prescription médicale de transport',
      label: 'prescription de transport',
      widthMm: 148,
      heightMm: 210,
      dpi: 200,
      colour: false,
      lines: [
        'Patient : Mme Jeanne MARTIN (fictif)',
        'Transport assis professionnalisé',
        'Aller-retour domicile — Polyclinique',
        'Motif : prothèse totale de hanche',
        'Dr Paul LEROY — RPPS 10101010101 (fictif)',
        'Le 16/03/2026',
      ],
    },
  ],
  'ambulatoire-cataracte': [
    {
      title: 'Compte rendu opératoire',
      label: 'compte rendu opératoire',
      widthMm: 210,
      heightMm: 297,
      dpi: 200,
      colour: false,
      lines: [
        'Intervention : phacoémulsification œil droit',
        'Implant de chambre postérieure',
        'Anesthésie topique — durée 18 min',
        'Suites simples, sortie le jour même',
        'Chirurgien : Dr Claire DUBOIS (fictif)',
      ],
    },
  ],
  'ssr-long-sejour': [
    {
      title: 'Prescription de rééducation',
      label: 'prescription',
      widthMm: 148,
      heightMm: 210,
      dpi: 200,
      colour: false,
      lines: ['Rééducation fonctionnelle après fracture', '5 séances par semaine pendant 6 semaines', 'Dr Anne MOREAU (fictif)'],
    },
    {
      title: 'Bon de livraison — fauteuil roulant',
      label: 'bon de livraison LPP',
      widthMm: 210,
      heightMm: 297,
      dpi: 300,
      colour: true,
      lines: [
        'Fauteuil roulant à propulsion manuelle',
        'Code LPP 4011238 (exemple)',
        'Livré le 12/03/2026 — remis en main propre',
        'Référence fournisseur : FR-2026-0312',
      ],
    },
  ],
};

for (const name of Object.keys(annexes)) {
  const b: Bordereau = { ...load(name), establishment: clinic };
  const s3404 = `${b.invoiceNumber}-s3404.pdf`;
  writeFileSync(join(here, s3404), await signedS3404(b));
  const pj: (typeof invoices)[number]['pj'] = [{ file: s3404, kind: 's3404' }];
  for (const [k, a] of annexes[name]!.entries()) {
    const file = `${b.invoiceNumber}-annexe-${k + 1}.pdf`;
    writeFileSync(join(here, file), await scannedAnnex(a.title, a.lines, a));
    pj.push({ file, kind: 'annex', label: a.label });
  }
  invoices.push({ invoiceNumber: b.invoiceNumber, bordereauId: b.id, pj });
  console.log(`${b.invoiceNumber} (${name}): ${pj.map((p) => p.file).join(', ')}`);
}
const lot = { format: 's3404-scor-lot-description/1', finess: clinic.finess, b2LotNumber: '042', invoices };
writeFileSync(join(here, 'lot.json'), `${JSON.stringify(lot, null, 2)}\n`);
console.log(`${join(here, 'lot.json')}: lot of ${invoices.length} invoices for FINESS ${clinic.finess}, B2 lot 042`);
