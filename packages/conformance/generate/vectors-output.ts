/**
 * Where and how the generators write: one vector file per call, and each generator's own
 * fixtures in `<area>/fixtures/` with the folder's `manifest.json` merged — a generator deletes and
 * rewrites only its own fixtures (those no other vector file of the area refers to), so two
 * generators can share a folder (audit-chains / audit-exports, scor-lots / scor-pj-checks).
 *
 * The output root is `test-vectors/` of the repository, or `S3404_VECTORS_OUT` when set: the
 * reproducibility test runs a generator into a temporary copy and compares it with the committed files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (examples and other inputs are read from there). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The root the vectors are written to: `S3404_VECTORS_OUT`, else `test-vectors/` of the repository. */
export function vectorsRoot(): string {
  const out = process.env['S3404_VECTORS_OUT'];
  return out === undefined || out === '' ? join(REPO_ROOT, 'test-vectors') : resolve(out);
}

/** The folder of one area under the output root. */
export function areaDir(area: string): string {
  return join(vectorsRoot(), area);
}

/** JSON as every vector file and manifest is written: two-space indent, final newline. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes `<area>/<name>` as JSON text. */
export function writeVectorFile(area: string, name: string, doc: unknown): void {
  mkdirSync(areaDir(area), { recursive: true });
  writeFileSync(join(areaDir(area), name), jsonText(doc));
}

/** One entry of a fixture manifest. */
export interface ManifestEntry {
  readonly file: string;
  readonly sha256: string;
  readonly reason: string;
}

/** One fixture a generator writes. */
export interface FixtureOut {
  readonly name: string;
  readonly bytes: Uint8Array | string;
  readonly reason: string;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Every fixture name (`fixtures/<name>`) an input refers to, at any depth. */
function fixtureNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(fixtureNames);
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if (typeof o['file'] === 'string' && typeof o['sha256'] === 'string') return o['file'].startsWith('fixtures/') ? [o['file'].slice('fixtures/'.length)] : [];
  return Object.values(o).flatMap(fixtureNames);
}

/** The fixtures the area's other vector files (all but `ownFile`) refer to: another generator's. */
function othersFixtures(area: string, ownFile: string): Set<string> {
  const dir = areaDir(area);
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && f !== ownFile) : [];
  return new Set(names.flatMap((f) => fixtureNames((JSON.parse(readFileSync(join(dir, f), 'utf8')) as { testGroups?: unknown }).testGroups)));
}

/**
 * Writes the fixtures of the generator of `ownFile` into `<area>/fixtures/`: first deletes every
 * fixture no other vector file of the area refers to (this generator's previous ones), keeps those
 * another file uses (another generator's, or one of this generator's that another file shares,
 * which `fixtures` then overwrites), and rewrites the manifest: the kept entries, this generator's
 * new ones, all sorted by name.
 * @returns the `{ file, sha256 }` reference of each fixture, relative to the area's vector files.
 * @throws Error when a fixture is named twice.
 */
export function writeOwnFixtures(area: string, ownFile: string, fixtures: readonly FixtureOut[]): Map<string, { file: string; sha256: string }> {
  const dir = join(areaDir(area), 'fixtures');
  mkdirSync(dir, { recursive: true });
  const others = othersFixtures(area, ownFile);
  for (const name of readdirSync(dir)) if (name !== 'manifest.json' && !others.has(name)) rmSync(join(dir, name));
  const manifestPath = join(dir, 'manifest.json');
  const mine = new Set(fixtures.map((f) => f.name));
  const kept = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[]).filter((e) => others.has(e.file) && !mine.has(e.file))
    : [];
  const refs = new Map<string, { file: string; sha256: string }>();
  const entries: ManifestEntry[] = [...kept];
  for (const f of fixtures) {
    if (refs.has(f.name)) throw new Error(`fixture ${f.name} written twice`);
    writeFileSync(join(dir, f.name), f.bytes);
    const hash = sha256(f.bytes);
    refs.set(f.name, { file: `fixtures/${f.name}`, sha256: hash });
    entries.push({ file: f.name, sha256: hash, reason: f.reason });
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  writeFileSync(manifestPath, jsonText(entries));
  return refs;
}
