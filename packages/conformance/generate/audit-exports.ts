/**
 * Writes `test-vectors/audit/exports.json` and its fixtures (AUD-4): the
 * intact trace of `audit-AUD-2-t01-pass-intact.jsonl` exported as JSON Lines
 * and as CSV through `exportEvents` of `@s3404/audit` with a signed manifest
 * (a development PKI, seeded), then the export verified as it is and after
 * damage (a changed cell, a dropped line, an edited manifest, a foreign CA,
 * no signature). The expected verdicts and codes are written here by hand.
 * Deterministic: the PKI is seeded and the clock fixed; run with
 * `cd packages/conformance && npx tsx --conditions=@s3404/source generate/audit-exports.ts`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportEvents, type AuditEvent } from '@s3404/audit';
import { createContentSigner } from '@s3404/seal';
import { seededPki } from './seeded.js';
import { areaDir, writeOwnFixtures, writeVectorFile, type FixtureOut } from './vectors-output.js';

const T0 = new Date('2026-03-20T10:00:00.000Z');
const EXPORTED_AT = new Date('2026-04-01T08:00:00.000Z');

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Case {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly variant: string;
  readonly files: Record<string, Uint8Array>;
  readonly manifest: Uint8Array;
  readonly signature?: Uint8Array;
  readonly anchor: 'ca' | 'other';
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly code?: string;
}

async function main(): Promise<void> {
  const events = readFileSync(join(areaDir('audit'), 'fixtures/audit-AUD-2-t01-pass-intact.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditEvent);
  const pki = await seededPki(21, { now: () => T0, validityDays: 3650 });
  const other = await seededPki(22, { now: () => T0, validityDays: 3650 });
  const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now: () => EXPORTED_AT });
  const period = { from: new Date('2026-03-01T00:00:00.000Z'), to: new Date('2026-04-01T00:00:00.000Z') };
  const exp = async (format: 'jsonl' | 'csv', bom = false) =>
    exportEvents(events, { format, ...period, signer, origin: 'finess:750300360', exportId: `exp-${format}`, now: () => EXPORTED_AT, bom });
  const jsonl = await exp('jsonl');
  const csv = await exp('csv');
  const csvBom = await exp('csv', true);

  const cases: Case[] = [];
  const of = (e: typeof jsonl, data: Uint8Array = e.data) => ({ files: { [e.fileName]: data }, manifest: e.manifestBytes, signature: e.signature });
  cases.push({ comment: 'a JSON Lines export as written, manifest signed', flags: ['INTACT'], variant: 'jsonl', ...of(jsonl), anchor: 'ca', result: 'valid' });
  cases.push({ comment: 'a CSV export as written, manifest signed', flags: ['INTACT'], variant: 'csv', ...of(csv), anchor: 'ca', result: 'valid' });
  cases.push({
    comment: 'a CSV export with a byte order mark (bom: true), manifest signed',
    flags: ['INTACT'],
    variant: 'csv-bom',
    ...of(csvBom),
    anchor: 'ca',
    result: 'valid',
  });
  {
    const { signature: _s, ...rest } = of(jsonl);
    cases.push({
      comment: 'a JSON Lines export whose manifest comes without its signature: the data still checks',
      flags: ['UNSIGNED'],
      variant: 'jsonl-unsigned',
      ...rest,
      anchor: 'ca',
      result: 'acceptable',
    });
  }
  const lines = text(jsonl.data).split('\n');
  cases.push({
    comment: 'a JSON Lines export with its third line dropped',
    flags: ['DAMAGED'],
    variant: 'jsonl-line-dropped',
    ...of(jsonl, utf8([...lines.slice(0, 2), ...lines.slice(3)].join('\n'))),
    anchor: 'ca',
    result: 'invalid',
    code: 'ERR_AUDIT_EXPORT_MISMATCH',
  });
  cases.push({
    comment: 'a CSV export with one actor changed (poste-1 to poste-9)',
    flags: ['DAMAGED'],
    variant: 'csv-cell-changed',
    ...of(csv, utf8(text(csv.data).replace('poste-1', 'poste-9'))),
    anchor: 'ca',
    result: 'invalid',
    code: 'ERR_AUDIT_EXPORT_MISMATCH',
  });
  cases.push({
    comment: 'a CSV export whose manifest was edited after signing (one event fewer announced)',
    flags: ['FORGERY'],
    variant: 'csv-manifest-edited',
    files: { [csv.fileName]: csv.data },
    manifest: utf8(text(csv.manifestBytes).replace(/"events":(\d+)/, (_m, n: string) => `"events":${Number(n) - 1}`)),
    signature: csv.signature,
    anchor: 'ca',
    result: 'invalid',
    code: 'ERR_AUDIT_MANIFEST_INVALID',
  });
  cases.push({
    comment: 'a JSON Lines export checked against another CA',
    flags: ['FORGERY'],
    variant: 'jsonl-other-ca',
    ...of(jsonl),
    anchor: 'other',
    result: 'invalid',
    code: 'ERR_CERT_UNTRUSTED',
  });
  cases.push({
    comment: 'a CSV export whose data file is missing',
    flags: ['DAMAGED'],
    variant: 'csv-file-missing',
    files: {},
    manifest: csv.manifestBytes,
    signature: csv.signature,
    anchor: 'ca',
    result: 'invalid',
    code: 'ERR_AUDIT_EXPORT_MISMATCH',
  });

  const written: FixtureOut[] = [];
  const put = (name: string, bytes: Uint8Array, reason: string): { file: string; sha256: string } => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    written.push({ name, bytes, reason });
    return { file: `fixtures/${name}`, sha256 };
  };
  const ca = put('audit-AUD-4-t00-pass-ca.der', pki.ca.certificate, 'the CA of the development PKI that signed the export manifests (seed 21)');
  const otherCa = put('audit-AUD-4-t00-fail-other-ca.der', other.ca.certificate, 'another development CA (seed 22)');
  const tests = cases.map((c, i) => {
    const tcId = i + 1;
    const stem = `audit-AUD-4-t${String(tcId).padStart(2, '0')}-${c.result === 'invalid' ? 'fail' : 'pass'}-${c.variant}`;
    const files = Object.fromEntries(
      Object.entries(c.files).map(([name, bytes]) => [name, put(`${stem}.${name.split('.').pop()}`, bytes, `${c.comment}: ${name}`)]),
    );
    return {
      tcId,
      comment: c.comment,
      requirements: ['AUD-4'],
      flags: c.flags,
      input: {
        manifest: put(`${stem}.manifest`, c.manifest, `${c.comment}: the manifest`),
        ...(c.signature === undefined ? {} : { signature: put(`${stem}.p7s`, c.signature, `${c.comment}: the detached signature`) }),
        files,
        trustAnchors: [c.anchor === 'ca' ? ca : otherCa],
      },
      result: c.result,
      ...(c.code === undefined ? {} : { expected: { code: c.code } }),
    };
  });
  writeOwnFixtures('audit', 'exports.json', written);
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: 'audit',
    title: 'Trace exports: verifyExport on JSON Lines and CSV exports with a signed manifest (AUD-4)',
    generator: 'packages/conformance/generate/audit-exports.ts',
    notes: {
      INTACT: { bugType: 'BASIC', description: 'An export as exportEvents wrote it, manifest signed.' },
      UNSIGNED: { bugType: 'EDGE_CASE', description: 'A manifest without its detached signature: either verdict is acceptable.' },
      DAMAGED: { bugType: 'DAMAGED', description: 'A data file changed, shortened or missing after the export.' },
      FORGERY: { bugType: 'FORGERY', description: 'A manifest edited after signing, or a signature from another CA.' },
    },
    numberOfTests: tests.length,
    testGroups: [
      {
        type: 'export-verify',
        comment:
          'input.manifest, input.signature (optional) and input.files (by the name the manifest gives) are verified against input.trustAnchors; invalid: refused, with expected.code among the issues when given.',
        tests,
      },
    ],
  };
  writeVectorFile('audit', 'exports.json', file);
  console.log(`exports.json: ${tests.length} tests, ${tests.filter((t) => t.result === 'invalid').length} negative`);
}
await main();
