/**
 * Checks the packed artifacts, not the sources (STYLE 12):
 *  1. `pnpm pack` every public package;
 *  2. publint --strict and attw (ESM-only profile) on each tarball;
 *  3. installs the tarballs into a fresh temporary project and imports every
 *     entry point, renders a bordereau and runs the CLI from there (`s3404 conformance` on the
 *     vectors published with @s3404/conformance);
 *  4. checks that runtime-agnostic entries import nothing from `node:` and
 *     that `@s3404/form` does not pull the PDF engine (X-1);
 *  5. checks that every tarball ships LICENSE (packages/tooling/LICENSE) and README.md;
 *  6. compiles, in that fresh project, a strict Node-only TypeScript file importing every public
 *     entry point (lib ES2022, types node, no DOM lib, no skipLibCheck), as a Node backend would.
 * Run from the root through `pnpm test`.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = readdirSync(join(ROOT, 'packages'))
  .map((d) => join(ROOT, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      exports?: Record<string, unknown>;
      peerDependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    },
  }))
  .filter((p) => p.manifest.private !== true);

const LICENSE = readFileSync(join(ROOT, 'packages/tooling/LICENSE'));
/** The exact version of a root dev dependency (typescript, @types/node): in the store already, so installed offline. */
const rootVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), 's3404-packs-'));
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);
let failed = false;
const step = (title: string, fn: () => void): void => {
  const t = performance.now();
  try {
    fn();
    console.log(`✓ ${title} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed = true;
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    console.error(`✗ ${title}\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}${err.message}`);
  }
};

const execFileAsync = promisify(execFile);
/** {@link step} for a command run asynchronously: its output is shown only when it fails. */
const stepAsync = async (title: string, fn: () => Promise<unknown>): Promise<void> => {
  const t = performance.now();
  try {
    await fn();
    console.log(`✓ ${title} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed = true;
    const err = e as { stdout?: string; stderr?: string; message: string };
    console.error(`✗ ${title}\n${err.stdout ?? ''}${err.stderr ?? ''}${err.message}`);
  }
};
/** Runs `fn` over `items`, two at a time. */
const inPairs = async <T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all([lane(), lane()]);
};

