import {
  both,
  contextSchema,
  deepFreeze,
  header,
  instant,
  MAX_IMAGE_BASE64,
  MAX_IMAGE_SIDE,
  MAX_STROKE_POINTS,
  MAX_STROKES,
  object,
  string,
  type JsonSchema,
} from './schema-parts.js';
import { WIRE_MESSAGE_TYPES } from './wire-version.js';

/**
 * Strict base64 (RFC 4648 §4), as `fromBase64` of `@s3404/core` reads it:
 * canonical padding, unused bits zero, no white space.
 */
const BASE64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$';

const coordinate = (fr: string, en: string): JsonSchema => ({ type: 'number', description: both(fr, en), minimum: -1, maximum: MAX_IMAGE_SIDE + 1 });
const X = coordinate('x, pixels', 'x, pixels');
const Y = coordinate('y, pixels', 'y, pixels');
const T: JsonSchema = { type: 'number', description: both('t, millisecondes', 't, milliseconds'), minimum: 0 };
const PRESSURE: JsonSchema = { type: 'number', description: both('Pression', 'Pressure'), minimum: 0, maximum: 1 };

/**
 * JSON Schema (2020-12) of the {@link CaptureMessage} the signing tablet
 * sends back (SIG-1, SIG-2): every object closed, every string and array
 * bounded as `@s3404/seal` bounds them (a PNG of at most 2 MiB, so at most
 * 2,796,204 base64 characters; at most 1,000 strokes of 100,000 points).
 * What a JSON Schema cannot say — a PNG that decodes within the server's
 * limits, points inside the image, time that never goes backwards, check
 * digits — the server checks on top (`readCaptureMessage` of
 * `@s3404/seal`). Frozen.
 *
 * `import { CAPTURE_MESSAGE_SCHEMA } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * import { Ajv2020 } from 'ajv/dist/2020.js'
 * const valid = new Ajv2020({ strict: true }).compile(CAPTURE_MESSAGE_SCHEMA)
 * valid(JSON.parse(body)) // false for a malformed capture
 * ```
 * @public
 */
export const CAPTURE_MESSAGE_SCHEMA: JsonSchema = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:s3404:wire:1:capture',
  ...object(
    both('Capture envoyée par la tablette de signature (s3404, format 1)', 'Capture sent by the signing tablet (s3404, format 1)'),
    both(
      "Le contexte affiché, renvoyé tel quel, la fin de la capture, l'image PNG en base64 et les tracés du stylet (SIG-1, SIG-2)",
      'The context shown, echoed unchanged, the end of the capture, the PNG image in base64 and the pen strokes (SIG-1, SIG-2)',
    ),
    {
      ...header(WIRE_MESSAGE_TYPES.capture),
      context: contextSchema(),
      capturedAt: instant('Fin de la capture', 'End of the capture'),
      image: object(
        both('Image de la signature', 'Signature image'),
        both('PNG en base64 standard avec remplissage (RFC 4648 §4)', 'PNG in standard base64 with padding (RFC 4648 §4)'),
        {
          mediaType: { const: 'image/png', description: both("Type de l'image", 'Image media type') },
          data: string(both('Octets du PNG en base64 strict', 'PNG bytes in strict base64'), { min: 1, max: MAX_IMAGE_BASE64, pattern: BASE64 }),
        },
        ['mediaType', 'data'],
      ),
      strokes: {
        type: 'array',
        description: both('Tracés, du posé au levé du stylet', 'Strokes, pen down to pen up'),
        minItems: 1,
        maxItems: MAX_STROKES,
        items: object(
          both('Tracé', 'Stroke'),
          both('Type de pointeur et points', 'Pointer type and points'),
          {
            pointerType: { enum: ['pen', 'touch', 'mouse'], description: both('PointerEvent.pointerType', 'PointerEvent.pointerType') },
            points: {
              type: 'array',
              description: both('Points [x, y, t] ou [x, y, t, pression]', 'Points [x, y, t] or [x, y, t, pressure]'),
              minItems: 1,
              maxItems: MAX_STROKE_POINTS,
              items: {
                description: both(
                  "x et y en pixels de l'image, t en millisecondes depuis le premier point de la capture (jamais décroissant), pression dans [0, 1]",
                  'x and y in image pixels, t in milliseconds since the first point of the capture (never decreasing), pressure in [0, 1]',
                ),
                anyOf: [
                  { type: 'array', prefixItems: [X, Y, T], items: false, minItems: 3, maxItems: 3 },
                  { type: 'array', prefixItems: [X, Y, T, PRESSURE], items: false, minItems: 4, maxItems: 4 },
                ],
              },
            },
          },
          ['pointerType', 'points'],
        ),
      },
    },
    ['type', 'version', 'context', 'capturedAt', 'image'],
  ),
});
