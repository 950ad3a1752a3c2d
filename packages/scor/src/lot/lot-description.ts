import type { LocalizedText } from '@s3404/core';
import { z } from 'zod';
import { lotIdSchema } from './lot-id.js';

/** Version of the lot description format (SCOR-2). @public */
export const LOT_DESCRIPTION_FORMAT = 's3404-scor-lot-description/1';

const invoiceNumber = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$/);

/** What a field of the description expects, in both languages, for the issues of {@link packLot}. */
export const LOT_DESCRIPTION_HINTS: Readonly<Record<string, LocalizedText>> = Object.freeze({
  invoiceNumber: {
    fr: 'numéro de facture : 1 à 32 caractères, chiffres, lettres, - ou _ (ex. 260004512)',
    en: 'invoice number: 1 to 32 characters, digits, letters, - or _ (e.g. 260004512)',
  },
  b2LotNumber: { fr: 'numéro de lot B2 : 1 à 9 chiffres (ex. 042)', en: 'B2 lot number: 1 to 9 digits (e.g. 042)' },
  lotId: { fr: 'identifiant de lot : 1 à 64 caractères, chiffres, lettres, - ou _', en: 'lot identifier: 1 to 64 characters, digits, letters, - or _' },
});

/** One pièce justificative of an invoice: a file given to {@link packLot}, and what it is (SCOR-2). @public */
export const LotPjSchema = z.strictObject({
  /** The file's key in `options.files` (for the CLI: a path relative to the description). */
  file: z.string().min(1).max(512),
  /** `s3404`: the signed bordereau (first and only once); `annex`: a scanned annex. */
  kind: z.enum(['s3404', 'annex']),
  /** A short label kept in the manifest (no patient data: "prescription", "compte rendu"). */
  label: z
    .string()
    .min(1)
    .max(80)
    .regex(/^[^\u0000-\u001f\u007f]*$/)
    .optional(),
});

/** One invoice of the B2 lot with its PJ, the signed S3404 first (SCOR-2). @public */
export const LotInvoiceSchema = z.strictObject({
  /** The invoice number of the B2 flow. */
  invoiceNumber,
  /** The identifier of its bordereau S3404 (FORM-3), which its S3404 PDF must carry. */
  bordereauId: z.string().min(1).max(64),
  pj: z.array(LotPjSchema).max(100),
});

/**
 * What a SCOR lot holds (SCOR-2): the establishment, the number of the B2
 * invoice lot it accompanies, and each invoice with its PJ. The official
 * SCOR-CP descriptor is not public: this is the SDK's own, documented
 * in `docs/scor.md`.
 *
 * @example
 * ```json
 * { "format": "s3404-scor-lot-description/1", "finess": "750300360", "b2LotNumber": "042",
 *   "invoices": [{ "invoiceNumber": "260004512", "bordereauId": "6R0ZQ-50K7C-AC6T4-JF0WA-04614-H",
 *                  "pj": [{ "file": "260004512-s3404.pdf", "kind": "s3404" }, { "file": "260004512-prescription.pdf", "kind": "annex", "label": "prescription" }] }] }
 * ```
 * @public
 */
export const LotDescriptionSchema = z.strictObject({
  format: z.literal(LOT_DESCRIPTION_FORMAT).optional(),
  /** The lot's identifier; default: derived from the FINESS, the B2 lot number and the content. */
  lotId: lotIdSchema.optional(),
  /** FINESS of the establishment (9 characters with its key). */
  finess: z.string(),
  /** Number of the B2 invoice lot this SCOR lot accompanies (digits). */
  b2LotNumber: z.string().regex(/^[0-9]{1,9}$/),
  invoices: z.array(LotInvoiceSchema).min(1).max(10_000),
});

/** A lot description (SCOR-2). @public */
export type LotDescription = z.input<typeof LotDescriptionSchema>;
/** One invoice of a lot description (SCOR-2). @public */
export type LotInvoice = z.infer<typeof LotInvoiceSchema>;
/** One PJ of a lot description (SCOR-2). @public */
export type LotPj = z.infer<typeof LotPjSchema>;
