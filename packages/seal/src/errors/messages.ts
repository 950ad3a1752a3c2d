import type { Locale } from '@s3404/form/errors';

/** Parameters a seal message may use (X-2). @public */
export type SealMessageParams = Readonly<Record<string, string | number | undefined>>;

type Entry = { readonly fr: (p: SealMessageParams) => string; readonly en: (p: SealMessageParams) => string };

const fixed = (fr: string, en: string): Entry => ({ fr: () => fr, en: () => en });
const detail = (p: SealMessageParams, fr: boolean): string =>
  p.detail === undefined ? '' : fr ? ` (${p.detail})` : ` (${p.detail})`;

/**
 * Every code `@s3404/seal` can report, with its French and English text
 * (SIG-1…SIG-10, X-2). Verification codes have fixed messages that reveal
 * nothing about keys, certificates or record content.
 *
 * @public
 */
export const SEAL_MESSAGES = {
  // --- capture context (SIG-1)
  ERR_CONTEXT_UNKNOWN: fixed(
    "Contexte de capture inconnu : la signature ne correspond à aucun contexte affiché par ce poste.",
    'Unknown capture context: the signature does not match any context shown by this terminal.',
  ),
  ERR_CONTEXT_EXPIRED: fixed(
    'Contexte de capture expiré : affichez à nouveau le bordereau et recommencez la signature.',
    'Capture context expired: show the bordereau again and capture the signature again.',
  ),
  ERR_CONTEXT_MISMATCH: {
    fr: (p) => `La signature ne correspond pas au contexte affiché${p.field === undefined ? '' : ` : champ ${p.field} différent`}.`,
    en: (p) => `The signature does not match the context shown${p.field === undefined ? '' : `: field ${p.field} differs`}.`,
  },
  // --- record content (SIG-2)
  ERR_RECORD_INVALID: {
    fr: (p) => `Enregistrement de signature invalide${detail(p, true)}.`,
    en: (p) => `Invalid signature record${detail(p, false)}.`,
  },
  ERR_IMAGE_NOT_PNG: fixed(
    "L'image de signature n'est pas un PNG valide (signature PNG, IHDR, IDAT, IEND et CRC attendus).",
    'The signature image is not a valid PNG (PNG signature, IHDR, IDAT, IEND and CRCs expected).',
  ),
  ERR_IMAGE_TOO_LARGE: {
    fr: (p) => `L'image de signature est trop lourde : ${p.received} octets, limite ${p.limit}.`,
    en: (p) => `The signature image is too large: ${p.received} bytes, limit ${p.limit}.`,
  },
  ERR_IMAGE_DIMENSIONS: {
    fr: (p) => `Dimensions de l'image de signature hors limites : ${p.received}, attendu ${p.expected}.`,
    en: (p) => `Signature image dimensions out of range: ${p.received}, expected ${p.expected}.`,
  },
  ERR_STROKES_INVALID: {
    fr: (p) => `Tracé de signature invalide${detail(p, true)}.`,
    en: (p) => `Invalid pen strokes${detail(p, false)}.`,
  },
  // --- keys and certificates at sealing time (SIG-3)
  ERR_PEM_INVALID: {
    fr: (p) => `Fichier PEM illisible : bloc « ${p.expected} » attendu${detail(p, true)}.`,
    en: (p) => `Unreadable PEM file: a "${p.expected}" block was expected${detail(p, false)}.`,
  },
  ERR_KEY_INVALID: {
    fr: (p) => `Clé privée inutilisable${detail(p, true)}. Attendu : PKCS#8 (« BEGIN PRIVATE KEY ») ECDSA P-256/P-384/P-521 ou RSA ≥ 2048 bits.`,
    en: (p) => `Unusable private key${detail(p, false)}. Expected: PKCS#8 ("BEGIN PRIVATE KEY") ECDSA P-256/P-384/P-521 or RSA ≥ 2048 bits.`,
  },
  ERR_KEY_MISMATCH: fixed(
    'La clé privée ne correspond pas au certificat de cachet.',
    'The private key does not match the seal certificate.',
  ),
  // --- verification (SIG-3), fixed messages
  ERR_SEAL_MALFORMED: fixed(
    "L'enregistrement scellé est illisible : structure CMS (DER) invalide ou tronquée.",
    'The sealed record is unreadable: invalid or truncated CMS (DER) structure.',
  ),
  ERR_SEAL_TOO_LARGE: fixed("L'enregistrement scellé dépasse la taille maximale.", 'The sealed record exceeds the maximum size.'),
  ERR_SEAL_CONTENT_TYPE: fixed(
    "Type de contenu inattendu : un SignedData CMS encapsulant un enregistrement S3404 est attendu.",
    'Unexpected content type: a CMS SignedData encapsulating an S3404 record is expected.',
  ),
  ERR_SEAL_SIGNED_ATTRIBUTES: fixed(
    'Attributs signés absents, dupliqués ou invalides (type de contenu, empreinte, date de signature, certificat de signature v2).',
    'Signed attributes missing, duplicated or invalid (content type, message digest, signing time, signing certificate v2).',
  ),
  ERR_SEAL_DIGEST_MISMATCH: fixed("L'empreinte du contenu ne correspond pas : l'enregistrement a été modifié.", 'The content digest does not match: the record was modified.'),
  ERR_SEAL_SIGNATURE_INVALID: fixed('La signature du cachet est invalide.', 'The seal signature is invalid.'),
  ERR_SEAL_ALGORITHM_REFUSED: fixed(
    'Algorithme refusé : seuls ECDSA (P-256, P-384, P-521) et RSA ≥ 2048 bits (PKCS#1 v1.5, PSS) avec SHA-256/384/512 sont acceptés.',
    'Algorithm refused: only ECDSA (P-256, P-384, P-521) and RSA ≥ 2048 bits (PKCS#1 v1.5, PSS) with SHA-256/384/512 are accepted.',
  ),
  ERR_SEAL_KEY_TOO_WEAK: fixed('Clé trop faible : RSA 2048 bits minimum, courbes P-256, P-384 ou P-521.', 'Key too weak: RSA 2048 bits minimum, curves P-256, P-384 or P-521.'),
  ERR_SEAL_SIGNING_TIME: fixed(
    'Date de signature incohérente avec la capture ou avec l’horloge de vérification.',
    'Signing time inconsistent with the capture or with the verification clock.',
  ),
  ERR_CERT_NOT_FOUND: fixed("Le certificat du signataire est absent de l'enregistrement.", 'The signer certificate is missing from the record.'),
  ERR_CERT_MISMATCH: fixed(
    "Le certificat ne correspond pas à l'attribut signé « signing-certificate-v2 ».",
    'The certificate does not match the signed signing-certificate-v2 attribute.',
  ),
  ERR_CERT_INVALID: fixed('Certificat illisible ou non conforme (RFC 5280).', 'Unreadable or non-conforming certificate (RFC 5280).'),
  ERR_CERT_KEY_USAGE: fixed(
    'Le certificat ne permet pas la signature (usage de clé digitalSignature ou nonRepudiation requis).',
    'The certificate does not allow signing (key usage digitalSignature or nonRepudiation required).',
  ),
  ERR_CERT_EXPIRED: fixed('Le certificat avait expiré à la date de signature.', 'The certificate had expired at signing time.'),
  ERR_CERT_NOT_YET_VALID: fixed("Le certificat n'était pas encore valide à la date de signature.", 'The certificate was not yet valid at signing time.'),
  ERR_CERT_UNTRUSTED: fixed(
    "Le certificat ne remonte à aucune autorité de confiance configurée.",
    'The certificate does not chain to any configured trust anchor.',
  ),
  // --- binding (SIG-4, SIG-10)
  ERR_RECORD_WRONG_BORDEREAU: fixed("Cette signature appartient à un autre bordereau.", 'This signature belongs to another bordereau.'),
  ERR_RECORD_WRONG_LINE: fixed('Cette signature appartient à une autre ligne du bordereau.', 'This signature belongs to another line of the bordereau.'),
  ERR_RECORD_WRONG_SCOPE: fixed(
    "La portée de la signature (bordereau, ligne, journée comptable) n'est pas celle attendue.",
    'The signature scope (bordereau, line, accounting day) is not the expected one.',
  ),
  ERR_RECORD_WRONG_DAY: fixed('Cette signature valide une autre journée comptable ou un autre établissement.', 'This signature validates another accounting day or establishment.'),
  ERR_RECORD_DAY_SET_MISMATCH: fixed(
    "Ce bordereau ne fait pas partie de l'ensemble signé pour la journée comptable.",
    'This bordereau is not part of the set signed for the accounting day.',
  ),
  ERR_RECORD_WRONG_PRACTITIONER: fixed(
    "Le praticien de la ligne n'est pas celui de la signature.",
    "The line's practitioner is not the one of the signature.",
  ),
  // --- consumption (SIG-5, SIG-6)
  ERR_RECORD_REPLAYED: fixed(
    'Signature déjà utilisée : un enregistrement de signature ne sert qu’une fois. Faites signer à nouveau.',
    'Signature already used: a signature record can be used only once. Capture the signature again.',
  ),
  ERR_RECORD_EXPIRED: fixed(
    "Signature expirée : elle n'a pas été utilisée à temps et a été effacée. Faites signer à nouveau.",
    'Signature expired: it was not used in time and has been deleted. Capture the signature again.',
  ),
  ERR_RECORD_NOT_FOUND: fixed(
    "Aucune signature en attente sous cet identifiant (jamais déposée, déjà utilisée ou expirée).",
    'No pending signature under this identifier (never stored, already used or expired).',
  ),
  ERR_RECORD_DUPLICATE: fixed('Cette signature est déjà déposée ou déjà utilisée.', 'This signature is already stored or already used.'),
  ERR_STORE_UNAVAILABLE: {
    fr: (p) => `Stockage des signatures indisponible${detail(p, true)} : rien n'a été consommé, réessayez.`,
    en: (p) => `Signature store unavailable${detail(p, false)}: nothing was consumed, try again.`,
  },
  ERR_STORE_CORRUPT: {
    fr: (p) => `Stockage des signatures incohérent${detail(p, true)}.`,
    en: (p) => `Signature store inconsistent${detail(p, false)}.`,
  },
  ERR_RETENTION_TOO_SHORT: {
    fr: (p) => `Purge refusée : les marques d'usage doivent être gardées au moins jusqu'à l'expiration des signatures (${p.expected}).`,
    en: (p) => `Purge refused: usage tombstones must be kept at least until signatures expire (${p.expected}).`,
  },
  ERR_SLOT_NOT_AVAILABLE: {
    fr: (p) => `Impossible d'apposer la signature sur le bordereau ${p.bordereau}${detail(p, true)} : rien n'a été consommé.`,
    en: (p) => `Cannot apply the signature to bordereau ${p.bordereau}${detail(p, false)}: nothing was consumed.`,
  },
  // --- policy (SIG-7, SIG-8, SIG-9)
  ERR_AUTH_DENIED: {
    fr: (p) => `Action non autorisée pour ${p.person} (${p.role})${p.reason === undefined ? '' : ` : ${p.reason}`}.`,
    en: (p) => `Action not authorised for ${p.person} (${p.role})${p.reason === undefined ? '' : `: ${p.reason}`}.`,
  },
  ERR_MANDATE_REQUIRED: fixed(
    "Signature pour le compte d'un praticien sans mandat : indiquez la référence du mandat.",
    "Signature on a practitioner's behalf without a mandate: give the mandate reference.",
  ),
  ERR_MANDATE_INVALID: {
    fr: (p) => `Mandat ${p.reference} inutilisable${detail(p, true)}.`,
    en: (p) => `Mandate ${p.reference} not usable${detail(p, false)}.`,
  },
  ERR_PROOF_AGREEMENT_MISSING: {
    fr: (p) => `Aucune convention de preuve valide pour le praticien RPPS ${p.rpps} à cette date : signature refusée.`,
    en: (p) => `No valid proof agreement for practitioner RPPS ${p.rpps} at that date: signature refused.`,
  },
} satisfies Record<string, Entry>;

/** A code `@s3404/seal` can report (X-2). @public */
export type SealErrorCode = keyof typeof SEAL_MESSAGES;

/**
 * The message of a seal code in French (default) or English (X-2).
 *
 * @example `sealMessage('ERR_CONTEXT_EXPIRED', {}, 'en')`
 * @public
 */
export function sealMessage(code: SealErrorCode, params: SealMessageParams = {}, locale: Locale = 'fr'): string {
  const entry: Entry | undefined = (SEAL_MESSAGES as Record<string, Entry>)[code];
  return entry === undefined ? code : entry[locale](params);
}
