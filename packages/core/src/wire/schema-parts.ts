/**
 * Building blocks of the wire format's JSON Schemas (SIG-1, SIG-2): bounds
 * that match `@s3404/seal` (`record-schema.ts`, `CAPTURE_LIMITS`) and
 * `SIGNATURE_IMAGE_LIMITS` of `@s3404/form`, which core cannot import; the
 * tests of `@s3404/seal` check that they agree. Not exported from the barrel.
 *
 * Every pattern is a plain ECMA-262 expression without Unicode property
 * escapes (any JSON Schema validator reads it) and runs in linear time.
 */

/**
 * A JSON Schema (2020-12) as a frozen plain object (SIG-1, SIG-2): the type
 * of the wire format's schemas, to hand to any JSON Schema validator.
 *
 * `import type { JsonSchema } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * const schema: JsonSchema = CAPTURE_MESSAGE_SCHEMA
 * schema.$id // 'urn:s3404:wire:1:capture'
 * ```
 * @public
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Widest signature PNG, bytes (`SIGNATURE_IMAGE_LIMITS.maxBytes` of `@s3404/form`). */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Its length in padded base64: 4 characters per started group of 3 bytes. */
export const MAX_IMAGE_BASE64 = 4 * Math.ceil(MAX_IMAGE_BYTES / 3);
/** Image sides, pixels (`SIGNATURE_IMAGE_LIMITS` of `@s3404/form`). */
export const MIN_IMAGE_SIDE = 8;
export const MAX_IMAGE_SIDE = 4096;
/** Strokes per capture and points per stroke (`StrokeSchema` and the record schema of `@s3404/seal`). */
export const MAX_STROKES = 1000;
export const MAX_STROKE_POINTS = 100_000;
/** Display bounds: lines shown, characters per line or field. */
export const MAX_DISPLAY_LINES = 16;
export const MAX_DISPLAY_LINE = 512;

/** Freezes a schema and everything in it, so that no caller can change the published format. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

const both = (fr: string, en: string): string => `${fr} / ${en}`;

const string = (description: string, bounds: { min?: number; max: number; pattern?: string }): JsonSchema => ({
  type: 'string',
  description,
  ...(bounds.min === undefined ? {} : { minLength: bounds.min }),
  maxLength: bounds.max,
  ...(bounds.pattern === undefined ? {} : { pattern: bounds.pattern }),
});
const integer = (description: string, minimum: number, maximum: number): JsonSchema => ({ type: 'integer', description, minimum, maximum });

/**
 * No C0 or C1 control character, no line or paragraph separator, no U+FFFD,
 * no lone UTF-16 surrogate (a pair is accepted with or without the `u` flag).
 */
const NO_CONTROL = '^(?:[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\uD800-\\uDFFF\\uFFFD]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';
const INSTANT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';
const BORDEREAU_ID = '^(?:[0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$';
const HEX64 = '^[0-9a-f]{64}$';

const instant = (fr: string, en: string): JsonSchema =>
  string(both(`${fr}, instant ISO 8601 UTC à la milliseconde`, `${en}, ISO 8601 UTC instant with milliseconds`), { max: 24, pattern: INSTANT });
const bordereauId = (): JsonSchema =>
  string(both('Identifiant du bordereau (forme imprimée, avec sa clé)', "The bordereau's identifier (printed form, with its check symbol)"), {
    max: 31,
    pattern: BORDEREAU_ID,
  });
const contentHash = (): JsonSchema =>
  string(
    both('Empreinte SHA-256 du contenu du bordereau, 64 chiffres hexadécimaux minuscules', "SHA-256 of the bordereau's content, 64 lowercase hex digits"),
    { max: 64, pattern: HEX64 },
  );
const rpps = (): JsonSchema => string(both('RPPS du praticien (11 chiffres)', "The practitioner's RPPS (11 digits)"), { max: 11, pattern: '^[0-9]{11}$' });

