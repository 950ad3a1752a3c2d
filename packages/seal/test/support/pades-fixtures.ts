/**
 * Shared set-up of the PAdES tests: a development PKI and an in-process TSA
 * on the wall clock (pdfsig and mutool check certificates at the real
 * time), a rendered bordereau, and the sealer over them.
 */
import { readFileSync } from 'node:fs';
import { parseBordereauJson } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { createDevelopmentTsa, type DevelopmentTsa } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki, type PkiAlgorithm } from '@s3404/seal/pki';
import { createPdfSealer, verifyPdfSeal, type PdfSealer, type PdfSealerOptions, type PdfSealVerdict } from '@s3404/seal/pdf';
import { seededRandom } from '../helpers.js';

/** The tests' "now": the wall clock at load time, to the second (the certificates start an hour before). */
export const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
export const later = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);

export function example(name = 'mco-chirurgie-pth') {
  return parseBordereauJson(readFileSync(new URL(`../../../../examples/data/${name}.json`, import.meta.url), 'utf8'));
}

/** A rendered bordereau (flat by default). */
export async function bordereauPdf(mode: 'flat' | 'fillable' = 'flat', name?: string): Promise<Uint8Array> {
  return (await renderBordereauPdf(example(name), { now: () => NOW, mode })).bytes;
}

export async function devPki(
  algorithm: PkiAlgorithm = 'ecdsa-p256',
  seed = 7,
  extra: { now?: () => Date; validityDays?: number } = {},
): Promise<DevelopmentPki> {
  return createDevelopmentPki({
    algorithm,
    now: extra.now ?? (() => NOW),
    random: seededRandom(seed),
    ...(extra.validityDays === undefined ? {} : { validityDays: extra.validityDays }),
  });
}

export async function devTsa(pki: DevelopmentPki): Promise<DevelopmentTsa> {
  return createDevelopmentTsa({ certificate: pki.tsa.certificate, key: pki.tsa.privateKey, now: () => later(2), random: seededRandom(3161) });
}

export async function sealerFor(pki: DevelopmentPki, extra: Partial<PdfSealerOptions> = {}): Promise<PdfSealer> {
  return createPdfSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now: () => later(1), ...extra });
}

/** Our verifier with the PKI's CA as anchor, a minute after the seal. */
export function verify(pdf: Uint8Array, pki: DevelopmentPki, at = later(60)): Promise<PdfSealVerdict> {
  return verifyPdfSeal(pdf, { trustAnchors: [pki.ca.certificate], now: () => at });
}
