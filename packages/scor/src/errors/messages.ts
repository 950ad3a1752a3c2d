import type { Locale } from '@s3404/form/errors';

/** Parameters a SCOR message may use. @public */
export type ScorMessageParams = Readonly<Record<string, string | number | undefined>>;

type Entry = { readonly fr: (p: ScorMessageParams) => string; readonly en: (p: ScorMessageParams) => string };

const fixed = (fr: string, en: string): Entry => ({ fr: () => fr, en: () => en });
const detail = (p: ScorMessageParams): string => (p.detail === undefined ? '' : ` (${p.detail})`);
const page = (p: ScorMessageParams, fr: boolean): string => (p.page === undefined ? '' : fr ? `Page ${p.page} : ` : `Page ${p.page}: `);
const image = (p: ScorMessageParams, fr: boolean): string => (p.image === undefined ? '' : fr ? ` (image ${p.image})` : ` (image ${p.image})`);

/**
 * Every code `@s3404/scor` can report, with its French and English text
 * (SCOR-1…SCOR-3, X-2). PJ codes (`ERR_PJ_…`) are issues of a PJ check;
 * lot codes (`ERR_LOT_…`) issues of a lot or errors of its lifecycle;
 * `ERR_ARL_…` come from reading an ARL.
 *
 * @public
 */
