import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXAMPLE = join(ROOT, 'examples/data/mco-chirurgie-pth.json');
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = cliIn(work);

function bad(mutate: (b: Record<string, any>) => void): string {
  const b = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>;
  mutate(b);
  const file = join(work, `bad-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(b));
  return file;
}

describe('s3404 validate (CLI contract)', () => {
  it('exits 0 for a valid bordereau and prints its identifier', async () => {
    const r = await cli(['validate', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Bordereau valide : 6R0ZQ-50K7C-AC6T4-JF0WA-04614-H');
  });
  it('exits 1 with coded issues, as JSON with --json, in English with --lang en', async () => {
    const file = bad((b) => {
      b.insured.nirKey = '11';
      b.totals.total += 1;
    });
    const text = await cli(['validate', file]);
    expect(text.code).toBe(1);
    expect(text.out).toContain('insured.nirKey [ERR_NIR_KEY] Clé NIR incorrecte');
    const json = await cli(['validate', file, '--json', '--lang', 'en']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out) as { ok: boolean; issues: { code: string; path: unknown[]; message: string }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.issues[0]).toEqual({
      code: 'ERR_NIR_KEY',
      path: ['insured', 'nirKey'],
      message: 'Wrong NIR key: expected 95; received 11 (key = 97 − NIR mod 97).',
    });
  });
  it('exits 2 for unreadable input: missing file, invalid JSON, wrong usage', async () => {
    expect((await cli(['validate', join(work, 'missing.json')])).code).toBe(2);
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{"modelVersion": "1.0",');
    const r = await cli(['validate', broken, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error.code).toBe('ERR_JSON_SYNTAX');
    expect((await cli(['validate'])).code).toBe(2);
    expect((await cli(['validate', 'a', 'b'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    const unknown = await cli(['validate', EXAMPLE, '--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('option inconnue : --nope');
    expect((await cli([])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });
  it('refuses a 10 MB string and 20,000 lines without crashing', async () => {
    const huge = bad((b) => (b.insured.lastName = 'A'.repeat(10 * 1024 * 1024)));
    const r1 = await cli(['validate', huge, '--json']);
    expect(r1.code).toBe(1);
    expect(JSON.parse(r1.out).issues.map((i: { code: string }) => i.code)).toContain('ERR_TEXT_TOO_LONG');
    const many = bad((b) => (b.fees = Array.from({ length: 20_000 }, () => b.fees[1])));
    const r2 = await cli(['validate', many, '--json']);
    expect(r2.code).toBe(1);
    expect(JSON.parse(r2.out).issues.map((i: { code: string }) => i.code)).toContain('ERR_TOO_MANY_LINES');
    const over = join(work, 'over.json');
    writeFileSync(over, `"${'x'.repeat(17 * 1024 * 1024)}"`);
    const r3 = await cli(['validate', over, '--json']);
    expect(r3.code).toBe(2); // beyond the documented 16 MB input limit: unreadable input
    expect(JSON.parse(r3.out).error.code).toBe('ERR_INPUT_TOO_LARGE');
  });
});

describe('s3404 render (CLI contract)', () => {
  it('writes the PDF, A3 by default, A4 and fillable on request', async () => {
    const a3 = join(work, 'a3.pdf');
    expect((await cli(['render', EXAMPLE, '-o', a3])).code).toBe(0);
    expect(execFileSync('pdfinfo', [a3], { encoding: 'utf8' })).toMatch(/Page size:\s+1190\.55 x 841\.89/);
    const a4 = join(work, 'a4.pdf');
    expect((await cli(['render', EXAMPLE, '-o', a4, '--page', 'a4', '--fillable'])).code).toBe(0);
    expect(execFileSync('pdfinfo', [a4], { encoding: 'utf8' })).toMatch(/Form:\s+AcroForm/);
    execFileSync('qpdf', ['--check', a4], { stdio: 'pipe' });
  });
  it('exits 1 for an invalid bordereau and writes nothing', async () => {
    const out = join(work, 'never.pdf');
    const r = await cli(['render', bad((b) => (b.totals.amo = 0)), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ERR_BORDEREAU_INVALID');
    expect(existsSync(out)).toBe(false);
  });
  it('uses a vendor template (--template) and fills a supplied PDF (--overlay --field-map)', async () => {
    const { A4_PORTRAIT_TEMPLATE } = await import('@s3404/form/pdf');
    const template = join(work, 'template.json');
    writeFileSync(template, JSON.stringify({ ...A4_PORTRAIT_TEMPLATE, name: 'Gabarit maison' }));
    const out = join(work, 'templated.pdf');
    expect((await cli(['render', EXAMPLE, '-o', out, '--template', template])).code).toBe(0);
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('Gabarit maison');
    const map = join(work, 'map.json');
    writeFileSync(
      map,
      JSON.stringify({
        kind: 's3404-field-map',
        version: '1.0',
        form: { name: 'Formulaire fourni', cerfa: null, edition: null },
        fields: [{ path: 'insured.lastName', page: 0, x: 40, y: 40, width: 200 }],
      }),
    );
    const overlaid = join(work, 'overlaid.pdf');
    const r = await cli(['render', EXAMPLE, '-o', overlaid, '--overlay', out, '--field-map', map]);
    expect(r.code, r.err).toBe(0);
    execFileSync('qpdf', ['--check', overlaid], { stdio: 'pipe' });
    expect((await cli(['render', EXAMPLE, '-o', overlaid, '--overlay', out])).code).toBe(2);
    writeFileSync(map, JSON.stringify({ kind: 'nope' }));
    expect((await cli(['render', EXAMPLE, '-o', join(work, 'no.pdf'), '--overlay', out, '--field-map', map])).code).toBe(1);
  });
  it('exits 2 without -o or with a bad --page', async () => {
    expect((await cli(['render', EXAMPLE])).code).toBe(2);
    expect((await cli(['render', EXAMPLE, '-o', join(work, 'x.pdf'), '--page', 'a5'])).code).toBe(2);
  });
  it('honours SOURCE_DATE_EPOCH: two processes give byte-identical PDFs', () => {
    const outs = [join(work, 'p1.pdf'), join(work, 'p2.pdf')];
    for (const o of outs) {
      const r = spawnSync('node', [BIN, 'render', EXAMPLE, '-o', o], { env: { ...process.env, SOURCE_DATE_EPOCH: '1774000800' }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readFileSync(outs[0]!).equals(readFileSync(outs[1]!))).toBe(true);
    expect(execFileSync('pdfinfo', ['-isodates', outs[0]!], { encoding: 'utf8' })).toMatch(/CreationDate:\s+2026-03-20T10:00:00/);
  });
});

describe('s3404 demo (CLI contract)', () => {
  it('signs, seals, consumes, traces and packs N bordereaux plus one accounting day, and says so in DIR/summary.json', async () => {
    const dir = join(work, 'demo');
    const r = await cli(['demo', '--out', dir]);
    expect(r.code, r.err).toBe(0);
    const pdfs = readdirSync(join(dir, 'bordereaux'));
    expect(pdfs).toHaveLength(3);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      count: number;
      valid: number;
      bordereaux: { pdf: string; id: string; signatures: number }[];
      accountingDay: { bordereaux: number; complete: boolean };
      scor: { state: string; verified: boolean; manifestSeal: string; lots: { container: string; lotId: string }[] };
      audit: { events: number; intact: boolean; checkpoints: string };
    };
    expect(summary).toMatchObject({
      count: 3,
      valid: 3,
      accountingDay: { bordereaux: 3, complete: true },
      scor: { state: 'arl-positive', verified: true, manifestSeal: 'valid' },
      audit: { ok: true, checkpoints: 'valid' },
      pades: { level: 'B-T', sealed: 3, passed: 3 },
    });
    expect(r.out).toContain('sceau PAdES B-T de l’établissement : 3 bordereau(x) scellé(s) et horodaté(s), vérifié(s) (passed)');
    // Every bordereau is sealed PAdES B-T once fully signed (SIG-3): s3404 pdf verify and poppler's pdfsig, the demo's CA trusted, accept it.
    const nss = join(work, 'demo-nss');
    execFileSync('mkdir', ['-p', nss]);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'demo-ca', '-t', 'CT,C,C', '-i', join(dir, 'pki', 'ca.pem')]);
    for (const entry of summary.bordereaux as unknown as { pdf: string; pades: { level: string; status: string } }[]) {
      expect(entry.pades).toEqual({ level: 'B-T', status: 'passed' });
      const v = await cli(['pdf', 'verify', join(dir, entry.pdf), '--trust', join(dir, 'pki', 'ca.pem'), '--json']);
      expect(v.code, v.out).toBe(0);
      const verdict = JSON.parse(v.out) as { status: string; signatures: { level: string; coversWholeDocument: boolean }[]; revisions: { kind: string }[] };
      expect(verdict.status).toBe('passed');
      expect(verdict.signatures.at(-1)).toMatchObject({ level: 'B-T', coversWholeDocument: true });
      expect(verdict.revisions.at(-1)).toMatchObject({ kind: 'signature' });
      const poppler = execFileSync('pdfsig', ['-nssdir', `sql:${nss}`, join(dir, entry.pdf)], { encoding: 'utf8' });
      expect(poppler, entry.pdf).toContain('Signature Validation: Signature is Valid.');
      expect(poppler, entry.pdf).toContain('Certificate Validation: Certificate is Trusted.');
      expect(poppler, entry.pdf).toContain('Total document signed');
    }
    for (const entry of summary.bordereaux) {
      execFileSync('qpdf', ['--check', join(dir, entry.pdf)], { stdio: 'pipe' });
      const text = execFileSync('pdftotext', ['-layout', join(dir, entry.pdf), '-'], { encoding: 'utf8' });
      expect(text).toContain('journée comptable');
      expect(entry.signatures).toBeGreaterThanOrEqual(3);
    }
    // the lot holds the three signed bordereaux, its manifest sealed
    expect(summary.scor.lots).toHaveLength(1);
    const list = execFileSync('unzip', ['-Z1', join(dir, summary.scor.lots[0]!.container)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(list).toEqual([
      'manifest.json',
      'SHA256SUMS',
      'manifest.json.p7s',
      ...summary.bordereaux.map(() => expect.stringMatching(/^pj\/\d+\/01-s3404\.pdf$/)),
    ]);
    // the trace verifies on its own, with the demo's CA, and names every step
    const verify = await cli(['audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem'), '--json']);
    expect(verify.code, verify.out).toBe(0);
    const trace = readFileSync(join(dir, 'audit', 'trace.jsonl'), 'utf8');
    for (const action of [
      'bordereau.generated',
      'signature.context-shown',
      'signature.sealed',
      'signature.consumed',
      'signature.applied',
      'lot.built',
      'lot.sent',
      'lot.arl-received',
      'audit.checkpoint',
    ])
      expect(trace).toContain(`"action":"${action}"`);
    expect(trace).not.toContain('iVBOR'); // no signature image in the trace
    // every record was used once and deleted: nothing pending in the embedded store
    const { SqliteConsumptionStore } = await import('@s3404/seal/sqlite');
    const store = await SqliteConsumptionStore.open({ path: join(dir, 'seal', 'consumption.sqlite') });
    expect(await store.countPending()).toBe(0);
    await store.close();
    // a second run over the same DIR replaces the previous demo
    expect((await cli(['demo', '--out', dir, '--count', '1'])).code).toBe(0);
    expect(readdirSync(join(dir, 'bordereaux'))).toHaveLength(1);
  });
  it('takes --count N with fresh identifiers beyond the examples, and refuses a DIR that holds something else', async () => {
    const dir = join(work, 'demo-count');
    expect((await cli(['demo', '--out', dir, '--count', '7', '--json'])).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { bordereaux: { id: string; invoiceNumber: string }[] };
    expect(summary.bordereaux).toHaveLength(7);
    expect(new Set(summary.bordereaux.map((b) => b.id)).size).toBe(7);
    expect(new Set(summary.bordereaux.map((b) => b.invoiceNumber)).size).toBe(7);
    expect((await cli(['demo', '--out', dir, '--count', '0'])).code).toBe(2);
    expect((await cli(['demo', '--out', dir, '--count', '100001'])).code).toBe(2);
    const other = join(work, 'not-a-demo');
    execFileSync('mkdir', ['-p', join(other, 'audit')]);
    const refused = await cli(['demo', '--out', other]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('sans être une démonstration précédente');
  });
  it('works for a day of 72 bordereaux, and its outputs verify right after it ends (issue 14, defect 9)', async () => {
    // 72 and more used to end with CHAÎNE ENDOMMAGÉE: the simulated clock ran ahead of the real one, so
    // checkpoints and manifests were sealed in the future. The day now ends before the run's real clock.
    const dir = join(work, 'demo-72');
    const r = await cli(['demo', '--out', dir, '--count', '72', '--json']);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { valid: number; audit: { ok: boolean; checkpoints: string }; scor: { state: string; lots: unknown[] } };
    expect(summary).toMatchObject({ valid: 72, audit: { ok: true, checkpoints: 'valid' }, scor: { state: 'arl-positive' }, pades: { sealed: 72, passed: 72 } });
    const verify = spawnSync('node', [BIN, 'audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem')], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    for (const lot of summary.scor.lots as { path: string }[]) expect(spawnSync('unzip', ['-tq', lot.path]).status).toBe(0);
  }, 300_000);
  it('refuses a second demo writing into the same DIR at the same time (no mixed outputs)', async () => {
    const dir = join(work, 'demo-twice');
    const runs = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<{ code: number; err: string }>((done) => {
            const p = spawn('node', [BIN, 'demo', '--out', dir, '--count', '4'], { cwd: work });
            let err = '';
            p.stderr.on('data', (d) => (err += d));
            p.on('close', (code) => done({ code: code ?? -1, err }));
          }),
      ),
    );
    expect(runs.map((r) => r.code).sort()).toEqual([0, 2]);
    expect(runs.find((r) => r.code === 2)!.err).toContain('une autre démonstration écrit dans');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { valid: number };
    expect(summary.valid).toBe(4);
    expect(readdirSync(join(dir, 'bordereaux'))).toHaveLength(4);
    // The lock goes with its process: the next demo takes it, even after one was killed.
    const killed = spawn('node', [BIN, 'demo', '--out', dir, '--count', '6'], { cwd: work });
    await new Promise((r) => setTimeout(r, 1500));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.on('close', r));
    const after = spawnSync('node', [BIN, 'demo', '--out', dir, '--count', '2'], { encoding: 'utf8' });
    expect(after.status, after.stderr).toBe(0);
  }, 300_000);
  it('runs from the built command like the README says', () => {
    const dir = join(work, 'demo-bin');
    const r = spawnSync('node', [BIN, 'demo', '--out', dir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  });
  it('runs conformance only on vectors it can read: a --vectors folder that does not exist is exit 2', async () => {
    const r = await cli(['conformance', '--vectors', 'no-such-folder']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ERR_FILE_UNREADABLE');
  });
});
