import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@s3404/tooling/test-kit';
import { PDFDocument, rgb, StandardFonts } from '@cantoo/pdf-lib';
import { PNG } from 'pngjs';
import type { Bordereau } from '@s3404/form';
import type { FieldMap } from '@s3404/form/pdf';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const EXAMPLES_DIR = join(ROOT, 'examples/data');
export const VECTORS_DIR = join(ROOT, 'test-vectors');
/** A fixed clock: the same bytes every run. */
export const NOW = new Date('2026-03-20T10:00:00Z');
/** The same instant as a clock, for `now` options. */
export const CLOCK = (): Date => NOW;

/** Every example bordereau, by file name (without .json). */
/** Typed as `Bordereau` for the API; tests that break them on purpose mutate copies. */
export function examples(): { name: string; data: Bordereau }[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), data: JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')) as Bordereau }));
}

export function example(name: string): Bordereau {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, `${name}.json`), 'utf8')) as Bordereau;
}

/** A deep copy to mutate in a test. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Runs `fn` with a temporary directory, removed afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 's3404-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a PDF and runs a poppler/qpdf tool on it; returns stdout. */
export function tool(cmd: string, args: string[], pdf: Uint8Array): { status: number; stdout: string; stderr: string } {
  return withTempDir((dir) => {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync(
      cmd,
      args.map((a) => (a === '$PDF' ? file : a)),
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  });
}

/** `qpdf --check`: status 0 when the PDF is structurally sound. */
export function qpdfCheck(pdf: Uint8Array): { ok: boolean; output: string } {
  const r = tool('qpdf', ['--check', '$PDF'], pdf);
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** What a person reads: pdftotext, per page (form feed separated). */
export function pdfText(pdf: Uint8Array, layout = false): string[] {
  const r = tool('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', '$PDF', '-'], pdf);
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout.split('\f').slice(0, -1);
}

/** pdfinfo key/values. */
export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const r = tool('pdfinfo', ['-isodates', '$PDF'], pdf);
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

/** Renders the pages to greyscale PNGs with pdftoppm and decodes them. */
export function rasterize(pdf: Uint8Array, dpi: number): PNG[] {
  return withTempDir((dir) => {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', file, join(dir, 'p')]);
    return readdirSync(dir)
      .filter((f) => f.startsWith('p') && f.endsWith('.png'))
      .sort()
      .map((f) => PNG.sync.read(readFileSync(join(dir, f))));
  });
}

/** A synthetic handwritten-like signature PNG (blue sine stroke, transparent background). */
export function signaturePng(width = 300, height = 100, seed = 1): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(0);
  for (let x = 8; x < width - 8; x++) {
    const y = Math.round(height / 2 + (height / 3.2) * Math.sin((x * seed) / 17) * Math.cos(x / 53));
    for (let d = -2; d <= 2; d++) {
      const yy = Math.min(height - 1, Math.max(0, y + d));
      const i = (yy * width + x) * 4;
      png.data[i] = 12;
      png.data[i + 1] = 24;
      png.data[i + 2] = 110;
      png.data[i + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** Recomputes the per-table totals, the grand total and puts the difference on the AMO part. */
export function recomputeTotals(b: Record<string, any>): Record<string, any> {
  const sum = (lines: { amount: number }[]): number => lines.reduce((s, l) => s + l.amount, 0);
  const t = b.totals;
  t.services = sum(b.services);
  t.fees = sum(b.fees);
  t.lpp = sum(b.lpp);
  t.drugs = sum(b.drugs);
  t.total = t.services + t.fees + t.lpp + t.drugs;
  t.amo = t.total - t.amc - t.patient;
  return b;
}

/**
 * A bordereau with `count` fee lines whose practitioner names wrap on two
 * lines, each carrying two markers (N0001A on the first line, N0001B on the
 * second): if a line were cut across pages, its markers would be apart.
 */
export function longBordereau(count: number): Bordereau {
  const b = clone(example('mco-chirurgie-pth')) as Record<string, any>;
  const model = b.fees[1];
  b.fees = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { ...clone(model), practitioner: { ...model.practitioner, name: `N${n}A Praticienne remplaçante associée N${n}B` } };
  });
  return recomputeTotals(b) as Bordereau;
}

/**
 * A stand-in for the official CERFA: an A3 landscape page with printed boxes
 * and a few AcroForm fields (text and a check box), built by the test since
 * the real form is supplied by each vendor.
 */
export async function standInCerfa(pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const form = doc.getForm();
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([1190.55, 841.89]);
    page.drawText(`FORMULAIRE DE DÉMONSTRATION — page ${p + 1}`, { x: 30, y: 800, size: 14, font });
    page.drawRectangle({ x: 30, y: 700, width: 500, height: 80, borderColor: rgb(0, 0, 0), borderWidth: 1 });
    if (p === 0) {
      const names: [string, number, number][] = [
        ['NOM_ASSURE', 40, 750],
        ['PRENOM_ASSURE', 250, 750],
        ['NIR', 40, 715],
        ['FINESS', 600, 750],
      ];
      for (const [name, x, y] of names) form.createTextField(name).addToPage(page, { x, y, width: 180, height: 18, font });
      form.createCheckBox('AT_MP').addToPage(page, { x: 600, y: 715, width: 12, height: 12 });
      form.createTextField('TOTAL').addToPage(page, { x: 1000, y: 80, width: 150, height: 18, font });
    }
  }
  return doc.save();
}

/** The field map of {@link standInCerfa}. */
export const STAND_IN_FIELD_MAP: FieldMap = {
  kind: 's3404-field-map',
  version: '1.0',
  form: { name: 'Stand-in CERFA (test)', cerfa: null, edition: null },
  size: 8,
  fields: [
    { path: 'insured.lastName', acroField: 'NOM_ASSURE' },
    { path: 'insured.firstName', acroField: 'PRENOM_ASSURE' },
    { path: 'insured.nir', acroField: 'NIR' },
    { path: 'establishment.finess', acroField: 'FINESS' },
    { path: 'coverage.accident', acroField: 'AT_MP' },
    { path: 'totals.total', acroField: 'TOTAL' },
    { path: 'establishment.name', page: 0, x: 600, y: 780, width: 300 },
    { path: 'stay.entry.date', page: 0, x: 40, y: 680, width: 80 },
    { path: 'insured.nirKey', page: 0, x: 225, y: 720, width: 20 },
  ],
  tables: {
    fees: {
      page: 0,
      firstBaseline: 600,
      rowHeight: 24,
      rows: 8,
      columns: [
        { column: 'date', x: 40, width: 60 },
        { column: 'practitioner', x: 110, width: 160 },
        { column: 'act', x: 280, width: 70 },
        { column: 'amount', x: 360, width: 70 },
      ],
      signature: { x: 450, width: 150 },
    },
  },
  slots: [
    { slot: 'insured', page: 0, x: 40, y: 120, width: 250, height: 70 },
    { slot: 'director', page: 0, x: 320, y: 120, width: 250, height: 70 },
  ],
};

/**
 * Mean darkness (0 white … 255 black) of a rectangle given in PDF points (origin bottom-left) on a
 * page rasterised at `dpi` by {@link rasterize}, `inset` pixels in from each side.
 */
export function darkness(page: PNG, rect: { x: number; y: number; width: number; height: number }, pageHeight: number, dpi: number, inset = 2): number {
  const k = dpi / 72;
  const x0 = Math.ceil(rect.x * k) + inset;
  const x1 = Math.floor((rect.x + rect.width) * k) - inset;
  const y0 = Math.ceil((pageHeight - rect.y - rect.height) * k) + inset;
  const y1 = Math.floor((pageHeight - rect.y) * k) - inset;
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(page.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(page.width, x1); x++) {
      sum += 255 - page.data[(y * page.width + x) * 4]!;
      n++;
    }
  }
  if (n === 0) throw new Error('darkness: empty rectangle');
  return sum / n;
}

export { prng };
