import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale, TraceSink } from '@s3404/core';
import { nodeSha256, writeFileAtomic } from '@s3404/core/node';
import { parseBordereauJson, validateBordereau, type Bordereau } from '@s3404/form';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { createConsumer, createContentSigner, readPemCertificates, readPemPrivateKey, type ConsumptionStore } from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { openConsumptionStore, openContextRegistry } from '@s3404/seal/stores';
import { badValue, usage } from '../args.js';
import { documentClock, makeDirectory, readInput, readText, securityClock, type Io } from '../io.js';
import { line } from '../output.js';
import { createRenderedBordereauSource, createSigningService, FileTerminalStore, MemoryTerminalStore, openNonceCache } from '../serve/index.js';
import { demoSigning } from './demo-signing.js';

/** Options of `s3404 serve`. */
export interface ServeOptions {
  readonly port: string | undefined;
  readonly host: string | undefined;
  readonly state: string | undefined;
  readonly store: string | undefined;
  readonly pki: string | undefined;
  readonly examples: string | undefined;
  /** `--count N`: pairing codes printed at start (default 1). */
  readonly count: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/** The port `s3404 serve` listens on without `--port`. */
export const DEFAULT_PORT = 3404;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The example bordereaux: shipped in the package (dist/examples) or, in the repository, examples/data. */
function examplesDir(io: Io, given: string | undefined): string {
  if (given !== undefined) return resolve(io.cwd, given);
  const candidates = [new URL('./examples/', import.meta.url), new URL('../../../../examples/data/', import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (found === undefined) throw usage({ fr: 'exemples introuvables : indiquez --examples DIR', en: 'examples not found: give --examples DIR' });
  return found;
}

/**
 * The example bordereaux as one clinic's day (as `s3404 demo` makes them): the
 * first one's establishment and director on all of them, each validated.
 */
async function exampleBordereaux(io: Io, dir: string, locale: Locale): Promise<Bordereau[]> {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0) throw usage({ fr: `aucun bordereau d'exemple dans ${dir}`, en: `no example bordereau in ${dir}` });
  const out: Bordereau[] = [];
  let first: Bordereau | undefined;
  for (const f of files) {
    const b = parseBordereauJson(await readInput(io, join(dir, f)), { locale });
    first ??= b;
    const check = validateBordereau(
      { ...b, establishment: first.establishment, signatures: { ...b.signatures, director: first.signatures.director } },
      { locale },
    );
    if (check.ok) out.push(check.data);
  }
  return out;
}

/** The seal key, certificate and trust anchor: `--pki DIR`, else DIR/pki of `--state` (created once), else a fresh one in memory. */
async function sealPki(
  io: Io,
  o: ServeOptions,
): Promise<{ key: Uint8Array; certificate: Uint8Array; ca: Uint8Array; source: 'pki' | 'state' | 'memory'; dir?: string }> {
  const load = async (dir: string, source: 'pki' | 'state') => {
    const certificate = readPemCertificates(await readText(io, join(dir, 'seal-cert.pem')), { locale: o.locale })[0]!;
    const key = readPemPrivateKey(await readText(io, join(dir, 'seal-key.pem')), { locale: o.locale });
    const ca = readPemCertificates(await readText(io, join(dir, 'ca.pem')), { locale: o.locale })[0]!;
    return { key, certificate, ca, source, dir };
  };
  if (o.pki !== undefined) return load(resolve(io.cwd, o.pki), 'pki');
  const at = securityClock(io);
  if (o.state === undefined) {
    const pki = await createDevelopmentPki({ now: () => at });
    return { key: pki.seal.privateKey, certificate: pki.seal.certificate, ca: pki.ca.certificate, source: 'memory' };
  }
  const dir = resolve(io.cwd, o.state, 'pki');
  if (!existsSync(join(dir, 'seal-key.pem'))) {
    // Written in a folder beside, then renamed into place: two processes starting together agree on one PKI.
    await makeDirectory(io, resolve(io.cwd, o.state));
    const tmp = await mkdtemp(join(resolve(io.cwd, o.state), '.pki-'));
    const pki = await createDevelopmentPki({ now: () => at });
    for (const [name, pem] of Object.entries(pki.files)) await writeFileAtomic(join(tmp, name), pem, { mode: name.includes('key') ? 0o600 : 0o644 });
    await rename(tmp, dir).catch(() => rm(tmp, { recursive: true, force: true }));
  }
  return load(dir, 'state');
}

/** Trace events as JSON lines on stderr: the journal of a service run without `--state`. */
function stderrTrace(io: Io): TraceSink {
  return { record: (event) => io.stderr(`${JSON.stringify({ trace: event })}\n`) };
}

/**
 * `s3404 serve [--port N] [--host H] [--state DIR] [--store URL] [--pki DIR]
 * [--count N] [--json] [--lang fr|en]` (SIG-1…SIG-7): the reference signing
 * service on the example bordereaux, until SIGINT or SIGTERM. Loopback only
 * unless `--host` says otherwise (then a warning: serve it behind HTTPS).
 * Prints its URL and `--count` one-time pairing codes (one JSON line
 * `{ url, pairingCodes, … }` with `--json`).
 *
 * What several processes share: the single-use ledger and the encrypted
 * pending records through `--store postgres://…` or `redis://…` (or the
 * SQLite file of `--state DIR` on one machine); the seal key and its CA
 * through `--pki DIR` (or DIR/pki); the pending record's key travels in the
 * handle the capture's answer carries (no key holder), so any process can use
 * a record another one sealed; the bordereaux are the same example bordereaux
 * rendered by each process (the same content hash), their signed PDFs in
 * DIR/bordereaux when `--state DIR` is shared — each use read, signed and
 * written under the lock of the bordereau's file, so no signature is lost to
 * another process's (SIG-5, SIG-6) — else in each process's memory: with
 * `--store` but no `--state`, a signature used through another process never
 * reaches this one's PDF (warned at start). The capture contexts shown are
 * shared through the same PostgreSQL or Redis (`openContextRegistry`): a
 * tablet's capture may reach any process; with SQLite or memory they stay in
 * the process that showed them. So are the nonces of the terminals' signed
 * requests (`openNonceCache`): a request replayed to another process is
 * refused too.
 */
export async function serveCommand(io: Io, o: ServeOptions): Promise<number> {
  const { locale } = o;
  const port = o.port === undefined ? DEFAULT_PORT : Number(o.port);
  if (o.port !== undefined && (!/^\d{1,5}$/.test(o.port) || port > 65_535))
    throw badValue('--port', { fr: 'un port de 0 à 65535 (0 : un port libre)', en: 'a port from 0 to 65535 (0: a free port)' }, o.port);
  const host = o.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) throw badValue('--host', { fr: 'une adresse ou un nom d’hôte', en: 'an address or host name' }, host);
  const count = o.count === undefined ? 1 : Number(o.count);
  if (!Number.isInteger(count) || count < 1 || count > 100)
    throw badValue('--count', { fr: 'un nombre de codes d’appairage de 1 à 100', en: 'a number of pairing codes from 1 to 100' }, o.count);
  const now = () => securityClock(io);
  const state = o.state === undefined ? undefined : resolve(io.cwd, o.state);
  if (state !== undefined) for (const d of ['seal', 'serve', 'audit', 'bordereaux']) await makeDirectory(io, join(state, d));

  const pki = await sealPki(io, o);
  const url = o.store ?? (state === undefined ? 'memory:' : `sqlite:${join(state, 'seal', 'consumption.sqlite')}`);
  // An explicit store must outlive the process; the default without --state or --store is this process's memory (warned).
  const store: ConsumptionStore = await openConsumptionStore(url, { durable: url !== 'memory:', locale });
  const closers: (() => Promise<void>)[] = [() => store.close()];
  try {
    let trace: TraceSink;
    if (state !== undefined) {
      const signer = await createContentSigner({ key: pki.key, certificate: pki.certificate, now, locale });
      const log = createAuditLog({
        store: await FileAuditStore.open({ path: join(state, 'audit', 'trace.jsonl'), locale }),
        signer,
        sha256: nodeSha256,
        now,
        locale,
      });
      closers.push(() => log.close());
      trace = auditTraceSink(log);
    } else trace = stderrTrace(io);
    const bordereaux = await exampleBordereaux(io, examplesDir(io, o.examples), locale);
    if (bordereaux.length === 0) throw usage({ fr: 'aucun bordereau d’exemple valide', en: 'no valid example bordereau' });
    // The clinic's policy of the demo (SIG-7…SIG-9): its director, each practitioner with a proof agreement, the mandates.
    // Contexts shown by one process are captured through any process sharing the ledger (PostgreSQL, Redis; SIG-1).
    const contexts = await openContextRegistry(url, { now, locale });
    closers.push(() => contexts.close());
    const { sealer } = await demoSigning({ bordereaux, key: pki.key, certificate: pki.certificate, trustAnchor: pki.ca, store, trace, now, contexts });
    const consumer = createConsumer({
      store,
      trustAnchors: [pki.ca],
      now,
      // The pending record's key only in the handle: any process sharing the store can use it, none keeps it (SIG-6).
      keyHolder: null,
      consumerId: `s3404-serve/${hostname().slice(0, 64)}/${process.pid}`,
      trace,
      locale,
    });
    const documentDate = documentClock(io);
    const source = await createRenderedBordereauSource({
      bordereaux,
      now: () => documentDate,
      locale,
      ...(state === undefined ? {} : { dir: join(state, 'bordereaux') }),
    });
    const terminals = state === undefined ? await MemoryTerminalStore.open() : await FileTerminalStore.open({ path: join(state, 'serve', 'terminals.json') });
    closers.push(() => terminals.close());
    // Replayed requests refused by every process sharing the ledger (PostgreSQL, Redis; SIG-7).
    const nonces = await openNonceCache(url, { locale });
    closers.push(() => nonces.close());
    const service = createSigningService({
      sealer,
      consumer,
      bordereaux: source,
      terminals,
      nonces,
      trace,
      now,
      locale,
      onInternalError: (e) => io.stderr(`s3404 serve: [ERR_INTERNAL] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
    });
    closers.unshift(() => service.close());
    const listening = await service.listen({ port, host });
    const codes = Array.from({ length: count }, () => service.createPairingCode());
    const warnings: string[] = [];
    if (!LOOPBACK.has(host))
      warnings.push(
        line(
          locale,
          `Attention : le service écoute sur ${host}, hors de la boucle locale : servez-le derrière HTTPS (la tablette a besoin d’un contexte sécurisé et les requêtes portent des données personnelles).`,
          `Warning: the service listens on ${host}, beyond loopback: serve it behind HTTPS (the tablet needs a secure context and the requests carry personal data).`,
        ),
      );
    if (url === 'memory:')
      warnings.push(
        line(
          locale,
          'Attention : sans --state ni --store, l’usage unique ne vaut que dans ce processus et s’oublie à son arrêt.',
          'Warning: without --state or --store, single use holds only within this process and is forgotten when it stops.',
        ),
      );
    if (o.store !== undefined && state === undefined)
      warnings.push(
        line(
          locale,
          'Attention : --store sans --state : les PDF signés restent dans la mémoire de ce processus ; une signature utilisée par un autre processus du même registre n’y apparaîtra pas. Des processus qui partagent un registre doivent aussi partager --state DIR.',
          "Warning: --store without --state: the signed PDFs stay in this process's memory; a signature used through another process of the same ledger never reaches them. Processes that share a ledger must also share --state DIR.",
        ),
      );
    if (pki.source === 'memory')
      warnings.push(
        line(
          locale,
          'Attention : cachet de développement éphémère (ni --pki ni --state) : jamais en production.',
          'Warning: ephemeral development seal (neither --pki nor --state): never in production.',
        ),
      );
    for (const w of warnings) io.stderr(w);
    if (o.json)
      io.stdout(
        `${JSON.stringify({
          url: listening.url,
          pairingCodes: codes.map((c) => c.code),
          pairingCodesExpireAt: codes[0]!.expiresAt,
          store: url.replace(/\/\/[^@/]*@/, '//'),
          state: state ?? null,
          pki: pki.dir ?? null,
          bordereaux: await source.list(),
        })}\n`,
      );
    else {
      io.stdout(line(locale, `Service de signature : ${listening.url}/`, `Signing service: ${listening.url}/`));
      io.stdout(line(locale, `Document OpenAPI : ${listening.url}/openapi.json`, `OpenAPI document: ${listening.url}/openapi.json`));
      io.stdout(
        line(
          locale,
          `Code(s) d’appairage à usage unique, valables jusqu’au ${codes[0]!.expiresAt} :`,
          `One-time pairing code(s), valid until ${codes[0]!.expiresAt}:`,
        ),
      );
      for (const c of codes) io.stdout(`  ${c.code}\n`);
      io.stdout(line(locale, 'Ctrl+C pour arrêter.', 'Ctrl+C to stop.'));
    }
    const signal = await new Promise<NodeJS.Signals>((done) => {
      const on = (s: NodeJS.Signals): void => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
        done(s);
      };
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
    });
    if (!o.json) io.stderr(line(locale, `Arrêt (${signal}).`, `Stopping (${signal}).`));
    return 0;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}
