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

/**
 * First character of `text` (after NFC composition) that the embedded font
 * cannot print, described as `U+XXXX « c »`, or `null` when all are printable.
 */
export function unsupportedCharacter(text: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(text)) return null;
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (!isPrintable(cp)) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      return cp >= 0xd800 && cp <= 0xdfff ? `U+${hex}` : `U+${hex} « ${ch} »`;
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
