import type { LocalizedText } from '@s3404/core';
import { PRINTABLE_RANGES } from './charset-ranges.js';

function isPrintable(cp: number): boolean {
  let lo = 0;
  let hi = PRINTABLE_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = PRINTABLE_RANGES[mid]!;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko…): never echoed, they would reorder the message around them. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
/** Marks, controls, format characters and separators other than the space: named, never echoed. */
const UNSHOWABLE = /[\p{M}\p{C}\p{Z}]/u;

/**
 * First character of `text` (after NFC composition) that the embedded font
 * cannot print, described as `U+XXXX « c »` / `U+XXXX "c"` (the code point
 * alone when the character would not show or would reorder the message), or
 * `null` when all are printable.
 */
export function unsupportedCharacter(text: string): LocalizedText | null {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(text)) return null;
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (!isPrintable(cp)) {
      const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      if ((cp >= 0xd800 && cp <= 0xdfff) || UNSHOWABLE.test(ch) || RTL.test(ch)) return { fr: hex, en: hex };
      return { fr: `${hex} « ${ch} »`, en: `${hex} "${ch}"` };
    }
  }
  return null;
}

/** Replaces every character the font cannot print by `?` (defence in depth). */
export function toPrintable(text: string): string {
  const nfc = text.normalize('NFC');
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(nfc)) return nfc;
  let out = '';
  for (const ch of nfc) out += isPrintable(ch.codePointAt(0)!) ? ch : '?';
  return out;
}
