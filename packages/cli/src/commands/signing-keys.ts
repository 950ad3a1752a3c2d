import type { ContentSigner, ContentVerifier, Locale } from '@s3404/core';
import { createContentSigner, createContentVerifier, readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { need } from '../args.js';
import { readText, type Io } from '../io.js';

/** `--trust CA.pem`: the trust anchors (SIG-3). */
export async function trustAnchorsOf(io: Io, trust: string | undefined, locale: Locale): Promise<Uint8Array[]> {
  return readPemCertificates(await readText(io, need(trust, '--trust')), { locale });
}

/** `--cert PEM --key PEM`: the establishment's seal key and certificate chain (SIG-3). */
export async function sealKeyOf(
  io: Io,
  o: { readonly cert?: string | undefined; readonly key?: string | undefined; readonly locale: Locale },
): Promise<{ key: Uint8Array; certificate: Uint8Array; chain: Uint8Array[] }> {
  const certificates = readPemCertificates(await readText(io, need(o.cert, '--cert')), { locale: o.locale });
  const key = readPemPrivateKey(await readText(io, need(o.key, '--key')), { locale: o.locale });
  return { key, certificate: certificates[0]!, chain: certificates.slice(1) };
}

/** A ContentSigner from `--cert --key` (AUD-2, AUD-4, SCOR-2): the CLI wires seal into audit and scor. */
export async function contentSignerOf(
  io: Io,
  o: { readonly cert?: string | undefined; readonly key?: string | undefined; readonly locale: Locale },
  now: Date,
): Promise<ContentSigner> {
  const k = await sealKeyOf(io, o);
  return createContentSigner({ key: k.key, certificate: k.certificate, chain: k.chain, now: () => now, locale: o.locale });
}

/** A ContentVerifier from `--trust CA.pem`, or none without it (AUD-2, AUD-4). */
export async function contentVerifierOf(io: Io, trust: string | undefined, locale: Locale, now: Date): Promise<ContentVerifier | undefined> {
  if (trust === undefined) return undefined;
  return createContentVerifier({ trustAnchors: await trustAnchorsOf(io, trust, locale), now: () => now, locale });
}
