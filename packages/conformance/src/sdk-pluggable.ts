/**
 * A container codec as the SCOR-CP plug point takes it (SCOR-2, X-4): the
 * shape of `LotCodec` of `@s3404/scor`, with what it receives reduced to the
 * manifest's bytes and the files.
 *
 * `import type { ConformanceLotCodec } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceLotCodec {
  readonly id: string;
  readonly mediaType: string;
  readonly extension: string;
  encode(content: { readonly manifestBytes: Uint8Array; readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[] }): Uint8Array;
}

/**
 * What a lot packed with a codec answers: the container and what the
 * lot keeps of its codec, or the code of its refusal.
 *
 * `import type { ConformanceCodecLot } from '@s3404/conformance'`
 *
 * @public
 */
export type ConformanceCodecLot =
  | { readonly ok: true; readonly codec: string; readonly fileName: string; readonly mediaType: string; readonly container: Uint8Array }
  | { readonly ok: false; readonly code: string };

/**
 * The plug points of the parts whose official specification is not public
 * the SCOR-CP container (`LotCodec` given to `packLot` of
 * `@s3404/scor`; `codec` may be malformed, as a vendor's might be; absent:
 * the SDK's own), the ARL message (`ArlParser`: the SDK's JSON one,
 * `jsonArlParser`, answers whether the ARL is positive and throws a coded
 * error for anything else), and the CERFA layout (`parseTemplate` of
 * `@s3404/form/pdf` for a vendor's template; the CERFA each built-in layout
 * claims to follow — `null`: none).
 *
 * `import type { ConformancePluggableSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { jsonArlParser } from '@s3404/scor'
 * const parseArl: ConformancePluggableSdk['parseArl'] = (message) => jsonArlParser.parse(message)
 * ```
 * @public
 */
export interface ConformancePluggableSdk {
  readonly packLot: (
    description: unknown,
    options: { readonly files: ReadonlyMap<string, Uint8Array>; readonly at: Date; readonly codec?: unknown },
  ) => Promise<ConformanceCodecLot>;
  readonly parseArl: (message: Uint8Array) => { readonly positive: boolean };
  readonly parseLayoutTemplate: (template: unknown) => { readonly cerfa: string | null };
  readonly builtinLayouts: () => readonly { readonly name: string; readonly cerfa: string | null }[];
}
