import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@s3404/tooling/test-kit';
import { deflateSync } from 'node:zlib';
import { createBordereauId, RecordingTraceSink, type TraceEvent } from '@s3404/core';
import {
  createCapture,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type SealTraceAction,
  type SealerOptions,
  type Stroke,
} from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki, type PkiAlgorithm } from '@s3404/seal/pki';

export const FINESS = '750300360';
export const RPPS_A = '10003456786';
export const RPPS_B = '10001234565';

/** The content hash a test bordereau is signed for (64 lowercase hex digits, as `contentHash()` of `@s3404/form` gives). */
export const CONTENT_HASH = `${'c0ffee'.repeat(10)}0a0b`;
/** Another content of the same bordereau (SIG-4): a record signed for {@link CONTENT_HASH} is refused on it. */
export const OTHER_CONTENT_HASH = 'deadbeef'.repeat(8);

/** A fixed clock in the middle of the development certificates' validity. */
export const T0 = new Date('2026-03-20T10:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

/** A seeded random source for ids and nonces. */
export function seededRandom(seed: number): (b: Uint8Array) => Uint8Array {
  const r = prng(seed);
  return (b) => {
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
    return b;
  };
}

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A greyscale PNG with a diagonal stroke (a stand-in for a signature). */
export function makePng(width = 300, height = 100): Uint8Array {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.abs(Math.round((x * height) / width) - y) < 2 ? 0 : 255;
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const strokes: Stroke[] = [
  {
    pointerType: 'pen',
    points: [
      [10, 10, 0, 0.2],
      [50, 30, 16, 0.5],
      [120, 40, 33, 0.7],
    ],
  },
  {
    pointerType: 'pen',
    points: [
      [130, 60, 400, 0.4],
      [200, 70, 420, 0.6],
    ],
  },
];

const pkis = new Map<string, Promise<DevelopmentPki>>();
/** One development PKI per algorithm, valid around {@link T0}. */
export function pki(algorithm: PkiAlgorithm = 'ecdsa-p256', now: () => Date = () => T0): Promise<DevelopmentPki> {
  const key = `${algorithm}|${now().toISOString()}`;
  let p = pkis.get(key);
  if (p === undefined) {
    p = createDevelopmentPki({ algorithm, now, random: seededRandom(7) });
    pkis.set(key, p);
  }
  return p;
}

export interface Fixture {
  readonly pki: DevelopmentPki;
  readonly contexts: MemoryContextRegistry;
  readonly trace: RecordingTraceSink<SealTraceAction>;
  readonly mandates: MemoryMandateRegistry;
  readonly agreements: MemoryProofAgreementRegistry;
  readonly clock: { now: Date };
  readonly bordereauId: string;
  /** The content hash of that bordereau ({@link CONTENT_HASH}). */
  readonly contentHash: string;
  readonly sealer: Awaited<ReturnType<typeof createSealer>>;
}

/** A sealer with staff, a mandate and a proof agreement, on a movable clock. */
export async function fixture(options: { algorithm?: PkiAlgorithm; overrides?: Partial<SealerOptions>; seed?: number } = {}): Promise<Fixture> {
  const p = await pki(options.algorithm);
  const clock = { now: T0 };
  const now = (): Date => clock.now;
  const contexts = new MemoryContextRegistry({ now });
  const trace = new RecordingTraceSink<SealTraceAction>();
  const mandates = new MemoryMandateRegistry([
    { reference: 'MDT-2026-001', mandatorRpps: RPPS_B, delegateId: 'dir-1', validFrom: '2026-01-01', validUntil: '2026-12-31' },
  ]);
  const agreements = new MemoryProofAgreementRegistry([{ reference: 'CDP-2026-003', rpps: RPPS_A, finess: FINESS, validFrom: '2026-01-01' }]);
  const sealer = await createSealer({
    key: p.seal.privateKey,
    certificate: p.seal.certificate,
    contexts,
    authorizer: createRoleAuthorizer({
      staff: [
        { id: 'dir-1', roles: ['director'] },
        { id: 'del-1', roles: ['delegate'] },
        { id: 'dr-a', roles: ['practitioner'], rpps: RPPS_A },
        { id: 'dr-b', roles: ['practitioner'], rpps: RPPS_B },
      ],
    }),
    mandates,
    proofAgreements: agreements,
    establishment: { finess: FINESS },
    trace,
    now,
    random: seededRandom(options.seed ?? 42),
    ...options.overrides,
  });
  return {
    pki: p,
    contexts,
    trace,
    mandates,
    agreements,
    clock,
    bordereauId: createBordereauId({ random: seededRandom(options.seed ?? 1) }),
    contentHash: CONTENT_HASH,
    sealer,
  };
}

/** Opens a context for the insured person and seals a capture 5 s later. */
export async function sealInsured(f: Fixture, extra: { image?: Uint8Array; withStrokes?: boolean } = {}) {
  const ctx = await f.sealer.openContext({
    scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash },
    role: 'insured',
    signer: { id: 'patient-1', name: 'Jeanne Martin' },
    terminalId: 'tablette-3',
  });
  return f.sealer.seal(createCapture(ctx, { image: extra.image ?? makePng(), capturedAt: at(5), ...(extra.withStrokes === false ? {} : { strokes }) }));
}

/** Runs a command; returns status and output. */
export function run(cmd: string, args: string[], input?: Uint8Array): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(input === undefined ? {} : { input }) });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The arguments of `openssl cms -verify -binary -inform DER -CAfile DIR/ca.pem -in DIR/FILE`,
 * with the detached `content` (a file of `dir`) and the signed content written to `out`
 * (default `/dev/null`), then `extra`.
 */
export function cmsVerifyArgs(dir: string, file: string, options: { content?: string; out?: string; extra?: readonly string[] } = {}): string[] {
  const content = options.content === undefined ? [] : ['-content', join(dir, options.content)];
  return [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    join(dir, file),
    ...content,
    '-CAfile',
    join(dir, 'ca.pem'),
    '-out',
    options.out ?? '/dev/null',
    ...(options.extra ?? []),
  ];
}

/** Runs `openssl cms -verify` on a file of `dir` against `dir/ca.pem` (see {@link cmsVerifyArgs}). */
export function opensslCmsVerify(
  dir: string,
  file: string,
  options: { content?: string; out?: string } = {},
): { status: number; stdout: string; stderr: string } {
  return run('openssl', cmsVerifyArgs(dir, file, options));
}

/** A temporary directory removed after `fn`. */
export async function withDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 's3404-seal-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes files into a directory. */
export function write(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}

export { prng };

/**
 * A trace sink that refuses `action` while `down` is set, as the audit log answers while its store is
 * unreachable (`ERR_AUDIT_STORE_UNAVAILABLE`), and records every event it takes in `recorded`.
 */
export function sinkFailingOn(action: SealTraceAction, down = false) {
  const recorded = new RecordingTraceSink<SealTraceAction>();
  const sink = {
    down,
    recorded,
    record(e: TraceEvent<SealTraceAction>): void {
      if (sink.down && e.action === action)
        throw Object.assign(new Error('audit store unavailable'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
      recorded.record(e);
    },
  };
  return sink;
}
