import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH } from './seal-args.js';

/**
 * X-3: `s3404 conformance --artifacts DIR` judges a vendor's own outputs — the
 * folder `s3404 demo` writes, plus a sealed record and an audit export — and,
 * when one file is tampered with, names exactly that file and the requirement
 * it breaks.
 */
const work = mkdtempSync(join(tmpdir(), 's3404-artifacts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = cliIn(work);
const base = join(work, 'base');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';

interface Report {
  ok: boolean;
  requirements: Record<string, { verdict: string; passed: number; failed: number; indeterminate: number }>;
  tests: { file: string; tcId: number; type: string; requirements: string[]; outcome: string; code?: string; inputSha256: string }[];
  artifacts: { path: string; kind: string; verdict: string; sha256?: string; judgedWith?: string; detail?: string }[];
  trustAnchors: string[];
}

const JUDGED = ['FORM-4', 'FORM-6', 'FORM-7', 'SIG-2', 'SIG-3', 'SIG-5', 'AUD-1', 'AUD-2', 'AUD-4', 'SCOR-2'];

/** A copy of the base folder, tampered with by `edit`. */
function copy(name: string, edit: (dir: string) => void = () => {}): string {
  const dir = join(work, name);
  cpSync(base, dir, { recursive: true });
  edit(dir);
  return dir;
}

async function judge(dir: string, extra: string[] = []): Promise<{ code: number; out: string; err: string; report: Report }> {
  const out = join(work, `${dir.split('/').pop()}.report.json`);
  const r = await cli(['conformance', '--artifacts', dir, '--report', out, '--lang', 'en', ...extra]);
  return { ...r, report: JSON.parse(readFileSync(out, 'utf8')) as Report };
}

/** The files that failed and the requirements of the failed checks. */
function failures(report: Report): { files: string[]; requirements: string[] } {
  const failed = report.tests.filter((t) => t.outcome === 'failed');
  return {
    files: [...new Set(report.artifacts.filter((a) => a.verdict === 'failed').map((a) => a.path))].sort(),
    requirements: [...new Set(failed.flatMap((t) => t.requirements))].sort(),
  };
}

const FIRST_PDF = (dir: string): string => join(dir, 'bordereaux', readdirSync(join(dir, 'bordereaux')).sort()[0]!);
const LOT = (dir: string): string => join(dir, 'scor', readdirSync(join(dir, 'scor')).find((f) => f.endsWith('.zip'))!);
const TRACE = (dir: string): string => join(dir, 'audit', 'trace.jsonl');

beforeAll(async () => {
  const demo = await cli(['demo', '--out', base, '--count', '2']);
  expect(demo.code, demo.err).toBe(0);
  const exp = await cli([
    'audit',
    'export',
    TRACE(base),
    '--from',
    '2026-01-01',
    '--to',
    '2027-01-01',
    '--format',
    'jsonl',
    '-o',
    join(base, 'exports', 'trace-2026.jsonl'),
    '--cert',
    join(base, 'pki', 'seal-cert.pem'),
    '--key',
    join(base, 'pki', 'seal-key.pem'),
  ]);
  expect(exp.code, exp.err).toBe(0);
  writeFileSync(join(work, 'sig.png'), png(300, 100));
  mkdirSync(join(base, 'records'));
  const seal = (pki: string, out: string) =>
    cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--role',
      'assure',
      '--signer',
      'Jeanne Martin',
      '--image',
      'sig.png',
      '--cert',
      join(pki, 'seal-cert.pem'),
      '--key',
      join(pki, 'seal-key.pem'),
      '-o',
      out,
    ]);
  const s = await seal(join(base, 'pki'), join(base, 'records', 'insured.p7m'));
  expect(s.code, s.err).toBe(0);
  expect((await cli(['pki', 'init', join(work, 'other-pki')])).code).toBe(0);
  const o = await seal(join(work, 'other-pki'), join(work, 'other.p7m'));
  expect(o.code, o.err).toBe(0);
}, 180_000);

