/**
 * Writes `test-vectors/scor/lots.json`, its fixtures and their manifest (SCOR-2, X-3): SCOR lots
 * packed by `packLot` of `@s3404/scor` from the signed S3404 and annexes of `examples/scor/` —
 * lots that pack and lots refused with their code — and packed containers checked back by
 * `verifyLot`, intact or tampered with (a PJ changed after packing, a file added to the ZIP).
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/scor-lots.ts
 *
 * Deterministic: fixed clock, no signer (the manifest is not signed), the SDK's stored ZIP.
 * packLot runs with `inspectS3404` as the CLI wires it (SIG-5): an S3404 with a revision after
 * its signatures that is neither a signature nor a seal is refused with ERR_LOT_S3404_MODIFIED.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '@s3404/core';
import { verifyBordereauPdf } from '@s3404/form/pdf';
import { describePdfRevisions } from '@s3404/seal/pdf';
import { safePackLot, sdkZipCodec, verifyLot, type LotCodec } from '@s3404/scor';
import { areaDir, REPO_ROOT, writeOwnFixtures, writeVectorFile, type FixtureOut } from './vectors-output.js';

const EXAMPLES = join(REPO_ROOT, 'examples/scor');
const NOW = '2026-03-23T08:00:00.000Z';
const now = fixedClock(new Date(NOW));

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'A well-formed lot of signed S3404 and their annexes, packed or verified.' },
  MISSING_PJ: { bugType: 'MALFORMED_INPUT', description: 'An invoice without PJ, a file missing, or the S3404 not first.' },
  BAD_PJ: { bugType: 'MALFORMED_INPUT', description: 'A PJ that fails the SCOR-1 checks (page smaller than A5, not a PDF).' },
  DUPLICATE: { bugType: 'REPLAY', description: 'The same invoice, bordereau or file twice in one lot.' },
  LIMIT: { bugType: 'POLICY', description: 'A lot over its configured size limit (maxLotBytes).' },
  WRONG_BINDING: { bugType: 'WRONG_BINDING', description: 'An S3404 presented for another bordereau or another establishment.' },
  TAMPERED: {
    bugType: 'MODIFIED_AFTER_SEAL',
    description: 'Changed after signing or packing: an S3404 with a later revision, a PJ whose SHA-256 no longer matches the manifest, a file added.',
  },
  DAMAGED: { bugType: 'DAMAGED', description: 'A container that is not a ZIP.' },
} as const;
type Flag = keyof typeof NOTES;

const read = (name: string) => new Uint8Array(readFileSync(join(EXAMPLES, name)));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const A = { invoiceNumber: '260004512', bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', s3404: '260004512-s3404.pdf', annex: '260004512-annexe-1.pdf' };
const B = { invoiceNumber: '260008841', bordereauId: 'XYG57-8ACR1-FJYGB-VFZ6A-7ZVSR-G', s3404: '260008841-s3404.pdf', annex: '260008841-annexe-1.pdf' };
const SOURCE: Record<string, Uint8Array> = {
  [A.s3404]: read(A.s3404),
  [A.annex]: read(A.annex),
  [B.s3404]: read(B.s3404),
  [B.annex]: read(B.annex),
  'annexe-a6.pdf': new Uint8Array(readFileSync(join(areaDir('scor'), 'fixtures/scor-SCOR-1-t07-fail-a6.pdf'))),
  'annexe-not-pdf.pdf': new TextEncoder().encode('Scan illisible, pas un PDF.\n'),
};
SOURCE['260004512-s3404-modified.pdf'] = paintedOver(SOURCE[A.s3404]!);

/**
 * The signed S3404 with one more incremental update after its signatures: a white rectangle
 * painted over the page (object 47 added to the page's /Contents) — what a later edit looks like.
 */
