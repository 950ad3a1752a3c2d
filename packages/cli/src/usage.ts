/** The command-line help (French first, as every message of the SDK). */
export const USAGE = `s3404 — SDK de dématérialisation du bordereau S3404

Usage : s3404 <commande> [options]

Commandes disponibles :
  demo [--out DIR] [--count N]             le parcours complet sur des données d'exemple : N bordereaux
                                           (3 par défaut) d'une clinique, signés par chaque signataire
                                           (scellés, consommés une fois, supprimés), une journée comptable
                                           validée d'une signature, un lot SCOR envoyé et acquitté, tout
                                           tracé : DIR/bordereaux/*.pdf, DIR/scor/*, DIR/audit/*,
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
  record consume FICHIER.p7m --bordereau ID [--line N | --day AAAA-MM-JJ] --trust CA.pem
      (--state DIR | --store URL) [--pdf BORDEREAU.pdf -o SIGNE.pdf] [--request-id ID]
                                           utilise la signature une seule fois : 0 la première fois,
                                           1 avec ERR_RECORD_REPLAYED ensuite, depuis tout processus
                                           partageant DIR ou URL (sqlite:CHEMIN, postgres://…,
                                           redis://…) ; --pdf l'appose sur le bordereau
                                           avec --state DIR, record seal et record consume tracent
                                           leurs actions (succès et refus) dans DIR/audit/trace.jsonl
  audit verify (FICHIER.jsonl | --state DIR) [--trust CA.pem] [--strict]
                                           vérifie la trace chaînée : 0 intègre, 1 endommagée (première
                                           séquence fautive et nature : modified, deleted, inserted,
                                           reordered, truncated) ; --trust vérifie les signatures des
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

Options générales : --lang fr|en (langue des messages), --json (sortie JSON), --help.
Codes de sortie : 0 succès, 1 verdict négatif (invalide, refusé), 2 usage ou entrée illisible
(70 : erreur interne du SDK, à signaler).
SOURCE_DATE_EPOCH fixe l'horloge : même entrée, même horloge, mêmes octets.
`;
