import type { Sha256 } from '@s3404/core';
import { A3_LANDSCAPE_TEMPLATE, A4_PORTRAIT_TEMPLATE, parseTemplate } from '@s3404/form/pdf';
import { jsonArlParser, safePackLot, type LotCodec } from '@s3404/scor';
import type { ConformancePluggableSdk } from '../sdk-pluggable.js';

/**
 * The plug points of the unpublished parts wired into the runner's interface
 * `safePackLot` of `@s3404/scor` with the codec given,
 * `jsonArlParser`, `parseTemplate` and the built-in layouts of
 * `@s3404/form/pdf`.
 */
export function pluggableSdk(sha256: Sha256 | undefined): ConformancePluggableSdk {
  return {
    packLot: async (description, { files, at, codec }) => {
      const r = await safePackLot(description, {
        files,
        now: () => at,
        ...(sha256 === undefined ? {} : { sha256 }),
        ...(codec === undefined ? {} : { codec: codec as LotCodec }),
      });
      if (!r.ok) return { ok: false, code: r.issues[0]?.code ?? 'ERR_LOT_REFUSED' };
      const { codec: id, fileName, mediaType, bytes } = r.lot.container;
      return { ok: true, codec: id, fileName, mediaType, container: bytes };
    },
    parseArl: (message) => jsonArlParser.parse(message, { locale: 'en' }),
    parseLayoutTemplate: (template) => ({ cerfa: parseTemplate(template, { locale: 'en' }).follows.cerfa }),
    builtinLayouts: () => [A3_LANDSCAPE_TEMPLATE, A4_PORTRAIT_TEMPLATE].map((t) => ({ name: t.name, cerfa: t.follows.cerfa })),
  };
}
