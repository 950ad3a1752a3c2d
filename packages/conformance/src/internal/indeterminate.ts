/** Thrown by a handler when the vector cannot be judged (missing area, fixture or input): `indeterminate`, never passed. */
export class Indeterminate extends Error {}

/** Reads a required field of a vector's input, or makes the vector indeterminate. */
export function field<T>(input: unknown, name: string, check: (v: unknown) => v is T): T {
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[name] : undefined;
  if (!check(value)) throw new Indeterminate(`input.${name} missing or of the wrong type`);
  return value;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
