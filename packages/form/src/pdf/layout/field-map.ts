import { z } from 'zod';

const coord = z.number().min(-10).max(5000);
const align = z.enum(['left', 'right', 'center']);

/** A value placed by the field map: into an AcroForm field, or at coordinates. */
const placement = z.union([
  z.strictObject({
    path: z.string().min(1).max(120),
    acroField: z.string().min(1).max(200),
  }),
  z.strictObject({
    path: z.string().min(1).max(120),
    page: z.int().min(0).max(50),
    x: coord,
    y: coord,
    width: z.number().positive().max(5000),
    size: z.number().min(3).max(30).optional(),
    align: align.optional(),
  }),
]);

const tableMap = z.strictObject({
  page: z.int().min(0).max(50),
  /** Baseline of the first row's text, PDF points from the bottom. */
  firstBaseline: coord,
  rowHeight: z.number().positive().max(500),
  rows: z.int().min(1).max(200),
  size: z.number().min(3).max(30).optional(),
  columns: z
    .array(z.strictObject({ column: z.string().min(1).max(40), x: coord, width: z.number().positive().max(5000), align: align.optional() }))
    .min(1)
    .max(40),
  /** Where each row's practitioner signature goes (fees only). */
  signature: z.strictObject({ x: coord, width: z.number().positive().max(5000) }).optional(),
});

const slotMap = z.strictObject({
  slot: z.enum(['insured', 'director']),
  page: z.int().min(0).max(50),
  x: coord,
  y: coord,
  width: z.number().positive().max(5000),
  height: z.number().positive().max(5000),
});

/**
 * Field map of the overlay mode (FORM-4 b): how the bordereau's values land
 * on a PDF supplied by the vendor — typically the official CERFA S3404 —
 * through AcroForm field names or coordinates, plus table rows, signature
 * slots and where the identifier / content hash / page number line goes.
 * The form it follows is named, never hard-coded.
 *
 * @public
 */
export const FieldMapSchema = z.strictObject({
  kind: z.literal('s3404-field-map'),
  version: z.string().regex(/^\d+\.\d+$/),
  form: z.strictObject({ name: z.string().min(1).max(120), cerfa: z.string().max(40).nullable(), edition: z.string().max(40).nullable() }),
  /** Default text size for coordinate placements. */
  size: z.number().min(3).max(30).optional(),
  fields: z.array(placement).max(2000),
  tables: z.strictObject({ services: tableMap.optional(), fees: tableMap.optional(), lpp: tableMap.optional(), drugs: tableMap.optional() }).optional(),
  slots: z.array(slotMap).max(10).optional(),
  /** The line with the identifier, content hash and "page n / N", printed on every page. */
  footer: z.strictObject({ x: coord, y: coord, width: z.number().positive().max(5000), size: z.number().min(3).max(20).optional() }).optional(),
});

/**
 * A field map (FORM-4 b). See `docs/overlay.md` for a worked example.
 *
 * @public
 */
export type FieldMap = z.infer<typeof FieldMapSchema>;
