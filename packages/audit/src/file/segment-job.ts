import { createReadStream } from 'node:fs';
import type { SegmentTask } from '../internal/verify-segments.js';
import { ChainVerifier, feedLines, type SegmentResult, type SegmentStart, type VerifyLogOptions } from '../verify-log.js';
import { nodeSha256 } from '@s3404/core/node';

/** A segment of a trace file to verify (AUD-2): the file, the bytes, where the trace starts, the options that can cross threads. */
export interface SegmentJob {
  readonly id: number;
  readonly path: string;
  readonly task: SegmentTask;
  readonly start: SegmentStart;
  readonly options: Pick<VerifyLogOptions, 'strict' | 'maxLineBytes' | 'clockSkewSeconds' | 'expect' | 'locale'>;
}

/** Verifies one segment of a trace file, streaming its bytes, with Node's native SHA-256: in a worker thread or in the calling one. */
export async function runSegmentJob(job: SegmentJob): Promise<SegmentResult> {
  const v = new ChainVerifier({ ...job.options, sha256: nodeSha256 }, job.task.anchored ? job.start : null);
  if (job.task.end > job.task.start) {
    const stream = createReadStream(job.path, { start: job.task.start, end: job.task.end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    await feedLines(v, stream, job.options.maxLineBytes ?? 1 << 20);
  }
  return v.segmentResult();
}
