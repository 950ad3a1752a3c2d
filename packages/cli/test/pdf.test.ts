import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevelopmentTsa, readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { cliIn } from './harness.js';

/**
 * CLI contract: `s3404 pdf seal | verify | revisions` (SIG-3, SIG-5, FORM-6).
 * The establishment's PAdES seal of a finished bordereau with the files of
 * `s3404 pki init`, B-B and B-T against a loopback RFC 3161 TSA; its
 * verification (exit 0 / 1 / 2), by this command and by poppler's `pdfsig`
 * with the development CA in an NSS database; the revisions, and the
 * original bytes given back exactly.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const EXAMPLE = join(ROOT, 'examples/data/mco-chirurgie-pth.json');
const work = mkdtempSync(join(tmpdir(), 's3404-pdf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = cliIn(work);
const pki = join(work, 'pki');
const KEYS = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem')];
const TRUST = ['--trust', join(pki, 'ca.pem')];

/** French words and typography that must not reach English output (certificate subjects aside). */
const FRENCH =
  /\b(attendu|reçu|fichier|illisible|obligatoire|signé|scellé|valide|invalide|problème|octets|révisions?|horodatage|sceau|aide)\b|[«»]| [:;!?](\s|$)/i;
const withoutSubjects = (text: string): string => text.replace(/CN=[^—\n]*/g, 'CN');

/** The built command as a separate process, without blocking this one (the loopback TSA answers from here). */
function bin(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn('node', [BIN, ...args], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: '1774000800' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

/** poppler's verdict on a PDF, the development CA trusted in an NSS database. */
function pdfsig(file: string, nss: string): string {
  return execFileSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' });
}

/** An NSS database trusting one CA (certutil of libnss3-tools). */
function nssTrusting(ca: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'ca', '-t', 'CT,C,C', '-i', ca]);
  return dir;
}

