/**
 * Writes `test-vectors/scor/pluggable.json` and `test-vectors/form/layout-templates.json`
 * the plug points of the parts whose official specification is not public.
 * SCOR-CP container: a lot packed with a vendor `LotCodec` is written by that codec and names
 * it; a malformed codec is refused; a refused lot is never encoded; without a codec, the SDK's
 * own ZIP. ARL: the SDK's JSON ARL parser reads positive and negative ARLs and refuses every
 * message that does not say `positive` in its own terms (unknown status, a code alone, another
 * format, extra fields, bytes that are not UTF-8) — an unknown answer is never taken as
 * positive. CERFA layout: the SDK's built-in layouts name no CERFA; a vendor's template that
 * names the one it verified is read as such; malformed templates are refused.
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/pluggable.ts
 *
 * The lots reuse the fixtures of `scor/lots.json` (tcId 1 and 3: run `scor-lots.ts` first).
 * Every expectation is written by hand. Byte-identical on every run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { A4_PORTRAIT_TEMPLATE } from '@s3404/form/pdf';
import { VECTORS, writeEnvelope, type Case } from './write-envelope.js';

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'The plug point used as documented: a vendor codec, an ARL, a vendor layout.' },
  VENDOR: { bugType: 'EDGE_CASE', description: 'A vendor implementation in place of the SDK’s own: it must be the one used, and named.' },
  HONEST: { bugType: 'POLICY', description: 'The SDK claims nothing it cannot know: no CERFA number, no ARL verdict it was not told.' },
  MALFORMED: { bugType: 'MALFORMED_INPUT', description: 'A plug-in or a message that is not what the interface says.' },
  UNKNOWN_ANSWER: { bugType: 'HOSTILE', description: 'An ARL whose answer is not one the parser knows: never taken as positive.' },
  REFUSED_LOT: { bugType: 'POLICY', description: 'A lot the SDK refuses: the vendor codec must not be asked to encode it.' },
} as const;
type Flag = keyof typeof NOTES;
const R = ['X-4'];

// ---- the SCOR-CP container ------------------------------------------------
const lots = JSON.parse(readFileSync(join(VECTORS, 'scor/lots.json'), 'utf8')) as {
  testGroups: { tests: { tcId: number; input: { description: string; files: Record<string, unknown>; now: string } }[] }[];
};
const lotInput = (tcId: number) => {
  const t = lots.testGroups.flatMap((g) => g.tests).find((x) => x.tcId === tcId);
  if (t === undefined) throw new Error(`generator: scor/lots.json has no tcId ${tcId}`);
  return t.input;
};
const ONE = lotInput(1);
const S3404_ONLY = lotInput(3);
const VENDOR = { id: 'acme-scor-cp/3', mediaType: 'application/vnd.acme.scor', extension: '.scor', header: 'ACME-SCOR-CP/3\n' };

function codec(comment: string, flags: Flag[], lot: typeof ONE, c: Record<string, unknown> | undefined, expected: Record<string, unknown>): Case {
  return {
    type: 'lot-codec',
    comment,
    requirements: R,
    flags,
    input: { ...lot, ...(c === undefined ? {} : { codec: c }) },
    result: 'code' in expected ? 'invalid' : 'valid',
    expected,
  };
}
const withoutPj = {
  ...ONE,
  description: ONE.description.replace(/,\{"file":"260004512-annexe-1\.pdf"[^}]*\}/, '').replace(/\{"file":"260004512-s3404\.pdf","kind":"s3404"\}/, ''),
};
if (withoutPj.description === ONE.description) throw new Error('generator: the PJ list was not emptied');

const codecCases: Case[] = [
  codec('One invoice packed with a vendor codec: its bytes, its id, media type and extension.', ['BASIC', 'VENDOR'], ONE, VENDOR, {
    codec: VENDOR.id,
    mediaType: VENDOR.mediaType,
    extension: VENDOR.extension,
  }),
  codec(
    'An S3404 alone, packed with another vendor codec (no header).',
    ['VENDOR'],
    S3404_ONLY,
    { id: 'other/1', mediaType: 'application/octet-stream', extension: '.bin', header: '' },
    {
      codec: 'other/1',
      mediaType: 'application/octet-stream',
      extension: '.bin',
    },
  ),
  codec('No codec: the SDK’s own ZIP, named as such.', ['BASIC', 'HONEST'], ONE, undefined, {
    codec: 's3404-zip/1',
    mediaType: 'application/zip',
    extension: '.zip',
    magic: 'PK\u0003\u0004',
  }),
  codec('A codec without encode: refused.', ['MALFORMED'], ONE, { ...VENDOR, encode: false }, { code: 'ERR_SCOR_OPTIONS_INVALID' }),
  codec('A codec whose id is not text: refused.', ['MALFORMED'], ONE, { ...VENDOR, id: 3 }, { code: 'ERR_SCOR_OPTIONS_INVALID' }),
  codec('An invoice without PJ, with a vendor codec: refused, nothing encoded.', ['REFUSED_LOT', 'VENDOR'], withoutPj, VENDOR, {
    code: 'ERR_LOT_INVOICE_WITHOUT_PJ',
  }),
];

// ---- the ARL --------------------------------------------------------------
const arl = (fields: Record<string, unknown>) =>
  JSON.stringify({
    format: 's3404-arl-json/1',
    kind: 'pj',
    finess: '690008420',
    b2LotNumber: '042',
    status: 'positive',
    receivedAt: '2026-03-24T09:15:00Z',
    ...fields,
  });
const omit = (key: string) => {
  const o = JSON.parse(arl({})) as Record<string, unknown>;
  delete o[key];
  return JSON.stringify(o);
};
function arlCase(comment: string, flags: Flag[], message: unknown, positive?: boolean): Case {
  return {
    type: 'arl-parse',
    comment,
    requirements: R,
    flags,
    input: { message },
    ...(positive === undefined ? { result: 'invalid', expected: { code: 'ERR_ARL_INVALID' } } : { result: 'valid', expected: { positive } }),
  };
}
const arlCases: Case[] = [
  arlCase('A positive ARL PJ.', ['BASIC'], arl({ code: '00', reference: 'ARL-2026-0001' }), true),
  arlCase('A negative ARL PJ with its reason.', ['BASIC'], arl({ status: 'negative', code: 'PJ-17', reason: 'pièce illisible' }), false),
  arlCase('A negative ARL whose code the SDK does not know: negative, the code kept.', ['UNKNOWN_ANSWER'], arl({ status: 'negative', code: 'ZZ-999' }), false),
  arlCase('A positive ARL of the B2 lot.', ['BASIC'], arl({ kind: 'b2' }), true),
  arlCase('Status "ok": not an answer the parser knows.', ['UNKNOWN_ANSWER'], arl({ status: 'ok' })),
  arlCase('Status "POSITIVE" in capitals.', ['UNKNOWN_ANSWER'], arl({ status: 'POSITIVE' })),
  arlCase('Status "unknown".', ['UNKNOWN_ANSWER'], arl({ status: 'unknown' })),
  arlCase('No status, a code "00" alone: never read as positive.', ['UNKNOWN_ANSWER'], omit('status')),
  arlCase('Status true (a boolean).', ['UNKNOWN_ANSWER', 'MALFORMED'], arl({ status: true })),
  arlCase('Another format version.', ['MALFORMED'], arl({ format: 's3404-arl-json/2' })),
  arlCase('An extra field.', ['MALFORMED'], arl({ accepted: true })),
  arlCase('Not JSON.', ['MALFORMED'], 'ARL PJ POSITIF 690008420 042'),
  arlCase('Bytes that are not UTF-8.', ['MALFORMED'], { base64: 'eyJzdGF0dXMiOiL/In0=' }),
];

writeEnvelope({
  path: 'scor/pluggable.json',
  area: 'scor',
  title: 'Plug points of the unpublished SCOR parts: container codec and ARL parser (X-4)',
  generator: 'packages/conformance/generate/pluggable.ts',
  notes: NOTES,
  groups: [
    {
      type: 'lot-codec',
      comment:
        'packLot of `input.description` (JSON text) over `input.files` at `input.now` with the vendor codec `input.codec` (header text, then the manifest’s bytes, then each file; `encode: false` leaves encode out; absent: the SDK’s own): valid when the lot names `expected.codec`, `expected.mediaType`, a file name ending `expected.extension`, and its container is what the codec wrote (or starts with `expected.magic`); invalid: refused with `expected.code`, nothing encoded.',
    },
    {
      type: 'arl-parse',
      comment:
        'The SDK’s ARL parser on `input.message` (UTF-8 text, or `{ base64 }`): valid when read with `expected.positive`; invalid when refused with `expected.code`.',
    },
  ],
  cases: [...codecCases, ...arlCases],
});

// ---- the CERFA layout -----------------------------------------------------
const vendorFollows = {
  form: 'S3404',
  cerfa: 'VENDOR-VERIFIED-01',
  edition: '2026-01',
  note: 'Fictitious number for this vector: a vendor writes the CERFA it checked.',
};
const vendor = { ...A4_PORTRAIT_TEMPLATE, name: 'Éditeur A4', follows: vendorFollows };
function layout(comment: string, flags: Flag[], input: Record<string, unknown>, expected: string): Case {
  return {
    type: 'layout-template',
    comment,
    requirements: R,
    flags,
    input,
    ...(expected.startsWith('ERR_') ? { result: 'invalid', expected: { code: expected } } : { result: 'valid', expected: { cerfa: expected } }),
  };
}
const layoutCases: Case[] = [
  layout('The built-in A3 layout names no CERFA.', ['HONEST'], { builtin: 'A3 paysage' }, 'null'),
  layout('The built-in A4 layout names no CERFA.', ['HONEST'], { builtin: 'A4 portrait' }, 'null'),
  layout('A vendor template naming the CERFA it verified: read as such.', ['VENDOR'], { template: vendor }, 'VENDOR-VERIFIED-01'),
  layout('The SDK’s A4 template given back as a vendor’s: still no CERFA.', ['BASIC', 'HONEST'], { template: A4_PORTRAIT_TEMPLATE }, 'null'),
  layout(
    'A template for another form (S3405).',
    ['MALFORMED'],
    { template: { ...vendor, follows: { ...vendorFollows, form: 'S3405' } } },
    'ERR_TEMPLATE_INVALID',
  ),
  layout(
    'A template without follows: the form it follows must be named.',
    ['MALFORMED', 'HONEST'],
    { template: { ...vendor, follows: undefined } },
    'ERR_TEMPLATE_INVALID',
  ),
  layout(
    'A CERFA of more than 40 characters.',
    ['MALFORMED'],
    { template: { ...vendor, follows: { ...vendorFollows, cerfa: 'x'.repeat(41) } } },
    'ERR_TEMPLATE_INVALID',
  ),
  layout(
    'A column the SDK does not know in the fee table.',
    ['MALFORMED'],
    { template: { ...vendor, tables: { ...vendor.tables, fees: [...vendor.tables.fees, { key: 'iban', weight: 5 }] } } },
    'ERR_TEMPLATE_INVALID',
  ),
  layout('Another kind of file.', ['MALFORMED'], { template: { ...vendor, kind: 'field-map' } }, 'ERR_TEMPLATE_INVALID'),
];

writeEnvelope({
  path: 'form/layout-templates.json',
  area: 'form',
  title: 'Plug point of the unpublished CERFA layout: templates and what they claim (X-4)',
  generator: 'packages/conformance/generate/pluggable.ts',
  notes: NOTES,
  groups: [
    {
      type: 'layout-template',
      comment:
        '`input.builtin`: the SDK’s layout of that name names the CERFA `expected.cerfa` ("null": none); `input.template`: a vendor’s template parsed, naming `expected.cerfa`, or refused with `expected.code`.',
    },
  ],
  cases: layoutCases,
});
