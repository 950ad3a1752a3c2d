import { z } from 'zod';
import { Address, Finess, code, text } from './primitives.js';

/**
 * Établissement — the private clinic that bills the stay (FORM-1, CERFA
 * block "Établissement").
 *
 * @public
 */
export const EstablishmentSchema = z
  .strictObject({
    finess: Finess.describe('FINESS de l’établissement (géographique) qui facture.'),
    legalFiness: Finess.optional().describe('FINESS de l’entité juridique, s’il diffère.'),
    name: text(120, 'Raison sociale.'),
    address: Address,
    activity: z.enum(['MCO', 'SSR', 'PSY', 'HAD'], { error: 'ERR_VALUE_NOT_ALLOWED' }).describe('Champ d’activité : MCO, SSR, PSY ou HAD.'),
    tariffMode: code(/^\d{2}$/, 'Mode de fixation des tarifs (MFT), 2 chiffres ; 07 pour les cliniques privées.', '07').optional(),
  })
  .describe('Établissement (clinique) qui facture le séjour.');

/** A establishment block of the bordereau, derived from its schema (FORM-1). @public */
export type Establishment = z.infer<typeof EstablishmentSchema>;
