import type { Locale, SignatureCheck } from '@s3404/core';

/**
 * The signature status of a report, for a person (AUD-2, AUD-4, SCOR-2): one
 * signature (a manifest) or several (the checkpoints of a trace); `hint`
 * says how to have it checked.
 */
export function signatureText(s: SignatureCheck, locale: Locale, o: { readonly several: boolean; readonly hint: boolean }): string {
  const fr = locale !== 'en';
  const noun = o.several ? (fr ? 'signatures' : 'signatures') : 'signature';
  switch (s.status) {
    case 'valid':
      return fr ? `${noun} vérifiée${o.several ? 's' : ''} (${s.signer})` : `${noun} verified (${s.signer})`;
    case 'invalid':
      return fr ? `signature INVALIDE : [${s.code}] ${s.message}` : `signature INVALID: [${s.code}] ${s.message}`;
    case 'unchecked': {
      const hint = o.hint ? (fr ? ' (donnez --trust CA.pem)' : ' (give --trust CA.pem)') : '';
      return fr ? `${noun} non vérifiée${o.several ? 's' : ''}${hint}` : `${noun} not checked${hint}`;
    }
    case 'none':
      return fr ? 'aucune signature' : 'no signature';
  }
}
