import { z } from 'zod';
import { lotIdSchema } from '../lot/lot-id.js';
import type { LocalizedText, Locale } from '@s3404/core';
import { ScorError } from '../errors/scor-error.js';
import { describeSchemaIssue } from '../internal/describe.js';

/**
 * A logical acknowledgement (ARL) from the Assurance Maladie (SCOR-3): of
 * the B2 invoice lot (`b2`: the SCOR lot may then be sent) or of the SCOR
 * lot of PJ (`pj`: positive = acquired and conform; negative = to be sent
 * again). The ARL PJ message and its codes are in the GIE SESAM-Vitale
 * specifications, which are not public: an {@link ArlParser} turns
 * the vendor's message into this model.
 *
 * @public
 */
export interface Arl {
  readonly kind: 'b2' | 'pj';
  /** FINESS of the establishment. */
  readonly finess: string;
  /** Number of the B2 lot the ARL concerns (for `pj`: the B2 lot the SCOR lot accompanies). */
  readonly b2LotNumber: string;
  /** The SCOR lot, when the ARL PJ names it (otherwise the lot of that FINESS and B2 lot that was sent). */
  readonly lotId?: string;
  readonly positive: boolean;
  /** When the ARL was received, ISO 8601 UTC. */
  readonly receivedAt: string;
  /** The ARL's own code, kept as is. */
  readonly code?: string;
  /** Its reason text (for a negative ARL). */
  readonly reason?: string;
  /** Its reference (message id). */
  readonly reference?: string;
}

/** Reads one ARL message (SCOR-3, X-4). @public */
export interface ArlParser {
  readonly id: string;
  /** @throws {@link ScorError} `ERR_ARL_INVALID` (kind `input`), its message in `options.locale` (default French). */
  parse(message: Uint8Array, options?: { readonly locale?: Locale }): Arl;
}

/** The `format` of the SDK's JSON ARL (SCOR-3). @public */
export const ARL_JSON_FORMAT = 's3404-arl-json/1';

const iso = z.iso.datetime({ offset: true });
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/);

/** The SDK's JSON form of an ARL, for development and tests (SCOR-3), documented in `docs/scor.md`. @public */
export const ArlJsonSchema = z.strictObject({
  format: z.literal(ARL_JSON_FORMAT),
  kind: z.enum(['b2', 'pj']),
  finess: z.string().regex(/^[0-9AB]{9}$/),
  b2LotNumber: z.string().regex(/^[0-9]{1,9}$/),
  lotId: lotIdSchema.optional(),
  status: z.enum(['positive', 'negative']),
  receivedAt: iso,
  code: text(64).optional(),
  reason: text(500).optional(),
  reference: text(128).optional(),
});

const MAX_ARL_BYTES = 64 * 1024;

/**
 * The ARL parser of the SDK's own JSON form (SCOR-3): UTF-8 JSON, at most
 * 64 KiB, validated field by field.
 *
 * `import { jsonArlParser } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const arl = jsonArlParser.parse(new TextEncoder().encode(JSON.stringify({
 *   format: 's3404-arl-json/1', kind: 'b2', finess: '750300360', b2LotNumber: '042', status: 'positive', receivedAt: '2026-03-02T10:00:00Z' })))
 * await lots.recordArl(arl)
 * ```
 * @public
 */
export const jsonArlParser: ArlParser = Object.freeze({
  id: ARL_JSON_FORMAT,
  parse(message: Uint8Array, options: { readonly locale?: Locale } = {}): Arl {
    if (!(message instanceof Uint8Array)) throw new TypeError('jsonArlParser.parse: expected bytes');
    const locale = options.locale;
    const invalid = (detail: LocalizedText | string, cause?: unknown): ScorError =>
      new ScorError('ERR_ARL_INVALID', {
        params: { detail: typeof detail === 'string' ? detail.slice(0, 200) : { fr: detail.fr.slice(0, 200), en: detail.en.slice(0, 200) } },
        locale,
        cause,
      });
    if (message.length > MAX_ARL_BYTES) throw invalid({ fr: `plus de ${MAX_ARL_BYTES} octets`, en: `more than ${MAX_ARL_BYTES} bytes` });
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message));
    } catch (e) {
      throw invalid(e instanceof Error ? e.message : 'JSON', e);
    }
    const r = ArlJsonSchema.safeParse(json);
    if (!r.success) throw invalid(describeSchemaIssue(r.error.issues[0]!));
    const a = r.data;
    return {
      kind: a.kind,
      finess: a.finess,
      b2LotNumber: a.b2LotNumber,
      ...(a.lotId === undefined ? {} : { lotId: a.lotId }),
      positive: a.status === 'positive',
      receivedAt: new Date(a.receivedAt).toISOString(),
      ...(a.code === undefined ? {} : { code: a.code }),
      ...(a.reason === undefined ? {} : { reason: a.reason }),
      ...(a.reference === undefined ? {} : { reference: a.reference }),
    };
  },
});
