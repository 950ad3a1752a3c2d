/**
 * Looks for known byte runs ("needles") in every regular file under a
 * directory, for the crypto-shredding evidence of SIG-6 (issue 15): what a
 * storage server wrote to disk (heap, TOAST, WAL, AOF, RDB, SQLite pages and
 * WAL) must hold no run of a signature image, its base64 text or its strokes.
 *
 * Every needle is a window of {@link NEEDLE_BYTES} bytes; a whole file is
 * scanned once with a rolling hash (Rabin–Karp) whatever the number of
 * needles, and a hash hit is confirmed byte for byte.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PendingCipherCrypto } from '@s3404/seal';

/** The length of every needle, bytes. */
export const NEEDLE_BYTES = 48;

/** One needle found: which, in which file, where. */
export interface NeedleHit {
  readonly label: string;
  readonly file: string;
  readonly offset: number;
}

/** What a scan read and found. */
export interface ScanReport {
  readonly files: number;
  readonly bytes: number;
  /** Files that could not be read (vanished, permissions): skipped. */
  readonly unreadable: readonly string[];
  /** At most one hit per needle label and file. */
  readonly hits: readonly NeedleHit[];
}

const BASE = 0x9e3779b1 | 0;
const BASE_TOP = (() => {
  let p = 1;
  for (let i = 1; i < NEEDLE_BYTES; i++) p = Math.imul(p, BASE);
  return p;
})();

function hashAt(b: Uint8Array, start: number): number {
  let h = 0;
  for (let i = start; i < start + NEEDLE_BYTES; i++) h = (Math.imul(h, BASE) + b[i]!) | 0;
  return h;
}

interface Needle {
  readonly label: string;
  readonly bytes: Uint8Array;
}

/** A set of needles, each labelled with what it comes from (`pg record 3: png@2048`). */
export class NeedleSet {
  readonly #byHash = new Map<number, Needle[]>();
  // One bit per 24-bit hash prefix: most positions of a file are rejected here, without a Map lookup.
  readonly #filter = new Uint8Array(1 << 21);
  #size = 0;

  /** Adds the windows of `data[start, end)` every `stride` bytes, and the last one. */
  add(label: string, data: Uint8Array, options: { readonly start?: number; readonly end?: number; readonly stride?: number } = {}): this {
    const start = options.start ?? 0;
    const end = options.end ?? data.length;
    const stride = options.stride ?? 64;
    if (end - start < NEEDLE_BYTES) throw new TypeError(`NeedleSet.add(${label}): fewer than ${NEEDLE_BYTES} bytes`);
    const offsets: number[] = [];
    for (let o = start; o + NEEDLE_BYTES <= end; o += stride) offsets.push(o);
    if (offsets.at(-1) !== end - NEEDLE_BYTES) offsets.push(end - NEEDLE_BYTES);
    for (const o of offsets) {
      const bytes = data.slice(o, o + NEEDLE_BYTES);
      const h = hashAt(bytes, 0);
      const list = this.#byHash.get(h);
      const needle = { label: `${label}@${o - start}`, bytes };
      if (list === undefined) this.#byHash.set(h, [needle]);
      else list.push(needle);
      this.#filter[h >>> 11]! |= 1 << ((h >>> 8) & 7);
      this.#size++;
    }
    return this;
  }

  /** Adds the windows of a text's UTF-8 bytes. */
  addText(label: string, text: string, options: { readonly stride?: number } = {}): this {
    return this.add(label, new TextEncoder().encode(text), options);
  }

  /** How many windows it holds. */
  get size(): number {
    return this.#size;
  }

  /** The needles found in `b`, at most one per label. */
  find(b: Uint8Array): { label: string; offset: number }[] {
    const found = new Map<string, number>();
    if (b.length < NEEDLE_BYTES) return [];
    const filter = this.#filter;
    let h = hashAt(b, 0);
    for (let i = 0; ; i++) {
      if ((filter[h >>> 11]! & (1 << ((h >>> 8) & 7))) !== 0) {
        for (const n of this.#byHash.get(h) ?? []) {
          if (!found.has(n.label) && equalAt(b, i, n.bytes)) found.set(n.label, i);
        }
      }
      if (i + NEEDLE_BYTES >= b.length) break;
      h = (Math.imul((h - Math.imul(b[i]!, BASE_TOP)) | 0, BASE) + b[i + NEEDLE_BYTES]!) | 0;
    }
    return [...found].map(([label, offset]) => ({ label, offset }));
  }
}

function equalAt(b: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let j = 0; j < needle.length; j++) if (b[at + j] !== needle[j]) return false;
  return true;
}

/** Every regular file under `root`, recursively; symbolic links are not followed. */
export function regularFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable directory: its files are reported by nobody, like skipped files
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) out.push(path);
    }
  };
  if (lstatSync(root).isDirectory()) walk(root);
  else out.push(root);
  return out.sort();
}

/** Reads every regular file under the roots (directories or files) and looks for the needles. */
export function scanForNeedles(roots: string | readonly string[], needles: NeedleSet): ScanReport {
  const files = (typeof roots === 'string' ? [roots] : roots).flatMap((r) => regularFiles(r));
  const unreadable: string[] = [];
  const hits: NeedleHit[] = [];
  let bytes = 0;
  let read = 0;
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      unreadable.push(file);
      continue;
    }
    read++;
    bytes += content.length;
    for (const h of needles.find(content)) hits.push({ label: h.label, file, offset: h.offset });
  }
  return { files: read, bytes, unreadable, hits };
}

/** A short account of hits for an assertion message: which needles, in which files. */
export function describeHits(report: ScanReport, max = 12): string {
  const lines = report.hits.slice(0, max).map((h) => `${h.label} in ${h.file} at ${h.offset}`);
  if (report.hits.length > max) lines.push(`… and ${report.hits.length - max} more`);
  return `${report.hits.length} hit(s) in ${report.files} files (${report.bytes} bytes):\n${lines.join('\n')}`;
}

/**
 * The control of every scan: an AES-GCM stand-in that does not encrypt (the
 * "ciphertext" is the plaintext and 16 zero bytes), given to `createConsumer`
 * as `crypto`. A store written through it holds the records in clear — the
 * state before issue 15 — and the same scans must find them.
 */
export const clearTextCipher: PendingCipherCrypto = {
  subtle: {
    importKey: async () => ({}),
    encrypt: async (_algorithm, _key, data) => {
      const out = new Uint8Array(data.length + 16);
      out.set(data);
      return out.buffer;
    },
    decrypt: async (_algorithm, _key, data) => data.slice(0, data.length - 16).buffer,
  },
};
