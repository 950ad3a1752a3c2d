import { CORE_ERRORS, defineErrors, type ResolvedParams } from '@s3404/core';

const got = (p: ResolvedParams, fr: boolean): string => (p.received === undefined ? '' : fr ? ` ; reçu ${p.received}` : `; received ${p.received}`);
const eg = (p: ResolvedParams, fr: boolean): string => (p.example === undefined ? '' : fr ? ` (exemple : ${p.example})` : ` (example: ${p.example})`);
/** ` ligne 3, colonne 7` / ` at line 3, column 7` when the position is known. */
const where = (p: ResolvedParams, fr: boolean): string =>
  p.line === undefined ? '' : fr ? ` ligne ${p.line}, colonne ${p.column ?? '?'}` : ` at line ${p.line}, column ${p.column ?? '?'}`;

/**
 * Every code `@s3404/form` reports, with its kind and its French and English
 * text (FORM-2, X-2): the issues of a bordereau's validation (kind `input`:
 * the data is malformed or incoherent), the refusals of rendering and
 * placement (kind `verdict`), and unreadable inputs (kind `input`). It
 * includes core's codes for the identifiers and inputs form checks too.
 * Codes never change; wording may improve.
 *
 * `import { FORM_ERRORS } from '@s3404/form/errors'`
 *
 * @example
 * ```ts
 * FORM_ERRORS.message('ERR_NIR_KEY', { expected: '38', received: '39' }, 'en') // 'Wrong NIR key: expected 38; received 39 (key = 97 − NIR mod 97).'
 * ```
 * @public
 */
