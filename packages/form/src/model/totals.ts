import { z } from 'zod';
import { Cents } from './primitives.js';

/**
 * Totaux et répartition — per-table totals, grand total and its split between
 * part AMO (assurance maladie obligatoire), part AMC (complémentaire) and part
 * assuré. Every value in cents; they must add up (FORM-1, FORM-2).
 *
 * @public
 */
export const TotalsSchema = z
  .strictObject({
    services: Cents.describe('Total des prestations hospitalières.'),
    fees: Cents.describe('Total des honoraires.'),
    lpp: Cents.describe('Total des dispositifs LPP.'),
    drugs: Cents.describe('Total des médicaments en sus.'),
    total: Cents.describe('Total général facturé.'),
    amo: Cents.describe('Part AMO (régime obligatoire).'),
    amc: Cents.describe('Part AMC (organisme complémentaire).'),
    patient: Cents.describe('Part restant à la charge de l’assuré.'),
  })
  .describe('Totaux et répartition AMO / AMC / assuré, en centimes.');

/** A totals block of the bordereau, derived from its schema (FORM-1). @public */
export type Totals = z.infer<typeof TotalsSchema>;
