import { utf8 } from './digest.js';

/**
 * A one-page PDF with an empty signature (ISO 32000-1 §12.8.1): a `/Sig`
 * field whose `/Contents` is a zeroed hex string of `contentsBytes` bytes and
 * whose `/ByteRange` covers the whole file but that string, so a detached
 * CMS over {@link coveredBytes} can be written into it
 * ({@link embedSignature}) without moving a byte. `/SubFilter
 * /adbe.pkcs7.detached`: the CMS may carry a signing-time attribute, as a
 * `ContentSigner`'s does (SIG-3).
 */
export interface SignablePdf {
  readonly pdf: Uint8Array;
  readonly byteRange: readonly [number, number, number, number];
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function pdfDate(at: Date): string {
  const d = at.toISOString();
  return `D:${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}+00'00'`;
}

/** Builds the PDF to sign (SIG-3): objects, cross-reference table and trailer written with their exact offsets. */
export function signablePdf(options: { readonly contentsBytes: number; readonly at: Date; readonly text: string }): SignablePdf {
  const placeholder = '0'.repeat(options.contentsBytes * 2);
  const stream = `BT /F1 14 Tf 72 760 Td (${options.text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] /Resources << /Font << /F1 7 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Cachet) /Rect [0 0 0 0] /F 132 /P 3 0 R /V 5 0 R >>',
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 0000000000 0000000000 0000000000] /Contents <${placeholder}> /M (${pdfDate(options.at)}) /Reason (Contrat de signature s3404) >>`,
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let text = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${pad(o, 10)} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Latin-1 bytes: one byte per character (the binary comment line is the only non-ASCII).
  const pdf = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  const start = text.indexOf(`/Contents <${placeholder}>`) + '/Contents '.length;
  const end = start + placeholder.length + 2;
  const byteRange = [0, start, end, pdf.length - end] as const;
  const marker = '/ByteRange [0 0000000000 0000000000 0000000000]';
  const at = text.indexOf(marker);
  const filled = `/ByteRange [0 ${pad(byteRange[1], 10)} ${pad(byteRange[2], 10)} ${pad(byteRange[3], 10)}]`;
  pdf.set(utf8(filled), at);
  return { pdf, byteRange };
}

/** The bytes a signature of the PDF covers: everything but the `/Contents` hex string. */
export function coveredBytes(s: SignablePdf): Uint8Array {
  const [, a, b, c] = s.byteRange;
  const out = new Uint8Array(a + c);
  out.set(s.pdf.subarray(0, a), 0);
  out.set(s.pdf.subarray(b, b + c), a);
  return out;
}

/** Writes `cms` (hex, zero-padded) into the `/Contents` of the PDF; `null` when it does not fit. */
export function embedSignature(s: SignablePdf, cms: Uint8Array): Uint8Array | null {
  const [, a, b] = s.byteRange;
  const room = (b - a - 2) / 2;
  if (cms.length > room) return null;
  const out = Uint8Array.from(s.pdf);
  const hex = Array.from(cms, (x) => x.toString(16).padStart(2, '0')).join('');
  out.set(utf8(hex), a + 1);
  return out;
}
