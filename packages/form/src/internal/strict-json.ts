import type { LocalizedText } from '@s3404/core';

/** Deepest nesting of objects and arrays a JSON input may have. */
export const MAX_JSON_DEPTH = 512;

/**
 * What the strict scan of a JSON text found wrong: a syntax error, or a key
 * repeated in one object (which `JSON.parse` would silently resolve by
 * keeping the last). `line` and `column` count from 1; a column counts
 * characters (code points) from the start of its line.
 */
export type JsonProblem =
  | { readonly kind: 'syntax'; readonly line: number; readonly column: number; readonly detail: LocalizedText }
  | {
      readonly kind: 'duplicate';
      readonly line: number;
      readonly column: number;
      readonly key: string;
      /** Where the repeated key sits, the key included. */
      readonly path: readonly (string | number)[];
    };

interface Frame {
  readonly array: boolean;
  /** Keys seen so far (objects). */
  readonly keys: Set<string>;
  /** Current key (objects) or index (arrays), for paths. */
  at: string | number;
}

enum State {
  /** A value is expected. */
  Value,
  /** Just after `[`: a value or `]`. */
  ValueOrEnd,
  /** Just after `{`: a key or `}`. */
  KeyOrEnd,
  /** After `,` in an object: a key. */
  Key,
  /** After a value: `,`, the closing bracket, or the end of the text. */
  After,
}

/** How a character is shown in a message: `« x »` / `"x"`, with its code point when it is invisible. */
function shown(ch: string): LocalizedText {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xfeff || (cp >= 0x2000 && cp <= 0x206f)) {
    const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    return { fr: hex, en: hex };
  }
  return { fr: `« ${ch} »`, en: `"${ch}"` };
}

const join = (head: LocalizedText, tail: LocalizedText): LocalizedText => ({ fr: `${head.fr} ${tail.fr}`, en: `${head.en} ${tail.en}` });

/**
 * Scans a JSON text (RFC 8259, exactly what `JSON.parse` accepts) without
 * building its value, and reports the first syntax error or repeated key
 * with its line and column; `null` when the text is valid JSON without a
 * repeated key, so that `JSON.parse` then gives the value the text means.
 * Iterative: a deep nesting is refused at {@link MAX_JSON_DEPTH}, never a
 * stack overflow.
 */
