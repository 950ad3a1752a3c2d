import { CoreError } from './errors/core-error.js';
import type { LocalizedText } from './errors/define-errors.js';

/**
 * Serialises a JSON value canonically (RFC 8785, JSON Canonicalization
 * Scheme): object keys sorted by UTF-16 code units, no white space, numbers
 * in their shortest ECMAScript form. The same data always gives the same
 * bytes, so hashes and signatures over it are stable (FORM-3, FORM-7, SIG-3,
 * AUD-2).
 *
 * `import { canonicalJson } from '@s3404/core'`
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 * ```
 * @throws {@link CoreError} `ERR_CANONICAL_JSON` for values JSON cannot hold
 * (non-finite numbers, lone surrogates, functions, bigint, cycles).
 * @public
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, new Set());
  return out.join('');
}

function fail(detail: LocalizedText | string): never {
  throw new CoreError('ERR_CANONICAL_JSON', { params: { detail } });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function writeString(s: string, out: string[]): void {
  if (LONE_SURROGATE.test(s)) fail({ fr: 'chaîne avec un demi-caractère UTF-16 isolé', en: 'string with a lone UTF-16 surrogate' });
  out.push(JSON.stringify(s));
}

function write(value: unknown, out: string[], seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
      writeString(value, out);
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(String(value));
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object': {
      if (value === null) {
        out.push('null');
        return;
      }
      if (seen.has(value)) fail({ fr: 'référence circulaire', en: 'circular reference' });
      seen.add(value);
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item, i) => {
          if (i > 0) out.push(',');
          write(item === undefined ? null : item, out, seen);
        });
        out.push(']');
      } else {
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort();
        out.push('{');
        keys.forEach((k, i) => {
          if (i > 0) out.push(',');
          writeString(k, out);
          out.push(':');
          write(record[k], out, seen);
        });
        out.push('}');
      }
      seen.delete(value);
      return;
    }
    default:
      fail(typeof value);
  }
}