/** A free loopback port, closed again: nothing listens there. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('s3404 pdf seal / verify / revisions (CLI contract, SIG-3, SIG-5)', () => {
  const input = join(work, 'bordereau.pdf');
  const sealed = join(work, 'sealed-bb.pdf');
  let nss: string;
  let tsaServer: Server;
  let tsaUrl: string;

  beforeAll(async () => {
    expect((await bin(['pki', 'init', pki])).code).toBe(0);
    expect((await cli(['render', EXAMPLE, '-o', input])).code).toBe(0);
    nss = nssTrusting(join(pki, 'ca.pem'), join(work, 'nss'));
    // A tiny RFC 3161 TSA on loopback: the development TSA of `pki init`, served over HTTP.
    const tsa = await createDevelopmentTsa({
      certificate: readPemCertificates(readFileSync(join(pki, 'tsa-cert.pem'), 'utf8'))[0]!,
      key: readPemPrivateKey(readFileSync(join(pki, 'tsa-key.pem'), 'utf8')),
    });
    tsaServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void tsa.respond(new Uint8Array(Buffer.concat(chunks))).then((reply) => {
          res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': reply.length });
          res.end(reply);
        });
      });
    });
    await new Promise<void>((r) => tsaServer.listen(0, '127.0.0.1', r));
    tsaUrl = `http://127.0.0.1:${(tsaServer.address() as AddressInfo).port}/tsp`;
  });
  afterAll(() => new Promise((r) => tsaServer.close(r)));

  it('seals B-B with the files of pki init; pdf verify and pdfsig accept it', async () => {
    const s = await bin(['pdf', 'seal', input, '-o', sealed, ...KEYS]);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toContain(`PDF scellé → ${sealed}`);
    expect(s.out).toContain('niveau PAdES B-B, révision 2');
    expect(s.out).toContain('sans horodatage (niveau B-B : pas de --tsa)');
    const v = await bin(['pdf', 'verify', sealed, ...TRUST]);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out).toMatch(/^.*sealed-bb\.pdf : valide \(passed\), 1 signature\(s\)\n/);
    expect(v.out).toMatch(/✓ Sceau2 — valide \(passed\) — révision 2 — PAdES B-B — CN=Cachet S3404 .* — signée le \S+Z — sans horodatage\n/);
    expect(v.out).toContain('Révisions :\n  1 document d’origine (original)\n  2 signature (signature)\n');
    const poppler = pdfsig(sealed, nss);
    expect(poppler).toContain('Signature Validation: Signature is Valid.');
    expect(poppler).toContain('Certificate Validation: Certificate is Trusted.');
    expect(poppler).toContain('Total document signed');
  });

  it('lists 2 revisions; --extract 1 gives back the original bytes exactly; a revision that does not exist is exit 2', async () => {
    const r = await cli(['pdf', 'revisions', sealed]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /: 2 révision\(s\)\n {2}1 {2}\d+ octets \(\+\d+\), \d+ objet\(s\), xref table\n {2}2 {2}\d+ octets \(\+\d+\), \d+ objet\(s\), xref table\n/,
    );
    expect(r.out).toContain('Octets après le dernier %%EOF : 0\n');
    const j = JSON.parse((await cli(['pdf', 'revisions', sealed, '--json'])).out) as {
      revisions: { index: number; byteLength: number; addedBytes: number; xref: string; objects: number[]; objectCount: number }[];
      trailingBytes: number;
    };
    expect(j.revisions.map((x) => x.index)).toEqual([1, 2]);
    expect(j.revisions[0]!.byteLength).toBe(readFileSync(input).length);
    expect(j.revisions[1]!.byteLength).toBe(readFileSync(sealed).length);
    expect(j.revisions[1]!.objectCount).toBe(j.revisions[1]!.objects.length);
    expect(j.trailingBytes).toBe(0);
    const original = join(work, 'rev1.pdf');
    const x = await bin(['pdf', 'revisions', sealed, '--extract', '1', '-o', original]);
    expect(x.code, x.err).toBe(0);
    expect(x.out).toContain(`Révision 1 (${readFileSync(input).length} octets) → ${original}`);
    expect(readFileSync(original).equals(readFileSync(input))).toBe(true);
    const ex = JSON.parse((await cli(['pdf', 'revisions', sealed, '--extract', '2', '-o', 'rev2.pdf', '--json'])).out) as {
      extracted: { revision: number; bytes: number };
    };
    expect(ex.extracted).toMatchObject({ revision: 2, bytes: readFileSync(sealed).length });
    const missing = await cli(['pdf', 'revisions', sealed, '--extract', '3', '-o', 'rev3.pdf']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('[ERR_PDF_REVISION_NOT_FOUND]');
    expect(existsSync(join(work, 'rev3.pdf'))).toBe(false);
    expect((await cli(['pdf', 'revisions', sealed, '--extract', '0', '-o', 'rev0.pdf'])).err).toContain('[ERR_PDF_REVISION_NOT_FOUND]');
    expect((await cli(['pdf', 'revisions', sealed, '--extract', '1'])).code).toBe(2); // -o missing
    expect((await cli(['pdf', 'revisions', sealed, '-o', 'x.pdf'])).code).toBe(2); // -o without --extract
  });

  it('seals B-T with a time-stamp from a loopback TSA (--tsa URL); pdf verify and pdfsig accept it', async () => {
    const bt = join(work, 'sealed-bt.pdf');
    const s = await bin(['pdf', 'seal', input, '-o', bt, ...KEYS, '--tsa', tsaUrl, '--json']);
    expect(s.code, s.err).toBe(0);
    const result = JSON.parse(s.out) as Record<string, unknown>;
    expect(result).toMatchObject({ out: bt, level: 'B-T', revision: 2, subject: expect.stringContaining('CN=Cachet S3404') });
    expect(Object.keys(result).sort()).toEqual(['byteRange', 'bytes', 'level', 'out', 'revision', 'signingTime', 'subject', 'timestampTime']);
    expect(s.out).not.toContain('"pdf"');
    const human = await bin(['pdf', 'seal', input, '-o', join(work, 'sealed-bt2.pdf'), ...KEYS, '--tsa', tsaUrl, '--lang', 'en']);
    expect(human.out).toMatch(/PAdES level B-T, revision 2, seal CN=.*\n {2}claimed signing time: \S+Z\n {2}time-stamp: \S+Z\n$/);
    const v = await cli(['pdf', 'verify', bt, ...TRUST, '--tsa-trust', join(pki, 'ca.pem'), '--json']);
    expect(v.code, v.out).toBe(0);
    const verdict = JSON.parse(v.out) as {
      ok: boolean;
      status: string;
      issues: unknown[];
      signatures: { field: string; status: string; level: string; timestamp: { genTime: string; tsaSubject: string }; coversWholeDocument: boolean }[];
      revisions: { index: number; kind: string }[];
    };
    expect(verdict).toMatchObject({
      ok: true,
      status: 'passed',
      issues: [],
      revisions: [
        { index: 1, kind: 'original' },
        { index: 2, kind: 'signature' },
      ],
    });
    expect(verdict.signatures).toHaveLength(1);
    expect(verdict.signatures[0]).toMatchObject({ field: 'Sceau2', status: 'passed', level: 'B-T', coversWholeDocument: true });
    expect(verdict.signatures[0]!.timestamp.tsaSubject).toContain('Horodatage S3404');
    const text = await cli(['pdf', 'verify', bt, ...TRUST]);
    expect(text.out).toMatch(/PAdES B-T — .* — horodatée le \S+Z \(CN=Horodatage S3404/);
    expect(pdfsig(bt, nss)).toContain('Signature Validation: Signature is Valid.');
  });

  it('a TSA that does not answer is ERR_TSA_UNAVAILABLE, exit 2, nothing written; --tsa-fallback b-b seals B-B and says why', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tsp`;
    const out = join(work, 'never.pdf');
    const r = await bin(['pdf', 'seal', input, '-o', out, ...KEYS, '--tsa', url]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^s3404 : \[ERR_TSA_UNAVAILABLE\] Autorité d'horodatage injoignable/);
    expect(existsSync(out)).toBe(false);
    const j = await cli(['pdf', 'seal', input, '-o', out, ...KEYS, '--tsa', url, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out)).toMatchObject({ error: { code: 'ERR_TSA_UNAVAILABLE', kind: 'unavailable' } });
    expect(existsSync(out)).toBe(false);

    const fb = await bin(['pdf', 'seal', input, '-o', out, ...KEYS, '--tsa', url, '--tsa-fallback', 'b-b']);
    expect(fb.code, fb.err).toBe(0);
    expect(fb.out).toContain('niveau PAdES B-B');
    expect(fb.out).toContain('sans horodatage : repli au niveau B-B (--tsa-fallback b-b), l’autorité d’horodatage a échoué : [ERR_TSA_UNAVAILABLE]');
    const fbJson = JSON.parse((await cli(['pdf', 'seal', input, '-o', out, ...KEYS, '--tsa', url, '--tsa-fallback', 'b-b', '--json'])).out) as {
      level: string;
      timestampError: { code: string; message: string };
    };
    expect(fbJson.level).toBe('B-B');
    expect(fbJson.timestampError.code).toBe('ERR_TSA_UNAVAILABLE');
    expect((await cli(['pdf', 'verify', out, ...TRUST])).code).toBe(0);
    // A TSA that answers something else than a time-stamp reply is no TSA.
    const notTsa = createServer((_req, res) => res.end('<html></html>'));
    await new Promise<void>((ok) => notTsa.listen(0, '127.0.0.1', ok));
    const html = await cli(['pdf', 'seal', input, '-o', out, ...KEYS, '--tsa', `http://127.0.0.1:${(notTsa.address() as AddressInfo).port}/`]);
    await new Promise((ok) => notTsa.close(ok));
    expect(html.code).toBe(2);
    expect(html.err).toContain('[ERR_TSA_UNAVAILABLE]');
  });

  it('a byte changed after the seal: exit 1 with the code; an unsigned PDF: exit 1 ERR_PDF_NO_SIGNATURE; not a PDF: exit 2', async () => {
    const marked = join(work, 'sealed-reason.pdf');
    expect((await cli(['pdf', 'seal', input, '-o', marked, ...KEYS, '--reason', 'Sceau de test'])).code).toBe(0);
    const bytes = readFileSync(marked);
    // /Reason is written as a hex string: one hex digit changed, inside the signed range ("Sceau…" becomes "Cceau…").
    const at = bytes.indexOf(`/Reason <${Buffer.from('Sceau de test').toString('hex')}`) + '/Reason <'.length;
    expect(at).toBeGreaterThan(10);
    bytes[at] = '4'.charCodeAt(0);
    const tampered = join(work, 'tampered.pdf');
    writeFileSync(tampered, bytes);
    const t = await bin(['pdf', 'verify', tampered, ...TRUST]);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/✗ Sceau2 — invalide \(failed\) HASH_FAILURE — .*\[ERR_SEAL_DIGEST_MISMATCH\]/);
    expect(t.out).toContain('Problèmes :');
    expect(t.out).toContain('[ERR_SEAL_DIGEST_MISMATCH]');
    const tj = JSON.parse((await cli(['pdf', 'verify', tampered, ...TRUST, '--json'])).out) as {
      ok: boolean;
      status: string;
      issues: { code: string; path: unknown[]; message: string }[];
      signatures: { status: string; subIndication: string; code: string }[];
    };
    expect(tj).toMatchObject({
      ok: false,
      status: 'failed',
      signatures: [{ status: 'failed', subIndication: 'HASH_FAILURE', code: 'ERR_SEAL_DIGEST_MISMATCH' }],
    });
    expect(tj.issues[0]).toMatchObject({ code: 'ERR_SEAL_DIGEST_MISMATCH', path: ['signatures', 0] });

    // Bytes appended after the seal's %%EOF are found too.
    const appended = join(work, 'appended.pdf');
    writeFileSync(appended, Buffer.concat([readFileSync(sealed), Buffer.from('\n% appended\n')]));
    const a = await cli(['pdf', 'verify', appended, ...TRUST]);
    expect(a.code).toBe(1);
    expect(a.out).toContain('[ERR_PDF_MODIFIED_AFTER_SEAL]');

    const unsigned = await cli(['pdf', 'verify', input, ...TRUST]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.out).toContain('invalide (failed), 0 signature(s)');
    expect(unsigned.out).toContain('[ERR_PDF_NO_SIGNATURE] Ce PDF ne porte aucune signature électronique');
    expect(JSON.parse((await cli(['pdf', 'verify', input, ...TRUST, '--json'])).out)).toMatchObject({
      ok: false,
      status: 'failed',
      signatures: [],
      issues: [{ code: 'ERR_PDF_NO_SIGNATURE' }],
    });

    // Another CA: the chain is not found, the verdict indeterminate, exit 1.
    expect((await bin(['pki', 'init', join(work, 'other-pki')])).code).toBe(0);
    const other = JSON.parse((await cli(['pdf', 'verify', sealed, '--trust', join(work, 'other-pki', 'ca.pem'), '--json'])).out) as {
      status: string;
      signatures: { subIndication: string }[];
    };
    expect(other).toMatchObject({ status: 'indeterminate', signatures: [{ subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' }] });
    expect((await cli(['pdf', 'verify', sealed, '--trust', join(work, 'other-pki', 'ca.pem')])).code).toBe(1);

    writeFileSync(join(work, 'not.pdf'), 'this is not a PDF\n');
    for (const args of [
      ['pdf', 'verify', 'not.pdf', ...TRUST],
      ['pdf', 'revisions', 'not.pdf'],
      ['pdf', 'seal', 'not.pdf', '-o', 'not-sealed.pdf', ...KEYS],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain('[ERR_PDF_UNREADABLE]');
    }
    expect(existsSync(join(work, 'not-sealed.pdf'))).toBe(false);
    const json = await cli(['pdf', 'verify', 'not.pdf', ...TRUST, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'ERR_PDF_UNREADABLE', kind: 'input' } });
    expect((await cli(['pdf', 'verify', 'missing.pdf', ...TRUST])).err).toContain('[ERR_FILE_UNREADABLE]');
  });

  it('answers in English with --lang en, help included; wrong command lines are usage errors (exit 2)', async () => {
    const outputs: string[] = [];
    const run = async (args: string[], code: number): Promise<string> => {
      const r = await cli([...args, '--lang', 'en']);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(code);
      outputs.push(r.out, r.err);
      return r.out + r.err;
    };
    expect(await run(['pdf', 'seal', input, '-o', 'en.pdf', ...KEYS], 0)).toContain('PAdES level B-B, revision 2');
    expect(await run(['pdf', 'verify', 'en.pdf', ...TRUST], 0)).toMatch(/en\.pdf: passed, 1 signature\(s\)\n {2}✓ Sceau2 — passed — revision 2 — PAdES B-B/);
    expect(await run(['pdf', 'verify', input, ...TRUST], 1)).toContain('[ERR_PDF_NO_SIGNATURE] This PDF carries no electronic signature');
    expect(await run(['pdf', 'verify', 'tampered.pdf', ...TRUST], 1)).toContain('Issues:');
    expect(await run(['pdf', 'revisions', 'en.pdf'], 0)).toContain('Bytes after the last %%EOF: 0');
    expect(await run(['pdf', 'revisions', 'en.pdf', '--extract', '9', '-o', 'x.pdf'], 2)).toContain(
      '[ERR_PDF_REVISION_NOT_FOUND] Revision 9 does not exist: this PDF has 2 revision(s)',
    );
    expect(await run(['pdf', 'seal', input, '-o', 'x.pdf', ...KEYS, '--tsa', `http://127.0.0.1:${await closedPort()}/`], 2)).toContain(
      'Time-stamping authority unreachable',
    );
    expect(await run(['pdf', 'verify', 'not.pdf', ...TRUST], 2)).toContain('Unreadable PDF');
    expect(await run(['pdf', '--help'], 0)).toMatch(/^Usage: s3404 pdf <seal\|verify\|revisions>/);
    for (const args of [
      ['pdf'],
      ['pdf', 'stamp', input],
      ['pdf', 'seal', input, ...KEYS],
      ['pdf', 'seal', input, '-o', 'x.pdf', ...KEYS, '--tsa', 'ftp://tsa.example.com/'],
      ['pdf', 'seal', input, '-o', 'x.pdf', ...KEYS, '--tsa-fallback', 'b-b'],
      ['pdf', 'seal', input, '-o', 'x.pdf', ...KEYS, '--tsa', tsaUrl, '--tsa-fallback', 'none'],
      ['pdf', 'seal', input, '-o', 'x.pdf', '--cert', join(pki, 'seal-cert.pem')],
      ['pdf', 'verify', input],
      ['pdf', 'revisions', input, '--extract', 'one', '-o', 'x.pdf'],
    ])
      await run(args, 2);
    expect(existsSync(join(work, 'x.pdf'))).toBe(false);
    for (const text of outputs) expect(withoutSubjects(text)).not.toMatch(FRENCH);
    const fr = await cli(['pdf', '--help']);
    expect(fr.code).toBe(0);
    expect(fr.out).toMatch(/^Usage : s3404 pdf <seal\|verify\|revisions>/);
    expect((await cli(['--help'])).out).toContain('pdf seal ENTRÉE.pdf -o SORTIE.pdf --cert PEM --key PEM');
    expect((await cli(['--help', '--lang', 'en'])).out).toContain('pdf verify FILE.pdf --trust CA.pem [--tsa-trust CA.pem]');
  });
});
