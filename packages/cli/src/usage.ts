/** The command-line help (French first, as every message of the SDK). */
export const USAGE = `s3404 — SDK de dématérialisation du bordereau S3404

Usage : s3404 <commande> [options]

Commandes disponibles :
  demo [--out DIR] [--count N]             valide et rend les bordereaux d'exemple
                                           dans DIR/bordereaux/*.pdf et DIR/summary.json
  validate FICHIER.json [--json]           contrôle un bordereau (codes et chemins des problèmes)
  render FICHIER.json -o SORTIE.pdf        produit le PDF du bordereau
      [--fillable] [--page a3|a4]          formulaire à remplir à l'écran ; format A3 (défaut) ou A4
      [--template GABARIT.json]            gabarit de mise en page de l'éditeur
      [--overlay CERFA.pdf --field-map CORRESPONDANCE.json]
                                           superposition sur le PDF officiel fourni

Commandes annoncées (pas encore disponibles) : pki, record, pdf, scor, audit, conformance.

Options générales : --lang fr|en (langue des messages), --json (sortie JSON), --help.
Codes de sortie : 0 succès, 1 verdict négatif (invalide, refusé), 2 usage ou entrée illisible
(70 : erreur interne du SDK, à signaler).
SOURCE_DATE_EPOCH fixe l'horloge : même entrée, même horloge, mêmes octets.
`;
