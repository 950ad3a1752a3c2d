import { ChainVerifier, feedLines, type SegmentResult, type SegmentStart, type VerifyLogOptions, type VerifyReport } from '../verify-log.js';
import { DEFAULT_CLOCK_SKEW_SECONDS } from '../verify-log.js';

/**
 * Verification in periods (AUD-2): a trace is cut at checkpoint lines (a
 * checkpoint closes the period its Merkle root covers, so a segment ending
 * with it checks the whole period) and, after the last checkpoint, at any
 * line (nothing there is sealed by a root). Each segment is verified alone
 * — in worker threads on Node, one after the other elsewhere — then the
 * segments are joined: each must continue the one before it (the same
 * checkpoint line, or the next sequence number linked to its hash), no
 * event may be dated more than the skew before an earlier segment's latest
 * time, and the checkpoints' signatures are checked once, in order, as the
 * serial verification does. Anything else — a damaged segment, a seam that
 * does not join, a signature that does not hold — is left to the serial
 * verification, which names the damage: the verdicts and codes are the
 * serial ones by construction.
 */

/** One segment: the bytes `[start, end)` (whole lines). */
export interface SegmentTask {
  readonly start: number;
  readonly end: number;
  /** Its first line anchors the chain (every segment but the first). */
  readonly anchored: boolean;
  /** Its first line is the last line of the segment before (a checkpoint). */
  readonly overlap: boolean;
}

/** A checkpoint line: offset of its first byte and just after its newline. */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
}

/** How every canonical checkpoint line starts (the members are in sorted order, `action` first). */
export const CHECKPOINT_PREFIX = '{"action":"audit.checkpoint"';
const PREFIX = new TextEncoder().encode(CHECKPOINT_PREFIX);

/** The checkpoint lines and the line starts at or after each offset of `cuts`, in a trace held in memory. */
export function scanBytes(bytes: Uint8Array, cuts: readonly number[]): { checkpoints: LineSpan[]; lineStarts: (number | null)[] } {
  const checkpoints: LineSpan[] = [];
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start);
    if (nl < 0) break;
    if (startsWith(bytes, start)) checkpoints.push({ start, end: nl + 1 });
    start = nl + 1;
  }
  const lineStarts = cuts.map((c) => {
    if (c <= 0) return 0;
    const nl = bytes.indexOf(10, c - 1);
    return nl < 0 || nl + 1 >= bytes.length ? null : nl + 1;
  });
  return { checkpoints, lineStarts };
}

function startsWith(bytes: Uint8Array, at: number): boolean {
  if (at + PREFIX.length > bytes.length) return false;
  for (let i = 0; i < PREFIX.length; i++) if (bytes[at + i] !== PREFIX[i]) return false;
  return true;
}

/** The ideal cut offsets of a trace of `size` bytes in `count` segments. */
export function idealCuts(size: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < count; i++) out.push(Math.floor((i * size) / count));
  return out;
}

/**
 * Cuts a trace of `size` bytes into about `count` segments: at the
 * checkpoint line nearest each ideal cut, or — after the last checkpoint —
 * at the line start found for it (`lineStarts[i]`, for `idealCuts(size, count)[i]`).
 */
export function planSegments(size: number, count: number, checkpoints: readonly LineSpan[], lineStarts: readonly (number | null)[]): SegmentTask[] {
  const ideal = idealCuts(size, count);
  const lastEnd = checkpoints.length === 0 ? 0 : checkpoints[checkpoints.length - 1]!.end;
  const cuts = new Map<number, { overlap: boolean; end: number }>();
  ideal.forEach((at, i) => {
    if (at >= lastEnd) {
      const s = lineStarts[i];
      if (s !== null && s !== undefined && s >= lastEnd && s > 0 && s < size) cuts.set(s, { overlap: false, end: s });
      return;
    }
    // The checkpoint line nearest the ideal cut (not the first line: it anchors the whole trace).
    let lo = 0;
    let hi = checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (checkpoints[mid]!.start < at) lo = mid + 1;
      else hi = mid;
    }
    let best: LineSpan | null = null;
    for (const j of [lo - 1, lo]) {
      const c = checkpoints[j];
      if (c === undefined || c.start === 0) continue;
      if (best === null || Math.abs(c.start - at) < Math.abs(best.start - at)) best = c;
    }
    if (best !== null) cuts.set(best.start, { overlap: true, end: best.end });
  });
  const sorted = [...cuts.entries()].sort((a, b) => a[0] - b[0]);
  const tasks: SegmentTask[] = [];
  let start = 0;
  let anchored = false;
  let overlap = false;
  for (const [at, cut] of sorted) {
    tasks.push({ start, end: cut.end, anchored, overlap });
    start = at;
    anchored = true;
    overlap = cut.overlap;
  }
  tasks.push({ start, end: size, anchored, overlap });
  return tasks;
}

/** Where the trace starts, from its first line (`null`: that line does not verify, leave it to the serial verification). */
export async function traceStart(firstLine: Uint8Array, options: VerifyLogOptions): Promise<SegmentStart | null> {
  const v = new ChainVerifier(options);
  await feedLines(v, [firstLine], options.maxLineBytes ?? 1 << 20);
  const r = v.segmentResult();
  return r.ok && r.events === 1 ? { start: r.start, firstSeq: r.firstSeq, anchorTo: r.anchorTo } : null;
}

/** Verifies one segment of a trace held in memory (the runtime-neutral runner). */
export async function verifySegmentBytes(bytes: Uint8Array, task: SegmentTask, start: SegmentStart, options: VerifyLogOptions): Promise<SegmentResult> {
  const v = new ChainVerifier(options, task.anchored ? start : null);
  await feedLines(v, [bytes.subarray(task.start, task.end)], options.maxLineBytes ?? 1 << 20);
  return v.segmentResult();
}

/**
 * Joins what the segments found into the serial verification's report, or
 * `null` when they do not join cleanly (the caller then verifies serially).
 */
export async function joinSegments(tasks: readonly SegmentTask[], parts: readonly SegmentResult[], options: VerifyLogOptions): Promise<VerifyReport | null> {
  if (parts.some((p) => !p.ok || p.first === null || p.last === null)) return null;
  const skewMs = (options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
  let latest = parts[0]!.latest!;
  for (let k = 1; k < parts.length; k++) {
    const prev = parts[k - 1]!.last!;
    const cur = parts[k]!;
    const first = cur.first!;
    const joins = tasks[k]!.overlap ? first.seq === prev.seq && first.hash === prev.hash : first.seq === prev.seq + 1 && first.prev === prev.hash;
    if (!joins) return null;
    if (cur.minTime! < latest && Date.parse(cur.minTime!) < Date.parse(latest) - skewMs) return null;
    if (cur.latest! > latest) latest = cur.latest!;
  }
  const report = await ChainVerifier.joined(
    options,
    parts,
    tasks.map((t) => t.overlap),
  ).finish();
  return report.ok ? report : null;
}
