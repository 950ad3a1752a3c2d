import { encodeHex, textWidth, type FontFace } from './font-face.js';

/** An RGB colour, components in [0, 1]. */
export type Rgb = readonly [number, number, number];

export const BLACK: Rgb = [0, 0, 0];
export const GREY: Rgb = [0.38, 0.38, 0.4];
export const LIGHT: Rgb = [0.93, 0.94, 0.96];
export const RULE: Rgb = [0.55, 0.57, 0.6];
export const ACCENT: Rgb = [0.1, 0.22, 0.45];

/** Fixed-point number for content streams: deterministic and compact. */
export function num(n: number): string {
  // The double nearest to k/100 prints as that decimal: no toFixed needed.
  const r = Math.round(n * 100) / 100;
  return r === 0 ? '0' : String(r);
}

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly color?: Rgb;
}

/**
 * Builds a page content stream directly as PDF operators (ISO 32000 §8–9):
 * much faster than one pdf-lib operator object per glyph run, and the same
 * input always gives the same bytes (FORM-7).
 */
export class ContentWriter {
  private readonly ops: string[] = [];

  readonly regular: FontFace;
  readonly bold: FontFace;
  private readonly names: { readonly regular: string; readonly bold: string };
  private readonly used: { readonly regular?: Set<number>; readonly bold?: Set<number> };

  /** Draws with the document's fonts, recording the glyphs used for subsetting. */
  constructor(fonts: {
    readonly regularFace: FontFace;
    readonly boldFace: FontFace;
    readonly names?: { readonly regular: string; readonly bold: string };
    readonly used?: { readonly regular: Set<number>; readonly bold: Set<number> };
  }) {
    this.regular = fonts.regularFace;
    this.bold = fonts.boldFace;
    this.names = fonts.names ?? { regular: 'S3404R', bold: 'S3404B' };
    this.used = fonts.used ?? {};
  }

  face(style: TextStyle): FontFace {
    return style.bold === true ? this.bold : this.regular;
  }

  width(text: string, style: TextStyle): number {
    return textWidth(this.face(style), text, style.size);
  }

  /** Draws `text` with its baseline at (x, y). */
  text(text: string, x: number, y: number, style: TextStyle): void {
    if (text === '') return;
    const [r, g, b] = style.color ?? BLACK;
    const font = style.bold === true ? this.names.bold : this.names.regular;
    this.ops.push(
      `BT ${num(r)} ${num(g)} ${num(b)} rg /${font} ${num(style.size)} Tf ${num(x)} ${num(y)} Td <${encodeHex(this.face(style), text, style.bold === true ? this.used.bold : this.used.regular)}> Tj ET`,
    );
  }

  /**
   * Draws `text` aligned in [x, x + width]. Too long, it is first set smaller
   * (down to 70 % of the size), and only then shortened with an ellipsis.
   */
  textIn(text: string, x: number, y: number, width: number, style: TextStyle, align: 'left' | 'right' | 'center' = 'left'): void {
    let s = style;
    const full = this.width(text, style);
    if (full > width && width > 0) s = { ...style, size: Math.max(style.size * 0.7, (style.size * width) / full) };
    const fitted = this.fit(text, width, s);
    const w = this.width(fitted, s);
    const dx = align === 'right' ? width - w : align === 'center' ? (width - w) / 2 : 0;
    this.text(fitted, x + dx, y, s);
  }

  /** Shortens `text` with an ellipsis so it fits `width`. */
  fit(text: string, width: number, style: TextStyle): string {
    if (this.width(text, style) <= width) return text;
    const chars = [...text];
    while (chars.length > 0 && this.width(`${chars.join('')}…`, style) > width) chars.pop();
    return chars.length === 0 ? '' : `${chars.join('')}…`;
  }

  /** Splits `text` into lines no wider than `width` (words, then characters). */
  wrap(text: string, width: number, style: TextStyle): string[] {
    if (this.width(text, style) <= width) return [text];
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (this.width(candidate, style) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      let rest = word;
      while (this.width(rest, style) > width) {
        const chars = [...rest];
        let n = chars.length - 1;
        while (n > 1 && this.width(chars.slice(0, n).join(''), style) > width) n--;
        lines.push(chars.slice(0, n).join(''));
        rest = chars.slice(n).join('');
      }
      line = rest;
    }
    if (line !== '') lines.push(line);
    return lines;
  }

  rect(x: number, y: number, w: number, h: number, opts: { fill?: Rgb; stroke?: Rgb; lineWidth?: number }): void {
    const parts: string[] = [];
    if (opts.fill !== undefined) parts.push(`${num(opts.fill[0])} ${num(opts.fill[1])} ${num(opts.fill[2])} rg`);
    if (opts.stroke !== undefined) {
      parts.push(`${num(opts.stroke[0])} ${num(opts.stroke[1])} ${num(opts.stroke[2])} RG ${num(opts.lineWidth ?? 0.5)} w`);
    }
    const op = opts.fill !== undefined && opts.stroke !== undefined ? 'B' : opts.fill !== undefined ? 'f' : 'S';
    parts.push(`${num(x)} ${num(y)} ${num(w)} ${num(h)} re ${op}`);
    this.ops.push(parts.join(' '));
  }

  line(x1: number, y1: number, x2: number, y2: number, color: Rgb = RULE, width = 0.4): void {
    this.ops.push(`${num(color[0])} ${num(color[1])} ${num(color[2])} RG ${num(width)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  /** Paints image XObject `name` into the box (x, y, w, h). */
  image(name: string, x: number, y: number, w: number, h: number): void {
    this.ops.push(`q ${num(w)} 0 0 ${num(h)} ${num(x)} ${num(y)} cm /${name} Do Q`);
  }

  /** The content stream. Wrapped in q/Q so it never leaks graphics state. */
  toString(): string {
    return `q\n${this.ops.join('\n')}\nQ\n`;
  }
}
