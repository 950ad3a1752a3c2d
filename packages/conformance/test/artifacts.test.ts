import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { CoreError } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { judgeArtifacts, type ArtifactInput, type ConformanceSdk } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** `judgeArtifacts` judges a vendor's output files, runtime-neutral, with the SDK given. */
const FIXTURES = new URL('../../../test-vectors/pdf/fixtures/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));
const AT = new Date('2026-03-20T10:00:00.000Z');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The DER of the first certificate of a PEM file, decoded here without the SDK. */
function der(pem: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(pem);
  const b64 = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text)?.[1] ?? '';
  return new Uint8Array(Buffer.from(b64.replace(/\s+/g, ''), 'base64'));
}

const EVENT = (seq: number) => `{"action":"x","hash":"${'a'.repeat(64)}","prev":"${'0'.repeat(64)}","seq":${seq}}\n`;
const CMS_HEAD = [0x30, 0x82, 0x04, 0x3a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x82];

/** A fake SDK that records which verifier saw which bytes, and answers `ok`. */
function recordingSdk(seen: string[], ok = true): ConformanceSdk {
  const tag = (kind: string, b: Uint8Array): void => {
    seen.push(`${kind}:${sha(b).slice(0, 8)}`);
  };
  return {
    pdf: {
      verifyBordereauPdf: async (pdf) => {
        tag('form', pdf);
        return { ok, issues: ok ? [] : [{ code: 'ERR_PDF_NOT_AUTHENTIC' }] };
      },
      verifyPdfSeal: async (pdf) => {
        tag('pades', pdf);
        return { ok, status: ok ? 'passed' : 'failed', issues: [], signatures: [] };
      },
      checkBordereauRevisions: async (pdf) => {
        tag('revisions', pdf);
        return { ok: true, issues: [] };
      },
    },
    seal: {
      verifyRecord: async (b) => {
        tag('record', b);
        return ok ? { ok, issues: [] } : { ok, issues: [{ code: 'ERR_SEAL_MALFORMED' }] };
      },
    },
    scorLot: {
      packLot: async () => ({ ok: true, issues: [] }),
      verifyLot: async (b) => {
        tag('lot', b);
        return { ok, issues: [] };
      },
    },
    auditChain: {
      verifyTrace: async (b) => {
        tag('trace', b);
        return { ok, issues: [] };
      },
    },
    auditExports: {
      verifyExport: async (i) => {
        tag('export', i.manifestBytes);
        return { ok, issues: [] };
      },
    },
  };
}

