/**
 * Example — a fillable bordereau for on-screen completion, read back into the
 * model (FORM-5).
 *
 *   pnpm --filter @s3404/examples exec tsx fillable-round-trip.ts [OUT_DIR]
 *
 * Renders the AcroForm, fills the missing exit time as a person would in a
 * PDF viewer, and reads the form back: the result is validated like any input.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { parseBordereau, readJson } from '@s3404/form';
import { readBordereauFromPdf, renderBordereauPdf } from '@s3404/form/pdf';

const out = process.argv[2] ?? join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });

const bordereau = parseBordereau(readJson(readFileSync(join(import.meta.dirname, 'data/mco-chirurgie-pth.json'))));
const { exit: _unknownYet, ...stay } = bordereau.stay;
const { bytes } = await renderBordereauPdf({ ...bordereau, stay }, { mode: 'fillable', now: () => new Date('2026-03-20T10:00:00Z') });
writeFileSync(join(out, 'fillable.pdf'), bytes);

// What a person does on screen: type the exit date and time into the fields.
const doc = await PDFDocument.load(bytes);
doc.getForm().getTextField('s3404.stay.exit.date').setText('20/03/2026');
doc.getForm().getTextField('s3404.stay.exit.time').setText('11:30');
const filled = await doc.save();
writeFileSync(join(out, 'filled.pdf'), filled);

const back = await readBordereauFromPdf(filled);
console.log(`read back ${back.id}: exit ${back.stay.exit?.date} ${back.stay.exit?.time}`);