function paintedOver(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const start = text.lastIndexOf('\n5 0 obj') + 1;
  const body = text
    .slice(start, text.indexOf('endobj', start))
    .replace(/^5 0 obj\s*/, '')
    .trim()
    .replace(/\/Contents \[([^\]]*)\]/, (_m, c: string) => `/Contents [${c} 47 0 R]`);
  const stream = '1 1 1 rg 300 600 200 40 re f\n';
  const objects = [`47 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}endstream\nendobj\n`, `5 0 obj\n${body}\nendobj\n`];
  let out = text.endsWith('\n') ? '' : '\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(pdf.length + out.length);
    out += o;
  }
  const xrefAt = pdf.length + out.length;
  const trailer = (/trailer\s*(<<[\s\S]*?>>)\s*startxref/.exec(text.slice(text.lastIndexOf('trailer')))?.[1] ?? '')
    .replace(/\/Prev \d+/, `/Prev ${prev}`)
    .replace(/\/Size \d+/, '/Size 48');
  const entry = (n: number | undefined) => `${String(n).padStart(10, '0')} 00000 n \n`;
  out += `xref\n5 1\n${entry(offsets[1])}47 1\n${entry(offsets[0])}trailer\n${trailer}\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(out, 'latin1')]));
}

/** The S3404 revision check as the CLI wires it into packLot (SIG-5): the SDK's pattern, then signatures and seals only. */
async function inspectS3404(pdf: Uint8Array): Promise<{ code: string; message: string }[]> {
  const verdict = await verifyBordereauPdf(pdf, {});
  const problems = verdict.issues
    .filter((i) => i.code !== 'ERR_PDF_MODIFIED' && !(i.code === 'ERR_PDF_NOT_AUTHENTIC' && verdict.mode === 'overlay'))
    .map((i) => ({ code: i.code, message: i.message }));
  if (verdict.otherRevisions.length > 0) {
    const kinds = await describePdfRevisions(pdf, {});
    const modified = verdict.otherRevisions.find((r) => !['signature', 'dss'].includes(kinds[r.revision - 1]?.kind ?? ''));
    if (modified !== undefined) problems.push({ code: 'ERR_PDF_MODIFIED', message: `revision ${modified.revision} modifies the signed S3404` });
  }
  return problems;
}
type Pj = { file: string; kind: 's3404' | 'annex'; label?: string };
const inv = (
  x: typeof A,
  pj: Pj[] = [
    { file: x.s3404, kind: 's3404' },
    { file: x.annex, kind: 'annex', label: 'prescription' },
  ],
) => ({
  invoiceNumber: x.invoiceNumber,
  bordereauId: x.bordereauId,
  pj,
});
const lot = (invoices: unknown[], finess = '690008420') => ({ format: 's3404-scor-lot-description/1', finess, b2LotNumber: '042', invoices });

interface PackCase {
  kind: 'pack';
  variant: string;
  comment: string;
  flags: Flag[];
  description: ReturnType<typeof lot>;
  maxLotBytes?: number;
  code?: string;
}
interface VerifyCase {
  kind: 'verify';
  variant: string;
  comment: string;
  flags: Flag[];
  container: Uint8Array;
  code?: string;
}

/** A codec that writes the SDK's ZIP from content changed by `change` (a tampered container with consistent CRCs). */
const tamperingCodec = (change: (files: { name: string; bytes: Uint8Array }[]) => { name: string; bytes: Uint8Array }[]): LotCodec => ({
  ...sdkZipCodec,
  encode: (content) => sdkZipCodec.encode({ ...content, files: change([...content.files]) }),
});

async function pack(description: unknown, codec?: LotCodec): Promise<Uint8Array> {
  const r = await safePackLot(description, { files: SOURCE, now, ...(codec === undefined ? {} : { codec }) });
  if (!r.ok) throw new Error(`generator: the lot does not pack: ${r.issues.map((i) => i.code).join(', ')}`);
  return r.lot.container.bytes;
}

async function main(): Promise<void> {
  const one = lot([inv(A)]);
  const intact = await pack(one);
  const changedPj = await pack(
    one,
    tamperingCodec((files) =>
      files.map((f) => {
        if (!f.name.endsWith('02-annexe.pdf')) return f;
        const bytes = f.bytes.slice();
        const i = bytes.length - 8; // inside the trailing comment / startxref area: same size, other SHA-256
        bytes[i] = bytes[i] === 0x30 ? 0x31 : 0x30;
        return { name: f.name, bytes };
      }),
    ),
  );
  const extraFile = await pack(
    one,
    tamperingCodec((files) => [...files, { name: 'pj/260004512/03-annexe.pdf', bytes: SOURCE[A.annex]! }]),
  );

  const cases: (PackCase | VerifyCase)[] = [
    { kind: 'pack', variant: 'one-invoice', comment: 'One invoice: its signed S3404 then one annex.', flags: ['BASIC'], description: one },
    {
      kind: 'pack',
      variant: 'two-invoices',
      comment: 'Two invoices, each with its signed S3404 and an annex.',
      flags: ['BASIC'],
      description: lot([inv(A), inv(B)]),
    },
    {
      kind: 'pack',
      variant: 's3404-only',
      comment: 'One invoice whose only PJ is its signed S3404.',
      flags: ['BASIC'],
      description: lot([inv(A, [{ file: A.s3404, kind: 's3404' }])]),
    },
    {
      kind: 'pack',
      variant: 'within-limit',
      comment: 'One invoice, maxLotBytes 1 MiB: within the limit.',
      flags: ['LIMIT'],
      description: one,
      maxLotBytes: 1_048_576,
    },
    {
      kind: 'pack',
      variant: 'invoice-without-pj',
      comment: 'Second invoice with an empty PJ list.',
      flags: ['MISSING_PJ'],
      description: lot([inv(A), inv(B, [])]),
      code: 'ERR_LOT_INVOICE_WITHOUT_PJ',
    },
    {
      kind: 'pack',
      variant: 'annex-first',
      comment: 'The annex before the S3404.',
      flags: ['MISSING_PJ'],
      description: lot([
        inv(A, [
          { file: A.annex, kind: 'annex' },
          { file: A.s3404, kind: 's3404' },
        ]),
      ]),
      code: 'ERR_LOT_PJ_ORDER',
    },
    {
      kind: 'pack',
      variant: 'file-missing',
      comment: 'An annex named by the description but not given.',
      flags: ['MISSING_PJ'],
      description: lot([
        inv(A, [
          { file: A.s3404, kind: 's3404' },
          { file: 'absent.pdf', kind: 'annex' },
        ]),
      ]),
      code: 'ERR_LOT_FILE_MISSING',
    },
    {
      kind: 'pack',
      variant: 'annex-a6',
      comment: 'An annex whose page is A6, smaller than A5 (SCOR-1).',
      flags: ['BAD_PJ'],
      description: lot([
        inv(A, [
          { file: A.s3404, kind: 's3404' },
          { file: 'annexe-a6.pdf', kind: 'annex' },
        ]),
      ]),
      code: 'ERR_PJ_PAGE_TOO_SMALL',
    },
    {
      kind: 'pack',
      variant: 'annex-not-pdf',
      comment: 'An annex that is a text file, not a PDF (SCOR-1).',
      flags: ['BAD_PJ'],
      description: lot([
        inv(A, [
          { file: A.s3404, kind: 's3404' },
          { file: 'annexe-not-pdf.pdf', kind: 'annex' },
        ]),
      ]),
      code: 'ERR_PJ_NOT_PDF',
    },
    {
      kind: 'pack',
      variant: 'duplicate-invoice',
      comment: 'The same invoice twice.',
      flags: ['DUPLICATE'],
      description: lot([inv(A), inv(A)]),
      code: 'ERR_LOT_DUPLICATE_INVOICE',
    },
    {
      kind: 'pack',
      variant: 'duplicate-pj',
      comment: 'The same annex attached twice.',
      flags: ['DUPLICATE'],
      description: lot([
        inv(A, [
          { file: A.s3404, kind: 's3404' },
          { file: A.annex, kind: 'annex' },
          { file: A.annex, kind: 'annex' },
        ]),
      ]),
      code: 'ERR_LOT_DUPLICATE_PJ',
    },
    {
      kind: 'pack',
      variant: 'over-limit',
      comment: 'One invoice, maxLotBytes 64 KiB: the lot is larger.',
      flags: ['LIMIT'],
      description: one,
      maxLotBytes: 65_536,
      code: 'ERR_LOT_TOO_LARGE',
    },
    {
      kind: 'pack',
      variant: 'bordereau-swapped',
      comment: "An S3404 presented under the other invoice's bordereau identifier.",
      flags: ['WRONG_BINDING'],
      description: lot([{ ...inv(A), bordereauId: B.bordereauId }]),
      code: 'ERR_LOT_BORDEREAU_MISMATCH',
    },
    {
      kind: 'pack',
      variant: 's3404-modified',
      comment: 'The signed S3404 with a later incremental update painting a white rectangle over the page (SIG-5).',
      flags: ['TAMPERED'],
      description: lot([inv(A, [{ file: '260004512-s3404-modified.pdf', kind: 's3404' }])]),
      code: 'ERR_LOT_S3404_MODIFIED',
    },
    { kind: 'verify', variant: 'intact', comment: 'The one-invoice lot as packed (manifest not signed).', flags: ['BASIC'], container: intact },
    {
      kind: 'verify',
      variant: 'pj-changed',
      comment: "The annex changed by one byte after packing: its SHA-256 no longer matches the manifest's.",
      flags: ['TAMPERED'],
      container: changedPj,
      code: 'ERR_LOT_MANIFEST_MISMATCH',
    },
    {
      kind: 'verify',
      variant: 'file-added',
      comment: 'A file the manifest does not list added to the ZIP.',
      flags: ['TAMPERED'],
      container: extraFile,
      code: 'ERR_LOT_MANIFEST_MISMATCH',
    },
    {
      kind: 'verify',
      variant: 'not-zip',
      comment: 'A container cut to its first 100 bytes.',
      flags: ['DAMAGED'],
      container: intact.slice(0, 100),
      code: 'ERR_LOT_CONTAINER_INVALID',
    },
  ];

  const written: FixtureOut[] = [];
  const fixtureOf = new Map<string, { file: string; sha256: string }>();
  const fixture = (tcId: number, pass: boolean, variant: string, ext: string, bytes: Uint8Array, reason: string) => {
    const name = `scor-SCOR-2-t${String(tcId).padStart(2, '0')}-${pass ? 'pass' : 'fail'}-${variant}.${ext}`;
    written.push({ name, bytes, reason });
    return { file: `fixtures/${name}`, sha256: sha(bytes) };
  };
  const sourceRef = (tcId: number, pass: boolean, name: string) => {
    const known = fixtureOf.get(name);
    if (known !== undefined) return known;
    const ref = fixture(
      tcId,
      pass,
      name.replace(/\.pdf$/, ''),
      'pdf',
      SOURCE[name]!,
      `PJ ${name} (from examples/scor/, or the SCOR-1 fixture of the A6 page), first used by tcId ${tcId}`,
    );
    fixtureOf.set(name, ref);
    return ref;
  };

  const groups: Record<'lot-pack' | 'lot-verify', unknown[]> = { 'lot-pack': [], 'lot-verify': [] };
  let tcId = 0;
  for (const c of cases) {
    tcId += 1;
    const pass = c.code === undefined;
    let input: Record<string, unknown>;
    let got: { ok: boolean; code: string | undefined };
    if (c.kind === 'pack') {
      const names = new Set(c.description.invoices.flatMap((i) => (i as { pj: Pj[] }).pj.map((p) => p.file)).filter((n) => SOURCE[n] !== undefined));
      const files: Record<string, unknown> = {};
      for (const n of names) files[n] = sourceRef(tcId, pass, n);
      // The description as JSON text: its `file` keys are reserved by the envelope for fixtures.
      input = { description: JSON.stringify(c.description), files, now: NOW, ...(c.maxLotBytes === undefined ? {} : { maxLotBytes: c.maxLotBytes }) };
      const r = await safePackLot(c.description, { files: SOURCE, now, inspectS3404, ...(c.maxLotBytes === undefined ? {} : { maxLotBytes: c.maxLotBytes }) });
      got = { ok: r.ok, code: r.ok ? undefined : r.issues[0]?.code };
    } else {
      input = { container: fixture(tcId, pass, c.variant, 'zip', c.container, c.comment) };
      const r = await verifyLot(c.container, {});
      got = { ok: r.ok, code: r.ok ? undefined : r.issues[0]?.code };
    }
    if (got.ok !== pass || (!pass && got.code !== c.code))
      throw new Error(`generator: tcId ${tcId} ${c.variant}: expected ${c.code ?? 'ok'}, the SDK gave ${got.ok ? 'ok' : got.code}`);
    groups[c.kind === 'pack' ? 'lot-pack' : 'lot-verify'].push({
      tcId,
      comment: c.comment,
      requirements: c.variant === 's3404-modified' ? ['SCOR-2', 'SIG-5'] : ['SCOR-2'],
      flags: c.flags,
      input,
      result: pass ? 'valid' : 'invalid',
      ...(c.code === undefined ? {} : { expected: { code: c.code } }),
    });
  }
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: 'scor',
    title: 'SCOR lots: packing, refusals and verification of the container (SCOR-2)',
    generator: 'packages/conformance/generate/scor-lots.ts',
    notes: NOTES,
    numberOfTests: cases.length,
    testGroups: [
      {
        type: 'lot-pack',
        comment: 'packLot of a lot description over the given PJ files, at the fixed time `now`; refused with the first issue code.',
        tests: groups['lot-pack'],
      },
      { type: 'lot-verify', comment: 'verifyLot of a packed container (no verifier: the manifest is not signed).', tests: groups['lot-verify'] },
    ],
  };
  writeOwnFixtures('scor', 'lots.json', written);
  writeVectorFile('scor', 'lots.json', file);
  const negatives = cases.filter((c) => c.code !== undefined).length;
  process.stdout.write(`scor/lots.json: ${cases.length} vectors, ${negatives} negative\n`);
}

await main();
