import { CAPTURE_MESSAGE_SCHEMA, CONTEXT_MESSAGE_SCHEMA, ERROR_MESSAGE_SCHEMA } from '@s3404/core/wire';

/** An OpenAPI 3.1 document, as plain JSON data. @public */
export type OpenApiDocument = { readonly [member: string]: unknown };

const both = (fr: string, en: string): string => `${fr} / ${en}`;
const BORDEREAU_ID = '^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}-[0-9A-Z]$';
const SLOT = '^(insured|director|line:[1-9][0-9]{0,3})$';
const HASH = '^[0-9a-f]{64}$';
const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$';

const closed = (description: string, properties: Record<string, unknown>, required: readonly string[]): Record<string, unknown> => ({
  type: 'object',
  description,
  additionalProperties: false,
  properties,
  required: [...required],
});
const str = (description: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'string', description, ...extra });

/** The JSON Schemas of the service's own requests and answers (2020-12, the dialect of OpenAPI 3.1). */
const SCHEMAS = {
  ContextMessage: CONTEXT_MESSAGE_SCHEMA,
  CaptureMessage: CAPTURE_MESSAGE_SCHEMA,
  ErrorMessage: ERROR_MESSAGE_SCHEMA,
  Health: closed(
    both('État du service', 'Service health'),
    { status: { const: 'ok' }, version: str(both('Version de @s3404/cli', 'Version of @s3404/cli'), { maxLength: 64 }) },
    ['status', 'version'],
  ),
  EnrolmentRequest: closed(
    both(
      'Appairage d’un terminal : sa clé publique ECDSA P-256 et un code à usage unique',
      'Enrolment of a terminal: its ECDSA P-256 public key and a one-time code',
    ),
    {
      terminalId: str(both('Identifiant choisi pour le terminal', 'Identifier chosen for the terminal'), { pattern: '^[A-Za-z0-9._-]{1,64}$' }),
      publicKey: closed(
        both('Clé publique JWK (RFC 7517), sans partie privée', 'Public JWK (RFC 7517), no private part'),
        {
          kty: { const: 'EC' },
          crv: { const: 'P-256' },
          x: str('base64url', { pattern: '^[A-Za-z0-9_-]{43}$' }),
          y: str('base64url', { pattern: '^[A-Za-z0-9_-]{43}$' }),
          ext: { type: 'boolean' },
          key_ops: { type: 'array', maxItems: 4, items: { type: 'string', maxLength: 16 } },
        },
        ['kty', 'crv', 'x', 'y'],
      ),
      pairingCode: str(both('Code d’appairage affiché par le service (XXXX-XXXX-XXXX-XXXX)', 'Pairing code printed by the service (XXXX-XXXX-XXXX-XXXX)'), {
        maxLength: 64,
      }),
    },
    ['terminalId', 'publicKey', 'pairingCode'],
  ),
  Enrolment: closed(
    both('Terminal appairé', 'Enrolled terminal'),
    { terminalId: str(both('Identifiant du terminal', 'Terminal identifier')), enrolledAt: str('ISO 8601', { pattern: ISO }) },
    ['terminalId', 'enrolledAt'],
  ),
  BordereauList: closed(
    both('Bordereaux à signer', 'Bordereaux to sign'),
    {
      bordereaux: {
        type: 'array',
        items: closed(
          both('Un bordereau, son empreinte de contenu et ses emplacements', 'A bordereau, its content hash and its slots'),
          {
            id: str(both('Identifiant du bordereau', 'Bordereau identifier'), { pattern: BORDEREAU_ID }),
            contentHash: str(both('SHA-256 du contenu, imprimé sur chaque page', 'Content SHA-256, printed on every page'), { pattern: HASH }),
            complete: { type: 'boolean', description: both('Tous les emplacements sont signés', 'Every slot is signed') },
            slots: {
              type: 'array',
              items: closed(
                both('Emplacement de signature', 'Signature slot'),
                {
                  id: str('insured | director | line:N', { pattern: SLOT }),
                  role: { enum: ['insured', 'director', 'practitioner', 'delegate'] },
                  signerName: str(both('Nom du signataire', "Signer's name"), { maxLength: 200 }),
                  mandate: { type: 'boolean', description: both('Signé « pour mandat »', 'Signed under a mandate') },
                  signed: { type: 'boolean' },
                },
                ['id', 'role', 'signerName', 'mandate', 'signed'],
              ),
            },
            pdf: str(both('Chemin du PDF', 'Path of the PDF')),
          },
          ['id', 'contentHash', 'complete', 'slots', 'pdf'],
        ),
      },
    },
    ['bordereaux'],
  ),
  ContextRequest: closed(
    both('Ouvrir un contexte de capture pour un emplacement', 'Open a capture context for one slot'),
    {
      bordereauId: str(both('Identifiant du bordereau', 'Bordereau identifier'), { pattern: BORDEREAU_ID }),
      slot: str('insured | director | line:N', { pattern: SLOT }),
      signer: closed(
        both(
          'Signataire, quand ce n’est pas celui du bordereau (jugé par la politique, SIG-7)',
          "Signer, when not the bordereau's (judged by the policy, SIG-7)",
        ),
        { id: str('id', { maxLength: 128 }), name: str('name', { maxLength: 200 }), rpps: str('RPPS', { pattern: '^\\d{11}$' }) },
        ['id', 'name'],
      ),
    },
    ['bordereauId', 'slot'],
  ),
  Deposit: closed(
    both('Signature scellée et déposée, chiffrée, en attente d’usage', 'Signature sealed and deposited, encrypted, pending its use'),
    {
      recordId: str('UUID', { pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' }),
      handle: str(both('Poignée : seule copie de la clé de l’enregistrement en attente', "Handle: the only copy of the pending record's key"), {
        pattern: '^s3404-pending\\.1\\.',
      }),
      expiresAt: str('ISO 8601', { pattern: ISO }),
      bordereauId: { anyOf: [{ type: 'string', pattern: BORDEREAU_ID }, { type: 'null' }] },
      slot: str('insured | director | line:N', { pattern: SLOT }),
    },
    ['recordId', 'handle', 'expiresAt', 'bordereauId', 'slot'],
  ),
  ConsumeRequest: closed(
    both('Utiliser une signature en attente, une fois, sur son bordereau', 'Use a pending signature, once, on its bordereau'),
    {
      handle: str(both('Poignée renvoyée par POST /v1/captures', 'Handle answered by POST /v1/captures'), { maxLength: 512 }),
      bordereauId: str(
        both('Bordereau (obligatoire sur un autre processus que celui du dépôt)', 'Bordereau (required on another process than the deposit’s)'),
        {
          pattern: BORDEREAU_ID,
        },
      ),
      requestId: str(both('Clé d’idempotence : la même pour reprendre un usage interrompu', 'Idempotency key: the same one resumes an interrupted use'), {
        pattern: '^[\\x21-\\x7e]{1,255}$',
      }),
    },
    ['handle'],
  ),
  Consumed: {
    description: both('Signature apposée, ou déjà apposée par cette même demande', 'Signature applied, or already applied by this same request'),
    oneOf: [
      closed(
        both('Apposée par cet appel', 'Applied by this call'),
        {
          status: { const: 'applied' },
          recordId: str('UUID'),
          bordereauId: str('id', { pattern: BORDEREAU_ID }),
          slot: str('slot', { pattern: SLOT }),
          complete: { type: 'boolean' },
          missing: { type: 'array', items: str('slot', { pattern: SLOT }) },
          requestId: str('requestId'),
          pdf: str(both('Chemin du PDF signé', 'Path of the signed PDF')),
        },
        ['status', 'recordId', 'bordereauId', 'slot', 'complete', 'missing', 'requestId', 'pdf'],
      ),
      closed(
        both('Déjà apposée par cette même demande (requestId)', 'Already applied by this same request (requestId)'),
        {
          status: { const: 'already-consumed' },
          recordId: str('UUID'),
          bordereauId: str('id', { pattern: BORDEREAU_ID }),
          requestId: str('requestId'),
          pdf: str('path'),
        },
        ['status', 'recordId', 'bordereauId', 'requestId', 'pdf'],
      ),
    ],
  },
} as const;

const ref = (name: keyof typeof SCHEMAS): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const json = (name: keyof typeof SCHEMAS, description: string): Record<string, unknown> => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});
const errors = (...statuses: number[]): Record<string, unknown> =>
  Object.fromEntries(statuses.map((s) => [String(s), json('ErrorMessage', both('Erreur codée', 'Coded error'))]));
