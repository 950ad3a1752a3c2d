/**
 * The PAdES seal (SIG-3, SIG-5) through its public API, checked by tools
 * nobody here wrote: poppler's pdfsig (NSS), MuPDF's `mutool sign -v`,
 * qpdf, pdftoppm and OpenSSL (`cms -verify` over the ByteRange bytes,
 * `ts -verify` of the signature time-stamp). Then tampering, and bad
 * input to `seal`. Attacks from the literature: pades-attacks.test.ts;
 * fuzzing: pades-fuzz.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isS3404Error, type TimeStamper } from '@s3404/core';
import { extractPdfRevision, listPdfRevisions } from '@s3404/form/pdf';
import { createHttpTimeStamper, type DevelopmentTsa } from '@s3404/seal';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { createPdfSealer, verifyPdfSeal, type PdfSealer, type SealedPdf } from '@s3404/seal/pdf';
import { alterRequest } from './support/tsa-server.js';
import { bordereauPdf, devPki, devTsa, later, NOW, sealerFor, verify } from './support/pades-fixtures.js';
import { latin1, patch, text } from './support/pades-pdf.js';
import { extractCms, mutoolVerify, opensslChecks, opensslCrl, pdfsig, qpdfCheck, renderPage1, tool, workdir, type Workdir } from './support/pades-tools.js';

let pki: DevelopmentPki;
let rsa: DevelopmentPki;
let tsa: DevelopmentTsa;
let flat: Uint8Array;
let fillable: Uint8Array;
let sealer: PdfSealer;
let stamped: PdfSealer;
let w: Workdir;

beforeAll(async () => {
  [pki, rsa, flat, fillable] = await Promise.all([devPki('ecdsa-p256', 7), devPki('rsa-2048', 8), bordereauPdf('flat'), bordereauPdf('fillable')]);
  tsa = await devTsa(pki);
  sealer = await sealerFor(pki);
  stamped = await sealerFor(pki, { timestamper: tsa.stamper });
  w = workdir();
});
afterAll(() => w?.remove());

/**
 * Every external check of a sealed PDF: qpdf on the file and on each
 * revision, pdftoppm on each revision, pdfsig (every signature valid and
 * trusted; the last one total unless a DSS revision follows), mutool,
 * OpenSSL on the CMS of `sealed` and on its time-stamp token.
 */
