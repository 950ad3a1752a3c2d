import {
  accountingDayScope,
  createCapture,
  createRoleAuthorizer,
  createSealer,
  createVerifier,
  MemoryContextRegistry,
  MemoryMandateRegistry,
  MemoryProofAgreementRegistry,
  type RecordSigner,
  type Role,
  type Scope,
} from '@s3404/seal';
import { badValue, bordereauIds, contentHashOf, dayBordereauxOf, dayOf, exclusive, lineNumber, need, usage } from '../args.js';
import { CliError } from '../errors.js';
import { securityClock, readInput, readStandardInputLine, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import type { RecordOptions } from './record-options.js';
import { contentHashRequired, dayBordereauxOption } from './record-binding.js';
import { sealKeyOf, trustAnchorsOf } from './signing-keys.js';
import { openStateTrace, type StateTrace } from './state-trace.js';

/** French and English names of the roles on the command line (SIG-2). */
const ROLES: Readonly<Record<string, Role>> = {
  insured: 'insured',
  assure: 'insured',
  assuré: 'insured',
  director: 'director',
  directeur: 'director',
  practitioner: 'practitioner',
  praticien: 'practitioner',
  delegate: 'delegate',
  delegataire: 'delegate',
  délégataire: 'delegate',
};

const USAGE =
  's3404 record seal … -o OUT.p7m | s3404 record verify FILE.p7m --trust CA.pem | s3404 record deposit FILE.p7m (--state DIR | --store URL) [--trust CA.pem] | s3404 record consume (FILE.p7m | --handle H) (--bordereau ID --content-hash HEX | --pdf IN.pdf -o OUT.pdf | --day D --day-bordereau ID:HASH…) --trust CA.pem (--state DIR | --store URL) | s3404 record sweep (--state DIR | --store URL)';

/** The handle given as `--handle -`: the first line of standard input, bounded in size and time. */
function stdin(): Promise<string> {
  return readStandardInputLine('--handle');
}

/** `s3404 record seal|verify|consume …` (SIG-1…SIG-10). */
export async function recordCommand(io: Io, args: readonly string[], o: RecordOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'seal' && rest.length === 0) return seal(io, o);
  if (sub === 'verify' && rest.length === 1) return verify(io, rest[0]!, o);
  if (sub === 'consume' && rest.length <= 1) {
    const { consumeCommand } = await import('./record-consume.js');
    return consumeCommand(io, rest[0], o, stdin);
  }
  if (sub === 'deposit' && rest.length === 1) {
    const { depositCommand } = await import('./record-deposit.js');
    return depositCommand(io, rest[0]!, o);
  }
  if (sub === 'sweep' && rest.length === 0) {
    const { sweepCommand } = await import('./record-deposit.js');
    return sweepCommand(io, o);
  }
  throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: USAGE } });
}

