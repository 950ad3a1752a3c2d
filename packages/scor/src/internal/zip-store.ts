/**
 * The byte layout of the SDK's lot container (SCOR-2): a ZIP (PKWARE APPNOTE
 * §4.3) with every entry stored (method 0), exactly as fflate's `zipSync`
 * writes it at level 0 — local header, data, no data descriptor, no extra
 * field, then the central directory and the end record, no ZIP64. The
 * in-memory codec ({@link sdkZipCodec}) writes it through fflate; the file
 * writer of `@s3404/scor/file` writes it entry by entry with these headers,
 * and a test checks both give the same bytes.
 */

/**
 * Every entry's DOS time: 1980-01-01 12:00. ZIP times have no time zone
 * and fflate writes the local fields of a Date, so the Date is built from
 * local fields at each call (the process's time zone may change): the
 * bytes are the same on every machine. The real time is the manifest's
 * `createdAt`. Noon is never in a DST gap.
 */
export const entryTime = (): Date => new Date(1980, 0, 1, 12, 0, 0);
/** Unix regular file, rw-r--r--, in the external attributes. */
export const ENTRY_ATTRS = (0o100644 << 16) >>> 0;
/** "Made by" Unix (APPNOTE §4.4.2). */
const MADE_BY_UNIX = 3;
const VERSION = 20;

/** Local header, central header and end record sizes without their name (APPNOTE §4.3.7, §4.3.12, §4.3.16). */
export const LOCAL_HEADER = 30;
export const CENTRAL_HEADER = 46;
export const END_RECORD = 22;

/** A stored entry, as the central directory lists it. */
export interface StoredEntry {
  readonly name: Uint8Array;
  /** Whether the name is UTF-8 beyond ASCII (general purpose bit 11, as fflate sets it). */
  readonly utf8: boolean;
  readonly crc: number;
  readonly size: number;
  readonly offset: number;
}

/** The DOS date and time of `date`'s local fields, as fflate packs them. */
export function dosDateTime(date: Date): number {
  const y = date.getFullYear() - 1980;
  return (
    ((y << 25) | ((date.getMonth() + 1) << 21) | (date.getDate() << 16) | (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1)) >>> 0
  );
}

/** An entry's name bytes and its UTF-8 flag. */
export function entryName(name: string): { readonly name: Uint8Array; readonly utf8: boolean } {
  const bytes = new TextEncoder().encode(name);
  return { name: bytes, utf8: bytes.length !== name.length };
}

function common(view: DataView, at: number, e: StoredEntry, dos: number): void {
  view.setUint16(at, VERSION, true);
  view.setUint16(at + 2, e.utf8 ? 0x0800 : 0, true);
  view.setUint16(at + 4, 0, true); // stored
  view.setUint32(at + 6, dos, true);
  view.setUint32(at + 10, e.crc >>> 0, true);
  view.setUint32(at + 14, e.size, true);
  view.setUint32(at + 18, e.size, true);
  view.setUint16(at + 22, e.name.length, true);
  view.setUint16(at + 24, 0, true); // no extra field
}

/** The local file header of a stored entry (APPNOTE §4.3.7). */
export function localHeader(e: StoredEntry, dos: number): Uint8Array {
  const out = new Uint8Array(LOCAL_HEADER + e.name.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x04034b50, true);
  common(view, 4, e, dos);
  out.set(e.name, LOCAL_HEADER);
  return out;
}

/** The central directory header of a stored entry (APPNOTE §4.3.12). */
export function centralHeader(e: StoredEntry, dos: number): Uint8Array {
  const out = new Uint8Array(CENTRAL_HEADER + e.name.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x02014b50, true);
  out[4] = VERSION;
  out[5] = MADE_BY_UNIX;
  common(view, 6, e, dos);
  // comment length, disk number, internal attributes: 0
  view.setUint32(38, ENTRY_ATTRS, true);
  view.setUint32(42, e.offset, true);
  out.set(e.name, CENTRAL_HEADER);
  return out;
}

/** The end of central directory record (APPNOTE §4.3.16). */
export function endRecord(count: number, directorySize: number, directoryOffset: number): Uint8Array {
  const out = new Uint8Array(END_RECORD);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, count, true);
  view.setUint16(10, count, true);
  view.setUint32(12, directorySize, true);
  view.setUint32(16, directoryOffset, true);
  return out;
}
