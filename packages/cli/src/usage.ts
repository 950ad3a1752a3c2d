import type { Locale } from '@s3404/core';

/** The command-line help in French (the default), as every message of the SDK. */
const USAGE_FR = `s3404 — SDK de dématérialisation du bordereau S3404

Usage : s3404 <commande> [options]

Commandes disponibles :
  demo [--out DIR] [--count N]             le parcours complet sur des données d'exemple : N bordereaux
                                           (3 par défaut, 100 000 au plus) d'une clinique, signés par
                                           chaque signataire (scellés, consommés une fois, supprimés), une
                                           journée comptable validée d'une signature, des lots SCOR (500
                                           factures au plus chacun) envoyés et acquittés, tout tracé ;
                                           une démonstration à la fois par DIR :
                                           DIR/bordereaux/*.pdf, DIR/scor/*, DIR/audit/*,
                                           DIR/pki/* (développement) et DIR/summary.json
  validate FICHIER.json [--json]           contrôle un bordereau (codes et chemins des problèmes)
  render FICHIER.json -o SORTIE.pdf        produit le PDF du bordereau
      [--fillable] [--page a3|a4]          formulaire à remplir à l'écran ; format A3 (défaut) ou A4
      [--template GABARIT.json]            gabarit de mise en page de l'éditeur
      [--overlay CERFA.pdf --field-map CORRESPONDANCE.json]
                                           superposition sur le PDF officiel fourni

  pki init DIR [--algorithm ecdsa-p256|ecdsa-p384|rsa-2048|rsa-pss-2048|rsa-3072] [--force]
                                           PKI de développement : ca.pem, seal-cert.pem, seal-key.pem
                                           (PKCS#8), tsa-cert.pem… (jamais en production)
  record seal (--bordereau ID --content-hash EMPREINTE [--line N]
      | --day AAAA-MM-JJ --finess FINESS --day-bordereau ID:EMPREINTE…)
      --role ROLE --signer TEXTE --image SIGNATURE.png --cert PEM --key PEM -o SORTIE.p7m
                                           scelle une signature capturée (CMS SignedData, DER),
                                           liée au contenu exact signé : EMPREINTE est l'empreinte
                                           SHA-256 du contenu du bordereau (64 chiffres hexadécimaux,
                                           imprimée en pied de chaque page du PDF, affichée par
                                           validate --json et render --json), obligatoire pour un
                                           bordereau ou une ligne ; --day : répéter --day-bordereau
                                           ID:EMPREINTE pour chaque bordereau de la journée ;
                                           ROLE : assure, directeur, praticien, delegataire ;
      [--rpps N] [--practitioner-rpps N] [--mandate REF] [--proof-agreement REF] [--terminal ID]
                                           RPPS du signataire / du praticien de la ligne, mandat,
                                           convention de preuve
  record verify FICHIER.p7m --trust CA.pem [--bordereau ID] [--content-hash EMPREINTE] [--line N]
      [--day AAAA-MM-JJ [--day-bordereau ID:EMPREINTE…]]
                                           vérifie un enregistrement scellé et ce qui est donné de
                                           sa liaison : 0 valide, 1 invalide (avec son code,
                                           ERR_RECORD_WRONG_CONTENT pour un autre contenu)
  record deposit FICHIER.p7m (--state DIR | --store URL) [--trust CA.pem] [--keep-input]
                                           met la signature en attente, chiffrée sous une clé neuve,
                                           et affiche sa poignée (qui contient la clé : la seule
                                           copie) ; FICHIER est ensuite supprimé ; sans --trust, le
                                           cachet est vérifié par record consume
  record consume (FICHIER.p7m | --handle POIGNÉE)
      (--bordereau ID --content-hash EMPREINTE [--line N] | --pdf BORDEREAU.pdf -o SIGNE.pdf [--line N]
      | --day AAAA-MM-JJ --day-bordereau ID:EMPREINTE…)
      --trust CA.pem (--state DIR | --store URL) [--request-id ID] [--keep-input]
                                           utilise la signature une seule fois : 0 la première fois,
                                           1 avec ERR_RECORD_REPLAYED ensuite, depuis tout processus
                                           partageant DIR ou URL (sqlite:CHEMIN, postgres://…,
                                           redis://…) ; 1 avec ERR_RECORD_WRONG_CONTENT si elle a
                                           été signée pour un autre contenu ; --pdf l'appose sur le
                                           bordereau (identifiant et empreinte lus dans le PDF) ;
                                           FICHIER est supprimé une fois utilisé (--keep-input le
                                           garde) ; --handle - lit la poignée sur l'entrée standard
  record sweep (--state DIR | --store URL)
                                           supprime les signatures en attente expirées ou abandonnées
                                           avec --state DIR, record seal, consume et sweep tracent
                                           leurs actions (succès et refus) dans
                                           DIR/audit/trace.jsonl
  maintenance run [--once] (--state DIR [--cert PEM --key PEM] | --store URL)
      [--lease memory | postgres://… | redis://…]
                                           tâches périodiques sous un bail : les instances qui
                                           partagent --lease les exécutent une fois par période ;
                                           seal.sweep, seal.purge-tombstones, et selon l'état
                                           scor.tick (DIR/scor/lots.sqlite), audit.purge et
                                           audit.checkpoint (DIR/audit/trace.jsonl, avec --cert/--key),
                                           tracées dans DIR/audit/trace.jsonl ; --once fait un passage
                                           et s'arrête, sinon tourne jusqu'à SIGINT ou SIGTERM ; sans
                                           --lease, avec --state, le bail est DIR/maintenance/leases.json
                                           (les processus de la machine) ; un --store partagé demande un
                                           --lease sur un serveur (docs/maintenance.md)
  audit verify (FICHIER.jsonl | --state DIR) [--trust CA.pem] [--tsa-trust CA.pem] [--strict]
                                           vérifie la trace chaînée : 0 intègre, 1 endommagée (première
                                           séquence fautive et nature : modified, deleted, inserted,
                                           reordered, truncated, truncated-head, backdated) ; --trust
                                           vérifie les signatures des
                                           points de contrôle, --tsa-trust (--trust par défaut) leurs
                                           jetons d'horodatage ; affiche la source de temps de chacun ;
                                           un FICHIER.manifest.json vérifie un export
  audit export (FICHIER.jsonl | --state DIR) --from DATE --to DATE --format jsonl|csv|ocsf
      -o SORTIE --cert PEM --key PEM [--bom]
                                           exporte une période avec son manifeste signé
                                           (SORTIE.manifest.json et SORTIE.manifest.p7s)
  audit checkpoint (FICHIER.jsonl | --state DIR) --cert PEM --key PEM [--tsa URL]
                                           scelle un point de contrôle à la demande, horodaté
                                           (RFC 3161) par l'autorité --tsa

  scor check FICHIER.pdf [--min-dpi N] [--colour grey|colour] [--strict]
                                           contrôle une pièce justificative (SCOR) : PDF lisible, non
                                           chiffré, sans JavaScript ni fichier joint, pages A5 au moins,
                                           images numérisées à N dpi (200 par défaut, 150 au moins) ;
                                           0 acceptable, 1 avec problèmes
  scor pack LOT.json -o SORTIE.zip [--min-dpi N] [--cert PEM --key PEM]
                                           constitue le lot SCOR décrit par LOT.json (PJ dans son dossier) :
                                           contrôles, manifest.json (SHA-256 de chaque PJ), SHA256SUMS,
                                           écriture atomique ; --cert/--key scellent le manifeste ;
                                           1 si le lot est refusé (problèmes listés)

  pdf seal ENTRÉE.pdf -o SORTIE.pdf --cert PEM --key PEM [--chain PEM]
      [--tsa URL [--tsa-fallback b-b]] [--reason TEXTE] [--visible]
                                           scelle un bordereau terminé (PAdES B-B, B-T horodaté avec
                                           --tsa), en mise à jour incrémentale, écriture atomique
  pdf verify FICHIER.pdf --trust CA.pem [--tsa-trust CA.pem]
                                           vérifie ses signatures PAdES et ses révisions : 0 valide,
                                           1 invalide ou indéterminée (avec ses codes)
  pdf revisions FICHIER.pdf [--extract N -o SORTIE.pdf]
                                           liste ses révisions ; --extract écrit le document tel qu'il
                                           était à la révision N (détails : s3404 pdf --help)

  serve [--port N] [--host H] [--state DIR] [--store URL] [--pki DIR] [--count N]
                                           service de signature de référence sur les bordereaux
                                           d'exemple, jusqu'à Ctrl+C : page de la tablette sur /,
                                           document OpenAPI sur /openapi.json ; port 3404 par défaut
                                           (0 : un port libre), boucle locale seule sauf --host
                                           (alors derrière HTTPS) ; affiche l'adresse et N codes
                                           d'appairage à usage unique (--json : une ligne JSON) ;
                                           --state DIR : registre SQLite, PDF signés, terminaux,
                                           trace et PKI dans DIR ; --store postgres://… ou redis://… :
                                           registre d'usage unique partagé entre processus, qui
                                           partagent alors aussi --state DIR (PDF signés, écrits
                                           sous verrou ; une seule machine) ;
                                           --pki DIR : le cachet de s3404 pki init

  conformance [--vectors DIR] [--report RAPPORT.json] [--html RAPPORT.html] [--filter ID] [--json]
                                           passe les vecteurs de conformité (enveloppe 2.0) de DIR
                                           (par défaut test-vectors du dossier courant, sinon les
                                           vecteurs publiés avec @s3404/conformance) au SDK :
                                           un verdict par exigence de la SPEC (réussie, échouée,
                                           indéterminée, non couverte : moins de 3 vecteurs réussis),
                                           chaque vecteur avec l'empreinte de son entrée, son code et
                                           sa durée dans RAPPORT.json (écriture atomique) ; --html :
                                           le même rapport en page HTML pour l'examinateur, dans la
                                           langue de --lang, imprimable en PDF ; --filter :
                                           une exigence (FORM-2), un domaine (audit) ou un fichier ;
                                           0 chaque exigence réussie, 1 sinon
  conformance --artifacts DIR [--trust CA.pem] [--report RAPPORT.json] [--json]
                                           juge les sorties d'un éditeur sous DIR, reconnues à leur
                                           contenu : bordereaux PDF (FORM-4/6/7, révisions SIG-5,
                                           sceau PAdES SIG-3), enregistrements scellés (SIG-2/3), lots
                                           SCOR (SCOR-2), traces et leur témoin .checkpoint (AUD-1/2),
                                           exports (AUD-4) ; ancres : --trust, sinon DIR/pki/ca.pem ;
                                           chaque fichier avec son verdict et son SHA-256, les autres
                                           non jugés ; 0 chaque exigence réussie, 1 sinon
  conformance --adapter MODULE [--race N] [--crash-trials N] [--report RAPPORT.json]
              [--html PAGE.html] [--json]
                                           passe les suites de contrat aux implémentations d'un
                                           éditeur (MODULE : chemin ou paquet, defineAdapter de
                                           @s3404/conformance/contracts) : usage unique sur son
                                           ConsumptionStore, course de N enregistrements (100) × 32
                                           consommateurs sur plusieurs processus (un seul gagnant
                                           chacun), essais de plantage (SIGKILL, 3) ; même tableau,
                                           0 chaque exigence couverte réussie, 1 sinon

Options générales : --lang fr|en (langue de tous les messages, aide comprise ; la variable
d'environnement S3404_LANG=en fait de même), --json (sortie JSON), --help, --version.
Codes de sortie : 0 succès, 1 verdict négatif (invalide, refusé), 2 usage ou entrée illisible
(70 : erreur interne du SDK, à signaler).
SOURCE_DATE_EPOCH fixe l'horloge : même entrée, même horloge, mêmes octets.
`;

