import { createHash } from 'node:crypto';
import { readFileBounded, writeFileAtomic } from '@s3404/core/node';
import type { Bordereau } from '@s3404/form';
import type { DemoClock } from './demo-clock.js';
import type { DemoPades, DemoPdfSealer } from './demo-pades.js';
import { signBordereau, type DemoSigning } from './demo-signing.js';

/** The largest PDF the demo reads back (the CLI's bound on an input). */
const MAX_PDF = 64 * 1024 * 1024;

/** One bordereau to render and have signed (SIG-1…SIG-6), its PDF to be written at `path`. */
export interface DemoSignJob {
  readonly index: number;
  readonly b: Bordereau;
  readonly path: string;
}

/** A bordereau rendered and signed by every signer but the director, its PDF on disk. */
export interface DemoSigned {
  readonly pages: number;
  readonly signatures: number;
  readonly contentHash: string;
}

/** A fully signed bordereau's PDF to seal (PAdES B-T) in place. */
export interface DemoSealJob {
  readonly path: string;
  /** Its name in the demo's outputs, for messages. */
  readonly name: string;
}

/** A bordereau sealed and verified: the verdict, and the sealed file's length and SHA-256 (hex). */
export interface DemoSealed extends DemoPades {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Where the demo's per-bordereau work runs (issue 19): on this thread
 * ({@link localLanes}) or on worker threads (`threadLanes`), with the same
 * results either way. Every call may run at once as others.
 */
export interface DemoLanes {
  sign(job: DemoSignJob): Promise<DemoSigned>;
  seal(job: DemoSealJob): Promise<DemoSealed>;
  close(): Promise<void>;
}

/**
 * The demo's lanes on this thread: `signing` signs (its store's commits put
 * on disk by `barrier` once a bordereau is signed) and `pades` seals, each
 * PDF read from and written to its file.
 */
export function localLanes(o: {
  signing: DemoSigning;
  pades: DemoPdfSealer;
  clock: DemoClock;
  step: number;
  barrier?: { sync(): Promise<void> } | undefined;
}): DemoLanes {
  const tick = (): void => o.clock.tick(o.step);
  return {
    async sign({ index, b, path }) {
      const { pdf, ...signed } = await signBordereau(o.signing, b, { now: o.clock.now, tick, index });
      await o.barrier?.sync();
      await writeFileAtomic(path, pdf);
      return signed;
    },
    async seal({ path, name }) {
      const { pdf, ...verdict } = await o.pades.seal(await readFileBounded(path, { maxBytes: MAX_PDF }), { name: `bordereaux/${name}` });
      await writeFileAtomic(path, pdf);
      return { ...verdict, bytes: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') };
    },
    async close() {},
  };
}
