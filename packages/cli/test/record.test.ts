import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTimeFr } from '@s3404/form';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH, OTHER_HASH } from './seal-args.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-record-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const OTHER = 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2';
const RPPS = '10003456786';
const EPOCH = '1774000800'; // 2026-03-20T10:00:00Z

const cli = cliIn(work, EPOCH);

/** The built command, as external test scripts call it. */
function bin(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('s3404 pki init / record seal / record verify (CLI contract, SIG-3)', () => {
  const pki = join(work, 'pki');
  beforeAll(() => writeFileSync(join(work, 'sig.png'), png(300, 100)));

  it('pki init writes the development PKI; keys are private; a second run needs --force', async () => {
    const r = bin(['pki', 'init', pki]);
    expect(r.code, r.err).toBe(0);
    for (const f of ['ca.pem', 'seal-cert.pem', 'seal-key.pem', 'tsa-cert.pem']) expect(existsSync(join(pki, f))).toBe(true);
    expect(statSync(join(pki, 'seal-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(pki, 'seal-key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await cli(['pki', 'init', pki])).code).toBe(2);
    expect((await cli(['pki', 'init', join(work, 'pki-rsa'), '--algorithm', 'rsa-2048', '--json'])).code).toBe(0);
    expect((await cli(['pki', 'init', join(work, 'x'), '--algorithm', 'dsa'])).code).toBe(2);
  });

  it('record seal writes a CMS that record verify and openssl cms -verify accept; exit 1 on the wrong bordereau', () => {
    const out = join(work, 'insured.p7m');
    const s = bin([
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
    expect(s.code, s.err).toBe(0);
    // The tablet showed the capture time, in Paris time, to the second (SIG-1).
    const shown = (JSON.parse(bin(['record', 'verify', out, '--trust', join(pki, 'ca.pem'), '--json']).out) as { record: { capturedAt: string } }).record
      .capturedAt;
    expect(s.out).toContain(`Signature du ${formatDateTimeFr(new Date(shown), { seconds: true })}`);
    expect(s.out).toContain(`Bordereau ${ID}`);
    const o = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', out, '-CAfile', join(pki, 'ca.pem'), '-out', '/dev/null'], {
      encoding: 'utf8',
    });
    expect(o.stderr).toContain('Verification successful');
    const v = bin(['record', 'verify', out, '--trust', join(pki, 'ca.pem'), '--bordereau', ID, '--content-hash', EXAMPLE_HASH]);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out).toContain('Enregistrement valide');
    const j = bin(['record', 'verify', out, '--trust', join(pki, 'ca.pem'), '--json']);
    const parsed = JSON.parse(j.out) as { ok: boolean; record: { scope: { bordereauId: string }; image: { bytes: number } } };
    expect(parsed.ok).toBe(true);
    expect(parsed.record.scope.bordereauId).toBe(ID);
    expect(j.out).not.toContain('iVBORw0KGgo'); // the image is summarised, never printed
    const wrong = bin(['record', 'verify', out, '--trust', join(pki, 'ca.pem'), '--bordereau', OTHER, '--content-hash', EXAMPLE_HASH, '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject({ ok: false, code: 'ERR_RECORD_WRONG_BORDEREAU' });
    const other = bin(['record', 'verify', out, '--trust', join(work, 'pki-rsa', 'ca.pem')]);
    expect(other.code).toBe(1);
    expect(other.out).toContain('ERR_CERT_UNTRUSTED');
  });

  it('seals a practitioner line (with its proof agreement), a mandate line and an accounting day', async () => {
    const common = ['--image', 'sig.png', '--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem')];
    const noAgreement = await cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--line',
      '2',
      '--role',
      'praticien',
      '--signer',
      'Dr A',
      '--rpps',
      RPPS,
      ...common,
      '-o',
      'l.p7m',
    ]);
    expect(noAgreement.code).toBe(1);
    expect(noAgreement.err).toContain('ERR_PROOF_AGREEMENT_MISSING');
    const line = await cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--line',
      '2',
      '--role',
      'praticien',
      '--signer',
      'Dr A',
      '--rpps',
      RPPS,
      '--proof-agreement',
      'CDP-1',
      ...common,
      '-o',
      'l.p7m',
    ]);
    expect(line.code, line.err).toBe(0);
    expect(
      (await cli(['record', 'verify', 'l.p7m', '--trust', join(pki, 'ca.pem'), '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--line', '2'])).code,
    ).toBe(0);
    const l3 = await cli([
      'record',
      'verify',
      'l.p7m',
      '--trust',
      join(pki, 'ca.pem'),
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--line',
      '3',
      '--json',
    ]);
    expect(JSON.parse(l3.out)).toMatchObject({ code: 'ERR_RECORD_WRONG_LINE' });
    const noMandate = await cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--line',
      '1',
      '--practitioner-rpps',
      RPPS,
      '--role',
      'directeur',
      '--signer',
      'M. Durand',
      ...common,
      '-o',
      'm.p7m',
    ]);
    expect(noMandate.code).toBe(1);
    expect(noMandate.err).toContain('ERR_MANDATE_REQUIRED');
    const mandate = await cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--line',
      '1',
      '--practitioner-rpps',
      RPPS,
      '--role',
      'directeur',
      '--signer',
      'M. Durand',
      '--mandate',
      'MDT-9',
      ...common,
      '-o',
      'm.p7m',
    ]);
    expect(mandate.code, mandate.err).toBe(0);
    expect(mandate.out).toContain('Mandat');
    const day = await cli([
      'record',
      'seal',
      '--day',
      '2026-03-19',
      '--finess',
      '750300360',
      '--day-bordereau',
      `${ID}:${EXAMPLE_HASH}`,
      '--day-bordereau',
      `${OTHER}:${OTHER_HASH}`,
      '--role',
      'directeur',
      '--signer',
      'M. Durand',
      ...common,
      '-o',
      'd.p7m',
    ]);
    expect(day.code, day.err).toBe(0);
    expect(day.out).toContain('19/03/2026 journée comptable');
    expect(
      (
        await cli([
          'record',
          'verify',
          'd.p7m',
          '--trust',
          join(pki, 'ca.pem'),
          '--day',
          '2026-03-19',
          '--day-bordereau',
          `${OTHER}:${OTHER_HASH}`,
          '--day-bordereau',
          `${ID.toLowerCase()}:${EXAMPLE_HASH.toUpperCase()}`,
          '--bordereau',
          ID,
          '--content-hash',
          EXAMPLE_HASH,
        ])
      ).code,
    ).toBe(0);
    const outsider = await cli(['record', 'verify', 'd.p7m', '--trust', join(pki, 'ca.pem'), '--day', '2026-03-19', '--bordereau', ID, '--json']);
    expect(JSON.parse(outsider.out)).toMatchObject({ code: 'ERR_RECORD_DAY_SET_MISMATCH' });
    // The same two bordereaux, one of them altered since (another content hash): not the set the day was signed for.
    const altered = await cli([
      'record',
      'verify',
      'd.p7m',
      '--trust',
      join(pki, 'ca.pem'),
      '--day',
      '2026-03-19',
      '--day-bordereau',
      `${ID}:${EXAMPLE_HASH}`,
      '--day-bordereau',
      `${OTHER}:${EXAMPLE_HASH}`,
      '--json',
    ]);
    expect(altered.code).toBe(1);
    expect(JSON.parse(altered.out)).toMatchObject({ code: 'ERR_RECORD_DAY_SET_MISMATCH' });
    // A day sealed from --bordereau alone cannot say which content it covers: usage error.
    const unbound = await cli([
      'record',
      'seal',
      '--day',
      '2026-03-19',
      '--finess',
      '750300360',
      '--bordereau',
      ID,
      '--role',
      'directeur',
      '--signer',
      'M. Durand',
      ...common,
      '-o',
      'u.p7m',
    ]);
    expect(unbound.code).toBe(2);
    expect(
      (
        await cli([
          'record',
          'seal',
          '--day',
          '2026-03-19',
          '--finess',
          '750300360',
          '--day-bordereau',
          `${ID}:abc`,
          '--role',
          'directeur',
          '--signer',
          'M. Durand',
          ...common,
          '-o',
          'u.p7m',
        ])
      ).code,
    ).toBe(2);
  });

  it('exit 2 for usage errors and unreadable files; exit 1 for a refused image or a damaged record', async () => {
    const common = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem'), '-o', 'x.p7m'];
    expect((await cli(['record', 'seal', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--signer', 'X', '--image', 'sig.png', ...common])).code).toBe(2); // no role
    expect(
      (await cli(['record', 'seal', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--role', 'chef', '--signer', 'X', '--image', 'sig.png', ...common]))
        .code,
    ).toBe(2);
    expect((await cli(['record', 'seal', '--bordereau', 'ABC', '--role', 'assure', '--signer', 'X', '--image', 'sig.png', ...common])).code).toBe(2);
    // A bordereau or line record without the content it binds (SIG-4): usage error, exit 2, in the run's language.
    for (const line of [[], ['--line', '1', '--rpps', RPPS]]) {
      const fr = await cli(['record', 'seal', '--bordereau', ID, ...line, '--role', 'assure', '--signer', 'X', '--image', 'sig.png', ...common]);
      expect(fr.code).toBe(2);
      expect(fr.err).toContain('--content-hash EMPREINTE est obligatoire pour un bordereau ou une ligne');
      const en = await cli([
        'record',
        'seal',
        '--bordereau',
        ID,
        ...line,
        '--role',
        'assure',
        '--signer',
        'X',
        '--image',
        'sig.png',
        ...common,
        '--lang',
        'en',
      ]);
      expect(en.code).toBe(2);
      expect(en.err).toContain('--content-hash HASH is required for a bordereau or a line');
    }
    expect(existsSync(join(work, 'x.p7m'))).toBe(false);
    const badHash = await cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      'abc',
      '--role',
      'assure',
      '--signer',
      'X',
      '--image',
      'sig.png',
      ...common,
    ]);
    expect(badHash.code).toBe(2);
    expect(badHash.err).toContain('--content-hash');
    expect(
      (
        await cli([
          'record',
          'seal',
          '--bordereau',
          ID,
          '--content-hash',
          EXAMPLE_HASH,
          '--role',
          'assure',
          '--signer',
          'X',
          '--image',
          'missing.png',
          ...common,
        ])
      ).code,
    ).toBe(2);
    expect(
      (
        await cli([
          'record',
          'seal',
          '--bordereau',
          ID,
          '--content-hash',
          EXAMPLE_HASH,
          '--role',
          'assure',
          '--signer',
          'X',
          '--image',
          'sig.png',
          '--cert',
          join(pki, 'seal-key.pem'),
          '--key',
          join(pki, 'seal-key.pem'),
          '-o',
          'x.p7m',
        ])
      ).code,
    ).toBe(2);
    writeFileSync(join(work, 'not.png'), 'GIF89a…');
    const img = await cli([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--role',
      'assure',
      '--signer',
      'X',
      '--image',
      'not.png',
      ...common,
    ]);
    expect(img.code).toBe(1);
    expect(img.err).toContain('ERR_IMAGE_NOT_PNG');
    expect(existsSync(join(work, 'x.p7m'))).toBe(false); // nothing half-written
    expect((await cli(['record', 'verify', 'insured.p7m'])).code).toBe(2); // no --trust
    expect((await cli(['record', 'verify', 'nothing.p7m', '--trust', join(pki, 'ca.pem')])).code).toBe(2);
    writeFileSync(join(work, 'garbage.p7m'), 'garbage');
    const g = await cli(['record', 'verify', 'garbage.p7m', '--trust', join(pki, 'ca.pem'), '--lang', 'en']);
    expect(g.code).toBe(1);
    expect(g.out).toContain('[ERR_SEAL_MALFORMED] The sealed record is unreadable');
  });
});