try {
  const tarballs = new Map<string, string>();
  for (const { dir, manifest } of PACKAGES) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: dir, encoding: 'utf8' });
    const file = out
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.tgz'))
      .pop()!;
    tarballs.set(manifest.name, resolve(work, file.split('/').pop()!));
  }
  // publint and attw read each tarball on their own: two at a time, one per core here (each mostly waits on one).
  await inPairs(
    [...tarballs].flatMap(([name, tgz]) => [
      [`publint ${name}`, bin('publint'), ['--strict', tgz]] as const,
      [`attw ${name}`, bin('attw'), [tgz, '--profile', 'esm-only', '--format', 'table-flipped']] as const,
    ]),
    ([title, command, args]) => stepAsync(title, () => execFileAsync(command, [...args])),
  );
  for (const [name, tgz] of tarballs) {
    step(`no source condition leaks into ${name}`, () => {
      const listing = execFileSync('tar', ['-xOzf', tgz, 'package/package.json'], { encoding: 'utf8' });
      if (listing.includes('@s3404/source') || listing.includes('workspace:'))
        throw new Error('packed package.json still has @s3404/source or workspace: ranges');
    });
    step(`${name} ships LICENSE (Apache-2.0, packages/tooling/LICENSE) and README.md`, () => {
      const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n');
      const absent = ['LICENSE', 'README.md'].filter((f) => !files.includes(`package/${f}`));
      if (absent.length > 0) throw new Error(`the tarball has no ${absent.join(' and no ')} (add it to the package and to "files")`);
      if (!execFileSync('tar', ['-xOzf', tgz, 'package/LICENSE']).equals(LICENSE))
        throw new Error('its LICENSE differs from packages/tooling/LICENSE (pnpm run license:sync)');
    });
  }

  // A vendor's project: install the tarballs only.
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  const deps = Object.fromEntries([...tarballs].map(([name, tgz]) => [name, `file:${tgz}`]));
  // TypeScript and Node's types, as a Node backend has them, for the Node-only type check (6);
  // and the types of the optional peer drivers (pg, better-sqlite3), which a vendor using a store
  // installs with its driver, at the ranges the packages develop with.
  const peerTypes = Object.fromEntries(
    PACKAGES.flatMap(({ manifest }) =>
      Object.keys(manifest.peerDependencies ?? {}).flatMap((peer) => {
        const range = manifest.devDependencies?.[`@types/${peer}`];
        return range === undefined ? [] : [[`@types/${peer}`, range] as const];
      }),
    ),
  );
  const devDeps = { typescript: rootVersion('typescript'), '@types/node': rootVersion('@types/node'), ...peerTypes };
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'vendor-app',
        private: true,
        type: 'module',
        dependencies: deps,
        devDependencies: devDeps,
        // better-sqlite3, the optional peer of the SQLite stores, is linked to the workspace's copy, already built:
        // installed afresh it is compiled from source (no prebuilt binary offline), 100 s of CI for nothing of ours.
        pnpm: { overrides: { ...deps, 'better-sqlite3': `link:${realpathSync(join(ROOT, 'packages/seal/node_modules/better-sqlite3'))}` } },
      },
      null,
      2,
    ),
  );
  step('install the packed tarballs in a fresh project', () =>
    execFileSync('pnpm', ['install', '--prefer-offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], { cwd: app, stdio: 'pipe' }),
  );
  const example = readFileSync(join(ROOT, 'examples/data/mco-chirurgie-pth.json'), 'utf8');
  writeFileSync(join(app, 'bordereau.json'), example);
  writeFileSync(
    join(app, 'smoke.mjs'),
    `import { validateBordereau, createBordereauId } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { FormError } from '@s3404/form/errors';
import { S3404Error, fixedClock, RecordingTraceSink } from '@s3404/core';
import { writeFileAtomic, nodeSha256 } from '@s3404/core/node';
import { readFileSync } from 'node:fs';
import * as seal from '@s3404/seal';
import * as scor from '@s3404/scor';
import * as audit from '@s3404/audit';
import { run } from '@s3404/cli';
const data = JSON.parse(readFileSync('bordereau.json', 'utf8'));
const v = validateBordereau(data);
if (!v.ok) throw new Error('example invalid');
const { bytes, pageCount, contentHash } = await renderBordereauPdf(data, { now: fixedClock(0) });
if (!(bytes instanceof Uint8Array) || pageCount < 1) throw new Error('render failed');
if (typeof S3404Error !== 'function' || typeof run !== 'function' || !(new FormError('ERR_PDF_ENCRYPTED') instanceof S3404Error)) throw new Error('exports missing');
if (!/^[0-9A-Z]{5}-/.test(createBordereauId())) throw new Error('id');
if (typeof RecordingTraceSink !== 'function' || (await writeFileAtomic('atomic.txt', 'ok')) === '') throw new Error('core entries');
const { createDevelopmentPki } = await import('@s3404/seal/pki');
const { SealError } = await import('@s3404/seal/errors');
const pki = await createDevelopmentPki();
const sealer = await seal.createSealer({ key: pki.seal.privateKey, certificate: pki.seal.certificate, contexts: new seal.MemoryContextRegistry(), authorizer: seal.createRoleAuthorizer({ staff: [] }) });
const ctx = await sealer.openContext({ scope: { kind: 'bordereau', bordereauId: data.id, contentHash }, role: 'insured', signer: { id: 'p', name: 'P' }, terminalId: 't' });
const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAAAAAA6mKC9AAAAPElEQVR4nF3PyQ0AQAjDQPffdPY+MB+kEYIApBRIiIRIiIRIiIRIbj/yRrd825b8B6eUTENqbIg+86tdGigB0S+QL+LJAAAAAElFTkSuQmCC', 'base64'));
const sealed = await sealer.seal(seal.createCapture(ctx, { image: png, capturedAt: new Date() }));
const verdict = await seal.verifyRecord(sealed.bytes, { trustAnchors: [pki.ca.certificate], expect: { bordereauId: data.id, contentHash } });
if (!verdict.ok || typeof SealError !== 'function') throw new Error('seal round trip failed: ' + JSON.stringify(verdict));
const { MemoryConsumptionStore } = await import('@s3404/seal/memory');
const { SqliteConsumptionStore } = await import('@s3404/seal/sqlite');
for (const store of [await MemoryConsumptionStore.open(), await SqliteConsumptionStore.open({ path: 'smoke.sqlite' })]) {
  const consumer = seal.createConsumer({ store, trustAnchors: [pki.ca.certificate] });
  await consumer.deposit(sealed);
  const used = await consumer.consume({ recordId: sealed.recordId }, { target: { bordereauId: data.id, contentHash }, requestId: 'smoke' });
  if (used.status !== 'consumed' || (await store.countPending()) !== 0) throw new Error('consume failed');
  const replay = await consumer.consume({ bytes: sealed.bytes }, { target: { bordereauId: data.id, contentHash }, requestId: 'again' }).catch((e) => e.code);
  if (replay !== 'ERR_RECORD_REPLAYED') throw new Error('replay not refused: ' + replay);
  await store.close();
}
const { applySignature } = await import('@s3404/seal/apply');
if (typeof applySignature !== 'function') throw new Error('apply entry');
// The trace: a file log with a sealed checkpoint, verified offline with its signature.
const { FileAuditStore, verifyLogFile } = await import('@s3404/audit/file');
const { MemoryAuditStore } = await import('@s3404/audit/memory');
const { AuditError } = await import('@s3404/audit/errors');
if (typeof AuditError !== 'function') throw new Error('audit entries');
const signer = await seal.createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate });
const verifier = seal.createContentVerifier({ trustAnchors: [pki.ca.certificate] });
for (const store of [await MemoryAuditStore.open(), await FileAuditStore.open({ path: 'trace/trace.jsonl' })]) {
  const log = audit.createAuditLog({ store, signer, sha256: nodeSha256 });
  await log.append({ action: 'bordereau.generated', actor: { personId: 'u', role: 'staff', terminalId: 't' }, subject: { bordereauId: data.id }, outcome: 'success' });
  await log.checkpoint();
  const report = await log.verify({ verifier });
  if (!report.ok || report.signatures.status !== 'valid') throw new Error('audit round trip failed: ' + JSON.stringify(report));
  await log.close();
}
if (!(await verifyLogFile('trace/trace.jsonl')).ok) throw new Error('audit file verify');
// SCOR: check the rendered bordereau as a PJ, pack it (unsigned: refused, as it must be), and a lot's lifecycle on SQLite.
const pj = scor.checkPj(bytes);
if (!pj.ok || pj.s3404?.bordereauId !== data.id) throw new Error('scor check: ' + JSON.stringify(pj.issues));
const refused = await scor.safePackLot({ finess: data.establishment.finess, b2LotNumber: '1', invoices: [{ invoiceNumber: data.invoiceNumber, bordereauId: data.id, pj: [{ file: 'b.pdf', kind: 's3404' }] }] }, { files: { 'b.pdf': bytes } });
if (refused.ok || refused.issues[0].code !== 'ERR_LOT_S3404_UNSIGNED') throw new Error('unsigned S3404 not refused: ' + JSON.stringify(refused));
const { SqliteLotStore } = await import('@s3404/scor/sqlite');
const { MemoryLotStore } = await import('@s3404/scor/memory');
const { writeLotFile, FileDropTransport } = await import('@s3404/scor/file');
const { ScorError } = await import('@s3404/scor/errors');
if (typeof ScorError !== 'function' || typeof writeLotFile !== 'function' || typeof MemoryLotStore !== 'function') throw new Error('scor entries');
const lots = scor.createLotManager({ store: await SqliteLotStore.open({ path: 'lots.sqlite' }), transport: new FileDropTransport({ dir: 'outbox' }) });
const fake = { lotId: 'L-1', finess: data.establishment.finess, b2LotNumber: '1', manifest: { totals: { invoices: 1, files: 1 } }, manifestSha256: 'a'.repeat(64), container: { codec: 'x', fileName: 'L-1.zip', mediaType: 'application/zip', bytes: new Uint8Array([1]), sha256: '4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a' } }; // the true SHA-256 of its one byte: the store checks it again as it sends
const sent = await lots.register(fake, { b2Arl: { kind: 'b2', finess: data.establishment.finess, b2LotNumber: '1', positive: true, receivedAt: new Date().toISOString() } });
if (sent.state !== 'sent') throw new Error('scor lifecycle: ' + sent.state);
console.log('smoke ok', pageCount, bytes.length, sealed.bytes.length);
`,
  );
  step('import every entry point from the installed packages and render', () => execFileSync('node', ['smoke.mjs'], { cwd: app, stdio: 'pipe' }));
  step('run the installed s3404 command', () => {
    const out = execFileSync(join(app, 'node_modules', '.bin', 's3404'), ['validate', 'bordereau.json', '--json'], { cwd: app, encoding: 'utf8' });
    if (!JSON.parse(out).ok) throw new Error(out);
    execFileSync(join(app, 'node_modules', '.bin', 's3404'), ['demo', '--out', 'demo'], { cwd: app, stdio: 'pipe' });
    if (!existsSync(join(app, 'demo', 'summary.json'))) throw new Error('demo wrote no summary');
    execFileSync(join(app, 'node_modules', '.bin', 's3404'), ['pki', 'init', 'pki'], { cwd: app, stdio: 'pipe' });
    if (!existsSync(join(app, 'pki', 'seal-key.pem'))) throw new Error('pki init wrote no key');
    writeFileSync(
      join(app, 'sig.png'),
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAAAAAA6mKC9AAAAPElEQVR4nF3PyQ0AQAjDQPffdPY+MB+kEYIApBRIiIRIiIRIiIRIbj/yRrd825b8B6eUTENqbIg+86tdGigB0S+QL+LJAAAAAElFTkSuQmCC',
        'base64',
      ),
    );
    const id = JSON.parse(example).id as string;
    // The record binds the bordereau's content (SIG-4): its hash, as `s3404 validate --json` prints it.
    const validated = JSON.parse(
      execFileSync(join(app, 'node_modules', '.bin', 's3404'), ['validate', 'bordereau.json', '--json'], { cwd: app, encoding: 'utf8' }),
    ) as {
      contentHash: string;
    };
    execFileSync(
      join(app, 'node_modules', '.bin', 's3404'),
      [
        'record',
        'seal',
        '--bordereau',
        id,
        '--content-hash',
        validated.contentHash,
        '--role',
        'assure',
        '--signer',
        'P',
        '--image',
        'sig.png',
        '--cert',
        'pki/seal-cert.pem',
        '--key',
        'pki/seal-key.pem',
        '-o',
        'r.p7m',
      ],
      { cwd: app, stdio: 'pipe' },
    );
    const consume = (...extra: string[]) =>
      spawnSync(
        join(app, 'node_modules', '.bin', 's3404'),
        ['record', 'consume', 'r.p7m', '--bordereau', id, '--content-hash', validated.contentHash, '--trust', 'pki/ca.pem', '--state', 'state', ...extra],
        { cwd: app, encoding: 'utf8' },
      );
    // --keep-input: the record file stays for the replay below (by default a used record file is removed, SIG-6).
    const first = consume('--keep-input');
    if (first.status !== 0) throw new Error(`record consume: ${first.stderr}`);
    const second = consume();
    if (second.status !== 1 || !second.stderr.includes('ERR_RECORD_REPLAYED')) throw new Error(`second consume not refused: ${second.status} ${second.stderr}`);
    const verify = spawnSync(join(app, 'node_modules', '.bin', 's3404'), ['audit', 'verify', '--state', 'state'], { cwd: app, encoding: 'utf8' });
    if (verify.status !== 0 || !verify.stdout.includes('2 événements')) throw new Error(`audit verify: ${verify.status} ${verify.stdout} ${verify.stderr}`);
    const summary = JSON.parse(readFileSync(join(app, 'demo', 'summary.json'), 'utf8')) as {
      scor?: { state?: string; container?: string };
      audit?: { ok?: boolean };
    };
    if (summary.scor?.state !== 'arl-positive' || summary.audit?.ok !== true)
      throw new Error(`installed demo: ${JSON.stringify(summary.scor)} ${JSON.stringify(summary.audit)}`);
    const check = spawnSync(join(app, 'node_modules', '.bin', 's3404'), ['scor', 'check', 'demo/bordereaux/01-ambulatoire-cataracte.pdf'], {
      cwd: app,
      encoding: 'utf8',
    });
    if (check.status !== 0 || !check.stdout.includes('PJ acceptable')) throw new Error(`installed scor check: ${check.status} ${check.stdout} ${check.stderr}`);
  });
  step('the installed s3404 conformance runs the vectors published with @s3404/conformance (no test-vectors/ in the project)', () => {
    if (existsSync(join(app, 'test-vectors'))) throw new Error('the fresh project has a test-vectors folder');
    const run = spawnSync(join(app, 'node_modules', '.bin', 's3404'), ['conformance', '--filter', 'SCOR-1', '--json'], { cwd: app, encoding: 'utf8' });
    const report = JSON.parse(run.stdout || '{}') as { ok?: boolean; tests?: { file: string; outcome: string }[] };
    const pj = (report.tests ?? []).filter((t) => t.file === 'scor/pj-checks.json' && t.outcome === 'passed');
    if (run.status !== 0 || report.ok !== true || pj.length < 70) throw new Error(`installed conformance: ${run.status} ${pj.length} passed ${run.stderr}`);
  });

  // Every public entry point of every package, read from the installed (packed) package.json
  // `exports`; JSON and other non-JS entries (`./schema.json`) and `./package.json` left out.
  const entryPoints = [...tarballs.keys()].flatMap((name) => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
    const leaves = (target: unknown): string[] =>
      typeof target === 'string' ? [target] : target !== null && typeof target === 'object' ? Object.values(target).flatMap(leaves) : [];
    return Object.entries(manifest.exports ?? {})
      .filter(([key, target]) => key !== './package.json' && leaves(target).some((file) => /\.(?:m?js|d\.m?ts)$/.test(file)))
      .map(([key]) => `${name}${key.slice(1)}`);
  });
  // Entry points made for the browser only: the signing pad is a custom element (its types extend
  // HTMLElement). They get a strict DOM project instead; their other entries (errors) stay in both.
  const BROWSER_ONLY = new Set(['@s3404/capture']);
  /** Compiles `specifiers` in a strict project (no skipLibCheck) with these libs and types. */
  const compiles = (project: string, specifiers: readonly string[], lib: readonly string[], types: readonly string[]): void => {
    const dir = join(app, project);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib, types, skipLibCheck: false, noEmit: true },
          files: ['entries.ts'],
        },
        null,
        2,
      ),
    );
    writeFileSync(
      join(dir, 'entries.ts'),
      `${specifiers.map((s, i) => `import * as entry${i} from '${s}';`).join('\n')}\n\nexport const entries = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];\n`,
    );
    const tsc = spawnSync(join(app, 'node_modules', '.bin', 'tsc'), ['-p', join(project, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: app,
      encoding: 'utf8',
    });
    if (tsc.status !== 0) {
      const errors = `${tsc.stdout}${tsc.stderr}`
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '');
      throw new Error(
        `tsc found ${errors.filter((l) => /error TS\d+/.test(l)).length} errors over ${specifiers.length} entry points (${specifiers.join(', ')}):\n${errors.join('\n')}`,
      );
    }
  };
  // A Node backend's strict TypeScript project: no DOM lib, no skipLibCheck.
  step(
    'a strict Node-only TypeScript project (lib ES2022, types node, no DOM, no skipLibCheck) compiles against every public entry point but the browser-only ones',
    () => {
      compiles(
        'node-backend',
        entryPoints.filter((s) => !BROWSER_ONLY.has(s)),
        ['ES2022'],
        ['node'],
      );
    },
  );
  // A tablet page's strict TypeScript project: the DOM, no Node types.
  step(
    'a strict browser TypeScript project (lib ES2022 + DOM, no Node types, no skipLibCheck) compiles against the browser-only entry points and core/wire',
    () => {
      compiles('browser-page', [...BROWSER_ONLY, '@s3404/capture/errors', '@s3404/core/wire'], ['ES2022', 'DOM', 'DOM.Iterable'], []);
    },
  );

  // X-1: runtime-agnostic entries.
  step('core entries import no node: module, @s3404/form and @s3404/scor do not load the PDF engine, @s3404/seal not x509', () => {
    const dist = (pkg: string) => join(app, 'node_modules', '@s3404', pkg, 'dist');
    const reachable = (entry: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(entry)) return seen;
      seen.add(entry);
      const src = readFileSync(entry, 'utf8');
      for (const m of src.matchAll(/(?:from|import)\s*["'](\.\.?\/[^"']+)["']/g)) reachable(resolve(entry, '..', m[1]!), seen);
      return seen;
    };
    for (const [pkg, entry] of [
      ['core', 'wire/index.js'],
      ['capture', 'index.js'],
      ['form', 'index.js'],
      ['form', 'pdf/index.js'],
      ['form', 'errors/index.js'],
      ['seal', 'index.js'],
      ['seal', 'errors/index.js'],
      ['seal', 'pki/index.js'],
      ['seal', 'memory/index.js'],
      ['seal', 'apply/index.js'],
      ['audit', 'index.js'],
      ['audit', 'errors/index.js'],
      ['audit', 'memory/index.js'],
      ['scor', 'index.js'],
      ['scor', 'errors/index.js'],
      ['scor', 'memory/index.js'],
      ['conformance', 'index.js'],
      ['conformance', 'errors/index.js'],
    ]) {
      for (const file of reachable(join(dist(pkg!), entry!))) {
        // What the file loads (static, side-effect, dynamic imports and requires), not what its
        // strings say: an error message may name @s3404/seal without loading it.
        const src = readFileSync(file, 'utf8');
        const loads = (pattern: RegExp): boolean =>
          [...src.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)["']([^"']+)["']/g)].some((m) => pattern.test(m[1]!));
        if (loads(/^node:/)) throw new Error(`${file} imports a node: module`);
        if (entry !== 'pdf/index.js' && entry !== 'apply/index.js' && loads(/^(?:@cantoo\/pdf-lib|@pdf-lib\/fontkit|@s3404\/form\/pdf)(?:\/|$)/))
          throw new Error(`${entry} reaches the PDF engine through ${file}`);
        if (pkg !== 'form' && entry !== 'pki/index.js' && loads(/^(?:@peculiar\/x509|reflect-metadata)(?:\/|$)/))
          throw new Error(`${pkg} ${entry} reaches x509 through ${file}`);
        if (pkg === 'scor' && loads(/^(?:@s3404\/seal|pkijs)(?:\/|$)/)) throw new Error(`scor ${entry} reaches the seal package through ${file}`);
      }
    }
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error('\npacked-artifact checks failed');
  process.exit(1);
}
console.log('\nall packed-artifact checks passed');
