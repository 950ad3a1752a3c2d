/**
 * Writes `test-vectors/seal/records.json`, its fixtures and their manifest (SIG-2, SIG-3, SIG-4, X-3):
 * sealed signature records made by the SDK's sealer on a development PKI (fixed clock, seeded random),
 * damaged or re-bound copies of them, and records signed by OpenSSL (`openssl cms -sign`) with each
 * defect it can produce. Every verdict is written by hand in the table below from docs/seal.md
 * (« Verification »), never computed by the verifier.
 *
 * Run: `cd packages/conformance && npx tsx --conditions=@s3404/source generate/seal-records.ts`.
 * Deterministic apart from signature values and the signing time OpenSSL writes (its clock).
 */
import { greyPng } from '@s3404/tooling/png-kit';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, concatBytes, createBordereauId } from '@s3404/core';
import { createCapture, createRoleAuthorizer, createSealer, MemoryContextRegistry } from '@s3404/seal';
import type { DevelopmentPki, PkiAlgorithm } from '@s3404/seal/pki';

import { seeded, seededPki } from './seeded.js';
import { writeOwnFixtures, writeVectorFile } from './vectors-output.js';

/** The sealing clock, in the middle of the development certificates' validity. */
const T0 = new Date('2026-03-20T10:00:00.000Z');
/** The checking time of the SDK's records: one hour after sealing. */
const AT = '2026-03-20T11:00:00.000Z';
/**
 * OpenSSL writes its own clock as the signing time, and the verifier wants it inside the record's capture
 * window: the records OpenSSL signs are captured on the real clock (whole seconds), by a PKI issued then,
 * and checked one hour later.
 */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000);
const AT_OPENSSL = new Date(NOW.getTime() + 3_600_000).toISOString();
const CONTENT_HASH = `${'c0ffee'.repeat(10)}0a0b`;
const OTHER_CONTENT_HASH = 'deadbeef'.repeat(8);

/** A greyscale PNG with a stroke (a stand-in for a signature); `slope` draws another one. */
function makePng(width = 300, height = 100, slope = 1): Uint8Array {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.abs((Math.round((x * height * slope) / width) % height) - y) < 2 ? 0 : 255;
  return greyPng(width, height, raw);
}

const pem = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END ${label}-----\n`;

async function developmentPki(algorithm: PkiAlgorithm, now: Date, seed: number, validityDays?: number): Promise<DevelopmentPki> {
  return seededPki(seed, { algorithm, now: () => now, ...(validityDays === undefined ? {} : { validityDays }) });
}

/** Seals a record for the insured person on bordereau `bordereauId` (content {@link CONTENT_HASH}) at {@link T0}. */
async function sealRecord(p: DevelopmentPki, bordereauId: string, seed: number, at = T0): Promise<{ bytes: Uint8Array; json: string }> {
  const now = (): Date => at;
  const image = makePng();
  const sealer = await createSealer({
    key: p.seal.privateKey,
    certificate: p.seal.certificate,
    contexts: new MemoryContextRegistry({ now }),
    authorizer: createRoleAuthorizer({ staff: [] }),
    now,
    random: seeded(seed),
  });
  const ctx = await sealer.openContext({
    scope: { kind: 'bordereau', bordereauId, contentHash: CONTENT_HASH },
    role: 'insured',
    signer: { id: 'patient-1', name: 'Jeanne Martin' },
    terminalId: 'tablette-3',
  });
  const sealed = await sealer.seal(createCapture(ctx, { image, capturedAt: new Date(at.getTime() + 5000) }));
  return { bytes: sealed.bytes, json: canonicalJson(sealed.record) };
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.slice(0, 2).join(' ')}: ${r.stderr}`);
}
/** `openssl cms -sign` of `content` with the seal key and certificate of `p`, DER out. */
function opensslSign(dir: string, p: DevelopmentPki, content: string | Uint8Array, args: string[]): Uint8Array {
  writeFileSync(join(dir, 'seal-cert.pem'), p.files['seal-cert.pem']);
  writeFileSync(join(dir, 'seal-key.pem'), p.files['seal-key.pem']);
  writeFileSync(join(dir, 'content'), content);
  openssl([
    'cms',
    '-sign',
    '-binary',
    '-outform',
    'DER',
    '-in',
    join(dir, 'content'),
    '-signer',
    join(dir, 'seal-cert.pem'),
    '-inkey',
    join(dir, 'seal-key.pem'),
    '-out',
    join(dir, 'out.p7m'),
    ...args,
  ]);
  return new Uint8Array(readFileSync(join(dir, 'out.p7m')));
}