describe('X-3 s3404 conformance --artifacts: the demo folder', () => {
  it('passes (exit 0) with every artifact judged, each with the SHA-256 sha256sum prints, every other file listed not judged', async () => {
    const { code, out, err, report } = await judge(base);
    expect(code, err + out).toBe(0);
    expect(report.ok).toBe(true);
    expect(Object.keys(report.requirements).sort()).toEqual([...JUDGED].sort());
    for (const id of JUDGED) expect(report.requirements[id]?.verdict, id).toBe('passed');
    const kinds = (k: string) => report.artifacts.filter((a) => a.kind === k).map((a) => a.path);
    expect(kinds('bordereau-pdf')).toHaveLength(2);
    expect(kinds('sealed-record')).toEqual(['records/insured.p7m']);
    expect(kinds('scor-lot').length).toBeGreaterThanOrEqual(1);
    expect(kinds('audit-trace')).toEqual(['audit/trace.jsonl']);
    expect(kinds('audit-witness')).toEqual(['audit/trace.jsonl.checkpoint']);
    expect(kinds('audit-export-manifest')).toEqual(['exports/trace-2026.jsonl.manifest.json']);
    expect(kinds('audit-export-data')).toEqual(['exports/trace-2026.jsonl']);
    expect(kinds('audit-export-signature')).toEqual(['exports/trace-2026.jsonl.manifest.p7s']);
    expect(kinds('private-key')).toContain('pki/seal-key.pem');
    expect(kinds('certificate')).toContain('pki/ca.pem');
    for (const a of report.artifacts) {
      const judged = !['certificate', 'private-key', 'unknown'].includes(a.kind);
      expect(a.verdict, a.path).toBe(judged ? 'passed' : 'not-judged');
      expect(a.sha256, a.path).toBe(
        createHash('sha256')
          .update(readFileSync(join(base, a.path)))
          .digest('hex'),
      );
    }
    for (const t of report.tests) expect(t.inputSha256).toBe(report.artifacts.find((a) => a.path === t.file)?.sha256);
    expect(report.trustAnchors).toEqual([
      createHash('sha256')
        .update(pemDer(join(base, 'pki', 'ca.pem')))
        .digest('hex'),
    ]);
    expect(out).toContain(`Trust anchors: ${join(base, 'pki', 'ca.pem').replace(`${work}/`, '')}`);
    expect(out).toMatch(/SCOR-2\s+passed/);
    expect(out).toMatch(/✓ records\/insured\.p7m \(sealed-record\) passed/);
    expect(out).toMatch(/- pki\/seal-key\.pem \(private-key\) not judged/);
    expect(out).toContain('Conformant:');
  });

  it('--json prints the same report; French by default; without a trust anchor the seals are indeterminate (exit 1)', async () => {
    const r = await cli(['conformance', '--artifacts', base, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Report).ok).toBe(true);
    const fr = await cli(['conformance', '--artifacts', base]);
    expect(fr.out).toMatch(/SCOR-2\s+réussie/);
    expect(fr.out).toContain('Conforme :');
    expect(fr.out).toMatch(/✓ records\/insured\.p7m \(sealed-record\) réussi\n/);
    expect(fr.out).toMatch(/- pki\/seal-key\.pem \(private-key\) non jugé — une clé privée/);
    const bare = copy('no-pki', (d) => rmSync(join(d, 'pki'), { recursive: true }));
    const { code, report, out } = await judge(bare);
    expect(code).toBe(1);
    expect(out).toContain('No trust anchor');
    expect(report.requirements['SIG-3']?.verdict).toBe('indeterminate');
    // A signed lot manifest that cannot be checked is not a pass either.
    expect(report.requirements['SCOR-2']?.verdict).toBe('indeterminate');
    // --trust gives them back.
    expect((await judge(bare, ['--trust', join(base, 'pki', 'ca.pem')])).report.requirements['SCOR-2']?.verdict).toBe('passed');
    const again = await judge(bare, ['--trust', join(base, 'pki', 'ca.pem')]);
    expect(again.code, again.out).toBe(0);
  });
});

