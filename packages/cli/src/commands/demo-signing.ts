import { crc32, deflateSync } from 'node:zlib';
import type { TraceSink } from '@s3404/core';
import type { Bordereau } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import {
  accountingDayScope,
  createCapture,
  createConsumer,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type Consumer,
  type ConsumptionStore,
  type ContextRegistry,
  type Sealer,
} from '@s3404/seal';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { applyAccountingDayEach, applySignature } from '@s3404/seal/apply';

/** A synthetic handwritten stroke as a tablet exports it (grey PNG), different for each signer. */
export function strokePng(seed: number): Uint8Array {
  let png = strokes.get(seed);
  if (png === undefined) {
    png = drawStroke(seed);
    if (seed < 256) strokes.set(seed, png);
  }
  return png.slice(); // each capture gets its own copy: the SDK may wipe what it was given (SIG-6)
}

/** The strokes already drawn, by seed: the small seeds only (a line's, the director's), so the table stays small. */
const strokes = new Map<number, Uint8Array>();

function drawStroke(seed: number): Uint8Array {
  const w = 320;
  const h = 110;
  const raw = new Uint8Array((w + 1) * h).fill(255);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  for (let x = 10; x < w - 10; x++) {
    const y = Math.round(55 + 34 * Math.sin((x * (seed + 2)) / 19) * Math.cos(x / 47));
    for (let d = -2; d <= 2; d++) raw[(y + d) * (w + 1) + 1 + x] = 40;
  }
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([head, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', new Uint8Array()),
    ]),
  );
}

/** The signing side of the demo clinic: its seal, its policy, and the single-use store. */
export interface DemoSigning {
  readonly sealer: Sealer;
  readonly consumer: Consumer;
  /** The clinic's director, who also signs « pour mandat » and the accounting day. */
  readonly director: { readonly id: string; readonly name: string };
}

/**
 * Who signs what at the demo clinic, drawn from its bordereaux (SIG-7…SIG-9):
 * the director, each practitioner, and a mandate for every line signed
 * « pour mandat ». Plain data, small whatever the day's size: what a signing
 * thread receives instead of the bordereaux themselves.
 */
export interface DemoPolicy {
  readonly finess: string;
  readonly director: { readonly id: string; readonly name: string };
  /** RPPS and name of each practitioner. */
  readonly practitioners: readonly (readonly [string, string])[];
  readonly mandates: readonly { reference: string; mandatorRpps: string; delegateId: string; validFrom: string }[];
}

/** The demo clinic's {@link DemoPolicy} for these bordereaux. */
export function demoPolicy(bordereaux: readonly Bordereau[]): DemoPolicy {
  const finess = bordereaux[0]!.establishment.finess;
  const director = { id: 'directeur', name: bordereaux[0]!.signatures.director.name ?? 'Direction' };
  const practitioners = new Map<string, string>();
  const mandates = new Map<string, DemoPolicy['mandates'][number]>();
  for (const b of bordereaux) {
    for (const f of b.fees) {
      practitioners.set(f.practitioner.rpps, f.practitioner.name);
      if (f.signature.mandate) {
        const reference = f.signature.mandateRef ?? `MANDAT-${f.practitioner.rpps}`;
        mandates.set(`${reference}/${f.practitioner.rpps}`, { reference, mandatorRpps: f.practitioner.rpps, delegateId: director.id, validFrom: '2026-01-01' });
      }
    }
  }
  return { finess, director, practitioners: [...practitioners], mandates: [...mandates.values()] };
}

/**
 * The clinic's signing policy for these bordereaux (SIG-7…SIG-9): the
 * director, each practitioner with a proof agreement on record, and a
 * mandate for every line signed « pour mandat ».
 */
export async function demoSigning(o: {
  bordereaux?: readonly Bordereau[];
  policy?: DemoPolicy;
  key: Uint8Array;
  certificate: Uint8Array;
  trustAnchor: Uint8Array;
  store: ConsumptionStore;
  trace: TraceSink;
  now: () => Date;
  /** Where shown capture contexts wait for their capture (SIG-1). Default: this process's memory. */
  contexts?: ContextRegistry;
}): Promise<DemoSigning> {
  const policy = o.policy ?? demoPolicy(o.bordereaux ?? []);
  const { finess, director, mandates } = policy;
  const practitioners = new Map(policy.practitioners);
  const staff = [
    { id: director.id, roles: ['director' as const] },
    ...[...practitioners.keys()].map((rpps) => ({ id: `prat-${rpps}`, roles: ['practitioner' as const], rpps })),
  ];
  const sealer = await createSealer({
    key: o.key,
    certificate: o.certificate,
    contexts: o.contexts ?? new MemoryContextRegistry({ now: o.now }),
    authorizer: createRoleAuthorizer({ staff }),
    mandates: new MemoryMandateRegistry(mandates),
    proofAgreements: new MemoryProofAgreementRegistry(
      [...practitioners.keys()].map((rpps, i) => ({ reference: `CDP-2026-${String(i + 1).padStart(3, '0')}`, rpps, finess, validFrom: '2026-01-01' })),
    ),
    establishment: { finess },
    trace: o.trace,
    now: o.now,
  });
  const consumer = createConsumer({ store: o.store, trustAnchors: [o.trustAnchor], trace: o.trace, now: o.now, consumerId: 's3404-demo' });
  return { sealer, consumer, director };
}