/** The command-line help in English (`--lang en`, `S3404_LANG=en`). */
const USAGE_EN = `s3404 — SDK for the paperless S3404 billing form (bordereau S3404)

Usage: s3404 <command> [options]

Commands:
  demo [--out DIR] [--count N]             the whole flow on example data: N bordereaux of one clinic
                                           (3 by default, at most 100,000), signed by each signer
                                           (sealed, used once, deleted), one accounting day validated by
                                           one signature, SCOR lots (500 invoices at most each) sent and
                                           acknowledged, everything traced; one demo at a time per DIR:
                                           DIR/bordereaux/*.pdf, DIR/scor/*, DIR/audit/*,
                                           DIR/pki/* (development) and DIR/summary.json
  validate FILE.json [--json]              checks a bordereau (codes and paths of the issues)
  render FILE.json -o OUT.pdf              renders the bordereau as a PDF
      [--fillable] [--page a3|a4]          fillable on-screen form; A3 (default) or A4 page
      [--template TEMPLATE.json]           the vendor's layout template
      [--overlay CERFA.pdf --field-map MAP.json]
                                           overlay onto the official PDF supplied

  pki init DIR [--algorithm ecdsa-p256|ecdsa-p384|rsa-2048|rsa-pss-2048|rsa-3072] [--force]
                                           development PKI: ca.pem, seal-cert.pem, seal-key.pem
                                           (PKCS#8), tsa-cert.pem… (never in production)
  record seal (--bordereau ID --content-hash HASH [--line N]
      | --day YYYY-MM-DD --finess FINESS --day-bordereau ID:HASH…)
      --role ROLE --signer TEXT --image SIGNATURE.png --cert PEM --key PEM -o OUT.p7m
                                           seals a captured signature (CMS SignedData, DER), bound
                                           to the exact content signed: HASH is the SHA-256 of the
                                           bordereau's content (64 hex digits, printed in the footer
                                           of every page of the PDF, shown by validate --json and
                                           render --json), required for a bordereau or a line;
                                           --day: repeat --day-bordereau ID:HASH for every bordereau
                                           of the day; ROLE: insured, director, practitioner, delegate;
      [--rpps N] [--practitioner-rpps N] [--mandate REF] [--proof-agreement REF] [--terminal ID]
                                           RPPS of the signer / of the line's practitioner, mandate,
                                           proof agreement
  record verify FILE.p7m --trust CA.pem [--bordereau ID] [--content-hash HASH] [--line N]
      [--day YYYY-MM-DD [--day-bordereau ID:HASH…]]
                                           verifies a sealed record and what is given of its binding:
                                           0 valid, 1 invalid (with its code, ERR_RECORD_WRONG_CONTENT
                                           for other content)
  record deposit FILE.p7m (--state DIR | --store URL) [--trust CA.pem] [--keep-input]
                                           stores the signature pending, encrypted under a fresh key,
                                           and prints its handle (it holds the key: the only copy);
                                           FILE is then removed; without --trust, record consume
                                           verifies the seal
  record consume (FILE.p7m | --handle HANDLE)
      (--bordereau ID --content-hash HASH [--line N] | --pdf BORDEREAU.pdf -o SIGNED.pdf [--line N]
      | --day YYYY-MM-DD --day-bordereau ID:HASH…)
      --trust CA.pem (--state DIR | --store URL) [--request-id ID] [--keep-input]
                                           uses the signature once: 0 the first time, 1 with
                                           ERR_RECORD_REPLAYED afterwards, from any process sharing
                                           DIR or URL (sqlite:PATH, postgres://…, redis://…); 1 with
                                           ERR_RECORD_WRONG_CONTENT when it was signed for other
                                           content; --pdf applies it to the bordereau (identifier and
                                           hash read from the PDF); FILE is removed once used
                                           (--keep-input keeps it); --handle - reads the handle from
                                           standard input
  record sweep (--state DIR | --store URL)
                                           deletes expired and abandoned pending signatures
                                           with --state DIR, record seal, consume and sweep trace
                                           their actions (successes and refusals) in
                                           DIR/audit/trace.jsonl
  maintenance run [--once] (--state DIR [--cert PEM --key PEM] | --store URL)
      [--lease memory | postgres://… | redis://…]
                                           periodic jobs under a lease: the instances sharing --lease
                                           run each once per period; seal.sweep,
                                           seal.purge-tombstones, and as the state allows scor.tick
                                           (DIR/scor/lots.sqlite), audit.purge and audit.checkpoint
                                           (DIR/audit/trace.jsonl, with --cert/--key), traced in
                                           DIR/audit/trace.jsonl; --once runs one pass and exits,
                                           otherwise it runs until SIGINT or SIGTERM; without
                                           --lease, with --state, the lease is
                                           DIR/maintenance/leases.json (the machine's processes); a
                                           shared --store needs a --lease on a server
                                           (docs/maintenance.md)
  audit verify (FILE.jsonl | --state DIR) [--trust CA.pem] [--tsa-trust CA.pem] [--strict]
                                           verifies the chained trace: 0 intact, 1 damaged (first
                                           faulty sequence and kind: modified, deleted, inserted,
                                           reordered, truncated, truncated-head, backdated); --trust
                                           verifies the checkpoint signatures, --tsa-trust (default
                                           --trust) their time-stamp tokens; prints the time source of
                                           each; a FILE.manifest.json verifies an export
  audit export (FILE.jsonl | --state DIR) --from DATE --to DATE --format jsonl|csv|ocsf
      -o OUT --cert PEM --key PEM [--bom]
                                           exports a period with its signed manifest
                                           (OUT.manifest.json and OUT.manifest.p7s)
  audit checkpoint (FILE.jsonl | --state DIR) --cert PEM --key PEM [--tsa URL]
                                           seals a checkpoint on demand, time-stamped (RFC 3161) by
                                           the --tsa authority

  scor check FILE.pdf [--min-dpi N] [--colour grey|colour] [--strict]
                                           checks a supporting document (SCOR): readable PDF, not
                                           encrypted, no JavaScript or attached file, pages at least
                                           A5, images scanned at N dpi (200 by default, 150 at least);
                                           0 acceptable, 1 with issues
  scor pack LOT.json -o OUT.zip [--min-dpi N] [--cert PEM --key PEM]
                                           packs the SCOR lot LOT.json describes (its PJ beside it):
                                           checks, manifest.json (SHA-256 of each PJ), SHA256SUMS,
                                           atomic write; --cert/--key seal the manifest;
                                           1 when the lot is refused (issues listed)

  pdf seal IN.pdf -o OUT.pdf --cert PEM --key PEM [--chain PEM]
      [--tsa URL [--tsa-fallback b-b]] [--reason TEXT] [--visible]
                                           seals a finished bordereau (PAdES B-B, B-T time-stamped
                                           with --tsa), as an incremental update, written atomically
  pdf verify FILE.pdf --trust CA.pem [--tsa-trust CA.pem]
                                           verifies its PAdES signatures and its revisions: 0 passed,
                                           1 failed or indeterminate (with its codes)
  pdf revisions FILE.pdf [--extract N -o OUT.pdf]
                                           lists its revisions; --extract writes the document as it
                                           was at revision N (details: s3404 pdf --help)

  serve [--port N] [--host H] [--state DIR] [--store URL] [--pki DIR] [--count N]
                                           reference signing service on the example bordereaux,
                                           until Ctrl+C: the tablet page at /, the OpenAPI document
                                           at /openapi.json; port 3404 by default (0: a free port),
                                           loopback only unless --host (then behind HTTPS); prints
                                           its address and N one-time pairing codes (--json: one
                                           JSON line); --state DIR: SQLite ledger, signed PDFs,
                                           terminals, trace and PKI in DIR; --store postgres://… or
                                           redis://…: single-use ledger shared between processes,
                                           which then also share --state DIR (signed PDFs, written
                                           under a lock; one machine);
                                           --pki DIR: the seal of s3404 pki init

  conformance [--vectors DIR] [--report REPORT.json] [--html REPORT.html] [--filter ID] [--json]
                                           runs the conformance vectors (envelope 2.0) of DIR
                                           (default: test-vectors of the current folder, else the
                                           vectors published with @s3404/conformance) against
                                           the SDK: a verdict per requirement of the SPEC (passed,
                                           failed, indeterminate, not covered: fewer than 3 passing
                                           vectors), each vector with the hash of its input, its code
                                           and its time in REPORT.json (atomic write); --html: the
                                           same report as an HTML page for an examiner, in the
                                           language of --lang, printable to PDF; --filter: a
                                           requirement (FORM-2), an area (audit) or a file;
                                           0 every requirement passed, 1 otherwise
  conformance --artifacts DIR [--trust CA.pem] [--report REPORT.json] [--json]
                                           judges a vendor's outputs under DIR, recognised by their
                                           content: bordereau PDFs (FORM-4/6/7, SIG-5 revisions, SIG-3
                                           PAdES seal), sealed records (SIG-2/3), SCOR lots (SCOR-2),
                                           traces and their .checkpoint witness (AUD-1/2), exports
                                           (AUD-4); anchors: --trust, else DIR/pki/ca.pem; each file
                                           with its verdict and SHA-256, the others not judged;
                                           0 every requirement passed, 1 otherwise
  conformance --adapter MODULE [--race N] [--crash-trials N] [--report REPORT.json]
              [--html PAGE.html] [--json]
                                           runs the contract suites against a vendor's own
                                           implementations (MODULE: a path or a package,
                                           defineAdapter of @s3404/conformance/contracts): single
                                           use on its ConsumptionStore, a race of N records (100) ×
                                           32 consumers over several processes (one winner each),
                                           crash trials (SIGKILL, 3); the same table, 0 every
                                           requirement covered passed, 1 otherwise

General options: --lang fr|en (language of every message, help included; the environment
variable S3404_LANG=en does the same), --json (JSON output), --help, --version.
Exit codes: 0 success, 1 negative verdict (invalid, refused), 2 usage or unreadable input
(70: internal error of the SDK, please report it).
SOURCE_DATE_EPOCH sets the clock: same input, same clock, same bytes.
`;

