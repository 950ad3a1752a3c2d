import { normalizeBordereauId } from '@s3404/form';
import type { Locale } from '@s3404/form/errors';
import {
  accountingDayScope,
  createCapture,
  createRoleAuthorizer,
  createSealer,
  createVerifier,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  readPemCertificates,
  readPemPrivateKey,
  type Role,
  type Scope,
} from '@s3404/seal';
import { openStateTrace, type StateTrace } from './state-trace.js';
import { UsageError, clockFrom, readInput, writeAtomic, type Io } from '../io.js';
import { consumeCommand } from './record-consume.js';
import { printJson } from '../output.js';

/** French and English names of the roles on the command line (SIG-2). */
const ROLES: Readonly<Record<string, Role>> = {
  insured: 'insured', assure: 'insured', 'assuré': 'insured',
  director: 'director', directeur: 'director',
  practitioner: 'practitioner', praticien: 'practitioner',
  delegate: 'delegate', delegataire: 'delegate', 'délégataire': 'delegate',
};

export interface RecordOptions {
  readonly bordereau: readonly string[];
  readonly role?: string | undefined;
  readonly signer?: string | undefined;
  readonly image?: string | undefined;
  readonly line?: string | undefined;
  readonly day?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly out?: string | undefined;
  readonly trust?: string | undefined;
  readonly rpps?: string | undefined;
  readonly practitionerRpps?: string | undefined;
  readonly mandate?: string | undefined;
  readonly proofAgreement?: string | undefined;
  readonly finess?: string | undefined;
  readonly terminal?: string | undefined;
  readonly state?: string | undefined;
  readonly store?: string | undefined;
  readonly pdf?: string | undefined;
  readonly requestId?: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

export const text = (io: Io, path: string): string => new TextDecoder().decode(readInput(io, path));
export const need = (value: string | undefined, flag: string): string => {
  if (value === undefined || value === '') throw new UsageError(`${flag} est obligatoire`);
  return value;
};
export const lineNumber = (value: string): number => {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new UsageError(`--line attend un numéro de ligne de 1 à 9999 (reçu ${value.slice(0, 20)})`);
  return Number(value);
};
export const dayOf = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new UsageError(`--day attend une date AAAA-MM-JJ (reçu ${value.slice(0, 20)})`);
  return value;
};

/** `s3404 record seal|verify …` (SIG-1…SIG-4, SIG-8…SIG-10). */
export async function recordCommand(io: Io, args: readonly string[], o: RecordOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'seal' && rest.length === 0) return seal(io, o);
  if (sub === 'verify' && rest.length === 1) return verify(io, rest[0]!, o);
  if (sub === 'consume' && rest.length === 1) return consumeCommand(io, rest[0]!, o);
  throw new UsageError('usage : s3404 record seal … -o SORTIE.p7m | s3404 record verify FICHIER.p7m --trust CA.pem | s3404 record consume FICHIER.p7m --bordereau ID --trust CA.pem (--state DIR | --store URL)');
}

async function seal(io: Io, o: RecordOptions): Promise<number> {
  const role = ROLES[need(o.role, '--role').toLowerCase()];
  if (role === undefined) throw new UsageError(`--role attend assure, directeur, praticien ou delegataire (reçu ${o.role!.slice(0, 20)})`);
  const signerName = need(o.signer, '--signer');
  const out = need(o.out, '-o');
  if (o.bordereau.length === 0) throw new UsageError('--bordereau est obligatoire');
  const ids = o.bordereau.map((id) => {
    const n = normalizeBordereauId(id);
    if (n === null) throw new UsageError(`--bordereau : identifiant invalide ${id.slice(0, 40)}`);
    return n;
  });
  const image = readInput(io, need(o.image, '--image'));
  const certificate = readPemCertificates(text(io, need(o.cert, '--cert')), { locale: o.locale });
  const key = readPemPrivateKey(text(io, need(o.key, '--key')), { locale: o.locale });
  const now = clockFrom(io);
  const signer = { id: signerName, name: signerName, ...(o.rpps === undefined ? {} : { rpps: o.rpps }) };
  let scope: Scope;
  if (o.day !== undefined) {
    if (o.line !== undefined) throw new UsageError('--line et --day sont exclusifs');
    scope = accountingDayScope({ finess: need(o.finess, '--finess (avec --day)'), day: dayOf(o.day), bordereauIds: ids, locale: o.locale });
  } else {
    if (ids.length !== 1) throw new UsageError('un seul --bordereau hors journée comptable');
    scope =
      o.line === undefined
        ? { kind: 'bordereau', bordereauId: ids[0]! }
        : { kind: 'line', bordereauId: ids[0]!, line: lineNumber(o.line), practitionerRpps: o.practitionerRpps ?? need(o.rpps, '--rpps ou --practitioner-rpps (avec --line)') };
  }
  // The operator of the command asserts the signer's role, mandate and proof agreement;
  // the seal still checks them against the rules (SIG-7…SIG-9).
  const mandates = new MemoryMandateRegistry(
    o.mandate === undefined || scope.kind !== 'line' ? [] : [{ reference: o.mandate, mandatorRpps: scope.practitionerRpps, delegateId: signer.id, validFrom: '1970-01-01' }],
  );
  const proofAgreements = new MemoryProofAgreementRegistry(
    o.proofAgreement === undefined || o.rpps === undefined ? [] : [{ reference: o.proofAgreement, rpps: o.rpps, finess: o.finess ?? '', validFrom: '1970-01-01' }],
  );
  const trace = o.state === undefined ? undefined : await openStateTrace(io, o.state, { now, locale: o.locale, seal: { key, certificate: certificate[0]!, chain: certificate.slice(1) } });
  try {
    return await sealWith(io, o, { key, certificate, now, signer, scope, role, mandates, proofAgreements, out, image, trace });
  } finally {
    await trace?.close();
  }
}

