import { builtinModule } from './builtin-module.js';

/**
 * A native zlib decoder (RFC 1950; X-1, issue 19): the data decoded from `input`, and how
 * many bytes of `input` the zlib stream took (header, deflate data and
 * Adler-32); `undefined` when `input` does not start with a whole, valid zlib
 * stream whose data fits in `maxBytes` — the caller then decodes with its
 * pure decoder, which gives the verdict. Bytes after the stream are not read.
 *
 * @public
 */
export type BuiltinInflate = (
  input: Uint8Array,
  options: { readonly maxBytes: number },
) => { readonly bytes: Uint8Array; readonly consumed: number } | undefined;

/** The part of a Node-compatible `zlib` module the decoder below uses. */
interface ZlibModule {
  readonly inflateSync: (input: Uint8Array, options: { maxOutputLength: number; info: true }) => unknown;
}

/** `inflateSync`'s answer with `info: true`. */
interface InflateInfo {
  readonly buffer: Uint8Array;
  readonly engine: { readonly bytesWritten: number };
}

function isInflateInfo(v: unknown): v is InflateInfo {
  const r = v as Partial<InflateInfo> | undefined;
  return r?.buffer instanceof Uint8Array && typeof r.engine?.bytesWritten === 'number';
}

/** The {@link BuiltinInflate} over a Node-compatible `zlib`: any failure (damage, a bound passed) is `undefined`. */
function inflateOf(zlib: ZlibModule): BuiltinInflate {
  return (input, { maxBytes }) => {
    let r: unknown;
    try {
      r = zlib.inflateSync(input, { maxOutputLength: Math.max(1, maxBytes), info: true });
    } catch {
      return undefined;
    }
    if (!isInflateInfo(r) || r.buffer.length > maxBytes) return undefined;
    return { bytes: new Uint8Array(r.buffer.buffer, r.buffer.byteOffset, r.buffer.length), consumed: r.engine.bytesWritten };
  };
}

/** `"s3404"` ×4, zlib-compressed (level 9, by zlib itself), then a trailing byte that is not part of the stream. */
const PROBE = Uint8Array.from([0x78, 0xda, 0x2b, 0x36, 0x36, 0x31, 0x30, 0x29, 0x46, 0x25, 0x00, 0x36, 0x44, 0x04, 0xf9, 0x0a]);
const PROBE_TEXT = 's3404s3404s3404s3404';

/** A `zlib` is used only if it decodes the probe, tells where its stream ends, and throws at its output bound. */
function behaves(zlib: ZlibModule): boolean {
  const whole = inflateOf(zlib)(PROBE, { maxBytes: 64 });
  if (whole === undefined || whole.consumed !== PROBE.length - 1 || String.fromCharCode(...whole.bytes) !== PROBE_TEXT) return false;
  try {
    zlib.inflateSync(PROBE, { maxOutputLength: PROBE_TEXT.length - 1, info: true });
  } catch {
    return true;
  }
  return false;
}

/**
 * The runtime's built-in native zlib decoder when it has one (X-1, issue 19):
 * Node 20.16+, Bun and Deno give their `node:zlib` through
 * `process.getBuiltinModule`, without any import, so runtime-neutral code can
 * decode at native speed; `undefined` in a browser or an older runtime. It
 * only ever answers for a valid stream (the decoded bytes are then the same as
 * any correct decoder's): for anything else it answers `undefined` and the
 * caller's own decoder decides, so verdicts and error codes do not depend on
 * the runtime. A runtime whose `zlib` does not honour the output bound is not
 * used (a compression bomb would be decoded whole).
 *
 * `import { builtinInflate } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const decoded = builtinInflate()?.(stream, { maxBytes: 1 << 20 }) ?? decodeWithFflate(stream)
 * ```
 * @public
 */
export function builtinInflate(): BuiltinInflate | undefined {
  const zlib = builtinModule<ZlibModule>('node:zlib');
  try {
    if (zlib === undefined || typeof zlib.inflateSync !== 'function') return undefined;
    return behaves(zlib) ? inflateOf(zlib) : undefined;
  } catch {
    return undefined;
  }
}