/** The command-line help in the run's language (CLI contract: `--lang` applies to help too). */
export function usageText(locale: Locale): string {
  return locale === 'en' ? USAGE_EN : USAGE_FR;
}

/** `s3404 pdf --help` in French: the PAdES seal of a finished bordereau, its verification, its revisions (SIG-3, SIG-5). */
const PDF_USAGE_FR = `Usage : s3404 pdf <seal|verify|revisions> [options]

  pdf seal ENTRÉE.pdf -o SORTIE.pdf --cert PEM --key PEM [--chain PEM]
      [--tsa URL [--tsa-fallback b-b]] [--reason TEXTE] [--visible]
      Scelle un bordereau terminé au nom de l'établissement : signature PAdES (ETSI EN 319 142-1)
      ajoutée en mise à jour incrémentale (chaque octet du PDF reçu reste tel quel), niveau B-B,
      ou B-T avec un jeton d'horodatage RFC 3161 de l'autorité --tsa. SORTIE n'est écrit qu'une
      fois le sceau complet (écriture atomique). --cert : le certificat du cachet (suivi de ses
      intermédiaires) ; --chain : d'autres intermédiaires ; --reason : le motif (/Reason) ;
      --visible : un bloc de sceau visible (établissement, heure, certificat) en bas de la dernière page.
      Si l'autorité d'horodatage échoue : ERR_TSA_UNAVAILABLE (sortie 2, réessayer plus tard),
      ERR_TSA_REJECTED ou ERR_TSA_RESPONSE_INVALID (sortie 1), et rien n'est écrit ; avec
      --tsa-fallback b-b, le PDF est scellé au niveau B-B et la sortie le dit.

  pdf verify FICHIER.pdf --trust CA.pem [--tsa-trust CA.pem]
      Vérifie chaque signature (plage d'octets, CMS, chaîne jusqu'à CA.pem, horodatage avec les
      ancres --tsa-trust, CA.pem par défaut) et classe chaque révision ajoutée après elle
      (signature, données de validation dss, autre modification). Une ligne par signature :
      champ, statut (passed, failed, indeterminate) et sous-indication ETSI, niveau, cachet,
      heure de signature, horodatage ; puis les révisions et les problèmes.
      0 valide, 1 invalide ou indéterminée (ERR_PDF_NO_SIGNATURE, ERR_PDF_MODIFIED_AFTER_SEAL…),
      2 fichier illisible ou qui n'est pas un PDF.

  pdf revisions FICHIER.pdf [--extract N -o SORTIE.pdf]
      Liste les révisions (numéro, octets, octets ajoutés, objets) et les octets après le
      dernier %%EOF ; --extract N écrit le document tel qu'il était à la révision N, octet pour
      octet (1 : tel que produit) ; ERR_PDF_REVISION_NOT_FOUND (sortie 2) si elle n'existe pas.

Options : --json (résultat en JSON), --lang fr|en.
`;

