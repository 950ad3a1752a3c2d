/**
 * Hostile and damaged PDFs through the PJ check (SCOR-1, X-2): at least
 * 5,000 mutations of real PDFs (the SDK's own S3404, scans wrapped by
 * img2pdf, files rewritten by qpdf and Ghostscript) — truncated, bit-
 * flipped, with a broken cross-reference table, wrong stream lengths,
 * page-tree loops, huge dimensions, deep nesting, decompression bombs,
 * /Prev loops — plus a few crafted worst cases. Each check must return a
 * report with coded issues (never throw), within a time bound.
 */
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { checkPj, PjReport } from '@s3404/scor';
import { prng } from '@s3404/tooling/test-kit';
import { boundedCheck } from './fixtures/bounded-check.js';
import { concat, scanPdf } from './fixtures/pdf-writer.js';
import { example, s3404Pdf } from './fixtures/s3404.js';
import { img2pdfScan, transform } from './fixtures/tools.js';

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
let slowest = { ms: 0, what: '' };
const tally = new Map<string, number>();

function check(pdf: Uint8Array, what: string, options: Parameters<typeof checkPj>[1] = {}): PjReport {
  const { report, ms } = boundedCheck(pdf, what, options);
  if (ms > slowest.ms) slowest = { ms, what };
  for (const i of report.issues) tally.set(i.code, (tally.get(i.code) ?? 0) + 1);
  if (report.ok) tally.set('(acceptable)', (tally.get('(acceptable)') ?? 0) + 1);
  return report;
}