function externalChecks(p: DevelopmentPki, sealed: SealedPdf, tag: string, expect_: { signatures: number; total: boolean; token: boolean }): void {
  const pdf = sealed.pdf;
  expect(qpdfCheck(w, pdf, `${tag}.pdf`).status, 'qpdf --check').toBe(0);
  const { revisions } = listPdfRevisions(pdf);
  for (const r of revisions) {
    const rev = extractPdfRevision(pdf, r.index);
    expect(rev.length).toBe(r.byteLength);
    const q = qpdfCheck(w, rev, `${tag}-r${r.index}.pdf`);
    expect(q.status, `qpdf --check revision ${r.index}: ${q.out}`).toBe(0);
    expect(renderPage1(w, rev, `${tag}-r${r.index}`), `pdftoppm revision ${r.index}`).toBeGreaterThan(1000);
  }
  // With two signatures by one certificate, the seal certificate is in the NSS database too (see nssdb).
  const s = pdfsig(w, pdf, p.files['ca.pem'], `${tag}-sig.pdf`, expect_.signatures > 1 ? [p.files['seal-cert.pem']] : []);
  expect(s.signatures, s.out).toHaveLength(expect_.signatures);
  for (const sig of s.signatures) {
    expect(sig.valid, sig.text).toBe(true);
    expect(sig.trusted, sig.text).toBe(true);
    expect(sig.text).toContain('ETSI.CAdES.detached');
  }
  expect(s.signatures.at(-1)!.total, s.out).toBe(expect_.total);
  // mutool on the document as sealed (the revision the ByteRange ends).
  const end = sealed.byteRange[2] + sealed.byteRange[3];
  const sealedRev = revisions.find((r) => r.byteLength === end);
  expect(sealedRev, 'a revision ends where the ByteRange ends').toBeDefined();
  const mu = mutoolVerify(w, extractPdfRevision(pdf, sealedRev!.index), `${tag}-mu.pdf`);
  expect(mu.out).toContain('The document is unchanged since signing');
  expect(mu.out).not.toMatch(/signature is not valid|digest|mismatch/i);
  const o = opensslChecks(w, pdf, sealed.byteRange, { caPem: p.files['ca.pem'], tsaPem: p.files['tsa-cert.pem'] }, tag);
  expect(o.cmsVerify.status, `openssl cms -verify: ${o.cmsVerify.out}`).toBe(0);
  expect(o.print).toContain('signingCertificateV2');
  expect(o.print).not.toMatch(/signingTime|1\.2\.840\.113549\.1\.9\.5\b/);
  expect(o.signedAttributes).toEqual(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.16.2.47']);
  if (expect_.token) {
    expect(o.token?.out, 'openssl ts -verify').toContain('Verification: OK');
    expect(o.token?.status).toBe(0);
  } else expect(o.token).toBeUndefined();
}

describe('sealed bordereaux pass our verifier and pdfsig, mutool, qpdf, OpenSSL (SIG-3)', () => {
  it('B-B', async () => {
    const sealed = await sealer.seal(flat);
    expect(sealed).toMatchObject({ level: 'B-B', revision: 2, signingTime: later(1).toISOString() });
    expect(sealed.pdf.subarray(0, flat.length)).toEqual(flat);
    const v = await verify(sealed.pdf, pki);
    expect(v).toMatchObject({
      ok: true,
      status: 'passed',
      issues: [],
      revisions: [
        { index: 1, kind: 'original' },
        { index: 2, kind: 'signature' },
      ],
    });
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]).toMatchObject({
      status: 'passed',
      level: 'B-B',
      revision: 2,
      coversWholeDocument: true,
      laterRevisions: [],
      byteRange: [...sealed.byteRange],
    });
    expect(v.signatures[0]!.signingTime).toBe(sealed.signingTime);
    externalChecks(pki, sealed, 'bb', { signatures: 1, total: true, token: false });
  });

  it('B-T with the in-process development TSA: openssl ts -verify accepts the token over the signature value', async () => {
    const sealed = await stamped.seal(flat);
    expect(sealed).toMatchObject({ level: 'B-T', timestampTime: later(2).toISOString() });
    const v = await verify(sealed.pdf, pki);
    expect(v.ok).toBe(true);
    expect(v.signatures[0]).toMatchObject({ level: 'B-T', timestamp: { genTime: later(2).toISOString() } });
    externalChecks(pki, sealed, 'bt', { signatures: 1, total: true, token: true });
  });

  it('B-LT: a DSS revision with the CA certificate and a CRL from `openssl ca -gencrl`', async () => {
    const crl = opensslCrl(w, { caPem: pki.files['ca.pem'], caKeyPem: pki.files['ca-key.pem'] });
    expect(tool('openssl', ['crl', '-inform', 'DER', '-in', w.file('dev.crl', crl), '-noout', '-issuer']).out).toContain('S3404 Development Root CA');
    const sealed = await stamped.seal(flat, { revocation: { certificates: [pki.ca.certificate], crls: [crl] } });
    expect(sealed).toMatchObject({ level: 'B-LT', revision: 3 });
    const v = await verify(sealed.pdf, pki);
    expect(v.ok).toBe(true);
    expect(v.revisions.map((r) => r.kind)).toEqual(['original', 'signature', 'dss']);
    expect(v.signatures[0]).toMatchObject({ level: 'B-LT', revision: 2, coversWholeDocument: false, laterRevisions: [{ revision: 3, kind: 'dss' }] });
    // The DSS holds the CRL and the certificates as written.
    const body = text(sealed.pdf.subarray(listPdfRevisions(sealed.pdf).revisions[1]!.byteLength));
    expect(body).toMatch(/\/DSS \d+ 0 R/);
    expect(body).toMatch(/\/CRLs \[\d+ 0 R\]/);
    expect(body).toMatch(/\/Certs \[\d+ 0 R \d+ 0 R\]/);
    expect(Buffer.from(sealed.pdf).indexOf(Buffer.from(crl))).toBeGreaterThan(0);
    externalChecks(pki, sealed, 'blt', { signatures: 1, total: false, token: true });
    // mutool on the whole file: the signature holds, with an edit after it (the DSS).
    expect(mutoolVerify(w, sealed.pdf, 'blt-all.pdf').out).toMatch(/signature is valid/i);
  });

  it('a second seal after the first: both pass, the first reports a later signature revision', async () => {
    const first = await sealer.seal(flat);
    const second = await stamped.seal(first.pdf);
    expect(second).toMatchObject({ level: 'B-T', revision: 3 });
    const v = await verify(second.pdf, pki);
    expect(v.ok).toBe(true);
    expect(v.signatures.map((s) => s.field)).toEqual(['Sceau2', 'Sceau3']);
    expect(v.signatures[0]).toMatchObject({ status: 'passed', revision: 2, coversWholeDocument: false, laterRevisions: [{ revision: 3, kind: 'signature' }] });
    expect(v.signatures[1]).toMatchObject({ status: 'passed', revision: 3, coversWholeDocument: true, laterRevisions: [] });
    const s = pdfsig(w, second.pdf, pki.files['ca.pem'], 'two.pdf', [pki.files['seal-cert.pem']]);
    expect(s.signatures).toHaveLength(2);
    expect(s.signatures[0]!.text).toContain('Not total document signed');
    expect(s.signatures.every((x) => x.valid && x.trusted)).toBe(true);
    externalChecks(pki, second, 'two', { signatures: 2, total: true, token: true });
    // The first signature, checked alone by OpenSSL in the full file.
    expect(opensslChecks(w, second.pdf, first.byteRange, { caPem: pki.files['ca.pem'], tsaPem: pki.files['tsa-cert.pem'] }, 'two-first').cmsVerify.status).toBe(
      0,
    );
  });

  it('a fillable bordereau (AcroForm already there): the seal field joins its fields', async () => {
    const sealed = await stamped.seal(fillable);
    const v = await verify(sealed.pdf, pki);
    expect(v.ok, JSON.stringify(v.issues)).toBe(true);
    expect(v.revisions.map((r) => r.kind)).toEqual(['original', 'signature']);
    externalChecks(pki, sealed, 'fill', { signatures: 1, total: true, token: true });
  });

  it('an RSA-2048 PKI, B-T', async () => {
    const rsaTsa = await devTsa(rsa);
    const sealed = await (await sealerFor(rsa, { timestamper: rsaTsa.stamper })).seal(flat);
    const v = await verify(sealed.pdf, rsa);
    expect(v.ok).toBe(true);
    expect(v.signatures[0]).toMatchObject({ level: 'B-T' });
    externalChecks(rsa, sealed, 'rsa', { signatures: 1, total: true, token: true });
    expect(opensslChecks(w, sealed.pdf, sealed.byteRange, { caPem: rsa.files['ca.pem'], tsaPem: rsa.files['tsa-cert.pem'] }, 'rsa2').print).toContain(
      'rsaEncryption',
    );
  });
});

