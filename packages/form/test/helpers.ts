import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@s3404/tooling/test-kit';
import { PNG } from 'pngjs';
import type { Bordereau } from '@s3404/form';

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

export { prng };