/** `s3404 pdf --help` in English. */
const PDF_USAGE_EN = `Usage: s3404 pdf <seal|verify|revisions> [options]

  pdf seal IN.pdf -o OUT.pdf --cert PEM --key PEM [--chain PEM]
      [--tsa URL [--tsa-fallback b-b]] [--reason TEXT] [--visible]
      Seals a finished bordereau on behalf of the establishment: a PAdES signature (ETSI EN
      319 142-1) appended as an incremental update (every byte of the PDF given stays as it is),
      level B-B, or B-T with an RFC 3161 time-stamp token from the --tsa authority. OUT is
      written only once the seal is complete (atomic write). --cert: the seal certificate
      (followed by its intermediates); --chain: more intermediates; --reason: the reason (/Reason);
      --visible: a visible seal block (establishment, time, certificate) at the bottom of the last page.
      When the time-stamping authority fails: ERR_TSA_UNAVAILABLE (exit 2, try again later),
      ERR_TSA_REJECTED or ERR_TSA_RESPONSE_INVALID (exit 1), and nothing is written; with
      --tsa-fallback b-b, the PDF is sealed at level B-B and the output says so.

  pdf verify FILE.pdf --trust CA.pem [--tsa-trust CA.pem]
      Verifies every signature (byte range, CMS, chain to CA.pem, time-stamp with the
      --tsa-trust anchors, CA.pem by default) and classifies every revision added after it
      (signature, validation data dss, other change). One line per signature: field, status
      (passed, failed, indeterminate) and ETSI sub-indication, level, seal, signing time,
      time-stamp; then the revisions and the issues.
      0 passed, 1 failed or indeterminate (ERR_PDF_NO_SIGNATURE, ERR_PDF_MODIFIED_AFTER_SEAL…),
      2 unreadable file or not a PDF.

  pdf revisions FILE.pdf [--extract N -o OUT.pdf]
      Lists the revisions (number, bytes, bytes added, objects) and the bytes after the last
      %%EOF; --extract N writes the document as it was at revision N, byte for byte (1: as
      produced); ERR_PDF_REVISION_NOT_FOUND (exit 2) when there is no such revision.

Options: --json (result as JSON), --lang fr|en.
`;

/** The help of `s3404 pdf` in the run's language. */
export function pdfUsageText(locale: Locale): string {
  return locale === 'en' ? PDF_USAGE_EN : PDF_USAGE_FR;
}
