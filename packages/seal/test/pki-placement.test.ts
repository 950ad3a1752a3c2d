import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBordereauPdf, placeSignature } from '@s3404/form/pdf';
import { parseBordereauJson } from '@s3404/form';
import { readFileSync } from 'node:fs';
import { accountingDayScope, createCapture, createVerifier, readPemCertificates, readPemPrivateKey, signaturePlacement, writePem } from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { at, fixture, makePng, run, seededRandom, T0, withDir, write } from './helpers.js';

describe('development PKI (SIG-3)', () => {
  it('writes a CA, a seal certificate and a TSA certificate that OpenSSL accepts, with the right usages', async () => {
    const pki = await createDevelopmentPki({ now: () => T0, random: seededRandom(5) });
    await withDir(async (dir) => {
      write(dir, pki.files);
      expect(run('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'seal-cert.pem')]).stdout).toContain('OK');
      const seal = run('openssl', ['x509', '-in', join(dir, 'seal-cert.pem'), '-noout', '-text']).stdout;
      expect(seal).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
      expect(seal).toMatch(/CA:FALSE/);
      expect(seal).toContain('ASN1 OID: prime256v1');
      const ca = run('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-noout', '-text']).stdout;
      expect(ca).toMatch(/CA:TRUE, pathlen:0/);
      expect(ca).toMatch(/Certificate Sign, CRL Sign/);
      const tsa = run('openssl', ['x509', '-in', join(dir, 'tsa-cert.pem'), '-noout', '-text']).stdout;
      expect(tsa).toMatch(/Extended Key Usage: critical\s+Time Stamping/);
      expect(run('openssl', ['pkey', '-in', join(dir, 'seal-key.pem'), '-noout']).status).toBe(0);
    });
    expect(readPemCertificates(pki.files['ca.pem'])[0]).toEqual(pki.ca.certificate);
    expect(readPemPrivateKey(pki.files['seal-key.pem'])).toEqual(pki.seal.privateKey);
    expect(writePem(pki.ca.certificate, 'CERTIFICATE')).toBe(pki.files['ca.pem']);
  });

  it('refuses to seal with the TSA certificate (time-stamping only)', async () => {
    const pki = await createDevelopmentPki({ now: () => T0 });
    await expect(fixture({ overrides: { key: pki.tsa.privateKey, certificate: pki.tsa.certificate } })).rejects.toMatchObject({ code: 'ERR_CERT_KEY_USAGE' });
  });
});

describe('placing a verified record on the bordereau (FORM-6, SIG-8, SIG-10)', () => {
  const example = (name: string) => parseBordereauJson(readFileSync(new URL(`../../../examples/data/${name}.json`, import.meta.url), 'utf8'));

  it('draws a mandate line with « Mandat » and a day record with « journée comptable »', async () => {
    const b = example('mandat-pour-compte');
    const f = await fixture({ overrides: { establishment: { finess: b.establishment.finess } } });
    const { bytes: pdf, contentHash } = await renderBordereauPdf(b, { now: () => T0 });
    const verifier = createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(600) });
    // The director signs line 1 for its practitioner under a mandate.
    const line = b.fees.findIndex((l) => l.signature.mandate) + 1;
    const rpps = b.fees[line - 1]!.practitioner.rpps;
    f.mandates.add({ reference: 'MDT-EX', mandatorRpps: rpps, delegateId: 'dir-1', validFrom: '2026-01-01' });
    const ctx = await f.sealer.openContext({
      scope: { kind: 'line', bordereauId: b.id, contentHash, line, practitionerRpps: rpps },
      role: 'director',
      signer: { id: 'dir-1', name: 'M. Durand' },
      terminalId: 't',
      mandate: { reference: 'MDT-EX' },
    });
    const sealed = await f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(2) }));
    const checked = await verifier.verify(sealed.bytes, { expect: { bordereauId: b.id, contentHash, line, practitionerRpps: rpps } });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const placement = signaturePlacement(checked.record, { bordereauId: b.id });
    expect(placement).toMatchObject({ slot: `line:${line}`, mandate: true, bordereauId: b.id });
    let signed = await placeSignature(pdf, placement);
    // Then the director validates the whole accounting day.
    const scope = accountingDayScope({ finess: b.establishment.finess, day: '2026-03-20', bordereaux: [{ bordereauId: b.id, contentHash }] });
    const dayCtx = await f.sealer.openContext({ scope, role: 'director', signer: { id: 'dir-1', name: 'M. Durand' }, terminalId: 't' });
    const day = await f.sealer.seal(createCapture(dayCtx, { image: makePng(), capturedAt: at(4) }));
    const dayChecked = await verifier.verify(day.bytes, { expect: { bordereauId: b.id, contentHash, dayBordereaux: [{ bordereauId: b.id, contentHash }] } });
    expect(dayChecked.ok).toBe(true);
    if (!dayChecked.ok) return;
    signed = await placeSignature(signed, signaturePlacement(dayChecked.record, { bordereauId: b.id }));
    await withDir(async (dir) => {
      write(dir, { 'signed.pdf': signed });
      expect(run('qpdf', ['--check', join(dir, 'signed.pdf')]).status).toBe(0);
      const text = run('pdftotext', ['-layout', join(dir, 'signed.pdf'), '-']).stdout;
      expect(text).toContain('Mandat');
      expect(text).toContain('20/03/2026 11:00 journée comptable');
      expect(text).toContain(b.id);
    });
    expect(() => signaturePlacement(checked.record, { bordereauId: 'M008F-YZQ8Y-EBGVF-YEHYJ-6SSZ4-D' })).toThrow(
      expect.objectContaining({ code: 'ERR_RECORD_WRONG_BORDEREAU' }),
    );
  });
});
