import { z } from 'zod';
import { LIMITS } from './limits.js';
import { CcamCode, Cents, IsoDate, LppCode, Rate, Rpps, UcdCode, code, decimal, integer, text } from './primitives.js';

/** Why a dated line may fall outside the stay (FORM-2 date coherence). */
const OutsideStay = z
  .enum(['pre-admission', 'post-discharge'], { error: 'ERR_VALUE_NOT_ALLOWED' })
  .describe('Exception à la règle « date dans le séjour » : acte pré-admission ou post-sortie.');

/** Money columns shared by every billed line. */
const money = {
  amount: Cents.describe('Montant facturé, en centimes.'),
  base: Cents.describe('Base de remboursement, en centimes.'),
  rate: Rate,
};

/** Limits the number of lines of a table. */
function table<T extends z.ZodType>(line: T, description: string) {
  return z.array(line).max(LIMITS.maxLinesPerTable, { error: 'ERR_TOO_MANY_LINES' }).describe(description);
}

/**
 * Prestation hospitalière — GHS, supplément, forfait (FORM-1).
 * `amount` = unitPrice × quantity × coefficient, rounded half up to the cent.
 *
 * @public
 */
export const ServiceLineSchema = z.strictObject({
  code: code(/^[A-Z0-9]{2,4}$/, 'Code prestation (GHS, SRC, REA, FJ, SE1…).', 'GHS'),
  ghs: code(/^\d{4}$/, 'Numéro de GHS (4 chiffres), pour une prestation GHS.', '0827').optional(),
  label: text(120, 'Libellé.'),
  from: IsoDate.describe('Date de début.'),
  to: IsoDate.optional().describe('Date de fin.'),
  coefficient: decimal(99, 4, 'Coefficient (4 décimales au plus), 1 par défaut.'),
  quantity: integer(1, 9999, 'Quantité (nombre de jours, de forfaits…).'),
  unitPrice: Cents.describe('Prix unitaire, en centimes.'),
  ...money,
  outsideStay: OutsideStay.optional(),
});

/** A serviceLine block of the bordereau, derived from its schema (FORM-1). @public */
export type ServiceLine = z.infer<typeof ServiceLineSchema>;

const CcamAct = z.strictObject({
  nomenclature: z.literal('CCAM'),
  code: CcamCode,
  activity: code(/^[1-5]$/, 'Code activité (1 à 5 ; 4 = anesthésie).', '1'),
  phase: code(/^[0-3]$/, 'Code phase (0 à 3).', '0'),
  modifiers: z
    .array(code(/^[A-Z0-9]$/, 'Modificateur (1 caractère).', 'F'))
    .max(4, { error: 'ERR_TOO_MANY_LINES' })
    .describe('Modificateurs (4 au plus).'),
  association: code(/^[1-5]$/, 'Code association (1 à 5).', '1').optional(),
});

const NgapAct = z.strictObject({
  nomenclature: z.literal('NGAP'),
  letterKey: code(/^[A-Z]{1,4}$/, 'Lettre clé NGAP (C, CS, K, KC…).', 'K'),
  coefficient: decimal(999, 2, 'Coefficient de la lettre clé.'),
});

/**
 * Honoraire — one practitioner fee line, CCAM (activity, phase, modifiers)
 * or NGAP (letter key, coefficient), with its signature slot and Mandat flag
 * (FORM-1, FORM-6, SIG-8).
 *
 * @public
 */
export const FeeLineSchema = z.strictObject({
  date: IsoDate.describe('Date de l’acte.'),
  practitioner: z.strictObject({
    rpps: Rpps,
    name: text(80, 'Nom et prénom du praticien.'),
    specialty: code(/^\d{2}$/, 'Code spécialité (2 chiffres).', '41'),
  }),
  act: z.discriminatedUnion('nomenclature', [CcamAct, NgapAct], { error: 'ERR_VALUE_NOT_ALLOWED' }),
  quantity: integer(1, 99, 'Nombre d’actes.'),
  ...money,
  overrun: Cents.describe('Dépassement d’honoraires compris dans le montant, en centimes (0 sans dépassement).'),
  signature: z
    .strictObject({
      mandate: z.boolean({ error: 'ERR_TYPE' }).describe('Ligne signée « pour mandat » (par un confrère ou le directeur).'),
      mandateRef: text(40, 'Référence du mandat, conservée pour être produite sur demande.').optional(),
    })
    .describe('Emplacement de signature de la ligne.'),
  outsideStay: OutsideStay.optional(),
});

/** A feeLine block of the bordereau, derived from its schema (FORM-1). @public */
export type FeeLine = z.infer<typeof FeeLineSchema>;

/**
 * Dispositif médical LPP facturé en sus (FORM-1).
 * `amount` = unitPrice × quantity.
 *
 * @public
 */
export const LppLineSchema = z.strictObject({
  date: IsoDate.describe('Date de pose.'),
  code: LppCode,
  label: text(120, 'Libellé du dispositif.'),
  quantity: integer(1, 999, 'Quantité.'),
  unitPrice: Cents.describe('Prix unitaire (tarif LPP ou prix d’achat), en centimes.'),
  ...money,
  outsideStay: OutsideStay.optional(),
});

/** A lppLine block of the bordereau, derived from its schema (FORM-1). @public */
export type LppLine = z.infer<typeof LppLineSchema>;

/**
 * Médicament facturé en sus, code UCD (FORM-1).
 * `amount` = unitPrice × quantity.
 *
 * @public
 */
export const DrugLineSchema = z.strictObject({
  date: IsoDate.describe('Date d’administration.'),
  ucd: UcdCode,
  label: text(120, 'Libellé du médicament.'),
  quantity: integer(1, 9999, 'Nombre d’unités communes de dispensation.'),
  unitPrice: Cents.describe('Prix unitaire, en centimes.'),
  ...money,
  indication: code(/^[A-Z0-9]{7}$/, 'Code indication (LES), 7 caractères.', 'I000123').optional(),
  outsideStay: OutsideStay.optional(),
});

/** A drugLine block of the bordereau, derived from its schema (FORM-1). @public */
export type DrugLine = z.infer<typeof DrugLineSchema>;

export const ServicesTable = table(ServiceLineSchema, 'Prestations hospitalières.');
export const FeesTable = table(FeeLineSchema, 'Honoraires.');
export const LppTable = table(LppLineSchema, 'Dispositifs médicaux (LPP) en sus.');
export const DrugsTable = table(DrugLineSchema, 'Médicaments (UCD) en sus.');
