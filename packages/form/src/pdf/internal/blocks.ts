import type { Bordereau } from '../../model/bordereau.js';
import { fixed, leaf, type Cell } from './cells.js';

/** One labelled row of a header block; its cells are printed side by side. */
export interface BlockRow {
  readonly label: string;
  readonly cells: readonly Cell[];
}

/** A header block of the form (Établissement, Assuré(e)…). */
export interface Block {
  readonly title: string;
  readonly rows: readonly BlockRow[];
}

const row = (label: string, ...cells: Cell[]): BlockRow => ({ label, cells });

function addressRows(prefix: string, a: Bordereau['establishment']['address'] | undefined): BlockRow[] {
  return [
    row('Adresse', leaf(`${prefix}.line1`, a?.line1)),
    row('Complément', leaf(`${prefix}.line2`, a?.line2)),
    row('CP / commune', leaf(`${prefix}.postalCode`, a?.postalCode), leaf(`${prefix}.city`, a?.city)),
  ];
}

/**
 * The header blocks of the bordereau in form order (FORM-1, FORM-4). Every
 * optional leaf has its row even when empty, so the fillable form offers it.
 */
export function headerBlocks(b: Bordereau): Block[] {
  const e = b.establishment;
  const ins = b.insured;
  const ben = b.beneficiary;
  const cov = b.coverage;
  const stay = b.stay;
  const transfers = (stay.transfers ?? []).map((t, i) =>
    row(
      `Transfert ${i + 1}`,
      leaf(`stay.transfers.${i}.date`, t.date),
      leaf(`stay.transfers.${i}.direction`, t.direction),
      leaf(`stay.transfers.${i}.finess`, t.finess),
      leaf(`stay.transfers.${i}.reason`, t.reason),
    ),
  );
  return [
    {
      title: 'Établissement',
      rows: [
        row('Raison sociale', leaf('establishment.name', e.name)),
        row('FINESS ét. / EJ', leaf('establishment.finess', e.finess), leaf('establishment.legalFiness', e.legalFiness)),
        ...addressRows('establishment.address', e.address),
        row('Activité / MFT', leaf('establishment.activity', e.activity), leaf('establishment.tariffMode', e.tariffMode)),
      ],
    },
    {
      title: 'Assuré(e)',
      rows: [
        row('Nom', leaf('insured.lastName', ins.lastName)),
        row('Nom de naissance', leaf('insured.birthName', ins.birthName)),
        row('Prénom', leaf('insured.firstName', ins.firstName)),
        row('N° de sécurité sociale', leaf('insured.nir', ins.nir), leaf('insured.nirKey', ins.nirKey)),
        row('Né(e) le', leaf('insured.birthDate', ins.birthDate)),
        ...addressRows('insured.address', ins.address),
      ],
    },
    {
      title: 'Bénéficiaire des soins',
      rows:
        ben === undefined
          ? [row('', fixed('Le patient est l’assuré(e).'))]
          : [
              row('Nom', leaf('beneficiary.lastName', ben.lastName)),
              row('Prénom', leaf('beneficiary.firstName', ben.firstName)),
              row('Né(e) le / rang', leaf('beneficiary.birthDate', ben.birthDate), leaf('beneficiary.birthRank', ben.birthRank)),
              row('NIR propre / clé', leaf('beneficiary.nir', ben.nir), leaf('beneficiary.nirKey', ben.nirKey)),
            ],
    },
    {
      title: 'Couverture',
      rows: [
        row('Régime / caisse / centre', leaf('coverage.regime', cov.regime), leaf('coverage.fund', cov.fund), leaf('coverage.centre', cov.centre)),
        row('Nature d’assurance', leaf('coverage.insuranceNature', cov.insuranceNature)),
        row('Exonération TM', leaf('coverage.exemption', cov.exemption)),
        row('AT/MP : date / n°', leaf('coverage.accident.date', cov.accident?.date), leaf('coverage.accident.number', cov.accident?.number)),
        row('Maternité : date', leaf('coverage.maternityDate', cov.maternityDate)),
        row('AMC : n° / nom', leaf('coverage.complementary.number', cov.complementary?.number), leaf('coverage.complementary.name', cov.complementary?.name)),
        row('AMC : contrat', leaf('coverage.complementary.contract', cov.complementary?.contract)),
      ],
    },
    {
      title: 'Séjour',
      rows: [
        row('N° d’entrée', leaf('stay.entryNumber', stay.entryNumber)),
        row('Entrée', leaf('stay.entry.date', stay.entry.date), leaf('stay.entry.time', stay.entry.time)),
        row('Sortie', leaf('stay.exit.date', stay.exit?.date), leaf('stay.exit.time', stay.exit?.time)),
        row('Mode de traitement', leaf('stay.treatmentMode', stay.treatmentMode)),
        row('Discipline (DMT)', leaf('stay.discipline', stay.discipline)),
        ...transfers,
      ],
    },
  ];
}
