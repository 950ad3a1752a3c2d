/**
 * Writes `test-vectors/core/primitives.json` (X-1, X-3): the exact output of the core's
 * Web-standard primitives — canonical JSON (RFC 8785: shortest ECMAScript numbers, string
 * escapes, keys by UTF-16 code units), strict base64 / base64url (RFC 4648), hex and SHA-256 —
 * and their refusals (non-finite numbers, lone surrogates, non-canonical base64, bad hex).
 * The same expected bytes in Node, a browser, Deno and Bun are X-1's evidence.
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/core-primitives.ts
 *
 * Every expected value is written by hand below; the generator checks each byte codec against
 * Node's own `Buffer` and `node:crypto` (not the SDK) and stops on any disagreement, and adds the
 * SHA-256 of each canonical text from `node:crypto`. Byte-identical on every run.
 */
import { createHash } from 'node:crypto';
import { writeEnvelope, type Case } from './write-envelope.js';

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'Plain values and bytes, encoded as the standards say.' },
  NUMBER: { bugType: 'EDGE_CASE', description: 'Numbers in their shortest ECMAScript form: exponents, −0, the largest and smallest doubles, 2^53 + 1.' },
  ESCAPE: { bugType: 'EDGE_CASE', description: 'String escapes: control characters, quotes, backslash, DEL and U+2028 left as they are.' },
  ORDER: { bugType: 'EDGE_CASE', description: 'Object keys sorted by UTF-16 code units (not by code point, not by locale).' },
  NON_FINITE: { bugType: 'MALFORMED_INPUT', description: 'A number JSON text parses to ±Infinity: no JSON can hold it.' },
  SURROGATE: { bugType: 'MALFORMED_INPUT', description: 'A lone UTF-16 surrogate in a string or a key: not Unicode text.' },
  WRONG_OUTPUT: { bugType: 'EDGE_CASE', description: 'An output a plausible but wrong implementation gives; the SDK must not give it.' },
  NOT_STRICT: {
    bugType: 'MALFORMED_INPUT',
    description: 'A text a lax decoder accepts: missing or extra padding, white space, the other alphabet, non-zero unused bits, odd or non-hex digits.',
  },
} as const;
type Flag = keyof typeof NOTES;

const R = ['X-1'];
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function canon(comment: string, flags: Flag[], json: string, canonical: string): Case {
  return { type: 'canonical-json', comment, requirements: R, flags, input: { json }, result: 'valid', expected: { canonical, sha256: sha(canonical) } };
}
function notCanon(comment: string, flags: Flag[], json: string, wrong?: string): Case {
  return {
    type: 'canonical-json',
    comment,
    requirements: R,
    flags,
    input: { json },
    result: 'invalid',
    expected: wrong === undefined ? { code: 'ERR_CANONICAL_JSON' } : { canonical: wrong },
  };
}

/** Node's own answer for an encoder, to check the hand-written one. */
function nodeEncode(op: string, hex: string): string {
  const b = Buffer.from(hex, 'hex');
  if (op === 'toBase64') return b.toString('base64');
  if (op === 'toBase64url') return b.toString('base64url');
  if (op === 'toHex') return b.toString('hex');
  return createHash('sha256').update(b).digest('hex');
}
function encode(comment: string, flags: Flag[], op: string, hex: string, output: string): Case {
  if (nodeEncode(op, hex) !== output) throw new Error(`generator: ${op}(${hex}) is ${nodeEncode(op, hex)} for Node, ${output} in the table`);
  return { type: 'bytes-codec', comment, requirements: R, flags, input: { op, hex }, result: 'valid', expected: { output } };
}
function decode(comment: string, flags: Flag[], op: string, text: string, output?: string): Case {
  if (output !== undefined) {
    const node = Buffer.from(text, op === 'fromHex' ? 'hex' : op === 'fromBase64' ? 'base64' : 'base64url').toString('hex');
    if (node !== output) throw new Error(`generator: ${op}(${text}) is ${node} for Node, ${output} in the table`);
  }
  return {
    type: 'bytes-codec',
    comment,
    requirements: R,
    flags,
    input: { op, text },
    ...(output === undefined ? { result: 'invalid' } : { result: 'valid', expected: { output } }),
  };
}

