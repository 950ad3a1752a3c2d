/**
 * `pnpm --filter @s3404/scor bench` — the SCOR hot paths of issue #6, with
 * their peers measured in the same run:
 *
 *  1. pack a lot of 500 invoices, each a 2-page signed S3404 (A4, the AT/MP
 *     example, 7 signatures) and a 1-page 200-dpi scanned annex (A4 grey,
 *     ~400 KB like a JPEG scan): PJ checks of the 1,000 files, SHA-256,
 *     manifest, ZIP. Goal ≤ 2 s. Peers: the bare work any packer does
 *     (Web Crypto SHA-256 of every file + fflate zipSync of the same
 *     entries), and Info-ZIP `zip -0` on the same files on disk.
 *  1b. the same work in bounded memory (issue 19): pack and verify a lot of the
 *     500 signed S3404 alone (500 PJ, the demo's lot) read from disk, in memory
 *     (`packLot` + `writeLotFile` + `verifyLot`) and from files (`packLotFile`
 *     + `verifyLotFile`): time, and the peak growth of `arrayBuffers` (live, and
 *     garbage included).
 *  2. check a 10-page 200-dpi scan. Goal ≤ 50 ms. Peers: pdf-lib 1.17.1
 *     and @cantoo/pdf-lib loading the same file (parsing only, no check),
 *     and poppler's `pdfimages -list` (a process: includes its start-up).
 *
 * The 500 signed bordereaux take about a minute to render the first time;
 * they are kept in packages/scor/.tmp/bench/ for the next runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { zipSync } from 'fflate';
import { PDFDocument as PdfLib } from 'pdf-lib';
import { PDFDocument as Cantoo } from '@cantoo/pdf-lib';
import { createBordereauId } from '@s3404/form';
import { checkPj, packLot, verifyLot, type LotDescription } from '@s3404/scor';
import { packLotFile, verifyLotFile, writeLotFile } from '@s3404/scor/file';
import { machine, measure, report, type BenchResult } from '@s3404/tooling/bench';
import { prng } from '@s3404/tooling/test-kit';
import { scanPdf } from '../test/fixtures/pdf-writer.js';
import { CLINIC } from '../test/fixtures/lot.js';
import { example, s3404Pdf } from '../test/fixtures/s3404.js';

const INVOICES = 500;
const CACHE = join(import.meta.dirname, '..', '.tmp', 'bench', 'lot-500-v1');
const NOW = new Date('2026-03-23T08:00:00.000Z');

async function lotFiles(): Promise<{ description: LotDescription; dir: string; files: Map<string, Uint8Array> }> {
  if (!existsSync(join(CACHE, 'lot.json'))) {
    console.log(`rendering and signing ${INVOICES} bordereaux into ${CACHE} (once)…`);
    rmSync(CACHE, { recursive: true, force: true });
    mkdirSync(CACHE, { recursive: true });
    const r = prng(2026);
    const random = (b: Uint8Array): Uint8Array => b.map(() => Math.floor(r() * 256));
    const base = example('at-mp-accident-travail');
    const invoices = [];
    for (let i = 0; i < INVOICES; i++) {
      const b = { ...base, id: createBordereauId({ random }), invoiceNumber: String(260200000 + i), establishment: CLINIC };
      writeFileSync(join(CACHE, `${b.invoiceNumber}-s3404.pdf`), await s3404Pdf(b, { page: 'a4', now: NOW }));
      writeFileSync(join(CACHE, `${b.invoiceNumber}-annexe.pdf`), scanPdf([{ dpi: 200 }], { seed: i + 1, grain: 32 }));
      invoices.push({
        invoiceNumber: b.invoiceNumber,
        bordereauId: b.id,
        pj: [
          { file: `${b.invoiceNumber}-s3404.pdf`, kind: 's3404' as const },
          { file: `${b.invoiceNumber}-annexe.pdf`, kind: 'annex' as const, label: 'annexe' },
        ],
      });
    }
    writeFileSync(join(CACHE, 'lot.json'), JSON.stringify({ finess: CLINIC.finess, b2LotNumber: '042', invoices }));
  }
  const description = JSON.parse(readFileSync(join(CACHE, 'lot.json'), 'utf8')) as LotDescription;
  const files = new Map<string, Uint8Array>();
  for (const f of readdirSync(CACHE)) if (f.endsWith('.pdf')) files.set(f, new Uint8Array(readFileSync(join(CACHE, f))));
  return { description, dir: CACHE, files };
}

const sha256 = async (b: Uint8Array): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
const verdict = (ms: number, goal: number): string =>
  ms <= goal ? `**met** (${ms.toFixed(1)} ms ≤ ${goal} ms)` : `**not met** (${ms.toFixed(1)} ms > ${goal} ms)`;

console.log(`## @s3404/scor — ${await machine()}\n`);

// --- 1. pack 500 invoices
const { description, dir, files } = await lotFiles();
const totalBytes = [...files.values()].reduce((n, f) => n + f.length, 0);
const lot = await packLot(description, { files, now: () => NOW });
console.log(
  `lot: ${INVOICES} invoices, ${files.size} PJ, ${(totalBytes / 1e6).toFixed(1)} MB of PDF → container ${(lot.container.bytes.length / 1e6).toFixed(1)} MB\n`,
);
const packResults: BenchResult[] = [];
packResults.push(
  await measure('s3404 packLot (checks + SHA-256 + manifest + ZIP)', () => packLot(description, { files, now: () => NOW }), { warmup: 1, iterations: 7 }),
);
packResults.push(
  await measure(
    'bare: Web Crypto SHA-256 of each file + fflate zipSync',
    async () => {
      await Promise.all([...files.values()].map(sha256));
      const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
      for (const [name, bytes] of files) entries[`pj/${name}`] = [bytes, { level: 0 }];
      return zipSync(entries, { level: 0 });
    },
    { warmup: 1, iterations: 7 },
  ),
);
const zipOut = join(dir, '..', 'peer.zip');
const hasZip = spawnSync('zip', ['-v'], { stdio: 'ignore' }).error === undefined;
if (hasZip) {
  packResults.push(
    await measure(
      'Info-ZIP zip -0 (files on disk → zip on disk)',
      () => {
        rmSync(zipOut, { force: true });
        execFileSync('zip', ['-0', '-q', zipOut, ...[...files.keys()]], { cwd: dir });
      },
      { warmup: 1, iterations: 5 },
    ),
  );
}
report(`Pack a lot of ${INVOICES} invoices (${files.size} PDF, ${(totalBytes / 1e6).toFixed(0)} MB)`, packResults, packResults[0]!.name);
console.log(`Goal ≤ 2000 ms per lot: ${verdict(packResults[0]!.median, 2000)}\n`);

// --- 1b. bounded memory: the 500 S3404 alone, from disk
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const s3404Only: LotDescription = { ...description, invoices: description.invoices.map((inv) => ({ ...inv, pj: inv.pj.slice(0, 1) })) };
const s3404Bytes = s3404Only.invoices.reduce((n, inv) => n + files.get(inv.pj[0]!.file)!.length, 0);
/** Called on every file read: the live sampler hooks in here. */
let onRead = (): void => undefined;
const fromDisk = (name: string): Promise<Uint8Array> => {
  onRead();
  return readFile(join(dir, name));
};
const lotOut = join(dir, '..', 'lot-out');
const inMemory = async (): Promise<void> => {
  const packed = await packLot(s3404Only, { files: fromDisk, now: () => NOW });
  await writeLotFile(join(lotOut, packed.container.fileName), packed.container.bytes);
  if (!(await verifyLot(packed.container.bytes)).ok) throw new Error('the lot should verify');
};
const fromFiles = async (): Promise<void> => {
  const packed = await packLotFile(s3404Only, { files: fromDisk, dir: lotOut, now: () => NOW });
  if (!(await verifyLotFile(packed.container.path)).ok) throw new Error('the lot should verify');
};
/**
 * Peak growth of `arrayBuffers` over one run, from a full GC: with garbage (sampled every 2 ms, what the process
 * holds before V8 collects), and live only (a full GC before each sample: every 25th file read and every 200 ms).
 */
