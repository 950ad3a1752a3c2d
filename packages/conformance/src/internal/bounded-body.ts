import { ContractViolation } from '../contracts/contract-case.js';

interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Runs a contract case's body within `ms` milliseconds: an
 * implementation under test that never answers fails the case with a
 * {@link ContractViolation} instead of hanging the suite. The body keeps
 * running in the background; its late answer is ignored.
 */
export function boundedBody<T>(ms: number, body: () => Promise<T>): () => Promise<T> {
  return () => {
    const timers = globalThis as unknown as Timers;
    let handle: unknown;
    const late = new Promise<never>((_, reject) => {
      handle = timers.setTimeout(() => reject(new ContractViolation(`no answer within ${ms / 1000} s`)), ms);
    });
    const work = body();
    work.catch(() => undefined);
    return Promise.race([work, late]).finally(() => timers.clearTimeout(handle));
  };
}

/** Collects an async iterable of byte chunks into one array (a bounded number of bytes). */
export async function collectBytes(source: AsyncIterable<Uint8Array>, maxBytes = 256 * 1024 * 1024): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of source) {
    if (!(part instanceof Uint8Array)) throw new ContractViolation('lines() yielded something that is not a Uint8Array');
    total += part.length;
    if (total > maxBytes) throw new ContractViolation(`lines() yielded more than ${maxBytes} bytes`);
    parts.push(part);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