/** The first index of `needle` in `hay`, or an error. */
function indexOf(hay: Uint8Array, needle: string): number {
  const n = Buffer.from(needle, 'utf8');
  const i = Buffer.from(hay).indexOf(n);
  if (i < 0) throw new Error(`${needle} not found in the record`);
  return i;
}
const flip = (b: Uint8Array, i: number, mask = 0x01): Uint8Array => {
  const c = b.slice();
  c[i] = (c[i] as number) ^ mask;
  return c;
};
const replaceAt = (b: Uint8Array, i: number, text: string): Uint8Array => {
  const c = b.slice();
  c.set(Buffer.from(text, 'utf8'), i);
  return c;
};

interface Case {
  readonly requirement: 'SIG-2' | 'SIG-3' | 'SIG-4';
  readonly also?: readonly ('SIG-2' | 'SIG-3' | 'SIG-4')[];
  readonly variant: string;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly bytes: Uint8Array;
  readonly ext?: 'p7m' | 'bin';
  readonly anchors: readonly { readonly name: string; readonly der: Uint8Array }[];
  readonly at: string;
  readonly expect?: { readonly bordereauId?: string; readonly contentHash?: string };
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly code?: string;
  readonly group: 'sdk' | 'damaged' | 'binding' | 'openssl';
}

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'A record sealed as the SDK seals it: it must verify.' },
  RSA: { bugType: 'BASIC', description: 'A record sealed with RSA PKCS#1 v1.5 instead of ECDSA P-256.' },
  INTEROP: { bugType: 'REAL_DATA', description: 'A record produced by another tool (OpenSSL cms -sign).' },
  LONG_TERM: {
    bugType: 'EDGE_CASE',
    description: 'Checked after the certificate expired: the certificates must be valid at signing time, not at checking time (docs/seal.md).',
  },
  SIGNATURE_FLIP: { bugType: 'FORGERY', description: 'One byte of the signature value changed.' },
  CONTENT_FLIP: { bugType: 'MODIFIED_AFTER_SEAL', description: 'The sealed record content changed after sealing, the signature kept.' },
  SWAPPED_IMAGE: { bugType: 'MODIFIED_AFTER_SEAL', description: 'Part of the signature image replaced by another image, the signature kept.' },
  TRUNCATED: { bugType: 'DAMAGED', description: 'The record cut short or with bytes appended.' },
  NOT_CMS: { bugType: 'MALFORMED_INPUT', description: 'Bytes that are not a CMS SignedData in DER.' },
  CONTENT_TYPE: { bugType: 'MALFORMED_INPUT', description: 'A CMS message of another content type, or detached content.' },
  UNTRUSTED: { bugType: 'FORGERY', description: 'A record sealed under a CA that is not a trust anchor.' },
  CERT_VALIDITY: { bugType: 'POLICY', description: 'A seal certificate not valid at signing time.' },
  SIGNING_TIME: { bugType: 'EDGE_CASE', description: 'A signing time after the checking time.' },
  WRONG_BORDEREAU: { bugType: 'WRONG_BINDING', description: 'A record for another bordereau than the one expected.' },
  WRONG_CONTENT: { bugType: 'WRONG_BINDING', description: 'A record for the expected bordereau, signed for other content.' },
  SIGNED_ATTRIBUTES: { bugType: 'POLICY', description: 'Signed attributes missing or incomplete (no ESS signing-certificate-v2, none at all).' },
  WEAK_ALGORITHM: { bugType: 'POLICY', description: 'A refused digest algorithm (SHA-1).' },
  BER: { bugType: 'MALFORMED_INPUT', description: 'BER with indefinite lengths, not DER.' },
  RECORD_CONTENT: {
    bugType: 'MALFORMED_INPUT',
    description: 'Correctly signed content that is not a valid record (not canonical JSON, not JSON, format 1.0).',
  },
} as const;