const cases: Case[] = [
  canon(
    'Nested objects and arrays, white space removed, keys sorted at every depth.',
    ['BASIC'],
    ' { "b" : [1, {"z": null, "a": true}], "a": "x" } ',
    '{"a":"x","b":[1,{"a":true,"z":null}]}',
  ),
  canon('Empty object, empty array, empty string, false.', ['BASIC'], '{"o":{},"l":[],"s":"","f":false}', '{"f":false,"l":[],"o":{},"s":""}'),
  canon('Numbers: 1.0 → 1, 4.50 → 4.5, 2e-3 → 0.002, 123e-20 → 1.23e-18.', ['NUMBER'], '[1.0,4.50,2e-3,123e-20]', '[1,4.5,0.002,1.23e-18]'),
  canon(
    'Numbers: 1e20 written out, 1e21 in exponent form, 1e-6 written out, 1e-7 in exponent form.',
    ['NUMBER'],
    '[1e20,1e21,0.000001,1e-7]',
    '[100000000000000000000,1e+21,0.000001,1e-7]',
  ),
  canon('Numbers: −0 → 0, the largest double, the smallest subnormal.', ['NUMBER'], '[-0,1.7976931348623157e308,5e-324]', '[0,1.7976931348623157e+308,5e-324]'),
  canon(
    'Numbers: 2^53 + 1 is read as 2^53; 333333333.33333329 shortest form.',
    ['NUMBER'],
    '[9007199254740993,333333333.33333329,-1.5]',
    '[9007199254740992,333333333.3333333,-1.5]',
  ),
  canon(
    'Escapes: NUL and U+001F as \\u00XX, \\b \\f \\n \\r \\t, quote and backslash; "/" DEL, é and U+2028 as they are.',
    ['ESCAPE'],
    '"\\u0000\\u001f\\b\\f\\n\\r\\t\\"\\\\\\/\\u007f\\u00e9\\u2028"',
    '"\\u0000\\u001f\\b\\f\\n\\r\\t\\"\\\\/\u007fé\u2028"',
  ),
  canon('A pair of surrogates (😀) is text: kept as is.', ['ESCAPE'], '"\\ud83d\\ude00"', '"😀"'),
  canon(
    'Keys by UTF-16 code units: B < a < é < 😀 (0xD83D) < ﬁ (0xFB01).',
    ['ORDER'],
    '{"\\ufb01":1,"\\ud83d\\ude00":2,"a":3,"B":4,"\\u00e9":5}',
    '{"B":4,"a":3,"é":5,"😀":2,"ﬁ":1}',
  ),
  canon('Keys that share a prefix: the shorter first; digits before letters.', ['ORDER'], '{"ab":1,"a":2,"a1":3,"1":4}', '{"1":4,"a":2,"a1":3,"ab":1}'),
  notCanon(
    'Keys by code point would put ﬁ (U+FB01) before 😀 (U+1F600): wrong.',
    ['ORDER', 'WRONG_OUTPUT'],
    '{"\\ufb01":1,"\\ud83d\\ude00":2}',
    '{"ﬁ":1,"😀":2}',
  ),
  notCanon('Keys kept in insertion order: wrong.', ['ORDER', 'WRONG_OUTPUT'], '{"b":1,"a":2}', '{"b":1,"a":2}'),
  notCanon('1e21 written out in full: wrong.', ['NUMBER', 'WRONG_OUTPUT'], '[1e21]', '[1000000000000000000000]'),
  notCanon('−0 kept as -0: wrong.', ['NUMBER', 'WRONG_OUTPUT'], '[-0]', '[-0]'),
  notCanon('1.0 kept as 1.0: wrong.', ['NUMBER', 'WRONG_OUTPUT'], '[1.0]', '[1.0]'),
  notCanon('é escaped as \\u00e9: wrong (only control characters, quote and backslash are escaped).', ['ESCAPE', 'WRONG_OUTPUT'], '"\\u00e9"', '"\\u00e9"'),
  notCanon('1e400 parses to Infinity: refused.', ['NON_FINITE'], '{"a":1e400}'),
  notCanon('-1e400 parses to −Infinity: refused.', ['NON_FINITE'], '[-1e400]'),
  notCanon('A lone high surrogate in a string: refused.', ['SURROGATE'], '"\\ud800"'),
  notCanon('A lone low surrogate in a key: refused.', ['SURROGATE'], '{"\\udc00":1}'),
  notCanon('Surrogates in the wrong order: refused.', ['SURROGATE'], '["\\ude00\\ud83d"]'),
  encode('Base64 of "foobar".', ['BASIC'], 'toBase64', '666f6f626172', 'Zm9vYmFy'),
  encode('Base64 of one byte: two = of padding.', ['BASIC'], 'toBase64', '00', 'AA=='),
  encode('Base64 of FB FF: the + and / of the standard alphabet, one =.', ['BASIC'], 'toBase64', 'fbff', '+/8='),
  encode('Base64url of FB FF: - and _, no padding.', ['BASIC'], 'toBase64url', 'fbff', '-_8'),
  encode('Hex: lowercase.', ['BASIC'], 'toHex', '00ff10ab', '00ff10ab'),
  encode('SHA-256 of the empty string.', ['BASIC'], 'sha256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
  encode('SHA-256 of "abc" (FIPS 180-2).', ['BASIC'], 'sha256', '616263', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
  decode('Base64 "Zm9vYg==" → "foob".', ['BASIC'], 'fromBase64', 'Zm9vYg==', '666f6f62'),
  decode('Base64url "-_8" → FB FF.', ['BASIC'], 'fromBase64url', '-_8', 'fbff'),
  decode('Hex in capitals is read.', ['BASIC'], 'fromHex', '00FF10AB', '00ff10ab'),
  decode('Base64 without its padding.', ['NOT_STRICT'], 'fromBase64', 'Zm9vYg'),
  decode('Base64 with one = too few.', ['NOT_STRICT'], 'fromBase64', 'Zm9vYg='),
  decode('Base64 with a space.', ['NOT_STRICT'], 'fromBase64', 'Zm9v Yg=='),
  decode('Base64 with a line break.', ['NOT_STRICT'], 'fromBase64', 'Zm9v\nYg=='),
  decode('Base64 in the URL alphabet.', ['NOT_STRICT'], 'fromBase64', '-_8='),
  decode('Base64 with non-zero unused bits (UzM0MDR= for "S3404").', ['NOT_STRICT'], 'fromBase64', 'UzM0MDR='),
  decode('Base64 with = in the middle.', ['NOT_STRICT'], 'fromBase64', 'Zm=vYg=='),
  decode('Base64url with padding.', ['NOT_STRICT'], 'fromBase64url', '-_8='),
  decode('Base64url in the standard alphabet.', ['NOT_STRICT'], 'fromBase64url', '+/8'),
  decode('Base64url of a length no byte string has (4n + 1).', ['NOT_STRICT'], 'fromBase64url', 'Zm9vY'),
  decode('Hex with an odd number of digits.', ['NOT_STRICT'], 'fromHex', 'abc'),
  decode('Hex with a non-hex digit.', ['NOT_STRICT'], 'fromHex', '0g'),
  decode('Hex with a 0x prefix.', ['NOT_STRICT'], 'fromHex', '0x00ff'),
  decode('Hex with a full-width digit (U+FF10).', ['NOT_STRICT'], 'fromHex', '０0'),
];

writeEnvelope({
  path: 'core/primitives.json',
  area: 'core',
  title: 'Runtime-neutral core primitives: canonical JSON, base64, hex, SHA-256 (X-1)',
  generator: 'packages/conformance/generate/core-primitives.ts',
  notes: NOTES,
  groups: [
    {
      type: 'canonical-json',
      comment:
        'canonicalJson of the value the runtime parses from `input.json`: valid gives `expected.canonical` and the SHA-256 of its UTF-8 bytes `expected.sha256`; invalid is refused with `expected.code`, or must not give `expected.canonical`.',
    },
    {
      type: 'bytes-codec',
      comment:
        'One byte codec `input.op`: an encoder of the bytes `input.hex` gives `expected.output`; a decoder of `input.text` gives bytes of hex `expected.output`, or refuses a text not strictly its encoding.',
    },
  ],
  cases,
});
