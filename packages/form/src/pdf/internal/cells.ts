import { formatValue, kindOf } from './field-codec.js';

/** One model leaf shown on the form: its path, and its display text. */
export interface Cell {
  /** Dotted path from the bordereau root, e.g. `fees.2.amount`; `null` for static text. */
  readonly path: string | null;
  readonly text: string;
}

/** A cell for the leaf at `path`; empty text when the value is absent. */
export function leaf(path: string, value: unknown): Cell {
  return { path, text: value === undefined || value === null ? '' : formatValue(kindOf(path), value) };
}

/** Static text, not backed by a model leaf. */
export function fixed(text: string): Cell {
  return { path: null, text };
}