describe('X-3 judgeArtifacts: recognising files by their content', () => {
  it('each kind by its content whatever its name, by its extension when the content says nothing, unknown otherwise', async () => {
    const files: ArtifactInput[] = [
      { path: 'a/bordereau.bin', bytes: utf8('%PDF-1.7\n%âãÏÓ\n') },
      { path: 'record.dat', bytes: new Uint8Array([...CMS_HEAD, 0, 0, 0]) },
      { path: 'record.pem', bytes: utf8('-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n') },
      { path: 'lot.bin', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) },
      { path: 'trace.log', bytes: utf8(EVENT(1) + EVENT(2)) },
      { path: 'damaged.pdf', bytes: utf8('not a pdf at all') },
      { path: 'notes.txt', bytes: utf8('hello') },
      { path: 'ca.crt', bytes: utf8('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') },
      { path: 'key.pem', bytes: utf8('-----BEGIN EC PRIVATE KEY-----\n') },
    ];
    const seen: string[] = [];
    const report = await judgeArtifacts({ sdk: recordingSdk(seen), files, trustAnchors: [new Uint8Array([1])], now: () => AT, sha256: nodeSha256 });
    const kind = (p: string) => report.artifacts.find((a) => a.path === p)?.kind;
    expect(kind('a/bordereau.bin')).toBe('bordereau-pdf');
    expect(kind('record.dat')).toBe('sealed-record');
    expect(kind('record.pem')).toBe('sealed-record');
    expect(kind('lot.bin')).toBe('scor-lot');
    expect(kind('trace.log')).toBe('audit-trace');
    expect(kind('damaged.pdf')).toBe('bordereau-pdf');
    expect(kind('notes.txt')).toBe('unknown');
    expect(kind('ca.crt')).toBe('certificate');
    expect(kind('key.pem')).toBe('private-key');
    expect(report.artifacts.filter((a) => a.verdict === 'not-judged').map((a) => a.path)).toEqual(['ca.crt', 'key.pem', 'notes.txt']);
    // Each verifier saw exactly the files of its kind; the PAdES check only where a /ByteRange is.
    expect(seen.filter((s) => s.startsWith('form:'))).toHaveLength(2);
    expect(seen.filter((s) => s.startsWith('pades:'))).toHaveLength(0);
    expect(seen).toContain(`trace:${sha(files[4]!.bytes!).slice(0, 8)}`);
    expect(report.ok).toBe(true);
    expect(report.artifacts.every((a) => a.sha256 === sha(files.find((f) => f.path === a.path)!.bytes!))).toBe(true);
  });

  it('fuzz: 3000 hostile files (random bytes behind each magic, each extension) are each listed once, never a throw', async () => {
    const heads = [
      '%PDF-',
      '-----BEGIN PKCS7-----',
      '-----BEGIN CERTIFICATE-----',
      '{"seq":1,"prev":"","hash":"","action":"a"}\n',
      '{"type":"s3404-audit-export","files":[{"name":"../../etc/passwd"},{"name":"x"}]}',
      'PK\u0003\u0004',
      '',
    ];
    const exts = ['pdf', 'p7m', 'zip', 'jsonl', 'json', 'checkpoint', 'p7s', 'bin'];
    const files: ArtifactInput[] = [];
    for (let i = 0; i < 3000; i++) {
      const head = utf8(heads[i % heads.length]!);
      const body = randomBytes(i % 97 === 0 ? 300_000 : i % 700);
      const bytes = new Uint8Array(head.length + body.length);
      bytes.set(head);
      bytes.set(body, head.length);
      if (i % 11 === 0 && bytes.length >= CMS_HEAD.length) bytes.set(CMS_HEAD);
      files.push({ path: `f${i}.${exts[i % exts.length]}`, bytes });
    }
    const started = Date.now();
    const report = await judgeArtifacts({
      sdk: createPackagesSdk({ sha256: nodeSha256 }),
      files,
      trustAnchors: [der(fixture('pdf-SIG-3-t08-pass-ca.pem'))],
      now: () => AT,
      sha256: nodeSha256,
    });
    expectWithinBound(Date.now() - started, 60_000, 'listing 3000 hostile files', { clock: 'wall' });
    expect(report.artifacts).toHaveLength(3000);
    expect(report.ok).toBe(false);
    expect(report.tests.length).toBeGreaterThan(2000);
    expect(report.tests.filter((t) => t.outcome === 'passed')).toEqual([]);
    expect(report.tests.filter((t) => t.detail?.startsWith('uncoded exception'))).toEqual([]);
  }, 120_000);
});

