/**
 * The independent verifiers the PAdES tests check our seals with — Debian's
 * poppler (`pdfsig`, `pdftoppm`), MuPDF (`mutool sign -v`), qpdf and
 * OpenSSL (`cms -verify`, `ts -verify`, `ca -gencrl`) — and the CMS taken
 * out of `/Contents` by hand (the ByteRange numbers, the DER length), with
 * pkijs for the time-stamp token: nothing here goes through the SDK.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** A tool's exit status and output (stdout + stderr). Never throws for a non-zero exit. */
export function tool(cmd: string, args: readonly string[], timeout = 30_000): { status: number; out: string } {
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout });
    return { status: 0, out };
  } catch (e) {
    const err = e as { status?: number | null; stdout?: string; stderr?: string; code?: string };
    if (err.code === 'ENOENT') throw new Error(`${cmd} is not installed (apt-get install -y qpdf poppler-utils mupdf-tools openssl libnss3-tools)`);
    return { status: err.status ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A scratch directory for one test file, with an NSS database that trusts the development CA (for pdfsig). */
export interface Workdir {
  readonly dir: string;
  /** Writes `bytes` as `name` in the directory and returns its path. */
  file(name: string, bytes: Uint8Array | string): string;
  /**
   * `sql:DIR` of an NSS database trusting `caPem` (made once per set of certificates). `extraPems` are
   * added without trust: poppler 22.12 reports "Unknown issue with Certificate" for the second of two
   * signatures by one certificate when that certificate is only in the signatures (it decodes it twice
   * as a temporary certificate; two signatures made by pdfsig itself show the same), not when the
   * database already holds it.
   */
  nssdb(caPem: string, extraPems?: readonly string[]): string;
  remove(): void;
}

export function workdir(): Workdir {
  const dir = mkdtempSync(join(tmpdir(), 's3404-pades-'));
  const dbs = new Map<string, string>();
  const file = (name: string, bytes: Uint8Array | string): string => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  return {
    dir,
    file,
    nssdb(caPem, extraPems = []) {
      const key = [caPem, ...extraPems].join('');
      let db = dbs.get(key);
      if (db !== undefined) return db;
      const d = join(dir, `nss${dbs.size}`);
      mkdirSync(d);
      const ca = file(`nss${dbs.size}-ca.pem`, caPem);
      let r = tool('certutil', ['-N', '-d', `sql:${d}`, '--empty-password']);
      if (r.status !== 0) throw new Error(`certutil -N: ${r.out}`);
      r = tool('certutil', ['-A', '-d', `sql:${d}`, '-n', 'ca', '-t', 'CT,C,C', '-i', ca]);
      if (r.status !== 0) throw new Error(`certutil -A: ${r.out}`);
      for (const [i, pem] of extraPems.entries()) {
        r = tool('certutil', ['-A', '-d', `sql:${d}`, '-n', `extra${i}`, '-t', ',,', '-i', file(`nss${dbs.size}-extra${i}.pem`, pem)]);
        if (r.status !== 0) throw new Error(`certutil -A: ${r.out}`);
      }
      db = `sql:${d}`;
      dbs.set(key, db);
      return db;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `qpdf --check`: 0 clean, 3 warnings only, 2 errors. */
export function qpdfCheck(w: Workdir, pdf: Uint8Array, name = 'check.pdf'): { status: number; out: string } {
  return tool('qpdf', ['--check', w.file(name, pdf)]);
}

/** One signature as `pdfsig` reports it. */
export interface PdfsigSignature {
  readonly text: string;
  readonly valid: boolean;
  readonly trusted: boolean;
  readonly total: boolean;
}

/** `pdfsig -nssdir sql:DIR file.pdf`, split per signature. */
export function pdfsig(
  w: Workdir,
  pdf: Uint8Array,
  caPem: string,
  name = 'sig.pdf',
  extraPems?: readonly string[],
): { status: number; out: string; signatures: PdfsigSignature[] } {
  const r = tool('pdfsig', ['-nssdir', w.nssdb(caPem, extraPems), w.file(name, pdf)]);
  const blocks = r.out.split(/^Signature #\d+:$/m).slice(1);
  return {
    ...r,
    signatures: blocks.map((text) => ({
      text,
      valid: /Signature Validation: Signature is Valid\./.test(text),
      trusted: /Certificate Validation: Certificate is Trusted\./.test(text),
      total: /Total document signed/.test(text) && !/Not total document signed/.test(text),
    })),
  };
}

/** `mutool sign -v file.pdf`. */
export function mutoolVerify(w: Workdir, pdf: Uint8Array, name = 'mu.pdf'): { status: number; out: string } {
  return tool('mutool', ['sign', '-v', w.file(name, pdf)]);
}

/** `pdftoppm -r 50 -f 1 -l 1 -png`: the size of the PNG of page 1. */
export function renderPage1(w: Workdir, pdf: Uint8Array, name = 'render'): number {
  const input = w.file(`${name}.pdf`, pdf);
  const r = tool('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-png', '-singlefile', input, join(w.dir, name)]);
  if (r.status !== 0) return 0;
  const png = readFileSync(join(w.dir, `${name}.png`));
  return png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? png.length : 0;
}

/** The bytes a `/ByteRange [a b c d]` covers. */
export function coveredBytes(pdf: Uint8Array, br: readonly number[]): Uint8Array {
  const [a, b, c, d] = br as [number, number, number, number];
  return Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
}

/** The CMS in `/Contents <…>` between the two ranges: hex decoded, the zero padding cut by the DER length. */
export function extractCms(pdf: Uint8Array, br: readonly number[]): Uint8Array {
  const hex = Buffer.from(pdf.subarray(br[1]! + 1, br[2]! - 1)).toString('latin1');
  const bytes = Buffer.from(hex, 'hex');
  if (bytes[0] !== 0x30) throw new Error('/Contents does not start with a DER SEQUENCE');
  let len = bytes[1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
    head = 2 + n;
  }
  return new Uint8Array(bytes.subarray(0, head + len));
}

/** The `/ByteRange` numbers of every signature dictionary in the file, read from the bytes (last written last). */
export function byteRangesIn(pdf: Uint8Array): number[][] {
  const text = Buffer.from(pdf).toString('latin1');
  return [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number));
}

/** The signature value and the signature time-stamp token (unsigned attribute 1.2.840.113549.1.9.16.2.14) of a CMS, read with pkijs. */
export function cmsParts(cms: Uint8Array): { signature: Uint8Array; token?: Uint8Array; signedAttributes: string[] } {
  const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(Uint8Array.from(cms)).result });
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0]!;
  const attr = si.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
  const token = attr === undefined ? undefined : new Uint8Array(attr.values[0]!.toBER(false));
  return {
    signature: new Uint8Array(si.signature.valueBlock.valueHexView),
    ...(token === undefined ? {} : { token }),
    signedAttributes: si.signedAttrs?.attributes.map((a) => a.type) ?? [],
  };
}

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * Every external check of one sealed PDF's last signature and its time-stamp:
 * `openssl cms -verify` over the covered bytes, `openssl cms -cmsout -print`
 * (no signingTime, a signingCertificateV2), `openssl ts -verify` of the
 * token against the SHA-256 of the signature value.
 */
export function opensslChecks(
  w: Workdir,
  pdf: Uint8Array,
  br: readonly number[],
  files: { readonly caPem: string; readonly tsaPem: string },
  tag = 'o',
): { cmsVerify: { status: number; out: string }; print: string; token?: { status: number; out: string }; signedAttributes: string[] } {
  const cms = extractCms(pdf, br);
  const sig = w.file(`${tag}-sig.der`, cms);
  const content = w.file(`${tag}-covered.bin`, coveredBytes(pdf, br));
  const ca = w.file(`${tag}-ca.pem`, files.caPem);
  const cmsVerify = tool('openssl', [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    sig,
    '-content',
    content,
    '-CAfile',
    ca,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  const print = tool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig]).out;
  const parts = cmsParts(cms);
  let token: { status: number; out: string } | undefined;
  if (parts.token !== undefined) {
    const tok = w.file(`${tag}-token.der`, parts.token);
    const tsa = w.file(`${tag}-tsa.pem`, files.tsaPem);
    token = tool('openssl', ['ts', '-verify', '-in', tok, '-token_in', '-digest', sha256Hex(parts.signature), '-CAfile', ca, '-untrusted', tsa]);
  }
  return { cmsVerify, print, ...(token === undefined ? {} : { token }), signedAttributes: parts.signedAttributes };
}

/**
 * A CRL of the development CA made by `openssl ca -gencrl` (an empty
 * revocation list, a minimal `ca` configuration), as DER.
 */
export function opensslCrl(w: Workdir, files: { readonly caPem: string; readonly caKeyPem: string }): Uint8Array {
  const d = join(w.dir, 'crl-ca');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'crlnumber'), '01\n');
  writeFileSync(join(d, 'ca.pem'), files.caPem);
  writeFileSync(join(d, 'ca-key.pem'), files.caKeyPem);
  writeFileSync(
    join(d, 'openssl.cnf'),
    `[ ca ]\ndefault_ca = dev\n[ dev ]\ndir = ${d}\ndatabase = $dir/index.txt\ncrlnumber = $dir/crlnumber\ncertificate = $dir/ca.pem\nprivate_key = $dir/ca-key.pem\ndefault_md = sha256\ndefault_crl_days = 30\n`,
  );
  const r = tool('openssl', ['ca', '-gencrl', '-config', join(d, 'openssl.cnf'), '-out', join(d, 'crl.pem')]);
  if (r.status !== 0) throw new Error(`openssl ca -gencrl: ${r.out}`);
  const der = tool('openssl', ['crl', '-in', join(d, 'crl.pem'), '-outform', 'DER', '-out', join(d, 'crl.der')]);
  if (der.status !== 0) throw new Error(`openssl crl: ${der.out}`);
  return new Uint8Array(readFileSync(join(d, 'crl.der')));
}