/** A whitespace byte changed to another white-space (the file still parses, offsets unchanged) near `target`, searching `dir`. */
function changeWhitespace(pdf: Uint8Array, target: number, dir: 1 | -1): { pdf: Uint8Array; at: number } {
  let at = target;
  while (![0x20, 0x0a, 0x0d].includes(pdf[at]!)) at += dir;
  const out = Uint8Array.from(pdf);
  out[at] = pdf[at] === 0x0a ? 0x0d : 0x0a;
  return { pdf: out, at };
}

describe('tampering (SIG-5)', () => {
  let sealed: SealedPdf;
  beforeAll(async () => {
    sealed = await sealer.seal(flat);
  });

  it('one byte changed at the start, middle and end of each signed range: failed HASH_FAILURE; pdfsig and mutool disagree with the digest', async () => {
    const [, a, b, c] = sealed.byteRange;
    const spots: [string, number, 1 | -1][] = [
      ['range 1 start', 0, 1],
      ['range 1 middle', Math.floor(a / 2), 1],
      ['range 1 end', a - 1, -1],
      ['range 2 start', b, 1],
      ['range 2 middle', b + Math.floor(c / 2), 1],
      ['range 2 end', b + c - 1, -1],
    ];
    for (const [label, target, dir] of spots) {
      const { pdf, at } = changeWhitespace(sealed.pdf, target, dir);
      expect(Math.abs(at - target), label).toBeLessThan(5000);
      const v = await verify(pdf, pki);
      expect(v.status, label).toBe('failed');
      expect(v.signatures[0], label).toMatchObject({ status: 'failed', subIndication: 'HASH_FAILURE', code: 'ERR_SEAL_DIGEST_MISMATCH' });
      const s = pdfsig(w, pdf, pki.files['ca.pem'], 'tamper.pdf');
      expect(s.signatures[0]?.valid, `${label}: ${s.out}`).toBe(false);
      expect(s.out, label).toMatch(/Digest Mismatch|Signature is Invalid/);
      expect(mutoolVerify(w, pdf, 'tamper-mu.pdf').out, label).toMatch(/signature is not valid|digest|mismatch|changed since signing/i);
    }
  });

  it('a byte of /Contents changed: in the signature value, failed SIG_CRYPTO_FAILURE; in the zero padding, failed; anywhere in the CMS, never passed', async () => {
    const [, a, b] = sealed.byteRange;
    const cmsHex = extractCms(sealed.pdf, sealed.byteRange).length * 2;
    const change = (at: number): Uint8Array => {
      const pdf = Uint8Array.from(sealed.pdf);
      pdf[at] = pdf[at] === 0x41 ? 0x42 : 0x41;
      return pdf;
    };
    // The ECDSA signature value ends the CMS (no unsigned attributes at B-B).
    const inSignature = await verify(change(a + 1 + cmsHex - 10), pki);
    expect(inSignature).toMatchObject({ ok: false, status: 'failed' });
    expect(inSignature.signatures[0]).toMatchObject({ status: 'failed', subIndication: 'SIG_CRYPTO_FAILURE' });
    const inPadding = await verify(change(b - 3), pki);
    expect(inPadding).toMatchObject({ ok: false, status: 'failed' });
    expect(inPadding.signatures[0]).toMatchObject({ status: 'failed', code: 'ERR_SEAL_MALFORMED' });
    for (let at = a + 1; at < a + 1 + cmsHex; at += 37) {
      const v = await verify(change(at), pki);
      expect(v.ok, `offset ${at - a - 1} of the hex`).toBe(false);
      expect(v.signatures[0]!.status).not.toBe('passed');
    }
  });

  it('another PKI as trust anchor: indeterminate NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const other = await devPki('ecdsa-p256', 99);
    const v = await verify(sealed.pdf, other);
    expect(v).toMatchObject({ ok: false, status: 'indeterminate' });
    expect(v.signatures[0]).toMatchObject({ status: 'indeterminate', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', code: 'ERR_CERT_UNTRUSTED' });
    const s = pdfsig(w, sealed.pdf, other.files['ca.pem'], 'untrusted.pdf');
    expect(s.signatures[0]!.valid).toBe(true);
    expect(s.signatures[0]!.trusted).toBe(false);
  });

  it('a seal certificate expired at verification time: indeterminate without a time-stamp, passed with one (genTime within validity)', async () => {
    const past = new Date(NOW.getTime() - 10 * 86_400_000);
    const old = await devPki('ecdsa-p256', 11, { now: () => past, validityDays: 2 });
    const oldTsa = await (await import('@s3404/seal')).createDevelopmentTsa({
      certificate: old.tsa.certificate,
      key: old.tsa.privateKey,
      now: () => new Date(past.getTime() + 5000),
    });
    const bb = await (await sealerFor(old, { now: () => new Date(past.getTime() + 1000) })).seal(flat);
    const v = await verifyPdfSeal(bb.pdf, { trustAnchors: [old.ca.certificate], now: () => NOW });
    expect(v.status).toBe('indeterminate');
    expect(v.signatures[0]).toMatchObject({ status: 'indeterminate', code: 'ERR_CERT_EXPIRED', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
    // At a time inside the validity it passes: only the clock changed.
    expect((await verifyPdfSeal(bb.pdf, { trustAnchors: [old.ca.certificate], now: () => new Date(past.getTime() + 60_000) })).ok).toBe(true);
    const bt = await (await sealerFor(old, { now: () => new Date(past.getTime() + 1000), timestamper: oldTsa.stamper })).seal(flat);
    const vt = await verifyPdfSeal(bt.pdf, { trustAnchors: [old.ca.certificate], now: () => NOW });
    expect(vt.signatures[0]!.timestamp?.genTime).toBe(new Date(past.getTime() + 5000).toISOString());
    expect(vt.status).toBe('passed');
    // Sealing with an expired certificate is refused outright.
    await expect((await sealerFor(old)).seal(flat)).rejects.toMatchObject({ code: 'ERR_CERT_EXPIRED' });
  });
});

describe('bad input to seal: coded errors, nothing written (SIG-3, X-2)', () => {
  const expectCode = async (p: Promise<unknown>, codes: string[]): Promise<void> => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e, 'seal must reject').toBeDefined();
    expect(isS3404Error(e), String(e)).toBe(true);
    expect(codes).toContain((e as { code: string }).code);
  };

  it('not a PDF: ERR_PDF_UNREADABLE (in English with locale en)', async () => {
    await expectCode(sealer.seal(latin1('hello, world\n')), ['ERR_PDF_UNREADABLE']);
    await expectCode(sealer.seal(new Uint8Array(0)), ['ERR_PDF_UNREADABLE']);
    const en = await createPdfSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now: () => later(1), locale: 'en' });
    await expect(en.seal(latin1('GIF89a....'))).rejects.toMatchObject({ code: 'ERR_PDF_UNREADABLE', message: expect.stringMatching(/^Unreadable PDF/) });
  });

  it('an encrypted PDF (qpdf --encrypt … 256): ERR_PDF_ENCRYPTED or ERR_PDF_XREF_INVALID, never a crash', async () => {
    const out = `${w.dir}/enc.pdf`;
    const r = tool('qpdf', ['--encrypt', 'u', 'o', '256', '--', w.file('plain.pdf', flat), out]);
    expect(r.status).toBe(0);
    const { readFileSync } = await import('node:fs');
    const enc = new Uint8Array(readFileSync(out));
    await expectCode(sealer.seal(enc), ['ERR_PDF_ENCRYPTED', 'ERR_PDF_XREF_INVALID']);
    const v = await verify(enc, pki);
    expect(v.status).toBe('failed');
  });

  it('a broken cross-reference: truncated (ERR_PDF_XREF_INVALID or ERR_PDF_UNREADABLE), a wrong startxref, a /Prev pointing nowhere: ERR_PDF_XREF_INVALID', async () => {
    const sealed = await sealer.seal(flat);
    // Cut before its only startxref, the file has no revision at all; cut inside a later revision, what is left
    // is the earlier revision with bytes after its %%EOF.
    await expectCode(sealer.seal(flat.slice(0, Math.floor(flat.length * 0.7))), ['ERR_PDF_XREF_INVALID', 'ERR_PDF_UNREADABLE']);
    await expectCode(sealer.seal(flat.slice(0, flat.length - 7)), ['ERR_PDF_XREF_INVALID', 'ERR_PDF_UNREADABLE']);
    await expectCode(sealer.seal(sealed.pdf.slice(0, sealed.pdf.length - 300)), ['ERR_PDF_NOT_SEALABLE']);
    expect((await verify(sealed.pdf.slice(0, sealed.pdf.length - 300), pki)).issues.map((i) => i.code)).toContain('ERR_PDF_MODIFIED_AFTER_SEAL');
    const t = text(flat);
    const sx = t.lastIndexOf('startxref');
    const num = /startxref\s+(\d+)/.exec(t.slice(sx))![1]!;
    const wrong = patch(flat, `startxref\n${num}`, `startxref\n${String(Number(num) - 7).padStart(num.length, '0')}`, sx);
    await expectCode(sealer.seal(wrong), ['ERR_PDF_XREF_INVALID']);
    const st = text(sealed.pdf);
    const prev = /\/Prev (\d+)/.exec(st.slice(flat.length))!;
    const badPrev = patch(sealed.pdf, prev[0], `/Prev ${String(Number(prev[1]) - 11)}`, flat.length);
    await expectCode(sealer.seal(badPrev), ['ERR_PDF_XREF_INVALID']);
    expect(() => listPdfRevisions(badPrev)).toThrow(expect.objectContaining({ code: 'ERR_PDF_XREF_INVALID' }));
    const en = await createPdfSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now: () => later(1), locale: 'en' });
    await expect(en.seal(badPrev)).rejects.toMatchObject({ message: expect.stringMatching(/^Invalid PDF revision structure/) });
  });

  it('a hybrid-reference file (a table trailer with /XRefStm): ERR_PDF_XREF_INVALID', async () => {
    const t = text(flat);
    const at = t.lastIndexOf('trailer');
    const hybrid = new Uint8Array(Buffer.concat([flat.subarray(0, at), latin1('trailer\n<< /XRefStm 17 '), flat.subarray(t.indexOf('<<', at) + 2)]));
    // startxref points before the trailer: the table is where it was.
    expect(text(hybrid)).toContain('/XRefStm 17');
    await expectCode(sealer.seal(hybrid), ['ERR_PDF_XREF_INVALID']);
  });

  it('object streams and a cross-reference stream (qpdf --object-streams=generate): sealing works, pdfsig valid', async () => {
    const out = `${w.dir}/objstm.pdf`;
    expect(tool('qpdf', ['--object-streams=generate', w.file('objstm-in.pdf', flat), out]).status).toBe(0);
    const { readFileSync } = await import('node:fs');
    const compressed = new Uint8Array(readFileSync(out));
    expect(listPdfRevisions(compressed).revisions[0]!.xref).toBe('stream');
    const sealed = await stamped.seal(compressed);
    expect(listPdfRevisions(sealed.pdf).revisions.map((r) => r.xref)).toEqual(['stream', 'stream']);
    const v = await verify(sealed.pdf, pki);
    expect(v.ok, JSON.stringify(v.issues)).toBe(true);
    externalChecks(pki, sealed, 'objstm', { signatures: 1, total: true, token: true });
    // And a second seal over the stream-sealed one.
    const twice = await sealer.seal(sealed.pdf);
    expect((await verify(twice.pdf, pki)).ok).toBe(true);
    expect(pdfsig(w, twice.pdf, pki.files['ca.pem'], 'objstm2.pdf', [pki.files['seal-cert.pem']]).signatures.map((s) => s.valid && s.trusted)).toEqual([
      true,
      true,
    ]);
    expect(qpdfCheck(w, twice.pdf, 'objstm2q.pdf').status).toBe(0);
  });

  it('contentsSize 64: ERR_PDF_SIGNATURE_TOO_LARGE, the input untouched', async () => {
    const copy = Uint8Array.from(flat);
    await expectCode(sealer.seal(flat, { contentsSize: 64 }), ['ERR_PDF_SIGNATURE_TOO_LARGE']);
    expect(flat).toEqual(copy);
    const en = await createPdfSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now: () => later(1), locale: 'en' });
    await expect(en.seal(flat, { contentsSize: 64 })).rejects.toMatchObject({ message: expect.stringContaining('Nothing was written') });
  });

  it('a certificate that does not match the key: ERR_KEY_MISMATCH at createPdfSealer', async () => {
    await expect(createPdfSealer({ key: rsa.seal.privateKey, certificate: pki.seal.certificate })).rejects.toMatchObject({ code: 'ERR_KEY_MISMATCH' });
    const other = await devPki('ecdsa-p256', 99);
    await expect(createPdfSealer({ key: other.seal.privateKey, certificate: pki.seal.certificate, locale: 'en' })).rejects.toMatchObject({
      code: 'ERR_KEY_MISMATCH',
      message: 'The private key does not match the seal certificate.',
    });
  });

  describe('a failing time-stamp source', () => {
    /** An HTTP stamper whose "network" is the development TSA, the request altered or replaced first. */
    const httpStamper = (mangle: (req: Uint8Array) => Uint8Array, locale?: 'en'): TimeStamper =>
      createHttpTimeStamper({
        url: 'https://tsa.invalid/tsp',
        ...(locale === undefined ? {} : { locale }),
        fetch: async (_url, init) => {
          const body = await tsa.respond(mangle(init.body));
          return {
            status: 200,
            headers: { get: (h: string) => (h.toLowerCase() === 'content-type' ? 'application/timestamp-reply' : null) },
            arrayBuffer: async () => Uint8Array.from(body).buffer,
          };
        },
      });
    const otherDigestToken = async (): Promise<Uint8Array> => tsa.stamper.timestamp(new Uint8Array(32).fill(7));
    const cases: [string, () => Promise<TimeStamper>, string[]][] = [
      ['a reply for another digest', async () => httpStamper((r) => alterRequest(r, 'digest')), ['ERR_TSA_RESPONSE_INVALID']],
      ['a rejection status (badDataFormat)', async () => httpStamper(() => latin1('not a request')), ['ERR_TSA_REJECTED']],
      [
        'an unreachable TSA',
        async () =>
          createHttpTimeStamper({
            url: 'http://127.0.0.1:9/tsp',
            fetch: async () => {
              throw new Error('ECONNREFUSED');
            },
          }),
        ['ERR_TSA_UNAVAILABLE'],
      ],
      [
        'a stamper that returns a genuine token for another digest',
        async () => {
          const token = await otherDigestToken();
          return { name: 'stub', timestamp: async () => token };
        },
        ['ERR_TSA_RESPONSE_INVALID', 'ERR_TIMESTAMP_INVALID'],
      ],
    ];
    for (const [label, make, codes] of cases) {
      it(`${label}: 'fail' throws ${codes.join('/')} and writes nothing; 'b-b' seals B-B with timestampError`, async () => {
        const stamper = await make();
        const copy = Uint8Array.from(flat);
        await expectCode(
          sealerFor(pki, { timestamper: stamper }).then((s) => s.seal(flat)),
          codes,
        );
        expect(flat).toEqual(copy);
        const bb = await (await sealerFor(pki, { timestamper: stamper, onTimestampFailure: 'b-b' })).seal(flat);
        expect(bb.level).toBe('B-B');
        expect(codes).toContain(bb.timestampError?.code);
        expect(bb.timestampError?.message.length).toBeGreaterThan(10);
        const v = await verify(bb.pdf, pki);
        expect(v.ok).toBe(true);
        expect(v.signatures[0]!.level).toBe('B-B');
      });
    }

    it('English messages of the time-stamp failures', async () => {
      const s = await sealerFor(pki, { timestamper: httpStamper(() => latin1('x'), 'en'), locale: 'en', onTimestampFailure: 'b-b' });
      const bb = await s.seal(flat);
      expect(bb.timestampError).toMatchObject({ code: 'ERR_TSA_REJECTED', message: expect.stringMatching(/^The time-stamping authority refused/) });
    });
  });
});
