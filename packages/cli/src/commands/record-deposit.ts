import { isS3404Error } from '@s3404/core';
import { readInput, removeInputFile, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import type { RecordOptions } from './record-options.js';
import { openRecordState } from './record-state.js';

/**
 * `s3404 record deposit FILE.p7m [--trust CA] (--state DIR | --store URL)
 * [--keep-input] [--json]` (SIG-6): verifies a sealed record (only reads it
 * without `--trust`; `record consume` verifies it), stores it
 * pending, encrypted under a fresh key, and prints its handle — the only
 * copy of that key. `record consume --handle H` uses it once; without the
 * handle the stored ciphertext opens for no one. FILE is then removed
 * (unless `--keep-input`): the pending store holds the record now. A
 * store that fails (`ERR_STORE_UNAVAILABLE`: a connection cut, maybe after
 * its write) is tried twice more, 0.2 s then 1 s later, in this process —
 * the consumer kept the key it used, so a write that landed is finished and
 * its handle printed; once the process ends, that key is gone.
 */
export async function depositCommand(io: Io, file: string, o: RecordOptions): Promise<number> {
  const bytes = await readInput(io, file);
  // With --trust the seal is verified before anything is stored; without, the record is only read
  // (structure, signing time, content) and its seal is judged by record consume, which needs --trust.
  const state = await openRecordState(io, 'deposit', o, o.trust === undefined ? 'none' : 'trust');
  let deposit: Awaited<ReturnType<typeof state.consumer.deposit>>;
  try {
    deposit = await retryingUnavailable(() => state.consumer.deposit({ bytes }, { verify: o.trust !== undefined }));
  } finally {
    await state.close();
    bytes.fill(0);
  }
  const removed = o.keepInput ? 'kept' : await removeInputFile(io, file);
  if (removed !== true && removed !== 'kept' && removed !== 'stdin') {
    io.stderr(
      line(
        o.locale,
        `Attention : le fichier ${file} n'a pas pu être supprimé (${removed}) ; supprimez-le : la signature est en attente dans le stockage.`,
        `Warning: the file ${file} could not be removed (${removed}); delete it: the signature is pending in the store.`,
      ),
    );
  }
  if (o.json) printJson(io, { deposited: true, ...deposit, input: { path: file, removed: removed === true } });
  else {
    io.stdout(
      line(
        o.locale,
        `Signature déposée en attente : ${deposit.recordId} (${deposit.target}, utilisable jusqu'au ${deposit.expiresAt})`,
        `Signature deposited, pending: ${deposit.recordId} (${deposit.target}, usable until ${deposit.expiresAt})`,
      ),
    );
    io.stdout(
      line(
        o.locale,
        'Poignée (contient la clé ; à ne transmettre qu’à qui la consommera) :',
        'Handle (it holds the key; give it only to whoever will consume it):',
      ),
    );
    io.stdout(`${deposit.handle}\n`);
  }
  return 0;
}

/**
 * `s3404 record sweep (--state DIR | --store URL) [--json]` (SIG-6): deletes
 * the pending records past their expiry, and those claimed by a use that
 * never completed once the claim's grace is over; traced with `--state`.
 */
export async function sweepCommand(io: Io, o: RecordOptions): Promise<number> {
  const state = await openRecordState(io, 'sweep', o, 'none');
  try {
    const r = await state.consumer.sweep();
    if (o.json) printJson(io, { swept: true, ...r, at: state.at.toISOString() });
    else
      io.stdout(
        line(
          o.locale,
          `Signatures en attente supprimées : ${r.expired} expirée(s), ${r.abandoned} abandonnée(s)`,
          `Pending signatures deleted: ${r.expired} expired, ${r.abandoned} abandoned`,
        ),
      );
    return 0;
  } finally {
    await state.close();
  }
}

/** Waits before each new try of a deposit whose store failed, milliseconds. */
const RETRY_AFTER_MS = [200, 1000];

/** `run`, tried again after {@link RETRY_AFTER_MS} while it fails with `ERR_STORE_UNAVAILABLE` (SIG-6). */
async function retryingUnavailable<R>(run: () => Promise<R>): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const wait = RETRY_AFTER_MS[attempt];
      if (wait === undefined || !isS3404Error(e) || e.code !== 'ERR_STORE_UNAVAILABLE') throw e;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
