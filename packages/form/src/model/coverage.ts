import { z } from 'zod';
import { IsoDate, code, text } from './primitives.js';

/**
 * Nature d'assurance: 10 maladie, 30 maternité, 40 accident du travail /
 * maladie professionnelle, 50 décès, 80 invalidité, with French and English
 * labels (FORM-1).
 *
 * @public
 */
export const INSURANCE_NATURES = {
  '10': { fr: 'Maladie', en: 'Sickness' },
  '30': { fr: 'Maternité', en: 'Maternity' },
  '40': { fr: 'AT/MP', en: 'Work accident / occupational disease' },
  '50': { fr: 'Décès', en: 'Death' },
  '80': { fr: 'Invalidité', en: 'Disability' },
} as const;

/**
 * Couverture — régime, caisse, nature d'assurance, exonération du ticket
 * modérateur, accident du travail, complémentaire (FORM-1).
 *
 * @public
 */
export const CoverageSchema = z
  .strictObject({
    regime: code(/^\d{2}$/, 'Grand régime (2 chiffres ; 01 régime général).', '01'),
    fund: code(/^\d{3}$/, 'Caisse gestionnaire (3 chiffres).', '751'),
    centre: code(/^\d{4}$/, 'Centre de gestion (4 chiffres).', '0001').optional(),
    insuranceNature: z
      .enum(['10', '30', '40', '50', '80'], { error: 'ERR_VALUE_NOT_ALLOWED' })
      .describe('Nature d’assurance : 10 maladie, 30 maternité, 40 AT/MP, 50 décès, 80 invalidité.'),
    exemption: code(/^[0-9A-Z]$/, 'Code d’exonération du ticket modérateur (1 caractère).', '3').optional(),
    accident: z
      .strictObject({
        date: IsoDate.describe('Date de l’accident du travail ou de la première constatation de la maladie professionnelle.'),
        number: code(/^[0-9A-Z]{1,9}$/, 'Numéro d’accident du travail attribué par la caisse.', '123456789').optional(),
      })
      .optional()
      .describe('Accident du travail / maladie professionnelle (nature 40).'),
    maternityDate: IsoDate.optional().describe('Date présumée de début de grossesse ou date d’accouchement (nature 30).'),
    complementary: z
      .strictObject({
        number: code(/^\d{8,10}$/, 'Numéro de l’organisme complémentaire (AMC).', '12345678'),
        name: text(80, 'Nom de l’organisme complémentaire.'),
        contract: text(40, 'Type de contrat ou de prise en charge.').optional(),
      })
      .optional()
      .describe('Organisme complémentaire (AMC), en tiers payant.'),
  })
  .describe('Couverture sociale.');

/** A coverage block of the bordereau, derived from its schema (FORM-1). @public */
export type Coverage = z.infer<typeof CoverageSchema>;
