import { createBordereauId, readClock, type Clock } from '@s3404/core';
import {
  accountingDayScope,
  createCapture,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type Scope,
  type SealedRecord,
} from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';

/** The establishment the contract records are sealed for. */
export const CONTRACT_FINESS = '750300360';
/** The accounting day of the contract's day records. */
export const CONTRACT_DAY = '2026-03-20';

/**
 * Real sealed records for the contract suites (SIG-2, SIG-5): a development
 * PKI and a sealer of `@s3404/seal`, every record captured at `t0 + 5 s`.
 * The store under test only ever sees what `createConsumer` gives it.
 */
export interface ContractRecords {
  /** The instant the records are dated from (the context's clock, read once). */
  readonly t0: Date;
  /** The development CA: the trust anchor of every consumer of the suite. */
  readonly ca: Uint8Array;
  /** `t0` plus `seconds`. */
  at(seconds: number): Date;
  /** `count` insured records, each for its own bordereau and content hash. */
  bordereaux(count: number): Promise<SealedRecord[]>;
  /** A director's record for the accounting day of `set` (SIG-10). */
  day(set: readonly { readonly bordereauId: string; readonly contentHash: string }[]): Promise<SealedRecord>;
  /** A fresh bordereau id and content hash, never sealed. */
  bordereau(): { readonly bordereauId: string; readonly contentHash: string };
}

/** Creates the sealer of the contract records, on a development PKI valid around `now()`. */
export async function contractRecords(now: Clock): Promise<ContractRecords> {
  const t0 = new Date(readClock(now, 'contractRecords').getTime());
  t0.setUTCMilliseconds(0);
  const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
  let serial = 0;
  // Deterministic identifiers per run: a counter through the CSPRNG interface.
  const random = (b: Uint8Array): Uint8Array => {
    for (let i = 0; i < b.length; i++) b[i] = (serial * 131 + i * 17 + 7) & 0xff;
    serial++;
    return b;
  };
  const pki = await createDevelopmentPki({ algorithm: 'ecdsa-p256', now: () => t0 });
  const clock = (): Date => at(1);
  const sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts: new MemoryContextRegistry({ now: clock }),
    authorizer: createRoleAuthorizer({ staff: [{ id: 'dir-1', roles: ['director'] }] }),
    mandates: new MemoryMandateRegistry([]),
    proofAgreements: new MemoryProofAgreementRegistry([]),
    establishment: { finess: CONTRACT_FINESS },
    now: clock,
  });
  const image = contractPng(120, 40);
  const seal = async (scope: Scope, role: 'insured' | 'director', signerId: string): Promise<SealedRecord> => {
    const context = await sealer.openContext({ scope, role, signer: { id: signerId, name: 'Jeanne Martin' }, terminalId: 'conformance-1' });
    return sealer.seal(createCapture(context, { image, capturedAt: at(5) }));
  };
  const bordereau = (): { bordereauId: string; contentHash: string } => {
    const bordereauId = createBordereauId({ random });
    const hash = Array.from(random(new Uint8Array(32)), (x) => x.toString(16).padStart(2, '0')).join('');
    return { bordereauId, contentHash: hash };
  };
  return {
    t0,
    ca: pki.ca.certificate,
    at,
    bordereau,
    bordereaux: async (count) => {
      const out: SealedRecord[] = [];
      for (let i = 0; i < count; i++) out.push(await seal({ kind: 'bordereau', ...bordereau() }, 'insured', `patient-${i}`));
      return out;
    },
    day: (set) => seal(accountingDayScope({ finess: CONTRACT_FINESS, day: CONTRACT_DAY, bordereaux: set }), 'director', 'dir-1'),
  };
}

/** The consume target of a bordereau record: its bordereau and the content it was signed for (SIG-4). */
export function targetOf(record: SealedRecord): { readonly bordereauId: string; readonly contentHash: string } {
  const scope = record.record.scope as { bordereauId: string; contentHash: string };
  return { bordereauId: scope.bordereauId, contentHash: scope.contentHash };
}

/** A greyscale PNG with a diagonal stroke, deflate in stored blocks: no compressor needed, any runtime. */
export function contractPng(width: number, height: number): Uint8Array {
  const row = width + 1;
  const raw = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * row + 1 + x] = Math.abs(Math.round((x * height) / width) - y) < 2 ? 0 : 255;
  const blocks: number[] = [0x78, 0x01];
  for (let o = 0; o < raw.length || o === 0; o += 65535) {
    const n = Math.min(65535, raw.length - o);
    blocks.push(o + n >= raw.length ? 1 : 0, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff, ...raw.subarray(o, o + n));
    if (n === 0) break;
  }
  let a = 1;
  let b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  blocks.push(b >> 8, b & 0xff, a >> 8, a & 0xff);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', Uint8Array.from(blocks)),
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

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  let c = 0xffffffff;
  for (const x of out.subarray(4, 8 + data.length)) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  view.setUint32(8 + data.length, (c ^ 0xffffffff) >>> 0);
  return out;
}