const object = (title: string, description: string, properties: Record<string, JsonSchema>, required: readonly string[]): JsonSchema => ({
  type: 'object',
  title,
  description,
  properties,
  required,
  additionalProperties: false,
});

/** The token that ties a capture to the context shown (SIG-1). */
const token = (): JsonSchema =>
  object(
    both('Jeton du contexte', 'Context token'),
    both(
      "Nonce à usage unique et instants d'émission et d'expiration : le serveur retrouve par le nonce le contexte qu'il a émis",
      'Single-use nonce and issue and expiry instants: the server finds the context it issued by the nonce',
    ),
    {
      nonce: string(both('Nonce base64url de 22 à 64 caractères', 'base64url nonce, 22 to 64 characters'), { max: 64, pattern: '^[A-Za-z0-9_-]{22,64}$' }),
      issuedAt: instant('Émission', 'Issue'),
      expiresAt: instant('Expiration', 'Expiry'),
    },
    ['nonce', 'issuedAt', 'expiresAt'],
  );

const scope = (): JsonSchema => ({
  title: both('Portée de la signature', 'What the signature covers'),
  description: both(
    'Un bordereau ou une ligne de praticien (avec son empreinte de contenu), ou une journée comptable',
    "A bordereau or a practitioner's line (with its content hash), or an accounting day",
  ),
  oneOf: [
    object(
      both('Bordereau', 'Bordereau'),
      both('Le bordereau entier', 'The whole bordereau'),
      { kind: { const: 'bordereau' }, bordereauId: bordereauId(), contentHash: contentHash() },
      ['kind', 'bordereauId', 'contentHash'],
    ),
    object(
      both('Ligne', 'Line'),
      both('Une ligne de praticien, numérotée à partir de 1', "A practitioner's line, numbered from 1"),
      {
        kind: { const: 'line' },
        bordereauId: bordereauId(),
        contentHash: contentHash(),
        line: integer(both('Numéro de ligne', 'Line number'), 1, 9999),
        practitionerRpps: rpps(),
      },
      ['kind', 'bordereauId', 'contentHash', 'line', 'practitionerRpps'],
    ),
    object(
      both('Journée comptable', 'Accounting day'),
      both("Les bordereaux d'une journée comptable d'un établissement", 'The bordereaux of one accounting day of an establishment'),
      {
        kind: { const: 'accounting-day' },
        finess: string(both("FINESS de l'établissement", "The establishment's FINESS"), { max: 9, pattern: '^(?:[0-9]{2}|2A|2B)[0-9]{7}$' }),
        day: string(both('Jour AAAA-MM-JJ', 'Day YYYY-MM-DD'), { max: 10, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
        bordereaux: object(
          both('Bordereaux de la journée', "The day's bordereaux"),
          both('Leur nombre et le condensé de leurs identifiants et empreintes', 'Their count and the digest of their identifiers and content hashes'),
          {
            count: integer(both('Nombre de bordereaux', 'Number of bordereaux'), 1, 100_000),
            digest: string(both('Condensé SHA-256, 64 chiffres hexadécimaux', 'SHA-256 digest, 64 hex digits'), { max: 64, pattern: HEX64 }),
          },
          ['count', 'digest'],
        ),
      },
      ['kind', 'finess', 'day', 'bordereaux'],
    ),
  ],
});

const display = (): JsonSchema =>
  object(
    both("Ce que l'écran de signature montre (SIG-1)", 'What the signing screen shows (SIG-1)'),
    both(
      'Horodatage, identifiant du bordereau et empreinte (ou journée comptable), rôle et nom du signataire, « Mandat » le cas échéant, et les mêmes informations prêtes à afficher, une par ligne. Renvoyé tel quel : toute différence fait refuser la capture',
      "Timestamp, bordereau identifier and content hash (or accounting day), the signer's role and name, « Mandat » when it applies, and the same information ready to show, one item per line. Echoed unchanged: any difference gets the capture refused",
    ),
    {
      timestamp: string(both('jj/mm/aaaa hh:mm:ss, heure légale française', 'dd/mm/yyyy hh:mm:ss, French legal time'), {
        max: 19,
        pattern: '^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$',
      }),
      bordereauId: bordereauId(),
      contentHash: contentHash(),
      line: integer(both('Numéro de ligne', 'Line number'), 1, 9999),
      accountingDay: string(both('« jj/mm/aaaa journée comptable »', '"dd/mm/yyyy journée comptable"'), { min: 1, max: 64, pattern: NO_CONTROL }),
      role: string(both('Libellé du rôle du signataire', "Label of the signer's role"), { min: 1, max: 64, pattern: NO_CONTROL }),
      signerName: string(both('Nom du signataire', "The signer's name"), { min: 1, max: 200, pattern: NO_CONTROL }),
      mandate: string(both('« Mandat » pour une signature sous mandat', '"Mandat" when signing under a mandate'), { min: 1, max: 64, pattern: NO_CONTROL }),
      lines: {
        type: 'array',
        description: both('Lignes à afficher, dans cet ordre', 'Lines to show, in this order'),
        minItems: 1,
        maxItems: MAX_DISPLAY_LINES,
        items: string(both('Une ligne', 'One line'), { min: 1, max: MAX_DISPLAY_LINE, pattern: NO_CONTROL }),
      },
    },
    ['timestamp', 'role', 'signerName', 'lines'],
  );

/** The capture context (SIG-1), the same in the context and the capture messages. */
export function contextSchema(): JsonSchema {
  return object(
    both('Contexte de capture', 'Capture context'),
    both(
      "Ce qui est signé, par qui, sur quel poste, et ce que l'écran montre ; la tablette le renvoie tel quel dans sa capture",
      'What is signed, by whom, on which terminal, and what the screen shows; the tablet echoes it unchanged in its capture',
    ),
    {
      token: token(),
      scope: scope(),
      role: { enum: ['insured', 'director', 'practitioner', 'delegate'], description: both('Rôle du signataire', "The signer's role") },
      signer: object(
        both('Signataire', 'Signer'),
        both("Identifiant de la personne chez l'éditeur, nom affiché, RPPS d'un praticien", "The vendor's person id, the name shown, a practitioner's RPPS"),
        {
          id: string(both('Identifiant de la personne', 'Person id'), { min: 1, max: 128, pattern: NO_CONTROL }),
          name: string(both('Nom affiché', 'Name shown'), { min: 1, max: 200, pattern: NO_CONTROL }),
          rpps: rpps(),
        },
        ['id', 'name'],
      ),
      terminal: object(
        both('Poste de signature', 'Signing terminal'),
        both('Le poste pour lequel le contexte a été ouvert', 'The terminal the context was opened for'),
        { id: string(both('Identifiant du poste', 'Terminal id'), { min: 1, max: 128, pattern: NO_CONTROL }) },
        ['id'],
      ),
      mandate: object(
        both('Mandat', 'Mandate'),
        both("Référence du mandat d'une signature pour le compte d'un praticien", "Reference of the mandate when signing on a practitioner's behalf"),
        { reference: string(both('Référence du mandat', 'Mandate reference'), { min: 1, max: 64, pattern: NO_CONTROL }) },
        ['reference'],
      ),
      display: display(),
    },
    ['token', 'scope', 'role', 'signer', 'terminal', 'display'],
  );
}

/** The header of every message: its type and the wire version. */
export function header(type: string): Record<string, JsonSchema> {
  return {
    type: { const: type, description: both('Type du message', 'Message type') },
    version: { const: '1', description: both('Version du format (WIRE_VERSION)', 'Format version (WIRE_VERSION)') },
  };
}

export { both, integer, instant, object, string };
