/**
 * A worker of the drop-folder tests (SCOR-3, X-2, issue 19): sends one lot's
 * container with `FileDropTransport`, whole (`send`) or chunk by chunk
 * (`sendChunks`), and prints a JSON report on stdout: `{ reference }`, or
 * the refusal's code. Its parent runs it under a file-size limit
 * (`ulimit -f`): a disk that fills up in the middle of the write.
 *
 *   node --conditions=@s3404/source --import tsx drop-worker.ts JOB.json
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FileDropTransport } from '@s3404/scor/file';

interface Job {
  readonly dir: string;
  readonly container: string;
  readonly mode: 'send' | 'sendChunks';
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;

async function main(): Promise<void> {
  const bytes = new Uint8Array(readFileSync(job.container));
  const lot = { lotId: '750300360-042-dropworker', finess: '750300360', b2LotNumber: '042', fileName: 'LOT.zip', mediaType: 'application/zip', attempt: 1 };
  const transport = new FileDropTransport({ dir: job.dir });
  try {
    const receipt =
      job.mode === 'send'
        ? await transport.send({ ...lot, bytes })
        : await transport.sendChunks({
            ...lot,
            length: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            chunks: (async function* () {
              for (let i = 0; i < bytes.length; i += 16_384) yield bytes.subarray(i, i + 16_384);
            })(),
          });
    process.stdout.write(JSON.stringify(receipt));
  } catch (e) {
    process.stdout.write(JSON.stringify({ code: (e as { code?: string }).code ?? String(e) }));
  }
}

await main();
