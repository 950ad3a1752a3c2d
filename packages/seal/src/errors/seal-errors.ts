import { CORE_ERRORS, defineErrors, type ResolvedParams } from '@s3404/core';
import { FORM_ERRORS } from '@s3404/form';

/** ` (détail)` — the same in both languages; a `detail` that is language is a `LocalizedText`. */
const detail = (p: ResolvedParams): string => (p.detail === undefined ? '' : ` (${p.detail})`);
const got = (p: ResolvedParams, fr: boolean): string => (p.received === undefined ? '' : fr ? ` : ${p.received}` : `: ${p.received}`);

/**
 * Every code `@s3404/seal` reports, with its kind and its French and English
 * message (SIG-1…SIG-10, X-2). Codes never change; wording may improve.
 * Verification codes have fixed messages that reveal nothing about keys,
 * certificates or record content.
 *
 * - `input` — a key or PEM file that cannot be used as given
 *   (`ERR_PEM_INVALID`, `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`), a store URL
 *   that is not understood (`ERR_STORE_URL_INVALID`) or not durable where
 *   durability was asked (`ERR_STORE_NOT_DURABLE`), a pending record's
 *   handle that cannot be read (`ERR_RECORD_KEY_INVALID`), a key holder that
 *   writes to disk (`ERR_KEY_HOLDER_PERSISTENT`), a malformed bordereau
 *   identifier (`ERR_BORDEREAU_ID_FORMAT`, `ERR_BORDEREAU_ID_CHECK`, core's
 *   codes), a name that breaks the one text policy of `@s3404/form`
 *   (`ERR_TEXT_…`, form's codes), a PKCS#11 token that cannot be used as
 *   configured (`ERR_PKCS11_…`: binding, library, token, PIN, key,
 *   certificate, extractable key, mechanism). Fix the input.
 * - `verdict` — a capture, a record or a request was read and refused: the
 *   capture checks (`ERR_CONTEXT_…`, `ERR_IMAGE_…` — `ERR_IMAGE_UNDECODABLE` for
 *   pixel data that does not decode —, `ERR_STROKES_INVALID`,
 *   `ERR_RECORD_INVALID`), every verification failure (`ERR_SEAL_…`,
 *   `ERR_CERT_…`, the binding codes `ERR_RECORD_WRONG_…`,
 *   `ERR_RECORD_DAY_SET_MISMATCH`), single use (`ERR_RECORD_REPLAYED`,
 *   `ERR_RECORD_EXPIRED`, `ERR_RECORD_NOT_FOUND`, `ERR_RECORD_DUPLICATE`),
 *   a pending record that cannot be decrypted (`ERR_RECORD_KEY_MISSING`,
 *   `ERR_RECORD_KEY_MISMATCH`),
 *   a refused purge (`ERR_RETENTION_TOO_SHORT`), a slot already signed
 *   (`ERR_SLOT_NOT_AVAILABLE`) and the policy (`ERR_AUTH_DENIED`,
 *   `ERR_MANDATE_…`, `ERR_PROOF_AGREEMENT_MISSING`).
 * - `unavailable` — a consumption store failed (`ERR_STORE_UNAVAILABLE`,
 *   with the backend's error as `cause`; nothing was consumed), a PKCS#11
 *   token that failed (`ERR_PKCS11_UNAVAILABLE`), a seal key (HSM, KMS)
 *   that failed to sign after its check (`ERR_KEY_UNAVAILABLE`, its error as
 *   `cause`; nothing was sealed) or the memory
 *   context registry is full (`ERR_CONTEXT_REGISTRY_FULL`): retry later. A
 *   use that was claimed but not completed (`ERR_CONSUME_INCOMPLETE`, with
 *   `params.requestId` and `params.recordId`): retry with the same request id.
 * - `internal` — a store holds what the SDK never writes
 *   (`ERR_STORE_CORRUPT`): an operator must look at it; its backend refuses
 *   it for good (`ERR_STORE_MISCONFIGURED`: a right, a table, a Redis ACL or
 *   login, a Cluster's slots): fix the deployment, retrying never helps. `ERR_INTERNAL`
 *   is what `toErrorMessage` answers a terminal for any failure that is no
 *   coded error, with a fixed message that reveals nothing of it.
 *
 * `import { SEAL_ERRORS } from '@s3404/seal/errors'`
 *
 * @example
 * ```ts
 * SEAL_ERRORS.message('ERR_RECORD_REPLAYED', {}, 'en') // 'Signature already used: …'
 * SEAL_ERRORS.kind('ERR_STORE_UNAVAILABLE')              // 'unavailable'
 * ```
 * @public
 */
