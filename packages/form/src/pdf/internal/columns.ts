import type { Bordereau } from '../../model/bordereau.js';
import { leaf, fixed, type Cell } from './cells.js';

export type TableKey = 'services' | 'fees' | 'lpp' | 'drugs';

/** What a table column shows. */
export interface ColumnDef {
  readonly header: string;
  readonly align: 'left' | 'right' | 'center';
  /** Wraps on several lines instead of shortening. */
  readonly wrap?: boolean;
  /** The cell of line `i`, or `null` when the column does not apply. */
  readonly cell: (line: never, prefix: string, i: number) => Cell | null;
}

type Line<T extends TableKey> = Bordereau[T][number];

function col<T extends TableKey>(
  header: string,
  align: ColumnDef['align'],
  cell: (line: Line<T>, prefix: string, i: number) => Cell | null,
  wrap = false,
): ColumnDef {
  return { header, align, wrap, cell: cell as ColumnDef['cell'] };
}

const no = col('N°', 'center', (_l, _p, i) => fixed(String(i + 1)));
const money = <T extends TableKey>(header: string, key: 'amount' | 'base' | 'unitPrice' | 'overrun') =>
  col<T>(header, 'right', (l, p) => leaf(`${p}.${key}`, (l as Record<string, unknown>)[key]));
const field = <T extends TableKey>(header: string, key: string, align: ColumnDef['align'] = 'left', wrap = false) =>
  col<T>(header, align, (l, p) => leaf(`${p}.${key}`, (l as Record<string, unknown>)[key]), wrap);

/** The column catalogue of each table (FORM-4); templates pick and size them. */
export const COLUMNS: Record<TableKey, Record<string, ColumnDef>> = {
  services: {
    no,
    code: field<'services'>('Code', 'code'),
    ghs: field<'services'>('N° GHS', 'ghs'),
    label: field<'services'>('Libellé', 'label', 'left', true),
    from: field<'services'>('Du', 'from', 'center'),
    to: field<'services'>('Au', 'to', 'center'),
    coefficient: field<'services'>('Coef.', 'coefficient', 'right'),
    quantity: field<'services'>('Qté', 'quantity', 'right'),
    unitPrice: money<'services'>('Prix unit. (€)', 'unitPrice'),
    amount: money<'services'>('Montant (€)', 'amount'),
    base: money<'services'>('Base remb. (€)', 'base'),
    rate: field<'services'>('Taux', 'rate', 'right'),
  },
  fees: {
    no,
    date: field<'fees'>('Date', 'date', 'center'),
    outsideStay: field<'fees'>('H.S.', 'outsideStay', 'center'),
    practitioner: col<'fees'>('Praticien', 'left', (l, p) => leaf(`${p}.practitioner.name`, l.practitioner.name), true),
    rpps: col<'fees'>('N° RPPS', 'left', (l, p) => leaf(`${p}.practitioner.rpps`, l.practitioner.rpps)),
    specialty: col<'fees'>('Spé.', 'center', (l, p) => leaf(`${p}.practitioner.specialty`, l.practitioner.specialty)),
    nomenclature: col<'fees'>('Nomencl.', 'center', (l, p) => leaf(`${p}.act.nomenclature`, l.act.nomenclature)),
    act: col<'fees'>('Acte / lettre clé', 'left', (l, p) =>
      l.act.nomenclature === 'CCAM' ? leaf(`${p}.act.code`, l.act.code) : leaf(`${p}.act.letterKey`, l.act.letterKey),
    ),
    activity: col<'fees'>('Act.', 'center', (l, p) => (l.act.nomenclature === 'CCAM' ? leaf(`${p}.act.activity`, l.act.activity) : null)),
    phase: col<'fees'>('Ph.', 'center', (l, p) => (l.act.nomenclature === 'CCAM' ? leaf(`${p}.act.phase`, l.act.phase) : null)),
    modifiers: col<'fees'>('Modif.', 'center', (l, p) => (l.act.nomenclature === 'CCAM' ? leaf(`${p}.act.modifiers`, l.act.modifiers) : null)),
    association: col<'fees'>('Asso.', 'center', (l, p) => (l.act.nomenclature === 'CCAM' ? leaf(`${p}.act.association`, l.act.association) : null)),
    coefficient: col<'fees'>('Coef.', 'right', (l, p) => (l.act.nomenclature === 'NGAP' ? leaf(`${p}.act.coefficient`, l.act.coefficient) : null)),
    quantity: field<'fees'>('Qté', 'quantity', 'right'),
    amount: money<'fees'>('Montant (€)', 'amount'),
    overrun: money<'fees'>('Dont dépass. (€)', 'overrun'),
    base: money<'fees'>('Base remb. (€)', 'base'),
    rate: field<'fees'>('Taux', 'rate', 'right'),
    signature: col<'fees'>('Signature du praticien', 'center', () => null),
  },
  lpp: {
    no,
    date: field<'lpp'>('Date', 'date', 'center'),
    code: field<'lpp'>('Code LPP', 'code'),
    label: field<'lpp'>('Libellé', 'label', 'left', true),
    quantity: field<'lpp'>('Qté', 'quantity', 'right'),
    unitPrice: money<'lpp'>('Prix unit. (€)', 'unitPrice'),
    amount: money<'lpp'>('Montant (€)', 'amount'),
    base: money<'lpp'>('Base remb. (€)', 'base'),
    rate: field<'lpp'>('Taux', 'rate', 'right'),
  },
  drugs: {
    no,
    date: field<'drugs'>('Date', 'date', 'center'),
    ucd: field<'drugs'>('Code UCD', 'ucd'),
    label: field<'drugs'>('Libellé', 'label', 'left', true),
    indication: field<'drugs'>('Indication', 'indication', 'center'),
    quantity: field<'drugs'>('Qté', 'quantity', 'right'),
    unitPrice: money<'drugs'>('Prix unit. (€)', 'unitPrice'),
    amount: money<'drugs'>('Montant (€)', 'amount'),
    base: money<'drugs'>('Base remb. (€)', 'base'),
    rate: field<'drugs'>('Taux', 'rate', 'right'),
  },
};

/** Table titles, numbered like the form's zones. */
export const TABLE_TITLES: Record<TableKey, string> = {
  services: 'Prestations hospitalières (GHS, suppléments, forfaits)',
  fees: 'Honoraires des praticiens (CCAM / NGAP)',
  lpp: 'Dispositifs médicaux facturés en sus (LPP)',
  drugs: 'Médicaments facturés en sus (UCD)',
};

export const TABLE_ORDER: readonly TableKey[] = ['services', 'fees', 'lpp', 'drugs'];
