import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { CoreError, isS3404Error, type Locale } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { createBordereauId, parseBordereauJson, validateBordereau, type Bordereau } from '@s3404/form';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { checkBordereauRevisions } from '@s3404/seal/pdf';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { createContentSigner, createContentVerifier, createDevelopmentTsa, createTimeStampVerifier } from '@s3404/seal';
import { createLotManager, jsonArlParser, type Arl, type LotRecord, type LotVerification, type PackedLot as ScorPackedLot } from '@s3404/scor';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { FileDropTransport, packLotFile, verifyLotFile } from '@s3404/scor/file';
import { badValue, usage } from '../args.js';
import { securityClock, makeDirectory, readInput, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import { signatureText } from '../signature-text.js';
import { lockDemoDirectory } from './demo-lock.js';
import { CliError } from '../errors.js';
import { demoPolicy, demoSigning, signAccountingDay } from './demo-signing.js';
import { demoPdfSealer, type DemoPades } from './demo-pades.js';
import { demoThreadCount, demoTuning, inOrder, sqliteDurabilityBarrier, StageTimes } from './demo-pipeline.js';
import { demoClock } from './demo-clock.js';
import { localLanes, type DemoLanes } from './demo-lanes.js';
import { threadLanes } from './demo-threads.js';
import { demoProgress } from './demo-progress.js';

export interface DemoOptions {
  readonly out: string;
  readonly count: string | undefined;
  readonly examples: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/**
 * What the demo writes under DIR; a DIR holding them without being a demo's is refused. The summary comes first:
 * it is removed before the rest, so a folder emptied half-way never keeps a summary that presents it as complete.
 */
const PARTS = ['summary.json', 'bordereaux', 'scor', 'audit', 'seal', 'pki'];
const MAX_COUNT = 100_000;

/** The example bordereaux: shipped in the package (dist/examples) or, in the repository, examples/data. */
function defaultExamplesDir(): string {
  const candidates = [new URL('./examples/', import.meta.url), new URL('../../../../examples/data/', import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (found === undefined) throw usage({ fr: 'exemples introuvables : indiquez --examples DIR', en: 'examples not found: give --examples DIR' });
  return found;
}

/** A seeded identifier source, so the same clock gives the same bordereaux. */
function seededRandom(seed: string): (b: Uint8Array) => Uint8Array {
  let counter = 0;
  return (b) => {
    const block = sha256(new TextEncoder().encode(`${seed}#${counter++}`));
    b.set(block.subarray(0, b.length));
    return b;
  };
}

const parisDay = (d: Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/**
 * Refuses a DIR that holds parts of a demo without being a previous demo's: one whose summary says so, or
 * one interrupted before its summary (its lock file carries the demo's mark).
 */
function refuseForeign(out: string, marked: boolean): void {
  const present = PARTS.filter((p) => existsSync(join(out, p)));
  if (present.length === 0) return;
  let previous = marked;
  try {
    previous ||= (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { tool?: unknown }).tool === 's3404 demo';
  } catch {
    // no readable summary: only the lock file says whether a demo wrote here
  }
  if (!previous) {
    const list = present.join(', ');
    throw usage({
      fr: `${out} contient déjà ${list} sans être une démonstration précédente : choisissez un autre --out`,
      en: `${out} already holds ${list} without being a previous demo: choose another --out`,
    });
  }
}

/** Empties the parts of DIR a previous demo wrote: `ERR_FILE_UNWRITABLE` (exit 2) for a part that cannot be removed. */
function emptyPrevious(out: string): void {
  for (const p of PARTS) {
    try {
      rmSync(join(out, p), { recursive: true, force: true });
    } catch (e) {
      const reason = (e as { code?: unknown }).code;
      throw new CoreError('ERR_FILE_UNWRITABLE', { params: { path: join(out, p), reason: typeof reason === 'string' ? reason : undefined }, cause: e });
    }
  }
}

/** `--count N`: a whole number written in decimal digits, from 1 to MAX_COUNT — not `1e3`, `0x10`, ` 3` or `2.0`. */
function countOf(value: string | undefined): number {
  if (value === undefined) return 3;
  if (!/^[1-9]\d{0,5}$/.test(value) || Number(value) > MAX_COUNT)
    throw badValue(
      '--count',
      {
        fr: `un nombre entier de 1 à ${MAX_COUNT} en chiffres décimaux (par exemple 30)`,
        en: `a whole number from 1 to ${MAX_COUNT} in decimal digits (for example 30)`,
      },
      value,
    );
  return Number(value);
}

/**
 * A failure in the middle of the demo's day, as the demo's user can act on it. A signature use left incomplete
 * (`ERR_CONSUME_INCOMPLETE`) is to be finished with its request id by whoever runs a real store; the demo's store
 * lives and dies with its folder, which no run resumes: `ERR_DEMO_INCOMPLETE`, with the cause (a full disk…).
 */
function demoFailure(e: unknown, out: string): unknown {
  if (!isS3404Error(e) || e.code !== 'ERR_CONSUME_INCOMPLETE') return e;
  const cause = e.cause;
  const detail = isS3404Error(cause)
    ? { fr: `[${cause.code}] ${cause.messageIn('fr').replace(/\.$/, '')}`, en: `[${cause.code}] ${cause.messageIn('en').replace(/\.$/, '')}` }
    : String(e.params['detail'] ?? e.code);
  return new CliError('ERR_DEMO_INCOMPLETE', { params: { out, detail }, cause: e });
}

/**
 * `s3404 demo [--out DIR] [--count N]` — the main job on embedded defaults
 * (the SPEC's flow, every package): N example bordereaux of one clinic
 * (default 3) are validated and rendered; each signer signs on a tablet,
 * each record is sealed, consumed once on its bordereau and deleted; the
 * director validates the whole accounting day with one signature; the
 * signed bordereaux are packed into a SCOR lot, sent after the B2 lot's
 * positive ARL and followed to its ARL PJ; every action is traced in a
 * hash-chained, checkpointed log. Writes DIR/bordereaux/*.pdf,
 * DIR/scor/*, DIR/audit/*, DIR/pki/* and DIR/summary.json.
 */
export async function demoCommand(io: Io, opts: DemoOptions): Promise<number> {
  const dir = opts.examples === undefined ? defaultExamplesDir() : resolve(io.cwd, opts.examples);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0) throw usage({ fr: `aucun bordereau d'exemple dans ${dir}`, en: `no example bordereau in ${dir}` });
  const count = countOf(opts.count);
  const { locale } = opts;
  const out = resolve(io.cwd, opts.out);
  // One demo at a time in DIR: a second one is refused at once instead of mixing its files in.
  const lock = await lockDemoDirectory(out, locale);
  try {
    refuseForeign(out, lock.previous);
  } catch (e) {
    lock.release(true); // refused: the folder is left as it was found, without a lock file of ours
    throw e;
  }
  try {
    // Marked before anything is removed or written: a run that stops from here on leaves a folder the next one takes.
    lock.mark();
    emptyPrevious(out);
    return await runDemo(io, opts, { dir, files, count, out });
  } catch (e) {
    throw demoFailure(e, out);
  } finally {
    lock.release();
  }
}

/** Invoices of one SCOR lot in the demo: larger days are packed into several lots (one B2 lot each). */
const LOT_INVOICES = 500;
/** The span the signatures of the demo's day are spread over, and the pause between two at most. */
const SIGNING_WINDOW_MS = 6 * 3_600_000;
const MAX_STEP_MS = 7_000;
/** After the signatures: the accounting day (1 min), the lots (1 h later), the ARL PJ (2 h later), and a margin. */
const AFTER_SIGNING_MS = 60_000 + 3_600_000 + 2 * 3_600_000 + 10 * 60_000;

async function runDemo(io: Io, opts: DemoOptions, c: { dir: string; files: string[]; count: number; out: string }): Promise<number> {
  const { dir, files, count, out } = c;
  const { locale } = opts;
  const start = securityClock(io);
  const random = seededRandom(start.toISOString());
  const say = (fr: string, en: string): void => {
    if (opts.json) return;
    progress.done(); // the progress line (stderr) ends before a line of the report (stdout)
    io.stdout(line(locale, fr, en));
  };
  const t0 = performance.now();
  const tuning = demoTuning(io.env);
  const times = new StageTimes();
  const progress = demoProgress({
    // Only on a terminal, never with --json: piped or machine-read, the demo stays quiet.
    enabled: !opts.json && io.stderrIsTTY === true,
    write: io.stderr,
    locale,
  });

  // The bordereaux of one clinic and one accounting day: the examples, the first one's establishment.
  const bordereaux: { source: string; b: Bordereau }[] = [];
  let clinic: Bordereau['establishment'] | undefined;
  let director: Bordereau['signatures']['director'] | undefined;
  const entries: Record<string, unknown>[] = [];
  const examples = new Map<string, Bordereau>();
  for (const file of files) examples.set(file, parseBordereauJson(await readInput(io, join(dir, file)), { locale }));
  for (let i = 0; i < count; i++) {
    const file = files[i % files.length]!;
    let b = examples.get(file)!;
    clinic ??= b.establishment;
    director ??= b.signatures.director;
    b = {
      ...b,
      establishment: clinic,
      signatures: { ...b.signatures, director },
      // Beyond the examples themselves: fresh identifiers, and invoice numbers unique in the day.
      ...(i >= files.length ? { id: createBordereauId({ random }), invoiceNumber: String(100_000_000 + i) } : {}),
    };
    bordereaux.push({ source: file, b });
  }

  // The demo replays a working day that ends before the real clock of the run (issue 14, defect 9):
  // its signatures are spread over at most six hours — a few seconds apart for a small day,
  // closer for a large one — then the accounting day, the lots and their ARLs; no signing time,
  // checkpoint or manifest lies in the future of whoever verifies the outputs right after.
  const signatureCount = bordereaux.reduce((n, x) => n + 1 + x.b.fees.length, 0);
  const step = Math.max(1, Math.min(MAX_STEP_MS, Math.floor(SIGNING_WINDOW_MS / signatureCount)));
  // One instant for the demo and its signing threads (see demoClock).
  const clock = demoClock({ startMs: start.getTime() - (signatureCount * step + AFTER_SIGNING_MS) });
  const now = clock.now;
  const tick = (ms = step): void => clock.tick(ms);
  // Several bordereaux are signed at once, each signature moving the one clock: a signature's capture context
  // (5 minutes) must not expire while the other bordereaux in flight sign, so each signature moves it by a share.
  const signatureStep = Math.max(1, Math.floor(step / tuning.concurrency));
  const day = parisDay(now());
  const valid: { source: string; b: Bordereau }[] = [];
  for (const x of bordereaux) {
    const input = { ...x.b, signatures: { ...x.b.signatures, accountingDay: day } };
    const check = validateBordereau(input, { locale });
    // A valid bordereau is kept as given when the check gives it back unchanged (the examples were parsed by the
    // same schema): its parts stay shared with its example, instead of a deep copy per bordereau held all day
    // (issue 19: about 9 KB each, 90 MB of a 10,000-bordereau day).
    if (check.ok) valid.push({ source: x.source, b: JSON.stringify(check.data) === JSON.stringify(input) ? input : check.data });
    else entries.push({ source: x.source, valid: false, issues: check.issues });
  }
  if (valid.length === 0) {
    if (opts.json) printJson(io, { tool: 's3404 demo', valid: 0, bordereaux: entries });
    return 1;
  }
  const finess = clinic!.finess;

  // The establishment's seal (a development PKI), the trace, the single-use store.
  const pki = await createDevelopmentPki({ now });
  for (const [name, pem] of Object.entries(pki.files)) await writeOutput(io, join(out, 'pki', name), pem, name.includes('key') ? 0o600 : 0o644);
  // The CLI wires the packages together: seal's ContentSigner signs audit's checkpoints and scor's manifest.
  const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now });
  const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now });
  // Checkpoints are time-stamped (RFC 3161) by an in-process TSA on the development PKI's TSA certificate (AUD-2).
  const tsa = await createDevelopmentTsa({ certificate: pki.tsa.certificate, key: pki.tsa.privateKey, now, locale });
  const log = createAuditLog({
    store: await FileAuditStore.open({ path: join(out, 'audit', 'trace.jsonl'), locale }),
    signer,
    timestamper: tsa.stamper,
    sha256: nodeSha256,
    now,
    locale,
  });
  const trace = auditTraceSink(log);
  for (const d of ['seal', 'scor']) await makeDirectory(io, join(out, d));
  const consumptionPath = join(out, 'seal', 'consumption.sqlite');
  const consumption = await SqliteConsumptionStore.open({ path: consumptionPath, synchronous: tuning.synchronous });
  // Fast path: the single-use store's commits of a bordereau are put on disk together, once it is signed.
  const barrier = tuning.synchronous === 'normal' ? sqliteDurabilityBarrier(consumptionPath) : undefined;
  const lotStore = await SqliteLotStore.open({ path: join(out, 'scor', 'lots.sqlite') });
  let lanes: DemoLanes | undefined;
  try {
    const policy = demoPolicy(valid.map((x) => x.b));
    const signing = await demoSigning({
      policy,
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      trustAnchor: pki.ca.certificate,
      store: consumption,
      trace,
      now,
    });
    const padesSealer = await demoPdfSealer({ pki, now, locale });
    // Where each bordereau is signed and sealed: on this thread, or on worker threads for a large day.
    const threads = demoThreadCount(tuning, valid.length);
    lanes =
      threads === 0
        ? localLanes({ signing, pades: padesSealer, clock, step: signatureStep, barrier })
        : threadLanes({
            threads,
            trace,
            setup: { clock: clock.buffer, step: signatureStep, pki, policy, consumptionPath, synchronous: tuning.synchronous, locale },
          });
    const work = lanes;
    await makeDirectory(io, join(out, 'bordereaux'));

    // 1–3. Rendered, signed by each signer, every record sealed and used once.
    times.add('prepare', performance.now() - t0);
    // Fast path: several bordereaux in flight, so that their trace appends share group commits.
    progress.stage(locale === 'en' ? 'signing' : 'signatures', valid.length);
    // Each signed PDF goes to its file at once (bounded memory): the later stages read it back, one at a time.
    const digits = Math.max(2, String(valid.length).length);
    const nameOf = (i: number, source: string): string => `${String(i + 1).padStart(digits, '0')}-${source.replace(/\.json$/, '')}.pdf`;
    const pathOf = (name: string): string => join(out, 'bordereaux', name);
    const signed = await times.time('sign', () =>
      inOrder(
        valid,
        tuning.concurrency,
        async ({ source, b }, i) => {
          await log.append({
            action: 'bordereau.generated',
            actor: { personId: 'facturation', role: 'staff', terminalId: 's3404-demo' },
            subject: { bordereauId: b.id },
            outcome: 'success',
          });
          const name = nameOf(i, source);
          const r = await work.sign({ index: i, b, path: pathOf(name) });
          return { source, b, name, ...r };
        },
        () => progress.advance(),
      ),
    );
    // The director validates the accounting day once, for every bordereau of the day and its content (SIG-4, SIG-10).
    tick(60_000);
    progress.stage(locale === 'en' ? 'accounting day' : 'journée', 1);
    const dayResult = await times.time('accountingDay', () =>
      signAccountingDay(signing, {
        files: signed.map((s) => pathOf(s.name)),
        bordereaux: signed.map((s) => ({ bordereauId: s.b.id, contentHash: s.contentHash })),
        finess,
        day,
        now,
        tick,
      }),
    );
    await barrier?.sync();
    progress.advance();
    const pdfs: { source: string; b: Bordereau; name: string; pages: number; signatures: number; bytes: number; sha256: string }[] = signed.map((s) => ({
      ...s,
      bytes: 0,
      sha256: '',
      signatures: s.signatures + 1,
    }));
    // The establishment seals each fully signed bordereau (PAdES B-T, development TSA) and verifies the seal (SIG-3, SIG-5).
    tick(1_000);
    const pades = new Map<string, DemoPades>();
    progress.stage('PAdES B-T', pdfs.length);
    await times.time('pades', () =>
      inOrder(
        pdfs,
        tuning.concurrency,
        async (p) => {
          const { bytes, sha256: digest, ...verdict } = await work.seal({ path: pathOf(p.name), name: p.name });
          pades.set(p.name, verdict);
          p.bytes = bytes;
          p.sha256 = digest;
        },
        () => progress.advance(),
      ),
    );
    for (const p of pdfs) {
      entries.push({
        source: p.source,
        valid: true,
        id: p.b.id,
        invoiceNumber: p.b.invoiceNumber,
        establishment: finess,
        pdf: `bordereaux/${p.name}`,
        pages: p.pages,
        bytes: p.bytes,
        sha256: p.sha256,
        signatures: p.signatures,
        pades: pades.get(p.name),
        totalCents: p.b.totals.total,
      });
      const head = `  ✓ bordereaux/${p.name} — ${p.b.id} — ${p.pages} page(s), ${p.signatures}`;
      if (pdfs.length <= 20) say(`${head} signatures scellées, consommées une fois`, `${head} sealed signatures, each used once`);
    }
    if (pdfs.length > 20) {
      const n = pdfs.reduce((k, p) => k + p.signatures, 0);
      say(
        `  ✓ bordereaux/ — ${pdfs.length} bordereaux, ${n} signatures scellées, chacune consommée une fois`,
        `  ✓ bordereaux/ — ${pdfs.length} bordereaux, ${n} sealed signatures, each used once`,
      );
    }
    const flag = dayResult.complete ? '' : ' (!)';
    say(
      `  ✓ journée comptable ${day} : ${pdfs.length} bordereau(x) validé(s) d’une seule signature du directeur${flag}`,
      `  ✓ accounting day ${day}: ${pdfs.length} bordereau(x) validated by one director signature${flag}`,
    );
    say(
      `  ✓ sceau PAdES B-T de l’établissement : ${pades.size} bordereau(x) scellé(s) et horodaté(s), vérifié(s) (passed)`,
      `  ✓ establishment PAdES B-T seal: ${pades.size} bordereau(x) sealed and time-stamped, verified (passed)`,
    );

    // 5. The SCOR lots (one per B2 lot of at most LOT_INVOICES invoices), each sent after its B2 lot's
    // positive ARL and followed to its ARL PJ.
    tick(3_600_000);
    const scorStarted = performance.now();
    progress.stage('SCOR', pdfs.length);
    const lots = createLotManager({ store: lotStore, transport: new FileDropTransport({ dir: join(out, 'scor', 'outbox') }), trace, now, locale });
    const arl = async (b2LotNumber: string, fields: Pick<Arl, 'kind' | 'positive'>): Promise<Arl> => {
      // The ARLs of the demo are written and read in the SDK's JSON form (the real ARL format is not public).
      const json = {
        format: 's3404-arl-json/1',
        kind: fields.kind,
        finess,
        b2LotNumber,
        status: fields.positive ? 'positive' : 'negative',
        receivedAt: now().toISOString(),
      };
      const path = await writeOutput(
        io,
        join(out, 'scor', 'arl', `${fields.kind}-${b2LotNumber}-${json.receivedAt.replace(/[:.]/g, '')}.json`),
        `${JSON.stringify(json, null, 2)}\n`,
      );
      return jsonArlParser.parse(await readInput(io, path), { locale });
    };
    type PackedLot = Pick<ScorPackedLot, 'lotId' | 'manifest' | 'manifestSha256'> & {
      readonly container: { readonly fileName: string; readonly sha256: string; readonly length: number };
    };
    const packed: { b2LotNumber: string; lot: PackedLot; zip: string; verified: LotVerification }[] = [];
    for (let k = 0; k < pdfs.length; k += LOT_INVOICES) {
      const part = pdfs.slice(k, k + LOT_INVOICES);
      const b2LotNumber = String(k / LOT_INVOICES + 1).padStart(3, '0');
      const description = {
        finess,
        b2LotNumber,
        invoices: part.map((p) => ({ invoiceNumber: p.b.invoiceNumber, bordereauId: p.b.id, pj: [{ file: p.name, kind: 's3404' as const }] })),
      };
      // Each sealed S3404 must still follow the pattern rendering, SDK signatures, seal (SIG-5).
      const inspectS3404 = async (pdf: Uint8Array) => (await checkBordereauRevisions(pdf, { locale })).issues;
      // Packed from the files and verified from the container's file, one PJ in memory at a time (issue 19).
      const lot = await packLotFile(description, {
        files: (name) => readInput(io, join(out, 'bordereaux', name)),
        dir: join(out, 'scor'),
        now,
        signer,
        locale,
        inspectS3404,
      });
      await writeOutput(io, join(out, 'scor', `lot-${b2LotNumber}.json`), `${JSON.stringify(description, null, 2)}\n`);
      const verified = await verifyLotFile(lot.container.path, { verifier, locale });
      // The lot store copies the container from its file chunk by chunk (checked against its SHA-256), and the
      // file-drop transport writes it back the same way: never the whole container in memory (issue 19).
      await lots.register(lot, { b2Arl: await arl(b2LotNumber, { kind: 'b2', positive: true }) });
      // Only what the summary says of the lot is kept: its container is on disk and in the lot store.
      const { lotId, manifest, manifestSha256, container } = lot;
      const slim = { lotId, manifest, manifestSha256, container: { fileName: container.fileName, sha256: container.sha256, length: container.length } };
      const zip = container.path;
      packed.push({ b2LotNumber, lot: slim, zip, verified });
      progress.advance(part.length);
    }
    tick(2 * 3_600_000);
    const records: LotRecord[] = [];
    for (const p of packed) {
      const [record] = await lots.recordArl(await arl(p.b2LotNumber, { kind: 'pj', positive: true }));
      records.push(record!);
      const { invoices, files: pjCount } = p.lot.manifest.totals;
      const seal = signatureText(p.verified.signature, locale, { several: false, hint: false });
      say(
        `  ✓ scor/${p.lot.container.fileName} — ${invoices} facture(s), ${pjCount} PJ, manifeste scellé : ${seal} — ${record!.state} après ${record!.attempts} envoi(s)`,
        `  ✓ scor/${p.lot.container.fileName} — ${invoices} invoice(s), ${pjCount} PJ, sealed manifest: ${seal} — ${record!.state} after ${record!.attempts} attempt(s)`,
      );
    }

    times.add('scor', performance.now() - scorStarted);
    // 4. The trace: checkpointed and verified with the seal certificate.
    progress.stage(locale === 'en' ? 'audit trail' : 'trace', 1);
    const auditStarted = performance.now();
    await log.checkpoint();
    const report = await log.verify({ verifier, timeStampVerifier: createTimeStampVerifier({ trust: [pki.ca.certificate], locale }) });
    times.add('audit', performance.now() - auditStarted);
    progress.advance();
    progress.done();
    const checkpoints = signatureText(report.signatures, locale, { several: true, hint: false });
    const stamped = report.checkpointTimes.filter((c) => c.source.kind === 'tsa').length;
    say(
      `  ✓ audit/trace.jsonl — ${report.events} événements, ${report.ok ? 'chaîne intègre' : 'CHAÎNE ENDOMMAGÉE'}, points de contrôle : ${checkpoints}, ${stamped}/${report.checkpoints} horodaté(s) RFC 3161`,
      `  ✓ audit/trace.jsonl — ${report.events} events, ${report.ok ? 'chain intact' : 'CHAIN DAMAGED'}, checkpoints: ${checkpoints}, ${stamped}/${report.checkpoints} RFC 3161 time-stamped`,
    );

    const allPositive = records.every((r) => r.state === 'arl-positive');
    const allVerified = packed.every((p) => p.verified.ok);
    const allSealed = packed.every((p) => p.verified.signature.status === 'valid');
    const summary = {
      tool: 's3404 demo',
      generatedAt: start.toISOString(),
      out,
      count,
      valid: pdfs.length,
      invalid: count - pdfs.length,
      establishment: { finess, name: clinic!.name },
      accountingDay: { day, bordereaux: pdfs.length, complete: dayResult.complete },
      bordereaux: entries,
      scor: {
        state: allPositive ? 'arl-positive' : 'mixed',
        verified: allVerified,
        manifestSeal: allSealed ? 'valid' : 'not all valid',
        lots: packed.map((p, i) => ({
          b2LotNumber: p.b2LotNumber,
          lotId: p.lot.lotId,
          invoices: p.lot.manifest.totals.invoices,
          container: `scor/${p.lot.container.fileName}`,
          sha256: p.lot.container.sha256,
          bytes: p.lot.container.length,
          manifestSha256: p.lot.manifestSha256,
          verified: p.verified.ok,
          manifestSeal: p.verified.signature.status,
          state: records[i]!.state,
          attempts: records[i]!.attempts,
          purgeAfter: records[i]!.purgeAfter,
          path: p.zip,
        })),
      },
      audit: { file: 'audit/trace.jsonl', events: report.events, ok: report.ok, checkpoints: report.signatures.status, timestamped: stamped },
      pades: { level: 'B-T', sealed: pades.size, passed: [...pades.values()].filter((v) => v.status === 'passed').length, tsa: 'development (in-process)' },
      pki: 'pki/ (development only)',
      strategy: tuning.strategy,
      concurrency: tuning.concurrency,
      threads,
      timings: times.toJSON(),
      totalMs: Math.round(performance.now() - t0),
    };
    await writeOutput(io, join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const ok = pdfs.length === count && dayResult.complete && allVerified && allPositive && report.ok;
    if (opts.json) printJson(io, summary);
    else {
      const where = join(out, 'summary.json');
      io.stdout(
        line(
          locale,
          `${pdfs.length}/${count} bordereau(x) signés et transmis ; résumé : ${where}`,
          `${pdfs.length}/${count} bordereau(x) signed and sent; summary: ${where}`,
        ),
      );
    }
    return ok ? 0 : 1;
  } finally {
    progress.done();
    await lanes?.close();
    await barrier?.close();
    await consumption.close();
    await lotStore.close();
    await log.close();
  }
}
