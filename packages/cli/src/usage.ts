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
  record seal --bordereau ID --role ROLE --signer TEXTE --image SIGNATURE.png
      [--line N | --day AAAA-MM-JJ --finess FINESS] --cert PEM --key PEM -o SORTIE.p7m
                                           scelle une signature capturée (CMS SignedData, DER) ;
                                           ROLE : assure, directeur, praticien, delegataire ;
      [--rpps N] [--practitioner-rpps N] [--mandate REF] [--proof-agreement REF] [--terminal ID]
                                           RPPS du signataire / du praticien de la ligne, mandat,
                                           convention de preuve ; --day : répéter --bordereau
                                           pour chaque bordereau de la journée
  record verify FICHIER.p7m --trust CA.pem [--bordereau ID] [--line N] [--day AAAA-MM-JJ]
                                           vérifie un enregistrement scellé : 0 valide, 1 invalide
                                           (avec son code)
  record deposit FICHIER.p7m (--state DIR | --store URL) [--trust CA.pem] [--keep-input]
                                           met la signature en attente, chiffrée sous une clé neuve,
                                           et affiche sa poignée (qui contient la clé : la seule
                                           copie) ; FICHIER est ensuite supprimé ; sans --trust, le
                                           cachet est vérifié par record consume
  record consume (FICHIER.p7m | --handle POIGNÉE) --bordereau ID [--line N | --day AAAA-MM-JJ]
      --trust CA.pem (--state DIR | --store URL) [--pdf BORDEREAU.pdf -o SIGNE.pdf]
      [--request-id ID] [--keep-input]
                                           utilise la signature une seule fois : 0 la première fois,
                                           1 avec ERR_RECORD_REPLAYED ensuite, depuis tout processus
                                           partageant DIR ou URL (sqlite:CHEMIN, postgres://…,
                                           redis://…) ; --pdf l'appose sur le bordereau ; FICHIER
                                           est supprimé une fois utilisé (--keep-input le garde) ;
                                           --handle - lit la poignée sur l'entrée standard
  record sweep (--state DIR | --store URL)
                                           supprime les signatures en attente expirées ou abandonnées
                                           avec --state DIR, record seal, consume et sweep tracent
                                           leurs actions (succès et refus) dans
                                           DIR/audit/trace.jsonl
  audit verify (FICHIER.jsonl | --state DIR) [--trust CA.pem] [--strict]
                                           vérifie la trace chaînée : 0 intègre, 1 endommagée (première
                                           séquence fautive et nature : modified, deleted, inserted,
                                           reordered, truncated, truncated-head, backdated) ; --trust
                                           vérifie les signatures des
                                           points de contrôle ; un FICHIER.manifest.json vérifie un export
  audit export (FICHIER.jsonl | --state DIR) --from DATE --to DATE --format jsonl|csv|ocsf
      -o SORTIE --cert PEM --key PEM [--bom]
                                           exporte une période avec son manifeste signé
                                           (SORTIE.manifest.json et SORTIE.manifest.p7s)
  audit checkpoint (FICHIER.jsonl | --state DIR) --cert PEM --key PEM
                                           scelle un point de contrôle à la demande

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

Commandes annoncées (pas encore disponibles) : pdf, conformance.

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
  record seal --bordereau ID --role ROLE --signer TEXT --image SIGNATURE.png
      [--line N | --day YYYY-MM-DD --finess FINESS] --cert PEM --key PEM -o OUT.p7m
                                           seals a captured signature (CMS SignedData, DER);
                                           ROLE: insured, director, practitioner, delegate;
      [--rpps N] [--practitioner-rpps N] [--mandate REF] [--proof-agreement REF] [--terminal ID]
                                           RPPS of the signer / of the line's practitioner, mandate,
                                           proof agreement; --day: repeat --bordereau for every
                                           bordereau of the day
  record verify FILE.p7m --trust CA.pem [--bordereau ID] [--line N] [--day YYYY-MM-DD]
                                           verifies a sealed record: 0 valid, 1 invalid (with its code)
  record deposit FILE.p7m (--state DIR | --store URL) [--trust CA.pem] [--keep-input]
                                           stores the signature pending, encrypted under a fresh key,
                                           and prints its handle (it holds the key: the only copy);
                                           FILE is then removed; without --trust, record consume
                                           verifies the seal
  record consume (FILE.p7m | --handle HANDLE) --bordereau ID [--line N | --day YYYY-MM-DD]
      --trust CA.pem (--state DIR | --store URL) [--pdf BORDEREAU.pdf -o SIGNED.pdf]
      [--request-id ID] [--keep-input]
                                           uses the signature once: 0 the first time, 1 with
                                           ERR_RECORD_REPLAYED afterwards, from any process sharing
                                           DIR or URL (sqlite:PATH, postgres://…, redis://…);
                                           --pdf applies it to the bordereau; FILE is removed once
                                           used (--keep-input keeps it); --handle - reads the handle
                                           from standard input
  record sweep (--state DIR | --store URL)
                                           deletes expired and abandoned pending signatures
                                           with --state DIR, record seal, consume and sweep trace
                                           their actions (successes and refusals) in
                                           DIR/audit/trace.jsonl
  audit verify (FILE.jsonl | --state DIR) [--trust CA.pem] [--strict]
                                           verifies the chained trace: 0 intact, 1 damaged (first
                                           faulty sequence and kind: modified, deleted, inserted,
                                           reordered, truncated, truncated-head, backdated); --trust
                                           verifies the checkpoint signatures; a FILE.manifest.json
                                           verifies an export
  audit export (FILE.jsonl | --state DIR) --from DATE --to DATE --format jsonl|csv|ocsf
      -o OUT --cert PEM --key PEM [--bom]
                                           exports a period with its signed manifest
                                           (OUT.manifest.json and OUT.manifest.p7s)
  audit checkpoint (FILE.jsonl | --state DIR) --cert PEM --key PEM
                                           seals a checkpoint on demand

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

Commands of the contract not available yet: pdf, conformance.

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
