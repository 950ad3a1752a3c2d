import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Locale } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { createBordereauId, parseBordereauJson, validateBordereau, type Bordereau } from '@s3404/form';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createLotManager, jsonArlParser, packLot, verifyLot, type Arl } from '@s3404/scor';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { FileDropTransport, writeLotFile } from '@s3404/scor/file';
import { badValue, usage } from '../args.js';
import { securityClock, makeDirectory, readInput, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import { signatureText } from '../signature-text.js';
import { demoSigning, signAccountingDay, signBordereau } from './demo-signing.js';

export interface DemoOptions {
  readonly out: string;
  readonly count: string | undefined;
  readonly examples: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/** What the demo writes under DIR; a DIR holding them without a demo summary is refused. */
const PARTS = ['bordereaux', 'scor', 'audit', 'seal', 'pki', 'summary.json'];
const MAX_COUNT = 100;

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

/** Empties the parts of DIR a previous demo wrote; refuses to touch anything else. */
function prepare(out: string): void {
  const present = PARTS.filter((p) => existsSync(join(out, p)));
  if (present.length === 0) return;
  let previous = false;
  try {
    previous = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { tool?: unknown }).tool === 's3404 demo';
  } catch {
    previous = false;
  }
  if (!previous) {
    const list = present.join(', ');
    throw usage({
      fr: `${out} contient déjà ${list} sans être une démonstration précédente : choisissez un autre --out`,
      en: `${out} already holds ${list} without being a previous demo: choose another --out`,
    });
  }
  for (const p of PARTS) rmSync(join(out, p), { recursive: true, force: true });
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
  const count = opts.count === undefined ? 3 : Number(opts.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
    throw badValue('--count', { fr: `un entier de 1 à ${MAX_COUNT}`, en: `a whole number from 1 to ${MAX_COUNT}` }, opts.count);
  const start = securityClock(io);
  // The demo replays a working day that ends just before `start` (signatures, then the lot three
  // hours later): no signing time lies in the future of whoever verifies the outputs.
  let clockMs = start.getTime() - 4 * 3_600_000;
  const now = (): Date => new Date(clockMs);
  const tick = (ms = 7_000): void => {
    clockMs += ms;
  };
  const random = seededRandom(start.toISOString());
  const out = resolve(io.cwd, opts.out);
  prepare(out);
  const { locale } = opts;
  const say = (fr: string, en: string): void => {
    if (!opts.json) io.stdout(line(locale, fr, en));
  };
  const t0 = performance.now();

  // The bordereaux of one clinic and one accounting day: the examples, the first one's establishment.
  const bordereaux: { source: string; b: Bordereau }[] = [];
  let clinic: Bordereau['establishment'] | undefined;
  let director: Bordereau['signatures']['director'] | undefined;
  const day = parisDay(now());
  const entries: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const file = files[i % files.length]!;
    let b = parseBordereauJson(await readInput(io, join(dir, file)), { locale });
    clinic ??= b.establishment;
    director ??= b.signatures.director;
    b = {
      ...b,
      establishment: clinic,
      signatures: { ...b.signatures, director, accountingDay: day },
      ...(i >= files.length ? { id: createBordereauId({ random }), invoiceNumber: String(Number(b.invoiceNumber) + i).slice(-9) } : {}),
    };
    const check = validateBordereau(b, { locale });
    if (!check.ok) {
      entries.push({ source: file, valid: false, issues: check.issues });
      continue;
    }
    bordereaux.push({ source: file, b: check.data });
  }
  if (bordereaux.length === 0) {
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
  const log = createAuditLog({
    store: await FileAuditStore.open({ path: join(out, 'audit', 'trace.jsonl'), locale }),
    signer,
    sha256: nodeSha256,
    now,
    locale,
  });
  const trace = auditTraceSink(log);
  for (const d of ['seal', 'scor']) await makeDirectory(io, join(out, d));
  const consumption = await SqliteConsumptionStore.open({ path: join(out, 'seal', 'consumption.sqlite') });
  const lotStore = await SqliteLotStore.open({ path: join(out, 'scor', 'lots.sqlite') });
  try {
    const signing = await demoSigning({
      bordereaux: bordereaux.map((x) => x.b),
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      trustAnchor: pki.ca.certificate,
      store: consumption,
      trace,
      now,
    });

    // 1–3. Rendered, signed by each signer, every record sealed and used once.
    const signed: { source: string; b: Bordereau; pdf: Uint8Array; pages: number; signatures: number }[] = [];
    for (const [i, { source, b }] of bordereaux.entries()) {
      await log.append({
        action: 'bordereau.generated',
        actor: { personId: 'facturation', role: 'staff', terminalId: 's3404-demo' },
        subject: { bordereauId: b.id },
        outcome: 'success',
      });
      const r = await signBordereau(signing, b, { now, tick, index: i });
      signed.push({ source, b, ...r });
    }
    // The director validates the accounting day once, for every bordereau of the day.
    tick(60_000);
    const dayResult = await signAccountingDay(signing, { pdfs: signed.map((s) => s.pdf), bordereauIds: signed.map((s) => s.b.id), finess, day, now, tick });
    const pdfs: { source: string; b: Bordereau; name: string; pdf: Uint8Array; pages: number; signatures: number }[] = signed.map((s, i) => ({
      ...s,
      pdf: dayResult.pdfs[i]!,
      signatures: s.signatures + 1,
      name: `${String(i + 1).padStart(2, '0')}-${s.source.replace(/\.json$/, '')}.pdf`,
    }));
    for (const p of pdfs) {
      await writeOutput(io, join(out, 'bordereaux', p.name), p.pdf);
      entries.push({
        source: p.source,
        valid: true,
        id: p.b.id,
        invoiceNumber: p.b.invoiceNumber,
        establishment: finess,
        pdf: `bordereaux/${p.name}`,
        pages: p.pages,
        bytes: p.pdf.length,
        sha256: bytesToHex(sha256(p.pdf)),
        signatures: p.signatures,
        totalCents: p.b.totals.total,
      });
      const head = `  ✓ bordereaux/${p.name} — ${p.b.id} — ${p.pages} page(s), ${p.signatures}`;
      say(`${head} signatures scellées, consommées une fois`, `${head} sealed signatures, each used once`);
    }
    const flag = dayResult.complete ? '' : ' (!)';
    say(
      `  ✓ journée comptable ${day} : ${pdfs.length} bordereau(x) validé(s) d’une seule signature du directeur${flag}`,
      `  ✓ accounting day ${day}: ${pdfs.length} bordereau(x) validated by one director signature${flag}`,
    );

    // 5. The SCOR lot, sent after the B2 lot's positive ARL, followed to its ARL PJ.
    tick(3_600_000);
    const description = {
      finess,
      b2LotNumber: '001',
      invoices: pdfs.map((p) => ({ invoiceNumber: p.b.invoiceNumber, bordereauId: p.b.id, pj: [{ file: p.name, kind: 's3404' as const }] })),
    };
    const lot = await packLot(description, { files: new Map(pdfs.map((p) => [p.name, p.pdf])), now, signer, locale });
    const zip = await writeLotFile(join(out, 'scor', lot.container.fileName), lot.container.bytes, { locale });
    await writeOutput(io, join(out, 'scor', 'lot.json'), `${JSON.stringify(description, null, 2)}\n`);
    const verified = await verifyLot(lot.container.bytes, { verifier, locale });
    const lots = createLotManager({ store: lotStore, transport: new FileDropTransport({ dir: join(out, 'scor', 'outbox') }), trace, now, locale });
    const arl = async (fields: Pick<Arl, 'kind' | 'positive'>): Promise<Arl> => {
      // The ARLs of the demo are written and read in the SDK's JSON form (the real ARL format is not public).
      const json = {
        format: 's3404-arl-json/1',
        kind: fields.kind,
        finess,
        b2LotNumber: '001',
        status: fields.positive ? 'positive' : 'negative',
        receivedAt: now().toISOString(),
      };
      const path = await writeOutput(
        io,
        join(out, 'scor', 'arl', `${fields.kind}-${json.receivedAt.replace(/[:.]/g, '')}.json`),
        `${JSON.stringify(json, null, 2)}\n`,
      );
      return jsonArlParser.parse(await readInput(io, path), { locale });
    };
    await lots.register(lot, { b2Arl: await arl({ kind: 'b2', positive: true }) });
    tick(2 * 3_600_000);
    const [record] = await lots.recordArl(await arl({ kind: 'pj', positive: true }));
    const { invoices, files: pjCount } = lot.manifest.totals;
    const seal = signatureText(verified.signature, locale, { several: false, hint: false });
    say(
      `  ✓ scor/${lot.container.fileName} — ${invoices} facture(s), ${pjCount} PJ, manifeste scellé : ${seal} — ${record!.state} après ${record!.attempts} envoi(s)`,
      `  ✓ scor/${lot.container.fileName} — ${invoices} invoice(s), ${pjCount} PJ, sealed manifest: ${seal} — ${record!.state} after ${record!.attempts} attempt(s)`,
    );

    // 4. The trace: checkpointed and verified with the seal certificate.
    await log.checkpoint();
    const report = await log.verify({ verifier });
    const checkpoints = signatureText(report.signatures, locale, { several: true, hint: false });
    say(
      `  ✓ audit/trace.jsonl — ${report.events} événements, ${report.ok ? 'chaîne intègre' : 'CHAÎNE ENDOMMAGÉE'}, points de contrôle : ${checkpoints}`,
      `  ✓ audit/trace.jsonl — ${report.events} events, ${report.ok ? 'chain intact' : 'CHAIN DAMAGED'}, checkpoints: ${checkpoints}`,
    );

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
        lotId: lot.lotId,
        container: `scor/${lot.container.fileName}`,
        sha256: lot.container.sha256,
        bytes: lot.container.bytes.length,
        manifestSha256: lot.manifestSha256,
        verified: verified.ok,
        manifestSeal: verified.signature.status,
        state: record!.state,
        attempts: record!.attempts,
        purgeAfter: record!.purgeAfter,
        path: zip,
      },
      audit: { file: 'audit/trace.jsonl', events: report.events, ok: report.ok, checkpoints: report.signatures.status },
      pki: 'pki/ (development only)',
      totalMs: Math.round(performance.now() - t0),
    };
    await writeOutput(io, join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const ok = pdfs.length === count && dayResult.complete && verified.ok && record!.state === 'arl-positive' && report.ok;
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
    await consumption.close();
    await lotStore.close();
    await log.close();
  }
}
