import { z } from 'zod';
import { nirProblem } from '../checks/nir.js';
import { Address, IsoDate, integer, text } from './primitives.js';

const NIR_PATTERN = /^[1-478]\d{2}(0[1-9]|1[0-2]|[2-4]\d|[5-9]\d)(\d{2}|2A|2B)\d{6}$/;

const Nir = z
  .string({ error: 'ERR_TYPE' })
  .regex(NIR_PATTERN, { error: 'ERR_NIR_FORMAT' })
  .describe('NIR sans la clé : 13 caractères (2A/2B pour les départements corses).')
  .meta({ examples: ['2550814168025'] });

const NirKey = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^\d{2}$/, { error: 'ERR_FORMAT' })
  .describe('Clé du NIR : 97 − (NIR mod 97), 2 chiffres (2A → 19, 2B → 18).')
  .meta({ examples: ['38'] });

/** Verifies the NIR key once both fields are well-formed. */
function nirKeyCheck(ctx: z.core.ParsePayload<{ nir?: string | undefined; nirKey?: string | undefined }>): void {
  const { nir, nirKey } = ctx.value;
  // A malformed NIR or key is reported once, by its own field: the key is checked only between two well-formed values.
  if (nir === undefined || nirKey === undefined || !NIR_PATTERN.test(nir) || !/^\d{2}$/.test(nirKey)) return;
  const failure = nirProblem(nir, nirKey);
  if (failure !== null) {
    ctx.issues.push({ code: 'custom', input: nirKey, path: ['nirKey'], message: failure.code, params: failure.params });
  }
}

/**
 * Assuré(e) — the insured person (FORM-1): NIR with its key, names, birth date.
 *
 * @public
 */
export const InsuredSchema = z
  .strictObject({
    nir: Nir,
    nirKey: NirKey,
    lastName: text(80, 'Nom d’usage.'),
    birthName: text(80, 'Nom de naissance, s’il diffère.').optional(),
    firstName: text(80, 'Prénom.'),
    birthDate: IsoDate.describe('Date de naissance.'),
    address: Address.optional(),
  })
  .check(nirKeyCheck)
  .describe('Assuré(e) ouvrant droit.');

/** A insured block of the bordereau, derived from its schema (FORM-1). @public */
export type Insured = z.infer<typeof InsuredSchema>;

/**
 * Bénéficiaire — the patient when it is not the insured person (child,
 * spouse…), with the birth rank used for twins (FORM-1).
 *
 * @public
 */
export const BeneficiarySchema = z
  .strictObject({
    lastName: text(80, 'Nom du bénéficiaire.'),
    firstName: text(80, 'Prénom du bénéficiaire.'),
    birthDate: IsoDate.describe('Date de naissance du bénéficiaire.'),
    birthRank: integer(1, 9, 'Rang de naissance (1 sauf naissances multiples).'),
    nir: Nir.optional(),
    nirKey: NirKey.optional(),
  })
  .check(nirKeyCheck)
  .describe('Bénéficiaire des soins, s’il n’est pas l’assuré.');

/** A beneficiary block of the bordereau, derived from its schema (FORM-1). @public */
export type Beneficiary = z.infer<typeof BeneficiarySchema>;
