/**
 * `pnpm bench` for the PAdES seal (SIG-3, issue 16): a PAdES B-B seal of the
 * same 2-page S3404, in the same run,
 *  (a) by `createPdfSealer(...).seal` (incremental update, detached CMS with
 *      signing-certificate-v2),
 *  (b) by @signpdf (its pdf-lib placeholder, then its P12 signer on
 *      node-forge, ETSI.CAdES.detached sub-filter),
 *  (c) by @libpdf/core (`PDF.load`, `P12Signer`, `pdf.sign`),
 * all three with the same RSA-2048 key (node-forge signs RSA only), plus our
 * seal with the SDK's default ECDSA P-256 key, and `verifyPdfSeal` of our
 * output. Goals: (a) ≥ 3× faster than (b) and (c); verify ≤ 5 ms.
 *
 * Run: pnpm --filter @s3404/seal exec tsx bench/pades.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDF, P12Signer as LibPdfP12Signer } from '@libpdf/core';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument } from 'pdf-lib';
import { machine, measure, report } from '@s3404/tooling/bench';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { createDevelopmentPki } from '../src/pki/index.js';
import { createPdfSealer, verifyPdfSeal } from '../src/pades/index.js';

const ROOT = new URL('../../../', import.meta.url);
const NOW = new Date('2026-03-20T10:00:00Z');

function twoPageBordereau(): Record<string, any> {
  const b = JSON.parse(readFileSync(new URL('examples/data/mco-chirurgie-pth.json', ROOT), 'utf8')) as Record<string, any>;
  const model = b.fees[1];
  b.fees = Array.from({ length: 22 }, (_, i) => ({ ...structuredClone(model), practitioner: { ...model.practitioner, name: `Dr Praticien n° ${i + 1}` } }));
  const sum = (l: { amount: number }[]): number => l.reduce((s, x) => s + x.amount, 0);
  b.totals.fees = sum(b.fees);
  b.totals.total = b.totals.services + b.totals.fees + b.totals.lpp + b.totals.drugs;
  b.totals.amo = b.totals.total - b.totals.amc - b.totals.patient;
  return b;
}

const pdf = (await renderBordereauPdf(twoPageBordereau() as never, { now: () => NOW })).bytes;
const rsa = await createDevelopmentPki({ algorithm: 'rsa-2048' });
const ec = await createDevelopmentPki();
const dir = mkdtempSync(join(tmpdir(), 's3404-pades-bench-'));
for (const [name, text] of Object.entries(rsa.files)) writeFileSync(join(dir, name), text);
execFileSync(
  'openssl',
  ['pkcs12', '-export', '-inkey', 'seal-key.pem', '-in', 'seal-cert.pem', '-certfile', 'ca.pem', '-passout', 'pass:bench', '-out', 'seal.p12'],
  { cwd: dir },
);
const p12 = readFileSync(join(dir, 'seal.p12'));
rmSync(dir, { recursive: true, force: true });

const ours = await createPdfSealer({ key: rsa.seal.privateKey, certificate: rsa.seal.certificate });
const oursEc = await createPdfSealer({ key: ec.seal.privateKey, certificate: ec.seal.certificate });
const libpdfSigner = await LibPdfP12Signer.create(p12, 'bench');

async function withSignpdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf);
  pdflibAddPlaceholder({ pdfDoc: doc, reason: 'Scellement', contactInfo: '', name: 'Cachet', location: '', subFilter: SUBFILTER_ETSI_CADES_DETACHED });
  const placeholder = await doc.save({ useObjectStreams: false });
  // Its P12 signer consumes its buffer: one per signature (it parses the PKCS#12 in sign() either way).
  return new SignPdf().sign(Buffer.from(placeholder), new P12Signer(Buffer.from(p12), { passphrase: 'bench' }));
}
async function withLibpdf(): Promise<Uint8Array> {
  const doc = await PDF.load(pdf);
  return (await doc.sign({ signer: libpdfSigner })).bytes;
}

const sealed = (await ours.seal(pdf)).pdf;
const sealedEc = (await oursEc.seal(pdf)).pdf;
console.log(
  `${await machine()}\n2-page S3404 (${pdf.length} bytes); outputs: ours ${sealed.length} B, @signpdf ${(await withSignpdf()).length} B, @libpdf/core ${(await withLibpdf()).length} B\n`,
);
const results = [
  await measure('s3404 createPdfSealer().seal, RSA-2048', () => ours.seal(pdf), { warmup: 5, iterations: 60 }),
  await measure('s3404 seal, ECDSA P-256 (SDK default)', () => oursEc.seal(pdf), { warmup: 5, iterations: 60 }),
  await measure('@signpdf (pdf-lib placeholder + P12 signer), RSA-2048', withSignpdf, { warmup: 3, iterations: 30 }),
  await measure('@libpdf/core PDF.load + sign, RSA-2048', withLibpdf, { warmup: 3, iterations: 30 }),
];
report('PAdES B-B seal of a 2-page S3404', results, 's3404 createPdfSealer().seal, RSA-2048');
const verify = [
  await measure('verifyPdfSeal, RSA-2048', () => verifyPdfSeal(sealed, { trustAnchors: [rsa.ca.certificate] }), { warmup: 10, iterations: 100 }),
  await measure('verifyPdfSeal, ECDSA P-256', () => verifyPdfSeal(sealedEc, { trustAnchors: [ec.ca.certificate] }), { warmup: 10, iterations: 100 }),
];
report('PAdES verification (goal ≤ 5 ms)', verify, 'verifyPdfSeal, RSA-2048');
