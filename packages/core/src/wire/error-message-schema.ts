import { both, deepFreeze, header, object, string, type JsonSchema } from './schema-parts.js';
import { WIRE_MESSAGE_TYPES } from './wire-version.js';

const CODE = '^ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$';

/**
 * JSON Schema (2020-12) of the {@link ErrorMessage} a server answers:
 * a stable `ERR_…` code, its kind, a message, the issues of a validation
 * (at most 100). Frozen.
 *
 * `import { ERROR_MESSAGE_SCHEMA } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * import { Ajv2020 } from 'ajv/dist/2020.js'
 * const isError = new Ajv2020({ strict: true }).compile(ERROR_MESSAGE_SCHEMA)
 * if (isError(body)) showMessage(body.message)
 * ```
 * @public
 */
export const ERROR_MESSAGE_SCHEMA: JsonSchema = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:s3404:wire:1:error',
  ...object(
    both('Erreur renvoyée par le serveur de signature (s3404, format 1)', 'Error answered by the signing server (s3404, format 1)'),
    both(
      'Code stable, nature (input, verdict : corriger ou recommencer ; unavailable : réessayer plus tard ; internal : signaler), message lisible et problèmes détaillés',
      'Stable code, kind (input, verdict: fix or capture again; unavailable: retry later; internal: report it), legible message and detailed issues',
    ),
    {
      ...header(WIRE_MESSAGE_TYPES.error),
      code: string(both('Code stable ERR_…', 'Stable ERR_… code'), { max: 64, pattern: CODE }),
      kind: { enum: ['input', 'verdict', 'unavailable', 'internal'], description: both("Nature de l'erreur", 'Kind of error') },
      message: string(both('Message lisible, dans la langue demandée', 'Legible message, in the language asked for'), { min: 1, max: 2000 }),
      issues: {
        type: 'array',
        description: both('Problèmes détaillés', 'Detailed issues'),
        maxItems: 100,
        items: object(
          both('Problème', 'Issue'),
          both('Code, chemin de la valeur fautive, message', 'Code, path of the offending value, message'),
          {
            code: string(both('Code stable ERR_…', 'Stable ERR_… code'), { max: 64, pattern: CODE }),
            path: {
              type: 'array',
              description: both('Clés et index depuis la racine du message', 'Keys and indexes from the root of the message'),
              maxItems: 64,
              items: {
                anyOf: [
                  { type: 'string', maxLength: 200 },
                  { type: 'integer', minimum: 0 },
                ],
              },
            },
            message: string(both('Message lisible', 'Legible message'), { min: 1, max: 2000 }),
          },
          ['code', 'path', 'message'],
        ),
      },
    },
    ['type', 'version', 'code', 'kind', 'message'],
  ),
});