const peakOf = async (fn: () => Promise<void>): Promise<{ withGarbage: number; live: number }> => {
  const run = async (live: boolean): Promise<number> => {
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sample = (): void => {
      // Two GCs: the buffers one finds dead are freed on a background thread, which the next one waits for.
      if (live) {
        gc();
        gc();
      }
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    };
    let reads = 0;
    if (live) onRead = () => (++reads % 25 === 0 ? sample() : undefined);
    const timer = setInterval(sample, live ? 200 : 2);
    await fn();
    sample();
    clearInterval(timer);
    onRead = () => undefined;
    return peak;
  };
  return { withGarbage: await run(false), live: await run(true) };
};
const boundedResults: BenchResult[] = [
  await measure('in memory: packLot + writeLotFile + verifyLot', inMemory, { warmup: 1, iterations: 5 }),
  await measure('from files: packLotFile + verifyLotFile', fromFiles, { warmup: 1, iterations: 5 }),
];
report(
  `Pack and verify a lot of ${s3404Only.invoices.length} signed S3404 from disk (${(s3404Bytes / 1e6).toFixed(0)} MB)`,
  boundedResults,
  boundedResults[0]!.name,
);
const mb = (n: number): string => (n / 1e6).toFixed(1);
const peaks = [await peakOf(inMemory), await peakOf(fromFiles)];
console.log('| pack + verify, one run | peak arrayBuffers growth, live (MB) | peak arrayBuffers growth, garbage included (MB) |\n|---|---:|---:|');
for (const [i, r] of boundedResults.entries()) console.log(`| ${r.name} | ${mb(peaks[i]!.live)} | ${mb(peaks[i]!.withGarbage)} |`);
console.log('');
rmSync(lotOut, { recursive: true, force: true });

