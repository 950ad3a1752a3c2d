import { z } from 'zod';

/** Column keys a table may show, per table, for custom templates (FORM-4). @public */
export const TABLE_COLUMNS = {
  services: ['no', 'code', 'ghs', 'label', 'from', 'to', 'coefficient', 'quantity', 'unitPrice', 'amount', 'base', 'rate'],
  fees: [
    'no',
    'date',
    'outsideStay',
    'practitioner',
    'rpps',
    'specialty',
    'nomenclature',
    'act',
    'activity',
    'phase',
    'modifiers',
    'association',
    'coefficient',
    'quantity',
    'amount',
    'overrun',
    'base',
    'rate',
    'signature',
  ],
  lpp: ['no', 'date', 'code', 'label', 'quantity', 'unitPrice', 'amount', 'base', 'rate'],
  drugs: ['no', 'date', 'ucd', 'label', 'indication', 'quantity', 'unitPrice', 'amount', 'base', 'rate'],
} as const;

const column = z.strictObject({
  key: z.string().min(1).max(40),
  /** Relative width: the table's width is shared in proportion. */
  weight: z.number().positive().max(100),
});

const fontSize = z.number().min(4).max(24);

/**
 * The layout template schema (FORM-4): page size, margins, font sizes and
 * table columns of the SDK's own vector layout. Versioned; it names the
 * official form and edition it follows (none is hard-coded).
 *
 * @public
 */
export const LayoutTemplateSchema = z.strictObject({
  kind: z.literal('s3404-layout'),
  version: z.string().regex(/^\d+\.\d+$/),
  name: z.string().min(1).max(60),
  follows: z.strictObject({
    form: z.literal('S3404'),
    /** CERFA number, when known and verified by the vendor; the SDK ships `null`. */
    cerfa: z.string().max(40).nullable(),
    edition: z.string().max(40).nullable(),
    note: z.string().max(400),
  }),
  page: z.strictObject({
    width: z.number().min(200).max(3000),
    height: z.number().min(200).max(3000),
    margin: z.number().min(5).max(100),
  }),
  fonts: z.strictObject({
    title: fontSize,
    subtitle: fontSize,
    blockTitle: fontSize,
    label: fontSize,
    value: fontSize,
    table: fontSize,
    tableHeader: fontSize,
    footer: fontSize,
  }),
  /** Header blocks (établissement, assuré…) per row. */
  blocksPerRow: z.int().min(1).max(6),
  /** Minimum height of a fee row, room for the practitioner's signature. */
  signatureRowHeight: z.number().min(10).max(120),
  /** Height of the closing zone (totals and signature boxes) on the last page. */
  closingHeight: z.number().min(80).max(600),
  tables: z.strictObject({
    services: z.array(column).min(1).max(30),
    fees: z.array(column).min(1).max(30),
    lpp: z.array(column).min(1).max(30),
    drugs: z.array(column).min(1).max(30),
  }),
});

/**
 * A layout template (FORM-4). Start from {@link A3_LANDSCAPE_TEMPLATE} or
 * {@link A4_PORTRAIT_TEMPLATE} and change what you need.
 *
 * @public
 */
export type LayoutTemplate = z.infer<typeof LayoutTemplateSchema>;

const FOLLOWS = {
  form: 'S3404',
  cerfa: null,
  edition: null,
  note:
    'Contenu du bordereau de facturation S3404 (art. R.161-40 CSS) ; mise en page propre au SDK. ' +
    'Le numéro et l’édition du CERFA ne sont pas publics ici : utilisez le mode superposition avec le PDF officiel.',
} as const;

const w = (key: string, weight: number) => ({ key, weight });

/**
 * A3 landscape, like the paper form (default) (FORM-4).
 *
 * @public
 */
export const A3_LANDSCAPE_TEMPLATE: LayoutTemplate = {
  kind: 's3404-layout',
  version: '1.0',
  name: 'A3 paysage',
  follows: FOLLOWS,
  page: { width: 1190.55, height: 841.89, margin: 28 },
  fonts: { title: 15, subtitle: 7.5, blockTitle: 7.5, label: 6.5, value: 8, table: 7.5, tableHeader: 6.5, footer: 6.5 },
  blocksPerRow: 5,
  signatureRowHeight: 26,
  closingHeight: 150,
  tables: {
    services: [
      w('no', 2.5),
      w('code', 4),
      w('ghs', 4),
      w('label', 30),
      w('from', 6.5),
      w('to', 6.5),
      w('coefficient', 5),
      w('quantity', 4),
      w('unitPrice', 8),
      w('amount', 8),
      w('base', 8),
      w('rate', 4.5),
    ],
    fees: [
      w('no', 2.5),
      w('date', 6.5),
      w('outsideStay', 3.5),
      w('practitioner', 15),
      w('rpps', 8),
      w('specialty', 3),
      w('nomenclature', 4.5),
      w('act', 6),
      w('activity', 3),
      w('phase', 3),
      w('modifiers', 5),
      w('association', 3.5),
      w('coefficient', 4.5),
      w('quantity', 3),
      w('amount', 7.5),
      w('overrun', 7),
      w('base', 7.5),
      w('rate', 4),
      w('signature', 17),
    ],
    lpp: [w('no', 2.5), w('date', 6.5), w('code', 6.5), w('label', 40), w('quantity', 4), w('unitPrice', 8), w('amount', 8), w('base', 8), w('rate', 4.5)],
    drugs: [
      w('no', 2.5),
      w('date', 6.5),
      w('ucd', 9),
      w('label', 32),
      w('indication', 7),
      w('quantity', 4),
      w('unitPrice', 8),
      w('amount', 8),
      w('base', 8),
      w('rate', 4.5),
    ],
  },
};

/**
 * A4 portrait option (FORM-4): same content, narrower columns, more pages.
 *
 * @public
 */
export const A4_PORTRAIT_TEMPLATE: LayoutTemplate = {
  ...A3_LANDSCAPE_TEMPLATE,
  name: 'A4 portrait',
  page: { width: 595.28, height: 841.89, margin: 22 },
  fonts: { title: 11.5, subtitle: 6, blockTitle: 6.5, label: 5.5, value: 6.8, table: 5.6, tableHeader: 5, footer: 5.2 },
  blocksPerRow: 2,
  signatureRowHeight: 24,
  closingHeight: 190,
  tables: {
    ...A3_LANDSCAPE_TEMPLATE.tables,
    fees: [
      w('no', 2.5),
      w('date', 8),
      w('outsideStay', 3.5),
      w('practitioner', 11),
      w('rpps', 9.5),
      w('specialty', 3),
      w('nomenclature', 4.5),
      w('act', 7),
      w('activity', 2.5),
      w('phase', 2.5),
      w('modifiers', 4),
      w('association', 3),
      w('coefficient', 4),
      w('quantity', 2.5),
      w('amount', 8.5),
      w('overrun', 8),
      w('base', 8.5),
      w('rate', 5),
      w('signature', 14),
    ],
  },
};