async function sealWith(
  io: Io,
  o: RecordOptions,
  c: { key: Uint8Array; certificate: Uint8Array[]; now: Date; signer: { id: string; name: string; rpps?: string }; scope: Scope; role: Role; mandates: MemoryMandateRegistry; proofAgreements: MemoryProofAgreementRegistry; out: string; image: Uint8Array; trace: StateTrace | undefined },
): Promise<number> {
  const { key, certificate, now, signer, scope, role, mandates, proofAgreements, out, image } = c;
  const sealer = await createSealer({
    key,
    certificate: certificate[0]!,
    chain: certificate.slice(1),
    contexts: new MemoryContextRegistry({ now: () => now }),
    authorizer: createRoleAuthorizer({ staff: role === 'insured' ? [] : [{ id: signer.id, roles: [role], ...(o.rpps === undefined ? {} : { rpps: o.rpps }) }] }),
    mandates,
    proofAgreements,
    ...(o.finess === undefined ? {} : { establishment: { finess: o.finess } }),
    ...(c.trace === undefined ? {} : { trace: c.trace.sink }),
    now: () => now,
    locale: o.locale,
  });
  const context = await sealer.openContext({ scope, role, signer, terminalId: o.terminal ?? 's3404-cli', ...(o.mandate === undefined ? {} : { mandate: { reference: o.mandate } }) });
  const sealed = await sealer.seal(createCapture(context, { image, capturedAt: now }));
  const file = writeAtomic(io, out, sealed.bytes);
  if (o.json) printJson(io, { sealed: true, out: file, recordId: sealed.recordId, digest: sealed.digest, signingTime: sealed.signingTime, scope: sealed.record.scope });
  else {
    const fr = o.locale === 'fr';
    for (const l of context.display.lines) io.stdout(`  ${l}\n`);
    io.stdout(`${fr ? 'Enregistrement scellé' : 'Sealed record'} ${sealed.recordId} → ${file} (SHA-256 ${sealed.digest})\n`);
  }
  return 0;
}

async function verify(io: Io, file: string, o: RecordOptions): Promise<number> {
  const bytes = readInput(io, file);
  const trustAnchors = readPemCertificates(text(io, need(o.trust, '--trust')), { locale: o.locale });
  const now = clockFrom(io);
  const verifier = createVerifier({ trustAnchors, now: () => now, locale: o.locale });
  if (o.bordereau.length > 1 && o.day === undefined) throw new UsageError('plusieurs --bordereau seulement avec --day');
  const expect = {
    ...(o.bordereau.length === 1 ? { bordereauId: o.bordereau[0]! } : {}),
    ...(o.line === undefined ? {} : { line: lineNumber(o.line) }),
    ...(o.day === undefined ? {} : { day: dayOf(o.day), dayBordereaux: o.bordereau }),
    ...(o.finess === undefined ? {} : { finess: o.finess }),
  };
  const result = await verifier.verify(bytes, { expect });
  const fr = o.locale === 'fr';
  if (!result.valid) {
    if (o.json) printJson(io, { valid: false, code: result.code, message: result.message });
    else io.stdout(`${fr ? 'Enregistrement invalide' : 'Invalid record'} : [${result.code}] ${result.message}\n`);
    return 1;
  }
  const r = result.record;
  if (o.json) {
    const { image, strokes, ...rest } = r;
    printJson(io, {
      valid: true,
      recordId: result.recordId,
      digest: result.digest,
      signingTime: result.signingTime,
      algorithm: result.algorithm,
      signer: result.signer,
      record: { ...rest, image: { mediaType: image.mediaType, width: image.width, height: image.height, bytes: Math.floor((image.data.length * 3) / 4) }, strokes: strokes?.length ?? 0 },
    });
  } else {
    const what = r.scope.kind === 'accounting-day' ? `${fr ? 'journée comptable' : 'accounting day'} ${r.scope.day}` : `${fr ? 'bordereau' : 'bordereau'} ${r.scope.bordereauId}${r.scope.kind === 'line' ? ` ${fr ? 'ligne' : 'line'} ${r.scope.line}` : ''}`;
    io.stdout(`${fr ? 'Enregistrement valide' : 'Valid record'} : ${result.recordId}\n  ${what}, ${r.role} « ${r.signer.name} », ${fr ? 'capturé le' : 'captured'} ${r.capturedAt}\n  ${fr ? 'cachet' : 'seal'} ${result.signer.subject} (${result.algorithm}), ${fr ? 'signé le' : 'signed'} ${result.signingTime}\n`);
  }
  return 0;
}
