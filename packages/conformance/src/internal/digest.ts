import { toHex, type Sha256 } from '@s3404/core';

interface WebCrypto {
  readonly subtle: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> };
}

/**
 * The SHA-256 (hex) of some bytes: the `Sha256` given, else the
 * runtime's Web Crypto (Node ≥ 20, browsers, Deno, Bun).
 */
export async function sha256Hex(data: Uint8Array, sha256: Sha256 | undefined): Promise<string> {
  if (sha256 !== undefined) return toHex(sha256(data));
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto?.subtle === undefined) throw new TypeError('runConformance: this runtime has no Web Crypto; pass options.sha256');
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

/** UTF-8 bytes of a string (TextEncoder exists in every runtime the runner targets; ES2023 types do not name it). */
export function utf8(text: string): Uint8Array {
  const Encoder = (globalThis as unknown as { TextEncoder: new () => { encode(s: string): Uint8Array } }).TextEncoder;
  return new Encoder().encode(text);
}

/** A monotonic clock in milliseconds for timings, where the runtime has one. */
export function elapsedClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf === undefined ? () => Date.now() : () => perf.now();
}

/** The runtime that runs the vectors, e.g. `node 20.19.0`, `deno 2.1.0`, `bun 1.2.0`, or the browser's user agent. */
export function detectRuntime(): string {
  const g = globalThis as {
    Deno?: { version?: { deno?: string } };
    Bun?: { version?: string };
    process?: { versions?: { node?: string } };
    navigator?: { userAgent?: string };
  };
  if (g.Deno?.version?.deno !== undefined) return `deno ${g.Deno.version.deno}`;
  if (g.Bun?.version !== undefined) return `bun ${g.Bun.version}`;
  if (g.process?.versions?.node !== undefined) return `node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? 'unknown';
}
