/**
 * The worker thread of `verifyLogFile(path, { threads })` (AUD-2): verifies
 * the segments of a trace file it is sent, one message each, and answers
 * with what each found. Not an entry point of its own: `verify-threads.ts`
 * starts it.
 *
 * @packageDocumentation
 */
import { parentPort } from 'node:worker_threads';
import { runSegmentJob, type SegmentJob } from './segment-job.js';

parentPort?.on('message', (job: SegmentJob) => {
  runSegmentJob(job).then(
    (result) => parentPort!.postMessage({ id: job.id, result }),
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