describe('X-3 s3404 conformance --artifacts: one tampered file is reported, with exactly its requirement', () => {
  // The file's last word: its requirements failed; a requirement only that file could show is then not covered (AUD-1 of a
  // trace whose chain is broken, SIG-2 of a record whose seal fails: not established), every other one passed.
  const cases: [string, (dir: string) => string, string[], string[]?][] = [
    [
      'a byte flipped in a PDF’s signed range (revision 1)',
      (d) => {
        const path = FIRST_PDF(d);
        const pdf = readFileSync(path);
        const at = pdf.indexOf('/Title');
        expect(at).toBeGreaterThan(0);
        pdf[at + 10] = pdf[at + 10]! ^ 0x01;
        writeFileSync(path, pdf);
        return path;
      },
      ['FORM-4', 'FORM-6', 'FORM-7', 'SIG-3'],
    ],
    [
      'an incremental update appended to a sealed PDF',
      (d) => {
        const path = FIRST_PDF(d);
        writeFileSync(path, paintedOver(readFileSync(path)));
        return path;
      },
      ['SIG-3', 'SIG-5'],
    ],
    [
      'one trace line edited',
      (d) => {
        const lines = readFileSync(TRACE(d), 'utf8').split('\n');
        lines[5] = lines[5]!.replace('"outcome":"success"', '"outcome":"failure"');
        writeFileSync(TRACE(d), lines.join('\n'));
        return TRACE(d);
      },
      ['AUD-2'],
      ['AUD-1'],
    ],
    [
      'one trace line deleted',
      (d) => {
        const lines = readFileSync(TRACE(d), 'utf8').split('\n');
        lines.splice(7, 1);
        writeFileSync(TRACE(d), lines.join('\n'));
        return TRACE(d);
      },
      ['AUD-2'],
      ['AUD-1'],
    ],
    [
      'a byte changed in a lot',
      (d) => {
        const path = LOT(d);
        const zip = readFileSync(path);
        const mid = Math.floor(zip.length / 2);
        zip[mid] = zip[mid]! ^ 0xff;
        writeFileSync(path, zip);
        return path;
      },
      ['SCOR-2'],
    ],
    [
      'a lot re-packed with its manifest edited (its signature no longer matches)',
      (d) => {
        const path = LOT(d);
        const x = join(work, `unzipped-${randomBytes(4).toString('hex')}`);
        execFileSync('unzip', ['-q', path, '-d', x]);
        const manifest = readFileSync(join(x, 'manifest.json'), 'utf8');
        const edited = manifest.replace(/"producer": *"[^"]*"/, '"producer": "another producer"');
        expect(edited).not.toBe(manifest);
        writeFileSync(join(x, 'manifest.json'), edited);
        const names = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
        rmSync(path);
        execFileSync('zip', ['-q', '-X', '-D', path, ...names], { cwd: x });
        return path;
      },
      ['SCOR-2'],
    ],
    [
      'a sealed record signed by another key',
      (d) => {
        const path = join(d, 'records', 'insured.p7m');
        cpSync(join(work, 'other.p7m'), path);
        return path;
      },
      ['SIG-3'],
      ['SIG-2'],
    ],
    [
      'an export’s data file changed',
      (d) => {
        const path = join(d, 'exports', 'trace-2026.jsonl');
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, text.replace('"outcome":"success"', '"outcome":"refused"'));
        return path;
      },
      ['AUD-4'],
    ],
  ];
  it.each(cases.map(([name, edit, reqs, uncovered = []], i) => ({ name, edit, reqs, uncovered, i })))('$name', async ({ edit, reqs, uncovered, i }) => {
    let target = '';
    const dir = copy(`tampered-${i}`, (d) => {
      target = edit(d).slice(d.length + 1);
    });
    const { code, out, report } = await judge(dir);
    expect(code, out).toBe(1);
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual({ files: [target], requirements: [...reqs].sort() });
    for (const id of JUDGED)
      expect(report.requirements[id]?.verdict, id).toBe(reqs.includes(id) ? 'failed' : uncovered.includes(id) ? 'not-covered' : 'passed');
    for (const a of report.artifacts) if (a.path !== target) expect(['passed', 'not-judged'], a.path).toContain(a.verdict);
    const shown = out.split('\n').find((l) => l.startsWith(`  ✗ ${target} (`));
    expect(shown, out).toBeDefined();
    for (const id of reqs) expect(shown).toContain(id);
  });
});

