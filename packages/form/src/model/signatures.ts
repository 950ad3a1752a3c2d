import { z } from 'zod';
import { IsoDate, text } from './primitives.js';

/**
 * Signature slots of the whole bordereau (FORM-1, FORM-6): the insured person
 * (or beneficiary, or legal representative), the director (or delegate), and
 * optionally the accounting day the director validates in one signature
 * (SIG-10). Practitioner lines carry their own slot in `fees[].signature`.
 *
 * @public
 */
export const SignaturesSchema = z
  .strictObject({
    insured: z.strictObject({
      signer: z
        .enum(['insured', 'beneficiary', 'representative'], { error: 'ERR_VALUE_NOT_ALLOWED' })
        .describe('Qui signe pour le patient : l’assuré, le bénéficiaire ou son représentant légal.'),
    }),
    director: z.strictObject({
      name: text(80, 'Nom du directeur ou de son délégataire.').optional(),
      delegate: z.boolean({ error: 'ERR_TYPE' }).describe('Signé par le délégataire du directeur.'),
    }),
    accountingDay: IsoDate.optional().describe('Journée comptable validée par le directeur (une signature pour la journée).'),
  })
  .describe('Emplacements de signature du bordereau.');

/** A signatures block of the bordereau, derived from its schema (FORM-1). @public */
export type Signatures = z.infer<typeof SignaturesSchema>;
