import { z } from 'zod';
import { BordereauSchema } from './model/bordereau.js';

/**
 * The JSON Schema (draft 2020-12) of a bordereau, generated from the zod
 * model, for vendors writing in other languages (FORM-1). The same schema is
 * shipped as `@s3404/form/schema.json`. Key checks (NIR, FINESS, RPPS, UCD
 * keys) and cross-field rules are not expressible in JSON Schema: run
 * `validateBordereau` (or `s3404 validate`) for the full verdict.
 *
 * `import { bordereauJsonSchema } from '@s3404/form'`
 *
 * @public
 */
export function bordereauJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(BordereauSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
}
