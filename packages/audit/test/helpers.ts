import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { prng } from '@s3404/tooling/test-kit';
import { createAuditLog, type AuditEventDraft, type AuditLog, type AuditLogOptions, type AuditStore } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';

export const T0 = new Date('2026-03-20T10:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
export const FINESS = '750300360';

/** Deterministic random bytes (a RandomSource) from a seed. */
export function seededRandom(seed: number): (b: Uint8Array) => Uint8Array {
  const next = prng(seed);
  return (b) => {
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(next() * 256);
    return b;
  };
}

// @s3404/seal (real CMS signatures) is loaded only by the tests that sign: the others run without it.
let shared: Promise<DevelopmentPki> | undefined;
/** One development PKI, valid around T0 and for years after (checkpoints are verified much later). */
export function pki(): Promise<DevelopmentPki> {
  shared ??= import('@s3404/seal/pki').then(({ createDevelopmentPki }) =>
    createDevelopmentPki({ now: () => T0, random: seededRandom(11), validityDays: 3650 }),
  );
  return shared;
}

/** The development PKI's seal key as core's ContentSigner (`createContentSigner` of @s3404/seal). */
export async function signer() {
  const p = await pki();
  const { createContentSigner } = await import('@s3404/seal');
  return createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now: () => T0 });
}

/** Core's ContentVerifier over the development CA (`createContentVerifier` of @s3404/seal). */
export async function verifier(now: Date = at(86400 * 30)) {
  const p = await pki();
  const { createContentVerifier } = await import('@s3404/seal');
  return createContentVerifier({ trustAnchors: [p.ca.certificate], now: () => now });
}

/** A controllable clock. */
export function clock(start: Date = T0) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d: Date) => (t = d.getTime()),
    advance: (seconds: number) => (t += seconds * 1000),
  };
}

const ACTIONS: AuditEventDraft['action'][] = [
  'bordereau.generated',
  'signature.context-shown',
  'signature.sealed',
  'signature.consumed',
  'signature.applied',
  'signature.refused',
];

/** A realistic event, the i-th of a run. */
export function draft(i: number): AuditEventDraft {
  const action = ACTIONS[i % ACTIONS.length]!;
  return {
    action,
    actor: {
      personId: i % 3 === 0 ? 'dir-0042' : `prat-${(i % 7) + 1}`,
      role: i % 3 === 0 ? 'director' : 'practitioner',
      terminalId: `tablette-${(i % 4) + 1}`,
    },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: (i % 5) + 1, recordId: `0f8fad5b-d9cb-469f-a165-${String(i).padStart(12, '0')}` },
    outcome: action === 'signature.refused' ? 'refused' : 'success',
    ...(action === 'signature.refused' ? { code: 'ERR_RECORD_REPLAYED' } : {}),
  };
}

/**
 * What `log.purge` writes before it deletes anything (AUD-3), for the tests
 * that purge a store directly: moves the clock 25 months on, then traces an
 * `audit.retention-purge` naming `firstSeq…lastSeq` as older than one second
 * after `lastTime` (the time of event `lastSeq`, by default the clock's)
 * under a 24-month retention, and seals it with a checkpoint.
 */
export async function sealPurgeEvidence(
  log: AuditLog,
  c: ReturnType<typeof clock>,
  range: { readonly firstSeq: number; readonly lastSeq: number; readonly lastTime?: Date },
): Promise<void> {
  const before = new Date((range.lastTime ?? c.now()).getTime() + 1000);
  c.set(new Date(before.getTime() + 25 * 31 * 86400_000));
  await log.append({
    action: 'audit.retention-purge',
    actor: { personId: 'service', role: 'service', terminalId: 's3404' },
    subject: { firstSeq: range.firstSeq, lastSeq: range.lastSeq },
    outcome: 'success',
    count: range.lastSeq - range.firstSeq + 1,
    reason: `avant ${before.toISOString()} (conservation 24 mois)`,
  });
  await log.checkpoint();
}

export function memoryLog(options: Partial<AuditLogOptions> & { store?: AuditStore } = {}): AuditLog {
  return createAuditLog({ store: options.store ?? new MemoryAuditStore(), random: seededRandom(3), now: () => T0, ...options });
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

export function withDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 's3404-audit-'));
  return Promise.resolve(fn(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

export function run(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `openssl cms -verify` of a detached DER signature over a content file, against a CA file: its stderr ('Verification successful'). */
export function opensslVerify(signature: string, content: string, ca: string): string {
  return run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', signature, '-content', content, '-CAfile', ca, '-out', '/dev/null']).stderr;
}

export function write(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

export { prng };