describe('X-3 judgeArtifacts: verdicts', () => {
  it('a PAdES-sealed bordereau of the vectors passes FORM-4/6/7, SIG-5 and SIG-3 with the SDK; its byte-flipped sibling fails FORM alone', async () => {
    const sealed = fixture('pdf-SIG-3-t08-pass-sealed-b-b.pdf');
    const flipped = fixture('pdf-FORM-4-t05-fail-rev1-byte-flipped.pdf');
    const report = await judgeArtifacts({
      sdk: createPackagesSdk({ sha256: nodeSha256 }),
      files: [
        { path: 'sealed.pdf', bytes: sealed },
        { path: 'flipped.pdf', bytes: flipped },
      ],
      trustAnchors: [der(fixture('pdf-SIG-3-t08-pass-ca.pem'))],
      now: () => AT,
    });
    const of = (file: string) => report.tests.filter((t) => t.file === file).map((t) => `${t.type}:${t.outcome}`);
    expect(of('sealed.pdf')).toEqual(['bordereau-pdf:passed', 'bordereau-revisions:passed', 'pades-seal:passed']);
    expect(of('flipped.pdf')).toEqual(['bordereau-pdf:failed', 'bordereau-revisions:passed']);
    expect(report.tests.find((t) => t.file === 'flipped.pdf')?.code).toBe('ERR_PDF_NOT_AUTHENTIC');
    expect(report.requirements['FORM-4']).toMatchObject({ verdict: 'failed', passed: 1, failed: 1 });
    expect(report.requirements['SIG-3']).toMatchObject({ verdict: 'passed', passed: 1 });
    expect(report.ok).toBe(false);
    expect(report.date).toBe(AT.toISOString());
    expect(report.files?.map((f) => [f.path, f.sha256])).toEqual([
      ['flipped.pdf', sha(flipped)],
      ['sealed.pdf', sha(sealed)],
    ]);
  });

  it('a verifier that throws: a coded error fails with its code, anything else fails as an uncoded exception; a missing area is indeterminate', async () => {
    const sdk: ConformanceSdk = {
      seal: {
        verifyRecord: async () => {
          throw new CoreError('ERR_INPUT_TOO_LARGE', { params: { received: 1, limit: 0 } });
        },
      },
      scorLot: {
        packLot: async () => ({ ok: true, issues: [] }),
        verifyLot: async () => {
          throw new RangeError('boom');
        },
      },
    };
    const report = await judgeArtifacts({
      sdk,
      files: [
        { path: 'r.p7m', bytes: new Uint8Array(CMS_HEAD) },
        { path: 'l.zip', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04]) },
        { path: 't.jsonl', bytes: utf8(EVENT(1)) },
      ],
      trustAnchors: [new Uint8Array([1])],
      now: () => AT,
    });
    const test = (file: string) => report.tests.find((t) => t.file === file);
    expect(test('r.p7m')).toMatchObject({ outcome: 'failed', code: 'ERR_INPUT_TOO_LARGE', requirements: ['SIG-2', 'SIG-3'] });
    expect(test('l.zip')).toMatchObject({ outcome: 'failed', requirements: ['SCOR-2'] });
    expect(test('l.zip')?.detail).toContain('uncoded exception: RangeError: boom');
    expect(test('t.jsonl')).toMatchObject({ outcome: 'indeterminate', requirements: ['AUD-1', 'AUD-2'] });
    expect(report.requirements['AUD-2']?.verdict).toBe('indeterminate');
  });

  it('a failure is blamed on the file it is in: an export’s data file, a trace’s witness that is no checkpoint line', async () => {
    const manifest = utf8(JSON.stringify({ type: 's3404-audit-export', files: [{ name: 'e.csv' }, { name: '../escape.csv' }] }));
    const sdk: ConformanceSdk = {
      auditExports: {
        verifyExport: async (i) => ({ ok: Object.keys(i.files).join() === 'x', issues: [{ code: 'ERR_AUDIT_EXPORT_FILE', path: ['files', 'e.csv', 3] }] }),
      },
      auditChain: { verifyTrace: async () => ({ ok: true, issues: [] }) },
    };
    const report = await judgeArtifacts({
      sdk,
      files: [
        { path: 'x/e.csv.manifest.json', bytes: manifest },
        { path: 'x/e.csv.manifest.p7s', bytes: new Uint8Array(CMS_HEAD) },
        { path: 'x/e.csv', bytes: utf8('a,b\n') },
        { path: 'escape.csv', bytes: utf8('a,b\n') },
        { path: 't.jsonl', bytes: utf8(EVENT(1)) },
        { path: 't.jsonl.checkpoint', bytes: utf8(EVENT(1)) },
      ],
      trustAnchors: [new Uint8Array([1])],
      now: () => AT,
    });
    const verdict = (p: string) => report.artifacts.find((a) => a.path === p);
    expect(verdict('x/e.csv')).toMatchObject({ kind: 'audit-export-data', verdict: 'failed', judgedWith: 'x/e.csv.manifest.json' });
    expect(verdict('x/e.csv.manifest.json')?.verdict).toBe('passed');
    expect(verdict('x/e.csv.manifest.p7s')).toMatchObject({ kind: 'audit-export-signature', verdict: 'passed' });
    expect(verdict('escape.csv')?.verdict).toBe('not-judged');
    expect(verdict('t.jsonl.checkpoint')).toMatchObject({ kind: 'audit-witness', verdict: 'failed' });
    expect(verdict('t.jsonl')?.verdict).toBe('passed');
    expect(report.tests.find((t) => t.file === 't.jsonl.checkpoint')).toMatchObject({ code: 'ERR_AUDIT_WITNESS_INVALID', requirements: ['AUD-2'] });
    expect(report.tests.find((t) => t.file === 'x/e.csv')?.fixtures?.map((f) => f.file)).toEqual(['x/e.csv.manifest.json', 'x/e.csv.manifest.p7s']);
  });

  it('files not read or too large are indeterminate and the report not ok; nothing judged is not ok; bad options are a TypeError', async () => {
    const seen: string[] = [];
    const report = await judgeArtifacts({
      sdk: recordingSdk(seen),
      files: [
        { path: 'gone.pdf', unreadable: 'symbolic link out of the folder' },
        { path: 'big.pdf', bytes: utf8('%PDF-1.7 and more') },
        { path: 'ok.zip', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04]) },
      ],
      maxFileBytes: 10,
      now: () => AT,
    });
    expect(report.artifacts.map((a) => [a.path, a.verdict])).toEqual([
      ['big.pdf', 'indeterminate'],
      ['gone.pdf', 'indeterminate'],
      ['ok.zip', 'passed'],
    ]);
    expect(report.artifacts[0]?.detail).toBe('not read: larger than 10 bytes');
    expect(seen).toHaveLength(1);
    expect(report.ok).toBe(false);
    expect((await judgeArtifacts({ sdk: {}, files: [{ path: 'n.txt', bytes: utf8('x') }], now: () => AT })).ok).toBe(false);
    await expect(judgeArtifacts({ sdk: {}, files: 'x' } as never)).rejects.toThrow(TypeError);
    await expect(judgeArtifacts(null as never)).rejects.toThrow(TypeError);
  });
});
