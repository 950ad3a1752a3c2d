import { isS3404Error } from '@s3404/core';
import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer, HandlerContext, VectorHandler } from '../handler.js';
import type { ConformanceLotCodec, ConformancePluggableSdk } from '../sdk-pluggable.js';
import { field, Indeterminate, isString } from './indeterminate.js';
import { judgeValue, judgeVerdict } from './judge.js';

/** The SDK's plug points, or the vector is indeterminate. */
function pluggableOf(sdk: { readonly pluggable?: ConformancePluggableSdk }): ConformancePluggableSdk {
  if (sdk.pluggable === undefined) throw new Indeterminate('the SDK under test provides no plug points');
  return sdk.pluggable;
}

/** A coded refusal judged as such; anything else goes up (uncoded: failed). */
function refused(test: VectorTest, e: unknown): HandlerAnswer {
  if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
  throw e;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The vendor codec a vector describes (`input.codec`): `header` (text), then
 * the manifest's bytes, then each file's bytes. `encode: false` leaves
 * `encode` out; the other fields are given as they are, right or wrong.
 */
function vendorCodec(described: Record<string, unknown>, written: Uint8Array[]): unknown {
  const header = new TextEncoder().encode(typeof described['header'] === 'string' ? described['header'] : '');
  const { header: _h, encode: withEncode, ...fields } = described;
  if (withEncode === false) return fields;
  const codec: Omit<ConformanceLotCodec, 'id' | 'mediaType' | 'extension'> = {
    encode(content) {
      const parts = [header, content.manifestBytes, ...content.files.map((f) => f.bytes)];
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      written.push(out);
      return out;
    },
  };
  return { ...fields, ...codec };
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * a lot (`input.description`, JSON text, over `input.files`) packed at
 * `input.now` with the vendor codec `input.codec` (absent: the SDK's own).
 * Valid: packed, the lot names the codec's id, media type and extension
 * (`expected.codec`, `expected.mediaType`, `expected.extension`) and its
 * container is exactly what the codec wrote (or, for the SDK's own, starts
 * with `expected.magic`); invalid: refused with `expected.code`, nothing
 * encoded.
 */
const lotCodec: VectorHandler = async (test, context: HandlerContext) => {
  const pluggable = pluggableOf(context.sdk);
  const input = record(test.input);
  let description: unknown;
  try {
    description = JSON.parse(field(test.input, 'description', isString));
  } catch (e) {
    if (e instanceof Indeterminate) throw e;
    throw new Indeterminate('input.description is not JSON text');
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, value] of Object.entries(record(input['files']))) files.set(name, await context.bytes(value));
  const at = new Date(field(test.input, 'now', isString));
  if (Number.isNaN(at.getTime())) throw new Indeterminate('input.now is not an instant');
  const written: Uint8Array[] = [];
  const codec = input['codec'] === undefined ? undefined : vendorCodec(record(input['codec']), written);
  let lot: Awaited<ReturnType<ConformancePluggableSdk['packLot']>>;
  try {
    lot = await pluggable.packLot(description, { files, at, ...(codec === undefined ? {} : { codec }) });
  } catch (e) {
    return refused(test, e);
  }
  if (!lot.ok) {
    if (written.length > 0)
      return { outcome: 'failed', code: lot.code, answer: lot.code, detail: 'the lot was refused, yet the vendor codec was asked to encode it' };
    return judgeVerdict(test, false, lot.code);
  }
  if (test.result === 'invalid') return judgeVerdict(test, true, undefined);
  const said = `${lot.codec} ${lot.mediaType} ${lot.fileName}`;
  const e = test.expected ?? {};
  if (lot.codec !== e['codec'] || lot.mediaType !== e['mediaType'] || typeof e['extension'] !== 'string' || !lot.fileName.endsWith(e['extension']))
    return {
      outcome: 'failed',
      answer: said,
      detail: `expected codec ${String(e['codec'])} ${String(e['mediaType'])} *${String(e['extension'])}, the lot names ${said}`.slice(0, 300),
    };
  if (codec !== undefined) {
    const last = written.at(-1);
    if (last === undefined || !sameBytes(last, lot.container))
      return { outcome: 'failed', answer: said, detail: 'the container is not what the vendor codec wrote' };
    return { outcome: 'passed', answer: said };
  }
  const magic = new TextEncoder().encode(typeof e['magic'] === 'string' ? e['magic'] : '\u0000');
  return sameBytes(lot.container.subarray(0, magic.length), magic)
    ? { outcome: 'passed', answer: said }
    : { outcome: 'failed', answer: said, detail: `the SDK's own container does not start with ${JSON.stringify(e['magic'])}` };
};

/**
 * an ARL message (`input.message`: UTF-8 text, or `{ "base64" }` bytes)
 * read by the SDK's ARL parser. Valid: read, positive or not as
 * `expected.positive` says; invalid: refused with `expected.code` — an ARL
 * that does not say positive in the parser's own terms is never positive.
 */
const arlParse: VectorHandler = async (test, context) => {
  const pluggable = pluggableOf(context.sdk);
  const message = record(test.input)['message'];
  const bytes = typeof message === 'string' ? new TextEncoder().encode(message) : await context.bytes(message);
  let arl: { readonly positive: boolean };
  try {
    arl = pluggable.parseArl(bytes);
  } catch (e) {
    return refused(test, e);
  }
  if (test.result === 'invalid') return { ...judgeVerdict(test, true, undefined), answer: arl.positive === true ? 'positive' : 'negative' };
  const expected = test.expected?.['positive'];
  return judgeValue(test, 'positive', String(arl.positive === true), typeof expected === 'boolean' ? String(expected) : undefined);
};

/**
 * a layout template. `input.template`: a vendor's, parsed — valid when
 * it names the CERFA `expected.cerfa` (`"null"`: none), invalid when refused
 * with `expected.code`; `input.builtin`: the SDK's own layout of that name,
 * which names no CERFA unless a vendor verified one (`expected.cerfa`).
 */
const layoutTemplate: VectorHandler = (test, { sdk }) => {
  const pluggable = pluggableOf(sdk);
  const input = record(test.input);
  if (typeof input['builtin'] === 'string') {
    const layout = pluggable.builtinLayouts().find((l) => l.name === input['builtin']);
    if (layout === undefined) return { outcome: 'failed', detail: `the SDK has no built-in layout ${input['builtin'].slice(0, 40)}` };
    return judgeValue(test, 'cerfa', String(layout.cerfa), test.expected?.['cerfa']);
  }
  if (!('template' in input)) throw new Indeterminate('input.template or input.builtin expected');
  let parsed: { readonly cerfa: string | null };
  try {
    parsed = pluggable.parseLayoutTemplate(input['template']);
  } catch (e) {
    return refused(test, e);
  }
  if (test.result === 'invalid') return judgeVerdict(test, true, undefined);
  return judgeValue(test, 'cerfa', String(parsed.cerfa), test.expected?.['cerfa']);
};

/** The plug-point handlers, by group `type`. */
export const PLUGGABLE_HANDLERS = { 'lot-codec': lotCodec, 'arl-parse': arlParse, 'layout-template': layoutTemplate } as const;
