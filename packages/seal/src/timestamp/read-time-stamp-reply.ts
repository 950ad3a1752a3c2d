import { bytesEqual, truncateForMessage, type Locale, type LocalizedText } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { parseSignedData } from '../internal/cms-parse.js';
import { DerError } from '../internal/der.js';
import { Failure } from '../internal/failure.js';
import { OID } from '../internal/oids.js';
import { MAX_TSP_BYTES } from './tsa-usage.js';
import { PKI_STATUS, parseResponse, parseTstInfo, type TstInfo } from './tsp-der.js';

const INVALID: Readonly<Record<'der' | 'no-token' | 'not-token' | 'imprint' | 'nonce' | 'too-large', LocalizedText>> = {
  der: { fr: 'pas une TimeStampResp DER', en: 'not a DER TimeStampResp' },
  'no-token': { fr: 'statut accordé sans jeton', en: 'status granted without a token' },
  'not-token': { fr: 'jeton illisible : pas un SignedData sur id-ct-TSTInfo', en: 'unreadable token: not a SignedData over id-ct-TSTInfo' },
  imprint: { fr: 'jeton émis pour une autre empreinte', en: 'token issued for another digest' },
  nonce: { fr: 'le nonce de la demande n’est pas repris', en: 'the nonce of the request is not echoed' },
  'too-large': { fr: `plus de ${MAX_TSP_BYTES} octets`, en: `more than ${MAX_TSP_BYTES} bytes` },
};

/** `ERR_TSA_RESPONSE_INVALID` with its detail. */
export function invalidReply(reason: keyof typeof INVALID, locale: Locale, cause?: unknown): SealError {
  return new SealError('ERR_TSA_RESPONSE_INVALID', { params: { detail: INVALID[reason] }, locale, cause });
}

/**
 * The token of a TimeStampResp answering a request for `digest` with
 * `nonce` (RFC 3161 §2.4.2): status granted or grantedWithMods, a token that
 * is a SignedData over a TSTInfo, the same SHA-256 imprint, the nonce
 * echoed. Does not check the token's signature: that is
 * `verifyTimeStampToken`'s work, against trust anchors.
 * Throws {@link SealError} `ERR_TSA_REJECTED` or `ERR_TSA_RESPONSE_INVALID`.
 */
export function readTimeStampReply(reply: Uint8Array, expected: { readonly digest: Uint8Array; readonly nonce: Uint8Array }, locale: Locale): Uint8Array {
  if (reply.length > MAX_TSP_BYTES) throw invalidReply('too-large', locale);
  let response: ReturnType<typeof parseResponse>;
  try {
    response = parseResponse(reply);
  } catch (e) {
    if (e instanceof DerError) throw invalidReply('der', locale, e);
    throw e;
  }
  if (response.status !== 0 && response.status !== 1) {
    const text = response.statusText.join(' ');
    throw new SealError('ERR_TSA_REJECTED', {
      params: {
        status: PKI_STATUS[response.status] ?? String(response.status),
        failInfo: response.failInfo.length === 0 ? undefined : response.failInfo.join(', '),
        statusText: text === '' ? undefined : truncateForMessage(text, 120),
      },
      locale,
    });
  }
  if (response.token === undefined) throw invalidReply('no-token', locale);
  const token = Uint8Array.from(response.token);
  let info: TstInfo;
  try {
    const p = parseSignedData(token);
    if (p.eContentType !== OID.tstInfo || p.content === undefined) throw new DerError('eContentType');
    info = parseTstInfo(p.content);
  } catch (e) {
    if (e instanceof DerError || e instanceof Failure) throw invalidReply('not-token', locale, e);
    throw e;
  }
  if (info.imprint.hashAlgorithm.oid !== OID.sha256 || !bytesEqual(info.imprint.hashedMessage, expected.digest)) throw invalidReply('imprint', locale);
  if (info.nonce === undefined || !bytesEqual(info.nonce, expected.nonce)) throw invalidReply('nonce', locale);
  return token;
}
