import { formatDateTimeFr } from '../../format.js';
import { ACCENT, ContentWriter, GREY } from './content-writer.js';
import { boldFace, encodeHex, regularFace } from './font-face.js';
import type { RenderedSlot } from './slot-data.js';

/** Resource names of the caption fonts every signature shares. */
export const CAPTION_FONT_NAMES = { regular: 'S3404CapR', bold: 'S3404CapB' } as const;

/**
 * Every character a caption can show: the fixed words, a Paris date and time,
 * and a bordereau identifier (Crockford base 32, its check symbols, dashes),
 * plus the ellipsis of a caption shortened to fit its slot. The rendering
 * embeds these glyphs once (the caption fonts); signatures draw with them.
 */
export const CAPTION_CHARACTERS = ' 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzé/:·—-*~$=…';

/** What a signature revision draws in its slot: the caption's facts and the image's size. */
export interface SignatureDrawing {
  readonly slot: RenderedSlot;
  readonly bordereauId: string;
  readonly capturedAt: Date;
  readonly accountingDay: boolean;
  readonly mandate: boolean;
  /** Resource name of the image XObject on the page. */
  readonly imageName: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/**
 * The content stream of a signature (FORM-6): the caption band at the
 * bottom of the slot (the capture time, « Mandat » on a delegated line or
 * "journée comptable", the bordereau identifier — whole, without its label
 * in a slot too narrow for both) and the image above it,
 * aspect kept, all inside the slot. Deterministic: the same drawing gives
 * the same bytes, so a signature revision can be recognised by drawing it
 * again. Throws when a caption needs a glyph outside the caption fonts.
 */
export function signatureContent(d: SignatureDrawing): string {
  const { slot } = d;
  const used = { regular: new Set<number>(), bold: new Set<number>() };
  const w = new ContentWriter({ regularFace: regularFace(), boldFace: boldFace(), names: CAPTION_FONT_NAMES, used });
  const size = Math.max(4.5, Math.min(7, slot.height / 5));
  const when = formatDateTimeFr(d.capturedAt);
  // The identifier whole, without its label when both do not fit the slot (a fee line of the A4 layout):
  // shortened with an ellipsis, it would no longer name the bordereau.
  const labelled = `Bordereau ${d.bordereauId}`;
  const idLine = w.width(labelled, { size: size * 0.7 }) <= slot.width - 2 ? labelled : d.bordereauId;
  const captionLines = d.accountingDay ? [`${when} journée comptable`, idLine] : [`Signé le ${when}${d.mandate ? ' — Mandat' : ''}`, idLine];
  const lineH = size * 1.15;
  const captionH = slot.height >= 4 * lineH ? 2 * lineH : lineH;
  const shown = captionH === lineH ? [`${captionLines[0]} · ${d.bordereauId}`] : captionLines;
  shown.forEach((line, i) => {
    w.textIn(
      line,
      slot.x + 1,
      slot.y + captionH - lineH * (i + 1) + size * 0.3,
      slot.width - 2,
      { size, bold: i === 0, color: i === 0 ? ACCENT : GREY },
      'left',
    );
  });
  const boxH = slot.height - captionH - 1;
  const scale = Math.min((slot.width - 2) / d.imageWidth, boxH / d.imageHeight);
  const iw = d.imageWidth * scale;
  const ih = d.imageHeight * scale;
  if (iw > 0 && ih > 0) w.image(d.imageName, slot.x + (slot.width - iw) / 2, slot.y + captionH + (boxH - ih) / 2, iw, ih);
  const allowed = captionGlyphs();
  for (const face of ['regular', 'bold'] as const) {
    for (const gid of used[face]) if (!allowed[face].has(gid)) throw new Error(`signatureContent: caption glyph ${gid} outside the caption fonts`);
  }
  return w.toString();
}

let glyphs: { regular: Set<number>; bold: Set<number> } | undefined;

/** The glyphs of {@link CAPTION_CHARACTERS} in each face: what the caption fonts hold (computed once, constant). */
function captionGlyphs(): { regular: Set<number>; bold: Set<number> } {
  if (glyphs === undefined) {
    const regular = new Set<number>([0]);
    const bold = new Set<number>([0]);
    encodeHex(regularFace(), CAPTION_CHARACTERS, regular);
    encodeHex(boldFace(), CAPTION_CHARACTERS, bold);
    glyphs = { regular, bold };
  }
  return glyphs;
}
