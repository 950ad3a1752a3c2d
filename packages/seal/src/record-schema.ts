import { checkBordereauId, isIsoInstant, isValidFiness } from '@s3404/core';
import { isValidRpps, printableTextProblem } from '@s3404/form';
import { z } from 'zod';

/**
 * The record's format and its schemas (SIG-1, SIG-2, SIG-10), as zod schemas
 * that are the single source of the types. The sealer builds records from
 * them and the verifier reads records with them; a vendor may use them to
 * check its own data before a capture.
 *
 * `import { SignatureRecordSchema, ScopeSchema, RECORD_VERSION } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const scope = ScopeSchema.parse({ kind: 'line', bordereauId, contentHash: contentHash(bordereau), line: 2, practitionerRpps: '10003456786' })
 * const verdict = await verifyRecord(p7m, { trustAnchors })
 * if (verdict.ok) SignatureRecordSchema.parse(verdict.record) // already checked: it is a SignatureRecord
 * ```
 */

/**
 * Version of the signature record format (SIG-2). `1.1` binds bordereau and
 * line records to the bordereau's content hash and accounting-day records to
 * the content hashes of the day's bordereaux (SIG-4, SIG-10); a `1.0` record
 * is refused (`ERR_RECORD_INVALID`: records live minutes, there is nothing to
 * migrate).
 *
 * @public
 */
