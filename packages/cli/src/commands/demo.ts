import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createBordereauId, parseBordereauJson, validateBordereau, type Bordereau } from '@s3404/form';
import type { Locale } from '@s3404/form/errors';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { clockFrom, readInput, UsageError, writeAtomic, type Io } from '../io.js';
import { printJson } from '../output.js';

export interface DemoOptions {
  readonly out: string;
  readonly count: string | undefined;
  readonly examples: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/** The example bordereaux: shipped in the package (dist/examples) or, in the repository, examples/data. */
function defaultExamplesDir(): string {
  const candidates = [new URL('./examples/', import.meta.url), new URL('../../../../examples/data/', import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (found === undefined) throw new UsageError('exemples introuvables : indiquez --examples DIR');
  return found;
}

/** A seeded identifier source, so the same clock gives the same demo. */
function seededRandom(seed: string): (b: Uint8Array) => Uint8Array {
  let counter = 0;
  return (b) => {
    const block = sha256(new TextEncoder().encode(`${seed}#${counter++}`));
    b.set(block.subarray(0, b.length));
    return b;
  };
}

/**
 * `s3404 demo [--out DIR] [--count N]` — the main job on embedded defaults.
 * Until the signature, trace and SCOR packages land, it validates and renders
 * the example bordereaux into DIR/bordereaux/*.pdf and writes DIR/summary.json.
 */
export async function demoCommand(io: Io, opts: DemoOptions): Promise<number> {
  const dir = opts.examples === undefined ? defaultExamplesDir() : resolve(io.cwd, opts.examples);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) throw new UsageError(`aucun bordereau d'exemple dans ${dir}`);
  const count = opts.count === undefined ? files.length : Number(opts.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError(`--count attend un entier de 1 à 1000 (reçu ${opts.count})`);
  const now = clockFrom(io);
  const random = seededRandom(now.toISOString());
  const out = resolve(io.cwd, opts.out);
  const entries: Record<string, unknown>[] = [];
  let failures = 0;
  const t0 = performance.now();

  for (let i = 0; i < count; i++) {
    const file = files[i % files.length]!;
    const name = file.replace(/\.json$/, '');
    let bordereau: Bordereau = parseBordereauJson(readInput(io, join(dir, file)), { locale: opts.locale });
    if (i >= files.length) bordereau = { ...bordereau, id: createBordereauId({ random }) };
    const check = validateBordereau(bordereau, { locale: opts.locale });
    if (!check.success) {
      failures++;
      entries.push({ source: file, valid: false, issues: check.issues });
      continue;
    }
    const started = performance.now();
    const result = await renderBordereauPdf(bordereau, { now, locale: opts.locale });
    const ms = performance.now() - started;
    const pdfName = `${String(i + 1).padStart(2, '0')}-${name}.pdf`;
    writeAtomic(io, join(out, 'bordereaux', pdfName), result.bytes);
    entries.push({
      source: file,
      valid: true,
      id: bordereau.id,
      invoiceNumber: bordereau.invoiceNumber,
      establishment: bordereau.establishment.finess,
      pdf: `bordereaux/${pdfName}`,
      pages: result.pageCount,
      bytes: result.bytes.length,
      sha256: bytesToHex(sha256(result.bytes)),
      contentHash: result.contentHash,
      totalCents: bordereau.totals.total,
      signatureSlots: result.slots.map((s) => s.id),
      renderMs: Math.round(ms * 10) / 10,
    });
    if (!opts.json) io.stdout(`  ✓ ${pdfName} — ${bordereau.id} — ${result.pageCount} page(s)\n`);
  }

  const summary = {
    tool: 's3404 demo',
    generatedAt: now.toISOString(),
    out,
    count,
    valid: count - failures,
    invalid: failures,
    totalMs: Math.round(performance.now() - t0),
    bordereaux: entries,
    notYet: ['signature capture and sealing (@s3404/seal)', 'traces (@s3404/audit)', 'SCOR lots (@s3404/scor)'],
  };
  writeAtomic(io, join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (opts.json) printJson(io, summary);
  else io.stdout(`${count - failures}/${count} bordereau(x) rendu(s) dans ${join(out, 'bordereaux')} ; résumé : ${join(out, 'summary.json')}\n`);
  return failures === 0 ? 0 : 1;
}
