import type { Locale } from '@s3404/core';
import { isDict, PdfRef } from '@s3404/core/pdf';
import { appendUpdate, copyDict, nextObjectNumber, openPdfFile, pdfRef, type UpdateObject, type WritableValue, catalogOf } from '@s3404/form/pdf';

/** Validation data of a PAdES B-LT seal (ETSI EN 319 142-1 §5.4.3): DER certificates, CRLs and OCSP responses. @public */
export interface RevocationData {
  /** Certificates of the chain beyond those embedded (the root, the TSA's chain…). */
  readonly certificates?: readonly Uint8Array[];
  /** DER CRLs (RFC 5280). */
  readonly crls?: readonly Uint8Array[];
  /** DER OCSPResponses (RFC 6960). */
  readonly ocsps?: readonly Uint8Array[];
}

/**
 * Appends a Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319
 * 142-1 §5.4.2) as a further incremental update: `/DSS` in the catalog
 * with `/Certs`, `/CRLs` and `/OCSPs` streams, each item once. The
 * per-signature `/VRI` is optional in PAdES baseline and not written.
 */
export function appendDss(
  pdf: Uint8Array,
  data: {
    readonly certificates: readonly Uint8Array[];
    readonly crls: readonly Uint8Array[];
    readonly ocsps: readonly Uint8Array[];
    readonly locale: Locale;
  },
): Uint8Array {
  const file = openPdfFile(pdf, data.locale);
  const catalog = catalogOf(file);
  if (catalog === undefined) throw new Error('appendDss: no catalog');
  let next = nextObjectNumber(file);
  const objects: UpdateObject[] = [];
  const streams = (items: readonly Uint8Array[]): PdfRef[] => {
    const seen = new Set<string>();
    const refs: PdfRef[] = [];
    for (const item of items) {
      if (!(item instanceof Uint8Array)) throw new TypeError('revocation data must be DER bytes (Uint8Array)');
      const key = `${Array.from(item.subarray(0, 64)).join(',')}:${item.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const num = next++;
      objects.push({ num, dict: new Map(), data: item });
      refs.push(pdfRef(num));
    }
    return refs;
  };
  const old = catalog.dict.get('DSS');
  const oldDss = old instanceof PdfRef ? file.object(old.num) : old;
  const dss = isDict(oldDss) ? copyDict(oldDss) : new Map<string, WritableValue>();
  const merge = (key: string, refs: PdfRef[]): void => {
    const existing = dss.get(key);
    const list = existing instanceof PdfRef ? file.object(existing.num) : existing;
    const all = [...(Array.isArray(list) ? (list as WritableValue[]) : []), ...refs];
    if (all.length > 0) dss.set(key, all);
  };
  merge('Certs', streams(data.certificates));
  merge('CRLs', streams(data.crls));
  merge('OCSPs', streams(data.ocsps));
  const dssNum = old instanceof PdfRef ? old.num : next++;
  objects.push({ num: dssNum, value: dss });
  if (!(old instanceof PdfRef)) {
    const newCatalog = copyDict(catalog.dict);
    newCatalog.set('DSS', pdfRef(dssNum));
    objects.push({ num: catalog.ref.num, value: newCatalog });
  }
  return appendUpdate(file, objects).bytes;
}
