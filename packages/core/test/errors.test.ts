import { describe, expect, it } from 'vitest';
import {
  CORE_ERRORS,
  CoreError,
  DEFAULT_LOCALE,
  ERROR_KINDS,
  S3404Error,
  defineErrors,
  formatPath,
  isS3404Error,
  resolveLocale,
  truncateForMessage,
  visibleText,
} from '@s3404/core';

const DEMO = defineErrors({
  ERR_DEMO_FIXED: { kind: 'verdict', fr: 'Refusé.', en: 'Refused.' },
  ERR_DEMO_PARAMS: { kind: 'input', fr: (p) => `Attendu ${p.expected} ; reçu ${p.received}.`, en: (p) => `Expected ${p.expected}; received ${p.received}.` },
});

describe('resolveLocale: the one fallback rule', () => {
  it('gives English for en and its regional or POSIX forms, French for anything else', () => {
    for (const en of ['en', 'EN', 'en-GB', 'en_US.UTF-8', 'en@euro']) expect(resolveLocale(en)).toBe('en');
    for (const fr of [undefined, null, '', 'fr', 'fr-CA', 'de', 'english', 'eng', 42, {}, 'enx']) expect(resolveLocale(fr)).toBe('fr');
    expect(DEFAULT_LOCALE).toBe('fr');
  });
});

describe('defineErrors', () => {
  it('gives each code its message in both languages, French for an unknown locale, and its kind', () => {
    expect(DEMO.codes).toEqual(['ERR_DEMO_FIXED', 'ERR_DEMO_PARAMS']);
    expect(DEMO.message('ERR_DEMO_FIXED')).toBe('Refusé.');
    expect(DEMO.message('ERR_DEMO_FIXED', {}, 'en')).toBe('Refused.');
    expect(DEMO.message('ERR_DEMO_FIXED', {}, 'de')).toBe('Refusé.');
    expect(DEMO.message('ERR_DEMO_PARAMS', { expected: 3, received: 4 }, 'en-GB')).toBe('Expected 3; received 4.');
    expect(DEMO.kind('ERR_DEMO_PARAMS')).toBe('input');
    expect(DEMO.has('ERR_DEMO_FIXED')).toBe(true);
    expect(DEMO.has('ERR_OTHER')).toBe(false);
    expect(DEMO.has('toString')).toBe(false);
  });

  it('resolves LocalizedText parameters to the message language, so no French reaches English', () => {
    const p = { expected: { fr: 'un texte', en: 'a string' }, received: 12 };
    expect(DEMO.message('ERR_DEMO_PARAMS', p, 'fr')).toBe('Attendu un texte ; reçu 12.');
    expect(DEMO.message('ERR_DEMO_PARAMS', p, 'en')).toBe('Expected a string; received 12.');
  });

  it('returns the code itself for an unknown code, and kind internal', () => {
    const any = DEMO as unknown as { message(c: string): string; kind(c: string): string };
    expect(any.message('ERR_NOPE')).toBe('ERR_NOPE');
    expect(any.kind('ERR_NOPE')).toBe('internal');
  });

  it('refuses malformed definitions when the module loads', () => {
    expect(() => defineErrors({ BAD: { kind: 'input', fr: 'a', en: 'b' } })).toThrow(TypeError);
    expect(() => defineErrors({ ERR_X: { kind: 'oops' as 'input', fr: 'a', en: 'b' } })).toThrow(TypeError);
    expect(() => defineErrors({ ERR_X: { kind: 'input', fr: 'a', en: '' } })).toThrow(TypeError);
    expect(() => defineErrors({ ERR_X: { kind: 'input', fr: undefined as unknown as string, en: 'b' } })).toThrow(TypeError);
  });

  it('composes: a catalogue may include another one’s definitions', () => {
    const both = defineErrors({ ...CORE_ERRORS.definitions, ...DEMO.definitions });
    expect(both.codes).toContain('ERR_CANONICAL_JSON');
    expect(both.codes).toContain('ERR_DEMO_FIXED');
    expect(both.definitions.ERR_CANONICAL_JSON).toBe(CORE_ERRORS.definitions.ERR_CANONICAL_JSON);
  });
});