const TERMINAL = [{ terminalSignature: [] }];

/**
 * The OpenAPI 3.1 document of the reference signing service (SIG-1…SIG-7):
 * every path, its signed headers, its request and answer schemas, the wire
 * format's JSON Schemas (`ContextMessage`, `CaptureMessage`,
 * `ErrorMessage`) embedded as components. Served at `/openapi.json`.
 *
 * `import { signingServiceOpenApi } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const doc = signingServiceOpenApi({ version: '0.1.0' })
 * Object.keys(doc.paths) // ['/', '/tablet.js', '/openapi.json', '/healthz', '/v1/terminals', …]
 * ```
 * @public
 */
export function signingServiceOpenApi(options: { readonly version: string }): OpenApiDocument {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 's3404 — service de signature de référence / reference signing service',
      version: options.version,
      description: both(
        'Tablette de signature du bordereau S3404 : contexte de capture, capture, scellement, usage unique, PDF signé. Chaque requête d’un terminal est signée par sa clé ECDSA P-256 (en-têtes S3404-*), sur METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nSHA256HEX(CORPS).',
        'Signing tablet of the S3404 bordereau: capture context, capture, sealing, single use, signed PDF. Every request of a terminal is signed with its ECDSA P-256 key (S3404-* headers), over METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nSHA256HEX(BODY).',
      ),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        terminalSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'S3404-Signature',
          description: both(
            'ECDSA P-256 / SHA-256 (IEEE P1363, base64url) par la clé du terminal appairé, avec S3404-Terminal, S3404-Timestamp (ms Unix, ±60 s) et S3404-Nonce (≥ 128 bits, usage unique)',
            "ECDSA P-256 / SHA-256 (IEEE P1363, base64url) by the enrolled terminal's key, with S3404-Terminal, S3404-Timestamp (Unix ms, ±60 s) and S3404-Nonce (≥ 128 bits, single use)",
          ),
        },
      },
    },
    paths: {
      '/': {
        get: {
          operationId: 'tabletPage',
          summary: both('Page de la tablette de signature', 'Signing tablet page'),
          parameters: [{ name: 'lang', in: 'query', required: false, schema: { enum: ['fr', 'en'] } }],
          responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/tablet.js': {
        get: {
          operationId: 'tabletScript',
          summary: both('Script de la page (lot pour navigateur)', 'Script of the page (browser bundle)'),
          responses: { '200': { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } }, ...errors(503) },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: both('Ce document', 'This document'),
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/healthz': {
        get: { operationId: 'health', summary: both('État du service', 'Service health'), responses: { '200': json('Health', 'ok') } },
      },
      '/v1/terminals': {
        post: {
          operationId: 'enrolTerminal',
          summary: both('Appairer un terminal avec un code à usage unique', 'Enrol a terminal with a one-time code'),
          requestBody: { required: true, content: { 'application/json': { schema: ref('EnrolmentRequest') } } },
          responses: {
            '201': json('Enrolment', both('Appairé', 'Enrolled')),
            '200': json('Enrolment', both('Déjà appairé avec cette clé', 'Already enrolled with this key')),
            ...errors(400, 401, 408, 409, 413, 415, 500, 503),
          },
        },
      },
      '/v1/bordereaux': {
        get: {
          operationId: 'listBordereaux',
          summary: both('Bordereaux et emplacements signés', 'Bordereaux and signed slots'),
          security: TERMINAL,
          responses: { '200': json('BordereauList', both('Liste', 'List')), ...errors(401, 500, 503) },
        },
      },
      '/v1/bordereaux/{id}/pdf': {
        get: {
          operationId: 'bordereauPdf',
          summary: both('PDF du bordereau, avec ses signatures', 'PDF of the bordereau, with its signatures'),
          security: TERMINAL,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: BORDEREAU_ID } }],
          responses: {
            '200': { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } } },
            ...errors(400, 401, 404, 500, 503),
          },
        },
      },
      '/v1/contexts': {
        post: {
          operationId: 'openContext',
          summary: both('Ouvrir un contexte de capture (SIG-1, SIG-7)', 'Open a capture context (SIG-1, SIG-7)'),
          security: TERMINAL,
          requestBody: { required: true, content: { 'application/json': { schema: ref('ContextRequest') } } },
          responses: {
            '201': json('ContextMessage', both('Contexte à afficher', 'Context to show')),
            ...errors(400, 401, 403, 404, 408, 409, 413, 415, 422, 500, 503),
          },
        },
      },
      '/v1/captures': {
        post: {
          operationId: 'postCapture',
          summary: both(
            'Envoyer une capture : scellée et déposée chiffrée (SIG-2, SIG-3, SIG-6)',
            'Send a capture: sealed and deposited encrypted (SIG-2, SIG-3, SIG-6)',
          ),
          security: TERMINAL,
          requestBody: { required: true, content: { 'application/json': { schema: ref('CaptureMessage') } } },
          responses: {
            '201': json('Deposit', both('Scellée, en attente', 'Sealed, pending')),
            ...errors(400, 401, 403, 408, 409, 413, 415, 422, 500, 503),
          },
        },
      },
      '/v1/records/consume': {
        post: {
          operationId: 'consumeRecord',
          summary: both(
            'Utiliser une signature une fois et l’apposer sur le PDF (SIG-4, SIG-5, FORM-6)',
            'Use a signature once and apply it to the PDF (SIG-4, SIG-5, FORM-6)',
          ),
          security: TERMINAL,
          requestBody: { required: true, content: { 'application/json': { schema: ref('ConsumeRequest') } } },
          responses: {
            '200': json('Consumed', both('Apposée', 'Applied')),
            ...errors(400, 401, 404, 408, 409, 413, 415, 422, 500, 503),
          },
        },
      },
    },
  };
}