export const FORM_ERRORS = defineErrors({
  ...CORE_ERRORS.definitions,
  // ---- input (unreadable) --------------------------------------------------
  ERR_JSON_SYNTAX: {
    kind: 'input',
    fr: (p) => `JSON illisible${where(p, true)} : ${p.detail ?? 'syntaxe incorrecte'}.`,
    en: (p) => `Unreadable JSON${where(p, false)}: ${p.detail ?? 'syntax error'}.`,
  },
  ERR_JSON_DUPLICATE_KEY: {
    kind: 'input',
    fr: (p) =>
      `Clé en double ${p.key ?? ''}${where(p, true)}${p.path === undefined ? '' : ` (chemin ${p.path})`} : une clé ne peut figurer qu'une fois dans un objet, la seconde remplacerait la première sans le dire.`,
    en: (p) =>
      `Duplicate key ${p.key ?? ''}${where(p, false)}${p.path === undefined ? '' : ` (path ${p.path})`}: a key may appear only once in an object; the second would silently replace the first.`,
  },
  ERR_INPUT_ENCODING: {
    kind: 'input',
    fr: () => `Le fichier n'est pas du texte UTF-8 valide.`,
    en: () => `The file is not valid UTF-8 text.`,
  },
  // ---- structure (from the schema) -----------------------------------------
  ERR_REQUIRED: {
    kind: 'input',
    fr: (p) => `Valeur obligatoire manquante${p.expected ? ` (attendu : ${p.expected})` : ''}.`,
    en: (p) => `Required value is missing${p.expected ? ` (expected: ${p.expected})` : ''}.`,
  },
  ERR_TYPE: {
    kind: 'input',
    fr: (p) => `Type incorrect : attendu ${p.expected}${got(p, true)}.`,
    en: (p) => `Wrong type: expected ${p.expected}${got(p, false)}.`,
  },
  ERR_UNKNOWN_KEY: {
    kind: 'input',
    fr: (p) => `Champ inconnu ${p.received} : il ne fait pas partie du modèle S3404 (faute de frappe ?).`,
    en: (p) => `Unknown field ${p.received}: it is not part of the S3404 model (a typo?).`,
  },
  ERR_VALUE_NOT_ALLOWED: {
    kind: 'input',
    fr: (p) => `Valeur non admise : attendu l'une de ${p.expected}${got(p, true)}.`,
    en: (p) => `Value not allowed: expected one of ${p.expected}${got(p, false)}.`,
  },
  ERR_TEXT_TOO_LONG: {
    kind: 'input',
    fr: (p) => `Texte trop long${p.limit === undefined ? '' : ` : ${p.limit} caractères au plus`}${got(p, true)}.`,
    en: (p) => `Text too long${p.limit === undefined ? '' : `: at most ${p.limit} characters`}${got(p, false)}.`,
  },
  ERR_TEXT_EMPTY: {
    kind: 'input',
    fr: () => `Texte vide : une valeur autre que des espaces est attendue.`,
    en: () => `Empty text: a value other than white space is expected.`,
  },
  ERR_TEXT_REPLACEMENT_CHAR: {
    kind: 'input',
    fr: () => `Caractère de remplacement U+FFFD « � » : le texte a été abîmé par un mauvais encodage ; relisez la source en UTF-8.`,
    en: () => `Replacement character U+FFFD "�": the text was damaged by a wrong character encoding; read the source again as UTF-8.`,
  },
  ERR_TEXT_CONTROL_CHAR: {
    kind: 'input',
    fr: (p) => `Caractère de contrôle interdit${p.detail === undefined ? '' : ` (${p.detail})`} : retirez tabulations et retours à la ligne.`,
    en: (p) => `Forbidden control character${p.detail === undefined ? '' : ` (${p.detail})`}: remove tabs and line breaks.`,
  },
  ERR_TEXT_UNSUPPORTED_CHAR: {
    kind: 'input',
    fr: (p) => `Caractère non imprimable${p.detail === undefined ? '' : ` (${p.detail})`} : seuls les caractères latins visibles sont admis.`,
    en: (p) => `Character cannot be printed${p.detail === undefined ? '' : ` (${p.detail})`}: only visible Latin characters are accepted.`,
  },
  ERR_FORMAT: {
    kind: 'input',
    fr: (p) => `Format incorrect : attendu ${p.expected}${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Wrong format: expected ${p.expected}${got(p, false)}${eg(p, false)}.`,
  },
  ERR_NUMBER_RANGE: {
    kind: 'input',
    fr: (p) => `Nombre hors limites : attendu ${p.expected}${got(p, true)}.`,
    en: (p) => `Number out of range: expected ${p.expected}${got(p, false)}.`,
  },
  ERR_AMOUNT_NOT_CENTS: {
    kind: 'input',
    fr: (p) => `Montant invalide : un nombre entier de centimes est attendu${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Invalid amount: a whole number of cents is expected${got(p, false)}${eg(p, false)}.`,
  },
  ERR_TOO_MANY_LINES: {
    kind: 'input',
    fr: (p) => `Trop de lignes : ${p.limit} au plus${got(p, true)} (limite documentée du SDK).`,
    en: (p) => `Too many lines: at most ${p.limit}${got(p, false)} (documented SDK limit).`,
  },
  ERR_DATE_INVALID: {
    kind: 'input',
    fr: (p) => `Date invalide : attendu une date réelle au format AAAA-MM-JJ${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Invalid date: expected a real date as YYYY-MM-DD${got(p, false)}${eg(p, false)}.`,
  },
  ERR_TIME_INVALID: {
    kind: 'input',
    fr: (p) => `Heure invalide : attendu HH:MM entre 00:00 et 23:59${got(p, true)}.`,
    en: (p) => `Invalid time: expected HH:MM between 00:00 and 23:59${got(p, false)}.`,
  },
  // ---- identifiers ---------------------------------------------------------
  ERR_NIR_FORMAT: {
    kind: 'input',
    fr: (p) =>
      `NIR mal formé${p.detail === undefined ? '' : ` : ${p.detail}`} ; attendu 13 caractères (sexe, année, mois, département dont 2A/2B, commune, ordre)${got(p, true)}${eg(p, true)}.`,
    en: (p) =>
      `Malformed NIR${p.detail === undefined ? '' : `: ${p.detail}`}; expected 13 characters (sex, year, month, department code incl. 2A/2B, municipality, serial number)${got(p, false)}${eg(p, false)}.`,
  },
  ERR_NIR_KEY: {
    kind: 'input',
    fr: (p) => `Clé NIR incorrecte : attendu ${p.expected}${got(p, true)} (clé = 97 − NIR mod 97).`,
    en: (p) => `Wrong NIR key: expected ${p.expected}${got(p, false)} (key = 97 − NIR mod 97).`,
  },
  ERR_RPPS_FORMAT: {
    kind: 'input',
    fr: (p) => `RPPS mal formé : attendu 11 chiffres${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Malformed RPPS: expected 11 digits${got(p, false)}${eg(p, false)}.`,
  },
  ERR_RPPS_KEY: {
    kind: 'input',
    fr: (p) => `Clé RPPS incorrecte : attendu ${p.expected}${got(p, true)} (clé de Luhn).`,
    en: (p) => `Wrong RPPS key: expected ${p.expected}${got(p, false)} (Luhn key).`,
  },
  ERR_CCAM_FORMAT: {
    kind: 'input',
    fr: (p) => `Code CCAM mal formé : attendu 4 lettres puis 3 chiffres${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Malformed CCAM code: expected 4 letters then 3 digits${got(p, false)}${eg(p, false)}.`,
  },
  ERR_LPP_FORMAT: {
    kind: 'input',
    fr: (p) => `Code LPP mal formé : attendu 7 chiffres${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Malformed LPP code: expected 7 digits${got(p, false)}${eg(p, false)}.`,
  },
  ERR_UCD_FORMAT: {
    kind: 'input',
    fr: (p) => `Code UCD mal formé : attendu 7 chiffres (UCD 7) ou 13 chiffres commençant par 34008 (UCD 13)${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Malformed UCD code: expected 7 digits (UCD 7) or 13 digits starting with 34008 (UCD 13)${got(p, false)}${eg(p, false)}.`,
  },
  ERR_UCD_KEY: {
    kind: 'input',
    fr: (p) => `Clé UCD incorrecte : attendu ${p.expected}${got(p, true)} (UCD 7 : clé modulo 11 ; UCD 13 : clé EAN-13).`,
    en: (p) => `Wrong UCD key: expected ${p.expected}${got(p, false)} (UCD 7: mod-11 key; UCD 13: EAN-13 key).`,
  },
  // ---- coherence -----------------------------------------------------------
  ERR_DATE_ORDER: {
    kind: 'input',
    fr: (p) => `Dates incohérentes : ${p.detail}.`,
    en: (p) => `Inconsistent dates: ${p.detail}.`,
  },
  ERR_DATE_OUTSIDE_STAY: {
    kind: 'input',
    fr: (p) =>
      p.count === undefined
        ? `Date hors du séjour${p.received === undefined ? '' : ` : ${p.received} n'est pas`} entre l'entrée (${p.from ?? '?'}) et la sortie (${p.to ?? '?'}) ; indiquez outsideStay si une règle le permet.`
        : `Dates hors du séjour : ${p.count} lignes datées ${p.side} (${p.from} – ${p.to}), la plus éloignée ${p.received} en ${p.detail} ; vérifiez cette date du séjour, sinon indiquez outsideStay sur ces lignes.`,
    en: (p) =>
      p.count === undefined
        ? `Date outside the stay${p.received === undefined ? '' : `: ${p.received} is not`} between entry (${p.from ?? '?'}) and exit (${p.to ?? '?'}); set outsideStay when a rule allows it.`
        : `Dates outside the stay: ${p.count} lines dated ${p.side} (${p.from} – ${p.to}), the farthest ${p.received} at ${p.detail}; check this date of the stay, or set outsideStay on those lines.`,
  },
  ERR_LINE_AMOUNT: {
    kind: 'input',
    fr: (p) => `Montant de ligne incohérent : ${p.detail} donne ${p.expected} centimes${got(p, true)}.`,
    en: (p) => `Inconsistent line amount: ${p.detail} gives ${p.expected} cents${got(p, false)}.`,
  },
  ERR_TOTAL_MISMATCH: {
    kind: 'input',
    fr: (p) => `Total incohérent : la somme des lignes fait ${p.expected} centimes${got(p, true)}.`,
    en: (p) => `Inconsistent total: the lines add up to ${p.expected} cents${got(p, false)}.`,
  },
  ERR_PARTS_MISMATCH: {
    kind: 'input',
    fr: (p) => `Répartition incohérente : part AMO + part AMC + part assuré = ${p.received} centimes, total ${p.expected}.`,
    en: (p) => `Inconsistent split: AMO + AMC + patient parts = ${p.received} cents, total ${p.expected}.`,
  },
  ERR_AMC_WITHOUT_COMPLEMENTARY: {
    kind: 'input',
    fr: (p) => `Part AMC de ${p.received} centimes sans organisme complémentaire (coverage.complementary).`,
    en: (p) => `AMC part of ${p.received} cents without a complementary insurer (coverage.complementary).`,
  },
  ERR_ACCIDENT_REQUIRED: {
    kind: 'input',
    fr: () => `Nature d'assurance 40 (AT/MP) : la date ou le numéro de l'accident du travail est obligatoire.`,
    en: () => `Insurance nature 40 (AT/MP): the date or number of the work accident is required.`,
  },
  ERR_ACCIDENT_NOT_ALLOWED: {
    kind: 'input',
    fr: (p) => `Accident du travail renseigné alors que la nature d'assurance est ${p.received} (attendu 40).`,
    en: (p) => `Work accident given while the insurance nature is ${p.received} (expected 40).`,
  },
  ERR_BENEFICIARY_RANK: {
    kind: 'input',
    fr: () => `Bénéficiaire distinct de l'assuré : son rang de naissance est obligatoire.`,
    en: () => `Beneficiary other than the insured person: the birth rank is required.`,
  },
  ERR_SIGNATURE_SLOT: {
    kind: 'input',
    fr: (p) => `Signature incohérente : ${p.detail}.`,
    en: (p) => `Inconsistent signature slot: ${p.detail}.`,
  },
  // ---- rendering / placement -----------------------------------------------
  ERR_BORDEREAU_INVALID: {
    kind: 'verdict',
    fr: (p) => `Bordereau invalide : ${p.received} problème(s), le premier : ${p.detail}`,
    en: (p) => `Invalid bordereau: ${p.received} issue(s), the first: ${p.detail}`,
  },
  ERR_TEMPLATE_INVALID: {
    kind: 'verdict',
    fr: (p) => `Gabarit de mise en page invalide : ${p.detail}.`,
    en: (p) => `Invalid layout template: ${p.detail}.`,
  },
  ERR_FIELD_MAP_INVALID: {
    kind: 'verdict',
    fr: (p) => `Table de correspondance des champs invalide : ${p.detail}.`,
    en: (p) => `Invalid field map: ${p.detail}.`,
  },
  ERR_PDF_UNREADABLE: {
    kind: 'input',
    fr: (p) => `PDF illisible : ${p.detail ?? 'structure incorrecte'}.`,
    en: (p) => `Unreadable PDF: ${p.detail ?? 'broken structure'}.`,
  },
  ERR_PDF_XREF_INVALID: {
    kind: 'input',
    fr: (p) =>
      `Structure de révisions du PDF invalide${p.detail === undefined ? '' : ` : ${p.detail}`} (tables de références croisées, /Prev, startxref, %%EOF).`,
    en: (p) => `Invalid PDF revision structure${p.detail === undefined ? '' : `: ${p.detail}`} (cross-reference sections, /Prev, startxref, %%EOF).`,
  },
  ERR_PDF_REVISION_NOT_FOUND: {
    kind: 'input',
    fr: (p) => `Révision ${p.received ?? '?'} absente${p.expected === undefined ? '' : ` : ce PDF a ${p.expected} révision(s)`}, numérotées à partir de 1.`,
    en: (p) => `Revision ${p.received ?? '?'} does not exist${p.expected === undefined ? '' : `: this PDF has ${p.expected} revision(s)`}, numbered from 1.`,
  },
  ERR_PDF_ENCRYPTED: {
    kind: 'input',
    fr: () => `PDF chiffré : fournissez le formulaire officiel non protégé.`,
    en: () => `Encrypted PDF: supply the official form without protection.`,
  },
  ERR_OVERLAY_FIELD_MISSING: {
    kind: 'verdict',
    fr: (p) => `Champ ${p.received} absent du PDF fourni (table de correspondance : ${p.detail}).`,
    en: (p) => `Field ${p.received} is missing from the supplied PDF (field map: ${p.detail}).`,
  },
  ERR_OVERLAY_OVERFLOW: {
    kind: 'verdict',
    fr: (p) => `Trop de lignes pour le formulaire fourni : ${p.received} lignes dans « ${p.detail} » pour ${p.limit} emplacements.`,
    en: (p) => `Too many lines for the supplied form: ${p.received} lines in "${p.detail}" for ${p.limit} slots.`,
  },
  ERR_NOT_S3404_PDF: {
    kind: 'verdict',
    fr: () => `Ce PDF n'a pas été produit par le SDK s3404 (données d'emplacement absentes).`,
    en: () => `This PDF was not produced by the s3404 SDK (slot data missing).`,
  },
  ERR_PDF_MODIFIED: {
    kind: 'verdict',
    fr: (p) =>
      `Ce bordereau a été modifié après son rendu : la révision ${p.received ?? '?'} n'est pas une signature posée par le SDK${p.detail === undefined ? '' : ` (${p.detail})`}. Aucune signature n'y sera apposée : produisez à nouveau le PDF.`,
    en: (p) =>
      `This bordereau was modified after it was rendered: revision ${p.received ?? '?'} is not a signature placed by the SDK${p.detail === undefined ? '' : ` (${p.detail})`}. No signature will be applied to it: render the PDF again.`,
  },
  ERR_PDF_NOT_AUTHENTIC: {
    kind: 'verdict',
    fr: (p) => `La première révision de ce PDF n'est pas le rendu du bordereau qu'elle déclare${p.detail === undefined ? '' : ` (${p.detail})`}.`,
    en: (p) => `The first revision of this PDF is not the rendering of the bordereau it declares${p.detail === undefined ? '' : ` (${p.detail})`}.`,
  },
  ERR_PDF_CONTENT_MISMATCH: {
    kind: 'verdict',
    fr: (p) =>
      `Ce PDF est le rendu d'un autre contenu du bordereau${p.received === undefined ? '' : ` : empreinte ${p.received}, attendue ${p.expected ?? '?'}`}.`,
    en: (p) => `This PDF renders other content of the bordereau${p.received === undefined ? '' : `: hash ${p.received}, expected ${p.expected ?? '?'}`}.`,
  },
  ERR_ACROFORM_MISSING: {
    kind: 'input',
    fr: () => `Ce PDF ne contient pas de formulaire AcroForm S3404 à relire (produisez-le avec fillable).`,
    en: () => `This PDF holds no S3404 AcroForm to read back (render it with fillable).`,
  },
  ERR_ACROFORM_VALUE: {
    kind: 'input',
    fr: (p) => `Champ ${p.detail} : valeur illisible${got(p, true)}.`,
    en: (p) => `Field ${p.detail}: unreadable value${got(p, false)}.`,
  },
  ERR_SLOT_UNKNOWN: {
    kind: 'verdict',
    fr: (p) => `Emplacement de signature inconnu : ${p.received} (disponibles : ${p.expected}).`,
    en: (p) => `Unknown signature slot: ${p.received} (available: ${p.expected}).`,
  },
  ERR_SLOT_ALREADY_SIGNED: {
    kind: 'verdict',
    fr: (p) => `L'emplacement ${p.received} porte déjà une signature.`,
    en: (p) => `Slot ${p.received} already carries a signature.`,
  },
  ERR_SLOT_BORDEREAU_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `La signature désigne le bordereau ${p.received}, ce PDF est le bordereau ${p.expected}.`,
    en: (p) => `The signature names bordereau ${p.received}; this PDF is bordereau ${p.expected}.`,
  },
  ERR_SLOT_INVALID: {
    kind: 'input',
    fr: (p) =>
      `Données d'emplacement de signature abîmées${p.received === undefined ? '' : ` (${p.received})`}${p.detail === undefined ? '' : ` : ${p.detail}`} ; produisez à nouveau le PDF.`,
    en: (p) =>
      `Damaged signature slot data${p.received === undefined ? '' : ` (${p.received})`}${p.detail === undefined ? '' : `: ${p.detail}`}; render the PDF again.`,
  },
  ERR_SIGNATURE_IMAGE_INVALID: {
    kind: 'input',
    fr: (p) => `Image de signature invalide${p.detail === undefined ? '' : ` : ${p.detail}`}.`,
    en: (p) => `Invalid signature image${p.detail === undefined ? '' : `: ${p.detail}`}.`,
  },
});

/** A code `@s3404/form` reports (X-2). @public */
export type FormErrorCode = (typeof FORM_ERRORS.codes)[number];
