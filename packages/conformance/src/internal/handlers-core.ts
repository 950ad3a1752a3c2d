import { isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import type { ConformanceCoreSdk } from '../sdk-core.js';
import { field, Indeterminate, isString } from './indeterminate.js';
import { judgeValue, judgeVerdict } from './judge.js';

/** The SDK's core primitives, or the vector is indeterminate. */
function coreOf(sdk: { readonly core?: ConformanceCoreSdk }): ConformanceCoreSdk {
  if (sdk.core === undefined) throw new Indeterminate('the SDK under test provides no core primitives');
  return sdk.core;
}

/** Lowercase hex, written here so that the judge does not lean on the SDK under test. */
function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Bytes of the vector's own hex (`input.hex`), or the vector is indeterminate. */
function bytesOfHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Indeterminate('input.hex is not lowercase hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * the canonical JSON (RFC 8785) of the value the runtime parses from
 * `input.json` (JSON text, so that values such as `1e400` reach the SDK as
 * the runtime reads them). Valid: `expected.canonical`, and the SHA-256 of
 * its UTF-8 bytes `expected.sha256`; invalid: refused with its code, or
 * never the wrong `expected.canonical`.
 */
const canonical: VectorHandler = async (test, { sdk }) => {
  const core = coreOf(sdk);
  let value: unknown;
  try {
    value = JSON.parse(field(test.input, 'json', isString));
  } catch {
    throw new Indeterminate('input.json is not JSON text');
  }
  let text: string;
  try {
    text = core.canonicalJson(value);
  } catch (e) {
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
  if (test.result === 'invalid' && typeof test.expected?.['canonical'] !== 'string') return judgeVerdict(test, true, undefined);
  const answer = judgeValue(test, 'canonical', text, test.expected?.['canonical']);
  const sha256 = test.expected?.['sha256'];
  if (answer.outcome !== 'passed' || test.result === 'invalid' || typeof sha256 !== 'string') return answer;
  return judgeValue(test, 'sha256', hexOf(await core.sha256(new TextEncoder().encode(text))), sha256);
};

const ENCODERS = { toBase64: 'toBase64', toBase64url: 'toBase64url', toHex: 'toHex', sha256: 'sha256' } as const;
const DECODERS = { fromBase64: 'fromBase64', fromBase64url: 'fromBase64url', fromHex: 'fromHex' } as const;

/**
 * one byte codec. An encoder (`toBase64`, `toBase64url`, `toHex`,
 * `sha256`) of the bytes `input.hex` gives `expected.output`; a decoder
 * (`fromBase64`, `fromBase64url`, `fromHex`) of `input.text` gives the bytes
 * whose hex is `expected.output` (valid), or refuses the text (invalid).
 */
const codec: VectorHandler = async (test, { sdk }) => {
  const core = coreOf(sdk);
  const op = field(test.input, 'op', isString);
  if (op in ENCODERS) {
    const bytes = bytesOfHex(field(test.input, 'hex', isString));
    const name = ENCODERS[op as keyof typeof ENCODERS];
    const output = name === 'sha256' ? hexOf(await core.sha256(bytes)) : core[name](bytes);
    return judgeValue(test, 'output', output, test.expected?.['output']);
  }
  if (!(op in DECODERS)) throw new Indeterminate(`input.op: unknown ${op.slice(0, 20)}`);
  const decoded = core[DECODERS[op as keyof typeof DECODERS]](field(test.input, 'text', isString));
  if (decoded === null) return judgeVerdict(test, false, undefined);
  if (test.result === 'invalid') return { ...judgeVerdict(test, true, undefined), answer: `decoded ${hexOf(decoded)}`.slice(0, 200) };
  return judgeValue(test, 'output', hexOf(decoded), test.expected?.['output']);
};

/** The core primitive handlers, by group `type`. */
export const CORE_HANDLERS = { 'canonical-json': canonical, 'bytes-codec': codec } as const;
