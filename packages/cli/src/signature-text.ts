import type { Locale, SignatureCheck } from '@s3404/core';

/** The signature status of a report, for a person (AUD-2). */
export function signatureText(s: SignatureCheck, locale: Locale, hint: boolean): string {
  const fr = locale !== 'en';
  switch (s.status) {
    case 'valid':
      return fr ? `signatures vérifiées (${s.signer})` : `signatures verified (${s.signer})`;
    case 'invalid':
      return fr ? `signature INVALIDE : [${s.code}] ${s.message}` : `signature INVALID: [${s.code}] ${s.message}`;
    case 'unchecked':
      return fr ? `signatures non vérifiées${hint ? ' (donnez --trust CA.pem)' : ''}` : `signatures not checked${hint ? ' (give --trust CA.pem)' : ''}`;
    case 'none':
      return fr ? 'aucune signature' : 'no signature';
  }
}
