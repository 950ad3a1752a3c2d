import { describe, expect, it } from 'vitest';
import { indexOfBytes } from '@s3404/core/pdf';

/** The first position of `word` in buf[from, to), by the definition. */
function reference(buf: Uint8Array, word: Uint8Array, from: number, to: number): number {
  if (word.length === 0) return -1;
  for (let i = from; i + word.length <= to; i++) {
    let k = 0;
    while (k < word.length && buf[i + k] === word[k]) k++;
    if (k === word.length) return i;
  }
  return -1;
}

// Issue 19: PDFs are searched for their end markers with the runtime's native search; the answers are the definition's.
describe('indexOfBytes (X-2, issue 19)', () => {
  it('finds what the definition finds, within [from, to), on 3,000 random cases over a small alphabet', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let found = 0;
    for (let c = 0; c < 3000; c++) {
      const buf = Uint8Array.from({ length: rnd(200) }, () => rnd(3));
      const word = Uint8Array.from({ length: rnd(5) }, () => rnd(3));
      const from = rnd(buf.length + 2);
      const to = Math.min(buf.length, from + rnd(buf.length + 2));
      const want = reference(buf, word, from, to);
      expect(indexOfBytes(buf, word, from, to), `case ${c}`).toBe(want);
      if (want >= 0) found++;
      // A view into a larger buffer: positions are the view's.
      const big = new Uint8Array(buf.length + 10);
      big.set(buf, 5);
      expect(indexOfBytes(big.subarray(5, 5 + buf.length), word, from, to), `view ${c}`).toBe(want);
    }
    expect(found).toBeGreaterThan(800);
  });

  it('finds a PDF end marker only where it ends before `to`', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\n');
    const word = new TextEncoder().encode('startxref');
    const at = pdf.length - 18;
    expect(indexOfBytes(pdf, word, 0)).toBe(at);
    expect(indexOfBytes(pdf, word, at + 1)).toBe(-1);
    expect(indexOfBytes(pdf, word, 0, at + word.length)).toBe(at);
    expect(indexOfBytes(pdf, word, 0, at + word.length - 1)).toBe(-1);
  });
});