const one = files.get(`${description.invoices[0]!.invoiceNumber}-s3404.pdf`)!;
const annex = files.get(`${description.invoices[0]!.invoiceNumber}-annexe.pdf`)!;
const parts: BenchResult[] = [
  await measure('checkPj: one 2-page signed S3404', () => checkPj(one), { iterations: 300 }),
  await measure('checkPj: one 1-page 200 dpi annex', () => checkPj(annex), { iterations: 300 }),
];
report('Where a lot spends its time (per PJ)', parts, parts[0]!.name);

// --- 2. a 10-page scan
const scan10 = scanPdf(
  Array.from({ length: 10 }, () => ({ dpi: 200 })),
  { seed: 9, grain: 32 },
);
const check = checkPj(scan10);
if (!check.ok || check.pageCount !== 10) throw new Error('the 10-page fixture should be acceptable');
const tmpScan = join(dir, '..', 'scan10.pdf');
writeFileSync(tmpScan, scan10);
const scanResults: BenchResult[] = [
  await measure('s3404 checkPj (full SCOR-1 check)', () => checkPj(scan10), { iterations: 300 }),
  await measure('pdf-lib 1.17.1 PDFDocument.load + getPages (parse only)', async () => (await PdfLib.load(scan10, { updateMetadata: false })).getPages(), {
    iterations: 40,
  }),
  await measure('@cantoo/pdf-lib load + getPages (parse only)', async () => (await Cantoo.load(scan10, { updateMetadata: false })).getPages(), {
    iterations: 40,
  }),
  await measure('poppler pdfimages -list (a process)', () => execFileSync('pdfimages', ['-list', tmpScan], { stdio: 'pipe' }), { iterations: 40 }),
];
report(`Check a 10-page 200-dpi scan (${(scan10.length / 1e6).toFixed(1)} MB)`, scanResults, scanResults[0]!.name);
console.log(`Goal ≤ 50 ms per scan: ${verdict(scanResults[0]!.median, 50)}`);
rmSync(zipOut, { force: true });
rmSync(tmpScan, { force: true });