describe('X-3 s3404 conformance --artifacts: the trace’s witness', () => {
  it('a trace cut before its last checkpoint passes alone but fails AUD-2 beside its .checkpoint witness', async () => {
    const cut = (d: string) => {
      const lines = readFileSync(TRACE(d), 'utf8').split('\n').slice(0, 20);
      writeFileSync(TRACE(d), `${lines.join('\n')}\n`);
    };
    const withWitness = await judge(copy('cut', cut));
    expect(withWitness.code).toBe(1);
    expect(failures(withWitness.report)).toEqual({ files: ['audit/trace.jsonl'], requirements: ['AUD-2'] });
    expect(withWitness.report.tests.find((t) => t.file === 'audit/trace.jsonl')?.code).toBe('ERR_AUDIT_TRUNCATED');
    const alone = await judge(
      copy('cut-alone', (d) => {
        cut(d);
        rmSync(`${TRACE(d)}.checkpoint`);
      }),
    );
    expect(alone.report.requirements['AUD-2']?.verdict).toBe('passed');
    // A witness that is no checkpoint line is blamed on itself.
    const forged = await judge(copy('forged-witness', (d) => writeFileSync(`${TRACE(d)}.checkpoint`, '{"action":"audit.checkpoint"}\n')));
    expect(failures(forged.report)).toEqual({ files: ['audit/trace.jsonl.checkpoint'], requirements: ['AUD-2'] });
  });
});

describe('X-3 s3404 conformance --artifacts: OpenSSL agrees on the records', () => {
  it('openssl cms -verify accepts the record the judge passes and refuses the one sealed by another key, against the same CA', () => {
    const verify = (path: string) =>
      spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path, '-CAfile', join(base, 'pki', 'ca.pem'), '-out', '/dev/null'], {
        encoding: 'utf8',
      }).status;
    expect(verify(join(base, 'records', 'insured.p7m'))).toBe(0);
    expect(verify(join(work, 'other.p7m'))).not.toBe(0);
  });
});

