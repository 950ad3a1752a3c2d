import { CORE_ERRORS, defineErrors, type ResolvedParams } from '@s3404/core';

const detail = (p: ResolvedParams): string => (p.detail === undefined ? '' : ` (${p.detail})`);
const page = (p: ResolvedParams, fr: boolean): string => (p.page === undefined ? '' : fr ? `Page ${p.page} : ` : `Page ${p.page}: `);
const image = (p: ResolvedParams): string => (p.image === undefined ? '' : ` (image ${p.image})`);
/** The file or address an action names, as found in the PDF (data: quoted, never translated). */
const target = (p: ResolvedParams, lang: 'fr' | 'en'): string => (p.target === undefined ? '' : lang === 'fr' ? ` (« ${p.target} »)` : ` ("${p.target}")`);

/** What `ERR_LOT_MANIFEST_MISMATCH` says of a file, by its stable `detail` token (the token stays in `params`). */
const MISMATCH: Readonly<Record<string, { readonly fr: (p: ResolvedParams) => string; readonly en: (p: ResolvedParams) => string }>> = {
  absent: { fr: () => 'absent du conteneur', en: () => 'missing from the container' },
  'not listed': { fr: () => 'absent du manifeste', en: () => 'not listed in the manifest' },
  'SHA-256': { fr: () => 'empreinte SHA-256 différente', en: () => 'different SHA-256 digest' },
  size: { fr: (p) => `${p.bytes} octets, ${p.listed} listés`, en: (p) => `${p.bytes} bytes, ${p.listed} listed` },
  signature: { fr: () => 'signature invalide', en: () => 'invalid signature' },
};
const mismatch = (p: ResolvedParams, lang: 'fr' | 'en'): string => {
  if (p.detail === undefined) return '';
  const known = MISMATCH[String(p.detail)];
  return ` (${known === undefined ? p.detail : known[lang](p)})`;
};

const { ERR_BORDEREAU_ID_FORMAT, ERR_BORDEREAU_ID_CHECK, ERR_FINESS_FORMAT, ERR_FINESS_KEY, ERR_FILE_UNWRITABLE, ERR_FILE_UNREADABLE } =
  CORE_ERRORS.definitions;

/**
 * Every code `@s3404/scor` can report, with its kind and its French and
 * English message (SCOR-1…SCOR-3, X-2). `ERR_PJ_…` are issues of a PJ
 * check; `ERR_LOT_…` issues of a lot or errors of its lifecycle and stores;
 * `ERR_ARL_…` come from reading an ARL. The identifier codes of
 * `@s3404/core` (`ERR_BORDEREAU_ID_…`, `ERR_FINESS_…`) are included, as is
 * `ERR_FILE_UNWRITABLE` and `ERR_FILE_UNREADABLE`, which the file side
 * (`writeLotFile`, `packLotFile`, `verifyLotFile`) throws (a `CoreError`).
 *
 * Kinds (`docs/conventions.md` §3): a bad PJ and a refused lot or
 * lifecycle step are `verdict`; an unreadable description, ARL, option or
 * file is `input`; a failing store or transport, and a lot changed too often
 * at once by other processes, are `unavailable` (retrying later may work);
 * a stored lot that no longer reads (`ERR_LOT_STORE_CORRUPT`) is
 * `internal`: the store only holds what the SDK wrote and checked, so an
 * operator must look at it — retrying will not help.
 *
 * `import { SCOR_ERRORS } from '@s3404/scor/errors'`
 *
 * @example
 * ```ts
 * SCOR_ERRORS.message('ERR_PJ_RESOLUTION_TOO_LOW', { page: 1, dpi: 150, min: 200 }, 'en')
 * // 'Page 1: image scanned at 150 dpi, at least 200 dpi expected (scan at 200 dpi or more).'
 * SCOR_ERRORS.kind('ERR_LOT_STORE_UNAVAILABLE') // 'unavailable'
 * ```
 * @public
 */
