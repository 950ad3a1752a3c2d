import {
  both,
  contextSchema,
  deepFreeze,
  header,
  integer,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_SIDE,
  MAX_STROKE_POINTS,
  MAX_STROKES,
  MIN_IMAGE_SIDE,
  object,
  type JsonSchema,
} from './schema-parts.js';
import { WIRE_MESSAGE_TYPES } from './wire-version.js';

const side = (fr: string, en: string): JsonSchema => integer(both(fr, en), MIN_IMAGE_SIDE, MAX_IMAGE_SIDE);

/**
 * JSON Schema (2020-12) of the {@link ContextMessage} the server sends to the
 * signing tablet (SIG-1): every object closed (`additionalProperties: false`),
 * every string and array bounded as `@s3404/seal` bounds them. Frozen.
 *
 * `import { CONTEXT_MESSAGE_SCHEMA } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * import { Ajv2020 } from 'ajv/dist/2020.js'
 * const valid = new Ajv2020({ strict: true }).compile(CONTEXT_MESSAGE_SCHEMA)
 * if (!valid(message)) throw new Error('not a capture context')
 * ```
 * @public
 */
export const CONTEXT_MESSAGE_SCHEMA: JsonSchema = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:s3404:wire:1:capture-context',
  ...object(
    both('Contexte de capture envoyé à la tablette de signature (s3404, format 1)', 'Capture context sent to the signing tablet (s3404, format 1)'),
    both(
      "Le serveur l'envoie au poste de signature : le contexte à afficher et à renvoyer tel quel, la taille du PNG à produire, les limites que le serveur applique et la langue de l'écran (SIG-1)",
      'The server sends it to the signing terminal: the context to show and to echo unchanged, the size of the PNG to produce, the limits the server applies and the language of the screen (SIG-1)',
    ),
    {
      ...header(WIRE_MESSAGE_TYPES.context),
      context: contextSchema(),
      image: object(
        both('Taille du PNG à produire', 'Size of the PNG to produce'),
        both('En pixels', 'In pixels'),
        { width: side('Largeur', 'Width'), height: side('Hauteur', 'Height') },
        ['width', 'height'],
      ),
      limits: object(
        both('Limites appliquées par le serveur', 'Limits the server applies'),
        both('Une capture hors de ces limites est refusée', 'A capture beyond them is refused'),
        {
          maxImageBytes: integer(both('Taille maximale du PNG, en octets', 'Largest PNG, bytes'), 1, MAX_IMAGE_BYTES),
          minImageSide: side('Plus petit côté accepté, en pixels', 'Smallest side accepted, pixels'),
          maxImageSide: side('Plus grand côté accepté, en pixels', 'Largest side accepted, pixels'),
          maxPoints: integer(both('Nombre maximal de points, tous tracés confondus', 'Most points over all strokes'), 1, MAX_STROKES * MAX_STROKE_POINTS),
          maxCaptureMs: integer(both('Durée maximale de la capture, en millisecondes', 'Longest capture, milliseconds'), 1, 86_400_000),
        },
        ['maxImageBytes', 'minImageSide', 'maxImageSide', 'maxPoints', 'maxCaptureMs'],
      ),
      locale: { enum: ['fr', 'en'], description: both("Langue de l'écran", 'Language of the screen') },
    },
    ['type', 'version', 'context', 'image', 'limits', 'locale'],
  ),
});
