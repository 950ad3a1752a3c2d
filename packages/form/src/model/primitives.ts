import { z } from 'zod';
import { bordereauIdProblem, finessProblem, type IdentifierProblem } from '@s3404/core';
import { ccamProblem, lppProblem, ucdProblem } from '../checks/codes.js';
import { rppsProblem } from '../checks/rpps.js';
import { printableTextProblem } from '../text-policy.js';

/*
 * Building blocks of the model. A failing check reports its stable code as the
 * zod message (`ERR_…`); `validateBordereau` turns it into a localised issue.
 */

/** Largest amount accepted: 1 billion euros, in cents. */
export const MAX_CENTS = 100_000_000_000;

/** Adds a coded issue from an identifier check. */
function fromCheck(check: (value: string) => IdentifierProblem) {
  return (ctx: z.core.ParsePayload<string>): void => {
    const failure = check(ctx.value);
    if (failure !== null) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: failure.code, params: failure.params });
    }
  };
}

/** The one text policy (control and invisible characters, U+FFFD, blank, font): its length was checked before. */
function printable(ctx: z.core.ParsePayload<string>): void {
  const problem = printableTextProblem(ctx.value, { max: Number.POSITIVE_INFINITY });
  if (problem !== null) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem.code, params: problem.params });
}

/** Free text printed on the form: 1…`max` characters, under the one text policy ({@link printableTextProblem}). */
export function text(max: number, description: string) {
  return z
    .string()
    .min(1, { error: 'ERR_TEXT_EMPTY', abort: true })
    .max(max, { error: 'ERR_TEXT_TOO_LONG', abort: true })
    .check(printable)
    .describe(description);
}

/** A code made of a fixed pattern, reported with a stable code. */
export function code(pattern: RegExp, description: string, example: string) {
  return z
    .string()
    .regex(pattern, { error: 'ERR_FORMAT' })
    .describe(description)
    .meta({ examples: [example] });
}

/** Amount in euro cents: a non-negative integer (FORM-1). */
export const Cents = z
  .int({ error: 'ERR_AMOUNT_NOT_CENTS' })
  .min(0, { error: 'ERR_NUMBER_RANGE' })
  .max(MAX_CENTS, { error: 'ERR_NUMBER_RANGE' })
  .describe('Montant en centimes d’euro (entier ≥ 0). Amount in euro cents.');

/** Reimbursement rate, in percent (taux de remboursement). */
export const Rate = z
  .int({ error: 'ERR_TYPE' })
  .min(0, { error: 'ERR_NUMBER_RANGE' })
  .max(100, { error: 'ERR_NUMBER_RANGE' })
  .describe('Taux de remboursement en pourcentage (0–100).');

/** A decimal with at most `decimals` digits after the point, in (0, max]. */
export function decimal(max: number, decimals: number, description: string) {
  const scale = 10 ** decimals;
  return z
    .number({ error: 'ERR_TYPE' })
    .gt(0, { error: 'ERR_NUMBER_RANGE' })
    .max(max, { error: 'ERR_NUMBER_RANGE' })
    .check((ctx) => {
      const scaled = ctx.value * scale;
      if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: 'ERR_FORMAT',
          params: { expected: { fr: `${decimals} décimales au plus`, en: `at most ${decimals} decimals` } },
        });
      }
    })
    .describe(description);
}

/** A whole number in [min, max]. */
export function integer(min: number, max: number, description: string) {
  return z.int({ error: 'ERR_TYPE' }).min(min, { error: 'ERR_NUMBER_RANGE' }).max(max, { error: 'ERR_NUMBER_RANGE' }).describe(description);
}

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A calendar date, `YYYY-MM-DD` (ISO 8601), between 1900 and 2199. */
export const IsoDate = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^(19|20|21)\d{2}-\d{2}-\d{2}$/, { error: 'ERR_DATE_INVALID', abort: true })
  .refine(isRealDate, { error: 'ERR_DATE_INVALID' })
  .describe('Date AAAA-MM-JJ (ISO 8601).')
  .meta({ examples: ['2026-03-14'], format: 'date' });

/** A time of day, `HH:MM` (24 h, local French time). */
export const IsoTime = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'ERR_TIME_INVALID' })
  .describe('Heure HH:MM (24 h, heure légale française).')
  .meta({ examples: ['08:30'] });

/** FINESS number with its key (FORM-2). */
export const Finess = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^(\d{2}|2A|2B)\d{7}$/, { error: 'ERR_FINESS_FORMAT', abort: true })
  .check(fromCheck(finessProblem))
  .describe('Numéro FINESS (9 caractères, clé de Luhn ; 2A/2B pour la Corse).')
  .meta({ examples: ['750712184'] });

/** RPPS number with its key (FORM-2). */
export const Rpps = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^\d{11}$/, { error: 'ERR_RPPS_FORMAT', abort: true })
  .check(fromCheck(rppsProblem))
  .describe('Numéro RPPS du praticien (11 chiffres, clé de Luhn).')
  .meta({ examples: ['10001045367'] });

/** CCAM act code shape (FORM-2). */
export const CcamCode = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^[A-Z]{4}\d{3}$/, { error: 'ERR_CCAM_FORMAT', abort: true })
  .check(fromCheck(ccamProblem))
  .describe('Code d’acte CCAM : 4 lettres et 3 chiffres.')
  .meta({ examples: ['NEKA020'] });

/** LPP code shape (FORM-2). */
export const LppCode = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^\d{7}$/, { error: 'ERR_LPP_FORMAT', abort: true })
  .check(fromCheck(lppProblem))
  .describe('Code LPP : 7 chiffres.')
  .meta({ examples: ['3113124'] });

/** UCD code (7 or 13 digits) with its key (FORM-2). */
export const UcdCode = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^(9\d{6}|340089\d{7})$/, { error: 'ERR_UCD_FORMAT', abort: true })
  .check(fromCheck(ucdProblem))
  .describe('Code UCD : UCD 7 (9xxxxxx, clé modulo 11) ou UCD 13 (34008 + UCD 7 + clé EAN-13).')
  .meta({ examples: ['9261104', '3400893766521'] });

/** The bordereau's unique identifier (FORM-3). */
export const BordereauIdSchema = z
  .string({ error: 'ERR_TYPE' })
  .regex(/^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$/, { error: 'ERR_BORDEREAU_ID_FORMAT', abort: true })
  .check(fromCheck(bordereauIdProblem))
  .describe('Identifiant unique du bordereau : 125 bits aléatoires en base 32 de Crockford, 5 groupes de 5 et un caractère de contrôle.')
  .meta({ examples: ['6R0ZQ-50K7C-AC6T4-JF0WA-04614-H'] });

/** A postal address printed on the form. */
export const Address = z
  .strictObject({
    line1: text(120, 'Numéro et voie.'),
    line2: text(120, 'Complément d’adresse.').optional(),
    postalCode: z
      .string()
      .regex(/^\d{5}$/, { error: 'ERR_FORMAT' })
      .describe('Code postal (5 chiffres).'),
    city: text(80, 'Commune.'),
  })
  .describe('Adresse postale.');
