import { z } from 'zod';
import { LIMITS } from './limits.js';
import { Finess, IsoDate, IsoTime, code, text } from './primitives.js';

/** A date and time of day. */
const Moment = z.strictObject({ date: IsoDate, time: IsoTime });

/**
 * Séjour — entry and exit, mode de traitement, discipline médico-tarifaire,
 * entry number and transfers (FORM-1).
 *
 * @public
 */
export const StaySchema = z
  .strictObject({
    entryNumber: code(/^[0-9A-Z-]{1,20}$/, 'Numéro d’entrée (dossier administratif du séjour).', '2026-004512'),
    entry: Moment.describe('Entrée : date et heure.'),
    exit: Moment.optional().describe('Sortie : date et heure (absente pour une facture intermédiaire).'),
    treatmentMode: code(/^\d{2}$/, 'Mode de traitement (2 chiffres), tel que transmis en B2.', '03'),
    discipline: code(/^\d{3}$/, 'Discipline médico-tarifaire (DMT, 3 chiffres).', '124'),
    transfers: z
      .array(
        z.strictObject({
          date: IsoDate,
          direction: z.enum(['in', 'out'], { error: 'ERR_VALUE_NOT_ALLOWED' }).describe('in : arrivée depuis, out : départ vers.'),
          finess: Finess.describe('FINESS de l’autre établissement.'),
          reason: text(80, 'Motif (prestation inter-établissements…).').optional(),
        }),
      )
      .max(LIMITS.maxTransfers, { error: 'ERR_TOO_MANY_LINES' })
      .optional()
      .describe('Transferts pendant le séjour.'),
  })
  .describe('Séjour.');

/** A stay block of the bordereau, derived from its schema (FORM-1). @public */
export type Stay = z.infer<typeof StaySchema>;