export const RECORD_VERSION = '1.1' as const;
/** The `type` of every signature record (SIG-2). @public */
export const RECORD_TYPE = 's3404.signature-record' as const;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const instant = z.string().max(24).regex(ISO_INSTANT).refine(isIsoInstant, { error: 'instant ISO 8601 UTC invalide' });
const day = z
  .string()
  .max(10)
  .regex(DAY)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00.000Z`)) && new Date(`${s}T00:00:00.000Z`).toISOString().slice(0, 10) === s, {
    error: 'date AAAA-MM-JJ invalide',
  });
const bordereauId = z
  .string()
  .max(40)
  .refine((s) => checkBordereauId(s).ok, { error: 'identifiant de bordereau invalide' });
/** SHA-256 of the bordereau's canonical JSON (`contentHash()` of `@s3404/form`), lowercase hex (SIG-4). */
const contentHash = z.string().regex(/^[0-9a-f]{64}$/, { error: 'empreinte SHA-256 du contenu invalide (64 chiffres hexadécimaux en minuscules)' });
const rpps = z.string().max(11).refine(isValidRpps, { error: 'RPPS invalide (11 chiffres, clé de Luhn)' });
const finess = z.string().max(9).refine(isValidFiness, { error: 'FINESS invalide' });
/**
 * Identifiers and references (not printed): 1…`max` characters, not blank,
 * without control characters, invisible format characters (bidi overrides
 * such as U+202E, zero-width) or U+FFFD — they reach traces and screens.
 */
const text = (max: number) =>
  z
    .string()
    .min(1, { abort: true })
    // abort: a string too long never reaches the regex (V8's regex stack overflows on ~10M astral characters).
    .max(max, { abort: true })
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029\ufffd]*$/u)
    .refine((v) => v.trim() !== '');
/** A name printed (capture screen, caption): the one text policy of `@s3404/form` (issue 14 #13). */
const printedName = (max: number) =>
  z
    .string()
    .max(max, { abort: true })
    .refine((v) => printableTextProblem(v, { max }) === null);

/**
 * Whole bordereau, one practitioner line (1-based), or an accounting day
 * (SIG-2, SIG-4, SIG-10). A bordereau or line scope names the bordereau by
 * its identifier and the exact content shown when it was signed, its
 * `contentHash` (SHA-256 of its canonical JSON, 64 lowercase hex digits:
 * `contentHash()` of `@s3404/form`, printed on every page of the PDF). An
 * accounting-day scope binds the day's bordereaux by identifier and content
 * hash through `bordereaux.digest` (see `dayBordereauxDigest`).
 *
 * `import { ScopeSchema } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * ScopeSchema.parse({ kind: 'bordereau', bordereauId, contentHash: contentHash(bordereau) })
 * ```
 * @public
 */
export const ScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bordereau'), bordereauId, contentHash }),
  z.strictObject({ kind: z.literal('line'), bordereauId, contentHash, line: z.int().min(1).max(9999), practitionerRpps: rpps }),
  z.strictObject({
    kind: z.literal('accounting-day'),
    finess,
    day,
    bordereaux: z.strictObject({ count: z.int().min(1).max(100_000), digest: z.string().regex(/^[0-9a-f]{64}$/) }),
  }),
]);
/** What a signature covers (SIG-2). @public */
export type Scope = z.infer<typeof ScopeSchema>;

/**
 * Signer roles (SIG-2, CSS R.161-43): `insured` (assuré ou bénéficiaire),
 * `director` (directeur de l'établissement), `practitioner` (praticien),
 * `delegate` (délégataire du directeur).
 *
 * @public
 */
export const RoleSchema = z.enum(['insured', 'director', 'practitioner', 'delegate']);
/** A signer role (SIG-2). @public */
export type Role = z.infer<typeof RoleSchema>;

/**
 * The person who signs a record, the record's `signer` (SIG-2): the vendor's
 * person id, a display name and, for a practitioner, the RPPS. The name is
 * shown on the signing screen: it follows the one text policy of
 * `@s3404/form` (`checkPrintableText`: not blank, no control or invisible
 * character such as U+202E, no U+FFFD, Latin characters the font prints), as
 * the names of a bordereau do. Not to be
 * confused with the seal key, a `SigningKey`.
 *
 * `import { RecordSignerSchema } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * RecordSignerSchema.parse({ id: 'dr-a', name: 'Dr A', rpps: '10003456786' })
 * ```
 * @public
 */
export const RecordSignerSchema = z.strictObject({ id: text(128), name: printedName(200), rpps: rpps.optional() });
/** The person who signs a record (SIG-2), e.g. `{ id: 'patient-42', name: 'Jeanne Martin' }`. @public */
export type RecordSigner = z.infer<typeof RecordSignerSchema>;

/** Pointer types of captured strokes, as `PointerEvent.pointerType` gives them (SIG-2). @public */
export const PointerTypeSchema = z.enum(['pen', 'touch', 'mouse']);

/**
 * One pen stroke: points `[x, y, t]` or `[x, y, t, pressure]` in image pixels,
 * `t` in milliseconds since the first point of the capture, monotonic (SIG-2).
 *
 * @public
 */
export const StrokeSchema = z.strictObject({
  pointerType: PointerTypeSchema,
  points: z
    .array(z.union([z.tuple([z.number(), z.number(), z.number()]), z.tuple([z.number(), z.number(), z.number(), z.number()])]))
    .min(1)
    .max(100_000),
});
/** @public */
export type Stroke = z.infer<typeof StrokeSchema>;

/** The context token a record must carry (SIG-1). @public */
export const ContextTokenSchema = z.strictObject({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
  issuedAt: instant,
  expiresAt: instant,
});
/** @public */
export type ContextToken = z.infer<typeof ContextTokenSchema>;

/**
 * The signature record that gets sealed (SIG-2, SIG-4), version 1.1. Encoded as RFC
 * 8785 canonical JSON inside the CMS; images travel as base64 PNG.
 *
 * @public
 */
export const SignatureRecordSchema = z.strictObject({
  type: z.literal(RECORD_TYPE),
  version: z.literal(RECORD_VERSION),
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  scope: ScopeSchema,
  role: RoleSchema,
  signer: RecordSignerSchema,
  mandate: z.strictObject({ reference: text(64) }).optional(),
  proofAgreement: z.strictObject({ reference: text(64) }).optional(),
  capturedAt: instant,
  terminal: z.strictObject({ id: text(128) }),
  context: ContextTokenSchema,
  image: z.strictObject({
    mediaType: z.literal('image/png'),
    width: z.int().min(1).max(100_000),
    height: z.int().min(1).max(100_000),
    data: z
      .string()
      .min(1)
      .max(16 * 1024 * 1024),
  }),
  strokes: z.array(StrokeSchema).min(1).max(1000).optional(),
});
/** A signature record (SIG-2). @public */
export type SignatureRecord = z.infer<typeof SignatureRecordSchema>;
