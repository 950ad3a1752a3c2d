/**
 * A depositing and consuming process for the crypto-shredding evidence
 * (SIG-6, issue 15, test/shred-disk.test.ts), meant to be SIGKILLed. Reads
 * its job from a JSON file given as the only argument, opens every store of
 * the job, writes `{"e":"ready"}` on stdout and waits for one line on stdin;
 * then, on all stores at once, deposits the job's records (`deposit` step)
 * and draws each on its bordereau PDF with `applySignature` (`consume` step).
 * Each durable step is reported on stdout, one JSON line, after it returned:
 * `deposited` (with the handle only for a record marked `share`: the others'
 * keys live only in this process's memory key holder), `applied`, `failed`,
 * then `done`. It never exits by itself: the parent kills it (a safety
 * timer ends it after two minutes). With `clear`, its consumers write the
 * records in clear (`clearTextCipher`): the control the scans must catch.
 *
 *   node --conditions=@s3404/source --import tsx shred-worker.ts JOB.json
 *
 * (the test runs it bundled from the same sources, to start faster).
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumer, type SealedRecord } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { openConsumptionStore } from '@s3404/seal/stores';
import { clearTextCipher } from '../disk-scan.js';

/** A sealed record as JSON: its bytes in base64. */
export interface JobRecord {
  readonly recordId: string;
  readonly digest: string;
  readonly signingTime: string;
  readonly record: SealedRecord['record'];
  readonly bytes: string;
  /** The unsigned bordereau PDF to draw it on. */
  readonly pdf: string;
  /** Report its handle (its key) to the parent. */
  readonly share?: boolean;
  /** Consume it by this handle rather than by its id (key from the holder). */
  readonly handle?: string;
}

export interface ShredJob {
  readonly tag: string;
  readonly ca: string; // base64 DER
  readonly now: string;
  readonly ttlSeconds: number;
  readonly claimGraceSeconds: number;
  readonly steps: readonly ('deposit' | 'consume')[];
  /** How long saving a signed PDF takes besides the write and fsync (a network volume), ms. Default 0. */
  readonly saveDelayMs?: number;
  /** Write the records in clear: a control, never the real thing. */
  readonly clear?: boolean;
  readonly outDir: string;
  readonly stores: readonly { readonly name: string; readonly url: string; readonly records: readonly JobRecord[] }[];
}

/** A line of the worker's report. */
export type ShredEvent =
  | { readonly e: 'ready' | 'done' }
  | { readonly e: 'deposited'; readonly store: string; readonly recordId: string; readonly handle?: string }
  | { readonly e: 'applied'; readonly store: string; readonly recordId: string; readonly requestId: string }
  | { readonly e: 'failed'; readonly store: string; readonly recordId: string; readonly code: string };

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ShredJob;
const report = (event: ShredEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
setTimeout(() => process.exit(3), 120_000);

/** Writes the signed PDF and waits for the disk, as a service must before the record is marked used. */
function saveDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const trustAnchors = [new Uint8Array(Buffer.from(job.ca, 'base64'))];
  const now = new Date(job.now);
  const opened = await Promise.all(
    job.stores.map(async (s) => {
      const store = await openConsumptionStore(s.url);
      // The default key holder: this process's memory, gone with it.
      const consumer = createConsumer({
        store,
        trustAnchors,
        now: () => now,
        ttlSeconds: job.ttlSeconds,
        claimGraceSeconds: job.claimGraceSeconds,
        consumerId: job.tag,
        ...(job.clear === true ? { crypto: clearTextCipher } : {}),
      });
      return { ...s, consumer };
    }),
  );
  const pdfs = new Map<string, Uint8Array>();
  for (const s of job.stores) for (const r of s.records) if (!pdfs.has(r.pdf)) pdfs.set(r.pdf, new Uint8Array(readFileSync(r.pdf)));
  report({ e: 'ready' });
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  await Promise.all(
    opened.map(async (s) => {
      if (job.steps.includes('deposit')) {
        for (const r of s.records) {
          const { bytes, pdf: _pdf, share, handle: _handle, ...fields } = r;
          const deposit = await s.consumer.deposit({ ...fields, bytes: new Uint8Array(Buffer.from(bytes, 'base64')) });
          report({ e: 'deposited', store: s.name, recordId: r.recordId, ...(share === true ? { handle: deposit.handle } : {}) });
        }
      }
      if (job.steps.includes('consume')) {
        for (const [i, r] of s.records.entries()) {
          const requestId = `${job.tag}:${s.name}:${i}`;
          try {
            const applied = await applySignature(s.consumer, {
              input: r.handle === undefined ? { recordId: r.recordId } : { handle: r.handle },
              pdf: pdfs.get(r.pdf)!,
              requestId,
              save: async (signed) => {
                saveDurably(join(job.outDir, `${s.name}-${r.recordId}.pdf`), signed);
                if (job.saveDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, job.saveDelayMs));
              },
            });
            if (applied.status === 'applied') report({ e: 'applied', store: s.name, recordId: r.recordId, requestId });
          } catch (e) {
            report({ e: 'failed', store: s.name, recordId: r.recordId, code: (e as { code?: string }).code ?? String(e) });
          }
        }
      }
    }),
  );
  report({ e: 'done' });
  // Wait for the SIGKILL: nothing is closed cleanly.
  setInterval(() => undefined, 60_000);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ e: 'fatal', message: String(e), code: (e as { code?: string }).code })}\n`);
  process.exit(1);
});