describe('X-3 s3404 conformance --artifacts: bad input', () => {
  it('an empty folder, a missing folder, a file, a conflicting option: exit 2 with a coded message', async () => {
    mkdirSync(join(work, 'empty'));
    const empty = await cli(['conformance', '--artifacts', join(work, 'empty'), '--lang', 'en']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('ERR_ARTIFACTS_EMPTY');
    expect((await cli(['conformance', '--artifacts', join(work, 'missing')])).code).toBe(2);
    expect((await cli(['conformance', '--artifacts', join(work, 'sig.png')])).code).toBe(2);
    expect((await cli(['conformance', '--artifacts', base, '--filter', 'FORM-2'])).code).toBe(2);
    expect((await cli(['conformance', '--artifacts', base, 'extra'])).code).toBe(2);
  });

  it('a 50 MB random file is listed not judged; one named .pdf fails alone; a file over 64 MiB, a pipe and a link out are indeterminate, never read', async () => {
    const dir = copy('hostile', (d) => {
      writeFileSync(join(d, 'random.bin'), randomBytes(50 * 1024 * 1024));
      writeFileSync(join(d, 'bordereaux', 'random.pdf'), randomBytes(50 * 1024 * 1024));
    });
    const started = Date.now();
    const first = await judge(dir);
    const ms = Date.now() - started;
    expect(first.code).toBe(1);
    expectWithinBound(ms, 60_000, 'judging 100 MB of random files', { clock: 'wall' });
    expect(failures(first.report).files).toEqual(['bordereaux/random.pdf']);
    expect(first.report.artifacts.find((a) => a.path === 'random.bin')).toMatchObject({ kind: 'unknown', verdict: 'not-judged' });
    rmSync(join(dir, 'bordereaux', 'random.pdf'));
    expect((await judge(dir)).code).toBe(0);
    writeFileSync(join(dir, 'huge.pdf'), '');
    truncateSync(join(dir, 'huge.pdf'), 70 * 1024 * 1024);
    execFileSync('mkfifo', [join(dir, 'pipe.jsonl')]);
    symlinkSync('/etc/passwd', join(dir, 'passwd.jsonl'));
    symlinkSync(join(base, 'records', 'insured.p7m'), join(dir, 'outside.p7m'));
    symlinkSync(join(dir, 'records', 'insured.p7m'), join(dir, 'inside.p7m'));
    const { code, report, out } = await judge(dir);
    expect(code).toBe(1);
    const verdict = (p: string) => report.artifacts.find((a) => a.path === p);
    expect(verdict('huge.pdf')).toMatchObject({ verdict: 'indeterminate' });
    expect(verdict('huge.pdf')?.detail).toContain('larger than');
    expect(verdict('pipe.jsonl')?.detail).toContain('not a regular file');
    expect(verdict('passwd.jsonl')?.detail).toContain('symbolic link out of the folder');
    expect(verdict('outside.p7m')?.detail).toContain('symbolic link out of the folder');
    expect(verdict('inside.p7m')).toMatchObject({ kind: 'sealed-record', verdict: 'passed' });
    expect(report.tests.some((t) => t.file === 'passwd.jsonl')).toBe(false);
    expect(out).toMatch(/\? huge\.pdf/);
    expect(failures(report).files).toEqual([]);
  }, 120_000);
});

/** The DER of a PEM certificate file, decoded here without the SDK. */
function pemDer(path: string): Buffer {
  const pem = readFileSync(path, 'utf8');
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
}

/**
 * The PDF with one more revision written by hand (ISO 32000-1 §7.5.6): a
 * new content stream and the first page redefined to draw it, a classic
 * cross-reference section and a trailer chained to the previous one.
 */
function paintedOver(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const prevXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const size = Math.max(...[...text.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])));
  const root = [...text.matchAll(/\/Root (\d+ \d+ R)/g)].pop()?.[1];
  const pageNum = Number(/(\d+) 0 obj\s*<<(?:(?!endobj)[\s\S])*?\/Type\s*\/Page[^s]/.exec(text)?.[1]);
  expect(Number.isFinite(prevXref) && size > 0 && root !== undefined && pageNum > 0).toBe(true);
  const paint = 'q 1 1 1 rg 300 100 120 20 re f Q';
  const objects = [
    `${size} 0 obj\n<< /Length ${paint.length} >>\nstream\n${paint}\nendstream\nendobj\n`,
    `${pageNum} 0 obj\n<< /Type /Page /Contents ${size} 0 R >>\nendobj\n`,
  ];
  let offset = pdf.length + 1;
  const offsets: number[] = [];
  let body = '\n';
  for (const o of objects) {
    offsets.push(offset);
    body += o;
    offset += Buffer.byteLength(o, 'latin1');
  }
  const entry = (n: number) => `${String(n).padStart(10, '0')} 00000 n \n`;
  const xref = `xref\n${pageNum} 1\n${entry(offsets[1]!)}${size} 1\n${entry(offsets[0]!)}trailer\n<< /Size ${size + 1} /Root ${root} /Prev ${prevXref} >>\nstartxref\n${offset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(body + xref, 'latin1')]);
}