async function main(): Promise<void> {
  const ec = await developmentPki('ecdsa-p256', T0, 7);
  const rsa = await developmentPki('rsa-2048', T0, 8);
  const rogue = await developmentPki('ecdsa-p256', T0, 9);
  const oldPki = await developmentPki('ecdsa-p256', new Date('2020-01-01T00:00:00Z'), 10, 30);
  const futurePki = await developmentPki('ecdsa-p256', new Date(NOW.getTime() + 3 * 365 * 86_400_000), 11);
  const ecNow = await developmentPki('ecdsa-p256', NOW, 12);
  const bordereauId = createBordereauId({ random: seeded(1) });
  const otherBordereauId = createBordereauId({ random: seeded(2) });

  const a = await sealRecord(ec, bordereauId, 42);
  const r = await sealRecord(rsa, bordereauId, 43);
  const rogueRecord = await sealRecord(rogue, bordereauId, 44);
  const live = await sealRecord(ecNow, bordereauId, 45, NOW);
  const liveAnchor = { name: 'ca-live', der: ecNow.ca.certificate };
  const ecAnchor = { name: 'ca-ecdsa', der: ec.ca.certificate };
  const rsaAnchor = { name: 'ca-rsa', der: rsa.ca.certificate };
  const bound = { bordereauId, contentHash: CONTENT_HASH };

  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  // Valid records of the SDK (SIG-3), bound (SIG-4).
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'ecdsa',
    comment: 'ECDSA P-256 record sealed by the SDK, checked one hour later',
    flags: ['BASIC'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'rsa',
    comment: 'RSA record sealed by the SDK',
    flags: ['RSA'],
    bytes: r.bytes,
    anchors: [rsaAnchor],
    at: AT,
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'two-anchors',
    comment: 'ECDSA record, two trust anchors given (the right one second)',
    flags: ['BASIC'],
    bytes: a.bytes,
    anchors: [rsaAnchor, ecAnchor],
    at: AT,
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-4',
    also: ['SIG-3'],
    variant: 'ecdsa-bound',
    comment: 'ECDSA record checked against its own bordereau and content hash',
    flags: ['BASIC'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    expect: bound,
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-4',
    also: ['SIG-3'],
    variant: 'rsa-bound',
    comment: 'RSA record checked against its own bordereau and content hash',
    flags: ['RSA'],
    bytes: r.bytes,
    anchors: [rsaAnchor],
    at: AT,
    expect: bound,
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-4',
    variant: 'bordereau-only',
    comment: 'ECDSA record checked against its own bordereau only',
    flags: ['BASIC'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    expect: { bordereauId },
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'expired-at-check',
    comment: 'ECDSA record checked in 2030, after its certificate expired: valid at signing time (docs/seal.md: « every certificate valid at signing time »)',
    flags: ['LONG_TERM'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: '2030-06-01T00:00:00.000Z',
    result: 'valid',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'signing-time-future',
    comment: 'ECDSA record checked one day before its signing time',
    flags: ['SIGNING_TIME'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: '2026-03-19T10:00:00.000Z',
    result: 'invalid',
    code: 'ERR_SEAL_SIGNING_TIME',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'untrusted-ca',
    comment: 'ECDSA record sealed under another CA than the trust anchor',
    flags: ['UNTRUSTED'],
    bytes: rogueRecord.bytes,
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_CERT_UNTRUSTED',
  });
  add({
    group: 'sdk',
    requirement: 'SIG-3',
    variant: 'rsa-anchor-only',
    comment: 'ECDSA record, only the RSA CA as trust anchor',
    flags: ['UNTRUSTED'],
    bytes: a.bytes,
    anchors: [rsaAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_CERT_UNTRUSTED',
  });

  // Damaged copies (SIG-3).
  const sigEnd = a.bytes.length - 1;
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'sig-last-byte',
    comment: 'the last byte of the ECDSA signature value flipped',
    flags: ['SIGNATURE_FLIP'],
    bytes: flip(a.bytes, sigEnd),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_SIGNATURE_INVALID',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'sig-middle-byte',
    comment: 'a byte in the middle of the ECDSA s value flipped',
    flags: ['SIGNATURE_FLIP'],
    bytes: flip(a.bytes, sigEnd - 10, 0x80),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_SIGNATURE_INVALID',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'rsa-sig-byte',
    comment: 'a byte of the RSA signature value flipped',
    flags: ['SIGNATURE_FLIP', 'RSA'],
    bytes: flip(r.bytes, r.bytes.length - 20),
    anchors: [rsaAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_SIGNATURE_INVALID',
  });
  const name = indexOf(a.bytes, 'Jeanne Martin');
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    also: ['SIG-2'],
    variant: 'content-name',
    comment: 'the signer’s name in the sealed content changed (« Jeanne » → « Jeanna »), the signature kept',
    flags: ['CONTENT_FLIP'],
    bytes: replaceAt(a.bytes, name + 5, 'a'),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_DIGEST_MISMATCH',
  });
  const role = indexOf(a.bytes, '"insured"');
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    also: ['SIG-2'],
    variant: 'content-role',
    comment: 'the role in the sealed content changed to another of the same length, the signature kept',
    flags: ['CONTENT_FLIP'],
    bytes: replaceAt(a.bytes, role + 1, 'INSURED'),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_DIGEST_MISMATCH',
  });
  const hashAt = indexOf(a.bytes, CONTENT_HASH);
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    also: ['SIG-4'],
    variant: 'content-hash-edit',
    comment: 'the content hash inside the sealed record rewritten to another, the signature kept',
    flags: ['CONTENT_FLIP'],
    bytes: replaceAt(a.bytes, hashAt, OTHER_CONTENT_HASH),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_DIGEST_MISMATCH',
  });
  // Swapped image: a stretch of the image's base64 replaced by the same stretch of another image's.
  const imgKey = indexOf(a.bytes, '"data":"') + 8;
  const otherImage = Buffer.from(makePng(300, 100, 2)).toString('base64');
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    also: ['SIG-2'],
    variant: 'swapped-image',
    comment: 'the signature image replaced in place by another image’s pixels (same length), the signature kept',
    flags: ['SWAPPED_IMAGE'],
    bytes: replaceAt(a.bytes, imgKey + 200, otherImage.slice(200, 400)),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_DIGEST_MISMATCH',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'truncated-half',
    comment: 'the record cut at half its length',
    flags: ['TRUNCATED'],
    bytes: a.bytes.slice(0, Math.floor(a.bytes.length / 2)),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'truncated-one',
    comment: 'the record without its last byte',
    flags: ['TRUNCATED'],
    bytes: a.bytes.slice(0, -1),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'trailing-byte',
    comment: 'the record with one byte appended (DER forbids trailing bytes)',
    flags: ['TRUNCATED'],
    bytes: concatBytes(a.bytes, Uint8Array.of(0)),
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'not-cms-png',
    comment: 'a PNG image instead of a record',
    flags: ['NOT_CMS'],
    bytes: makePng(),
    ext: 'bin',
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'not-cms-json',
    comment: 'the record’s JSON alone, unsigned',
    flags: ['NOT_CMS'],
    bytes: Buffer.from(a.json, 'utf8'),
    ext: 'bin',
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'not-cms-random',
    comment: '64 seeded random bytes',
    flags: ['NOT_CMS'],
    bytes: seeded(5)(new Uint8Array(64)),
    ext: 'bin',
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'not-cms-empty',
    comment: 'no bytes at all',
    flags: ['NOT_CMS'],
    bytes: new Uint8Array(0),
    ext: 'bin',
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });
  add({
    group: 'damaged',
    requirement: 'SIG-3',
    variant: 'certificate-only',
    comment: 'the seal certificate (DER) instead of a record',
    flags: ['NOT_CMS'],
    bytes: ec.seal.certificate,
    ext: 'bin',
    anchors: [ecAnchor],
    at: AT,
    result: 'invalid',
    code: 'ERR_SEAL_MALFORMED',
  });

  // Wrong binding (SIG-4).
  add({
    group: 'binding',
    requirement: 'SIG-4',
    variant: 'other-bordereau',
    comment: 'ECDSA record presented for another bordereau',
    flags: ['WRONG_BORDEREAU'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    expect: { bordereauId: otherBordereauId, contentHash: CONTENT_HASH },
    result: 'invalid',
    code: 'ERR_RECORD_WRONG_BORDEREAU',
  });
  add({
    group: 'binding',
    requirement: 'SIG-4',
    variant: 'other-bordereau-only',
    comment: 'ECDSA record presented for another bordereau (no content hash expected)',
    flags: ['WRONG_BORDEREAU'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    expect: { bordereauId: otherBordereauId },
    result: 'invalid',
    code: 'ERR_RECORD_WRONG_BORDEREAU',
  });
  add({
    group: 'binding',
    requirement: 'SIG-4',
    variant: 'rsa-other-bordereau',
    comment: 'RSA record presented for another bordereau',
    flags: ['WRONG_BORDEREAU', 'RSA'],
    bytes: r.bytes,
    anchors: [rsaAnchor],
    at: AT,
    expect: { bordereauId: otherBordereauId, contentHash: CONTENT_HASH },
    result: 'invalid',
    code: 'ERR_RECORD_WRONG_BORDEREAU',
  });
  add({
    group: 'binding',
    requirement: 'SIG-4',
    variant: 'other-content',
    comment: 'ECDSA record presented for the same bordereau with other content',
    flags: ['WRONG_CONTENT'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    expect: { bordereauId, contentHash: OTHER_CONTENT_HASH },
    result: 'invalid',
    code: 'ERR_RECORD_WRONG_CONTENT',
  });
  add({
    group: 'binding',
    requirement: 'SIG-4',
    variant: 'other-content-only',
    comment: 'ECDSA record presented for other content (no bordereau expected)',
    flags: ['WRONG_CONTENT'],
    bytes: a.bytes,
    anchors: [ecAnchor],
    at: AT,
    expect: { contentHash: OTHER_CONTENT_HASH },
    result: 'invalid',
    code: 'ERR_RECORD_WRONG_CONTENT',
  });
  add({
    group: 'binding',
    requirement: 'SIG-4',
    variant: 'rsa-other-content',
    comment: 'RSA record presented for the same bordereau with other content',
    flags: ['WRONG_CONTENT', 'RSA'],
    bytes: r.bytes,
    anchors: [rsaAnchor],
    at: AT,
    expect: { bordereauId, contentHash: OTHER_CONTENT_HASH },
    result: 'invalid',
    code: 'ERR_RECORD_WRONG_CONTENT',
  });

  // Records made by OpenSSL with the seal key, from the content of the record sealed on the real clock.
  const dir = mkdtempSync(join(tmpdir(), 's3404-seal-vectors-'));
  try {
    const o = (
      variant: string,
      comment: string,
      flags: string[],
      content: string | Uint8Array,
      args: string[],
      result: Case['result'],
      code?: string,
      extra: Partial<Case> = {},
    ) =>
      add({
        group: 'openssl',
        requirement: 'SIG-3',
        variant,
        comment: `OpenSSL cms -sign ${args.join(' ')}: ${comment}`,
        flags: ['INTEROP', ...flags],
        bytes: opensslSign(
          dir,
          extra.anchors?.[0]?.name === 'ca-old'
            ? oldPki
            : extra.anchors?.[0]?.name === 'ca-future'
              ? futurePki
              : extra.anchors?.[0]?.name === 'ca-ecdsa'
                ? ec
                : ecNow,
          content,
          args,
        ),
        anchors: [liveAnchor],
        at: AT_OPENSSL,
        result,
        ...(code === undefined ? {} : { code }),
        ...extra,
      });
    const cades = ['-nodetach', '-md', 'sha256', '-cades'];
    o(
      'openssl-cades',
      'the record’s canonical JSON, with signing-certificate-v2 (docs/seal.md: records OpenSSL signs with -cades verify)',
      [],
      live.json,
      cades,
      'valid',
    );
    o('openssl-cades-bound', 'the same, checked against its bordereau and content hash', [], live.json, cades, 'valid', undefined, {
      requirement: 'SIG-4',
      also: ['SIG-3'],
      expect: bound,
    });
    o('openssl-other-bordereau', 'the same, presented for another bordereau', ['WRONG_BORDEREAU'], live.json, cades, 'invalid', 'ERR_RECORD_WRONG_BORDEREAU', {
      requirement: 'SIG-4',
      expect: { bordereauId: otherBordereauId, contentHash: CONTENT_HASH },
    });
    o(
      'openssl-no-ess',
      'no signing-certificate-v2 attribute',
      ['SIGNED_ATTRIBUTES'],
      live.json,
      ['-nodetach', '-md', 'sha256'],
      'invalid',
      'ERR_SEAL_SIGNED_ATTRIBUTES',
    );
    o(
      'openssl-noattr',
      'no signed attributes at all',
      ['SIGNED_ATTRIBUTES'],
      live.json,
      ['-nodetach', '-md', 'sha256', '-noattr'],
      'invalid',
      'ERR_SEAL_SIGNED_ATTRIBUTES',
    );
    o('openssl-sha1', 'SHA-1 digest', ['WEAK_ALGORITHM'], live.json, ['-nodetach', '-md', 'sha1', '-cades'], 'invalid', 'ERR_SEAL_ALGORITHM_REFUSED');
    o(
      'openssl-detached',
      'detached content (no encapsulated record)',
      ['CONTENT_TYPE'],
      live.json,
      ['-md', 'sha256', '-cades'],
      'invalid',
      'ERR_SEAL_CONTENT_TYPE',
    );
    o(
      'openssl-econtent-type',
      'another encapsulated content type (1.2.3.4)',
      ['CONTENT_TYPE'],
      live.json,
      [...cades, '-econtent_type', '1.2.3.4'],
      'invalid',
      'ERR_SEAL_CONTENT_TYPE',
    );
    o('openssl-stream', 'BER streaming (indefinite lengths)', ['BER'], live.json, [...cades, '-stream'], 'invalid', 'ERR_SEAL_MALFORMED');
    o(
      'openssl-pretty-json',
      'the record as indented, non-canonical JSON',
      ['RECORD_CONTENT'],
      JSON.stringify(JSON.parse(live.json), null, 2),
      cades,
      'invalid',
      'ERR_RECORD_INVALID',
      { requirement: 'SIG-2', also: ['SIG-3'] },
    );
    o('openssl-not-json', 'the text « not json »', ['RECORD_CONTENT'], 'not json', cades, 'invalid', 'ERR_RECORD_INVALID', { requirement: 'SIG-2' });
    const rec = JSON.parse(live.json) as { scope: Record<string, unknown> } & Record<string, unknown>;
    const { contentHash: _h, ...unbound } = rec.scope;
    o(
      'openssl-format-1-0',
      'a record of format 1.0, its scope not bound to the content',
      ['RECORD_CONTENT'],
      canonicalJson({ ...rec, version: '1.0', scope: unbound }),
      cades,
      'invalid',
      'ERR_RECORD_INVALID',
      { requirement: 'SIG-2', also: ['SIG-4'] },
    );
    o(
      'openssl-no-image',
      'a record without its image',
      ['RECORD_CONTENT'],
      canonicalJson({ ...rec, image: undefined }),
      cades,
      'invalid',
      'ERR_RECORD_INVALID',
      { requirement: 'SIG-2' },
    );
    o('openssl-expired-cert', 'signed with a seal certificate that expired in 2020', ['CERT_VALIDITY'], live.json, cades, 'invalid', 'ERR_CERT_EXPIRED', {
      anchors: [{ name: 'ca-old', der: oldPki.ca.certificate }],
    });
    o(
      'openssl-future-cert',
      'signed with a seal certificate valid from three years after signing only',
      ['CERT_VALIDITY'],
      live.json,
      cades,
      'invalid',
      'ERR_CERT_NOT_YET_VALID',
      { anchors: [{ name: 'ca-future', der: futurePki.ca.certificate }] },
    );
    o(
      'openssl-late',
      'the SDK record’s content re-signed months after its capture: the signing time lies outside the record’s capture window',
      ['SIGNING_TIME'],
      a.json,
      cades,
      'invalid',
      'ERR_SEAL_SIGNING_TIME',
      { anchors: [ecAnchor] },
    );
    writeFileSync(join(dir, 'content'), live.json);
    writeFileSync(join(dir, 'seal-cert.pem'), ecNow.files['seal-cert.pem']);
    openssl(['cms', '-encrypt', '-binary', '-outform', 'DER', '-in', join(dir, 'content'), '-out', join(dir, 'env.p7m'), join(dir, 'seal-cert.pem')]);
    add({
      group: 'openssl',
      requirement: 'SIG-3',
      variant: 'openssl-enveloped',
      comment: 'OpenSSL cms -encrypt: an enveloped message, not a SignedData',
      flags: ['INTEROP', 'CONTENT_TYPE'],
      bytes: new Uint8Array(readFileSync(join(dir, 'env.p7m'))),
      anchors: [liveAnchor],
      at: AT_OPENSSL,
      result: 'invalid',
      code: 'ERR_SEAL_CONTENT_TYPE',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Files.
  const pending = new Map<string, Uint8Array | string>();
  const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
  const manifest: { file: string; sha256: string; reason: string }[] = [];
  const anchorFiles = new Map<string, { file: string; sha256: string }>();
  const anchorRef = (tcId: number, requirement: string, a: { name: string; der: Uint8Array }) => {
    let ref = anchorFiles.get(a.name);
    if (ref === undefined) {
      const name = `seal-${requirement}-t${String(tcId).padStart(2, '0')}-pass-${a.name}.pem`;
      const text = pem('CERTIFICATE', a.der);
      pending.set(name, text);
      ref = { file: `fixtures/${name}`, sha256: sha(text) };
      manifest.push({ file: name, sha256: ref.sha256, reason: `trust anchor ${a.name} (development CA, PEM), first used by tcId ${tcId}` });
      anchorFiles.set(a.name, ref);
    }
    return ref;
  };
  const groups = new Map<string, unknown[]>();
  cases.forEach((c, i) => {
    const tcId = i + 1;
    const name = `seal-${c.requirement}-t${String(tcId).padStart(2, '0')}-${c.result === 'invalid' ? 'fail' : 'pass'}-${c.variant}.${c.ext ?? 'p7m'}`;
    pending.set(name, c.bytes);
    const h = sha(c.bytes);
    manifest.push({ file: name, sha256: h, reason: c.comment });
    const test = {
      tcId,
      comment: c.comment,
      requirements: [c.requirement, ...(c.also ?? [])],
      flags: c.flags,
      input: {
        record: { file: `fixtures/${name}`, sha256: h },
        trustAnchors: c.anchors.map((x) => anchorRef(tcId, c.requirement, x)),
        at: c.at,
        ...(c.expect === undefined ? {} : { expect: c.expect }),
      },
      result: c.result,
      ...(c.code === undefined ? {} : { expected: { code: c.code } }),
    };
    const list = groups.get(c.group) ?? [];
    list.push(test);
    groups.set(c.group, list);
  });
  const comments: Record<string, string> = {
    sdk: 'Records sealed by the SDK: valid ones, an untrusted CA, a checking time before signing or after expiry.',
    damaged: 'Copies of a valid record with one defect: signature or content changed, image swapped, cut, not CMS.',
    binding: 'Valid records presented for another bordereau or other content (expect given in the input).',
    openssl:
      'Records produced by OpenSSL cms with the seal key from the content of a record sealed on the real clock (OpenSSL signs at its own time), good and with each defect.',
  };
  const file = {
    schema: 's3404-test-vectors/2.0',
    area: 'seal',
    title: 'Sealed signature records: verification and binding (SIG-2, SIG-3, SIG-4)',
    generator: 'packages/conformance/generate/seal-records.ts',
    notes: NOTES,
    numberOfTests: cases.length,
    testGroups: [...groups].map(([g, tests]) => ({ type: 'record-verify', comment: comments[g], tests })),
  };
  writeOwnFixtures(
    'seal',
    'records.json',
    manifest.map((m) => ({ name: m.file, bytes: pending.get(m.file)!, reason: m.reason })),
  );
  writeVectorFile('seal', 'records.json', file);
  const negatives = cases.filter((c) => c.result === 'invalid').length;
  process.stdout.write(`seal/records.json: ${cases.length} vectors, ${negatives} negative\n`);
}

await main();