export const SEAL_ERRORS = defineErrors({
  // --- identifiers and printed names given to a capture context (SIG-1, SIG-2): the same codes
  //     and messages as core's identifiers and form's one text policy (issue 14 #13, #16).
  ERR_BORDEREAU_ID_FORMAT: CORE_ERRORS.definitions.ERR_BORDEREAU_ID_FORMAT,
  ERR_BORDEREAU_ID_CHECK: CORE_ERRORS.definitions.ERR_BORDEREAU_ID_CHECK,
  ERR_TEXT_EMPTY: FORM_ERRORS.definitions.ERR_TEXT_EMPTY,
  ERR_TEXT_TOO_LONG: FORM_ERRORS.definitions.ERR_TEXT_TOO_LONG,
  ERR_TEXT_CONTROL_CHAR: FORM_ERRORS.definitions.ERR_TEXT_CONTROL_CHAR,
  ERR_TEXT_UNSUPPORTED_CHAR: FORM_ERRORS.definitions.ERR_TEXT_UNSUPPORTED_CHAR,
  ERR_TEXT_REPLACEMENT_CHAR: FORM_ERRORS.definitions.ERR_TEXT_REPLACEMENT_CHAR,
  // --- capture context (SIG-1)
  ERR_CONTEXT_UNKNOWN: {
    kind: 'verdict',
    fr: 'Contexte de capture inconnu : la signature ne correspond à aucun contexte affiché par ce poste.',
    en: 'Unknown capture context: the signature does not match any context shown by this terminal.',
  },
  ERR_CONTEXT_EXPIRED: {
    kind: 'verdict',
    fr: 'Contexte de capture expiré : affichez à nouveau le bordereau et recommencez la signature.',
    en: 'Capture context expired: show the bordereau again and capture the signature again.',
  },
  ERR_CONTEXT_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `La signature ne correspond pas au contexte affiché${p.field === undefined ? '' : ` : champ ${p.field} différent`}.`,
    en: (p) => `The signature does not match the context shown${p.field === undefined ? '' : `: field ${p.field} differs`}.`,
  },
  ERR_CONTEXT_REGISTRY_FULL: {
    kind: 'unavailable',
    fr: (p) =>
      `Trop de contextes de capture ouverts${p.limit === undefined ? '' : ` (${p.limit} au plus)`} : réessayez quand des signatures auront abouti ou expiré.`,
    en: (p) => `Too many open capture contexts${p.limit === undefined ? '' : ` (at most ${p.limit})`}: try again once signatures have completed or expired.`,
  },
  // --- record content (SIG-2)
  ERR_RECORD_INVALID: {
    kind: 'verdict',
    fr: (p) => `Enregistrement de signature invalide${detail(p)}.`,
    en: (p) => `Invalid signature record${detail(p)}.`,
  },
  ERR_IMAGE_NOT_PNG: {
    kind: 'verdict',
    fr: (p) => `L'image de signature n'est pas un PNG valide${detail(p)} : signature PNG, IHDR, IDAT, IEND et CRC attendus.`,
    en: (p) => `The signature image is not a valid PNG${detail(p)}: PNG signature, IHDR, IDAT, IEND and CRCs expected.`,
  },
  ERR_IMAGE_UNDECODABLE: {
    kind: 'verdict',
    fr: (p) =>
      `L'image de signature ne se décode pas${detail(p)} : ses blocs sont intacts mais ses pixels sont abîmés (flux zlib, filtres de lignes ou taille) ; capturez la signature à nouveau.`,
    en: (p) =>
      `The signature image does not decode${detail(p)}: its chunks are intact but its pixel data is damaged (zlib stream, scanline filters or size); capture the signature again.`,
  },
  ERR_IMAGE_TOO_LARGE: {
    kind: 'verdict',
    fr: (p) =>
      `L'image de signature est trop lourde${p.received === undefined ? '' : ` : ${p.received} octets`}${p.limit === undefined ? '' : `, ${p.limit} au plus`}.`,
    en: (p) =>
      `The signature image is too large${p.received === undefined ? '' : `: ${p.received} bytes`}${p.limit === undefined ? '' : `, at most ${p.limit}`}.`,
  },
  ERR_IMAGE_DIMENSIONS: {
    kind: 'verdict',
    fr: (p) => `Dimensions de l'image de signature hors limites${got(p, true)}${p.expected === undefined ? '' : `, attendu ${p.expected}`}.`,
    en: (p) => `Signature image dimensions out of range${got(p, false)}${p.expected === undefined ? '' : `, expected ${p.expected}`}.`,
  },
  ERR_STROKES_INVALID: {
    kind: 'verdict',
    fr: (p) => `Tracé de signature invalide${detail(p)}.`,
    en: (p) => `Invalid pen strokes${detail(p)}.`,
  },
  // --- keys and certificates at sealing time (SIG-3)
  ERR_PEM_INVALID: {
    kind: 'input',
    fr: (p) => `Fichier PEM illisible : bloc ${p.expected === undefined ? 'PEM' : `« ${p.expected} »`} attendu${detail(p)}.`,
    en: (p) => `Unreadable PEM file: a ${p.expected === undefined ? 'PEM' : `"${p.expected}"`} block was expected${detail(p)}.`,
  },
  ERR_KEY_INVALID: {
    kind: 'input',
    fr: (p) => `Clé privée inutilisable${detail(p)}. Attendu : PKCS#8 (« BEGIN PRIVATE KEY ») ECDSA P-256/P-384/P-521 ou RSA ≥ 2048 bits.`,
    en: (p) => `Unusable private key${detail(p)}. Expected: PKCS#8 ("BEGIN PRIVATE KEY") ECDSA P-256/P-384/P-521 or RSA ≥ 2048 bits.`,
  },
  ERR_KEY_MISMATCH: {
    kind: 'input',
    fr: (p) => `La clé privée ne correspond pas au certificat de cachet${detail(p)}.`,
    en: (p) => `The private key does not match the seal certificate${detail(p)}.`,
  },
  // A seal key (HSM, KMS) that passed the check of createSealer, createPdfSealer or createContentSigner, then failed to sign.
  ERR_KEY_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) =>
      `La clé de cachet (HSM, KMS) n'a pas signé${detail(p)} : rien n'a été scellé ; réessayez plus tard. Si l'échec dure, vérifiez l'identifiant de la clé et ses droits d'accès (erreur d'origine en cause).`,
    en: (p) =>
      `The seal key (HSM, KMS) did not sign${detail(p)}: nothing was sealed; try again later. If it keeps failing, check the key's id and access rights (original error as cause).`,
  },
  // --- verification (SIG-3), fixed messages
  ERR_SEAL_MALFORMED: {
    kind: 'verdict',
    fr: "L'enregistrement scellé est illisible : structure CMS (DER) invalide ou tronquée.",
    en: 'The sealed record is unreadable: invalid or truncated CMS (DER) structure.',
  },
  ERR_SEAL_TOO_LARGE: { kind: 'verdict', fr: "L'enregistrement scellé dépasse la taille maximale.", en: 'The sealed record exceeds the maximum size.' },
  ERR_SEAL_CONTENT_TYPE: {
    kind: 'verdict',
    fr: 'Type de contenu inattendu : un SignedData CMS encapsulant un enregistrement S3404 est attendu.',
    en: 'Unexpected content type: a CMS SignedData encapsulating an S3404 record is expected.',
  },
  ERR_SEAL_SIGNED_ATTRIBUTES: {
    kind: 'verdict',
    fr: 'Attributs signés absents, dupliqués ou invalides (type de contenu, empreinte, date de signature, certificat de signature v2).',
    en: 'Signed attributes missing, duplicated or invalid (content type, message digest, signing time, signing certificate v2).',
  },
  ERR_SEAL_DIGEST_MISMATCH: {
    kind: 'verdict',
    fr: "L'empreinte du contenu ne correspond pas : l'enregistrement a été modifié.",
    en: 'The content digest does not match: the record was modified.',
  },
  ERR_SEAL_SIGNATURE_INVALID: { kind: 'verdict', fr: 'La signature du cachet est invalide.', en: 'The seal signature is invalid.' },
  ERR_SEAL_ALGORITHM_REFUSED: {
    kind: 'verdict',
    fr: 'Algorithme refusé : seuls ECDSA (P-256, P-384, P-521) et RSA ≥ 2048 bits (PKCS#1 v1.5, PSS) avec SHA-256/384/512 sont acceptés.',
    en: 'Algorithm refused: only ECDSA (P-256, P-384, P-521) and RSA ≥ 2048 bits (PKCS#1 v1.5, PSS) with SHA-256/384/512 are accepted.',
  },
  ERR_SEAL_KEY_TOO_WEAK: {
    kind: 'verdict',
    fr: 'Clé trop faible : RSA 2048 bits minimum, courbes P-256, P-384 ou P-521.',
    en: 'Key too weak: RSA 2048 bits minimum, curves P-256, P-384 or P-521.',
  },
  ERR_SEAL_SIGNING_TIME: {
    kind: 'verdict',
    fr: 'Date de signature incohérente avec la capture ou avec l’horloge de vérification.',
    en: 'Signing time inconsistent with the capture or with the verification clock.',
  },
  ERR_CERT_NOT_FOUND: {
    kind: 'verdict',
    fr: "Le certificat du signataire est absent de l'enregistrement.",
    en: 'The signer certificate is missing from the record.',
  },
  ERR_CERT_MISMATCH: {
    kind: 'verdict',
    fr: "Le certificat ne correspond pas à l'attribut signé « signing-certificate-v2 ».",
    en: 'The certificate does not match the signed signing-certificate-v2 attribute.',
  },
  ERR_CERT_INVALID: { kind: 'verdict', fr: 'Certificat illisible ou non conforme (RFC 5280).', en: 'Unreadable or non-conforming certificate (RFC 5280).' },
  ERR_CERT_KEY_USAGE: {
    kind: 'verdict',
    fr: 'Le certificat ne permet pas la signature (usage de clé digitalSignature ou nonRepudiation requis).',
    en: 'The certificate does not allow signing (key usage digitalSignature or nonRepudiation required).',
  },
  ERR_CERT_EXPIRED: {
    kind: 'verdict',
    fr: 'Le certificat avait expiré à la date vérifiée (date de signature, ou de validation sans horodatage qui la prouve).',
    en: 'The certificate had expired at the checked time (signing time, or validation time without a time-stamp proving it).',
  },
  ERR_CERT_NOT_YET_VALID: {
    kind: 'verdict',
    fr: "Le certificat n'était pas encore valide à la date de signature.",
    en: 'The certificate was not yet valid at signing time.',
  },
  ERR_CERT_UNTRUSTED: {
    kind: 'verdict',
    fr: 'Le certificat ne remonte à aucune autorité de confiance configurée.',
    en: 'The certificate does not chain to any configured trust anchor.',
  },
  // --- binding (SIG-4, SIG-10)
  ERR_RECORD_WRONG_BORDEREAU: { kind: 'verdict', fr: 'Cette signature appartient à un autre bordereau.', en: 'This signature belongs to another bordereau.' },
  ERR_RECORD_WRONG_CONTENT: {
    kind: 'verdict',
    fr: 'L’enregistrement a été signé pour un autre contenu du bordereau (empreinte différente).',
    en: 'The record was signed for other content of the bordereau (different content hash).',
  },
  ERR_RECORD_WRONG_LINE: {
    kind: 'verdict',
    fr: 'Cette signature appartient à une autre ligne du bordereau.',
    en: 'This signature belongs to another line of the bordereau.',
  },
  ERR_RECORD_WRONG_SCOPE: {
    kind: 'verdict',
    fr: "La portée de la signature (bordereau, ligne, journée comptable) n'est pas celle attendue.",
    en: 'The signature scope (bordereau, line, accounting day) is not the expected one.',
  },
  ERR_RECORD_WRONG_DAY: {
    kind: 'verdict',
    fr: 'Cette signature valide une autre journée comptable ou un autre établissement.',
    en: 'This signature validates another accounting day or establishment.',
  },
  ERR_RECORD_DAY_SET_MISMATCH: {
    kind: 'verdict',
    fr: "Ce bordereau ne fait pas partie de l'ensemble signé pour la journée comptable.",
    en: 'This bordereau is not part of the set signed for the accounting day.',
  },
  ERR_RECORD_WRONG_PRACTITIONER: {
    kind: 'verdict',
    fr: "Le praticien de la ligne n'est pas celui de la signature.",
    en: "The line's practitioner is not the one of the signature.",
  },
  // --- consumption (SIG-5, SIG-6)
  ERR_RECORD_REPLAYED: {
    kind: 'verdict',
    fr: 'Signature déjà utilisée : un enregistrement de signature ne sert qu’une fois. Faites signer à nouveau.',
    en: 'Signature already used: a signature record can be used only once. Capture the signature again.',
  },
  ERR_RECORD_EXPIRED: {
    kind: 'verdict',
    fr: "Signature expirée : elle n'a pas été utilisée à temps et a été effacée. Faites signer à nouveau.",
    en: 'Signature expired: it was not used in time and has been deleted. Capture the signature again.',
  },
  ERR_RECORD_NOT_FOUND: {
    kind: 'verdict',
    fr: 'Aucune signature en attente sous cet identifiant (jamais déposée, déjà utilisée ou expirée).',
    en: 'No pending signature under this identifier (never stored, already used or expired).',
  },
  ERR_RECORD_DUPLICATE: { kind: 'verdict', fr: 'Cette signature est déjà déposée ou déjà utilisée.', en: 'This signature is already stored or already used.' },
  // --- crypto-shredding of pending records (SIG-6, issue 15)
  ERR_RECORD_KEY_INVALID: {
    kind: 'input',
    fr: (p) =>
      `Poignée de signature en attente illisible${detail(p)} : attendu s3404-pending.1.<identifiant>.<clé> (telle que rendue par le dépôt) ; rien n'a été déchiffré ni consommé.`,
    en: (p) =>
      `Pending signature handle not readable${detail(p)}: expected s3404-pending.1.<id>.<key> (as the deposit returned it); nothing was decrypted or consumed.`,
  },
  ERR_RECORD_KEY_MISSING: {
    kind: 'verdict',
    fr: "Clé de la signature en attente absente (non fournie, expirée, ou perdue au redémarrage du détenteur des clés) : la signature est illisible et inutilisable, rien n'a été consommé. Faites signer à nouveau.",
    en: 'Key of the pending signature missing (not given, expired, or lost when the key holder restarted): the signature cannot be read or used, nothing was consumed. Capture the signature again.',
  },
  ERR_RECORD_KEY_MISMATCH: {
    kind: 'verdict',
    fr: "Cette clé ne déchiffre pas cette signature en attente (clé d'une autre signature, chiffré d'un autre enregistrement ou d'un autre usage, tronqué ou altéré) : rien n'a été déchiffré ni consommé.",
    en: 'This key does not decrypt this pending signature (key of another signature, ciphertext of another record or use, truncated or altered): nothing was decrypted or consumed.',
  },
  ERR_KEY_HOLDER_PERSISTENT: {
    kind: 'input',
    fr: (p) =>
      `Détenteur des clés refusé${detail(p)} : il écrit sur disque (persistance activée), donc une clé effacée pourrait y survivre ; désactivez la persistance (Redis : appendonly no, save "").`,
    en: (p) =>
      `Key holder refused${detail(p)}: it writes to disk (persistence on), so a deleted key could survive there; turn persistence off (Redis: appendonly no, save "").`,
  },
  ERR_STORE_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Stockage des signatures indisponible${detail(p)} : rien n'a été consommé, réessayez.`,
    en: (p) => `Signature store unavailable${detail(p)}: nothing was consumed, try again.`,
  },
  ERR_STORE_URL_INVALID: {
    kind: 'input',
    fr: (p) =>
      `Adresse du stockage des signatures incomprise${got(p, true)}${detail(p)} ; attendu sqlite:CHEMIN, postgres://…, redis://… ou memory: (exemple : sqlite:./etat/consommation.sqlite).`,
    en: (p) =>
      `Signature store URL not understood${got(p, false)}${detail(p)}; expected sqlite:PATH, postgres://…, redis://… or memory: (example: sqlite:./state/consumption.sqlite).`,
  },
  ERR_STORE_NOT_DURABLE: {
    kind: 'input',
    fr: (p) =>
      `Stockage des signatures non durable${got(p, true)} : il disparaît avec le processus, donc une signature pourrait y être réutilisée par un autre processus ou après un redémarrage ; l'usage unique demande sqlite:CHEMIN, postgres://… ou redis://… (exemple : sqlite:./etat/consommation.sqlite).`,
    en: (p) =>
      `Signature store not durable${got(p, false)}: it vanishes with the process, so a signature could be used again by another process or after a restart; single use needs sqlite:PATH, postgres://… or redis://… (example: sqlite:./state/consumption.sqlite).`,
  },
  ERR_CONSUME_INCOMPLETE: {
    kind: 'unavailable',
    fr: (p) =>
      `Signature ${p.recordId ?? ''} réservée par la requête ${p.requestId ?? ''} mais son usage n'a pas abouti${detail(p)} : elle est consommée pour tout autre identifiant de requête. Pour terminer, rappelez avec le même identifiant de requête (${p.requestId ?? ''}) et le même bordereau non signé${p.graceSeconds === undefined ? '' : `, dans les ${p.graceSeconds} s`}.`,
    en: (p) =>
      `Signature ${p.recordId ?? ''} claimed by request ${p.requestId ?? ''} but its use did not complete${detail(p)}: it is consumed for any other request id. To finish, call again with the same request id (${p.requestId ?? ''}) and the same unsigned bordereau${p.graceSeconds === undefined ? '' : `, within ${p.graceSeconds} s`}.`,
  },
  // The backend refuses the store for good (a right, a table, a Cluster's slots, issue 19): not "retry later".
  ERR_STORE_MISCONFIGURED: {
    kind: 'internal',
    fr: (p) => `Stockage des signatures refusé par son serveur${detail(p)} : droits, schéma ou configuration à corriger ; réessayer n'y changera rien`,
    en: (p) => `Signature store refused by its server${detail(p)}: rights, schema or configuration to fix; retrying will not help`,
  },
  ERR_STORE_CORRUPT: {
    kind: 'internal',
    fr: (p) => `Stockage des signatures incohérent${detail(p)}.`,
    en: (p) => `Signature store inconsistent${detail(p)}.`,
  },
  // --- the wire format (SIG-1, SIG-2): what a server answers for a failure that is no coded error
  ERR_INTERNAL: CORE_ERRORS.definitions.ERR_INTERNAL,
  ERR_RETENTION_TOO_SHORT: {
    kind: 'verdict',
    fr: (p) =>
      `Purge refusée : les marques d'usage doivent être gardées au moins jusqu'à l'expiration des signatures${p.expected === undefined ? '' : ` (${p.expected})`}.`,
    en: (p) => `Purge refused: usage tombstones must be kept at least until signatures expire${p.expected === undefined ? '' : ` (${p.expected})`}.`,
  },
  ERR_SLOT_NOT_AVAILABLE: {
    kind: 'verdict',
    fr: (p) => `Impossible d'apposer la signature sur le bordereau${p.bordereau === undefined ? '' : ` ${p.bordereau}`}${detail(p)} : rien n'a été consommé.`,
    en: (p) => `Cannot apply the signature to bordereau${p.bordereau === undefined ? '' : ` ${p.bordereau}`}${detail(p)}: nothing was consumed.`,
  },
  // --- policy (SIG-7, SIG-8, SIG-9)
  ERR_AUTH_DENIED: {
    kind: 'verdict',
    fr: (p) =>
      `Action non autorisée${p.person === undefined ? '' : ` pour ${p.person}`}${p.role === undefined ? '' : ` (${p.role})`}${p.reason === undefined ? '' : ` : ${p.reason}`}.`,
    en: (p) =>
      `Action not authorised${p.person === undefined ? '' : ` for ${p.person}`}${p.role === undefined ? '' : ` (${p.role})`}${p.reason === undefined ? '' : `: ${p.reason}`}.`,
  },
  ERR_MANDATE_REQUIRED: {
    kind: 'verdict',
    fr: "Signature pour le compte d'un praticien sans mandat : indiquez la référence du mandat.",
    en: "Signature on a practitioner's behalf without a mandate: give the mandate reference.",
  },
  ERR_MANDATE_INVALID: {
    kind: 'verdict',
    fr: (p) => `Mandat${p.reference === undefined ? '' : ` ${p.reference}`} inutilisable${detail(p)}.`,
    en: (p) => `Mandate${p.reference === undefined ? '' : ` ${p.reference}`} not usable${detail(p)}.`,
  },
  ERR_PROOF_AGREEMENT_MISSING: {
    kind: 'verdict',
    fr: (p) => `Aucune convention de preuve valide${p.rpps === undefined ? '' : ` pour le praticien RPPS ${p.rpps}`} à cette date : signature refusée.`,
    en: (p) => `No valid proof agreement${p.rpps === undefined ? '' : ` for practitioner RPPS ${p.rpps}`} at that date: signature refused.`,
  },
  // --- PAdES seal of a finished bordereau (SIG-3, SIG-5): sealing inputs, then the verifier's verdicts.
  ERR_PDF_SIGNATURE_TOO_LARGE: {
    kind: 'input',
    fr: (p) =>
      `La signature${p.received === undefined ? '' : ` (${p.received} octets)`} ne tient pas dans la réserve /Contents${p.limit === undefined ? '' : ` de ${p.limit} octets`} : augmentez contentsSize. Rien n'a été écrit.`,
    en: (p) =>
      `The signature${p.received === undefined ? '' : ` (${p.received} bytes)`} does not fit the /Contents placeholder${p.limit === undefined ? '' : ` of ${p.limit} bytes`}: raise contentsSize. Nothing was written.`,
  },
  ERR_PDF_NOT_SEALABLE: {
    kind: 'input',
    fr: (p) => `Ce PDF ne peut pas être scellé${detail(p)}.`,
    en: (p) => `This PDF cannot be sealed${detail(p)}.`,
  },
  ERR_PDF_NO_SIGNATURE: {
    kind: 'verdict',
    fr: () => `Ce PDF ne porte aucune signature électronique (aucun champ /Sig signé).`,
    en: () => `This PDF carries no electronic signature (no signed /Sig field).`,
  },
  ERR_PDF_SIGNATURE_INVALID: {
    kind: 'verdict',
    fr: (p) => `Signature PAdES invalide${detail(p)}.`,
    en: (p) => `Invalid PAdES signature${detail(p)}.`,
  },
  ERR_PDF_BYTE_RANGE_INVALID: {
    kind: 'verdict',
    fr: (p) => `La signature ne couvre pas toute sa révision hors /Contents${detail(p)} : le document a pu être modifié.`,
    en: (p) => `The signature does not cover its whole revision except /Contents${detail(p)}: the document may have been modified.`,
  },
  ERR_PDF_MODIFIED_AFTER_SEAL: {
    kind: 'verdict',
    fr: (p) => `Le PDF a été modifié après son scellement${detail(p)}.`,
    en: (p) => `The PDF was modified after it was sealed${detail(p)}.`,
  },
  // --- RFC 3161 time-stamps (SIG-3, AUD-2): a TSA client's failures, then the token verdict (fixed message, `detail` says which check).
  ERR_TSA_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Autorité d'horodatage injoignable${p.url === undefined ? '' : ` (${p.url})`}${detail(p)} : rien n'a été horodaté, réessayez plus tard.`,
    en: (p) => `Time-stamping authority unreachable${p.url === undefined ? '' : ` (${p.url})`}${detail(p)}: nothing was time-stamped, try again later.`,
  },
  ERR_TSA_REJECTED: {
    kind: 'verdict',
    fr: (p) =>
      `L'autorité d'horodatage a refusé la demande${p.status === undefined ? '' : ` : statut ${p.status}`}${p.failInfo === undefined ? '' : ` (${p.failInfo})`}${p.statusText === undefined ? '' : ` ${p.statusText}`}.`,
    en: (p) =>
      `The time-stamping authority refused the request${p.status === undefined ? '' : `: status ${p.status}`}${p.failInfo === undefined ? '' : ` (${p.failInfo})`}${p.statusText === undefined ? '' : ` ${p.statusText}`}.`,
  },
  ERR_TSA_RESPONSE_INVALID: {
    kind: 'verdict',
    fr: (p) =>
      `Réponse de l'autorité d'horodatage invalide${detail(p)} : attendu une TimeStampResp DER (RFC 3161 §2.4.2) portant un jeton pour l'empreinte et le nonce demandés.`,
    en: (p) =>
      `Invalid response from the time-stamping authority${detail(p)}: expected a DER TimeStampResp (RFC 3161 §2.4.2) holding a token for the requested digest and nonce.`,
  },
  ERR_TIMESTAMP_INVALID: {
    kind: 'verdict',
    fr: (p) => `Jeton d'horodatage invalide${detail(p)}.`,
    en: (p) => `Invalid time-stamp token${detail(p)}.`,
  },
  // --- PKCS#11 seal keys (SIG-3, `@s3404/seal/pkcs11`): the token as configured cannot be used. Never the PIN in a message.
  ERR_PKCS11_BINDING_MISSING: {
    kind: 'input',
    fr: "Le module PKCS#11 pour Node n'est pas installé : ajoutez la dépendance optionnelle « pkcs11js » (pnpm add pkcs11js).",
    en: 'The PKCS#11 module for Node is not installed: add the optional dependency "pkcs11js" (pnpm add pkcs11js).',
  },
  ERR_PKCS11_LIBRARY_NOT_FOUND: {
    kind: 'input',
    fr: (p) =>
      `Bibliothèque PKCS#11 introuvable ou illisible${got(p, true)} : attendu le chemin d'un module Cryptoki, par exemple /usr/lib/softhsm/libsofthsm2.so.`,
    en: (p) => `PKCS#11 library not found or unreadable${got(p, false)}: expected the path of a Cryptoki module, e.g. /usr/lib/softhsm/libsofthsm2.so.`,
  },
  ERR_PKCS11_TOKEN_NOT_FOUND: {
    kind: 'input',
    fr: (p) => `Aucun jeton PKCS#11 ne correspond${got(p, true)} : vérifiez le libellé, le numéro de série ou l'emplacement (slot) du jeton.`,
    en: (p) => `No PKCS#11 token matches${got(p, false)}: check the token's label, serial number or slot.`,
  },
  ERR_PKCS11_PIN_INCORRECT: {
    kind: 'input',
    fr: 'Code PIN du jeton PKCS#11 refusé : vérifiez le PIN utilisateur (après plusieurs échecs le jeton se bloque).',
    en: 'PKCS#11 token PIN refused: check the user PIN (after several failures the token locks).',
  },
  ERR_PKCS11_PIN_LOCKED: {
    kind: 'input',
    fr: 'Le code PIN du jeton PKCS#11 est bloqué : faites-le débloquer par le responsable sécurité (SO) du jeton.',
    en: "The PKCS#11 token's PIN is locked: have the token's security officer (SO) unlock it.",
  },
  ERR_PKCS11_KEY_NOT_FOUND: {
    kind: 'input',
    fr: (p) =>
      `Clé privée introuvable dans le jeton PKCS#11${got(p, true)} : attendu une clé de signature (CKO_PRIVATE_KEY, CKA_SIGN) de ce libellé ou de cet identifiant.`,
    en: (p) => `Private key not found in the PKCS#11 token${got(p, false)}: expected a signing key (CKO_PRIVATE_KEY, CKA_SIGN) with this label or id.`,
  },
  ERR_PKCS11_CERT_NOT_FOUND: {
    kind: 'input',
    fr: (p) =>
      `Certificat introuvable dans le jeton PKCS#11${got(p, true)} : attendu un certificat X.509 (CKO_CERTIFICATE) de ce libellé ou de cet identifiant.`,
    en: (p) => `Certificate not found in the PKCS#11 token${got(p, false)}: expected an X.509 certificate (CKO_CERTIFICATE) with this label or id.`,
  },
  ERR_PKCS11_KEY_EXTRACTABLE: {
    kind: 'input',
    fr: (p) =>
      `La clé du jeton PKCS#11 peut sortir du jeton${got(p, true)} : attendu CKA_EXTRACTABLE faux et CKA_SENSITIVE vrai ; générez la clé dans le jeton sans l'option d'extraction.`,
    en: (p) =>
      `The PKCS#11 key can leave the token${got(p, false)}: expected CKA_EXTRACTABLE false and CKA_SENSITIVE true; generate the key in the token without the extractable option.`,
  },
  ERR_PKCS11_MECHANISM_UNSUPPORTED: {
    kind: 'input',
    fr: (p) =>
      `Mécanisme de signature non pris en charge par le jeton ou la clé PKCS#11${detail(p)} : attendu ECDSA (P-256, P-384, P-521) ou RSA PKCS#1 v1.5 ≥ 2048 bits.`,
    en: (p) =>
      `Signature mechanism not supported by the PKCS#11 token or key${detail(p)}: expected ECDSA (P-256, P-384, P-521) or RSA PKCS#1 v1.5 ≥ 2048 bits.`,
  },
  ERR_PKCS11_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Le jeton PKCS#11 ne répond pas ou a refusé l'opération${detail(p)} : rien n'a été signé, réessayez plus tard.`,
    en: (p) => `The PKCS#11 token does not answer or refused the operation${detail(p)}: nothing was signed, try again later.`,
  },
});

/** A code `@s3404/seal` reports (X-2). @public */
export type SealErrorCode = (typeof SEAL_ERRORS.codes)[number];
