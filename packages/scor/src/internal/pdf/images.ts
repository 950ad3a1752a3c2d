import { PdfReadError, isDict, isNumber, PdfName, PdfStream, PdfString, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import type { PdfDocument } from './document.js';

/** What an image's samples can show (SCOR-1 colour policy). */
export type ImageColour = 'bilevel' | 'grey' | 'colour' | 'unknown';

export interface ImageFacts {
  readonly width: number;
  readonly height: number;
  readonly bitsPerComponent: number | null;
  readonly colour: ImageColour;
  readonly filters: readonly string[];
}

const NAMED: Readonly<Record<string, { components: number; colour: ImageColour }>> = {
  DeviceGray: { components: 1, colour: 'grey' },
  G: { components: 1, colour: 'grey' },
  DeviceRGB: { components: 3, colour: 'colour' },
  RGB: { components: 3, colour: 'colour' },
  DeviceCMYK: { components: 4, colour: 'colour' },
  CMYK: { components: 4, colour: 'colour' },
};

/** Deepest chain of named colour spaces followed. */
const MAX_CS_DEPTH = 8;

/**
 * The facts of an image dictionary (§8.9.5): size in samples, bits per
 * component and whether it is bilevel, grey or colour — from its colour
 * space (§8.6), including an indexed palette whose entries are all grey.
 * Returns `undefined` when the size is missing or absurd.
 */
export function imageFacts(doc: PdfDocument, dict: PdfDict, resources: PdfDict | undefined, filters: readonly string[]): ImageFacts | undefined {
  const width = doc.resolve(dict.get('Width'));
  const height = doc.resolve(dict.get('Height'));
  if (!isNumber(width) || !isNumber(height) || !Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 1e6 || height > 1e6)
    return undefined;
  const bpcValue = doc.resolve(dict.get('BitsPerComponent'));
  const bitsPerComponent = isNumber(bpcValue) ? bpcValue : null;
  const last = filters[filters.length - 1];
  let colour: ImageColour;
  if (doc.resolve(dict.get('ImageMask')) === true || last === 'CCITTFaxDecode' || last === 'CCF' || last === 'JBIG2Decode') colour = 'bilevel';
  else {
    const cs = dict.get('ColorSpace');
    const space = cs === undefined ? undefined : colourSpace(doc, cs, resources, 0);
    colour = space === undefined ? 'unknown' : space.colour;
    if (colour === 'grey' && bitsPerComponent === 1) colour = 'bilevel';
  }
  return { width, height, bitsPerComponent, colour, filters };
}

function colourSpace(
  doc: PdfDocument,
  value: PdfValue,
  resources: PdfDict | undefined,
  depth: number,
): { components: number; colour: ImageColour } | undefined {
  if (depth > MAX_CS_DEPTH) return undefined;
  const cs = doc.resolve(value);
  if (cs instanceof PdfName) {
    const named = NAMED[cs.value];
    if (named !== undefined) return named;
    if (cs.value === 'Pattern') return undefined;
    const table = resources === undefined ? undefined : doc.resolve(resources.get('ColorSpace'));
    const entry = isDict(table) ? table.get(cs.value) : undefined;
    return entry === undefined ? undefined : colourSpace(doc, entry, resources, depth + 1);
  }
  if (!Array.isArray(cs) || cs.length === 0) return undefined;
  const family = doc.resolve(cs[0]);
  if (!(family instanceof PdfName)) return undefined;
  switch (family.value) {
    case 'CalGray':
      return { components: 1, colour: 'grey' };
    case 'CalRGB':
    case 'Lab':
      return { components: 3, colour: 'colour' };
    case 'ICCBased': {
      const profile = doc.resolve(cs[1]);
      const n = profile instanceof PdfStream ? doc.resolve(profile.dict.get('N')) : undefined;
      if (n === 1) return { components: 1, colour: 'grey' };
      if (n === 3 || n === 4) return { components: n, colour: 'colour' };
      const alt = profile instanceof PdfStream ? profile.dict.get('Alternate') : undefined;
      return alt === undefined ? undefined : colourSpace(doc, alt, resources, depth + 1);
    }
    case 'Separation':
      return { components: 1, colour: 'grey' };
    case 'DeviceN': {
      const names = doc.resolve(cs[1]);
      return Array.isArray(names) && names.length === 1
        ? { components: 1, colour: 'grey' }
        : { components: Array.isArray(names) ? names.length : 4, colour: 'colour' };
    }
    case 'Indexed':
    case 'I': {
      const base = colourSpace(doc, cs[1] ?? null, resources, depth + 1);
      if (base === undefined) return undefined;
      if (base.colour !== 'colour' || base.components !== 3) return { components: 1, colour: base.colour };
      return { components: 1, colour: greyPalette(doc, cs[3]) ? 'grey' : 'colour' };
    }
    default:
      return NAMED[family.value];
  }
}

/** An RGB palette whose every entry has R = G = B shows only greys. */
function greyPalette(doc: PdfDocument, lookup: PdfValue | undefined): boolean {
  const v = doc.resolve(lookup);
  let bytes: Uint8Array | undefined;
  if (v instanceof PdfString) bytes = v.bytes;
  else if (v instanceof PdfStream) {
    try {
      bytes = doc.decode(v).bytes;
    } catch (e) {
      if (e instanceof PdfReadError && e.reason !== 'too-complex') return false; // an unreadable palette counts as colour
      throw e;
    }
  }
  if (bytes === undefined || bytes.length < 3) return false;
  for (let i = 0; i + 2 < bytes.length; i += 3) if (bytes[i] !== bytes[i + 1] || bytes[i] !== bytes[i + 2]) return false;
  return true;
}