async function seal(io: Io, o: RecordOptions): Promise<number> {
  const roleName = need(o.role, '--role');
  const role = ROLES[roleName.toLowerCase()];
  if (role === undefined) throw badValue('--role', 'insured | director | practitioner | delegate (assure | directeur | praticien | delegataire)', roleName);
  const signerName = need(o.signer, '--signer');
  const out = need(o.out, '-o');
  if (o.day === undefined && o.dayBordereau.length > 0) throw usage({ fr: '--day-bordereau seulement avec --day', en: '--day-bordereau only with --day' });
  if (o.day !== undefined) {
    if (o.bordereau.length > 0) throw exclusive('--bordereau', '--day (--day-bordereau ID:HASH)');
    if (o.contentHash !== undefined) throw exclusive('--content-hash', '--day (--day-bordereau ID:HASH)');
  } else {
    if (o.bordereau.length === 0) throw new CliError('ERR_USAGE_REQUIRED', { params: { option: '--bordereau' } });
    if (o.bordereau.length !== 1) throw usage({ fr: 'un seul --bordereau hors journée comptable', en: 'one --bordereau only, except for an accounting day' });
    if (o.contentHash === undefined) throw contentHashRequired('record seal');
  }
  const ids = bordereauIds(o.bordereau);
  const contentHash = o.contentHash === undefined ? undefined : contentHashOf(o.contentHash);
  const day = o.day === undefined ? undefined : dayBordereauxOption(o, 'record seal');
  const image = await readInput(io, need(o.image, '--image'));
  const { key, certificate, chain } = await sealKeyOf(io, o);
  const at = securityClock(io);
  const signer: RecordSigner = { id: signerName, name: signerName, ...(o.rpps === undefined ? {} : { rpps: o.rpps }) };
  let scope: Scope;
  if (o.day !== undefined) {
    if (o.line !== undefined) throw exclusive('--line', '--day');
    scope = accountingDayScope({ finess: need(o.finess, '--finess'), day: dayOf(o.day), bordereaux: day!, locale: o.locale });
  } else {
    scope =
      o.line === undefined
        ? { kind: 'bordereau', bordereauId: ids[0]!, contentHash: contentHash! }
        : {
            kind: 'line',
            bordereauId: ids[0]!,
            contentHash: contentHash!,
            line: lineNumber(o.line),
            practitionerRpps: o.practitionerRpps ?? need(o.rpps, '--rpps | --practitioner-rpps'),
          };
  }
  // The operator of the command asserts the signer's role, mandate and proof agreement;
  // the seal still checks them against the rules (SIG-7…SIG-9).
  const mandates = new MemoryMandateRegistry(
    o.mandate === undefined || scope.kind !== 'line'
      ? []
      : [{ reference: o.mandate, mandatorRpps: scope.practitionerRpps, delegateId: signer.id, validFrom: '1970-01-01' }],
  );
  const proofAgreements = new MemoryProofAgreementRegistry(
    o.proofAgreement === undefined || o.rpps === undefined
      ? []
      : [{ reference: o.proofAgreement, rpps: o.rpps, finess: o.finess ?? '', validFrom: '1970-01-01' }],
  );
  const trace = o.state === undefined ? undefined : await openStateTrace(io, o.state, { now: () => at, locale: o.locale, seal: { key, certificate, chain } });
  try {
    return await sealWith(io, o, { key, certificate, chain, at, signer, scope, role, mandates, proofAgreements, out, image, trace });
  } finally {
    await trace?.close();
  }
}

interface SealInputs {
  readonly key: Uint8Array;
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly at: Date;
  readonly signer: RecordSigner;
  readonly scope: Scope;
  readonly role: Role;
  readonly mandates: MemoryMandateRegistry;
  readonly proofAgreements: MemoryProofAgreementRegistry;
  readonly out: string;
  readonly image: Uint8Array;
  readonly trace: StateTrace | undefined;
}

async function sealWith(io: Io, o: RecordOptions, c: SealInputs): Promise<number> {
  const now = (): Date => c.at;
  const sealer = await createSealer({
    key: c.key,
    certificate: c.certificate,
    chain: c.chain,
    contexts: new MemoryContextRegistry({ now }),
    authorizer: createRoleAuthorizer({
      staff: c.role === 'insured' ? [] : [{ id: c.signer.id, roles: [c.role], ...(o.rpps === undefined ? {} : { rpps: o.rpps }) }],
    }),
    mandates: c.mandates,
    proofAgreements: c.proofAgreements,
    ...(o.finess === undefined ? {} : { establishment: { finess: o.finess } }),
    ...(c.trace === undefined ? {} : { trace: c.trace.sink }),
    now,
    locale: o.locale,
  });
  const context = await sealer.openContext({
    scope: c.scope,
    role: c.role,
    signer: c.signer,
    terminalId: o.terminal ?? 's3404-cli',
    ...(o.mandate === undefined ? {} : { mandate: { reference: o.mandate } }),
  });
  const sealed = await sealer.seal(createCapture(context, { image: c.image, capturedAt: c.at }));
  const file = await writeOutput(io, c.out, sealed.bytes);
  if (o.json)
    printJson(io, { sealed: true, out: file, recordId: sealed.recordId, digest: sealed.digest, signingTime: sealed.signingTime, scope: sealed.record.scope });
  else {
    for (const l of context.display.lines) io.stdout(`  ${l}\n`);
    io.stdout(
      line(
        o.locale,
        `Enregistrement scellé ${sealed.recordId} → ${file} (SHA-256 ${sealed.digest})`,
        `Sealed record ${sealed.recordId} → ${file} (SHA-256 ${sealed.digest})`,
      ),
    );
  }
  return 0;
}

