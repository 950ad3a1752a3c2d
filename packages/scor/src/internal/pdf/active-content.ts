import { PdfReadError, CHAR_CLASS, skipOpaque, hexDigit, isDict, isName, PdfStream, PdfString, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import type { PdfDocument } from './document.js';

/**
 * What a PJ must not carry (SCOR-1): content that runs, or that reaches
 * outside the file, when a viewer opens it or a reader clicks in it.
 *
 * - `javascript`: JavaScript actions (ISO 32000-1 §12.6.4.16), the
 *   document-level name tree (§7.7.4), 3D JavaScript (`/OnInstantiate`,
 *   §13.6.3), and scripts of an XFA form (JavaScript or FormCalc).
 * - `launch`: launch actions (§12.6.4.5).
 * - `embeddedFiles`: embedded files (§7.11.4), file attachment annotations
 *   (§12.5.6.15), the EmbeddedFiles name tree.
 * - `submitForm`: submit-form actions (§12.7.5.2) and XFA `<submit>` /
 *   `<execute>` (form data sent to an address, a web service called).
 * - `importData`: import-data actions (§12.7.5.4), which read another file.
 * - `remoteGoTo`: go-to actions into another file (GoToR §12.6.4.3), into
 *   an embedded or external one (GoToE §12.6.4.4), or a thread action
 *   naming another file (§12.6.4.6) — a UNC path there makes Windows
 *   connect to the host and send the user's credentials.
 * - `multimedia`: RichMedia, 3D, Movie and Sound annotations and their
 *   actions, rendition actions (§13): played by plug-ins, often from URLs.
 * - `xfa`: an XFA form (`/AcroForm /XFA`): a viewer may render it instead
 *   of the pages, and it may hold scripts and data connections.
 * - `externalContent`: a stream whose data is in another file (`/F`,
 *   §7.3.8.2) or a reference XObject (`/Ref`, §8.10.4).
 */
export type ActiveKind = 'javascript' | 'launch' | 'embeddedFiles' | 'submitForm' | 'importData' | 'remoteGoTo' | 'multimedia' | 'xfa' | 'externalContent';

/** A URI action (§12.6.4.7): its address, and whether a trigger runs it without a click. */
export interface UriAction {
  readonly uri: string;
  /** Reached from /OpenAction or an /AA trigger (directly or through /Next): it runs by itself. */
  readonly automatic: boolean;
}

/** What {@link findActiveContent} found. */
export interface ActiveContent {
  readonly kinds: ReadonlySet<ActiveKind>;
  /** The first file or address seen for a kind that names one (launch, submit, import, remote go-to). */
  readonly targets: ReadonlyMap<ActiveKind, string>;
  /** Every URI action, once each. */
  readonly uris: readonly UriAction[];
}

/** Names that mark a kind wherever they appear (the pdfid approach). */
const MARKS: Readonly<Record<string, ActiveKind>> = {
  JS: 'javascript',
  JavaScript: 'javascript',
  OnInstantiate: 'javascript',
  Launch: 'launch',
  EmbeddedFiles: 'embeddedFiles',
  EmbeddedFile: 'embeddedFiles',
  EF: 'embeddedFiles',
  FileAttachment: 'embeddedFiles',
  SubmitForm: 'submitForm',
  ImportData: 'importData',
  GoToR: 'remoteGoTo',
  GoToE: 'remoteGoTo',
  RichMedia: 'multimedia',
  RichMediaExecute: 'multimedia',
  '3D': 'multimedia',
  Movie: 'multimedia',
  Sound: 'multimedia',
  Rendition: 'multimedia',
  XFA: 'xfa',
  FFilter: 'externalContent',
  FDecodeParms: 'externalContent',
};

/**
 * Names whose object is also read as objects: a URI action is judged by its
 * address and its trigger, triggers (/OpenAction, /AA) are followed, an XFA
 * form is decoded for its scripts, and targets are read for the message.
 */
const LOOK = new Set(['URI', 'OpenAction', 'AA', 'XFA', 'Thread', 'Launch', 'SubmitForm', 'ImportData', 'GoToR', 'GoToE']);

/** Keys of a stream dictionary that put its data, or its content, in another file. */
const EXTERNAL_STREAM_KEYS = new Set(['F', 'FFilter', 'FDecodeParms', 'Ref']);

/** Action types (`/S`) whose target is a file or an address, and the kind each marks. */
const TARGETED: Readonly<Record<string, ActiveKind>> = {
  Launch: 'launch',
  SubmitForm: 'submitForm',
  ImportData: 'importData',
  GoToR: 'remoteGoTo',
  GoToE: 'remoteGoTo',
};

/** Longest unescaped name compared (`RichMediaExecute`); escaped ones may be four times longer. */
const MAX_NAME = 16;

/** XFA elements that run a script, send the form's data or call a web service (XFA 3.3 §§ 25, 27). */
const XFA_ACTIVE = /<(?:[A-Za-z_][\w.-]*:)?(script|submit|execute)[\s/>]/g;

/**
 * Finds the active content of a PJ, within the reading's budget.
 *
 * 1. Every object the cross-reference data lists — objects in object
 *    streams included — is skimmed token by token for the names that mark
 *    each kind (`/JS`, `/Launch`, `/SubmitForm`, `/GoToR`, `/RichMedia`,
 *    `/XFA`…), the way pdfid does: strings and comments skipped whole,
 *    stream data never read, names compared after `#xx` decoding (so
 *    `/J#61vaScript` is found), wherever the name sits — a catalog, a page,
 *    an annotation, a field, an outline item, a name tree, a /Next chain,
 *    an object nobody refers to. A stream whose dictionary has `/F`,
 *    `/FFilter`, `/FDecodeParms` or `/Ref` at its top level is external.
 * 2. The objects that hold a URI action, a trigger (/OpenAction, /AA), an
 *    XFA form or a targeted action are then read as objects: every URI
 *    action with its address; every action a trigger reaches, through
 *    references and /Next chains (each action once, so loops end), marked
 *    automatic; the XFA streams decoded and searched for `<script>`,
 *    `<submit>` and `<execute>` elements (UTF-8 or UTF-16).
 *
 * Each object is read once (the document caches it), each action followed
 * once, every token spends the budget: a hostile file ends with
 * `ERR_PJ_TOO_COMPLEX`, never a hang.
 */
export function findActiveContent(doc: PdfDocument): ActiveContent {
  const kinds = new Set<ActiveKind>();
  const look = new Set<number>();
  const mark = (name: string): boolean => {
    const kind = MARKS[name];
    if (kind !== undefined) kinds.add(kind);
    return LOOK.has(name);
  };
  const b = doc.bytes;
  for (const { num, offset } of doc.objectLocations()) {
    const found = skim(doc, b, offset, mark, true);
    if (found.look) look.add(num);
    if (found.external) kinds.add('externalContent');
  }
  let streams: { data: Uint8Array; members: number[] }[];
  try {
    streams = doc.objectStreams();
  } catch (e) {
    if (e instanceof PdfReadError && e.reason !== 'too-complex') streams = [];
    else throw e;
  }
  for (const { data, members } of streams) if (skim(doc, data, 0, mark, false).look) for (const m of members) look.add(m);
  markTrailer(doc.trailer, mark);
  const reader = new StructureReader(doc, kinds);
  reader.read([...look].sort((x, y) => x - y));
  return { kinds, targets: reader.targets, uris: reader.uriActions() };
}

function markTrailer(dict: PdfDict, mark: (name: string) => boolean): void {
  for (const [k, v] of dict) {
    mark(k);
    if (isName(v)) mark(v.value);
    else if (isDict(v)) markTrailer(v, mark);
  }
}

/**
 * Skims tokens from `start`: in the file, one object up to its `stream`
 * or `endobj` keyword (after its dictionary closes); in an object stream, all of it. `look`: a name of
 * {@link LOOK} was seen; `external`: the object is a stream whose
 * dictionary names external data.
 */
function skim(doc: PdfDocument, b: Uint8Array, start: number, mark: (name: string) => boolean, oneObject: boolean): { look: boolean; external: boolean } {
  const end = b.length;
  let p = start;
  let depth = 0;
  let look = false;
  let externalKey = false;
  let external = false;
  let header = false;
  let inData = false;
  while (p < end) {
    const c = b[p]!;
    const cls = CHAR_CLASS[c]!;
    if (cls === 1) {
      p++;
      continue;
    }
    if (c === 0x3c && b[p + 1] === 0x3c) {
      depth++;
      p += 2;
      continue;
    }
    if (c === 0x3e && b[p + 1] === 0x3e) {
      depth--;
      p += 2;
      continue;
    }
    const skipped = skipOpaque(b, p, end);
    if (skipped >= 0) {
      p = skipped;
    } else if (c === 0x2f) {
      const from = ++p;
      let escaped = false;
      while (p < end && CHAR_CLASS[b[p]!] === 0) {
        if (b[p] === 0x23) escaped = true;
        p++;
      }
      const n = p - from;
      if (n >= 1 && n <= (escaped ? 4 * MAX_NAME : MAX_NAME)) {
        const name = nameText(b, from, p, escaped);
        if (mark(name)) look = true;
        if (depth === 1 && EXTERNAL_STREAM_KEYS.has(name)) externalKey = true;
      }
    } else if (cls === 2) {
      p++;
    } else {
      const from = p;
      while (p < end && CHAR_CLASS[b[p]!] === 0) p++;
      if (!oneObject) continue;
      // The object ends at `stream` or `endobj` once its dictionary is closed. Inside an unclosed
      // one they are a broken writer's (or a hiding place: some readers skip them and read on),
      // so the skim goes on — through a stream's data to its `endstream`, or to the next object's `obj`.
      if (isWord(b, from, p, 'obj')) {
        if (header) break;
        header = true;
      } else if (isWord(b, from, p, 'stream')) {
        if (depth <= 0) {
          external = externalKey;
          break;
        }
        inData = true;
      } else if (isWord(b, from, p, 'endstream')) {
        if (inData || depth <= 0) break;
      } else if (depth <= 0 && isWord(b, from, p, 'endobj')) break;
    }
  }
  doc.budget.spend((p - start) >>> 5);
  return { look, external };
}

function isWord(b: Uint8Array, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[from + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** The name's value, `#xx` escapes decoded (§7.3.5). */
function nameText(b: Uint8Array, from: number, to: number, escaped: boolean): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (escaped && c === 0x23 && i + 2 < to && hexDigit(b[i + 1]!) >= 0 && hexDigit(b[i + 2]!) >= 0) {
      s += String.fromCharCode((hexDigit(b[i + 1]!) << 4) | hexDigit(b[i + 2]!));
      i += 2;
    } else s += String.fromCharCode(c);
  }
  return s;
}

/** Reads, as objects, the few objects the skim pointed at (step 2 of {@link findActiveContent}). */
class StructureReader {
  readonly targets = new Map<ActiveKind, string>();
  /** Every action dictionary seen, with whether a trigger reaches it. */
  readonly #actions = new Map<PdfDict, boolean>();
  readonly #triggers: PdfValue[] = [];
  readonly #xfa: PdfValue[] = [];

  constructor(
    readonly doc: PdfDocument,
    readonly kinds: Set<ActiveKind>,
  ) {}

  read(nums: readonly number[]): void {
    for (const num of nums) {
      const value = this.tryRead(() => this.doc.object(num));
      if (value !== undefined) this.visit(value);
    }
    this.visit(this.doc.trailer);
    this.followTriggers();
    for (const v of this.#xfa) this.tryRead(() => this.readXfa(v));
  }

  uriActions(): UriAction[] {
    const out: UriAction[] = [];
    for (const [action, automatic] of this.#actions) {
      const uri = this.tryRead(() => this.doc.resolve(action.get('URI')));
      if (isName(action.get('S'), 'URI') && uri instanceof PdfString) out.push({ uri: uri.text(), automatic });
    }
    return out;
  }

  /** Runs `read`; a part that does not read is skipped (what the check needs was marked by the skim). */
  private tryRead<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (e instanceof PdfReadError && e.reason !== 'too-complex') return undefined;
      throw e;
    }
  }

  /** Walks one object's direct values (references are not followed here), noting actions, triggers and XFA forms. */
  private visit(root: PdfValue): void {
    const stack: PdfValue[] = [root];
    while (stack.length > 0) {
      const v = stack.pop()!;
      this.doc.budget.spend(1);
      if (Array.isArray(v)) {
        for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x);
        continue;
      }
      const dict = v instanceof PdfStream ? v.dict : isDict(v) ? v : undefined;
      if (dict === undefined) continue;
      const type = dict.get('S');
      if (isName(type)) this.action(dict, type.value, false);
      const open = dict.get('OpenAction');
      if (open !== undefined) this.#triggers.push(open);
      const aa = dict.get('AA');
      if (aa !== undefined) this.#triggers.push(aa);
      const xfa = dict.get('XFA');
      if (xfa !== undefined) this.#xfa.push(xfa);
      for (const x of dict.values()) if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }

  /** Notes an action (`automatic` once a trigger reaches it) and the file or address it names. */
  private action(dict: PdfDict, type: string, automatic: boolean): void {
    this.#actions.set(dict, automatic || this.#actions.get(dict) === true);
    const kind = type === 'Thread' ? (dict.has('F') ? 'remoteGoTo' : undefined) : TARGETED[type];
    if (kind === undefined) return;
    this.kinds.add(kind);
    if (!this.targets.has(kind)) {
      const target = this.tryRead(() => fileSpecText(this.doc, dict.get('F') ?? dict.get('Win')));
      if (target !== undefined) this.targets.set(kind, target);
    }
  }

  /**
   * Follows every trigger: /OpenAction (an action, or a destination), /AA
   * (a dictionary of triggers), through references and /Next (an action or
   * an array of them). Each action is followed once: loops end, and the
   * work is bounded by the objects of the file.
   */
  private followTriggers(): void {
    const seen = new Set<PdfDict>();
    const queue: PdfValue[] = [];
    const push = (v: PdfValue | undefined): void => {
      const r = this.tryRead(() => this.doc.resolve(v));
      if (Array.isArray(r)) for (const x of r) queue.push(x);
      else if (r !== undefined && r !== null) queue.push(r);
    };
    for (const t of this.#triggers) {
      const r = this.tryRead(() => this.doc.resolve(t));
      if (!isDict(r)) continue;
      if (isName(r.get('S')))
        queue.push(r); // /OpenAction's action
      else for (const v of r.values()) push(v); // /AA's triggers
    }
    while (queue.length > 0) {
      this.doc.budget.spend(4);
      const a = this.tryRead(() => this.doc.resolve(queue.pop()));
      if (!isDict(a) || seen.has(a)) continue;
      seen.add(a);
      const type = a.get('S');
      if (isName(type)) this.action(a, type.value, true);
      push(a.get('Next'));
    }
  }

  /** Decodes an XFA form (one stream, or an array of packet names and streams) and looks for its active elements. */
  private readXfa(value: PdfValue): void {
    const v = this.doc.resolve(value);
    const streams: PdfStream[] = [];
    if (v instanceof PdfStream) streams.push(v);
    else if (Array.isArray(v))
      for (const x of v) {
        const s = this.tryRead(() => this.doc.resolve(x));
        if (s instanceof PdfStream) streams.push(s);
      }
    if (streams.length === 0) return;
    this.kinds.add('xfa');
    // The packets are one XML document in order: a tag may straddle two of them.
    const parts = streams.map((s) => this.tryRead(() => this.doc.decode(s).bytes) ?? new Uint8Array());
    const text = parts.map(xmlText).join('');
    for (const m of text.matchAll(XFA_ACTIVE)) this.kinds.add(m[1] === 'script' ? 'javascript' : 'submitForm');
  }
}

/** XML bytes as text: UTF-16 (with a byte-order mark, or NULs in every other byte) or else byte for byte (UTF-8's markup is ASCII). */
function xmlText(b: Uint8Array): string {
  let le = b[0] === 0xff && b[1] === 0xfe;
  let be = b[0] === 0xfe && b[1] === 0xff;
  if (!le && !be && b.length >= 4) {
    if (b[0] === 0 && b[2] === 0 && b[1] !== 0) be = true;
    else if (b[1] === 0 && b[3] === 0 && b[0] !== 0) le = true;
  }
  if (le || be) return new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(b);
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** The file a file specification names (§7.11): a string, or a dictionary's /UF, /F, /Unix, /DOS or /Mac. */
function fileSpecText(doc: PdfDocument, v: PdfValue | undefined): string | undefined {
  const spec = doc.resolve(v);
  if (spec instanceof PdfString) return spec.text();
  if (!isDict(spec)) return undefined;
  for (const key of ['UF', 'F', 'Unix', 'DOS', 'Mac']) {
    const s = doc.resolve(spec.get(key));
    if (s instanceof PdfString) return s.text();
  }
  return undefined;
}
