import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH } from './seal-args.js';

/**
 * Issue 14, defect 7: `SOURCE_DATE_EPOCH` may date documents (reproducible
 * bytes); it must never move the clock that judges expiry, validity or the
 * order of the trace. Only a program embedding the command can inject that
 * clock (`Io.now`).
 */
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const work = mkdtempSync(join(tmpdir(), 's3404-cli-clock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the security clock is not an environment variable', () => {
  it('an expired record stays expired whatever SOURCE_DATE_EPOCH says', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    const past = cliIn(work, '1774000800', () => twoHoursAgo);
    writeFileSync(join(work, 'sig.png'), png(300, 100));
    expect((await past(['pki', 'init', 'pki'])).code).toBe(0);
    const keys = ['--cert', 'pki/seal-cert.pem', '--key', 'pki/seal-key.pem'];
    const seal = await past([
      'record',
      'seal',
      '--bordereau',
      ID,
      '--content-hash',
      EXAMPLE_HASH,
      '--role',
      'insured',
      '--signer',
      'Jeanne Martin',
      '--image',
      'sig.png',
      ...keys,
      '-o',
      'a.p7m',
    ]);
    expect(seal.code, seal.err).toBe(0);
    // Signed two hours ago: past its 30-minute life. SOURCE_DATE_EPOCH set to the signing time must not revive it.
    const epoch = String(Math.floor(twoHoursAgo.getTime() / 1000));
    const now = cliIn(work, epoch);
    const consume = await now(
      ['record', 'consume', 'a.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', 'pki/ca.pem', '--state', 'state', '--json'],
      {
        SOURCE_DATE_EPOCH: epoch,
      },
    );
    expect(consume.code, consume.err).toBe(1);
    expect(JSON.parse(consume.out)).toMatchObject({ error: { code: 'ERR_RECORD_EXPIRED' } });
    // A record sealed in the "future" of SOURCE_DATE_EPOCH is not refused for it either: the real clock judges.
    const fresh = await now(
      [
        'record',
        'seal',
        '--bordereau',
        ID,
        '--content-hash',
        EXAMPLE_HASH,
        '--role',
        'insured',
        '--signer',
        'Jeanne Martin',
        '--image',
        'sig.png',
        ...keys,
        '-o',
        'b.p7m',
      ],
      {
        SOURCE_DATE_EPOCH: '0',
      },
    );
    expect(fresh.code, fresh.err).toBe(0);
    const used = await now(['record', 'consume', 'b.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', 'pki/ca.pem', '--state', 'state'], {
      SOURCE_DATE_EPOCH: '0',
    });
    expect(used.code, used.err).toBe(0);
  });
});
