import { describe, expect, it } from 'vitest';
import { PdfString } from '@s3404/core/pdf';

const hexString = (bytes: readonly number[]): PdfString => {
  const hex = new TextEncoder().encode(bytes.map((b) => b.toString(16).padStart(2, '0')).join(''));
  return new PdfString(hex, 0, hex.length, true);
};

describe('@s3404/core/pdf text strings (ISO 32000-1 §7.9.2.2), decoded without TextDecoder', () => {
  it('reads UTF-16BE with its BOM, surrogate pairs included', () => {
    const text = 'Clinique été 😀';
    const units: number[] = [0xfe, 0xff];
    for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i) >> 8, text.charCodeAt(i) & 0xff);
    expect(hexString(units).text()).toBe(text);
  });

  it('reads UTF-8 with its BOM like TextDecoder, and U+FFFD (one per byte) for malformed sequences', () => {
    const samples = ['Montant 1 066,33 €', 'Œuvre 😀 ÿ', ''];
    for (const text of samples) expect(hexString([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]).text()).toBe(text);
    const broken = [0xef, 0xbb, 0xbf, 0x41, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0x42];
    const text = hexString(broken).text();
    expect(text.startsWith('A\ufffd(')).toBe(true);
    expect(text.endsWith('\ufffdB')).toBe(true);
    expect(text.replaceAll('\ufffd', '')).toBe('A(B');
  });

  it('reads other strings as PDFDocEncoding bytes (latin1)', () => {
    expect(hexString([0x45, 0xe9, 0x74, 0xe9]).text()).toBe('Eété');
  });
});
