import { z } from 'zod';
import { EstablishmentSchema } from './establishment.js';
import { BeneficiarySchema, InsuredSchema } from './people.js';
import { CoverageSchema } from './coverage.js';
import { StaySchema } from './stay.js';
import { DrugsTable, FeesTable, LppTable, ServicesTable } from './lines.js';
import { TotalsSchema } from './totals.js';
import { SignaturesSchema } from './signatures.js';
import { BordereauIdSchema, IsoDate, code } from './primitives.js';

/** Version of the model this package reads and writes (FORM-1). @public */
export const MODEL_VERSION = '1.0';

/**
 * The bordereau S3404 — the single source of truth of the form's content
 * (FORM-1). Every block of the CERFA: establishment, insured person and
 * beneficiary, coverage, stay, hospital services, practitioner fees, LPP
 * devices and drugs billed on top, totals and split, signature slots.
 * Amounts are integer cents; unknown keys are refused.
 *
 * `import { BordereauSchema } from '@s3404/form'`
 *
 * @public
 */
export const BordereauSchema = z
  .strictObject({
    $schema: z.string().max(300).optional().describe('URI du JSON Schema, pour les éditeurs ; ignoré.'),
    modelVersion: z.literal(MODEL_VERSION, { error: 'ERR_VALUE_NOT_ALLOWED' }).describe('Version du modèle : "1.0".'),
    id: BordereauIdSchema,
    invoiceNumber: code(/^\d{1,9}$/, 'Numéro de facture (B2), 9 chiffres au plus.', '260004512'),
    issuedOn: IsoDate.describe('Date d’établissement du bordereau.'),
    establishment: EstablishmentSchema,
    insured: InsuredSchema,
    beneficiary: BeneficiarySchema.optional(),
    coverage: CoverageSchema,
    stay: StaySchema,
    services: ServicesTable,
    fees: FeesTable,
    lpp: LppTable,
    drugs: DrugsTable,
    totals: TotalsSchema,
    signatures: SignaturesSchema,
  })
  .describe('Bordereau de facturation S3404 (modèle s3404 1.0).')
  .meta({ title: 'Bordereau S3404', $id: 'urn:s3404:schema:bordereau:1.0' });

/**
 * A bordereau S3404 as the model defines it (FORM-1). Derived from
 * {@link BordereauSchema}.
 *
 * @public
 */
export type Bordereau = z.infer<typeof BordereauSchema>;