async function verify(io: Io, file: string, o: RecordOptions): Promise<number> {
  const bytes = await readInput(io, file);
  const trustAnchors = await trustAnchorsOf(io, o.trust, o.locale);
  const at = securityClock(io);
  const verifier = createVerifier({ trustAnchors, now: () => at, locale: o.locale });
  if (o.bordereau.length > 1)
    throw usage({ fr: 'un seul --bordereau (une journée : --day-bordereau ID:EMPREINTE)', en: 'one --bordereau only (a day: --day-bordereau ID:HASH)' });
  if (o.day === undefined && o.dayBordereau.length > 0) throw usage({ fr: '--day-bordereau seulement avec --day', en: '--day-bordereau only with --day' });
  const ids = bordereauIds(o.bordereau);
  // What is given is checked (SIG-4): the bordereau, its content hash, the line, the day and its set.
  const expect = {
    ...(ids.length === 1 ? { bordereauId: ids[0]! } : {}),
    ...(o.contentHash === undefined ? {} : { contentHash: contentHashOf(o.contentHash) }),
    ...(o.line === undefined ? {} : { line: lineNumber(o.line) }),
    ...(o.day === undefined ? {} : { day: dayOf(o.day), ...(o.dayBordereau.length === 0 ? {} : { dayBordereaux: dayBordereauxOf(o.dayBordereau) }) }),
    ...(o.finess === undefined ? {} : { finess: o.finess }),
  };
  const result = await verifier.verify(bytes, { expect });
  const { locale } = o;
  if (!result.ok) {
    if (o.json) printJson(io, { ok: false, code: result.code, message: result.message, issues: result.issues });
    else io.stdout(line(locale, `Enregistrement invalide : [${result.code}] ${result.message}`, `Invalid record: [${result.code}] ${result.message}`));
    return 1;
  }
  const r = result.record;
  if (o.json) {
    const { image, strokes, ...rest } = r;
    printJson(io, {
      ok: true,
      issues: [],
      recordId: result.recordId,
      digest: result.digest,
      signingTime: result.signingTime,
      algorithm: result.algorithm,
      signer: result.signer,
      record: {
        ...rest,
        image: { mediaType: image.mediaType, width: image.width, height: image.height, bytes: Math.floor((image.data.length * 3) / 4) },
        strokes: strokes?.length ?? 0,
      },
    });
  } else {
    const s = r.scope;
    const what =
      s.kind === 'accounting-day'
        ? { fr: `journée comptable ${s.day}`, en: `accounting day ${s.day}` }
        : {
            fr: `bordereau ${s.bordereauId}${s.kind === 'line' ? ` ligne ${s.line}` : ''} (empreinte du contenu ${s.contentHash})`,
            en: `bordereau ${s.bordereauId}${s.kind === 'line' ? ` line ${s.line}` : ''} (content SHA-256 ${s.contentHash})`,
          };
    io.stdout(line(locale, `Enregistrement valide : ${result.recordId}`, `Valid record: ${result.recordId}`));
    io.stdout(
      line(
        locale,
        `  ${what.fr}, ${r.role} « ${r.signer.name} », capturé le ${r.capturedAt}`,
        `  ${what.en}, ${r.role} "${r.signer.name}", captured ${r.capturedAt}`,
      ),
    );
    io.stdout(
      line(
        locale,
        `  cachet ${result.signer.subject} (${result.algorithm}), signé le ${result.signingTime}`,
        `  seal ${result.signer.subject} (${result.algorithm}), signed ${result.signingTime}`,
      ),
    );
  }
  return 0;
}