async function corpus(): Promise<{ name: string; pdf: Uint8Array }[]> {
  const scan = scanPdf([{ dpi: 200 }, { dpi: 150, via: 'form', colour: 'rgb' }, { dpi: 200, via: 'inline', stamp: true }]);
  const small = scanPdf([{ dpi: 40 }, { dpi: 40, colour: 'indexed-grey' }, { vector: true }], { compress: false });
  const s3404 = await s3404Pdf(example('mco-chirurgie-pth'), { page: 'a4' });
  const a3 = await s3404Pdf(example('maternite-accouchement'), { page: 'a3', sign: false });
  return [
    { name: 'scan', pdf: scan },
    { name: 'small-uncompressed', pdf: small },
    { name: 's3404-a4-signed', pdf: s3404 },
    { name: 's3404-a3', pdf: a3 },
    { name: 'img2pdf-jpeg', pdf: img2pdfScan(small, { dpi: 60, gray: true, jpeg: true }) },
    { name: 'qpdf-object-streams', pdf: transform(s3404, 'qpdf', (i, o) => ['--object-streams=generate', i, o]) },
    { name: 'qpdf-qdf', pdf: transform(small, 'qpdf', (i, o) => ['--qdf', '--object-streams=disable', i, o]) },
    { name: 'qpdf-linearized', pdf: transform(scan, 'qpdf', (i, o) => ['--linearize', '--object-streams=generate', i, o]) },
    { name: 'ghostscript', pdf: transform(small, 'gs', (i, o) => ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', `-sOutputFile=${o}`, i]) },
  ];
}

type Mutation = (pdf: Uint8Array, r: () => number) => Uint8Array;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: () => number, n: number): number => Math.floor(r() * n);

/** Positions of a token in the file (structure-aware mutations aim there). */
function positions(pdf: Uint8Array, token: string): number[] {
  const text = latin1(pdf);
  const out: number[] = [];
  for (let i = text.indexOf(token); i >= 0 && out.length < 2000; i = text.indexOf(token, i + 1)) out.push(i);
  return out;
}

function replaceAt(pdf: Uint8Array, at: number, length: number, insert: string | Uint8Array): Uint8Array {
  const ins = typeof insert === 'string' ? bytes(insert) : insert;
  return concat([pdf.subarray(0, at), ins, pdf.subarray(Math.min(pdf.length, at + length))]);
}

/** Replaces the number following `key` at one of its occurrences. */
function renumber(key: string, values: readonly string[]): Mutation {
  return (pdf, r) => {
    const at = positions(pdf, key);
    if (at.length === 0) return pdf;
    const p = pick(r, at) + key.length;
    let q = p;
    while (q < pdf.length && (pdf[q] === 0x20 || (pdf[q]! >= 0x30 && pdf[q]! <= 0x39) || pdf[q] === 0x2e || pdf[q] === 0x2d)) q++;
    return replaceAt(pdf, p, q - p, ` ${pick(r, values)} `);
  };
}

const MUTATIONS: Record<string, Mutation> = {
  truncate: (pdf, r) => pdf.subarray(0, int(r, pdf.length)),
  'truncate-tail': (pdf, r) => pdf.subarray(0, pdf.length - 1 - int(r, Math.min(pdf.length - 1, 4096))),
  'flip-bits': (pdf, r) => {
    const out = pdf.slice();
    for (let k = 1 + int(r, 16); k > 0; k--) out[int(r, out.length)]! ^= 1 << int(r, 8);
    return out;
  },
  'random-bytes': (pdf, r) => {
    const out = pdf.slice();
    const at = int(r, out.length);
    for (let k = 0; k < 1 + int(r, 64) && at + k < out.length; k++) out[at + k] = int(r, 256);
    return out;
  },
  'delete-range': (pdf, r) => {
    const at = int(r, pdf.length);
    return replaceAt(pdf, at, 1 + int(r, 512), '');
  },
  'insert-garbage': (pdf, r) =>
    replaceAt(
      pdf,
      int(r, pdf.length),
      0,
      Uint8Array.from({ length: 1 + int(r, 300) }, () => int(r, 256)),
    ),
  'structural-edit': (pdf, r) => {
    const token = pick(r, [
      'obj',
      'endobj',
      'stream',
      'endstream',
      'xref',
      'trailer',
      'startxref',
      '<<',
      '>>',
      '[',
      ']',
      ' R',
      '/Kids',
      '/Pages',
      '/Type',
      '/Length',
    ]);
    const at = positions(pdf, token);
    if (at.length === 0) return pdf;
    const p = pick(r, at);
    return pick(r, [
      () => replaceAt(pdf, p, token.length, ''),
      () => replaceAt(pdf, p, 0, token),
      () => replaceAt(pdf, p, token.length, pick(r, ['<<', '>>', '[', '(', '%', ' 0 R', 'endobj', '9999999999'])),
    ])();
  },
  'xref-offsets': (pdf, r) => {
    const at = positions(pdf, ' 00000 n');
    if (at.length === 0) return pdf;
    const out = pdf.slice();
    for (let k = 0; k < 1 + int(r, 5); k++) {
      const p = pick(r, at) - 10;
      if (p >= 0) out.set(bytes(String(int(r, 10_000_000_000)).padStart(10, '0').slice(0, 10)), p);
    }
    return out;
  },
  startxref: renumber('startxref', ['0', '1', '-1', '99999999999', '12', '1e9', '']),
  'no-xref': (pdf) => {
    const at = latin1(pdf).lastIndexOf('xref\n0 ');
    return at < 0 ? pdf : replaceAt(pdf, at, 4, 'xxxx');
  },
  'wrong-length': renumber('/Length', ['0', '1', '-5', '99999999', '2147483648', '5 0 R', '3.5', '1 0 R']),
  'prev-loop': (pdf) => {
    const t = latin1(pdf);
    const sx = t.lastIndexOf('startxref');
    const off = Number(/startxref\s+(\d+)/.exec(t.slice(sx))?.[1] ?? 0);
    const tr = t.lastIndexOf('trailer');
    if (tr < 0) return pdf;
    const dict = t.indexOf('<<', tr);
    return replaceAt(pdf, dict + 2, 0, ` /Prev ${off} `);
  },
  'page-tree-loop': (pdf, r) => {
    // Point a /Kids array (or a /Parent) at a node of the tree itself.
    const t = latin1(pdf);
    const pages = [...t.matchAll(/(\d+) 0 obj\b([\s\S]*?)endobj/g)].filter((m) => /\/Type\s*\/Pages\b/.test(m[2]!)).map((m) => m[1]!);
    const kids = positions(pdf, '/Kids');
    if (pages.length === 0 || kids.length === 0) return pdf;
    const p = pick(r, kids);
    const open = t.indexOf('[', p);
    return replaceAt(pdf, open + 1, 0, `${pick(r, pages)} 0 R `);
  },
  'huge-dimensions': (pdf, r) => {
    const key = pick(r, ['/MediaBox', '/CropBox', '/Width', '/Height', '/W ', '/H ', '/UserUnit', '/BitsPerComponent', '/Count', '/N ', '/First']);
    const value = pick(r, [
      '1e308',
      '99999999999999999999999',
      '-99999999',
      '0',
      '2147483647',
      '4294967296',
      '1.7976931348623157e308',
      '[0 0 1e30 1e30]',
      '[0 0 -5 -5]',
      '[]',
      '[0 0 595 842 1 2]',
      'null',
      '(x)',
    ]);
    if (key === '/MediaBox' || key === '/CropBox') {
      const at = positions(pdf, key);
      if (at.length === 0) return pdf;
      const p = pick(r, at) + key.length;
      const end = latin1(pdf).indexOf(']', p);
      return end < 0 ? pdf : replaceAt(pdf, p, end + 1 - p, ` ${value.startsWith('[') ? value : `[0 0 ${value} ${value}]`}`);
    }
    return renumber(key, [value])(pdf, r);
  },
  'deep-nesting': (pdf, r) => {
    const at = positions(pdf, '<<');
    if (at.length === 0) return pdf;
    const depth = 1000 + int(r, 50_000);
    const open = pick(r, ['[', '<<', '<< /A ', '[<< /A ']);
    return replaceAt(pdf, pick(r, at) + 2, 0, ` /Deep ${open.repeat(depth)} `);
  },
  splice: (pdf, r) => {
    const a = int(r, pdf.length);
    const b = int(r, pdf.length);
    return concat([pdf.subarray(0, Math.max(a, b)), pdf.subarray(Math.min(a, b))]);
  },
};

describe('checkPj on damaged and hostile PDFs (SCOR-1, X-2)', () => {
  it('survives ≥ 5,000 mutations of real PDFs: coded issues, no crash, no hang', async () => {
    const bases = await corpus();
    for (const { name, pdf } of bases)
      expect(
        check(pdf, name).ok ||
          name.includes('small') ||
          name === 'scan' ||
          name.includes('linearized') ||
          name.includes('ghostscript') ||
          name.includes('img2pdf') ||
          name.includes('qdf'),
        name,
      ).toBe(true);
    const r = prng(20261201);
    const names = Object.keys(MUTATIONS);
    let count = 0;
    let damagedFound = 0;
    let peakHeap = 0;
    const start = performance.now();
    for (let i = 0; i < 5200; i++) {
      const base = bases[i % bases.length]!;
      const kind = names[(i * 7 + Math.floor(i / bases.length)) % names.length]!;
      let mutated = MUTATIONS[kind]!(base.pdf, r);
      if (r() < 0.15) mutated = MUTATIONS[pick(r, names)]!(mutated, r); // a second mutation on top
      const report = check(mutated, `${base.name}/${kind}#${i}`);
      if (!report.ok || report.issues.length > 0) damagedFound++;
      count++;
      if (i % 100 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `PJ fuzz: ${count} mutants in ${seconds.toFixed(1)} s, slowest ${slowest.ms.toFixed(0)} ms (${slowest.what}), ${damagedFound} with issues, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(peakHeap).toBeLessThan(1024 * 2 ** 20); // bounded memory: nothing accumulates across checks
    console.log(
      [...tally]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ${n}`)
        .join(', '),
    );
    expect(count).toBeGreaterThanOrEqual(5000);
    expect(damagedFound).toBeGreaterThan(2500);
    for (const code of [
      'ERR_PJ_UNREADABLE',
      'ERR_PJ_XREF_REPAIRED',
      'ERR_PJ_LENGTH_REPAIRED',
      'ERR_PJ_PAGE_TREE_LOOP',
      'ERR_PJ_PAGE_BOX_INVALID',
      'ERR_PJ_TOO_COMPLEX',
    ])
      expect(tally.get(code) ?? 0, code).toBeGreaterThan(0);
  }, 600_000);

  it('stops a decompression bomb at its limit', () => {
    const bomb = zlibSync(new Uint8Array(100 * 1024 * 1024), { level: 9 }); // 100 MB of zeros in ~100 KB
    const pdf = bytes(latin1(scanPdf([{ vector: true }], { compress: false })).replace(/\/Contents (\d+) 0 R/, '/Contents 999 0 R'));
    const withBomb = concat([
      pdf.subarray(0, pdf.length),
      bytes(`999 0 obj\n<< /Length ${bomb.length} /Filter /FlateDecode >>\nstream\n`),
      bomb,
      bytes('\nendstream\nendobj\n'),
    ]);
    const before = process.memoryUsage();
    const r = check(withBomb, 'bomb');
    const after = process.memoryUsage();
    expect(r.issues.map((i) => i.code)).toContain('ERR_PJ_TOO_COMPLEX');
    // the decoder stops at the 64 MiB stream limit: it never holds the 100 MB
    expect(after.rss - before.rss).toBeLessThan(128 * 2 ** 20);
    expect(r.ok).toBe(false);
  });

  it('refuses a page tree that contains itself, and one a million levels deep, quickly', () => {
    const base = latin1(scanPdf([{ vector: true }, { vector: true }], { compress: false }));
    const loop = bytes(base.replace(/\/Kids \[(\d+) 0 R/, '/Kids [2 0 R $1 0 R'));
    expect(check(loop, 'loop').issues.map((i) => i.code)).toContain('ERR_PJ_PAGE_TREE_LOOP');
    const deep = bytes(base.replace('/Type /Catalog', `/Type /Catalog /X ${'['.repeat(1_000_000)}`));
    expect(check(deep, 'deep').ok).toBe(false);
  });

  it('bounds a file of a million tiny objects and a million-entry /Prev chain', () => {
    const objs = Array.from({ length: 600_000 }, (_, i) => `${i + 10} 0 obj null endobj`).join('\n');
    // after a broken startxref, so that the reader rebuilds its table by scanning them all
    const many = bytes(latin1(scanPdf([{ vector: true }], { compress: false })).replace(/startxref\s+\d+/, `startxref\n1\n${objs}\n`));
    expect(check(many, 'many objects').issues.map((i) => i.code)).toEqual(['ERR_PJ_TOO_COMPLEX']);
    const chain = Array.from({ length: 20_000 }, (_, i) => `xref\n0 0\ntrailer << /Root 1 0 R /Prev ${i} >>\n`).join('');
    expect(check(bytes(`%PDF-1.7\n${chain}startxref\n9\n%%EOF`), 'prev chain').ok).toBe(false);
  });
});
