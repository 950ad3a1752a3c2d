/**
 * `pnpm bench` for @s3404/form (FORM-4): render a 2-page bordereau and compare,
 * in the same run, with
 *  (a) pdfme's generator rendering the same content from a template, and
 *  (b) a straightforward pdf-lib implementation drawing the same content
 *      per document (drawText / drawRectangle / drawLine, subset fonts).
 * The same text runs, rectangles and rules are extracted from the SDK's own
 * layout, so the three produce equivalent pages.
 *
 * Then the fillable AcroForm (FORM-5, issue 19), on the same 2-page bordereau
 * and on the 3-page SSR example (about 1,150 fields), against the former
 * implementation through pdf-lib's form objects (`pdf-lib-form-fields.ts`),
 * in the same run. Set S3404_BENCH_FILLABLE_ONLY=1 to run only that part.
 *
 * Run: pnpm --filter @s3404/form bench   (or `pnpm bench` at the root)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PDFDocument as UpstreamDocument, rgb } from 'pdf-lib';
import upstreamFontkit from '@pdf-lib/fontkit';
import { generate } from '@pdfme/generator';
import { line as pdfmeLine, rectangle as pdfmeRectangle, text as pdfmeText } from '@pdfme/schemas';
import { measure, report, machine } from '@s3404/tooling/bench';
import { parseBordereau, contentHash, validateBordereau, type Bordereau } from '../src/index.js';
import { renderBordereauPdf, A3_LANDSCAPE_TEMPLATE } from '../src/pdf/index.js';
import { ContentWriter } from '../src/pdf/internal/content-writer.js';
import { boldFace, regularFace } from '../src/pdf/internal/font-face.js';
import { planPages } from '../src/pdf/internal/page-plan.js';
import { drawPages } from '../src/pdf/internal/draw-pages.js';
import { PDFDocument } from '../src/pdf/internal/engine.js';
import { renderFillableWithPdfLibForms } from './pdf-lib-form-fields.js';

const ROOT = new URL('../../../', import.meta.url);
const NOW = new Date('2026-03-20T10:00:00Z');
const REGULAR = readFileSync(new URL('packages/form/assets/fonts/S3404Sans-Regular.ttf', ROOT));
const BOLD = readFileSync(new URL('packages/form/assets/fonts/S3404Sans-Bold.ttf', ROOT));

// ---- the 2-page bordereau: the MCO example with 22 fee lines -------------------------
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

// ---- the same content as plain drawing operations --------------------------------------
type Op =
  | { kind: 'text'; page: number; text: string; x: number; y: number; size: number; bold: boolean; color: [number, number, number] }
  | {
      kind: 'rect';
      page: number;
      x: number;
      y: number;
      w: number;
      h: number;
      fill?: [number, number, number];
      stroke?: [number, number, number];
      width: number;
    }
  | { kind: 'line'; page: number; x1: number; y1: number; x2: number; y2: number; width: number; color: [number, number, number] };

function operations(b: Record<string, any>): Op[] {
  const faces = { regularFace: regularFace(), boldFace: boldFace() };
  const model = parseBordereau(b);
  const plan = planPages(model, A3_LANDSCAPE_TEMPLATE, new ContentWriter(faces));
  const drawn = drawPages(plan, {
    bordereau: model,
    template: A3_LANDSCAPE_TEMPLATE,
    hash: contentHash(model),
    fillable: false,
    fonts: { ...faces, used: { regular: new Set(), bold: new Set() }, names: { regular: 'S3404R', bold: 'S3404B' } },
  });
  const ops: Op[] = [];
  const n = (s: string | undefined): number => Number(s);
  drawn.contents.forEach((content, page) => {
    for (const l of content.split('\n')) {
      let m = /^BT (\S+) (\S+) (\S+) rg \/(S3404[RB]) (\S+) Tf (\S+) (\S+) Td <([0-9a-f]*)> Tj ET$/.exec(l);
      if (m) {
        const face = m[4] === 'S3404B' ? faces.boldFace : faces.regularFace;
        const text = (m[8]!.match(/.{4}/g) ?? []).map((h) => String.fromCodePoint(face.firstCodePoint[parseInt(h, 16)] || 0x3f)).join('');
        ops.push({ kind: 'text', page, text, x: n(m[6]), y: n(m[7]), size: n(m[5]), bold: m[4] === 'S3404B', color: [n(m[1]), n(m[2]), n(m[3])] });
        continue;
      }
      m = /^(?:(\S+) (\S+) (\S+) rg )?(?:(\S+) (\S+) (\S+) RG (\S+) w )?(\S+) (\S+) (\S+) (\S+) re ([SfB])$/.exec(l);
      if (m) {
        const fill = m[1] === undefined ? undefined : ([n(m[1]), n(m[2]), n(m[3])] as [number, number, number]);
        const stroke = m[4] === undefined ? undefined : ([n(m[4]), n(m[5]), n(m[6])] as [number, number, number]);
        ops.push({
          kind: 'rect',
          page,
          x: n(m[8]),
          y: n(m[9]),
          w: n(m[10]),
          h: n(m[11]),
          width: m[7] === undefined ? 0 : n(m[7]),
          ...(fill ? { fill } : {}),
          ...(stroke ? { stroke } : {}),
        });
        continue;
      }
      m = /^(\S+) (\S+) (\S+) RG (\S+) w (\S+) (\S+) m (\S+) (\S+) l S$/.exec(l);
      if (m) ops.push({ kind: 'line', page, x1: n(m[5]), y1: n(m[6]), x2: n(m[7]), y2: n(m[8]), width: n(m[4]), color: [n(m[1]), n(m[2]), n(m[3])] });
    }
  });
  return ops;
}

// ---- (b) straightforward pdf-lib -----------------------------------------------------------
async function renderWithPdfLib(ops: readonly Op[], pages: number): Promise<Uint8Array> {
  const doc = await UpstreamDocument.create();
  doc.registerFontkit(upstreamFontkit);
  const regular = await doc.embedFont(REGULAR, { subset: true });
  const bold = await doc.embedFont(BOLD, { subset: true });
  const list = Array.from({ length: pages }, () => doc.addPage([A3_LANDSCAPE_TEMPLATE.page.width, A3_LANDSCAPE_TEMPLATE.page.height]));
  for (const op of ops) {
    const page = list[op.page]!;
    if (op.kind === 'text') page.drawText(op.text, { x: op.x, y: op.y, size: op.size, font: op.bold ? bold : regular, color: rgb(...op.color) });
    else if (op.kind === 'rect') {
      page.drawRectangle({
        x: op.x,
        y: op.y,
        width: op.w,
        height: op.h,
        borderWidth: op.stroke ? op.width : 0,
        ...(op.fill ? { color: rgb(...op.fill) } : {}),
        ...(op.stroke ? { borderColor: rgb(...op.stroke) } : {}),
      });
    } else page.drawLine({ start: { x: op.x1, y: op.y1 }, end: { x: op.x2, y: op.y2 }, thickness: op.width, color: rgb(...op.color) });
  }
  return doc.save();
}

// ---- (a) pdfme: a template with one schema per text run, rectangle and rule ------------------
const MM = 25.4 / 72;
const hex = (c: readonly number[]): string =>
  `#${c
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

function pdfmeTemplate(ops: readonly Op[], pages: number): { template: unknown; inputs: Record<string, string>[] } {
  const H = A3_LANDSCAPE_TEMPLATE.page.height;
  const schemas: Record<string, unknown>[][] = Array.from({ length: pages }, () => []);
  const input: Record<string, string> = {};
  const faces = { regularFace: regularFace(), boldFace: boldFace() };
  const measureWriter = new ContentWriter(faces);
  ops.forEach((op, i) => {
    const name = `f${i}`;
    if (op.kind === 'text') {
      const width = measureWriter.width(op.text, { size: op.size, bold: op.bold }) + 2;
      schemas[op.page]!.push({
        name,
        type: 'text',
        position: { x: op.x * MM, y: (H - op.y - op.size * 0.905) * MM },
        width: width * MM,
        height: op.size * 1.2 * MM,
        fontSize: op.size,
        fontName: op.bold ? 'S3404B' : 'S3404',
        fontColor: hex(op.color),
        lineHeight: 1,
        characterSpacing: 0,
      });
      input[name] = op.text;
    } else if (op.kind === 'rect') {
      schemas[op.page]!.push({
        name,
        type: 'rectangle',
        position: { x: op.x * MM, y: (H - op.y - op.h) * MM },
        width: op.w * MM,
        height: op.h * MM,
        borderWidth: op.stroke ? op.width * MM : 0,
        borderColor: op.stroke ? hex(op.stroke) : '',
        color: op.fill ? hex(op.fill) : '',
        readOnly: true,
      });
    } else {
      const vertical = op.x1 === op.x2;
      schemas[op.page]!.push({
        name,
        type: 'rectangle',
        position: { x: Math.min(op.x1, op.x2) * MM, y: (H - Math.max(op.y1, op.y2)) * MM },
        width: (vertical ? op.width : Math.abs(op.x2 - op.x1)) * MM,
        height: (vertical ? Math.abs(op.y2 - op.y1) : op.width) * MM,
        borderWidth: 0,
        borderColor: '',
        color: hex(op.color),
        readOnly: true,
      });
    }
  });
  return {
    template: { basePdf: { width: A3_LANDSCAPE_TEMPLATE.page.width * MM, height: H * MM, padding: [0, 0, 0, 0] }, schemas },
    inputs: [input],
  };
}

// ---- run ---------------------------------------------------------------------------------------
const bordereau = twoPageBordereau();
const ssr = JSON.parse(readFileSync(new URL('examples/data/ssr-long-sejour.json', ROOT), 'utf8')) as Bordereau;
const fillableOnly = process.env['S3404_BENCH_FILLABLE_ONLY'] === '1';
console.log(`\n${await machine()}`);
const { loadavg } = await import('node:os');
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

if (!fillableOnly) await flatComparison();
await fillableComparison();

async function flatComparison(): Promise<void> {
  const first = await renderBordereauPdf(bordereau, { now: () => NOW });
  if (first.pageCount !== 2) throw new Error(`expected a 2-page bordereau, got ${first.pageCount}`);
  const ops = operations(bordereau);
  const { template, inputs } = pdfmeTemplate(ops, 2);
  const font = { S3404: { data: REGULAR, fallback: true }, S3404B: { data: BOLD } };
  const pdfmeRun = (): Promise<Uint8Array> =>
    generate({
      template: template as never,
      inputs,
      plugins: { text: pdfmeText, rectangle: pdfmeRectangle, line: pdfmeLine } as never,
      options: { font } as never,
    });

  // Keep one output of each for inspection.
  writeFileSync('/tmp/bench-s3404.pdf', first.bytes);
  writeFileSync('/tmp/bench-pdf-lib.pdf', await renderWithPdfLib(ops, 2));
  writeFileSync('/tmp/bench-pdfme.pdf', await pdfmeRun());

  console.log(
    `2-page A3 bordereau: ${ops.filter((o) => o.kind === 'text').length} text runs, ${ops.length - ops.filter((o) => o.kind === 'text').length} rectangles and rules\n`,
  );
  const results = [
    await measure('s3404 renderBordereauPdf (validate + hash + layout + PDF/A)', () => renderBordereauPdf(bordereau, { now: () => NOW }), {
      warmup: 20,
      iterations: 200,
    }),
    await measure('straightforward pdf-lib 1.17.1 (same drawing, subset fonts)', () => renderWithPdfLib(ops, 2), { warmup: 5, iterations: 40 }),
    await measure(`pdfme generator ${'6.1'} (same content from a template)`, pdfmeRun, { warmup: 3, iterations: 20 }),
  ];
  report('Render a 2-page bordereau (FORM-4)', results, results[0]!.name);
  const extra = [await measure('s3404 validateBordereau (2-page bordereau)', () => validateBordereau(bordereau), { warmup: 20, iterations: 500 })];
  report('Other operations (no peer)', [results[0]!, ...extra], results[0]!.name);
  const median = results[0]!.median;
  const pdfme = results[2]!.median;
  console.log(
    `Goal: median ≤ 15 ms → ${median.toFixed(2)} ms ${median <= 15 ? 'MET' : 'MISSED'}; ≥ 3× faster than pdfme → ${(pdfme / median).toFixed(1)}× ${pdfme / median >= 3 ? 'MET' : 'MISSED'}`,
  );
}

async function fillableComparison(): Promise<void> {
  // Terminal fields of the form, as a reader lists them (a leaf printed empty has its field too).
  const fields = async (pdf: Uint8Array): Promise<number> => (await PDFDocument.load(pdf)).getForm().getFields().length;
  const cases = [
    { label: '2-page bordereau', b: bordereau, goal: 10 },
    { label: '3-page SSR example', b: ssr, goal: 100 },
  ];
  for (const { label, b, goal } of cases) {
    const ours = await renderBordereauPdf(b, { now: () => NOW, mode: 'fillable' });
    const theirs = await renderFillableWithPdfLibForms(b, { now: () => NOW });
    writeFileSync(`/tmp/bench-fillable-${ours.pageCount}p-s3404.pdf`, ours.bytes);
    writeFileSync(`/tmp/bench-fillable-${ours.pageCount}p-pdf-lib-forms.pdf`, theirs);
    console.log(
      `\n${label}: ${ours.pageCount} pages, ${await fields(ours.bytes)} fields; ${(ours.bytes.length / 1024).toFixed(0)} KiB (pdf-lib forms: ${(theirs.length / 1024).toFixed(0)} KiB)\n`,
    );
    const small = goal <= 10;
    const results = [
      await measure(`s3404 renderBordereauPdf, mode 'fillable' (fields written directly)`, () => renderBordereauPdf(b, { now: () => NOW, mode: 'fillable' }), {
        warmup: small ? 20 : 5,
        iterations: small ? 200 : 40,
      }),
      await measure('former fillable rendering (pdf-lib form objects, before issue 19)', () => renderFillableWithPdfLibForms(b, { now: () => NOW }), {
        warmup: 2,
        iterations: small ? 20 : 8,
      }),
      await measure(`s3404 renderBordereauPdf, mode 'flat' (same bordereau)`, () => renderBordereauPdf(b, { now: () => NOW }), {
        warmup: 10,
        iterations: small ? 200 : 40,
      }),
    ];
    report(`Render a fillable AcroForm: ${label} (FORM-5)`, results, results[0]!.name);
    const median = results[0]!.median;
    console.log(
      `Goal: median ≤ ${goal} ms → ${median.toFixed(2)} ms ${median <= goal ? 'MET' : 'MISSED'}; ${(results[1]!.median / median).toFixed(1)}× faster than before`,
    );
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