describe('S3404Error', () => {
  class DemoError extends S3404Error<(typeof DEMO.codes)[number]> {
    constructor(code: (typeof DEMO.codes)[number], options = {}) {
      super(DEMO, code, options);
    }
  }

  it('carries its code, kind, params, issues and cause, and its message in either language', () => {
    const cause = new Error('driver');
    const e = new DemoError('ERR_DEMO_PARAMS', { params: { expected: { fr: 'un texte', en: 'a string' }, received: 1 }, locale: 'en', cause });
    expect(e).toBeInstanceOf(S3404Error);
    expect(e.name).toBe('DemoError');
    expect(e.code).toBe('ERR_DEMO_PARAMS');
    expect(e.kind).toBe('input');
    expect(e.message).toBe('Expected a string; received 1.');
    expect(e.messageIn('fr')).toBe('Attendu un texte ; reçu 1.');
    expect(e.cause).toBe(cause);
    expect(e.issues).toEqual([]);
    expect(isS3404Error(e)).toBe(true);
  });

  it('is recognised by shape across copies, not by class', () => {
    const foreign = Object.assign(new Error('x'), { code: 'ERR_X', kind: 'verdict' });
    expect(isS3404Error(foreign)).toBe(true);
    expect(isS3404Error(Object.assign(new Error('x'), { code: 'ENOENT', kind: 'input' }))).toBe(false);
    expect(isS3404Error({ code: 'ERR_X', kind: 'input' })).toBe(false);
    expect(isS3404Error(new TypeError('x'))).toBe(false);
  });

  it('core codes have both messages and a kind', () => {
    for (const code of CORE_ERRORS.codes) {
      const e = new CoreError(code, { params: { path: 'x', detail: 'y', received: 1, limit: 2, expected: 3, example: 'z' } });
      expect(ERROR_KINDS).toContain(e.kind);
      expect(e.message).not.toBe(code);
      expect(e.messageIn('en')).not.toBe(e.message);
    }
  });
});

describe('formatPath and truncateForMessage', () => {
  it('format a path the same way everywhere', () => {
    expect(formatPath(['fees', 2, 'practitioner', 'rpps'])).toBe('fees[2].practitioner.rpps');
    expect(formatPath([])).toBe('(racine)');
    expect(formatPath([], 'en')).toBe('(root)');
  });

  it('keep received values short, printable and language-neutral', () => {
    expect(truncateForMessage('x'.repeat(10_000_000)).length).toBe(40);
    expect(truncateForMessage([1, 2, 3])).toBe('Array(3)');
    expect(truncateForMessage({ a: 1 })).toBe('object');
    expect(truncateForMessage('a\u0085b')).toBe('"a\uFFFDb"');
    expect(truncateForMessage(undefined)).toBe('undefined');
    expect(truncateForMessage(12n)).toBe('12');
  });
});

describe('messages never carry a control character of their parameters (X-2)', () => {
  const hostile = 'L1\u001b[2J\r\nERR_FORGED\u0000\u007f\u009b!';
  it('shows every C0, DEL and C1 character of a parameter as U+FFFD, in both languages and through an error', () => {
    expect(visibleText(hostile)).toBe('L1\uFFFD[2J\uFFFD\uFFFDERR_FORGED\uFFFD\uFFFD\uFFFD!');
    expect(visibleText('déjà vu — ✓ \u00a0😀')).toBe('déjà vu — ✓ \u00a0😀');
    for (const lang of ['fr', 'en'] as const) {
      const message = DEMO.message('ERR_DEMO_PARAMS', { expected: { fr: `a\nb`, en: `a\tb` }, received: hostile }, lang);
      expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(message).toContain(visibleText(hostile));
    }
    const e = new CoreError('ERR_FILE_UNREADABLE', { params: { path: '/tmp/\u001b]0;pwned\u0007x' } });
    expect(e.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    // The parameters themselves are kept as given, for the program.
    expect(e.params).toMatchObject({ path: '/tmp/\u001b]0;pwned\u0007x' });
  });

  it('shows half of a surrogate pair as U+FFFD, as text cut to a bound leaves one; whole pairs stay', () => {
    const emoji = '😀';
    const cut = `abc${emoji}`.slice(0, 4); // 'abc' and the high half
    expect(visibleText(cut)).toBe('abc\uFFFD');
    expect(visibleText(`\udc00x${emoji}\ud83d`)).toBe(`\uFFFDx${emoji}\uFFFD`);
    expect(visibleText(`${emoji}${emoji}`)).toBe(`${emoji}${emoji}`);
    // Same length: a text cut to its bound stays within it.
    for (const t of [cut, '\ud800\ud800\udc00', '\udc00\ud800']) {
      expect(visibleText(t)).toHaveLength(t.length);
      // encodeURIComponent throws URIError on half of a pair.
      expect(() => encodeURIComponent(visibleText(t))).not.toThrow();
    }
    // A jsonb column, PostgreSQL's text and a UTF-8 encoder take the result as it is.
    expect(new TextDecoder().decode(new TextEncoder().encode(visibleText(cut)))).toBe('abc\uFFFD');
  });
});