export const SCOR_MESSAGES = {
  // --- PJ: the file (SCOR-1)
  ERR_PJ_EMPTY: fixed('Le fichier est vide.', 'The file is empty.'),
  ERR_PJ_NOT_PDF: fixed(
    "Ce n'est pas un PDF : l'en-tête « %PDF- » est absent du début du fichier (une PJ SCOR est un PDF).",
    'Not a PDF: the "%PDF-" header is missing from the start of the file (a SCOR PJ is a PDF).',
  ),
  ERR_PJ_TOO_LARGE: {
    fr: (p) => `PJ trop volumineuse : ${p.bytes} octets, ${p.limit} au plus.`,
    en: (p) => `PJ too large: ${p.bytes} bytes, at most ${p.limit}.`,
  },
  ERR_PJ_UNREADABLE: {
    fr: (p) => `PDF illisible${detail(p)} : il ne s'ouvre pas.`,
    en: (p) => `Unreadable PDF${detail(p)}: it does not open.`,
  },
  ERR_PJ_TOO_COMPLEX: {
    fr: (p) => `PDF trop complexe pour être contrôlé${detail(p)} : contrôle arrêté.`,
    en: (p) => `PDF too complex to be checked${detail(p)}: check stopped.`,
  },
  ERR_PJ_ENCRYPTED: fixed('PDF chiffré ou protégé par mot de passe : une PJ doit être lisible sans mot de passe.', 'Encrypted or password-protected PDF: a PJ must be readable without a password.'),
  ERR_PJ_JAVASCRIPT: fixed('Le PDF contient du JavaScript : refusé dans une PJ.', 'The PDF contains JavaScript: refused in a PJ.'),
  ERR_PJ_LAUNCH_ACTION: fixed("Le PDF contient une action de lancement d'application : refusée dans une PJ.", 'The PDF contains an application launch action: refused in a PJ.'),
  ERR_PJ_EMBEDDED_FILE: fixed('Le PDF contient des fichiers joints ou incorporés : refusés dans une PJ.', 'The PDF contains attached or embedded files: refused in a PJ.'),
  // --- PJ: structure repairs (warnings; errors with a strict policy)
  ERR_PJ_XREF_REPAIRED: fixed(
    'Table des références croisées endommagée, reconstruite par lecture du fichier.',
    'Damaged cross-reference table, rebuilt by scanning the file.',
  ),
  ERR_PJ_LENGTH_REPAIRED: fixed('Longueur de flux incorrecte, corrigée à la lecture.', 'Wrong stream length, corrected when reading.'),
  ERR_PJ_STREAM_DAMAGED: fixed('Flux compressé endommagé : seule sa partie lisible a été contrôlée.', 'Damaged compressed stream: only its readable part was checked.'),
  // --- PJ: pages (SCOR-1)
  ERR_PJ_NO_PAGES: fixed('Le PDF ne contient aucune page.', 'The PDF has no page.'),
  ERR_PJ_TOO_MANY_PAGES: {
    fr: (p) => `Trop de pages : plus de ${p.limit}.`,
    en: (p) => `Too many pages: more than ${p.limit}.`,
  },
  ERR_PJ_PAGE_TREE_LOOP: fixed("Arbre des pages en boucle : une page ou un nœud se contient lui-même.", 'Page tree loop: a page or node contains itself.'),
  ERR_PJ_PAGE_TREE_INVALID: fixed('Arbre des pages endommagé (nœud absent, répété ou trop profond).', 'Damaged page tree (missing, repeated or too deep node).'),
  ERR_PJ_PAGE_COUNT_MISMATCH: fixed("Le nombre de pages déclaré ne correspond pas aux pages trouvées.", 'The declared page count does not match the pages found.'),
  ERR_PJ_PAGE_BOX_INVALID: {
    fr: (p) => `${page(p, true)}format de page absent ou invalide (MediaBox).`,
    en: (p) => `${page(p, false)}missing or invalid page size (MediaBox).`,
  },
  ERR_PJ_PAGE_TOO_SMALL: {
    fr: (p) => `${page(p, true)}format ${p.width} × ${p.height} mm inférieur au A5 (148 × 210 mm au moins).`,
    en: (p) => `${page(p, false)}size ${p.width} × ${p.height} mm smaller than A5 (at least 148 × 210 mm).`,
  },
  ERR_PJ_PAGE_TOO_LARGE: {
    fr: (p) => `${page(p, true)}format ${p.width} × ${p.height} mm au-delà de la limite du PDF (5 080 mm).`,
    en: (p) => `${page(p, false)}size ${p.width} × ${p.height} mm beyond the PDF limit (5,080 mm).`,
  },
  ERR_PJ_CONTENT_DAMAGED: {
    fr: (p) => `${page(p, true)}contenu de la page illisible${detail(p)} : ses images ne peuvent pas être contrôlées.`,
    en: (p) => `${page(p, false)}unreadable page content${detail(p)}: its images cannot be checked.`,
  },
  ERR_PJ_UNSUPPORTED_FILTER: {
    fr: (p) => `${page(p, true)}filtre de compression non pris en charge : ${p.filter}.`,
    en: (p) => `${page(p, false)}unsupported compression filter: ${p.filter}.`,
  },
  // --- PJ: scanned images (SCOR-1)
  ERR_PJ_IMAGE_INVALID: {
    fr: (p) => `${page(p, true)}image sans dimensions valides${image(p, true)}.`,
    en: (p) => `${page(p, false)}image without valid dimensions${image(p, false)}.`,
  },
  ERR_PJ_RESOLUTION_TOO_LOW: {
    fr: (p) => `${page(p, true)}image numérisée à ${p.dpi} dpi${image(p, true)}, ${p.min} dpi au moins attendus (numérisez à ${p.min} dpi ou plus).`,
    en: (p) => `${page(p, false)}image scanned at ${p.dpi} dpi${image(p, false)}, at least ${p.min} dpi expected (scan at ${p.min} dpi or more).`,
  },
  ERR_PJ_COLOUR_NOT_ALLOWED: {
    fr: (p) => `${page(p, true)}image en couleur${image(p, true)} : la politique demande des niveaux de gris.`,
    en: (p) => `${page(p, false)}colour image${image(p, false)}: the policy asks for grey levels.`,
  },
  ERR_PJ_BILEVEL_NOT_ALLOWED: {
    fr: (p) => `${page(p, true)}image en noir et blanc pur (1 bit)${image(p, true)} : la politique demande des niveaux de gris ou la couleur.`,
    en: (p) => `${page(p, false)}pure black-and-white (1-bit) image${image(p, false)}: the policy asks for grey levels or colour.`,
  },
  ERR_PJ_COLOUR_UNKNOWN: {
    fr: (p) => `${page(p, true)}espace colorimétrique de l'image indéterminé${image(p, true)}.`,
    en: (p) => `${page(p, false)}undetermined colour space of the image${image(p, false)}.`,
  },
  ERR_PJ_POLICY_INVALID: {
    fr: (p) => `Politique de contrôle des PJ invalide : ${p.detail}.`,
    en: (p) => `Invalid PJ check policy: ${p.detail}.`,
  },
  // --- lot (SCOR-2)
  ERR_LOT_INVALID: {
    fr: (p) => `Description de lot invalide${detail(p)}.`,
    en: (p) => `Invalid lot description${detail(p)}.`,
  },
  ERR_LOT_REFUSED: {
    fr: (p) => `Lot refusé : ${p.count} problème(s) à corriger.`,
    en: (p) => `Lot refused: ${p.count} problem(s) to fix.`,
  },
  ERR_LOT_DUPLICATE_INVOICE: {
    fr: (p) => `Facture n° ${p.invoice} présente plusieurs fois dans le lot (déjà en position ${p.first}).`,
    en: (p) => `Invoice ${p.invoice} appears more than once in the lot (already at position ${p.first}).`,
  },
  ERR_LOT_DUPLICATE_BORDEREAU: {
    fr: (p) => `Bordereau ${p.bordereau} rattaché à plusieurs factures (déjà en position ${p.first}).`,
    en: (p) => `Bordereau ${p.bordereau} attached to several invoices (already at position ${p.first}).`,
  },
  ERR_LOT_DUPLICATE_PJ: {
    fr: (p) => `Même fichier joint deux fois (identique à ${p.first}) : chaque PJ n'est transmise qu'une fois.`,
    en: (p) => `The same file is attached twice (identical to ${p.first}): each PJ is sent once.`,
  },
  ERR_LOT_INVOICE_WITHOUT_PJ: {
    fr: (p) => `Facture n° ${p.invoice} sans PJ : au moins le S3404 signé est attendu.`,
    en: (p) => `Invoice ${p.invoice} without a PJ: at least the signed S3404 is expected.`,
  },
  ERR_LOT_PJ_ORDER: {
    fr: (p) => `Facture n° ${p.invoice} : le S3404 signé doit être la première PJ, et la seule de type s3404 (reçu ${p.kinds}).`,
    en: (p) => `Invoice ${p.invoice}: the signed S3404 must be the first PJ, and the only one of kind s3404 (got ${p.kinds}).`,
  },
  ERR_LOT_FILE_MISSING: {
    fr: (p) => `Fichier introuvable : ${p.file}.`,
    en: (p) => `File not found: ${p.file}.`,
  },
  ERR_LOT_BORDEREAU_UNREADABLE: {
    fr: (p) => `Facture n° ${p.invoice} : identifiant du bordereau introuvable dans le S3404 (PDF non produit par @s3404/form ? fournissez readBordereauId).`,
    en: (p) => `Invoice ${p.invoice}: bordereau identifier not found in the S3404 (PDF not produced by @s3404/form? provide readBordereauId).`,
  },
  ERR_LOT_BORDEREAU_MISMATCH: {
    fr: (p) => `Facture n° ${p.invoice} : le S3404 joint porte le bordereau ${p.found}, la facture attend ${p.expected}.`,
    en: (p) => `Invoice ${p.invoice}: the attached S3404 carries bordereau ${p.found}, the invoice expects ${p.expected}.`,
  },
  ERR_LOT_FINESS_MISMATCH: {
    fr: (p) => `Facture n° ${p.invoice} : le S3404 joint est celui de l'établissement FINESS ${p.found}, le lot est celui de ${p.expected}.`,
    en: (p) => `Invoice ${p.invoice}: the attached S3404 belongs to establishment FINESS ${p.found}, the lot to ${p.expected}.`,
  },
  ERR_LOT_S3404_UNSIGNED: {
    fr: (p) => `Facture n° ${p.invoice} : le S3404 n'est pas entièrement signé (manquent : ${p.missing}).`,
    en: (p) => `Invoice ${p.invoice}: the S3404 is not fully signed (missing: ${p.missing}).`,
  },
  ERR_LOT_TOO_LARGE: {
    fr: (p) => `Lot trop volumineux : ${p.bytes} octets, ${p.limit} au plus.`,
    en: (p) => `Lot too large: ${p.bytes} bytes, at most ${p.limit}.`,
  },
  ERR_LOT_CONTAINER_INVALID: {
    fr: (p) => `Conteneur de lot illisible${detail(p)}.`,
    en: (p) => `Unreadable lot container${detail(p)}.`,
  },
  ERR_LOT_MANIFEST_INVALID: {
    fr: (p) => `Manifeste du lot invalide${detail(p)}.`,
    en: (p) => `Invalid lot manifest${detail(p)}.`,
  },
  ERR_LOT_MANIFEST_MISMATCH: {
    fr: (p) => `Le fichier ${p.file} du lot ne correspond pas à son manifeste${detail(p)}.`,
    en: (p) => `File ${p.file} of the lot does not match its manifest${detail(p)}.`,
  },
  // --- lifecycle (SCOR-3)
  ERR_LOT_EXISTS: {
    fr: (p) => `Le lot ${p.lotId} est déjà enregistré.`,
    en: (p) => `Lot ${p.lotId} is already registered.`,
  },
  ERR_LOT_NOT_FOUND: {
    fr: (p) => `Lot inconnu : ${p.lotId}.`,
    en: (p) => `Unknown lot: ${p.lotId}.`,
  },
  ERR_LOT_STATE: {
    fr: (p) => `Lot ${p.lotId} à l'état « ${p.state} » : action « ${p.action} » impossible.`,
    en: (p) => `Lot ${p.lotId} is "${p.state}": action "${p.action}" is not possible.`,
  },
  ERR_LOT_B2_ARL_MISSING: {
    fr: (p) => `Lot ${p.lotId} : envoi refusé tant que l'ARL positif du lot B2 n° ${p.b2LotNumber} n'est pas reçu.`,
    en: (p) => `Lot ${p.lotId}: sending refused until the positive ARL of B2 lot ${p.b2LotNumber} is received.`,
  },
  ERR_LOT_TRANSPORT_FAILED: {
    fr: (p) => `Échec de transmission du lot ${p.lotId}${detail(p)} : nouvelle tentative prévue.`,
    en: (p) => `Transmission of lot ${p.lotId} failed${detail(p)}: another attempt is scheduled.`,
  },
  ERR_LOT_PAPER_FALLBACK: {
    fr: (p) => `Lot ${p.lotId} : aucun ARL PJ positif dans le délai de relance, transmettez ses PJ sur papier.`,
    en: (p) => `Lot ${p.lotId}: no positive ARL PJ within the retry window, send its PJ on paper.`,
  },
  ERR_LOT_RETENTION: {
    fr: (p) => `Purge du lot ${p.lotId} refusée : ses PJ sont conservées jusqu'au ${p.until} (90 jours après la transmission).`,
    en: (p) => `Purge of lot ${p.lotId} refused: its PJ are kept until ${p.until} (90 days after transmission).`,
  },
  ERR_LOT_CONFLICT: {
    fr: (p) => `Lot ${p.lotId} modifié en même temps par un autre processus : réessayez.`,
    en: (p) => `Lot ${p.lotId} changed at the same time by another process: retry.`,
  },
  ERR_LOT_ARL_UNMATCHED: {
    fr: (p) => `ARL sans lot correspondant${detail(p)}.`,
    en: (p) => `ARL without a matching lot${detail(p)}.`,
  },
  ERR_LOT_STORE_UNAVAILABLE: {
    fr: (p) => `Stockage des lots indisponible${detail(p)}.`,
    en: (p) => `Lot store unavailable${detail(p)}.`,
  },
  ERR_LOT_STORE_CORRUPT: {
    fr: (p) => `Enregistrement de lot illisible dans le stockage${detail(p)}.`,
    en: (p) => `Unreadable lot record in the store${detail(p)}.`,
  },
  // --- ARL
  ERR_ARL_INVALID: {
    fr: (p) => `ARL illisible${detail(p)}.`,
    en: (p) => `Unreadable ARL${detail(p)}.`,
  },
  // --- configuration
  ERR_SCOR_OPTIONS_INVALID: {
    fr: (p) => `Options invalides : ${p.detail}.`,
    en: (p) => `Invalid options: ${p.detail}.`,
  },
} satisfies Record<string, Entry>;

/** A code `@s3404/scor` can report. @public */
export type ScorErrorCode = keyof typeof SCOR_MESSAGES;

/**
 * The message of a SCOR code in French (default) or English.
 *
 * `import { scorMessage } from '@s3404/scor/errors'`
 *
 * @example `scorMessage('ERR_PJ_RESOLUTION_TOO_LOW', { page: 1, dpi: 150, min: 200 }, 'en')`
 * @public
 */
export function scorMessage(code: ScorErrorCode, params: ScorMessageParams = {}, locale: Locale = 'fr'): string {
  const entry: Entry | undefined = (SCOR_MESSAGES as Record<string, Entry>)[code];
  return entry === undefined ? code : entry[locale === 'en' ? 'en' : 'fr'](params);
}