export function scanJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const stack: Frame[] = [];
  let state: State = State.Value;
  /** The last token was a comma: a closing bracket now is a trailing comma. */
  let comma = false;

  const column = (at: number): number => {
    let c = 1;
    for (let k = lineStart; k < at; k++) {
      const u = text.charCodeAt(k);
      if (u < 0xdc00 || u > 0xdfff || k === lineStart || text.charCodeAt(k - 1) < 0xd800 || text.charCodeAt(k - 1) > 0xdbff) c++;
    }
    return c;
  };
  const syntax = (at: number, detail: LocalizedText): JsonProblem => ({ kind: 'syntax', line, column: column(at), detail });
  const unexpected = (at: number, expected: LocalizedText): JsonProblem => {
    const ch = String.fromCodePoint(text.codePointAt(at)!);
    if (ch === "'")
      return syntax(at, { fr: 'apostrophe : les textes JSON s’écrivent entre guillemets doubles', en: 'single quote: JSON strings use double quotes' });
    const s = shown(ch);
    return syntax(at, join({ fr: `caractère inattendu ${s.fr} :`, en: `unexpected character ${s.en}:` }, expected));
  };
  const path = (): (string | number)[] => stack.map((f) => f.at);

  /** Skips white space (space, tab, line feed, carriage return), counting lines. */
  const skip = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09) i++;
      else if (c === 0x0a) {
        if (i === 0 || text.charCodeAt(i - 1) !== 0x0d) line++;
        lineStart = ++i;
      } else if (c === 0x0d) {
        line++;
        lineStart = ++i;
      } else return;
    }
  };

  /** Scans a string from its opening quote; returns the index after the closing quote, or a problem. */
  const string = (): number | JsonProblem => {
    const start = i;
    let k = i + 1;
    for (;;) {
      if (k >= n) return syntax(start, { fr: 'texte entre guillemets jamais fermé', en: 'string never closed' });
      const c = text.charCodeAt(k);
      if (c === 0x22) return k + 1;
      if (c < 0x20) {
        const s = shown(text[k]!);
        return syntax(k, {
          fr: `caractère de contrôle ${s.fr} dans un texte entre guillemets : écrivez-le échappé (\\n, \\t, \\u00XX)`,
          en: `control character ${s.en} inside a string: escape it (\\n, \\t, \\u00XX)`,
        });
      }
      if (c === 0x5c) {
        const e = text[k + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(k + 2, k + 6))) {
            return syntax(k, { fr: 'échappement \\u sans 4 chiffres hexadécimaux', en: '\\u escape without 4 hexadecimal digits' });
          }
          k += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) k += 2;
        else {
          const s = e === undefined ? { fr: 'fin du texte', en: 'end of text' } : shown(String.fromCodePoint(text.codePointAt(k + 1)!));
          return syntax(k, { fr: `échappement inconnu \\ suivi de ${s.fr}`, en: `unknown escape: \\ followed by ${s.en}` });
        }
      } else k++;
    }
  };

  /** Scans a number (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`); returns the index after it, or a problem. */
  const number = (): number | JsonProblem => {
    let k = i;
    const digit = (at: number): boolean => {
      const c = text.charCodeAt(at);
      return c >= 0x30 && c <= 0x39;
    };
    const bad = (at: number): JsonProblem =>
      at >= n
        ? syntax(at, { fr: 'nombre incomplet en fin de texte', en: 'incomplete number at the end of the text' })
        : unexpected(at, { fr: 'chiffre attendu dans le nombre', en: 'a digit is expected in the number' });
    if (text[k] === '-') k++;
    if (!digit(k)) return bad(k);
    if (text[k] === '0') k++;
    else while (digit(k)) k++;
    if (text[k] === '.') {
      k++;
      if (!digit(k)) return bad(k);
      while (digit(k)) k++;
    }
    if (text[k] === 'e' || text[k] === 'E') {
      k++;
      if (text[k] === '+' || text[k] === '-') k++;
      if (!digit(k)) return bad(k);
      while (digit(k)) k++;
    }
    return k;
  };

  const VALUE_EXPECTED: LocalizedText = {
    fr: 'une valeur est attendue (texte entre guillemets, nombre, true, false, null, objet ou tableau)',
    en: 'a value is expected (string, number, true, false, null, object or array)',
  };

  for (;;) {
    skip();
    if (state === State.After) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (i >= n) return null;
        return unexpected(i, { fr: 'la valeur JSON est déjà complète', en: 'the JSON value is already complete' });
      }
      const close = top.array ? ']' : '}';
      if (i >= n) return syntax(i, { fr: `fin du texte avant le « ${close} » fermant`, en: `the text ends before the closing "${close}"` });
      const ch = text[i];
      if (ch === ',') {
        i++;
        comma = true;
        if (top.array) {
          top.at = (top.at as number) + 1;
          state = State.Value;
        } else state = State.Key;
      } else if (ch === close) {
        i++;
        stack.pop();
      } else {
        return unexpected(i, { fr: `« , » ou « ${close} » attendu`, en: `"," or "${close}" expected` });
      }
      continue;
    }
    if (state === State.ValueOrEnd && text[i] === ']') {
      i++;
      stack.pop();
      state = State.After;
      continue;
    }
    if (state === State.KeyOrEnd && text[i] === '}') {
      i++;
      stack.pop();
      state = State.After;
      continue;
    }
    if (state === State.Key || state === State.KeyOrEnd) {
      if (i >= n) return syntax(i, { fr: 'fin du texte avant le « } » fermant', en: 'the text ends before the closing "}"' });
      if (text[i] === '}' && comma) return syntax(i, { fr: 'virgule en trop avant « } »', en: 'extra comma before "}"' });
      comma = false;
      if (text[i] !== '"')
        return unexpected(i, { fr: 'un nom de champ entre guillemets doubles est attendu', en: 'a field name in double quotes is expected' });
      // The key's line is the current one (a key cannot span lines); its column is counted only
      // when it is reported: counting it for every key is quadratic on a one-line text.
      const keyStart = i;
      const end = string();
      if (typeof end !== 'number') return end;
      const raw = text.slice(i + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
      const frame = stack[stack.length - 1]!;
      frame.at = key;
      if (frame.keys.has(key)) return { kind: 'duplicate', line, column: column(keyStart), key, path: path() };
      frame.keys.add(key);
      i = end;
      skip();
      if (text[i] !== ':') {
        if (i >= n) return syntax(i, { fr: 'fin du texte : « : » attendu après le nom de champ', en: 'the text ends: ":" expected after the field name' });
        return unexpected(i, { fr: '« : » attendu après le nom de champ', en: '":" expected after the field name' });
      }
      i++;
      state = State.Value;
      continue;
    }
    // A value.
    if (i >= n) {
      return syntax(
        i,
        stack.length === 0 && text.trim() === ''
          ? { fr: 'texte vide', en: 'empty text' }
          : { fr: 'fin du texte : une valeur est attendue', en: 'the text ends: a value is expected' },
      );
    }
    const ch = text[i]!;
    if (ch !== ']' && ch !== '}') comma = false;
    if (ch === '{' || ch === '[') {
      if (stack.length >= maxDepth) {
        return syntax(i, {
          fr: `plus de ${maxDepth} niveaux d’objets et de tableaux imbriqués`,
          en: `more than ${maxDepth} levels of nested objects and arrays`,
        });
      }
      stack.push({ array: ch === '[', keys: new Set(), at: ch === '[' ? 0 : '' });
      i++;
      state = ch === '[' ? State.ValueOrEnd : State.KeyOrEnd;
      continue;
    }
    let end: number | JsonProblem;
    if (ch === '"') end = string();
    else if (ch === '-' || (ch >= '0' && ch <= '9')) end = number();
    else if (text.startsWith('true', i)) end = i + 4;
    else if (text.startsWith('false', i)) end = i + 5;
    else if (text.startsWith('null', i)) end = i + 4;
    else if ((ch === ']' || ch === '}') && comma) {
      return syntax(i, { fr: `virgule en trop avant « ${ch} »`, en: `extra comma before "${ch}"` });
    } else return unexpected(i, VALUE_EXPECTED);
    if (typeof end !== 'number') return end;
    i = end;
    state = State.After;
  }
}