/**
 * Renders one bordereau and has every signer of it sign on a tablet
 * (SIG-1…SIG-6, FORM-6), each context opened for the rendered content's hash
 * (SIG-4): the insured person, then each practitioner for
 * their line (or the director « pour mandat »). Each record is sealed,
 * deposited, consumed once on this bordereau and drawn, and its image
 * deleted. The director's slot is left for the accounting day.
 */
export async function signBordereau(
  s: DemoSigning,
  b: Bordereau,
  o: { now: () => Date; tick: () => void; index: number },
): Promise<{ pdf: Uint8Array; pages: number; signatures: number; contentHash: string }> {
  const rendered = await renderBordereauPdf(b, { page: 'a4', now: o.now });
  const { contentHash } = rendered;
  let pdf = rendered.bytes;
  let signatures = 0;
  const sign = async (open: Parameters<Sealer['openContext']>[0], seed: number): Promise<void> => {
    const context = await s.sealer.openContext(open);
    o.tick();
    const sealed = await s.sealer.seal(createCapture(context, { image: strokePng(seed), capturedAt: o.now() }));
    await s.consumer.deposit(sealed);
    const applied = await applySignature(s.consumer, { input: { recordId: sealed.recordId }, pdf, requestId: `demo/${b.id}/${signatures}` });
    if (applied.status !== 'applied') throw new Error(`demo: ${sealed.recordId} not applied`);
    pdf = applied.pdf;
    signatures++;
  };
  await sign(
    {
      scope: { kind: 'bordereau', bordereauId: b.id, contentHash },
      role: 'insured',
      signer: { id: `patient-${o.index + 1}`, name: `${b.insured.firstName} ${b.insured.lastName}` },
      terminalId: 'tablette-accueil',
    },
    o.index,
  );
  for (const [i, f] of b.fees.entries()) {
    const scope = { kind: 'line' as const, bordereauId: b.id, contentHash, line: i + 1, practitionerRpps: f.practitioner.rpps };
    if (f.signature.mandate) {
      await sign(
        {
          scope,
          role: 'director',
          signer: s.director,
          terminalId: 'poste-direction',
          mandate: { reference: f.signature.mandateRef ?? `MANDAT-${f.practitioner.rpps}` },
        },
        i + 7,
      );
    } else {
      await sign(
        {
          scope,
          role: 'practitioner',
          signer: { id: `prat-${f.practitioner.rpps}`, name: f.practitioner.name, rpps: f.practitioner.rpps },
          terminalId: 'tablette-bloc',
        },
        i + 3,
      );
    }
  }
  return { pdf, pages: rendered.pageCount, signatures, contentHash };
}

/**
 * The director validates the whole accounting day with one signature
 * (SIG-10), bound to every bordereau of the day and its content hash
 * (SIG-4), applied to every bordereau of the day in one operation — one PDF
 * in memory at a time (issue 19): each signed PDF is staged next to its file
 * (`<file>.day`) before the record is claimed, and the staged files replace
 * the PDFs after the claim, before the record is marked used.
 */
export async function signAccountingDay(
  s: DemoSigning,
  o: {
    files: readonly string[];
    bordereaux: readonly { bordereauId: string; contentHash: string }[];
    finess: string;
    day: string;
    now: () => Date;
    tick: () => void;
  },
): Promise<{ complete: boolean }> {
  const context = await s.sealer.openContext({
    scope: accountingDayScope({ finess: o.finess, day: o.day, bordereaux: o.bordereaux }),
    role: 'director',
    signer: s.director,
    terminalId: 'poste-direction',
  });
  o.tick();
  const sealed = await s.sealer.seal(createCapture(context, { image: strokePng(99), capturedAt: o.now() }));
  await s.consumer.deposit(sealed);
  const applied = await applyAccountingDayEach(s.consumer, {
    input: { recordId: sealed.recordId },
    count: o.files.length,
    read: async (i) => new Uint8Array(await readFile(o.files[i]!)),
    stage: (i, pdf) => writeFile(`${o.files[i]!}.day`, pdf),
    commit: async () => {
      for (const f of o.files) await rename(`${f}.day`, f);
    },
    day: o.day,
    finess: o.finess,
    requestId: `demo/day/${o.day}`,
  });
  if (applied.status !== 'applied') throw new Error('demo: accounting day not applied');
  // Every slot of every bordereau signed, as the SDK judged it while signing (the later stages read each file again).
  return { complete: applied.bordereaux.every((b) => b.complete) };
}