export const SCOR_ERRORS = defineErrors({
  ERR_BORDEREAU_ID_FORMAT,
  ERR_BORDEREAU_ID_CHECK,
  ERR_FINESS_FORMAT,
  ERR_FINESS_KEY,
  ERR_FILE_UNWRITABLE,
  ERR_FILE_UNREADABLE,
  // --- PJ: the file (SCOR-1)
  ERR_PJ_EMPTY: { kind: 'verdict', fr: 'Le fichier est vide.', en: 'The file is empty.' },
  ERR_PJ_NOT_PDF: {
    kind: 'verdict',
    fr: "Ce n'est pas un PDF : l'en-tête « %PDF- » est absent du début du fichier (une PJ SCOR est un PDF).",
    en: 'Not a PDF: the "%PDF-" header is missing from the start of the file (a SCOR PJ is a PDF).',
  },
  ERR_PJ_TOO_LARGE: {
    kind: 'verdict',
    fr: (p) => `PJ trop volumineuse : ${p.bytes} octets, ${p.limit} au plus.`,
    en: (p) => `PJ too large: ${p.bytes} bytes, at most ${p.limit}.`,
  },
  ERR_PJ_UNREADABLE: {
    kind: 'verdict',
    fr: (p) => `PDF illisible${detail(p)} : il ne s'ouvre pas.`,
    en: (p) => `Unreadable PDF${detail(p)}: it does not open.`,
  },
  ERR_PJ_TOO_COMPLEX: {
    kind: 'verdict',
    fr: (p) => `PDF trop complexe pour être contrôlé${detail(p)} : contrôle arrêté.`,
    en: (p) => `PDF too complex to be checked${detail(p)}: check stopped.`,
  },
  ERR_PJ_ENCRYPTED: {
    kind: 'verdict',
    fr: 'PDF chiffré ou protégé par mot de passe : une PJ doit être lisible sans mot de passe.',
    en: 'Encrypted or password-protected PDF: a PJ must be readable without a password.',
  },
  // --- PJ: active content — nothing in a PJ may run or reach outside the file (SCOR-1)
  ERR_PJ_JAVASCRIPT: {
    kind: 'verdict',
    fr: 'Le PDF contient du JavaScript ou un script de formulaire XFA : refusé dans une PJ.',
    en: 'The PDF contains JavaScript or an XFA form script: refused in a PJ.',
  },
  ERR_PJ_LAUNCH_ACTION: {
    kind: 'verdict',
    fr: (p) => `Le PDF contient une action de lancement d'application${target(p, 'fr')} : refusée dans une PJ.`,
    en: (p) => `The PDF contains an application launch action${target(p, 'en')}: refused in a PJ.`,
  },
  ERR_PJ_EMBEDDED_FILE: {
    kind: 'verdict',
    fr: 'Le PDF contient des fichiers joints ou incorporés : refusés dans une PJ.',
    en: 'The PDF contains attached or embedded files: refused in a PJ.',
  },
  ERR_PJ_SUBMIT_FORM: {
    kind: 'verdict',
    fr: (p) =>
      `Le PDF envoie les données de son formulaire à une adresse${target(p, 'fr')} (action SubmitForm, ou envoi d'un formulaire XFA) : refusé dans une PJ.`,
    en: (p) => `The PDF sends its form data to an address${target(p, 'en')} (SubmitForm action, or XFA submit): refused in a PJ.`,
  },
  ERR_PJ_IMPORT_DATA: {
    kind: 'verdict',
    fr: (p) => `Le PDF importe les données d'un autre fichier${target(p, 'fr')} (action ImportData) : refusé dans une PJ.`,
    en: (p) => `The PDF imports data from another file${target(p, 'en')} (ImportData action): refused in a PJ.`,
  },
  ERR_PJ_REMOTE_GOTO: {
    kind: 'verdict',
    fr: (p) =>
      `Le PDF ouvre un autre fichier${target(p, 'fr')} (action GoToR, GoToE ou Thread) : refusé dans une PJ. Un chemin réseau (\\\\serveur\\partage) fait envoyer par Windows les identifiants de la personne qui lit.`,
    en: (p) =>
      `The PDF opens another file${target(p, 'en')} (GoToR, GoToE or Thread action): refused in a PJ. A network path (\\\\server\\share) makes Windows send the reader's credentials.`,
  },
  ERR_PJ_URI_AUTOMATIC: {
    kind: 'verdict',
    fr: (p) => `Le PDF ouvre une adresse de lui-même, sans clic (à l'ouverture, sur une page ou un champ)${target(p, 'fr')} : refusé dans une PJ.`,
    en: (p) => `The PDF opens an address by itself, without a click (when opened, on a page or field event)${target(p, 'en')}: refused in a PJ.`,
  },
  ERR_PJ_URI_UNSAFE: {
    kind: 'verdict',
    fr: (p) =>
      `Le PDF contient un lien qui n'est pas une adresse web ou de messagerie (fichier, partage réseau, script…)${target(p, 'fr')} : refusé dans une PJ.`,
    en: (p) => `The PDF contains a link that is not a web or e-mail address (file, network share, script…)${target(p, 'en')}: refused in a PJ.`,
  },
  ERR_PJ_LINK: {
    kind: 'verdict',
    fr: (p) =>
      `Le PDF contient ${p.count ?? 1} lien(s) vers le web ou une messagerie${target(p, 'fr')} : ils ne s'ouvrent que sur un clic ; vérifiez qu'ils sont attendus.`,
    en: (p) => `The PDF contains ${p.count ?? 1} link(s) to the web or e-mail${target(p, 'en')}: they open only when clicked; check they are expected.`,
  },
  ERR_PJ_MULTIMEDIA: {
    kind: 'verdict',
    fr: 'Le PDF contient du multimédia (RichMedia, 3D, vidéo, son ou action Rendition) : refusé dans une PJ.',
    en: 'The PDF contains multimedia (RichMedia, 3D, movie, sound or Rendition action): refused in a PJ.',
  },
  ERR_PJ_XFA_FORM: {
    kind: 'verdict',
    fr: "Le PDF contient un formulaire XFA : refusé dans une PJ (une visionneuse peut l'afficher à la place des pages contrôlées, et il peut porter scripts et connexions).",
    en: 'The PDF contains an XFA form: refused in a PJ (a viewer may show it instead of the pages checked, and it may carry scripts and data connections).',
  },
  ERR_PJ_EXTERNAL_CONTENT: {
    kind: 'verdict',
    fr: 'Le PDF charge du contenu depuis un autre fichier (flux externe ou XObject de référence) : refusé dans une PJ.',
    en: 'The PDF loads content from another file (external stream or reference XObject): refused in a PJ.',
  },
  // --- PJ: structure repairs (warnings; errors with a strict policy)
  ERR_PJ_XREF_REPAIRED: {
    kind: 'verdict',
    fr: 'Table des références croisées endommagée, reconstruite par lecture du fichier.',
    en: 'Damaged cross-reference table, rebuilt by scanning the file.',
  },
  ERR_PJ_LENGTH_REPAIRED: { kind: 'verdict', fr: 'Longueur de flux incorrecte, corrigée à la lecture.', en: 'Wrong stream length, corrected when reading.' },
  ERR_PJ_STREAM_DAMAGED: {
    kind: 'verdict',
    fr: 'Flux compressé endommagé : seule sa partie lisible a été contrôlée.',
    en: 'Damaged compressed stream: only its readable part was checked.',
  },
  // --- PJ: pages (SCOR-1)
  ERR_PJ_NO_PAGES: { kind: 'verdict', fr: 'Le PDF ne contient aucune page.', en: 'The PDF has no page.' },
  ERR_PJ_TOO_MANY_PAGES: {
    kind: 'verdict',
    fr: (p) => `Trop de pages : plus de ${p.limit}.`,
    en: (p) => `Too many pages: more than ${p.limit}.`,
  },
  ERR_PJ_PAGE_TREE_LOOP: {
    kind: 'verdict',
    fr: 'Arbre des pages en boucle : une page ou un nœud se contient lui-même.',
    en: 'Page tree loop: a page or node contains itself.',
  },
  ERR_PJ_PAGE_TREE_INVALID: {
    kind: 'verdict',
    fr: 'Arbre des pages endommagé (nœud absent, répété ou trop profond).',
    en: 'Damaged page tree (missing, repeated or too deep node).',
  },
  ERR_PJ_PAGE_COUNT_MISMATCH: {
    kind: 'verdict',
    fr: 'Le nombre de pages déclaré ne correspond pas aux pages trouvées.',
    en: 'The declared page count does not match the pages found.',
  },
  ERR_PJ_PAGE_BOX_INVALID: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}format de page absent ou invalide (MediaBox).`,
    en: (p) => `${page(p, false)}missing or invalid page size (MediaBox).`,
  },
  ERR_PJ_PAGE_TOO_SMALL: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}format ${p.width} × ${p.height} mm inférieur au A5 (148 × 210 mm au moins).`,
    en: (p) => `${page(p, false)}size ${p.width} × ${p.height} mm smaller than A5 (at least 148 × 210 mm).`,
  },
  ERR_PJ_PAGE_TOO_LARGE: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}format ${p.width} × ${p.height} mm au-delà de la limite du PDF (5 080 mm).`,
    en: (p) => `${page(p, false)}size ${p.width} × ${p.height} mm beyond the PDF limit (5,080 mm).`,
  },
  ERR_PJ_CONTENT_DAMAGED: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}contenu de la page illisible${detail(p)} : ses images ne peuvent pas être contrôlées.`,
    en: (p) => `${page(p, false)}unreadable page content${detail(p)}: its images cannot be checked.`,
  },
  ERR_PJ_UNSUPPORTED_FILTER: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}filtre de compression non pris en charge : ${p.filter}.`,
    en: (p) => `${page(p, false)}unsupported compression filter: ${p.filter}.`,
  },
  // --- PJ: scanned images (SCOR-1)
  ERR_PJ_IMAGE_INVALID: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}image sans dimensions valides${image(p)}.`,
    en: (p) => `${page(p, false)}image without valid dimensions${image(p)}.`,
  },
  ERR_PJ_RESOLUTION_TOO_LOW: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}image numérisée à ${p.dpi} dpi${image(p)}, ${p.min} dpi au moins attendus (numérisez à ${p.min} dpi ou plus).`,
    en: (p) => `${page(p, false)}image scanned at ${p.dpi} dpi${image(p)}, at least ${p.min} dpi expected (scan at ${p.min} dpi or more).`,
  },
  ERR_PJ_COLOUR_NOT_ALLOWED: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}image en couleur${image(p)} : la politique demande des niveaux de gris.`,
    en: (p) => `${page(p, false)}colour image${image(p)}: the policy asks for grey levels.`,
  },
  ERR_PJ_BILEVEL_NOT_ALLOWED: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}image en noir et blanc pur (1 bit)${image(p)} : la politique demande des niveaux de gris ou la couleur.`,
    en: (p) => `${page(p, false)}pure black-and-white (1-bit) image${image(p)}: the policy asks for grey levels or colour.`,
  },
  ERR_PJ_COLOUR_UNKNOWN: {
    kind: 'verdict',
    fr: (p) => `${page(p, true)}espace colorimétrique de l'image indéterminé${image(p)}.`,
    en: (p) => `${page(p, false)}undetermined colour space of the image${image(p)}.`,
  },
  ERR_PJ_POLICY_INVALID: {
    kind: 'input',
    fr: (p) => `Politique de contrôle des PJ invalide : ${p.detail}.`,
    en: (p) => `Invalid PJ check policy: ${p.detail}.`,
  },
  // --- lot (SCOR-2)
  ERR_LOT_INVALID: {
    kind: 'input',
    fr: (p) => `Description de lot invalide${detail(p)}.`,
    en: (p) => `Invalid lot description${detail(p)}.`,
  },
  ERR_LOT_REFUSED: {
    kind: 'verdict',
    fr: (p) => `Lot refusé : ${p.count} problème(s) à corriger.`,
    en: (p) => `Lot refused: ${p.count} problem(s) to fix.`,
  },
  ERR_LOT_DUPLICATE_INVOICE: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} présente plusieurs fois dans le lot (déjà en position ${p.first}).`,
    en: (p) => `Invoice ${p.invoice} appears more than once in the lot (already at position ${p.first}).`,
  },
  ERR_LOT_DUPLICATE_BORDEREAU: {
    kind: 'verdict',
    fr: (p) => `Bordereau ${p.bordereau} rattaché à plusieurs factures (déjà en position ${p.first}).`,
    en: (p) => `Bordereau ${p.bordereau} attached to several invoices (already at position ${p.first}).`,
  },
  ERR_LOT_DUPLICATE_PJ: {
    kind: 'verdict',
    fr: (p) => `Même fichier joint deux fois (identique à ${p.first}) : chaque PJ n'est transmise qu'une fois.`,
    en: (p) => `The same file is attached twice (identical to ${p.first}): each PJ is sent once.`,
  },
  ERR_LOT_INVOICE_WITHOUT_PJ: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} sans PJ : au moins le S3404 signé est attendu.`,
    en: (p) => `Invoice ${p.invoice} without a PJ: at least the signed S3404 is expected.`,
  },
  ERR_LOT_PJ_ORDER: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} : le S3404 signé doit être la première PJ, et la seule de type s3404 (reçu ${p.kinds}).`,
    en: (p) => `Invoice ${p.invoice}: the signed S3404 must be the first PJ, and the only one of kind s3404 (got ${p.kinds}).`,
  },
  ERR_LOT_FILE_MISSING: {
    kind: 'input',
    fr: (p) => `Fichier introuvable : ${p.file}.`,
    en: (p) => `File not found: ${p.file}.`,
  },
  ERR_LOT_FILE_CHANGED: {
    kind: 'input',
    fr: (p) =>
      `Le fichier ${p.file} a changé pendant la constitution du lot (relu pour l'écrire, il ne correspond plus à son contrôle) : relancez-la une fois les fichiers stables.`,
    en: (p) =>
      `File ${p.file} changed while the lot was being packed (read again to write it, it no longer matches its check): pack again once the files are stable.`,
  },
  ERR_LOT_BORDEREAU_UNREADABLE: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} : identifiant du bordereau introuvable dans le S3404 (PDF non produit par @s3404/form ? fournissez readBordereauId).`,
    en: (p) => `Invoice ${p.invoice}: bordereau identifier not found in the S3404 (PDF not produced by @s3404/form? provide readBordereauId).`,
  },
  ERR_LOT_BORDEREAU_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} : le S3404 joint porte le bordereau ${p.found}, la facture attend ${p.expected}.`,
    en: (p) => `Invoice ${p.invoice}: the attached S3404 carries bordereau ${p.found}, the invoice expects ${p.expected}.`,
  },
  ERR_LOT_FINESS_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} : le S3404 joint est celui de l'établissement FINESS ${p.found}, le lot est celui de ${p.expected}.`,
    en: (p) => `Invoice ${p.invoice}: the attached S3404 belongs to establishment FINESS ${p.found}, the lot to ${p.expected}.`,
  },
  ERR_LOT_S3404_UNSIGNED: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} : le S3404 n'est pas entièrement signé (manquent : ${p.missing}).`,
    en: (p) => `Invoice ${p.invoice}: the S3404 is not fully signed (missing: ${p.missing}).`,
  },
  ERR_PJ_S3404_MODIFIED: {
    kind: 'verdict',
    fr: (p) => `Le S3404 ne suit pas le schéma rendu, signatures du SDK, sceau${p.detail === undefined ? '' : ` — ${p.detail}`}.`,
    en: (p) => `The S3404 does not follow the pattern rendering, SDK signatures, seal${p.detail === undefined ? '' : ` — ${p.detail}`}.`,
  },
  ERR_LOT_S3404_MODIFIED: {
    kind: 'verdict',
    fr: (p) => `Facture n° ${p.invoice} : le S3404 ne suit pas le schéma rendu, signatures du SDK, sceau${p.detail === undefined ? '' : ` — ${p.detail}`}.`,
    en: (p) => `Invoice ${p.invoice}: the S3404 does not follow the pattern rendering, SDK signatures, seal${p.detail === undefined ? '' : ` — ${p.detail}`}.`,
  },
  ERR_LOT_TOO_LARGE: {
    kind: 'verdict',
    fr: (p) => `Lot trop volumineux : ${p.bytes} octets, ${p.limit} au plus.`,
    en: (p) => `Lot too large: ${p.bytes} bytes, at most ${p.limit}.`,
  },
  ERR_LOT_CONTAINER_INVALID: {
    kind: 'verdict',
    fr: (p) => `Conteneur de lot illisible${detail(p)}.`,
    en: (p) => `Unreadable lot container${detail(p)}.`,
  },
  ERR_LOT_MANIFEST_INVALID: {
    kind: 'verdict',
    fr: (p) => `Manifeste du lot invalide${detail(p)}.`,
    en: (p) => `Invalid lot manifest${detail(p)}.`,
  },
  ERR_LOT_MANIFEST_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `Le fichier ${p.file} du lot ne correspond pas à son manifeste${mismatch(p, 'fr')}.`,
    en: (p) => `File ${p.file} of the lot does not match its manifest${mismatch(p, 'en')}.`,
  },
  // --- lifecycle (SCOR-3)
  ERR_LOT_EXISTS: {
    kind: 'verdict',
    fr: (p) => `Le lot ${p.lotId} est déjà enregistré.`,
    en: (p) => `Lot ${p.lotId} is already registered.`,
  },
  ERR_LOT_NOT_FOUND: {
    kind: 'input',
    fr: (p) => `Lot inconnu : ${p.lotId}.`,
    en: (p) => `Unknown lot: ${p.lotId}.`,
  },
  ERR_LOT_STATE: {
    kind: 'verdict',
    fr: (p) => `Lot ${p.lotId} à l'état « ${p.state} » : action « ${p.action} » impossible.`,
    en: (p) => `Lot ${p.lotId} is "${p.state}": action "${p.action}" is not possible.`,
  },
  ERR_LOT_B2_ARL_MISSING: {
    kind: 'verdict',
    fr: (p) => `Lot ${p.lotId} : envoi refusé tant que l'ARL positif du lot B2 n° ${p.b2LotNumber} n'est pas reçu.`,
    en: (p) => `Lot ${p.lotId}: sending refused until the positive ARL of B2 lot ${p.b2LotNumber} is received.`,
  },
  ERR_LOT_CONTAINER_CHANGED: {
    kind: 'input',
    fr: (p) =>
      `Le conteneur du lot ${p.lotId} ne correspond plus à son empreinte (attendu : ${p.bytes} octets, SHA-256 ${p.sha256} ; lu : ${p.read} octets) : il a changé depuis sa constitution, reconstituez le lot.`,
    en: (p) =>
      `The container of lot ${p.lotId} no longer matches its fingerprint (expected ${p.bytes} bytes, SHA-256 ${p.sha256}; read ${p.read} bytes): it changed after packing, pack the lot again.`,
  },
  ERR_LOT_TRANSPORT_FAILED: {
    kind: 'unavailable',
    fr: (p) => `Échec de transmission du lot ${p.lotId}${detail(p)} : nouvelle tentative prévue.`,
    en: (p) => `Transmission of lot ${p.lotId} failed${detail(p)}: another attempt is scheduled.`,
  },
  ERR_LOT_PAPER_FALLBACK: {
    kind: 'verdict',
    fr: (p) => `Lot ${p.lotId} : aucun ARL PJ positif dans le délai de relance, transmettez ses PJ sur papier.`,
    en: (p) => `Lot ${p.lotId}: no positive ARL PJ within the retry window, send its PJ on paper.`,
  },
  ERR_LOT_RETENTION: {
    kind: 'verdict',
    fr: (p) => `Purge du lot ${p.lotId} refusée : ses PJ sont conservées jusqu'au ${p.until} (90 jours après la transmission).`,
    en: (p) => `Purge of lot ${p.lotId} refused: its PJ are kept until ${p.until} (90 days after transmission).`,
  },
  ERR_LOT_CONFLICT: {
    kind: 'unavailable',
    fr: (p) => `Lot ${p.lotId} modifié en même temps par un autre processus : réessayez.`,
    en: (p) => `Lot ${p.lotId} changed at the same time by another process: retry.`,
  },
  ERR_LOT_ARL_UNMATCHED: {
    kind: 'verdict',
    fr: (p) => `ARL sans lot correspondant${detail(p)}.`,
    en: (p) => `ARL without a matching lot${detail(p)}.`,
  },
  ERR_LOT_STORE_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Stockage des lots indisponible${detail(p)}.`,
    en: (p) => `Lot store unavailable${detail(p)}.`,
  },
  // The backend refuses the store for good (a right, a table, issue 19): not "retry later".
  ERR_LOT_STORE_MISCONFIGURED: {
    kind: 'internal',
    fr: (p) => `Stockage des lots refusé par son serveur${detail(p)} : droits, schéma ou configuration à corriger ; réessayer n'y changera rien.`,
    en: (p) => `Lot store refused by its server${detail(p)}: rights, schema or configuration to fix; retrying will not help.`,
  },
  ERR_LOT_STORE_CORRUPT: {
    kind: 'internal',
    fr: (p) => `Enregistrement de lot illisible dans le stockage${detail(p)}.`,
    en: (p) => `Unreadable lot record in the store${detail(p)}.`,
  },
  // --- ARL
  ERR_ARL_INVALID: {
    kind: 'input',
    fr: (p) => `ARL illisible${detail(p)}.`,
    en: (p) => `Unreadable ARL${detail(p)}.`,
  },
  // --- configuration
  ERR_SCOR_OPTIONS_INVALID: {
    kind: 'input',
    fr: (p) => `Options invalides : ${p.detail}.`,
    en: (p) => `Invalid options: ${p.detail}.`,
  },
});

/** A code `@s3404/scor` can report (X-2). @public */
export type ScorErrorCode = (typeof SCOR_ERRORS.codes)[number];
